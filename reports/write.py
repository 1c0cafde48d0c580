"""Write every report of one audit into the output folder.

On Linux a forked child process writes the workbook: it starts on the tables the checks do not
change while this process runs the checks, then takes their findings and the summary over a
pipe, while this one writes the CSVs and the HTML report. Elsewhere, one pass over the tables
writes each table's prepared columns to its CSV and to its workbook sheet, the workbook
compressed on a worker thread."""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
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


def write_all(out: Path, frames: Any, context: AuditContext,
              find_issues: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    """Write every report of the audit; ``find_issues`` runs the checks (called once, here,
    so that the workbook's tables can be written while the checks run)."""
    out = Path(out)
    # A new frame sharing the pages' columns (no copy), with the depth column under its
    # report name.
    pages = frames.pages.assign(depth=frames.pages["link_depth"])
    # The tables the checks do not change, in the order they are written: the findings'
    # table comes last, when the checks are done.
    tables = [Sheet("pages", pages, PAGES_COLUMNS, "pages.csv"),
              Sheet("links", frames.links, LINKS_COLUMNS, "links.csv"), *local_sheets(frames)]
    names = [tables[0].name, tables[1].name, "issues", *(t.name for t in tables[2:])]
    child, pipe = _fork_workbook(out / WORKBOOK, names, tables)
    if child is None:
        return _write_in_one_pass(out, frames, context, find_issues, tables, names)
    try:
        issues = find_issues()
        findings = Sheet("issues", issues, FINDING_COLUMNS, "issues.csv")
        sheets = [tables[0], tables[1], findings, *tables[2:]]  # in the order of ``names``
        summary = _summary(out, frames, issues, context, sheets)
        _send(pipe, issues, summary)
        pipe = None  # the sending thread closes it
        for sheet in [*tables, findings]:
            write_columns(out / sheet.csv_name,
                          [column(sheet.frame, name) for name in sheet.columns])
        report = write_html(out / "report.html", frames, issues, summary)
    except BaseException:
        os.kill(child, signal.SIGTERM)  # the child removes its unfinished workbook
        os.waitpid(child, 0)
        if pipe is not None:
            os.close(pipe)
        raise
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        # Killed or failed there: written here instead, where any error shows as usual.
        write_xlsx(out / WORKBOOK, sheets, summary, issues)
    summary["report"] = str(report.resolve())
    return summary


def _write_in_one_pass(out: Path, frames: Any, context: AuditContext,
                       find_issues: Callable[[], pd.DataFrame], tables: list[Sheet],
                       names: list[str]) -> dict[str, Any]:
    """Where no process can be forked: each table's prepared columns go to its CSV and to
    its sheet, in the order the workbook process writes them (the same workbook)."""
    issues = find_issues()
    findings = Sheet("issues", issues, FINDING_COLUMNS, "issues.csv")
    summary = _summary(out, frames, issues, context,
                       [tables[0], tables[1], findings, *tables[2:]])
    with Workbook(out / WORKBOOK, names) as book:
        for sheet in [*tables, findings]:
            columns = [column(sheet.frame, name) for name in sheet.columns]
            write_columns(out / sheet.csv_name, columns)
            book.add(sheet, columns)
        book.summarize(summary, issues)
        # rendered while the workbook's last blocks are still being compressed
        report = write_html(out / "report.html", frames, issues, summary)
    summary["report"] = str(report.resolve())
    return summary


def _summary(out: Path, frames: Any, issues: pd.DataFrame, context: AuditContext,
             sheets: list[Sheet]) -> dict[str, Any]:
    manifest = frames.manifest or {}
    profile = context.profile
    return {
        "site": frames.start_url,
        "started": (manifest.get("started") or "").replace("T", " ").replace("+00:00", " UTC"),
        "duration": _duration(manifest.get("duration_s")),
        "robots_obeyed": manifest.get("robots_obeyed", True),
        # a crawl killed outright never recorded its end
        "interrupted": bool(manifest.get("interrupted") or not manifest.get("finished")),
        "blocked": bool((frames.get("crawl_state") or {}).get("blocked")),
        "pages": int(frames.pages["extracted"].sum()),
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


def _fork_workbook(path: Path, names: list[str], tables: list[Sheet]
                   ) -> tuple[int | None, int | None]:
    """Start writing the workbook in a forked child process: its pid and the pipe that takes
    it the findings and the summary once the checks are done (_send); (None, None) where
    forking is not available (then the caller writes it).

    The report step is one process on one core: the workbook, its largest part, goes to the
    other core, and starts on the tables the checks do not change (pages, links, NAP,
    keywords) while this process runs the checks. A fork shares the frames with the child as
    they are, with nothing to copy or pickle; only the findings and the summary go over the
    pipe. The child writes only the workbook (atomically, as always) and exits at once,
    without running the parent's exit handlers or flushing its buffers.
    """
    if not sys.platform.startswith("linux"):  # fork is unsafe on macOS, absent on Windows
        return None, None
    sys.stdout.flush()
    sys.stderr.flush()
    reading, sending = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(sending)
        return None, None
    if pid:
        os.close(reading)
        return pid, sending
    status = 1
    try:
        os.close(sending)
        # Ctrl-C reaches the parent, which stops the child once, with SIGTERM: raised here as
        # SystemExit, so the unfinished workbook's temporary file is removed on the way out.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        with Workbook(path, names) as book:
            for sheet in tables:
                book.add(sheet)
            # The parent's checks are done by now, or nearly: their findings and the summary.
            # A parent that failed or died closes the pipe first (EOFError: no workbook).
            with os.fdopen(reading, "rb") as pipe:
                issues, summary = pickle.load(pipe)
            book.add(Sheet("issues", issues, FINDING_COLUMNS, "issues.csv"))
            book.summarize(summary, issues)
        status = 0
    finally:
        os._exit(status)


def _send(pipe: int | None, issues: pd.DataFrame, summary: dict[str, Any]) -> None:
    """Hand the findings and the summary to the workbook process, from a thread: the pipe
    fills long before the child reads it, and this process has its own reports to write."""
    assert pipe is not None
    payload = pickle.dumps((issues, summary), pickle.HIGHEST_PROTOCOL)

    def write() -> None:
        with suppress(OSError), os.fdopen(pipe, "wb") as handle:  # a dead child: EPIPE
            handle.write(payload)

    threading.Thread(target=write, name="workbook-findings", daemon=True).start()


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(1)
