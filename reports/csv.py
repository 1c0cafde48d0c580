"""CSV writers: UTF-8 files that open cleanly in Excel and Google Sheets, written atomically.

A cell that starts with = + - @ (or a tab / carriage return) would be run as a formula by a
spreadsheet: it gets a leading apostrophe, the OWASP-recommended neutralisation, so a page
titled "=HYPERLINK(...)" shows as text. Lists (headings, redirect chains) are written as JSON.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from reports.cells import Column, column, lookup

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a cell safe for spreadsheets; lists and dicts become JSON text."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, dict, str)) and bool(pd.isna(value)))


@contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place only when complete,
    so a crash never leaves a half-written report behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    # mkstemp makes the file private (0600); a report is as readable as any file the user makes
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) \
                as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# rows joined into one string at a time: a block of 20,000 rows of a links table took some
# 30 MB at once (its cells, their list and the string), one of 5,000 a quarter of that
CHUNK_ROWS = 5_000
_NEEDS_QUOTES = frozenset(',"\r\n')


def _field(value: Any) -> str:
    """A cell as the CSV file spells it: blank when missing, neutralised, and quoted exactly
    as Python's csv module (which pandas' to_csv uses) quotes it under QUOTE_MINIMAL."""
    if _missing(value):
        return ""
    return _quoted(str(neutralise(value)))


def _quoted(text: str) -> str:
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _fields(values: list[Any]) -> list[str]:
    """_field of each value. Text, nearly every distinct value of a crawl's tables (its URLs,
    titles, anchor texts), is spelled without a call per value."""
    if not all(type(value) is str for value in values):
        return [_field(value) for value in values]
    disjoint = _NEEDS_QUOTES.isdisjoint
    return [_quoted("'" + text) if text.startswith(FORMULA_PREFIXES)
            else text if disjoint(text) else _quoted(text) for text in values]


def write_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> Path:
    """Write ``columns`` of ``frame`` (missing ones blank) to ``path`` as spreadsheet-safe CSV."""
    return write_columns(path, [column(frame, name) for name in columns])


def write_columns(path: Path, columns: list[Column]) -> Path:
    """Write prepared columns (reports.cells) as spreadsheet-safe CSV."""
    if len(columns) < 2:  # a row of one empty field is spelled '""': leave that to csv
        return _write_with_csv_module(path, columns)
    # Each distinct value is neutralised and quoted once; rows pick theirs by code, and a block
    # of rows is joined into one string in one call.
    fields = [lookup(_fields(cells.values), "") for cells in columns]
    rows = len(columns[0].codes)
    # utf-8-sig: the byte-order mark makes Excel read the file as UTF-8, not the local codepage.
    with atomic_open(path, encoding="utf-8-sig") as handle:
        handle.write(",".join(_quoted(cells.name) for cells in columns) + "\r\n")
        for start in range(0, rows, CHUNK_ROWS):
            block = slice(start, start + CHUNK_ROWS)
            grid = np.empty((min(rows - start, CHUNK_ROWS), 2 * len(fields)), dtype=object)
            for index, (cells, texts) in enumerate(zip(columns, fields, strict=True)):
                grid[:, 2 * index] = texts[cells.codes[block]]
            grid[:, 1:-1:2] = ","
            grid[:, -1] = "\r\n"
            handle.write("".join(grid.ravel().tolist()))
    return path


def _write_with_csv_module(path: Path, columns: list[Column]) -> Path:
    texts = [cells.take(["" if _missing(v) else str(neutralise(v)) for v in cells.values],
                        "").tolist() for cells in columns]
    with atomic_open(path, encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")  # pandas' to_csv dialect
        writer.writerow([cells.name for cells in columns])
        writer.writerows(zip(*texts, strict=True))
    return path
