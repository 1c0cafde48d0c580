"""audit.xlsx: the CSV tables in one Excel workbook for the contractor, plus a summary sheet.

One sheet per CSV with the same columns and rows, a frozen header row, an autofilter and column
widths that fit the content. Crawled text is data, never a formula: every text cell is a string
cell (Excel's shared-string table, type "s", which a spreadsheet shows and never runs), and a
text that starts with = + - @ also gets Excel's own "quote prefix" flag (what Excel does when you
type '=...), which keeps it text even after someone edits it. Unlike the CSVs no apostrophe is
added, so the cell shows exactly what the page said. Excel stops at 1,048,576 rows; a longer
table is cut there and the summary sheet says so.

The workbook is written here as SpreadsheetML, streamed into the zip file: a 10,000-page crawl
makes about six million cells, which took openpyxl some 40 seconds and xlsxwriter about 20.
Each distinct value of a column becomes its cell XML once (reports.cells), a block of rows is
joined in one call, and a worker thread compresses while the next block is built: about one
second of the main thread's time.
"""

from __future__ import annotations

import math
import queue
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from audit.registry import SEVERITY_RANK, catalogue
from reports.cells import Column, column, lookup, plain
from reports.csv import FORMULA_PREFIXES, atomic_open

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header row included
EXCEL_MAX_CELL_CHARS = 32_767  # Excel refuses to open a file with a longer cell
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60
CHUNK_ROWS = 5_000  # rows joined into one string at a time: bounded memory, few calls
QUEUE_BLOCKS = 2  # blocks of XML waiting to be compressed, at most
# Deflate level 2 compresses a 10,000-page crawl's sheets (~200 MB of XML) in about a second on
# the worker thread, hidden behind the rest of the writing; the default level 6 takes three
# times as long (the run waits for it) for a file 20% smaller.
ZIP_LEVEL = 2
# Characters XML 1.0 cannot carry at all (Excel then refuses the whole file): C0 controls other
# than tab and line breaks, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_ESCAPE_RE = re.compile("_x[0-9A-Fa-f]{4}_")

# Cell formats, by their index in styles.xml's cellXfs.
PLAIN, HEADER, QUOTED, BOLD, WRAPPED, BOLD_QUOTED = range(6)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES = (
    f'{XML_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE6F0EF"/><bgColor indexed="64"/>'
    '</patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


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
    value = plain(value)
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


def _escape(text: str) -> str:
    # "\r" as a reference: an XML reader turns a literal one into "\n".
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))
    if "_x" in text:  # Excel reads "_x0041_" in a text as "A" unless its "_" is escaped
        text = EXCEL_ESCAPE_RE.sub(r"_x005F\g<0>", text)
    return text


def _cell_tail(value: Any, style: int = PLAIN, strings: dict[str, int] | None = None) -> str:
    """The XML of one cell after its reference ('<c r="B2' + tail), or "" for no cell at all.
    ``value`` is a cell_value(); an empty text is a blank cell, as in the CSVs. Text goes to
    the ``strings`` table when given (see Workbook), else inline."""
    if value is None or (isinstance(value, str) and not value):
        return ""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'"{styled}><v>{value!r}</v></c>'
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_PREFIXES):
        style = BOLD_QUOTED if style == BOLD else QUOTED
        styled = f' s="{style}"'
    if strings is not None:
        return f'"{styled} t="s"><v>{strings.setdefault(text, len(strings))}</v></c>'
    return f'"{styled} t="inlineStr"><is>{_text_element(text)}</is></c>'


def _cell_values(values: list[Any]) -> tuple[list[Any], bool]:
    """cell_value() of each value, and whether all are text. Text, nearly every distinct
    value of a crawl's tables, is checked for what Excel refuses in one pass over all of it."""
    if not all(type(value) is str for value in values):
        return [cell_value(value) for value in values], False
    if (ILLEGAL_CHARACTERS_RE.search("".join(values)) is None
            and max(map(len, values), default=0) <= EXCEL_MAX_CELL_CHARS):
        return values, True
    return [ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_MAX_CELL_CHARS] for text in values], True


def _text_tails(texts: list[str], strings: dict[str, int]) -> list[str]:
    """_cell_tail(text, PLAIN, strings) of each text, without a call per text."""
    add = strings.setdefault
    return ["" if not text
            else f'" s="{QUOTED}" t="s"><v>{add(text, len(strings))}</v></c>'
            if text.startswith(FORMULA_PREFIXES)
            else f'" t="s"><v>{add(text, len(strings))}</v></c>' for text in texts]


