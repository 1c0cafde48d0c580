"""report.html's "Patient trust and compliance" section, and the source line of `checks --explain`.

The checks of that category are registered here for the test only (and removed afterwards), so
these tests hold whatever audit/checks/compliance.py registers; the findings are built by hand.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from audit.cli import cmd_checks
from audit.load import Frames, load
from audit.registry import FINDING_COLUMNS, REGISTRY, AuditContext, all_checks, check
from reports.html import COMPLIANCE_CATEGORY, build_context, category_chart, render_html
from tests.fabricated_crawl import HOSTILE_TITLE, ORIGIN, fabricate_crawl
from tests.test_report_browser import ARTIFACTS, open_report

GFE_SOURCE = "45 CFR 149.610 (No Surprises Act)"
NOTE = "This report is not legal advice; check with your compliance adviser or licensing board."
# Ids no real check uses: they are registered for these tests only.
GFE, TITLE_CHECK, PRACTICE = "test-gfe-notice", "test-license-title", "test-good-practice"


@pytest.fixture(scope="module")
def compliance_checks() -> Iterator[None]:
    all_checks()  # the real catalogue first, so ours are added to it (not replaced by it)

    def finds_nothing(doc: str) -> Callable[[AuditContext], pd.DataFrame]:
        def function(ctx: AuditContext) -> pd.DataFrame:
            return pd.DataFrame()

        function.__doc__ = doc  # a check's docstring is its explanation and fix
        return function

    registered = [
        (GFE, "error", "No good faith estimate notice", GFE_SOURCE,
         "Patients who pay for themselves must be told they can ask for a good faith estimate "
         "of the cost. How to fix: add the standard notice to the fees page."),
        (TITLE_CHECK, "warning", "Title does not match the license",
         "Cal. Bus. & Prof. Code 2903",
         "A clinician's title must be one their license allows, or patients are misled. "
         "How to fix: use the title the license gives."),
        (PRACTICE, "notice", "Good practice without a rule", "",
         "A check of good practice that rests on no particular rule, so it names no source. "
         "How to fix: nothing, it is a test."),
    ]
    try:
        for check_id, severity, title, source, doc in registered:
            check(check_id, severity, title, COMPLIANCE_CATEGORY,
                  source=source)(finds_nothing(doc))
        yield
    finally:
        for check_id, *_ in registered:
            REGISTRY.pop(check_id, None)


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    return load(fabricate_crawl(tmp_path_factory.mktemp("compliance"), pages=12))


def _issues(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["url", "check", "severity", "message"])
    for column in FINDING_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame[FINDING_COLUMNS]


MIXED = [
    (f"{ORIGIN}/fees/", GFE, "error", f"No estimate notice on “{HOSTILE_TITLE}”"),
    (f"{ORIGIN}/about/", TITLE_CHECK, "warning", "Calls herself a psychologist"),
    ("", PRACTICE, "notice", "Site-wide good practice"),
    (f"{ORIGIN}/contact/", "title-missing", "error", "The page has no title"),
]
SUMMARY = {"site": ORIGIN + "/", "started": "2026-01-15 10:00:00 UTC", "duration": "1 s",
           "pages": 12, "urls": 12}


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start:html.index("</section>", start)]


def test_compliance_findings_have_their_own_section(compliance_checks: None,
                                                    frames: Frames) -> None:
    html = render_html(frames, _issues(MIXED), SUMMARY)
    section = _section(html, "compliance")
    assert '<a href="#compliance">Patient trust and compliance</a>' in html  # in the nav
    assert "federal and California rules, or good practice" in section
    assert NOTE in section
    for check_id in (GFE, TITLE_CHECK, PRACTICE):
        assert f'id="check-{check_id}"' in section
    assert "No good faith estimate notice" in section and "add the standard notice" in section
    assert f"<strong>Source:</strong> {GFE_SOURCE}" in section
    assert "Cal. Bus. &amp; Prof. Code 2903" in section  # escaped like everything else
    assert section.count('class="source"') == 2, "a check without a source names none"
    # the search finding is in "What to fix" only, and no compliance finding is there
    assert 'id="check-title-missing"' not in section
    issues = _section(html, "issues")
    assert 'id="check-title-missing"' in issues
    assert not any(f'id="check-{c}"' in issues for c in (GFE, TITLE_CHECK, PRACTICE))
    start_here = html[html.index('id="start-here"'):html.index('id="score-formula"')]
    assert "#check-title-missing" in start_here and f"#check-{GFE}" not in start_here
    assert "1 error, 1 warning, 1 notice" in start_here  # the pointer to the section
    # each check once: the same card, in one place
    assert len(re.findall(r'<article class="check', html)) == 4
    # after the list of search problems, before the locations and pages
    assert html.index('id="issues"') < html.index('id="compliance"') < html.index('id="pages"')


def test_counts_score_and_topic_chart_still_include_compliance(compliance_checks: None,
                                                               frames: Frames) -> None:
    issues = _issues(MIXED)
    context = build_context(frames, issues, SUMMARY)
    assert context["counts"] == {"error": 2, "warning": 1, "notice": 1}
    assert context["score"]["with_errors"] == 2  # /fees/ and /contact/
    bars = {bar["label"]: bar["count"] for bar in category_chart(issues)}
    assert bars["Trust & compliance"] == 3  # one bar, its label short enough for the chart
    assert [g["id"] for g in context["groups"]] == ["title-missing"]
    assert [g["id"] for g in context["compliance"]["groups"]] == [GFE, TITLE_CHECK, PRACTICE]


def test_crawled_strings_in_compliance_findings_are_escaped(compliance_checks: None,
                                                            frames: Frames) -> None:
    hostile = [(f"{ORIGIN}/fees/", GFE, "error", "<img src=x onerror=alert(7)>"),
               ("javascript:alert(8)", TITLE_CHECK, "warning", HOSTILE_TITLE)]
    html = render_html(frames, _issues(MIXED + hostile), SUMMARY)
    section = _section(html, "compliance")
    assert "&lt;img src=x onerror=alert(7)&gt;" in section and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and HOSTILE_TITLE not in html
    assert 'href="javascript:' not in html.lower() and "javascript:alert(8)" in section


def test_no_compliance_findings_is_one_line_all_clear(compliance_checks: None,
                                                      frames: Frames) -> None:
    html = render_html(frames, _issues(MIXED[-1:]), SUMMARY)
    section = _section(html, "compliance")
    assert "No compliance problems were found among the checks made." in section
    assert NOTE in section and "<article" not in section
    assert 'id="compliance-pointer"' not in html
    assert "No problems found" not in _section(html, "issues")


def test_only_compliance_findings_leave_no_search_problems(compliance_checks: None,
                                                           frames: Frames) -> None:
    html = render_html(frames, _issues(MIXED[:1]), SUMMARY)
    assert "No search problems found." in _section(html, "issues")
    assert 'id="check-test-gfe-notice"' in _section(html, "compliance")


def test_a_report_without_pages_has_no_compliance_section(compliance_checks: None) -> None:
    empty = Frames(pages=pd.DataFrame({"url": pd.Series(dtype=str),
                                       "extracted": pd.Series(dtype=bool),
                                       "kind": pd.Series(dtype=str),
                                       "status": pd.Series(dtype="Int64")}))
    html = render_html(empty, _issues([]), {"site": "https://x.example/"})
    assert 'id="compliance"' not in html and "#compliance" not in html


def test_checks_explain_names_the_source(compliance_checks: None,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_checks(argparse.Namespace(explain=True)) == 0
    out = capsys.readouterr().out
    block = out[out.index(GFE):]
    block = block[:block.index("\n\n")]
    assert block.splitlines()[1:] == [
        "    Patients who pay for themselves must be told they can ask for a good faith "
        "estimate of the cost.",
        f"    Source: {GFE_SOURCE}",
        "    How to fix: add the standard notice to the fees page."]
    # a check without a source reads as before: explanation, then how to fix
    plain = out[out.index("\ntitle-missing ") + 1:]
    assert plain.splitlines()[2].startswith("    How to fix:")
    assert "Source:" not in out[out.index(PRACTICE):].split("\n\n")[0]
    assert cmd_checks(argparse.Namespace(explain=False)) == 0
    assert "Source:" not in capsys.readouterr().out


def test_compliance_section_reads_without_javascript(compliance_checks: None, frames: Frames,
                                                     browser: object, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_html(frames, _issues(MIXED), SUMMARY), "utf-8")
    tab = open_report(browser, report, javascript=False)
    page = tab.page
    assert page.locator('nav.toc a[href="#compliance"]').is_visible()
    section = page.locator("#compliance")
    assert section.is_visible()
    text = section.inner_text()
    assert NOTE in text and f"Source: {GFE_SOURCE}" in text
    gfe = section.locator(f"#check-{GFE}")
    assert gfe.locator("p.fix").is_visible()
    # an error's pages are shown open, the hostile message as text
    row = gfe.locator("table.findings tbody tr").first
    assert row.is_visible() and HOSTILE_TITLE in row.inner_text()
    assert section.locator("article.check").count() == 3
    assert not tab.errors and not tab.requests
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "report-compliance.png"))
