"""layout_text is html-text's etree_to_text, faster: the two must agree on every tree."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest
from html_text import etree_to_text
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.extract import INVISIBLE_TAGS, parse_html
from spiders.textlayout import layout_text
from tests.conftest import SAVED_PAGES

TESTS = Path(__file__).parent


def _cleaned(html: str) -> lxml.etree._Element:
    """A page as extraction hands it to the layout: no comments, scripts or styles."""
    root = parse_html(html)
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction,
                              with_tail=False)
    lxml.etree.strip_elements(root, *INVISIBLE_TAGS, with_tail=False)
    return root


def test_saved_pages_are_many() -> None:
    assert len(SAVED_PAGES) >= 30


@pytest.mark.parametrize("path", SAVED_PAGES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_element_of_every_saved_page_lays_out_as_html_text_does(path: Path) -> None:
    root = _cleaned(path.read_text("utf-8", errors="replace"))
    for element in root.iter():
        assert layout_text(element) == etree_to_text(element), element.tag


# Block tags of both kinds, inline tags, and text with every kind of whitespace and the
# punctuation html-text's spacing rule looks at.
TAGS = ["div", "p", "br", "li", "ul", "h2", "title", "tr", "span", "a", "b", "em", "td"]
TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("ab(),.;:!?\"' \t\n\r\x85\xa0\u2003\u2028\u3000")),
            max_size=12),
)


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> lxml.etree._Element:
    element = lxml.etree.Element(draw(st.sampled_from(TAGS)))
    element.text = draw(TEXT)
    if depth < 4:
        for _ in range(draw(st.integers(0, 4))):
            child = draw(trees(depth + 1))
            child.tail = draw(TEXT)
            element.append(child)
    return element


@settings(max_examples=400, deadline=None)
@given(trees())
def test_generated_trees_lay_out_as_html_text_does(tree: lxml.etree._Element) -> None:
    tree.tail = "the tree's own tail is never part of its text"
    for element in tree.iter():
        assert layout_text(element) == etree_to_text(element)


def test_layout_breaks_lines_at_blocks_and_keeps_punctuation_close() -> None:
    root = parse_html("<body><p>Call us (<b>today</b>), please</p><div>Suite 201<br>"
                      "Los Angeles</div><h2>Hours</h2>Mon</body>")
    assert layout_text(root) == "Call us (today), please\n\nSuite 201\nLos Angeles\n\nHours\n\nMon"
