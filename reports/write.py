"""Write every report of one audit into the output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from audit.registry import FINDING_COLUMNS, SEVERITIES, AuditContext
from reports.csv import write_csv
from reports.html import write_html

PAGES_COLUMNS = [
    "url", "status", "content_type", "depth", "title", "title_length", "meta_description",
    "meta_description_length", "h1", "h1_count", "word_count", "canonical", "indexable",
    "response_ms", "kind", "final_url", "redirect_hops", "noindex", "meta_robots",
    "x_robots_tag", "lang", "in_sitemap", "inlinks", "error",
]
LINKS_COLUMNS = [
    "source_url", "target_url", "kind", "element", "anchor_text", "status", "final_url",
    "redirect_hops", "broken", "final_status", "unverified", "error", "rel", "alt", "count",
]


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return "unknown time"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def write_all(out: Path, frames: Any, issues: pd.DataFrame,
              context: AuditContext) -> dict[str, Any]:
    out = Path(out)
    pages = frames.pages.copy()
    pages["depth"] = pages["link_depth"]
    write_csv(pages, out / "pages.csv", PAGES_COLUMNS)
    write_csv(frames.links, out / "links.csv", LINKS_COLUMNS)
    write_csv(issues, out / "issues.csv", FINDING_COLUMNS)
    manifest = frames.manifest or {}
    summary = {
        "site": frames.start_url,
        "started": (manifest.get("started") or "").replace("T", " ").replace("+00:00", " UTC"),
        "duration": _duration(manifest.get("duration_s")),
        "robots_obeyed": manifest.get("robots_obeyed", True),
        "interrupted": manifest.get("interrupted", False),
        "pages": int(pages["extracted"].sum()),
        "urls": int(len(frames.fetches)),
        "counts": {s: int((issues["severity"] == s).sum()) for s in SEVERITIES},
    }
    summary["report"] = str(write_html(out / "report.html", frames, issues, summary).resolve())
    return summary
