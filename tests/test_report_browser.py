"""report.html in a real browser: Debian's Chromium, headless, driven by Playwright.

The report is opened from disk (file://) with every network request refused and recorded, as an
owner would open the file from an email attachment. Screenshots and a PDF go to test-artifacts/.
Chromium comes from the system (`make test` installs it when /usr/bin/chromium is missing);
`playwright install` is never used.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from tests.fabricated_crawl import built_report

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SECTIONS = ["#since", "#summary", "#business", "#issues", "#locations", "#pages", "#about"]


@dataclass
class Tab:
    """A browser tab on one report, with everything that went wrong while it was open."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_report(browser: object, report: Path, javascript: bool = True) -> Tab:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    tab = Tab(page)

    def refuse(route: object) -> None:
        if not route.request.url.startswith("file://"):
            tab.requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", refuse)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(str(e)))

    def dialog(d: object) -> None:
        tab.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(report.resolve().as_uri())
    return tab


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo practice site, crawled and reported by the real command line."""
    out = tmp_path_factory.mktemp("demo") / "out"
    result = subprocess.run([sys.executable, "-m", "audit.cli", "demo", "--out", str(out),
                             "--quiet"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_demo_report_shows_every_section(browser: object, demo: Path) -> None:
    tab = open_report(browser, demo / "report.html")
    page = tab.page
    for selector in SECTIONS:
        assert page.locator(selector).is_visible(), f"{selector} is not visible"
    header = page.locator("header.masthead").inner_text()
    assert "Checked on" in header and "Crawl time" in header and "Obeyed" in header
    issues = _csv(demo, "issues.csv")
    for severity in ("error", "warning", "notice"):
        shown = page.locator(f"#count-{severity}").inner_text()
        assert shown == str((issues["severity"] == severity).sum())
    score = page.locator(".gauge-number").text_content()
    assert score.isdigit() and 0 <= int(score) <= 100
    assert "Score = 100 ×" in page.locator("#score-formula").inner_text()
    # the charts draw real bars
    assert page.locator("#chart-categories svg rect.bar").count() >= 3
    assert page.locator("#chart-status svg rect.bar").count() >= 2
    assert page.locator("#coverage-grid svg.glyph rect.on").count() > 10
    # business details: the planted wrong phone number is marked
    phone = page.locator("#biz-phone")
    assert phone.locator(".pill.mismatch").count() >= 1
    assert "(310) 999-4969" in phone.inner_text()
    # every check that found something is explained, with how to fix it, most severe first
    articles = page.locator("article.check")
    assert articles.count() == issues["check"].nunique()
    # in each section ("What to fix", then "Patient trust and compliance")
    order = {"error": 0, "warning": 1, "notice": 2}
    for section in ("#issues", "#compliance"):
        severities = [c.split("sev-")[1] for c in page.locator(f"{section} article.check")
                      .evaluate_all("els => els.map(e => e.className)")]
        assert severities == sorted(severities, key=order.__getitem__)
    assert page.locator("#compliance article.check").count() >= 1  # the demo plants them
    first = page.locator("#issues article.check").first
    assert first.locator("p.fix").is_visible() and first.locator("table a").count() >= 1
    assert not tab.errors, tab.errors  # a CSP refusing our own script would show here
    assert not tab.requests, f"the report tried to load {tab.requests}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-demo.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.screenshot(path=str(ARTIFACTS / "report-demo-top.png"))


def _column(page: object, index: int) -> list[str]:
    return page.locator("#pages-table tbody tr:not([hidden])").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}].dataset.sort ?? r.cells[{index}].textContent)")


def test_page_table_sorts_and_filters(browser: object, demo: Path) -> None:
    page = open_report(browser, demo / "report.html").page
    rows = page.locator("#pages-table tbody tr")
    total = rows.count()
    assert page.locator("#pages-tools").is_visible()
    assert page.locator("#pages-count").inner_text() == f"Showing {total} of {total}"

    words = page.locator("#pages-table thead button", has_text="Words")
    words.click()
    first = [float(v) for v in _column(page, 3)]
    assert first == sorted(first, reverse=True) and first[0] > first[-1]
    assert page.locator("#pages-table thead th").nth(3).get_attribute("aria-sort") == \
        "descending"
    words.click()
    assert [float(v) for v in _column(page, 3)] == sorted(first)
    page.locator("#pages-table thead button", has_text="Page").click()
    titles = [t.lower() for t in _column(page, 0)]
    assert titles == sorted(titles)

    page.fill("#pages-search", "services/")
    visible = page.locator("#pages-table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("services/" in t for t in visible.all_inner_texts())
    assert page.locator("#pages-count").inner_text() == f"Showing {visible.count()} of {total}"
    page.fill("#pages-search", "")

    issues, pages = _csv(demo, "issues.csv"), _csv(demo, "pages.csv")
    listed = set(pages.loc[pages["kind"] == "page", "url"])
    with_errors = set(issues.loc[issues["severity"] == "error", "url"]) & listed
    page.select_option("#pages-show", "error")
    assert visible.count() == len(with_errors)
    shown = visible.evaluate_all("rows => rows.map(r => r.querySelector('a').href)")
    assert set(shown) == with_errors
    page.select_option("#pages-show", "all")
    assert visible.count() == total


@pytest.mark.parametrize("javascript", [True, False])
def test_demo_report_shows_what_changed_since_last_month(browser: object, demo: Path,
                                                         javascript: bool) -> None:
    """The demo audits its site as it was a month ago, then as it is: the report opens with
    what changed, the phone number that went wrong first."""
    page = open_report(browser, demo / "report.html", javascript=javascript).page
    since = page.locator("#since")
    assert since.is_visible()
    assert page.locator("#practice-name").inner_text() == "Blair Wellness Group"
    changes = _csv(demo, "changes.csv")["change"].value_counts()
    for change in ("fixed", "new", "unchanged"):
        assert page.locator(f"#since-{change}").inner_text() == str(changes.get(change, 0))
    assert page.locator("#since-date").inner_text().strip()
    nap = page.locator("#since-nap")
    assert nap.is_visible() and "(310) 999-4969" in nap.inner_text()
    assert "/fees/" in nap.inner_text()
    fixed, new = page.locator("#since-fixed-list"), page.locator("#since-new-list")
    assert "Title may be cut off" in fixed.inner_text() and fixed.is_visible()
    assert "Wrong phone number" in new.inner_text() and new.is_visible()
    box = since.bounding_box()
    assert box is not None and box["y"] < page.locator("#summary").bounding_box()["y"]


def test_report_reads_without_javascript(browser: object, demo: Path) -> None:
    tab = open_report(browser, demo / "report.html", javascript=False)
    page = tab.page
    for selector in SECTIONS:
        assert page.locator(selector).is_visible()
    rows = page.locator("#pages-table tbody tr")
    assert rows.count() > 10 and rows.last.is_visible()
    assert not page.locator("#pages-tools").is_visible(), "controls that cannot work are hidden"
    assert page.locator("#chart-status svg").is_visible()


def test_hostile_page_runs_nothing(browser: object, clinic_hostile) -> None:
    report = clinic_hostile.out / "report.html"
    static = open_report(browser, report, javascript=False).page
    static_count = static.evaluate("document.getElementsByTagName('*').length")
    tab = open_report(browser, report)
    page = tab.page
    page.wait_for_timeout(300)  # time for anything that would fire late
    assert tab.dialogs == []
    assert page.evaluate("document.scripts.length") == 1  # ours only
    sort_buttons = page.locator("#pages-table thead button").count()
    # our script adds exactly its sort buttons; a crawled string adds nothing
    assert page.evaluate("document.getElementsByTagName('*').length") == \
        static_count + sort_buttons
    assert page.locator("img, iframe, object, embed, [onerror], [onclick]").count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    title = page.locator("#pages-table td.page", has_text="<script>alert(1)</script>")
    assert title.count() == 1 and title.is_visible(), "the hostile title is shown, as text"
    assert not tab.requests


def test_print_shows_every_finding_and_no_controls(browser: object, demo: Path) -> None:
    page = open_report(browser, demo / "report.html").page
    closed = page.locator("article.check details:not([open]) table").first
    assert not closed.is_visible()
    page.emulate_media(media="print")
    assert closed.is_visible(), "a closed section must print its findings"
    assert not page.locator("#pages-tools").is_visible()
    assert not page.locator("nav.toc").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-demo.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=True)
    assert pdf.stat().st_size > 20_000


def test_report_of_10000_pages_opens_in_seconds(browser: object,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    report = built_report(tmp_path_factory).out / "report.html"
    started = time.monotonic()
    tab = open_report(browser, report)
    tab.page.wait_for_load_state("load")
    opened = time.monotonic() - started
    print(f"\n10,000-page report opened in Chromium in {opened:.2f} s")
    assert opened < 5
    page = tab.page
    assert page.locator("#pages-table tbody tr").count() == 1000
    assert "All 10,001 are in pages.csv" in page.locator("#pages-note").inner_text()
    started = time.monotonic()
    page.locator("#pages-table thead button", has_text="Words").click()
    assert time.monotonic() - started < 2
    assert not tab.errors and not tab.dialogs and not tab.requests
