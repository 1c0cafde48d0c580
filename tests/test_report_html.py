"""report.html: the score, the sections, the safety of what it embeds, and its size at scale."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from audit.business import canonical_record, nap_table
from audit.cli import build_reports
from audit.load import Frames, load
from audit.profile import Profile
from audit.registry import FINDING_COLUMNS
from reports.html import (
    MAX_PAGE_ROWS,
    MAX_ROWS_PER_CHECK,
    SCORE_FORMULA,
    health_score,
    location_coverage,
    render_html,
    status_chart,
)
from tests.fabricated_crawl import (
    HOSTILE_JSONLD,
    HOSTILE_TITLE,
    ORIGIN,
    built_report,
    fabricate_crawl,
)

TEN_MB = 10 * 1024 * 1024


def _pages(urls: list[str], extracted: bool = True) -> pd.DataFrame:
    return pd.DataFrame({"url": urls, "extracted": [extracted] * len(urls),
                         "kind": ["page"] * len(urls)})


def _issues(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["url", "check", "severity"])
    for column in FINDING_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame[FINDING_COLUMNS]


def test_score_counts_pages_by_their_worst_finding() -> None:
    frames = Frames(pages=_pages(["/a", "/b", "/c", "/d"]))
    issues = _issues([("/a", "title-missing", "error"), ("/a", "h1-missing", "warning"),
                      ("/b", "h1-missing", "warning"), ("/c", "noindex", "notice"),
                      ("/e", "page-error", "error"),  # a 404: not read, but has a finding
                      ("", "local-area-unmentioned", "warning")])  # the whole site
    score = health_score(frames, issues)
    # checked: a b c d + e + whole site = 6; clean: c (a notice only) and d; warnings only: b
    # and the site; errors: a and e.  100 * (2 + 0.5 * 2) / 6 = 50
    assert (score["checked"], score["clean"], score["with_warnings"], score["with_errors"]) == \
        (6, 2, 2, 2)
    assert score["value"] == 50
    assert score["grade"] == "poor"
    assert score["formula"] == SCORE_FORMULA


def test_score_is_100_only_without_errors_or_warnings_and_rounds_down() -> None:
    frames = Frames(pages=_pages([f"/p{i}" for i in range(200)]))
    assert health_score(frames, _issues([("/p1", "noindex", "notice")]))["value"] == 100
    one_warning = health_score(frames, _issues([("/p1", "h1-missing", "warning")]))
    assert one_warning["value"] == 99  # 99.75 rounded down: never 100 with a warning
    assert one_warning["grade"] == "good"
    nothing_read = health_score(Frames(pages=_pages(["/x"], extracted=False)), _issues([]))
    assert nothing_read["value"] is None


def test_status_chart_names_codes_in_plain_words() -> None:
    pages = pd.DataFrame({"status": pd.array([200, 200, 301, 404, None], dtype="Int64")})
    bars = status_chart(Frames(pages=pages))
    assert [(b["label"], b["count"], b["group"]) for b in bars] == [
        ("200 OK", 2, "ok"), ("301 Moved Permanently", 1, "redirect"),
        ("404 Not Found", 1, "error"),
        ("No answer (timeout or connection error)", 1, "none")]
    assert bars[0]["share"] == 1.0 and bars[1]["share"] == 0.5


def test_location_grid_puts_the_practice_areas_first() -> None:
    pages = pd.DataFrame({"url": ["https://x.example/", "https://x.example/a/"],
                          "extracted": [True, True], "kind": ["page", "page"],
                          "link_depth": pd.array([0, 1], dtype="Int64")})
    places = pd.DataFrame({
        "url": ["https://x.example/", "https://x.example/a/", "https://x.example/a/"],
        "term": ["Pasadena", "Pasadena", "Beverly Hills"],
        "in_title": [True, False, False], "in_h1": [False, False, True],
        "in_meta_description": [False, False, False], "body_count": [2, 1, 0]})
    grid = location_coverage(Frames(pages=pages, places=places,
                                    start_url="https://x.example/"), ["Beverly Hills"])
    assert [c["term"] for c in grid["columns"]] == ["Beverly Hills", "Pasadena"]
    assert grid["columns"][1]["titles"] == 1 and grid["columns"][1]["pages"] == 2
    home, about = grid["rows"]
    assert home["path"] == "/" and about["path"] == "/a/"
    assert home["cells"][0]["flags"] == [False, False, False, False]
    assert home["cells"][1]["flags"] == [True, False, False, True]
    assert about["cells"][0]["flags"] == [False, True, False, False]
    assert "main heading" in about["cells"][0]["title"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fabricated 60-page crawl (hostile page included) loaded, judged and reported."""
    return built_report(tmp_path_factory, pages=60).out


