"""Link and content quality checks on the served "content" fixture site: generic link text,
uncrawlable anchors, internal nofollow and near-duplicate main text, each with look-alikes it
must leave alone."""

from __future__ import annotations

import json

from tests.conftest import Crawl


def _texts(crawl: Crawl, check: str) -> set[tuple[str, str]]:
    rows = crawl.issues(check)
    return {(u.replace(crawl.origin, ""), m) for u, m in zip(rows["url"], rows["message"],
                                                            strict=True)}


def test_generic_link_texts_are_flagged_and_descriptive_ones_are_not(content_site: Crawl) -> None:
    found = _texts(content_site, "link-text-generic")
    assert found == {("/", 'A link\'s whole text is "Read more".'),
                     ("/", 'A link\'s whole text is "click aquí".'),
                     ("/", 'A link\'s whole text is "leer más".')}
    # "Read more about anxiety therapy in Glendale", the nofollow "Read more", "#top" "here",
    # mailto "click here" and tel "here" are not reported
    targets = set(content_site.issues("link-text-generic")["target"])
    assert targets == {content_site.url("/pasadena/"), content_site.url("/blog/"),
                       content_site.url("/links/")}


def test_uncrawlable_anchors(content_site: Crawl) -> None:
    rows = content_site.issues("link-uncrawlable")
    assert set(rows["url"]) == {content_site.url("/links/")}
    details = set(rows["detail"])
    assert details == {
        '<a href="javascript:void(0)">Font size</a>',
        "<a>Open our services menu</a>",
        "<a>Fees and insurance</a>",
        '<a href="#">Map and directions</a>',
        '<a href="file:///C:/Users/office/intake.pdf">Intake form</a>',
    }
    # a named anchor, href="#" without a handler, role=button and a <button> are not links
    # search engines need to follow


def test_internal_nofollow(content_site: Crawl) -> None:
    rows = content_site.issues("link-internal-nofollow")
    assert {(u.replace(content_site.origin, ""), t.replace(content_site.origin, ""))
            for u, t in zip(rows["url"], rows["target"], strict=True)} == {
        ("/", "/blog/"), ("/", "/links/")}  # rel="nofollow" and rel="NoFollow ugc"
    # the external nofollow link and rel="noopener" are not reported


def test_location_pages_with_the_city_swapped_are_duplicates(content_site: Crawl) -> None:
    rows = content_site.issues("content-duplicate").set_index("url")
    assert set(rows.index) == {content_site.url("/pasadena/"), content_site.url("/glendale/")}
    assert rows.loc[content_site.url("/pasadena/"), "target"] == content_site.url("/glendale/")
    assert content_site.url("/glendale/") in rows.loc[content_site.url("/pasadena/"), "detail"]
    # the noindex copy (/burbank/) is not indexable; pages sharing only the long footer and
    # the menu (/blog/, /, /contact/) are not alike
    assert content_site.url("/burbank/") not in " ".join(rows["detail"])


def test_a_sitemap_entry_without_a_slash_is_the_home_page(content_site: Crawl) -> None:
    fetched = [json.loads(line)["url"] for line in
               (content_site.out / "crawl" / "fetches.jsonl").read_text().splitlines()]
    assert content_site.origin not in fetched  # only "origin/" was fetched
    assert fetched.count(content_site.origin + "/") == 1
    assert content_site.flagged("orphan-page") == set()
