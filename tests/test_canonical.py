"""Canonical and hreflang checks (audit/checks/canonical.py).

The "canonical" fixture site plants every defect beside a look-alike that must pass; hand-built
crawl records cover what a fixture server cannot serve (absolute addresses in a Link header, a
www variant of the host, a home page that redirects).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from audit.checks.canonical import address_problems, is_site_root
from audit.load import load
from audit.registry import REGISTRY, AuditContext, catalogue
from spiders.items import FetchItem, PageItem, SitemapItem
from tests.conftest import Crawl

CANONICAL_IDS = ("canonical-missing", "canonical-invalid", "canonical-to-homepage",
                 "canonical-other-host", "canonical-to-non-indexable")
HREFLANG_IDS = ("hreflang-invalid", "hreflang-no-return", "hreflang-to-non-indexable")


def _targets(crawl: Crawl, check: str) -> set[tuple[str, str]]:
    """(page path, target with the origins made readable) of each finding of one check."""
    rows = crawl.issues(check)
    return {(url.replace(crawl.origin, ""),
             target.replace(crawl.origin, "O").replace(crawl.external, "E"))
            for url, target in zip(rows["url"], rows["target"], strict=True)}


# --- the catalogue --------------------------------------------------------------------------

def test_ids_severities_and_categories_are_the_issue_s() -> None:
    checks = catalogue()
    expected = {"canonical-missing": "notice", "canonical-invalid": "warning",
                "canonical-to-homepage": "error", "canonical-other-host": "warning",
                "canonical-to-non-indexable": "error", "hreflang-invalid": "warning",
                "hreflang-no-return": "warning", "hreflang-to-non-indexable": "warning"}
    assert {id_: checks[id_].severity for id_ in expected} == expected
    assert {checks[id_].category for id_ in CANONICAL_IDS} == {"Google can't index it"}
    assert {checks[id_].category for id_ in HREFLANG_IDS} == {"Languages"}
    for id_ in expected:
        assert checks[id_].fix and not checks[id_].title.endswith(".")


# --- the fixture site -----------------------------------------------------------------------

def test_canonical_missing(canonical_site: Crawl) -> None:
    # a canonical in <body> is ignored, so /team/ has none; the noindex page and the pages
    # whose canonical is relative, malformed or in the Link header are not "missing"
    assert canonical_site.flagged("canonical-missing") == {"/team/"}


def test_canonical_invalid(canonical_site: Crawl) -> None:
    assert _targets(canonical_site, "canonical-invalid") == {
        ("/", "/"),  # relative, even though it names the page itself
        ("/header-canonical/", "/header-canonical/"),  # relative, in the Link header
        ("/fragment/", "O/fragment/#main"),
        ("/malformed/", "htps://www.clinic.example/malformed/"),
        ("/two-canonicals/", ""),  # two different ones
    }
    # the same canonical twice is not two different ones; <body> ones are not read at all
    messages = " ".join(canonical_site.issues("canonical-invalid")["message"])
    assert "relative address" in messages and "fragment" in messages
    assert "2 different canonical addresses" in messages


def test_canonical_to_homepage(canonical_site: Crawl) -> None:
    # the About page names the root; the home page naming itself ("/") is right
    assert _targets(canonical_site, "canonical-to-homepage") == {("/about/", "O/")}


def test_canonical_other_host(canonical_site: Crawl) -> None:
    assert _targets(canonical_site, "canonical-other-host") == {
        ("/cross-host/", "E/canonical-copy/")}


def test_canonical_to_non_indexable(canonical_site: Crawl) -> None:
    found = canonical_site.issues("canonical-to-non-indexable")
    assert _targets(canonical_site, "canonical-to-non-indexable") == {
        ("/to-404/", "O/missing/"), ("/to-301/", "O/old-services/"),
        ("/to-noindex/", "O/private/"), ("/to-blocked/", "O/members/")}
    by_page = dict(zip(found["url"].map(lambda u: u.replace(canonical_site.origin, "")),
                       found["message"], strict=True))
    assert "HTTP 404" in by_page["/to-404/"]
    assert "redirects to" in by_page["/to-301/"]
    assert "noindex" in by_page["/to-noindex/"]
    assert "robots.txt" in by_page["/to-blocked/"]
    # not flagged: the noindex page naming itself, the About page (canonical-to-homepage),
    # /print/ canonicalised to a live page, the page on another host that answers


def test_hreflang_invalid(canonical_site: Crawl) -> None:
    assert _targets(canonical_site, "hreflang-invalid") == {
        ("/team/", "O/team/"),  # "english"
        ("/team/", "/es/team/"),  # relative
        ("/contact/", "O/contact/"),  # "en-UK" (zh-Hans-TW beside it is valid)
        ("/header-canonical/", "/es/"),  # relative, in the Link header
        ("/es/services/", "O/es/services/"),  # "spanish", in the sitemap
    }
    messages = " ".join(canonical_site.issues("hreflang-invalid")["message"])
    assert '"english" is not a language code' in messages
    assert '"en-UK" is not a language code' in messages
    assert "in the sitemap" in messages and "in the HTTP Link header" in messages
    assert "x-default" not in messages  # the home page's x-default is valid


def test_hreflang_no_return(canonical_site: Crawl) -> None:
    # /es/fees/ does not name /fees/. Not flagged: the / <-> /es/ pair, /services/ (its
    # Spanish page names it back in the sitemap), /es/team/ (/team/ names it back with a
    # relative href: that is hreflang-invalid on /team/, not a missing return), self-references
    assert _targets(canonical_site, "hreflang-no-return") == {("/fees/", "O/es/fees/")}


def test_hreflang_to_non_indexable(canonical_site: Crawl) -> None:
    assert _targets(canonical_site, "hreflang-to-non-indexable") == {
        ("/contact/", "O/es/contact/"),  # 404
        ("/contact/", "O/fr/contact/"),  # 301
        ("/contact/", "O/private/"),  # noindex
    }


def test_body_links_are_not_fetched(canonical_site: Crawl) -> None:
    # the <body> hreflang of /team/ names /fr/team/: not a declaration, never fetched
    fetched = canonical_site.csv("pages.csv")["url"].str.replace(canonical_site.origin, "")
    assert "/fr/team/" not in set(fetched)


# --- hand-built crawl records ---------------------------------------------------------------

ORIGIN = "https://clinic.example"


def _page(url: str, status: int | None = 200, **facts: Any) -> tuple[FetchItem, PageItem | None]:
    fetch_fields = {k: facts.pop(k) for k in ("location", "link_header", "x_robots_tag",
                                              "blocked_by_robots", "error", "kind", "method")
                    if k in facts}
    fetch = FetchItem(url=url, kind=fetch_fields.pop("kind", "page"), status=status,
                      content_type=None if status is None or status >= 300 else "text/html",
                      **fetch_fields)
    if status != 200 or fetch.kind != "page":
        return fetch, None
    facts.setdefault("title", f"The page at {url}")
    return fetch, PageItem(url=url, title_count=1, **facts)


def _audit(tmp: Path, *records: tuple[FetchItem, PageItem | None],
           sitemap: list[SitemapItem] = (), start: str = ORIGIN + "/") -> AuditContext:
    crawl = tmp / "crawl"
    crawl.mkdir(parents=True)

    def write(name: str, items: list[Any]) -> None:
        (crawl / name).write_text("".join(json.dumps(asdict(i)) + "\n" for i in items), "utf-8")

    write("fetches.jsonl", [fetch for fetch, _ in records])
    write("pages.jsonl", [page for _, page in records if page is not None])
    write("links.jsonl", [])
    write("sitemap.jsonl", list(sitemap))
    (crawl / "manifest.json").write_text(json.dumps({"start_url": start}), "utf-8")
    return AuditContext(load(tmp))


def _run(ctx: AuditContext, check: str) -> set[tuple[str, str]]:
    found = REGISTRY[check].function(ctx)
    return set(zip(found["url"], found["target"], strict=True))


def test_address_problems() -> None:
    assert address_problems("https://clinic.example/about/") == ((), True)
    assert address_problems("/about/")[1] and "relative" in address_problems("/about/")[0][0]
    assert "relative" in address_problems("//clinic.example/about/")[0][0]
    assert "fragment" in address_problems("https://clinic.example/#top")[0][0]
    assert address_problems("") == (("it is empty",), False)
    assert address_problems("mailto:info@clinic.example")[1] is False
    assert address_problems("https://[clinic.example/")[1] is False  # unparsable
    assert address_problems("https://clinic.example:port/")[1] is False
    assert address_problems("https:///about/") == (("it names no host",), False)


def test_site_root_variants() -> None:
    site = "clinic.example"
    for url in ("https://clinic.example/", "http://clinic.example", "https://www.clinic.example/",
                "http://WWW.Clinic.Example/"):
        assert is_site_root(url, site), url
    for url in ("https://clinic.example/about/", "https://clinic.example/?page=2",
                "https://other.example/", "https://clinic.example:8443/",
                "https://blog.clinic.example/"):
        assert not is_site_root(url, site), url


def test_link_header_canonicals(tmp_path: Path) -> None:
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"]),
        # a full canonical in the Link header: declared, valid
        _page(f"{ORIGIN}/a/", link_header=f'<{ORIGIN}/a/>; rel="canonical"'),
        # the same one in <head> and in the header: not "different"
        _page(f"{ORIGIN}/b/", canonicals=[f"{ORIGIN}/b/"],
              link_header=f'<{ORIGIN}/b/>; rel="canonical"'),
        # different ones in <head> and in the header
        _page(f"{ORIGIN}/c/", canonicals=[f"{ORIGIN}/c/"],
              link_header=f'<{ORIGIN}/a/>; rel="canonical"'),
        # the header names the home page
        _page(f"{ORIGIN}/d/", link_header=f'<{ORIGIN}/>; rel="canonical"'))
    assert _run(ctx, "canonical-missing") == set()
    assert _run(ctx, "canonical-invalid") == {(f"{ORIGIN}/c/", "")}
    assert _run(ctx, "canonical-to-homepage") == {(f"{ORIGIN}/d/", f"{ORIGIN}/")}
    assert _run(ctx, "canonical-to-non-indexable") == set()


def test_homepage_variants(tmp_path: Path) -> None:
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=["http://www.clinic.example/"]),
        _page("http://www.clinic.example/", 301, location=f"{ORIGIN}/"),
        _page(f"{ORIGIN}/about/", canonicals=["https://www.clinic.example"]),
        _page(f"{ORIGIN}/team/", canonicals=["http://clinic.example/"]),
        _page(f"{ORIGIN}/blog/", canonicals=[f"{ORIGIN}/?page=1"]))
    assert _run(ctx, "canonical-to-homepage") == {
        (f"{ORIGIN}/about/", "https://www.clinic.example/"),
        (f"{ORIGIN}/team/", "http://clinic.example/")}
    # the home page naming a variant of itself that redirects: a canonical to a redirect,
    # which is no home-page mistake; the About page's root is not reported twice
    assert _run(ctx, "canonical-to-non-indexable") == {
        (f"{ORIGIN}/", "http://www.clinic.example/")}
    assert _run(ctx, "canonical-other-host") == set()


def test_copies_of_the_home_page_may_name_the_root(tmp_path: Path) -> None:
    home = {"title": "Blair Wellness Group", "word_count": 420, "text_signature": "abc"}
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"], **home),
        # the home page with a tracking parameter, and served again under /index.html
        _page(f"{ORIGIN}/?utm_source=gbp", canonicals=[f"{ORIGIN}/"], **home),
        _page(f"{ORIGIN}/index.html", canonicals=[f"{ORIGIN}/"], **home),
        # the same title (a site titling every page alike), other text: a real mistake
        _page(f"{ORIGIN}/about/", canonicals=[f"{ORIGIN}/"],
              **dict(home, word_count=380, text_signature="xyz")))
    assert _run(ctx, "canonical-to-homepage") == {(f"{ORIGIN}/about/", f"{ORIGIN}/")}
    assert _run(ctx, "canonical-to-non-indexable") == set()


def test_home_page_behind_a_redirect(tmp_path: Path) -> None:
    # the start URL redirects to /en/: /en/ is the home page, and naming the root (which
    # redirects to it) is a canonical to a redirect, not a home-page mistake
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", 302, location=f"{ORIGIN}/en/"),
        _page(f"{ORIGIN}/en/", canonicals=[f"{ORIGIN}/"]))
    assert _run(ctx, "canonical-to-homepage") == set()
    assert _run(ctx, "canonical-to-non-indexable") == {(f"{ORIGIN}/en/", f"{ORIGIN}/")}


def test_self_canonical_on_noindex_page_and_unknown_targets(tmp_path: Path) -> None:
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"]),
        _page(f"{ORIGIN}/thanks/", canonicals=[f"{ORIGIN}/thanks/"], meta_robots="noindex"),
        _page(f"{ORIGIN}/x-robots/", canonicals=[f"{ORIGIN}/thanks/"]),
        # never fetched (a crawl limit): unknown, not reported
        _page(f"{ORIGIN}/limited/", canonicals=[f"{ORIGIN}/not-fetched/"]),
        # another host refusing checkers (403): unverified, not reported; a 404 there is
        _page(f"{ORIGIN}/copy/", canonicals=["https://news.example/first/"]),
        _page("https://news.example/first/", 403, kind="external", method="HEAD"),
        _page(f"{ORIGIN}/copy2/", canonicals=["https://news.example/gone/"]),
        _page("https://news.example/gone/", 404, kind="external", method="HEAD"))
    assert _run(ctx, "canonical-to-non-indexable") == {
        (f"{ORIGIN}/x-robots/", f"{ORIGIN}/thanks/"),
        (f"{ORIGIN}/copy2/", "https://news.example/gone/")}
    assert _run(ctx, "canonical-other-host") == {
        (f"{ORIGIN}/copy/", "https://news.example/first/"),
        (f"{ORIGIN}/copy2/", "https://news.example/gone/")}
    assert _run(ctx, "canonical-missing") == set()


def test_hreflang_return_links_from_every_source(tmp_path: Path) -> None:
    en, es, fr, de = (f"{ORIGIN}/{lang}/" for lang in ("en", "es", "fr", "de"))
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"]),
        _page(en, hreflang=[["en", en], ["es", es], ["fr", fr], ["de", de],
                            ["x-default", f"{ORIGIN}/"]]),
        # es names en back in its Link header
        _page(es, link_header=f'<{en}>; rel="alternate"; hreflang="en"'),
        # fr names en back with an unreadable code: reported on fr as hreflang-invalid, not
        # again on en
        _page(fr, hreflang=[["french-ish", fr], ["en", en]]),
        # de names en back only in the sitemap
        _page(de),
        sitemap=[SitemapItem(f"{ORIGIN}/sitemap.xml", de, [["de", de], ["en", en]])])
    # the home page (x-default) does not name /en/
    assert _run(ctx, "hreflang-no-return") == {(en, f"{ORIGIN}/")}
    assert _run(ctx, "hreflang-invalid") == {(fr, fr)}
    assert _run(ctx, "hreflang-to-non-indexable") == set()


def test_hreflang_targets_that_cannot_be_listed(tmp_path: Path) -> None:
    page, gone, moved, hidden = (f"{ORIGIN}/{p}/" for p in ("en", "es", "fr", "de"))
    ctx = _audit(
        tmp_path,
        _page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"]),
        _page(page, hreflang=[["en", page], ["es", gone], ["fr", moved], ["de", hidden],
                              ["it", f"{ORIGIN}/it/"]]),
        _page(gone, 404),
        _page(moved, 301, location=f"{ORIGIN}/"),
        _page(hidden, x_robots_tag="noindex", hreflang=[["de", hidden], ["en", page]]),
        # a redirecting sitemap entry declares nothing
        _page(f"{ORIGIN}/old/", 301, location=page),
        sitemap=[SitemapItem(f"{ORIGIN}/sitemap.xml", f"{ORIGIN}/old/",
                             [["en", f"{ORIGIN}/old/"], ["es", gone]])])
    assert _run(ctx, "hreflang-to-non-indexable") == {(page, gone), (page, moved),
                                                      (page, hidden)}
    # not a missing return: the error, the redirect and the noindex page; /it/ never fetched
    assert _run(ctx, "hreflang-no-return") == set()


def test_canonical_checks_are_fast_enough(tmp_path: Path) -> None:
    import time

    records = [_page(f"{ORIGIN}/", canonicals=[f"{ORIGIN}/"])]
    for i in range(3000):
        en, es = f"{ORIGIN}/p{i}/", f"{ORIGIN}/es/p{i}/"
        records.append(_page(en, canonicals=[en], hreflang=[["en", en], ["es", es]]))
        records.append(_page(es, canonicals=[en if i % 7 else es],
                             hreflang=[["es", es]] + ([["en", en]] if i % 3 else [])))
    ctx = _audit(tmp_path, *records)
    started = time.monotonic()
    for id_ in CANONICAL_IDS + HREFLANG_IDS:
        REGISTRY[id_].function(ctx)
    assert time.monotonic() - started < 10
    assert len(REGISTRY["hreflang-no-return"].function(ctx)) == 1000


def test_a_crawl_recorded_before_head_canonicals_were_keeps_its_one_canonical(
        tmp_path: Path) -> None:
    # Records of an older crawl have the first canonical, resolved, and no "canonicals" list:
    # `seo-audit report` on such a folder must not call those pages canonical-less.
    ctx = _audit(tmp_path, _page(ORIGIN + "/", canonical=ORIGIN + "/"),
                 _page(ORIGIN + "/about/", canonical=ORIGIN + "/"),
                 _page(ORIGIN + "/fees/"))
    pages = tmp_path / "crawl" / "pages.jsonl"
    old = [{k: v for k, v in json.loads(line).items() if k != "canonicals"}
           for line in pages.read_text("utf-8").splitlines()]
    pages.write_text("".join(json.dumps(record) + "\n" for record in old), "utf-8")
    ctx = AuditContext(load(tmp_path))
    assert _run(ctx, "canonical-missing") == {(ORIGIN + "/fees/", "")}
    assert _run(ctx, "canonical-to-homepage") == {(ORIGIN + "/about/", ORIGIN + "/")}