def _text_element(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{_escape(text)}</t>"


def _shared_strings(strings: dict[str, int]) -> Iterator[bytes]:
    """xl/sharedStrings.xml: every distinct text of the table sheets, in index order."""
    yield (f'{XML_DECLARATION}<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">'
           .encode())
    texts = list(strings)  # dicts keep insertion order: position == index
    for start in range(0, len(texts), CHUNK_ROWS):
        yield "".join(f"<si>{_text_element(text)}</si>"
                      for text in texts[start:start + CHUNK_ROWS]).encode("utf-8")
    yield b"</sst>"


def _letter(index: int) -> str:
    """Column letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_xml(number: int, values: list[Any], style: int = PLAIN) -> str:
    cells = "".join(
        f'<c r="{_letter(i)}{number}{tail}' for i, value in enumerate(values)
        if (tail := _cell_tail(cell_value(value), style)))
    return f'<row r="{number}">{cells}</row>'


def _worksheet_head(columns: int, rows: int, widths: list[float], frozen: bool) -> str:
    last = f"{_letter(max(columns, 1) - 1)}{max(rows, 1)}"
    view = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if frozen else ""
    selected = "" if frozen else ' tabSelected="1"'  # the summary opens first
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    return (f'{XML_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0"'
            f'{selected}>{view}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>')


def _widths(header: list[str], samples: list[list[Any]]) -> list[float]:
    widths = []
    for name, values in zip(header, samples, strict=True):
        longest = max([len(name), *(len(str(v)) for v in values if v is not None)])
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


@dataclass
class _Written:
    sheet: Sheet
    rows: int

    @property
    def info(self) -> dict[str, Any]:
        total = len(self.sheet.frame)
        return {"sheet": self.sheet.name, "csv": self.sheet.csv_name, "rows": self.rows,
                "total": total, "cut": total - self.rows}


def _table_rows(columns: list[Column], tails: list[np.ndarray], rows: int) -> Iterator[str]:
    """The sheet's data rows as XML, CHUNK_ROWS at a time, from row 2 on. ``tails[i]`` holds
    column i's cell XML by code (see _cell_tail), "" for no cell."""
    blanks = [table == "" for table in tails]
    letters = [f'<c r="{_letter(i)}' for i in range(len(columns))]
    for start in range(0, rows, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, rows)
        numbers = np.arange(start + 2, stop + 2).astype(str).astype(object)
        # Per row: '<row r="', n, '">', then per cell '<c r="X', n, tail, and '</row>'.
        grid = np.empty((stop - start, 3 * len(columns) + 4), dtype=object)
        grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', numbers, '">', "</row>"
        for index, cells in enumerate(columns):
            codes = cells.codes[start:stop]
            tail, blank = tails[index][codes], blanks[index][codes]
            at = 3 + 3 * index
            grid[:, at], grid[:, at + 1], grid[:, at + 2] = letters[index], numbers, tail
            grid[blank, at] = grid[blank, at + 1] = ""  # no value: no cell, as Excel does
        yield "".join(grid.ravel().tolist())


def _table_parts(sheet: Sheet, columns: list[Column], rows: int,
                 strings: dict[str, int]) -> Iterator[bytes]:
    """A table's worksheet XML, in blocks of CHUNK_ROWS rows."""
    tails, samples = [], []
    for cells in columns:
        values, text = _cell_values(cells.values)
        tails.append(lookup(_text_tails(values, strings) if text
                            else [_cell_tail(v, PLAIN, strings) for v in values], ""))
        samples.append([values[c] if c >= 0 else None for c in cells.codes[:WIDTH_SAMPLE_ROWS]])
    head = _worksheet_head(len(columns), rows + 1, _widths(sheet.columns, samples), True)
    yield (head + _row_xml(1, sheet.columns, HEADER)).encode("utf-8")
    for block in _table_rows(columns, tails, rows):
        yield block.encode("utf-8")
    last = _letter(max(len(columns), 1) - 1)
    yield f'</sheetData><autoFilter ref="A1:{last}{rows + 1}"/></worksheet>'.encode()


def _summary_rows(summary: dict[str, Any], issues: pd.DataFrame,
                  written: list[dict[str, Any]]) -> list[str]:
    rows: list[str] = []

    def line(*values: Any, bold: bool = False) -> None:
        rows.append(_row_xml(len(rows) + 1, list(values), BOLD if bold else PLAIN))

    score = summary.get("score") or {}
    counts = summary.get("counts") or {}
    line("Website health report", bold=True)
    if summary.get("name"):
        line("Practice", summary["name"])
    line("Site", summary.get("site"))
    line("Crawl started", summary.get("started"))
    line("Crawl time", summary.get("duration"))
    line("Pages read", summary.get("pages"))
    line("Addresses checked", summary.get("urls"))
    line("robots.txt", "obeyed" if summary.get("robots_obeyed", True) else "not obeyed")
    if summary.get("interrupted"):
        line("Note", "The crawl was stopped early; results are partial.")
    line("Health score (0-100)", score.get("value"))
    number = len(rows) + 1
    label = _cell_tail("How the score works")
    formula = _cell_tail(cell_value(score.get("formula", "")), WRAPPED)
    rows.append(f'<row r="{number}"><c r="A{number}{label}'
                + (f'<c r="C{number}{formula}' if formula else "") + "</row>")
    for severity in ("error", "warning", "notice"):
        line(f"{severity.capitalize()}s", counts.get(severity, 0))
    since = summary.get("since")  # audit.changes.Comparison, with --since or --since-last
    if since is not None:
        line()
        line("Since the last audit", bold=True)
        line("Compared with the audit of", since.old.audited_at)
        line("Health score then", since.old.score)
        for change, label in (("fixed", "Fixed"), ("new", "New"), ("unchanged", "Still there")):
            line(f"{label} (changes.csv)", since.counts[change])
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
            meta = catalogue().get(str(check_id))
            line(check_id, row["severity"], meta.title if meta else "",
                 meta.category if meta else "", int(row["findings"]), int(row["pages"]))
    line()
    line("Sheets", bold=True)
    line("Sheet", "Rows", "Note", bold=True)
    for info in written:
        note = (f"First {info['rows']:,} of {info['total']:,} rows (Excel's limit); all rows "
                f"are in {info['csv']}." if info["cut"] else f"Same rows as {info['csv']}.")
        line(info["sheet"], info["rows"], note)
    return rows


def _summary_part(summary: dict[str, Any], issues: pd.DataFrame,
                  written: list[dict[str, Any]]) -> str:
    rows = _summary_rows(summary, issues, written)
    head = _worksheet_head(6, len(rows), [30, 16, 50, 18, 12, 12], frozen=False)
    return head + "".join(rows) + "</sheetData></worksheet>"


def _package_parts(names: list[str], filters: list[str | None]) -> dict[str, str]:
    """Everything but the worksheets: content types, relationships, workbook, styles."""
    count = len(names)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{WORKSHEET_TYPE}"/>'
        for i in range(1, count + 1))
    sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, start=1))
    # Excel keeps an autofilter's range as this hidden name; without it Excel repairs the file.
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_escape(ref)}</definedName>" for i, ref in enumerate(filters) if ref)
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1))
    shared = (f'<Relationship Id="rId{count + 2}" Type="{REL_NS}/sharedStrings" '
              'Target="sharedStrings.xml"/>')
    return {
        "[Content_Types].xml": (
            f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/'
            'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.sharedStrings+xml"/>{overrides}</Types>'),
        "_rels/.rels": (
            f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews>'
            f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
            + (f"<definedNames>{defined}</definedNames>" if defined else "") + "</workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">{relations}'
            f'<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
            f"{shared}</Relationships>"),
        "xl/styles.xml": STYLES,
    }


