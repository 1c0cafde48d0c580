"""nap.csv and keywords.csv: the local-SEO tables a contractor sorts and filters."""

from __future__ import annotations

from typing import Any

from reports.xlsx import Sheet

NAP_COLUMNS = ["url", "field", "source", "raw", "normalized", "expected", "verdict", "zone",
               "role", "context"]
KEYWORDS_COLUMNS = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]


def local_sheets(frames: Any) -> list[Sheet]:
    """The NAP and keyword tables (when the audit made them), sorted, as CSV/workbook sheets."""
    sheets = []
    if frames.get("nap_table") is not None:
        table = frames.nap_table.sort_values(["url", "field", "source"], kind="stable")
        sheets.append(Sheet("nap", table, NAP_COLUMNS, "nap.csv"))
    if frames.get("keywords") is not None:
        keywords = frames.keywords.sort_values(["url", "term"], kind="stable")
        sheets.append(Sheet("keywords", keywords, KEYWORDS_COLUMNS, "keywords.csv"))
    return sheets
