"""Extraction reads the head and the template zones in one walk each; what it finds must be
what the XPath expressions that define them select (they were the code before, and are the
plainest statement of the rules)."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.extract import (
    _drop_tree,
    _Head,
    _main_content_element,
    _zones,
    clean_text,
    element_text,
    parse_html,
)
from tests.conftest import SAVED_PAGES

TESTS = Path(__file__).parent

ZONE_XPATHS = {
    "header": "//header | //*[@role='banner']",
    "footer": "//footer | //*[@role='contentinfo']",
    "nav": "//nav | //*[@role='navigation']",
    "aside": "//aside | //*[@role='complementary']",
    "main": "//main | //*[@role='main']",
    "boilerplate": "//nav | //header | //footer | //aside | //*[@role='navigation']"
                   " | //*[@role='banner'] | //*[@role='contentinfo'] | //*[@role='complementary']",
}


_REL = ("contains(concat(' ', translate(normalize-space(@rel), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        "'abcdefghijklmnopqrstuvwxyz'), ' '), ' {} ')")


def _first(found: list) -> str | None:
    return clean_text(found[0]) if found else None


def _head_by_xpath(root: lxml.etree._Element) -> dict:
    return {
        "base_href": _first(root.xpath("//base/@href")),
        "titles": root.xpath("//title"),
        "descriptions": root.xpath(
            "//meta[translate(@name,'DESCRIPTION','description')='description']/@content"),
        "robots": [clean_text(c) for c in root.xpath(
            "//meta[translate(@name,'ROBOTSGOEL','robotsgoel')='robots'"
            " or translate(@name,'ROBOTSGOEL','robotsgoel')='googlebot']/@content")],
        # every rel=canonical and rel=alternate hreflang <link> inside <head> (in the body
        # they declare nothing), rel read as a list of case-insensitive keywords
        "canonicals": [h.strip() for h in root.xpath(
            f"//head//link[@href and {_REL.format('canonical')}]/@href")],
        "hreflang": [[el.get("hreflang").strip(), el.get("href").strip()] for el in root.xpath(
            f"//head//link[@href and @hreflang and {_REL.format('alternate')}]")],
        "viewport": _first(root.xpath(
            "//meta[translate(@name,'VIEWPORT','viewport')='viewport']/@content")),
        "og": {m.get("property"): clean_text(m.get("content"))
               for m in reversed(root.xpath("//meta[starts-with(@property,'og:')]"))},
        "scripts": root.xpath("//script[@src]"),
        "links": root.xpath("//link[@href]"),
        "jsonld_blocks": [s.text or "" for s in root.xpath(
            "//script[translate(@type,'LDJSON','ldjson')='application/ld+json']")],
    }


def _head_by_walk(root: lxml.etree._Element) -> dict:
    head = _Head(root)
    return {name: getattr(head, name) for name in _head_by_xpath(root)}


def _assert_same_as_xpath(root: lxml.etree._Element) -> None:
    assert _head_by_walk(root) == _head_by_xpath(root)
    zones = _zones(root)
    for zone, xpath in ZONE_XPATHS.items():
        assert zones[zone] == root.xpath(xpath), zone
    for el in zones["boilerplate"]:
        if el.getparent() is not None:
            _drop_tree(el)
    by_xpath = root.xpath(ZONE_XPATHS["main"])
    expected = by_xpath[0] if by_xpath else root.find("body")
    assert _main_content_element(root, zones["main"]) is (root if expected is None else expected)


@pytest.mark.parametrize("path", SAVED_PAGES, ids=lambda p: str(p.relative_to(TESTS)))
def test_saved_pages_read_as_the_xpaths_read_them(path: Path) -> None:
    _assert_same_as_xpath(parse_html(path.read_text("utf-8", errors="replace")))


# Generated pages: zones nested in zones, roles on any element, the head's tags anywhere and
# more than once, attribute values in every case (the XPaths lower only the word's letters).
ZONE_TAGS = ["header", "footer", "nav", "aside", "main", "div", "section", "body"]
ROLES = [None, "banner", "contentinfo", "navigation", "complementary", "main", "Main", "region"]
HEAD_TAGS = [
    '<meta name="{}" content="c{}">', '<meta property="og:{}" content="{}">',
    '<meta property="{}">', '<link rel="{}" href="/h{}">', '<link rel="{}">',
    '<script type="{}" src="/s{}.js">x</script>', '<script type="{}">{{"n": {}}}</script>',
    '<base href="/b{}{}/">', '<title>T{}{}</title>', '<meta name="{}">',
    '<link rel="{}" hreflang=" es-{} " href=" /es/ ">',
]
WORDS = ["description", "DESCRIPTION", "Description", "robots", "ROBOTS", "googlebot",
         "GoogleBot", "viewport", "VIEWPORT", "canonical", "CANONICAL", "Canonical",
         "application/ld+json", "APPLICATION/LD+JSON", "application/LD+JSON", "og:title",
         "og:title", "stylesheet", "", " description", "alternate", "ALTERNATE",
         "canonical alternate", "alternate  stylesheet", "x-canonical"]


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            pattern = draw(st.sampled_from(HEAD_TAGS))
            parts.append(pattern.format(draw(st.sampled_from(WORDS)), draw(st.integers(0, 9))))
        elif depth < 4:
            tag = draw(st.sampled_from(ZONE_TAGS))
            role = draw(st.sampled_from(ROLES))
            attr = f' role="{role}"' if role else ""
            parts.append(f"<{tag}{attr}>t{draw(fragments(depth + 1))}</{tag}>tail")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(fragments(), st.booleans())
def test_generated_pages_read_as_the_xpaths_read_them(body: str, with_lang: bool) -> None:
    lang = ' lang=" en "' if with_lang else ""
    root = parse_html(f"<html{lang}><head><title>Head</title></head><body>{body}</body></html>")
    _assert_same_as_xpath(root)


_WHITESPACE_RUN = __import__("re").compile(r"\s+")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,(") + [
    "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2007",
    "\u2028", "\u3000", "\u200b", "\ufeff", "é", "😀"])))
def test_clean_text_is_the_regex_collapse(value: str) -> None:
    """clean_text's shortcut for printable text with no double space gives what collapsing
    every run of \\s does: no whitespace character but " " is printable."""
    assert clean_text(value) == _WHITESPACE_RUN.sub(" ", value).strip()


@pytest.mark.parametrize("html", [
    "<a>Plain</a>", "<a> Two  words\n</a>", "<a>Before<!-- a comment -->after</a>",
    "<a>A <b>bold</b> word</a>", "<a><img alt='x'></a>", "<a></a>", "<a>&amp; &#x2014;</a>",
])
def test_element_text_is_xpath_string(html: str) -> None:
    anchor = parse_html(f"<html><body>{html}</body></html>").find(".//a")
    assert element_text(anchor) == anchor.xpath("string()")
