"""Broken markup and odd encodings never crash extraction: property-based tests."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spiders.extract import extract_page

FRAGMENTS = [
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<title>", "</title>",
    "<h1>", "</h1>", "<h3>", "<p>", "</p>", "<a href='/x'>", "<a href=\"tel:310-999-4996\">",
    "</a>", "<img src='a.png'>", "<img alt=''>", "<script>", "</script>", "<style>",
    "<!--", "-->", "<![CDATA[", "]]>", "<form>", "<form>", "</form>", "<table><tr><td>",
    "<meta name='description' content='", "'>", "<base href='//x'>", "<footer>", "<main>",
    "<script type='application/ld+json'>{\"@type\": \"MedicalBusiness\", ",
    "PSY 22022", "(310) 999-4996", "9454 Wilshire Blvd, Suite 201, Beverly Hills, CA 90212",
    "© 2026 Blair Wellness Group", "Los Angeles", "LA", "\ufeff", "\x00", "&amp;", "&#xD800;",
    "&nbsp;", "\u2028", "<?xml version='1.0' encoding='utf-8'?>", "<svg><h1>x</h1></svg>",
]
RECORD_FIELDS = {"title", "title_count", "meta_description", "headings", "word_count", "links",
                 "images", "jsonld", "schema", "nap", "places"}


def _well_formed(facts: dict) -> None:
    assert RECORD_FIELDS <= set(facts)
    assert isinstance(facts["links"], list) and isinstance(facts["nap"], list)
    assert isinstance(facts["word_count"], int) and facts["word_count"] >= 0
    assert all(isinstance(level, int) and isinstance(text, str)
               for level, text in facts["headings"])
    json.dumps(facts)  # the record must serialise as a JSON line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60))
def test_mangled_html_gives_a_well_formed_record(parts: list[str]) -> None:
    _well_formed(extract_page("https://practice.example/page/", "".join(parts)))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]))
def test_any_bytes_in_any_encoding(raw: bytes, encoding: str) -> None:
    _well_formed(extract_page("https://practice.example/", raw.decode(encoding, "replace")))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_href_is_resolved_or_recorded(href: str) -> None:
    html = f"<a href={json.dumps(href)}>x</a><img src={json.dumps(href)}>"
    facts = extract_page("https://practice.example/dir/page.html", html)
    _well_formed(facts)
    for link in facts["links"]:
        assert "#" not in link["target_url"] or link["scheme"] not in ("http", "https")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(
    st.sampled_from(" \t\n\u00a0\u2003\x1c'’.-_,;:!?/&()"), st.characters()), max_size=80))
def test_word_count_is_the_regex_count(text: str) -> None:
    from spiders.extract import _WORD, count_words

    assert count_words(text) == len(_WORD.findall(text))
