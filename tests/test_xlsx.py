"""audit.xlsx, read back with openpyxl: the same tables as the CSVs, and never a formula."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from reports.csv import FORMULA_PREFIXES
from reports.xlsx import EXCEL_MAX_CELL_CHARS, MAX_WIDTH, MIN_WIDTH, Sheet, write_xlsx

SHEETS = ["pages", "links", "issues", "nap", "keywords"]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _matches(text: str, value: Any) -> bool:
    """Does a workbook cell hold what the CSV cell says (as a spreadsheet would read both)?"""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == str(value)
    if isinstance(value, (int, float)):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    if text.startswith("'") and value.startswith(FORMULA_PREFIXES):
        return text[1:] == value  # the CSV's neutralising apostrophe; the workbook uses a text cell
    return text == value


def _all_cells(book: openpyxl.Workbook) -> list[Any]:
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def test_every_csv_has_a_matching_sheet(clinic) -> None:
    book = openpyxl.load_workbook(clinic.out / "audit.xlsx")
    assert book.sheetnames == ["Summary", *SHEETS]
    for name in SHEETS:
        ws = book[name]
        expected = _csv_rows(clinic.out / f"{name}.csv")
        got = [list(row) for row in ws.iter_rows(values_only=True)]
        assert got[0] == expected[0], f"{name}: header differs from {name}.csv"
        assert len(got) == len(expected), f"{name}: row count differs from {name}.csv"
        for number, (want, have) in enumerate(zip(expected[1:], got[1:], strict=True), start=2):
            bad = [(col, w, h) for col, w, h in zip(expected[0], want, have, strict=True)
                   if not _matches(w, h)]
            assert not bad, f"{name} row {number}: {bad}"
        assert ws.freeze_panes == "A2"
        last = openpyxl.utils.get_column_letter(len(expected[0]))
        assert ws.auto_filter.ref == f"A1:{last}{len(expected)}"
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                  for i in range(1, len(expected[0]) + 1)]
        assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in widths), widths
    url_width = book["pages"].column_dimensions["A"].width
    assert url_width > book["pages"].column_dimensions["B"].width, "URLs get the room"


def test_summary_sheet_has_the_score_and_every_check(clinic) -> None:
    ws = openpyxl.load_workbook(clinic.out / "audit.xlsx")["Summary"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    labels = {r[0]: r for r in rows if r and r[0]}
    assert rows[0][0] == "Website health report"
    assert labels["Site"][1] == clinic.url("/")
    score = labels["Health score (0-100)"][1]
    assert isinstance(score, int) and 0 <= score <= 100
    assert labels["How the score works"][2].startswith("Score = 100 ×")
    issues = clinic.csv("issues.csv")
    assert labels["Errors"][1] == int((issues["severity"] == "error").sum())
    start = rows.index(["Check", "Severity", "Title", "Category", "Findings", "Pages"]) + 1
    listed = {r[0]: r[4] for r in rows[start:] if r[0] and r[1] in ("error", "warning", "notice")}
    assert listed == issues["check"].value_counts().to_dict()
    # Each check's title and category, though the workbook's process never ran the checks.
    from audit.registry import catalogue

    named = {r[0]: (r[2], r[3]) for r in rows[start:] if r[0] in listed}
    assert named == {c: (catalogue()[c].title, catalogue()[c].category) for c in listed}


def test_formulas_and_control_characters_stay_inert_text(tmp_path: Path) -> None:
    cells = ['=HYPERLINK("http://evil.example","x")', "+1 (310) 999-4996", "-5 tips",
             "@SUM(A1)", "=cmd|' /C calc'!A0", "tab\there", "bell\x07ring",
             "x" * (EXCEL_MAX_CELL_CHARS + 10), "Plain title"]
    frame = pd.DataFrame({"title": cells, "headings": [[[1, "=A1"]]] * len(cells),
                          "count": [1.0] * (len(cells) - 1) + [None]})
    path = write_xlsx(tmp_path / "t.xlsx", [Sheet("pages", frame, ["title", "headings", "count"],
                                                  "pages.csv")], {}, pd.DataFrame(
        columns=["url", "check", "severity"]))
    book = openpyxl.load_workbook(path)
    assert not [c.coordinate for c in _all_cells(book) if c.data_type == "f"]
    ws = book["pages"]
    titles = [ws.cell(row=r, column=1) for r in range(2, len(cells) + 2)]
    assert titles[0].value == cells[0] and titles[0].data_type == "s"
    assert titles[0].quotePrefix, "Excel keeps a quote-prefixed cell text even when edited"
    assert [t.value for t in titles[1:4]] == cells[1:4]
    assert titles[6].value == "bellring"  # Excel rejects control characters
    assert len(titles[7].value) == EXCEL_MAX_CELL_CHARS
    assert titles[8].value == "Plain title" and not titles[8].quotePrefix
    assert ws["B2"].value == '[[1, "=A1"]]'  # lists are JSON text, as in the CSVs
    assert ws["C2"].value == 1 and ws["C2"].data_type == "n"  # a count, not "1.0"
    assert ws["C10"].value is None


def test_long_tables_are_cut_at_the_row_limit_and_say_so(tmp_path: Path) -> None:
    frame = pd.DataFrame({"url": [f"https://x.example/{i}" for i in range(10)]})
    path = write_xlsx(tmp_path / "t.xlsx", [Sheet("links", frame, ["url"], "links.csv")], {},
                      pd.DataFrame(columns=["url", "check", "severity"]), max_rows=6)
    book = openpyxl.load_workbook(path)
    assert book["links"].max_row == 6  # the header and 5 rows
    assert book["links"].auto_filter.ref == "A1:A6"
    notes = [r for r in book["Summary"].iter_rows(values_only=True) if r[0] == "links"]
    assert notes == [("links", 5, "First 5 of 10 rows (Excel's limit); all rows are in "
                      "links.csv.", None, None, None)]


def test_hostile_site_workbook_holds_no_formula(clinic_hostile) -> None:
    book = openpyxl.load_workbook(clinic_hostile.out / "audit.xlsx")
    assert not [c.coordinate for c in _all_cells(book) if c.data_type == "f"]
    titles = [r[4] for r in book["pages"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://evil.example","x")' in titles
    assert "<script>alert(1)</script>" in titles


@pytest.mark.parametrize("value, text", [(None, ""), (True, "True"), (3, "3"), (7.5, "7.5"),
                                         ("=1+1", "'=1+1")])
def test_comparison_helper_reads_both_like_a_spreadsheet(value: Any, text: str) -> None:
    assert _matches(text, value)
    assert not _matches("9" + text, value)


def _files(out: Path) -> dict[str, bytes]:
    """Every report's bytes (the workbook's unpacked parts), the HTML's date line left out."""
    import zipfile

    found = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    with zipfile.ZipFile(out / "audit.xlsx") as book:
        found.update({f"xlsx:{name}": book.read(name) for name in book.namelist()})
    html = (out / "report.html").read_text("utf-8")
    found["report.html"] = "\n".join(line for line in html.splitlines()
                                     if "This report was made by" not in line).encode()
    return found


