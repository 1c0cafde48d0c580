"""Hostile sites and bad hosting: the audit finishes, tells the truth about what it could not
check, and reports no false broken link."""

from __future__ import annotations

import json


def _fetches(crawl) -> dict[str, dict]:
    lines = (crawl.out / "crawl" / "fetches.jsonl").read_text().splitlines()
    return {r["url"]: r for r in map(json.loads, lines)}


def test_rate_limit_is_waited_out_not_reported(trap):
    busy = _fetches(trap)[trap.url("/busy/")]
    assert busy["status"] == 200  # the 429 with Retry-After: 1 was honoured
    issues = trap.csv("issues.csv")
    about_busy = issues[(issues["url"] == trap.url("/busy/"))
                        | (issues["target"] == trap.url("/busy/"))]
    assert not about_busy["check"].isin(["page-error", "page-blocked", "broken-link",
                                         "link-unverified"]).any()


def test_blocked_external_links_are_unverified_never_broken(trap):
    unverified = set(trap.issues("link-unverified")["target"])
    assert unverified == {trap.external + p
                          for p in ("/challenge", "/linkedin", "/ratelimit", "/sleepy")}
    broken_targets = set(trap.issues("broken-link")["target"])
    assert not broken_targets & unverified
    ratelimit = _fetches(trap)[trap.external + "/ratelimit"]
    assert ratelimit["status"] == 429  # Retry-After: 3600 is longer than we wait


def test_numbered_pages_are_not_a_trap(trap):
    # /deep/deep/... and ?month= are traps; a numbered slug alone is not
    assert all(t.startswith(("/calendar/", "deep/")) for t in trap.issues("crawl-trap")["target"])


def test_calendar_and_nested_links_are_cut_and_named(trap):
    traps = trap.issues("crawl-trap")
    patterns = set(traps["target"])
    assert "/calendar/?…" in patterns
    assert any(p.startswith("deep/deep/deep") for p in patterns)
    calendar_pages = [u for u in _fetches(trap) if "/calendar/" in u]
    assert len(calendar_pages) <= 11


def test_limits_on_size_time_and_connections(trap):
    fetches = _fetches(trap)
    assert fetches[trap.url("/bomb/")]["error"].startswith("larger than the download")
    assert trap.flagged("page-too-large") == {"/bomb/"}
    assert fetches[trap.url("/slow/")]["error"] == "timed out after 2 s"
    assert trap.flagged("page-unreachable") == {"/slow/", "/dropped/"}


def test_redirect_leaving_the_site_is_checked_not_crawled(trap):
    fetches = _fetches(trap)
    assert fetches[trap.url("/leaves/")]["location"] == trap.external + "/ok"
    assert fetches[trap.external + "/ok"]["kind"] == "external"
    pages = trap.csv("pages.csv")
    assert not pages["url"].str.startswith(trap.external).any()


def test_blocked_crawler_stops_early_and_says_so(fortress):
    fetched = (fortress.out / "crawl" / "fetches.jsonl").read_text().count("\n")
    assert fetched < 30, "the crawl should stop once it is clearly blocked"
    assert fortress.flagged("crawl-blocked") == {"/"}
    assert fortress.flagged("page-error") == set() and fortress.flagged("broken-link") == set()
    assert len(fortress.flagged("page-blocked")) >= 9
    state = json.loads((fortress.out / "crawl" / "spider_state.json").read_text())
    assert state["blocked"] is True and state["close_reason"] == "blocked"
    assert "bot protection refused most of our requests" in \
        (fortress.out / "report.html").read_text("utf-8")


def test_page_limit_is_reported(clinic_limited):
    limit = clinic_limited.issues("crawl-limit-reached")
    assert len(limit) == 1 and limit.iloc[0]["message"].startswith("Stopped at 3 pages")
    assert len(clinic_limited.csv("pages.csv").query("kind == 'page'")) <= 3


def test_slow_external_host_costs_one_timeout(trap):
    sleepy = _fetches(trap)[trap.external + "/sleepy"]
    assert sleepy["error"] == "timed out after 1 s"
    assert trap.external_hits["/sleepy"] == 1  # no retry, no GET after a timed-out HEAD


def _one_page_linking_to_slow_host(tmp_path, count):
    """A one-page site whose page links to /p1.html ... /pCOUNT.html of the external host."""
    site = tmp_path / "site"
    site.mkdir()
    links = "".join(f'<a href="{{{{EXTERNAL}}}}/p{i}.html">p{i}</a>'
                    for i in range(1, count + 1))
    (site / "index.html").write_text(
        f"<html><head><title>Links</title></head><body>{links}</body></html>", "utf-8")
    return site


