"""Crawlability checks (audit.checks.crawlability) and the start URL's redirect chain.

Three fixture sites, each crawled once per session (tests/technical_sites.py):

- ``crawlability``: a robots.txt with the mistakes real files have (a misspelt directive,
  ``user agent: *``, a rule before any user-agent, a relative Sitemap, a path without "/")
  among real Disallow rules with longer Allow overrides; a sitemap listing a 404, a redirect, a
  noindex page, a page canonicalised elsewhere and a disallowed URL among good look-alikes;
  pages the noindex check must flag (a past unavailable_after in meta and header, googlebot
  directives) and must not (a future date, bingbot-only noindex). Crawled twice: obeying
  robots.txt and with --ignore-robots.
- ``crawlability_nositemap``: a valid robots.txt with no Sitemap line and no /sitemap.xml;
  the crawl starts at /start/, which redirects twice before the home page.
- ``crawlability_robots503``: robots.txt answers 503 (with Retry-After: 0, so the crawl's
  Retry-After middleware asks again at once instead of backing off).

Checks are also run on small hand-built frames for the cases a served site would make slow or
awkward (a robots.txt that is an HTML page, a bot challenge, a Googlebot-only group).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from audit.checks.crawlability import (
    ROBOTS_TXT_MAX_ROWS,
    RobotsRules,
    origin,
    robots_blocks_linked,
    robots_txt_invalid,
    sitemap_bad_url,
    sitemap_missing,
)
from audit.checks.links import redirect_chain
from audit.load import Frames, Resolution
from audit.registry import AuditContext, catalogue
from tests.conftest import Crawl

MY_CHECKS = ("robots-txt-invalid", "robots-blocks-linked", "sitemap-bad-url", "sitemap-missing")


def targets(crawl: Crawl, check: str) -> set[str]:
    return {t.replace(crawl.origin, "") for t in crawl.issues(check)["target"]}


# --- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize(("check_id", "severity"), [
    ("robots-txt-invalid", "warning"), ("robots-blocks-linked", "notice"),
    ("sitemap-bad-url", "warning"), ("sitemap-missing", "notice")])
def test_ids_severities_and_category(check_id: str, severity: str) -> None:
    item = catalogue()[check_id]
    assert (item.severity, item.category) == (severity, "Google can't index it")
    assert item.title and not item.title.endswith(".")
    assert item.explanation and item.fix


# --- robots-txt-invalid ----------------------------------------------------------------------


def test_robots_txt_problems_one_row_per_line_on_the_home_page(crawlability_site: Crawl) -> None:
    rows = crawlability_site.issues("robots-txt-invalid")
    assert set(rows["url"]) == {crawlability_site.url("/")}
    assert set(rows["target"]) == {crawlability_site.url("/robots.txt")}
    by_line = dict(zip(rows["detail"], rows["message"], strict=True))
    # and nothing else: not the real rules, the extension (Content-Signal) nor the absolute
    # Sitemap line
    assert set(by_line) == {
        "line 2: Disallow: /early/", "line 3: user agent: *", "line 4: Disalow: /typo/",
        "line 5: Disallow: drafts/", "line 6: Sitemap: /sitemap.xml"}
    assert by_line["line 2: Disallow: /early/"] == "Rule before any user-agent line."
    assert '"user-agent"' in by_line["line 3: user agent: *"]
    assert 'did you mean "disallow"' in by_line["line 4: Disalow: /typo/"]
    assert '"/"' in by_line["line 5: Disallow: drafts/"]
    assert "full URL" in by_line["line 6: Sitemap: /sitemap.xml"]


def test_robots_txt_server_error_says_google_stops_crawling(crawlability_robots503: Crawl) -> None:
    rows = crawlability_robots503.issues("robots-txt-invalid")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["url"], row["target"]) == (crawlability_robots503.url("/"),
                                           crawlability_robots503.url("/robots.txt"))
    assert "HTTP 503" in row["message"] and "stops crawling the whole site" in row["message"]
    assert "30 days" in row["detail"]


def test_a_valid_robots_txt_with_extensions_is_not_reported(crawlability_nositemap: Crawl) -> None:
    assert crawlability_nositemap.issues("robots-txt-invalid").empty


# --- robots-blocks-linked --------------------------------------------------------------------


BLOCKED_LINKS = {"/members/", "/files/guide.pdf", "/typo/", "/old-members/"}
ALLOWED_LINKS = {"/members/join/", "/files/public-guide.pdf", "/early/", "/about/"}


def test_links_to_disallowed_pages_on_the_linking_page(crawlability_site: Crawl) -> None:
    rows = crawlability_site.issues("robots-blocks-linked")
    assert set(rows["url"]) == {crawlability_site.url("/")}
    # /members/: Disallow /members/; /files/guide.pdf: Disallow /files/*.pdf$; /typo/: a
    # "Disalow" line Google (and Protego) read anyway; /old-members/ redirects into /members/
    assert targets(crawlability_site, "robots-blocks-linked") == BLOCKED_LINKS
    redirecting = rows[rows["target"] == crawlability_site.url("/old-members/")].iloc[0]
    assert redirecting["message"].startswith("The link redirects")
    assert crawlability_site.url("/members/area/") in redirecting["detail"]
    portal = rows[rows["target"] == crawlability_site.url("/members/")].iloc[0]
    assert "Googlebot" in portal["detail"] and '"Patient portal"' in portal["detail"]


def test_allowed_look_alikes_are_not_reported(crawlability_site: Crawl) -> None:
    # /members/join/: Allow /members/join/ is longer than Disallow /members/;
    # /files/public-guide.pdf: Allow /files/public ties Disallow /files/*.pdf$ (13 characters
    # each), and Allow wins a tie; /early/: a rule before any user-agent line binds no crawler
    assert not targets(crawlability_site, "robots-blocks-linked") & ALLOWED_LINKS


def test_links_judged_the_same_when_the_crawl_ignored_robots(
        crawlability_ignoring_robots: Crawl) -> None:
    assert targets(crawlability_ignoring_robots, "robots-blocks-linked") == BLOCKED_LINKS


# --- sitemap-bad-url -------------------------------------------------------------------------


def test_sitemap_bad_urls_reported_on_the_listed_url(crawlability_site: Crawl) -> None:
    rows = crawlability_site.issues("sitemap-bad-url")
    assert crawlability_site.flagged("sitemap-bad-url") == {"/gone/", "/moved/", "/hidden/",
                                                            "/copy/", "/members/list/"}
    assert set(rows["target"]) == {crawlability_site.url("/sitemap.xml")}
    assert all(d.startswith(f"in {crawlability_site.url('/sitemap.xml')}: ")
               for d in rows["detail"])
    by_url = {u.replace(crawlability_site.origin, ""): (m, d) for u, m, d in
              zip(rows["url"], rows["message"], rows["detail"], strict=True)}
    assert "error" in by_url["/gone/"][0] and "HTTP 404" in by_url["/gone/"][1]
    assert ("redirects" in by_url["/moved/"][0]
            and crawlability_site.url("/about/") in by_url["/moved/"][1])
    assert "noindex" in by_url["/hidden/"][0] and "meta robots: noindex" in by_url["/hidden/"][1]
    assert ("canonical" in by_url["/copy/"][0]
            and crawlability_site.url("/about/") in by_url["/copy/"][1])
    assert "robots.txt" in by_url["/members/list/"][0]


def test_good_sitemap_urls_are_not_reported(crawlability_site: Crawl) -> None:
    # a self-canonical page, a future unavailable_after, a bingbot-only noindex, an Allow
    # override, a PDF allowed on a tie
    assert not crawlability_site.flagged("sitemap-bad-url") & {
        "/", "/about/", "/members/join/", "/self-canonical/", "/future/", "/bingbot/",
        "/files/public-guide.pdf"}


def test_disallowed_sitemap_url_found_when_the_crawl_ignored_robots(
        crawlability_ignoring_robots: Crawl) -> None:
    rows = crawlability_ignoring_robots.issues("sitemap-bad-url")
    listed = rows[rows["url"] == crawlability_ignoring_robots.url("/members/list/")].iloc[0]
    # fetched this time, so its noindex is known too; the robots.txt rule comes first
    assert "robots.txt" in listed["message"]
    assert "Googlebot" in listed["detail"] and "noindex" in listed["detail"]


# --- sitemap-missing -------------------------------------------------------------------------


def test_no_sitemap_reported_once_on_the_start_url(crawlability_nositemap: Crawl) -> None:
    rows = crawlability_nositemap.issues("sitemap-missing")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["url"], row["target"]) == (crawlability_nositemap.url("/start/"),
                                           crawlability_nositemap.url("/sitemap.xml"))
    assert "robots.txt names none" in row["message"]
    assert row["detail"] == f"{crawlability_nositemap.url('/sitemap.xml')}: HTTP 404"


def test_a_found_sitemap_is_not_missing(crawlability_site: Crawl,
                                        crawlability_robots503: Crawl) -> None:
    assert crawlability_site.issues("sitemap-missing").empty
    # robots.txt failed, so the crawl looked at /sitemap.xml, and found it
    assert crawlability_robots503.issues("sitemap-missing").empty


# --- noindex: unavailable_after and googlebot ------------------------------------------------


def test_noindex_flags_past_dates_and_googlebot_directives(crawlability_site: Crawl) -> None:
    flagged = crawlability_site.flagged("noindex")
    assert {"/hidden/", "/expired-meta/", "/expired-header/", "/googlebot-noindex/",
            "/googlebot-header/"} <= flagged
    rows = crawlability_site.issues("noindex")
    messages = dict(zip(rows["url"], rows["message"], strict=True))
    assert "date that has passed" in messages[crawlability_site.url("/expired-meta/")]
    # the RFC 850 date holds a comma, inside a longer X-Robots-Tag list
    assert "date that has passed" in messages[crawlability_site.url("/expired-header/")]
    assert messages[crawlability_site.url("/googlebot-header/")] == "The page is marked noindex."


def test_noindex_spares_future_dates_and_other_crawlers(crawlability_site: Crawl) -> None:
    assert not crawlability_site.flagged("noindex") & {"/future/", "/bingbot/",
                                                       "/self-canonical/", "/"}


# --- redirect-chain: the start URL -----------------------------------------------------------


def test_start_url_chain_reported_on_the_start_url(crawlability_nositemap: Crawl) -> None:
    rows = crawlability_nositemap.issues("redirect-chain")
    assert len(rows) == 1
    row = rows.iloc[0]
    start = crawlability_nositemap.url("/start/")
    assert (row["url"], row["target"]) == (start, start)
    assert row["message"] == "The address the audit started from takes 2 redirects."
    assert row["detail"] == (f"{start} (301) -> {crawlability_nositemap.url('/step/')} (302) -> "
                             f"{crawlability_nositemap.url('/home/')} (200)")


def test_a_start_url_that_does_not_redirect_is_not_a_chain(crawlability_site: Crawl) -> None:
    assert crawlability_site.issues("redirect-chain").empty


# --- the clean site --------------------------------------------------------------------------


def test_clean_site_gets_nothing_from_these_checks(clean: Crawl) -> None:
    issues = clean.csv("issues.csv")
    assert issues[issues["check"].isin([*MY_CHECKS, "redirect-chain"])].empty


# --- hand-built frames -----------------------------------------------------------------------

ORIGIN = "https://www.practice.example"
HOME = ORIGIN + "/"
ROBOTS = ORIGIN + "/robots.txt"

FETCH_COLUMNS = ["url", "kind", "status", "content_type", "location", "error",
                 "blocked_by_robots", "challenged"]


def fetch(url: str, kind: str, status: int | None = 200, **facts: Any) -> dict[str, Any]:
    return {"url": url, "kind": kind, "status": status, "content_type": None,
            "location": None, "error": None, "blocked_by_robots": False, "challenged": False,
            **facts}


def context(robots_text: str | None = "User-agent: *\nDisallow:\n",
            robots_status: int | None = 200, robots_error: str | None = None,
            fetches: list[dict[str, Any]] | None = None, **frames: Any) -> AuditContext:
    """An audit context over hand-built frames: a robots.txt as given, its fetch record,
    and no sitemap unless told."""
    records = fetches if fetches is not None else [fetch(ROBOTS, "robots", robots_status)]
    # as audit.load gives it: whether bot protection answered comes from the fetch record
    robots = {"url": ROBOTS, "status": robots_status, "error": robots_error,
              "challenged": any(r["challenged"] for r in records
                                if r["url"] == ROBOTS and r["kind"] == "robots"),
              "text": robots_text if robots_status == 200 else None}
    base: dict[str, Any] = {
        "start_url": HOME, "site": "practice.example", "robots_txt": robots, "resolved": {},
        "fetches": pd.DataFrame(records, columns=FETCH_COLUMNS),
        "sitemap": pd.DataFrame(columns=["sitemap_url", "url", "alternates"])}
    base.update(frames)
    return AuditContext(Frames(base))


def a_links(*targets_and_finals: tuple[str, str | None]) -> pd.DataFrame:
    return pd.DataFrame([{"source_url": HOME, "target_url": target, "element": "a",
                          "kind": "internal", "final_url": final, "anchor_text": "go"}
                         for target, final in targets_and_finals])


def test_rules_longest_match_and_allow_on_a_tie() -> None:
    rules = RobotsRules(ROBOTS, "User-agent: *\nDisallow: /a/\nAllow: /a/b/\n"
                                "Disallow: /p\nAllow: /p\n")
    assert rules.disallows(ORIGIN + "/a/")
    assert rules.disallows(ORIGIN + "/a/c")
    assert not rules.disallows(ORIGIN + "/a/b/c")
    assert not rules.disallows(ORIGIN + "/p")  # a tie: Allow wins
    assert not rules.disallows(ORIGIN + "/robots.txt")


def test_rules_govern_their_own_origin_only() -> None:
    rules = RobotsRules(ROBOTS, "User-agent: *\nDisallow: /\n")
    assert rules.disallows(ORIGIN + "/x")
    assert not rules.disallows("http://www.practice.example/x")  # another scheme
    assert not rules.disallows("https://practice.example/x")  # another host
    assert origin("HTTPS://WWW.Practice.example:443/x") == "https://www.practice.example:443"


def test_rules_are_googlebots() -> None:
    # A site that lets only search engines in is crawlable for Google ...
    only_search = "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nAllow: /\n"
    assert not RobotsRules(ROBOTS, only_search).disallows(ORIGIN + "/services/")
    # ... and a Googlebot group replaces the * group for Google
    google_out = "User-agent: Googlebot\nDisallow: /team/\n\nUser-agent: *\nDisallow:\n"
    assert RobotsRules(ROBOTS, google_out).disallows(ORIGIN + "/team/")
    # another crawler's group, or Google's image crawler's, says nothing of Googlebot
    others = "User-agent: Googlebot-Image\nDisallow: /\n\nUser-agent: BadBot\nDisallow: /\n"
    assert not RobotsRules(ROBOTS, others).disallows(ORIGIN + "/")


def test_blocked_links_judged_for_googlebot_only() -> None:
    text = "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nDisallow: /portal/\n"
    ctx = context(text, links=a_links((ORIGIN + "/portal/", ORIGIN + "/portal/"),
                                      (ORIGIN + "/services/", ORIGIN + "/services/"),
                                      ("http://www.practice.example/portal/", None)))
    found = robots_blocks_linked(ctx)
    assert found["target"].tolist() == [ORIGIN + "/portal/"]


def test_blocked_links_need_rules() -> None:
    links = a_links((ORIGIN + "/portal/", ORIGIN + "/portal/"))
    for status in (404, 503):
        assert robots_blocks_linked(context("User-agent: *\nDisallow: /\n", status,
                                            links=links)).empty


def test_robots_txt_that_is_a_web_page_is_one_row() -> None:
    page = "<!DOCTYPE html>\n<html><head><title>Page not found</title></head>\n" * 30
    found = robots_txt_invalid(context(page))
    assert len(found) == 1
    assert found.iloc[0]["message"] == ("robots.txt answers with a web page instead of "
                                        "crawling rules.")


def test_many_robots_txt_problems_are_summed_up() -> None:
    text = "User-agent: *\n" + "".join(f"Disalow: /x{i}/\n" for i in range(50))
    found = robots_txt_invalid(context(text))
    assert len(found) == ROBOTS_TXT_MAX_ROWS + 1
    assert found.iloc[-1]["message"] == f"{50 - ROBOTS_TXT_MAX_ROWS} more problem(s) in robots.txt."


@pytest.mark.parametrize("text", ["", "User-agent: *\nDisallow:\n",
                                  "\ufeffUser-agent: *\nDisallow: /private/  # staff only\n"
                                  "Crawl-delay: 5\nHost: practice.example\n"
                                  f"Sitemap: {ORIGIN}/sitemap.xml\n"])
def test_valid_robots_txt_is_not_reported(text: str) -> None:
    assert robots_txt_invalid(context(text)).empty


def test_robots_txt_status_cases() -> None:
    assert robots_txt_invalid(context(None, 404)).empty  # no file: Google crawls everything
    assert len(robots_txt_invalid(context(None, 500))) == 1
    # a bot-protection page answering our crawler is not the site's answer to Google
    challenged = [fetch(ROBOTS, "robots", 503, challenged=True)]
    assert robots_txt_invalid(context(None, 503, fetches=challenged)).empty
    unanswered = robots_txt_invalid(context(None, None, robots_error="timed out after 30 s"))
    assert len(unanswered) == 1 and "timed out" in unanswered.iloc[0]["detail"]


def pages_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"ok": True, "extracted": True, "noindex": False, "noindex_reason": None,
            "canonical_elsewhere": False, "canonical": None}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_sitemap_urls_refusing_the_crawler_or_on_another_site_are_not_judged() -> None:
    sitemap = pd.DataFrame({"sitemap_url": ORIGIN + "/sitemap.xml",
                            "url": [ORIGIN + "/busy/", ORIGIN + "/challenged/",
                                    "https://elsewhere.example/gone/", ORIGIN + "/fine/"]})
    resolved = {
        ORIGIN + "/busy/": Resolution(ORIGIN + "/busy/", 429, [], False, None, False, True),
        ORIGIN + "/challenged/": Resolution(ORIGIN + "/challenged/", 403, [], False, None,
                                            False, True, challenged=True),
        ORIGIN + "/fine/": Resolution(ORIGIN + "/fine/", 200, [], False, None, False, True)}
    ctx = context(sitemap=sitemap, resolved=resolved,
                  pages=pages_frame({"url": ORIGIN + "/fine/"}))
    assert sitemap_bad_url(ctx).empty


def test_sitemap_url_listed_in_two_sitemaps_is_reported_for_each() -> None:
    gone = ORIGIN + "/gone/"
    sitemap = pd.DataFrame({"sitemap_url": [ORIGIN + "/a.xml", ORIGIN + "/b.xml"],
                            "url": [gone, gone]})
    resolved = {gone: Resolution(gone, 410, [], False, None, False, True)}
    found = sitemap_bad_url(context(sitemap=sitemap, resolved=resolved,
                                    pages=pages_frame({"url": gone, "ok": False})))
    assert sorted(found["target"]) == [ORIGIN + "/a.xml", ORIGIN + "/b.xml"]
    assert set(found["detail"]) == {f"in {ORIGIN}/a.xml: answers HTTP 410",
                                    f"in {ORIGIN}/b.xml: answers HTTP 410"}


def test_sitemap_named_in_robots_txt_that_fails() -> None:
    named = ORIGIN + "/sitemap_index.xml"
    found = sitemap_missing(context(f"User-agent: *\nDisallow:\nSitemap: {named}\n",
                                    fetches=[fetch(ROBOTS, "robots"),
                                             fetch(named, "sitemap", 404)]))
    assert found["message"].tolist() == [
        "No sitemap found: the sitemap robots.txt names does not answer with one."]
    assert found.iloc[0]["detail"] == f"{named}: HTTP 404"


def test_a_web_page_at_sitemap_xml_is_no_sitemap() -> None:
    asked = ORIGIN + "/sitemap.xml"
    records = [fetch(ROBOTS, "robots"),
               fetch(asked, "sitemap", 301, location=ORIGIN + "/sitemap/"),
               fetch(ORIGIN + "/sitemap/", "sitemap", 200, content_type="text/html")]
    found = sitemap_missing(context(fetches=records))
    assert found.iloc[0]["detail"] == (f"{asked}: HTTP 301 to {ORIGIN}/sitemap/; "
                                       f"{ORIGIN}/sitemap/: HTTP 200, a web page, not a sitemap")


@pytest.mark.parametrize("answer", [
    {"status": 200, "content_type": "application/xml"},  # an empty or unreadable sitemap
    {"status": 200, "content_type": None},
    {"status": None, "error": "blocked by robots.txt", "blocked_by_robots": True},
    {"status": 403, "challenged": True},
    {"status": 429},
])
def test_sitemap_not_called_missing_without_proof(answer: dict[str, Any]) -> None:
    records = [fetch(ROBOTS, "robots"),
               fetch(ORIGIN + "/sitemap.xml", "sitemap", **answer)]
    assert sitemap_missing(context(fetches=records)).empty


def test_sitemap_not_called_missing_when_never_looked_for() -> None:
    assert sitemap_missing(context(None, None, fetches=[
        fetch(ROBOTS, "robots", None, error="connection refused")])).empty


def chain_links(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"source_url": HOME, "element": "a", "redirect_hops": 0, "redirect_loop": False,
            "broken": False, "redirect_chain": [], "final_url": None, "final_status": None}
    return pd.DataFrame([{**base, **row} for row in rows],
                        columns=[*base, "target_url"])


def test_start_chain_not_repeated_when_a_page_links_the_start_url() -> None:
    start = "http://practice.example/"
    hops = [[start, 301], ["https://practice.example/", 301]]
    resolved = {start: Resolution(HOME, 200, hops, False, None, False, True)}
    linked = chain_links({"target_url": start, "redirect_hops": 2, "redirect_chain": hops,
                          "final_url": HOME, "final_status": 200})
    found = redirect_chain(context(start_url=start, resolved=resolved, links=linked))
    assert found["url"].tolist() == [HOME]  # the link's row, on the linking page
    alone = redirect_chain(context(start_url=start, resolved=resolved,
                                   links=chain_links()))
    assert alone["url"].tolist() == [start]
    assert alone.iloc[0]["detail"] == (f"{start} (301) -> https://practice.example/ (301) -> "
                                       f"{HOME} (200)")


@pytest.mark.parametrize("resolution", [
    Resolution(HOME, 200, [["http://practice.example/", 301]], False, None, False, True),
    Resolution(HOME, 404, [["a", 301], ["b", 301]], False, None, False, True),
    Resolution("a", None, [["a", 301], ["b", 301]], True, "redirect loop", False, True),
])
def test_start_url_one_hop_broken_or_looping_is_no_chain(resolution: Resolution) -> None:
    start = "http://practice.example/"
    ctx = context(start_url=start, resolved={start: resolution}, links=chain_links())
    assert redirect_chain(ctx).empty
