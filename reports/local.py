"""nap.csv and keywords.csv: the local-SEO tables a contractor sorts and filters."""

from __future__ import annotations

from typing import Any

import numpy as np

from reports.xlsx import Sheet

NAP_COLUMNS = ["url", "field", "source", "raw", "normalized", "expected", "verdict", "zone",
               "role", "context"]
KEYWORDS_COLUMNS = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]
# sheet name: (frame, sort order, columns, CSV)
_TABLES = {"nap": ("nap_table", ["url", "field", "source"], NAP_COLUMNS, "nap.csv"),
           "keywords": ("keywords", ["url", "term"], KEYWORDS_COLUMNS, "keywords.csv")}


def local_names(frames: Any) -> list[str]:
    """The local tables the audit made, by sheet name."""
    return [name for name, (frame, *_) in _TABLES.items() if frames.get(frame) is not None]


def local_columns(name: str) -> list[str]:
    """The columns of a local table's CSV and sheet."""
    return _TABLES[name][2]


def local_csv_name(name: str) -> str:
    """The CSV of a local table."""
    return _TABLES[name][3]


def local_order(frames: Any, name: str) -> np.ndarray:
    """The positions of a local table's rows in their sorted order (stable): what
    ``local_sheet`` takes. Sorting reads only the sort columns, and the positions are a small
    part of a sorted copy of the table."""
    frame, order, _, _ = _TABLES[name]
    keys = frames[frame][order].reset_index(drop=True)
    return keys.sort_values(order, kind="stable").index.to_numpy()


def local_sheet(frames: Any, name: str, order: np.ndarray | None = None) -> Sheet:
    """One local table (``local_names``), sorted (by ``order`` when given: ``local_order``),
    as a CSV/workbook sheet."""
    frame, _, columns, csv_name = _TABLES[name]
    rows = local_order(frames, name) if order is None else order
    return Sheet(name, frames[frame].take(rows), columns, csv_name)


def local_sheets(frames: Any) -> list[Sheet]:
    """The NAP and keyword tables (when the audit made them), sorted, as CSV/workbook sheets."""
    return [local_sheet(frames, name) for name in local_names(frames)]