def test_a_host_that_keeps_timing_out_is_not_asked_again(tmp_path):
    # Six links to a host that answers after 0.6 s, checked one at a time with a 0.2 s
    # timeout: once two have timed out the others are not asked (each would wait the same
    # 0.2 s for nothing); all six are reported unverified, none broken.
    from audit.site_server import serve
    from tests.conftest import SITES, Crawl, run_cli

    site = _one_page_linking_to_slow_host(tmp_path, 6)
    outcome = {}
    for limit in ("2", "0"):
        with serve(site, external=SITES / "slow") as server:
            out = tmp_path / f"out-{limit}"
            result = run_cli("crawl", server.url + "/", "--out", str(out), "--quiet",
                             "--concurrency", "1", "--set", "EXTERNAL_TIMEOUT=0.2",
                             "--set", f"SEO_EXTERNAL_HOST_TIMEOUTS={limit}")
            assert result.returncode == 0, result.stderr
            crawl = Crawl(out, server, result)
            asked = sum(n for path, n in server.external.hits().items()
                        if path.startswith("/p"))
            outcome[limit] = (asked, crawl)
    asked, crawl = outcome["2"]
    assert asked == 2
    assert len(crawl.issues("link-unverified")) == 6
    assert crawl.issues("broken-link").empty
    not_asked = [r for r in _fetches(crawl).values()
                 if r["kind"] == "external" and "not asked" in (r["error"] or "")]
    assert len(not_asked) == 6 - asked
    assert all(r["error"].startswith("timed out") for r in not_asked)
    asked_all, crawl_all = outcome["0"]  # the limit off: every address is asked
    assert asked_all == 6 and len(crawl_all.issues("link-unverified")) == 6


def _crawl_against_slow_host(site, out, timeout: float):
    """Crawl ``site`` (default concurrency) with its external host answering after 0.6 s;
    the crawl and how many of the host's /pN.html addresses were asked."""
    from audit.site_server import serve
    from tests.conftest import SITES, Crawl, run_cli

    with serve(site, external=SITES / "slow") as server:
        result = run_cli("crawl", server.url + "/", "--out", str(out), "--quiet",
                         "--set", f"EXTERNAL_TIMEOUT={timeout}")
        assert result.returncode == 0, result.stderr
        crawl = Crawl(out, server, result)
        asked = sum(n for path, n in server.external.hits().items() if path.startswith("/p"))
    return crawl, asked


def test_checks_of_a_silent_host_wait_in_the_spider_not_in_the_downloader(tmp_path):
    # Twelve links to a host that answers after 0.6 s, with the default concurrency (16 in
    # all, 8 per host) and a 0.2 s timeout. Scrapy's downloader would take all twelve at once
    # and ask them all; held in the spider, eight go out, time out, and the other four are
    # not asked.
    crawl, asked = _crawl_against_slow_host(_one_page_linking_to_slow_host(tmp_path, 12),
                                            tmp_path / "out", timeout=0.2)
    assert asked == 8
    checks = [r for r in _fetches(crawl).values() if r["kind"] == "external"]
    assert len(checks) == 12 and all(r["error"].startswith("timed out") for r in checks)
    assert sum("not asked" in r["error"] for r in checks) == 4
    assert len(crawl.issues("link-unverified")) == 12 and crawl.issues("broken-link").empty


def test_checks_held_for_a_host_wait_for_its_other_checks_to_time_out(tmp_path):
    # One check of a silent host goes out first; seven more a little later (from a page that
    # answers after 0.2 s), and two are held back (8 per host). When the first times out,
    # the other seven are still out: the held two wait for them instead of going out at once,
    # and by then the host has timed out twice or more, so they are not asked at all.
    site = tmp_path / "site"
    (site / "late").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><head><title>Start</title></head><body><a href="{{EXTERNAL}}/p1.html">p1</a>'
        '<a href="/late/">later</a></body></html>', "utf-8")
    links = "".join(f'<a href="{{{{EXTERNAL}}}}/p{i}.html">p{i}</a>' for i in range(2, 11))
    (site / "late" / "index.html").write_text(
        f"<html><head><title>Later</title></head><body>{links}</body></html>", "utf-8")
    (site / "_routes.json").write_text('{"/late/": {"delay": 0.2}}', "utf-8")
    crawl, asked = _crawl_against_slow_host(site, tmp_path / "out", timeout=0.5)
    assert asked == 8
    checks = [r for r in _fetches(crawl).values() if r["kind"] == "external"]
    assert len(checks) == 10 and all(r["error"].startswith("timed out") for r in checks)
    assert sum("not asked" in r["error"] for r in checks) == 2