def test_the_workbook_process_writes_what_one_pass_writes(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux the workbook is written by a forked child; elsewhere in one pass with the CSVs.
    Both write the same files."""
    from audit.cli import build_reports
    from tests.fabricated_crawl import fabricate_crawl

    forked = fabricate_crawl(tmp_path / "forked", pages=40)
    build_reports(forked)
    one_pass = fabricate_crawl(tmp_path / "one-pass", pages=40)
    monkeypatch.setattr("sys.platform", "darwin")
    build_reports(one_pass)
    assert _files(forked) == _files(one_pass)


def test_a_workbook_the_child_could_not_write_is_written_by_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import reports.write
    from audit.cli import build_reports
    from tests.fabricated_crawl import fabricate_crawl

    parent, real_write = os.getpid(), reports.write.write_xlsx
    written_by: list[int] = []

    class FailsInTheChild(reports.write.Workbook):  # type: ignore[misc,name-defined]
        def add(self, *args: Any, **kwargs: Any) -> None:
            if os.getpid() != parent:
                raise OSError(28, "No space left on device")
            super().add(*args, **kwargs)

    def written_here(*args: Any, **kwargs: Any) -> Path:
        written_by.append(os.getpid())
        return real_write(*args, **kwargs)

    monkeypatch.setattr(reports.write, "Workbook", FailsInTheChild)
    monkeypatch.setattr(reports.write, "write_xlsx", written_here)
    out = fabricate_crawl(tmp_path, pages=20)
    build_reports(out)
    assert written_by == [parent]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "no temporary file"
    book = openpyxl.load_workbook(out / "audit.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", *SHEETS]
    assert book["pages"].max_row == len(_csv_rows(out / "pages.csv"))
