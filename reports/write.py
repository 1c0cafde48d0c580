"""Write every report of one audit into the output folder.

The workbook is written by a forked child process while this one writes the CSVs and the HTML
report (on Linux; elsewhere, one pass over the tables writes each table's prepared columns to its
CSV and to its workbook sheet, the workbook compressed on a worker thread).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from audit.registry import FINDING_COLUMNS, SEVERITIES, AuditContext
from reports.cells import column
from reports.csv import write_columns
from reports.html import health_score, write_html
from reports.local import local_sheets
from reports.xlsx import Sheet, Workbook, write_xlsx

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
WORKBOOK = "audit.xlsx"


def _duration(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return "unknown time"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _business(frames: Any, profile: Any) -> dict[str, Any] | None:
    """The canonical business record: audit.business's (frames["business"]) when the audit made
    one, else the profile's own values."""
    if frames.get("business") is not None:
        return frames.business
    if profile is None:
        return None
    return {field: {"value": getattr(profile, field, None), "inferred": False}
            for field in ("name", "phone", "license", "address")}


def write_all(out: Path, frames: Any, issues: pd.DataFrame,
              context: AuditContext) -> dict[str, Any]:
    out = Path(out)
    # A new frame sharing the pages' columns (no copy), with the depth column under its
    # report name.
    pages = frames.pages.assign(depth=frames.pages["link_depth"])
    sheets = [Sheet("pages", pages, PAGES_COLUMNS, "pages.csv"),
              Sheet("links", frames.links, LINKS_COLUMNS, "links.csv"),
              Sheet("issues", issues, FINDING_COLUMNS, "issues.csv"), *local_sheets(frames)]
    manifest = frames.manifest or {}
    profile = context.profile
    summary = {
        "site": frames.start_url,
        "started": (manifest.get("started") or "").replace("T", " ").replace("+00:00", " UTC"),
        "duration": _duration(manifest.get("duration_s")),
        "robots_obeyed": manifest.get("robots_obeyed", True),
        # a crawl killed outright never recorded its end
        "interrupted": bool(manifest.get("interrupted") or not manifest.get("finished")),
        "blocked": bool((frames.get("crawl_state") or {}).get("blocked")),
        "pages": int(pages["extracted"].sum()),
        "urls": int(len(frames.fetches)),
        "counts": {s: int((issues["severity"] == s).sum()) for s in SEVERITIES},
        "score": health_score(frames, issues),
        "business": _business(frames, profile),
        # The location grid lists the practice's own city and areas first.
        "areas": [a for a in [getattr(profile, "city", None),
                              *(getattr(profile, "areas", None) or [])] if a],
        "files": [s.csv_name for s in sheets] + [WORKBOOK],
        "workbook": str((out / WORKBOOK).resolve()),
    }
    child = _fork_workbook(out / WORKBOOK, sheets, summary, issues)
    if child is None:
        with Workbook(out / WORKBOOK, sheets, summary, issues) as book:
            for sheet in sheets:
                columns = [column(sheet.frame, name) for name in sheet.columns]
                write_columns(out / sheet.csv_name, columns)
                book.add(sheet, columns)
            # rendered while the workbook's last blocks are still being compressed
            summary["report"] = str(write_html(out / "report.html", frames, issues, summary)
                                    .resolve())
        return summary
    try:
        for sheet in sheets:
            write_columns(out / sheet.csv_name,
                          [column(sheet.frame, name) for name in sheet.columns])
        report = write_html(out / "report.html", frames, issues, summary)
    except BaseException:
        os.kill(child, signal.SIGTERM)  # the child removes its unfinished workbook
        os.waitpid(child, 0)
        raise
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        # Killed or failed there: written here instead, where any error shows as usual.
        write_xlsx(out / WORKBOOK, sheets, summary, issues)
    summary["report"] = str(report.resolve())
    return summary


def _fork_workbook(path: Path, sheets: list[Sheet], summary: dict[str, Any],
                   issues: pd.DataFrame) -> int | None:
    """Start writing the workbook in a forked child process; its pid, or None where forking
    is not available (then the caller writes it).

    The report step is one process on one core: the workbook, its largest part, goes to the
    other core. A fork shares the frames with the child as they are, with nothing to copy or
    pickle; the child writes only the workbook (atomically, as always) and exits at once,
    without running the parent's exit handlers or flushing its buffers.
    """
    if not sys.platform.startswith("linux"):  # fork is unsafe on macOS, absent on Windows
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    status = 1
    try:
        # Ctrl-C reaches the parent, which stops the child once, with SIGTERM: raised here as
        # SystemExit, so the unfinished workbook's temporary file is removed on the way out.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        write_xlsx(path, sheets, summary, issues)
        status = 0
    finally:
        os._exit(status)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(1)
