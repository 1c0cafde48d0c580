"""nap.csv and keywords.csv: the local-SEO tables a contractor sorts and filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports.csv import write_csv

NAP_COLUMNS = ["url", "field", "source", "raw", "normalized", "expected", "verdict", "zone",
               "role", "context"]
KEYWORDS_COLUMNS = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]


def write_local_csvs(out: Path, frames: Any) -> list[Path]:
    table = frames.nap_table.sort_values(["url", "field", "source"], kind="stable")
    keywords = frames.keywords.sort_values(["url", "term"], kind="stable")
    return [write_csv(table, Path(out) / "nap.csv", NAP_COLUMNS),
            write_csv(keywords, Path(out) / "keywords.csv", KEYWORDS_COLUMNS)]
