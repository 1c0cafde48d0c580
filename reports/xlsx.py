"""audit.xlsx: the CSV tables in one Excel workbook for the contractor, plus a summary sheet.

One sheet per CSV with the same columns and rows, a frozen header row, an autofilter and column
widths that fit the content. Crawled text is data, never a formula: openpyxl would store a string
that starts with "=" as a formula, so every such cell is forced to a text cell and given Excel's
own "quote prefix" flag (what Excel does when you type '=...), which keeps it text even after
someone edits it. Unlike the CSVs no apostrophe is added, so the cell shows exactly what the page
said. Excel stops at 1,048,576 rows; a longer table is cut there and the summary sheet says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from audit.registry import REGISTRY, SEVERITY_RANK
from reports.csv import FORMULA_PREFIXES, atomic_open

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header row included
EXCEL_MAX_CELL_CHARS = 32_767  # Excel refuses to open a file with a longer cell
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6F0EF")


@dataclass
class Sheet:
    """One table of the workbook: the rows of ``frame`` in ``columns``, as in ``csv_name``."""

    name: str
    frame: pd.DataFrame
    columns: list[str]
    csv_name: str


def cell_value(value: Any) -> Any:
    """A value as Excel should store it: numbers and booleans as such, lists as JSON text,
    missing values as empty cells, text without the control characters Excel rejects."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return text[:EXCEL_MAX_CELL_CHARS]
    if hasattr(value, "item") and not isinstance(value, (bool, int, float)):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return str(value)
    return value


def _column_values(frame: pd.DataFrame, column: str) -> list[Any]:
    if column not in frame:
        return [None] * len(frame)
    values = frame[column]
    if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all():
        values = values.astype("Int64")  # counts stay 3, not 3.0, beside blanks (as in the CSVs)
    return [cell_value(v) for v in values.astype(object)]


def _text_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never "f": the text is shown, not run
    cell.quotePrefix = True
    return cell


def _rows(ws: WriteOnlyWorksheet, columns: list[list[Any]]) -> Iterator[list[Any]]:
    for row in zip(*columns, strict=True):
        yield [_text_cell(ws, v) if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
               for v in row]


def _widths(header: list[str], columns: list[list[Any]]) -> list[float]:
    widths = []
    for name, values in zip(header, columns, strict=True):
        sample = [len(str(v)) for v in values[:WIDTH_SAMPLE_ROWS] if v is not None]
        longest = max([len(name), *sample])
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _header(ws: WriteOnlyWorksheet, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def _table_sheet(wb: Workbook, sheet: Sheet, max_rows: int) -> dict[str, Any]:
    ws = wb.create_sheet(sheet.name)
    total = len(sheet.frame)
    frame = sheet.frame.iloc[:max_rows - 1]
    columns = [_column_values(frame, c) for c in sheet.columns]
    # Widths and the frozen header must be set before the first row is streamed out.
    for index, width in enumerate(_widths(sheet.columns, columns), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append(_header(ws, sheet.columns))
    for row in _rows(ws, columns):
        ws.append(row)
    last = get_column_letter(max(len(sheet.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    return {"sheet": sheet.name, "csv": sheet.csv_name, "rows": len(frame), "total": total,
            "cut": total - len(frame)}


def _summary_sheet(wb: Workbook, summary: dict[str, Any], issues: pd.DataFrame,
                   written: list[dict[str, Any]]) -> None:
    ws = wb.create_sheet("Summary", 0)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 50
    ws.column_dimensions["D"].width = 18
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(*values: Any, bold: bool = False) -> None:
        cells = []
        for value in values:
            value = cell_value(value)
            cell = _text_cell(ws, value) if isinstance(value, str) and \
                value.startswith(FORMULA_PREFIXES) else WriteOnlyCell(ws, value=value)
            if bold:
                cell.font = HEADER_FONT
            cells.append(cell)
        ws.append(cells)

    score = summary.get("score") or {}
    counts = summary.get("counts") or {}
    line("Website health report", bold=True)
    line("Site", summary.get("site"))
    line("Crawl started", summary.get("started"))
    line("Crawl time", summary.get("duration"))
    line("Pages read", summary.get("pages"))
    line("Addresses checked", summary.get("urls"))
    line("robots.txt", "obeyed" if summary.get("robots_obeyed", True) else "not obeyed")
    if summary.get("interrupted"):
        line("Note", "The crawl was stopped early; results are partial.")
    line("Health score (0-100)", score.get("value"))
    formula = WriteOnlyCell(ws, value=score.get("formula", ""))
    formula.alignment = wrap
    ws.append([WriteOnlyCell(ws, value="How the score works"), None, formula])
    for severity in ("error", "warning", "notice"):
        line(f"{severity.capitalize()}s", counts.get(severity, 0))
    line()
    line("Findings by check", bold=True)
    line("Check", "Severity", "Title", "Category", "Findings", "Pages", bold=True)
    if len(issues):
        grouped = issues.groupby("check", sort=False).agg(
            severity=("severity", "first"), findings=("url", "size"),
            pages=("url", lambda u: u[u != ""].nunique()))
        grouped["_rank"] = grouped["severity"].map(SEVERITY_RANK)
        grouped = grouped.sort_values(["_rank", "findings"], ascending=[True, False])
        for check_id, row in grouped.iterrows():
            meta = REGISTRY.get(str(check_id))
            line(check_id, row["severity"], meta.title if meta else "",
                 meta.category if meta else "", int(row["findings"]), int(row["pages"]))
    line()
    line("Sheets", bold=True)
    line("Sheet", "Rows", "Note", bold=True)
    for info in written:
        note = (f"First {info['rows']:,} of {info['total']:,} rows (Excel's limit); all rows "
                f"are in {info['csv']}." if info["cut"] else f"Same rows as {info['csv']}.")
        line(info["sheet"], info["rows"], note)


def write_xlsx(path: Path, sheets: list[Sheet], summary: dict[str, Any], issues: pd.DataFrame,
               max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """Write the workbook: a Summary sheet, then one sheet per table (cut at ``max_rows`` rows,
    the header included)."""
    # write_only streams rows to disk: a 10,000-page crawl's links stay out of memory twice.
    wb = Workbook(write_only=True)
    written = [_table_sheet(wb, sheet, max_rows) for sheet in sheets]
    _summary_sheet(wb, summary, issues, written)
    with atomic_open(path, mode="wb", encoding=None) as handle:
        wb.save(handle)
    return path