def _filter_ref(name: str, columns: int, rows: int) -> str:
    quoted = name.replace("'", "''")
    return f"'{quoted}'!$A$1:${_letter(max(columns, 1) - 1)}${rows + 1}"


class _Zipper:
    """The workbook's zip archive, written by a worker thread.

    zlib compresses without holding the GIL, so while the worker compresses one block of a
    sheet the main thread builds the next block's XML, or writes the CSVs and the HTML
    report. A bounded queue keeps a few blocks in flight at most.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self._queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(handle,), name="xlsx-zip",
                                        daemon=True)
        self._thread.start()

    def _run(self, handle: IO[bytes]) -> None:
        stopped = False
        try:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=ZIP_LEVEL) as archive:
                entry: IO[bytes] | None = None
                while (item := self._queue.get()) is not None:
                    action, payload = item
                    if action == "open":
                        entry = archive.open(payload[0], "w", force_zip64=payload[1])
                    elif action == "write" and entry is not None:
                        entry.write(payload)
                    elif action == "close" and entry is not None:
                        entry.close()
                        entry = None
                stopped = True
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread in finish()
            self._error = exc
            while not stopped and self._queue.get() is not None:
                pass  # keep taking blocks so that the main thread never waits forever

    def _put(self, action: str, payload: Any) -> None:
        self._queue.put((action, payload))

    def part(self, name: str, blocks: Iterator[bytes] | list[bytes], big: bool = False) -> None:
        """Queue one part of the package: its blocks are compressed in order."""
        self._put("open", (name, big))
        for block in blocks:
            self._put("write", block)
        self._put("close", None)

    def finish(self) -> None:
        """Wait until everything is written; raise what went wrong on the worker."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


