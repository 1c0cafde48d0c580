"""`seo-audit crawl --render`: pages read from headless Chromium's DOM (spiders.render), and the
checks that compare it with the server's HTML (audit.checks.render).

The crawls (tests/render_sites.py) serve tests/sites/js_nav (a menu written by script, a title
set by script, a script rewriting the address bar, a page that never stops polling) and
tests/sites/js_stubs (loader stubs whose content a script fetches, one folder of it disallowed
by robots.txt) on 127.0.0.1, and drive a real Chromium.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pandas as pd

from audit.checks.render import render_suggestion
from audit.load import Frames
from audit.registry import AuditContext, run_checks
from audit.site_server import serve
from tests.conftest import SITES, Crawl, run_cli

NAV_PAGES = {"/", "/plain/", "/about/", "/services/", "/contact/"}


def html_pages(crawl: Crawl) -> pd.DataFrame:
    pages = crawl.csv("pages.csv")
    pages = pages[pages["content_type"].str.startswith("text/html") & (pages["status"] == "200")]
    return pages.assign(path=pages["url"].str.replace(crawl.origin, "")).set_index("path")


def page_records(crawl: Crawl) -> dict[str, dict]:
    lines = (crawl.out / "crawl" / "pages.jsonl").read_text("utf-8").splitlines()
    return {(r := json.loads(line))["url"].replace(crawl.origin, ""): r for line in lines}


# -- without --render: what plain HTML links -----------------------------------------------

def test_without_render_the_crawl_reaches_only_what_plain_html_links(js_nav_plain: Crawl,
                                                                      js_stubs_plain: Crawl):
    assert set(html_pages(js_nav_plain).index) == {"/", "/plain/"}
    assert set(html_pages(js_stubs_plain).index) == {"/", "/privacy/"}
    assert set(html_pages(js_nav_plain)["rendered"]) == {"False"}
    # the stub as the server sends it: a spinner, no heading
    assert html_pages(js_stubs_plain).loc["/", "h1"] == ""
    assert js_stubs_plain.flagged("links-need-javascript") == set()


def test_a_small_crawl_of_a_scripted_site_suggests_render(js_nav_plain: Crawl,
                                                          js_stubs_rendered: Crawl):
    hint = [line for line in js_nav_plain.result.stderr.splitlines() if "--render" in line]
    assert len(hint) == 1 and "Only 2 page(s) found" in hint[0]
    assert 'id="render-hint"' in (js_nav_plain.out / "report.html").read_text("utf-8")
    # not a finding, and never said once the crawl rendered
    assert not js_nav_plain.issues("render-hint").shape[0]
    assert "--render" not in js_stubs_rendered.result.stderr
    assert 'id="render-hint"' not in (js_stubs_rendered.out / "report.html").read_text("utf-8")


def test_the_suggestion_needs_few_pages_and_a_scripted_start_page():
    def frames(count: int, scripts: int) -> Frames:
        urls = ["http://a.test/"] + [f"http://a.test/{i}/" for i in range(1, count)]
        pages = pd.DataFrame({"url": urls, "ok": True, "extracted": True, "rendered": False,
                              "scripts": [scripts] + [0] * (count - 1),
                              "link_depth": range(count)})
        return Frames(pages=pages, manifest={"start_url": "http://a.test/"})

    assert render_suggestion(frames(2, 3))
    assert render_suggestion(frames(2, 0)) is None  # no script: nothing a browser adds
    assert render_suggestion(frames(12, 3)) is None  # the crawl found the site


# -- with --render: what a browser shows --------------------------------------------------

def test_render_reaches_every_page_with_its_real_headings(js_nav_rendered: Crawl):
    pages = html_pages(js_nav_rendered)
    assert set(pages.index) == NAV_PAGES
    assert set(pages["rendered"]) == {"True"}
    assert pages.loc["/services/", "h1"] == "Individual and couples therapy"
    assert pages.loc["/contact/", "h1"] == "Contact us"


def test_a_title_set_by_script_is_the_rendered_title(js_nav_rendered: Crawl):
    assert html_pages(js_nav_rendered).loc["/about/", "title"] == \
        "About Our Therapists | Harbor Light Counseling"


def test_a_script_rewriting_the_address_bar_does_not_rename_the_page(js_nav_rendered: Crawl):
    fetched = set(js_nav_rendered.csv("links.csv")["target_url"]) | set(
        js_nav_rendered.csv("pages.csv")["url"])
    assert not [url for url in fetched if "treatments" in url]
    assert page_records(js_nav_rendered)["/services/"]["rendered"] is True


def test_a_page_that_never_settles_is_read_and_says_so(js_nav_rendered: Crawl):
    contact = page_records(js_nav_rendered)["/contact/"]
    assert contact["rendered"] is True
    assert "network still busy after 3 s" in contact["render_note"]
    assert page_records(js_nav_rendered)["/about/"]["render_note"] is None


def test_links_need_javascript_names_the_script_only_links(js_nav_rendered: Crawl):
    flagged = js_nav_rendered.issues("links-need-javascript").set_index("url")
    home = flagged.loc[js_nav_rendered.url("/")]
    assert home["severity"] == "notice"
    assert js_nav_rendered.url("/about/") in home["message"]
    # /plain/ runs no script: its rendered links are its HTML links
    assert js_nav_rendered.flagged("links-need-javascript") == NAV_PAGES - {"/plain/"}


def test_loader_stubs_show_their_fetched_content_text_and_nap(js_stubs_rendered: Crawl):
    pages = html_pages(js_stubs_rendered)
    assert set(pages.index) == {"/", "/privacy/", "/about/", "/fees/"}
    assert pages.loc["/", "h1"] == "Online therapy across California"
    assert pages.loc["/fees/", "h1"] == "Fees and insurance"
    assert int(pages.loc["/", "word_count"]) > 80
    nap = js_stubs_rendered.csv("nap.csv")
    home = nap[nap["url"] == js_stubs_rendered.url("/")]
    assert "+14155550187" in set(home["normalized"])
    # the broken link inside fetched content is found and reported on its page
    broken = js_stubs_rendered.issues("broken-link")
    assert set(broken["target"]) == {js_stubs_rendered.url("/old-intake-form/")}
    assert set(broken["url"]) == {js_stubs_rendered.url("/fees/")}


def test_a_resource_robots_txt_disallows_is_named_and_never_a_page(js_stubs_rendered: Crawl):
    blocked = js_stubs_rendered.issues("render-blocked-resource")
    resource = js_stubs_rendered.url("/content/about.html")
    assert list(blocked["url"]) == [js_stubs_rendered.url("/about/")]
    assert list(blocked["target"]) == [resource] and resource in blocked["message"].iloc[0]
    assert set(blocked["severity"]) == {"warning"}
    # what Google's renderer sees: the spinner
    assert html_pages(js_stubs_rendered).loc["/about/", "h1"] == ""
    urls = set(js_stubs_rendered.csv("pages.csv")["url"]) | set(
        js_stubs_rendered.csv("links.csv")["target_url"])
    assert not [url for url in urls if "/content/" in url or "/partials/" in url]


def test_ignoring_robots_the_browser_loads_the_content(js_stubs_rendered_ignoring_robots: Crawl):
    crawl = js_stubs_rendered_ignoring_robots
    assert html_pages(crawl).loc["/about/", "h1"] == "About Dr. Maya Chen"
    # a fresh browser context for each page (the fixture's setting): every page rendered
    records = page_records(crawl)
    assert set(records) == {"/", "/privacy/", "/about/", "/fees/"}
    assert all(r["rendered"] and r["render_note"] is None for r in records.values())
    assert crawl.issues("render-blocked-resource").empty


def test_render_without_a_browser_is_one_line_and_exit_2(tmp_path):
    result = run_cli("crawl", "http://127.0.0.1:9/", "--out", str(tmp_path / "out"),
                     "--render", env={"SEO_AUDIT_BROWSER": str(tmp_path / "no-chromium")})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install chromium" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "crawl" / "fetches.jsonl").exists()


# -- the checks on hand-built frames ---------------------------------------------------------

def _audit(pages: pd.DataFrame, check: str) -> pd.DataFrame:
    found = run_checks(AuditContext(frames=Frames(pages=pages)), only={check})
    return found[found["check"] == check]


def _pages(**columns: list) -> pd.DataFrame:
    base = {"url": ["http://a.test/", "http://a.test/b/"], "ok": [True, True],
            "extracted": [True, True], "rendered": [True, True]}
    return pd.DataFrame({**base, **columns})


def test_links_need_javascript_only_where_the_rendered_links_differ():
    pages = _pages(js_links=[["http://a.test/c/"], []])
    assert list(_audit(pages, "links-need-javascript")["url"]) == ["http://a.test/"]
    unrendered = pages.assign(rendered=[False, False])
    assert _audit(unrendered, "links-need-javascript").empty


def test_render_blocked_resource_one_finding_per_resource():
    pages = _pages(blocked_resources=[["http://a.test/content/x.json",
                                       "http://a.test/content/y.html"], None])
    found = _audit(pages, "render-blocked-resource")
    assert list(found["target"]) == ["http://a.test/content/x.json",
                                     "http://a.test/content/y.html"]
    assert _audit(pages.assign(rendered=[False, False]), "render-blocked-resource").empty


# -- Ctrl-C and --resume -----------------------------------------------------------------------

def test_ctrl_c_and_resume_work_as_in_a_plain_crawl(tmp_path):
    out = tmp_path / "out"
    with serve(SITES / "js_nav") as server:
        command = [sys.executable, "-m", "audit.cli", "crawl", server.url + "/", "--out",
                   str(out), "--quiet", "--no-external", "--render",
                   "--set", "SEO_RENDER_TIMEOUT=2"]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        pages = out / "crawl" / "pages.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (pages.exists() and pages.read_text()):
            time.sleep(0.1)
        child.send_signal(signal.SIGINT)  # as a terminal's Ctrl-C reaches seo-audit
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert json.loads((out / "crawl" / "manifest.json").read_text())["interrupted"]
        resumed = run_cli("crawl", server.url + "/", "--out", str(out), "--quiet",
                          "--no-external", "--render", "--resume",
                          "--set", "SEO_RENDER_TIMEOUT=2")
        assert resumed.returncode == 0, resumed.stderr
    records = [json.loads(line) for line in pages.read_text("utf-8").splitlines()]
    urls = [r["url"].replace(server.url, "") for r in records]
    assert sorted(urls) == sorted(NAV_PAGES)  # every page once, none lost, none twice
    assert all(r["rendered"] for r in records)