def _frames(out: Path, with_nap: bool) -> Frames:
    frames = load(out)
    if with_nap:
        profile = Profile(name="Blair Wellness Group", phone="+13109994996",
                          license="PSY 22022")
        frames["business"] = canonical_record(frames.nap, profile)
        frames["nap_table"] = nap_table(frames.nap, frames["business"], profile)
    return frames


def _summary(frames: Frames) -> dict:
    return {"site": frames.start_url, "started": "2026-01-15 10:00:00 UTC", "duration": "1 s",
            "pages": 1, "urls": 1, "business": frames.get("business")}


def test_business_details_render_with_a_nap_table_and_are_skipped_without(small: Path) -> None:
    issues = pd.DataFrame(columns=FINDING_COLUMNS)
    without = render_html(_frames(small, with_nap=False), issues, {"site": ORIGIN + "/"})
    assert 'id="business"' not in without and "#business" not in without
    frames = _frames(small, with_nap=True)
    html = render_html(frames, issues, _summary(frames))
    section = html[html.index('id="business"'):html.index('id="issues"')]
    assert "(310) 999-4996" in section
    # page 5 of the fabricated crawl has a transposed digit in its footer
    assert "Does not match" in section and "(310) 999-4969" in section
    assert "As given in your practice profile." in section
    assert 'id="biz-address"' in section and "Not known" in section  # no address anywhere


def test_only_our_own_script_and_style_may_run(small: Path) -> None:
    html = (small / "report.html").read_text("utf-8")
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                             html).group(1))
    assert "default-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for body, directive in ((scripts[0], "script-src"), (styles[0], "style-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    assert " style=" not in html, "inline style attributes are blocked by the CSP"
    assert not re.search(r"<(?:img|link|iframe|object|embed|audio|video|source)\b", html), \
        "the report must not load anything"


def test_crawled_strings_are_text_and_javascript_urls_are_not_links(small: Path) -> None:
    html = (small / "report.html").read_text("utf-8")
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html.lower()
    # the broken link to an address with a script tag in it is reported, as text
    assert f"/gone-{HOSTILE_TITLE}/" not in html
    assert "/gone-&lt;script&gt;" in html
    # a JSON-LD value is shown among the ways the phone number is written, as text
    business = html[html.index('id="business"'):html.index('id="issues"')]
    assert HOSTILE_JSONLD not in html
    assert "&lt;img src=x onerror=alert(5)&gt;+1-310-999-4996" in business


def test_a_crawl_that_found_nothing_still_gets_its_reports(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for name in ("fetches", "pages", "links", "sitemap"):
        (crawl / f"{name}.jsonl").touch()
    (crawl / "manifest.json").write_text('{"start_url": "https://x.example/"}', "utf-8")
    summary = build_reports(tmp_path)
    html = (tmp_path / "report.html").read_text("utf-8")
    assert summary["pages"] == 0 and "https://x.example/" in html
    assert (tmp_path / "audit.xlsx").stat().st_size > 0


def test_report_of_a_10000_page_crawl_is_small_and_quick(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    built = built_report(tmp_path_factory)
    report = built.out / "report.html"
    size = report.stat().st_size
    print(f"\n10,000-page crawl: report.html {size / 1e6:.2f} MB, all reports written in "
          f"{built.seconds:.1f} s")
    assert size < TEN_MB
    assert built.seconds < 45, "writing the reports of 10,000 pages got much slower"
    html = report.read_text("utf-8")
    assert built.summary["pages"] > 9_000
    table = html[html.index('id="pages-table"'):html.index('id="pages-note"')]
    assert table.count("<tr data-worst=") == MAX_PAGE_ROWS
    assert "All 10,001 are in pages.csv" in html
    assert f"Showing the first {MAX_ROWS_PER_CHECK};" in html
    assert "the full list is in keywords.csv" in html
    assert HOSTILE_TITLE not in html


def test_a_tiny_crawl_fabricates_real_records(tmp_path: Path) -> None:
    """The helper's records load with the real loader: the scale test tests real shapes."""
    frames = load(fabricate_crawl(tmp_path, pages=12))
    assert len(frames.pages[frames.pages["kind"] == "page"]) >= 12
    assert frames.pages["extracted"].sum() == 12
    assert frames.links["kind"].eq("internal").any()
    assert set(frames.places["term"]) <= {"Los Angeles", "Beverly Hills", "Santa Monica",
                                          "West Hollywood", "Century City", "Culver City",
                                          "Pasadena", "Silver Lake", "Venice", "Westwood",
                                          "Encino"}