class Workbook:
    """audit.xlsx, written as it is built: each table sheet as it is added, then the Summary
    sheet, which counts every sheet's rows and so comes last (its place in the workbook is
    first: the order of the zip's parts is not the order of the sheets).

    ``names`` are the table sheets' names in workbook order; they may be added in any order,
    each once. Used as a context manager; the file appears, complete, when the block ends
    without error.
    """

    def __init__(self, path: Path, names: list[str], max_rows: int = EXCEL_MAX_ROWS) -> None:
        self.path = Path(path)
        self._names = list(names)
        self._max_rows = max_rows
        self._written: list[_Written | None] = [None] * len(self._names)
        self._summarized = False
        # Every text of the table sheets, once, by its index in xl/sharedStrings.xml (Excel's
        # own layout): a cell names its text by number, and the site's URLs, repeated on
        # every sheet and in every link row, are stored once.
        self._strings: dict[str, int] = {}
        self._stack = ExitStack()
        self._zipper: _Zipper | None = None

    def __enter__(self) -> Workbook:
        handle = self._stack.enter_context(atomic_open(self.path, mode="wb", encoding=None))
        self._zipper = _Zipper(handle)
        return self

    def add(self, sheet: Sheet, columns: list[Column] | None = None) -> None:
        """Write a table sheet; ``columns`` are its prepared columns when the caller already
        has them (the CSV writer needs the same)."""
        if sheet.name not in self._names or self._written[self._names.index(sheet.name)]:
            raise ValueError(f"sheet {sheet.name!r} is not one of the workbook's, or added twice")
        index = self._names.index(sheet.name)
        rows = min(len(sheet.frame), self._max_rows - 1)
        if columns is None:
            columns = [column(sheet.frame, name) for name in sheet.columns]
        assert self._zipper is not None, "use the workbook in a with block"
        # A sheet over 2 GiB needs zip64, which must be asked for before streaming starts.
        big = rows * max(len(columns), 1) > 10_000_000
        self._zipper.part(f"xl/worksheets/sheet{index + 2}.xml",
                          _table_parts(sheet, columns, rows, self._strings), big)
        self._written[index] = _Written(sheet, rows)

    def summarize(self, summary: dict[str, Any], issues: pd.DataFrame) -> None:
        """Write the Summary sheet, once every table sheet is added."""
        written = self._all_written()
        assert self._zipper is not None, "use the workbook in a with block"
        self._zipper.part("xl/worksheets/sheet1.xml", [
            _summary_part(summary, issues, [w.info for w in written]).encode("utf-8")])
        self._summarized = True

    def _all_written(self) -> list[_Written]:
        missing = [n for n, w in zip(self._names, self._written, strict=True) if w is None]
        if missing:
            raise ValueError(f"{len(missing)} sheet(s) never added: {', '.join(missing)}")
        return [w for w in self._written if w is not None]

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool | None:
        assert self._zipper is not None
        if error is None:
            try:
                written = self._all_written()
                if not self._summarized:
                    raise ValueError("the Summary sheet was never written")
                filters = [None, *(_filter_ref(w.sheet.name, len(w.sheet.columns), w.rows)
                                   for w in written)]
                for part, text in _package_parts(["Summary", *self._names], filters).items():
                    self._zipper.part(part, [text.encode("utf-8")])
                self._zipper.part("xl/sharedStrings.xml", _shared_strings(self._strings))
                self._zipper.finish()
            except BaseException as exc:
                with suppress(Exception):  # stop the worker
                    self._zipper.finish()
                self._stack.__exit__(type(exc), exc, exc.__traceback__)  # removes the file
                raise
            self._stack.close()  # complete: moved into place
            return None
        with suppress(Exception):  # stop the worker; the block's error is the one to report
            self._zipper.finish()
        return self._stack.__exit__(kind, error, trace)  # removes the unfinished file


def write_xlsx(path: Path, sheets: list[Sheet], summary: dict[str, Any], issues: pd.DataFrame,
               max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """Write the workbook: a Summary sheet, then one sheet per table (cut at ``max_rows`` rows,
    the header included)."""
    with Workbook(path, [sheet.name for sheet in sheets], max_rows) as book:
        for sheet in sheets:
            book.add(sheet)
        book.summarize(summary, issues)
    return path
