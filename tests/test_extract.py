"""Extraction is a pure function over saved pages: tests/html/NAME.html beside NAME.json.

Regenerate an expected file after a deliberate change with UPDATE_EXPECTED=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from spiders.extract import extract_page, resolve_href

HTML = Path(__file__).parent / "html"
PAGES = {
    "seed_blog_post": "https://blairwellness.example/blog/what-is-psychodynamic-therapy/",
    "broken_markup": "https://practice.example/library/start.html",
}


def _facts(name: str) -> dict:
    html = (HTML / f"{name}.html").read_text("utf-8")
    # JSON round trip: the expected files hold what the crawl's JSON Lines would hold
    return json.loads(json.dumps(extract_page(PAGES[name], html)))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_saved_page_matches_expected(name: str) -> None:
    facts = _facts(name)
    expected_file = HTML / f"{name}.json"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_file.read_text("utf-8"))
    for field in expected:
        assert facts[field] == expected[field], field


def test_seed_page_facts() -> None:
    facts = _facts("seed_blog_post")
    assert facts["title"].startswith("What is Psychodynamic Therapy?")
    assert facts["canonical"] == "https://blairwellness.example/what-is-psychodynamic-therapy/"
    assert [h for level, h in facts["headings"] if level == 1] == [
        "What is Psychodynamic Therapy?: Everything You Need to Know"]
    # the article only: header, nav, aside and footer words are not main content
    assert 900 < facts["word_count"] < 1100
    nap = {(f["field"], f["normalized"], f["role"]) for f in facts["nap"]}
    assert ("license", "PSY 22022", "high") in nap
    assert ("phone", "+13109994996", "business") in nap
    assert not [f for f in facts["nap"] if f["field"] == "license" and "Psy.D" in f["raw"]]
    assert facts["places"]["meta_description"] == {"Los Angeles": 1}
    assert facts["places"]["body"].get("Los Angeles") == 2
    decorative = [i for i in facts["images"] if i["alt"] == ""]
    assert [i["src"] for i in decorative] == ["/wp-content/uploads/divider.svg"]
    elements = {link["element"] for link in facts["links"]}
    assert elements == {"a", "img", "script", "link"}
    assert {"tel", "javascript"} <= {link["scheme"] for link in facts["links"]}
    assert facts["schema"]["jsonld_errors"] == []
    assert any(n["local_business"] for n in facts["schema"]["nodes"])


def test_broken_markup_is_parsed_sensibly() -> None:
    facts = _facts("broken_markup")
    assert facts["title"] == "Broken & odd \u2013 page" and facts["title_count"] == 2
    targets = {link["target_url"] for link in facts["links"]}
    # relative links resolve against <base href>, fragments are dropped
    assert "https://practice.example/library/guide.html" in targets
    assert "https://practice.example/library/chart.png" in targets
    assert "https://practice.example/about/" in targets  # whitespace around an href
    # script and style text never leaks into headings or content
    assert all("not a heading" not in text and "color" not in text
               for _level, text in facts["headings"])
    assert facts["headings"][0] == [1, "Unclosed heading"]
    images = {i["src"]: i for i in facts["images"]}
    assert images["chart.png"]["alt"] is None and not images["chart.png"]["decorative"]
    assert images["deco.png"]["alt"] == "" and images["x.png"]["decorative"]


@pytest.mark.parametrize("href, expected", [
    ("mailto:a@b.example", ("mailto:a@b.example", "mailto")),
    ("TEL:+13109994996", ("TEL:+13109994996", "tel")),
    ("javascript:void(0)", ("javascript:void(0)", "javascript")),
    ("#top", ("https://x.example/page", "https")),
    ("/a/b/../c?q=1#frag", ("https://x.example/a/c?q=1", "https")),
    ("//cdn.example/x.js", ("https://cdn.example/x.js", "https")),
    ("   ", None),
    (None, None),
])
def test_resolve_href(href, expected) -> None:
    assert resolve_href("https://x.example/page", href) == expected


def test_windows_1252_bytes_decoded_by_the_caller_keep_curly_quotes() -> None:
    raw = "<title>\u201cCalm\u201d \u2013 therapy</title>".encode("cp1252")
    facts = extract_page("https://x.example/", raw.decode("cp1252"))
    assert facts["title"] == "\u201cCalm\u201d \u2013 therapy"


def test_empty_and_garbage_input_never_raise() -> None:
    for html in ("", "   ", "\x00\x00", "<?xml version='1.0' encoding='utf-8'?><html/>",
                 "<<<>>>", "plain text only"):
        facts = extract_page("https://x.example/", html)
        assert facts["title_count"] in (0, 1) and isinstance(facts["links"], list)


def test_an_empty_href_after_a_tel_link_adds_no_second_phone() -> None:
    html = '<a href="tel:+13109994996">(310) 999-4996</a> <a href="">Top</a>'
    facts = extract_page("https://x.example/", html)
    assert [f["raw"] for f in facts["nap"] if f["source"] == "tel"] == ["tel:+13109994996"]


def test_text_outside_main_is_read_in_order_once() -> None:
    # NAP outside <main> and outside the boilerplate (a call bar) is read from the body's text,
    # which is laid out around the main content's own text, not by a second walk through it.
    html = ("<html><body><a href='#c'>Skip to content</a><div class='bar'>Call (310) 999-4996"
            "</div><main id='c'><h1>Anxiety therapy</h1><p>Weekly sessions in Santa Monica.</p>"
            "</main>after <b>main</b><footer>Blair Wellness</footer></body></html>")
    facts = extract_page("http://x.test/", html)
    assert facts["word_count"] == 7  # the main content only
    phones = [f for f in facts["nap"] if f["field"] == "phone"]
    assert [(p["normalized"], p["zone"]) for p in phones] == [("+13109994996", "main")]
    assert facts["places"]["body"] and "Santa Monica" in str(facts["places"]["body"])
    from spiders.extract import _body_text, parse_html
    root = parse_html(html)
    main = root.find(".//main")
    text = _body_text(root, main, "MAIN TEXT")
    assert text.index("Skip to content") < text.index("MAIN TEXT") < text.index("after main")
