"""CSV writers: UTF-8 files that open cleanly in Excel and Google Sheets, written atomically.

A cell that starts with = + - @ (or a tab / carriage return) would be run as a formula by a
spreadsheet: it gets a leading apostrophe, the OWASP-recommended neutralisation, so a page
titled "=HYPERLINK(...)" shows as text. Lists (headings, redirect chains) are written as JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pandas as pd

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


def write_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> Path:
    """Write ``columns`` of ``frame`` (missing ones blank) to ``path`` as spreadsheet-safe CSV."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column] if column in frame else pd.Series(None, index=frame.index)
        if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all():
            values = values.astype("Int64")  # counts stay "3", not "3.0", beside blanks
        out[column] = pd.Series([None if _missing(v) else neutralise(v) for v in values],
                                index=frame.index, dtype=object)
    # utf-8-sig: the byte-order mark makes Excel read the file as UTF-8, not the local codepage.
    with atomic_open(path, encoding="utf-8-sig") as handle:
        out.to_csv(handle, index=False, lineterminator="\r\n")
    return path
