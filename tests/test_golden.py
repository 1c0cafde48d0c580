"""End to end through the command line against golden files, ports normalised.

Regenerate after a deliberate change with UPDATE_GOLDEN=1 and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def _normalised(crawl, name: str) -> str:
    text = (crawl.out / name).read_text("utf-8-sig")
    text = text.replace(crawl.origin, "{ORIGIN}")
    return text.replace(crawl.external, "{EXTERNAL}") if crawl.external else text


def _compare(crawl, name: str, golden_name: str) -> None:
    actual = _normalised(crawl, name)
    golden = GOLDEN / golden_name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, "utf-8", newline="")
    # Rows of one url and check are ordered by target, whose port differs from run to run;
    # the ordering itself is tested in test_clinic_crawl.
    actual_lines, golden_lines = actual.splitlines(), golden.read_text("utf-8").splitlines()
    assert actual_lines[0] == golden_lines[0]
    assert sorted(actual_lines[1:]) == sorted(golden_lines[1:])


def test_clinic_issues_match_golden(clinic) -> None:
    _compare(clinic, "issues.csv", "clinic_issues.csv")


def test_practice_issues_match_golden(practice) -> None:
    _compare(practice, "issues.csv", "practice_issues.csv")


def test_clean_site_has_no_errors_or_warnings(clean) -> None:
    issues = clean.csv("issues.csv")
    serious = issues[issues["severity"].isin(["error", "warning"])]
    assert serious.empty, serious.to_string()
    # and it really was audited: pages, NAP facts and location terms were all read
    assert len(clean.csv("pages.csv")) >= 5
    nap = clean.csv("nap.csv")
    assert {"name", "phone", "license", "address"} <= set(nap["field"])
    assert set(nap.loc[nap["verdict"] != "ignored", "verdict"]) <= {"match", "variant"}
