"""What came from a crawled page is data, never code: in spreadsheets and in report.html."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from reports.csv import neutralise, write_csv
from reports.html import safe_href


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "title": ["=HYPERLINK(\"http://evil\")", "+1 (310) 999-4996", "-5 tips", "@SUM(A1)",
                  "Calm title", None],
        "count": [1, 2, 3, 4, 5, None],
    })
    path = write_csv(frame, tmp_path / "out.csv", ["title", "count", "absent"])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["title", "count", "absent"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil\")", "'+1 (310) 999-4996",
                                        "'-5 tips", "'@SUM(A1)", "Calm title", ""]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "4", "5", ""]
    assert neutralise(["a", "b"]) == '["a", "b"]'
    assert neutralise(-3) == -3  # numbers are not formulas


def test_only_web_urls_become_links() -> None:
    assert safe_href("https://example.com/a") == "https://example.com/a"
    assert safe_href("javascript:alert(1)") is None
    assert safe_href(" JavaScript:alert(1)") is None
    assert safe_href("data:text/html,<script>") is None
    assert safe_href(None) is None


def test_hostile_page_is_escaped_in_the_report(clinic_hostile) -> None:
    html = (clinic_hostile.out / "report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    issues = pd.read_csv(clinic_hostile.out / "issues.csv", encoding="utf-8-sig", dtype=str,
                         keep_default_na=False)
    formula = issues[issues["detail"].str.contains("HYPERLINK")]
    assert len(formula) == 1 and formula.iloc[0]["detail"].startswith("'=HYPERLINK")
