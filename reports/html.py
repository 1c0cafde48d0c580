"""report.html: one self-contained page for the practice owner (inline CSS, no network).

Everything that came from a crawled page passes through Jinja2's autoescaping, and only http(s)
URLs ever become live links: a ``javascript:`` href found on a site is shown as text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from audit.registry import REGISTRY, SEVERITIES
from reports.csv import atomic_open

MAX_ROWS_PER_CHECK = 200  # the full list is always in issues.csv


def safe_href(url: Any) -> str | None:
    """The URL when it is safe to make clickable (http or https), else None."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    return env


def build_context(frames: Any, issues: pd.DataFrame, summary: dict[str, Any]) -> dict[str, Any]:
    groups = []
    for check_id, rows in issues.groupby("check", sort=False):
        meta = REGISTRY.get(check_id)
        groups.append({
            "id": check_id,
            "severity": rows["severity"].iloc[0],
            "title": meta.title if meta else check_id,
            "category": meta.category if meta else "",
            "explanation": meta.explanation if meta else "",
            "fix": meta.fix if meta else "",
            "count": len(rows),
            "pages": rows["url"].nunique(),
            "rows": rows.head(MAX_ROWS_PER_CHECK).to_dict("records"),
            "truncated": max(len(rows) - MAX_ROWS_PER_CHECK, 0),
        })
    counts = {s: int((issues["severity"] == s).sum()) for s in SEVERITIES}
    return {"summary": summary, "groups": groups, "counts": counts,
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def write_html(path: Path, frames: Any, issues: pd.DataFrame, summary: dict[str, Any]) -> Path:
    template = _environment().get_template("report.html.j2")
    html = template.render(**build_context(frames, issues, summary))
    with atomic_open(path) as handle:
        handle.write(html)
    return path
