"""Write every report of one audit into the output folder.

On Linux a forked child process writes the workbook: it starts on the tables the checks do not
change (pages, links, NAP, keywords) while this process runs the checks, then takes their
findings and the summary over a pipe. Each of those tables' CSVs is written by whichever
process gets to it first: the child, as it prepares the table's columns for its sheet (one
preparation for both), or this process, once it has written the findings' CSV and the HTML
report (see _Claims). Elsewhere, one pass over the tables writes each table's prepared columns
to its CSV and to its workbook sheet, the workbook compressed on a worker thread."""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.changes import CHANGES_COLUMNS, CHANGES_CSV, PAGE_CHANGES_COLUMNS, PAGE_CHANGES_CSV
from audit.load import release_freed_memory
from audit.registry import FINDING_COLUMNS, SEVERITIES, AuditContext
from reports.cells import Column, column
from reports.csv import write_columns, write_csv
from reports.html import health_score, write_html
from reports.local import local_columns, local_csv_name, local_names, local_order, local_sheet
from reports.xlsx import Sheet, Workbook, write_xlsx

PAGES_COLUMNS = [
    "url", "status", "content_type", "depth", "title", "title_length", "meta_description",
    "meta_description_length", "h1", "h1_count", "word_count", "canonical", "indexable",
    "response_ms", "kind", "final_url", "redirect_hops", "noindex", "meta_robots",
    "x_robots_tag", "lang", "in_sitemap", "inlinks", "error", "rendered",
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


def _city(frames: Any, profile: Any) -> str | None:
    locale = frames.get("locale")
    return locale.city if locale is not None else getattr(profile, "city", None)


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
              find_issues: Callable[[], pd.DataFrame],
              on_summary: Callable[[pd.DataFrame, dict[str, Any]], None] | None = None,
              ) -> dict[str, Any]:
    """Write every report of the audit; ``find_issues`` runs the checks (called once, here,
    so that the workbook's tables can be written while the checks run). ``on_summary`` is
    called with the findings and the summary before any report is written: it may add the
    comparison with an earlier audit (summary["since"], audit.changes.Comparison)."""
    out = Path(out)
    # The tables the checks do not change, in the order they are written: the findings'
    # table comes after links in the workbook, when the checks are done. The local tables
    # are sorted copies, made where they are written: here only the order of their rows is
    # worked out (copies of the NAP and keyword tables were 20 MB more during the checks).
    order = ["pages", "links", *local_names(frames)]
    rows = {name: local_order(frames, name) for name in order[2:]}

    def table(index: int) -> Sheet:
        return _sheet(frames, order[index], rows)

    def tables() -> list[Sheet]:
        return [table(index) for index in range(len(order))]

    names = [order[0], order[1], "issues", *order[2:]]
    files = [_CSV_NAMES.get(name) or local_csv_name(name) for name in order]
    files.insert(2, "issues.csv")
    claims = _Claims([_cells(frames, name, rows) for name in order])
    child, pipe = _fork_workbook(out, names, table, claims)
    if child is None:
        return _write_in_one_pass(out, frames, context, find_issues, tables(), names,
                                  on_summary)
    mine: list[int] = []
    try:
        issues = find_issues()
        release_freed_memory()  # what the checks worked with: the HTML report's to use
        summary = _summary(out, frames, issues, context, files, on_summary)
        _write_changes(out, summary)
        _send(pipe, issues, summary)
        pipe = None  # the sending thread closes it
        _write_csv(out, Sheet("issues", issues, FINDING_COLUMNS, "issues.csv"))
        report = write_html(out / "report.html", frames, issues, summary)
        release_freed_memory()
        # The tables' CSVs the child has not come to yet: the one it leaves for last, then
        # from its last table back.
        for index in claims.parent_order():
            if claims.take(index, _Claims.PARENT):
                mine.append(index)
                _write_csv(out, table(index))
    except BaseException:
        os.kill(child, signal.SIGTERM)  # the child removes its unfinished files
        os.waitpid(child, 0)
        if pipe is not None:
            os.close(pipe)
        raise
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        # Killed or failed there: written here instead, where any error shows as usual (a CSV
        # the child finished is written again: the same bytes).
        sheets = tables()
        for index, sheet in enumerate(sheets):
            if index not in mine:
                _write_csv(out, sheet)
        findings = Sheet("issues", issues, FINDING_COLUMNS, "issues.csv")
        write_xlsx(out / WORKBOOK, [sheets[0], sheets[1], findings, *sheets[2:]], summary,
                   issues)
    summary["report"] = str(report.resolve())
    return summary


_CSV_NAMES = {"pages": "pages.csv", "links": "links.csv"}


def _cells(frames: Any, name: str, rows: dict[str, np.ndarray]) -> int:
    """How many cells a table the checks do not change has: its rows times its columns."""
    if name == "pages":
        return len(frames.pages) * len(PAGES_COLUMNS)
    if name == "links":
        return len(frames.links) * len(LINKS_COLUMNS)
    return len(rows[name]) * len(local_columns(name))


def _sheet(frames: Any, name: str, rows: dict[str, np.ndarray]) -> Sheet:
    """A table the checks do not change, by its sheet name, as a CSV/workbook sheet; ``rows``:
    the local tables' sorted orders (local_order)."""
    if name == "pages":
        # A new frame sharing the pages' columns (no copy), with the depth column under its
        # report name.
        pages = frames.pages.assign(depth=frames.pages["link_depth"])
        return Sheet("pages", pages, PAGES_COLUMNS, _CSV_NAMES["pages"])
    if name == "links":
        return Sheet("links", frames.links, LINKS_COLUMNS, _CSV_NAMES["links"])
    return local_sheet(frames, name, rows[name])


class _Claims:
    """Which process writes each table's CSV, in memory both processes share: a byte per
    table, 0 until one of them takes it. The two may take one at the same moment; then both
    write it, the same bytes, each file complete (atomic_open): only time is lost.

    The child writes each CSV with the table's sheet, from the same columns, except the largest
    table's (links), which it leaves for after its last sheet: this process, done with the
    checks and the HTML report by then, takes that one first, its largest share of the work
    (the child's sheets, compressed as they are made, take longer than the checks)."""

    CHILD, PARENT = 1, 2

    def __init__(self, cells: list[int]) -> None:
        self.count = len(cells)
        self.last = max(range(self.count), key=cells.__getitem__, default=None)
        self._taken = mmap.mmap(-1, max(self.count, 1))  # anonymous: shared across fork

    def parent_order(self) -> list[int]:
        """The order this process takes the tables in: the one the child leaves for last,
        then from the child's last table back."""
        rest = [index for index in reversed(range(self.count)) if index != self.last]
        return rest if self.last is None else [self.last, *rest]

    def take(self, index: int, who: int) -> bool:
        """Take table ``index`` for ``who`` unless the other process has."""
        if self._taken[index]:
            return False
        self._taken[index] = who
        return True


def _write_csv(out: Path, sheet: Sheet) -> list[Column]:
    """A table's CSV; returns its prepared columns (the workbook's sheet takes the same)."""
    columns = [column(sheet.frame, name) for name in sheet.columns]
    write_columns(out / sheet.csv_name, columns)
    return columns


def _write_in_one_pass(out: Path, frames: Any, context: AuditContext,
                       find_issues: Callable[[], pd.DataFrame], tables: list[Sheet],
                       names: list[str],
                       on_summary: Callable[[pd.DataFrame, dict[str, Any]], None] | None = None,
                       ) -> dict[str, Any]:
    """Where no process can be forked: each table's prepared columns go to its CSV and to
    its sheet, in the order the workbook process writes them (the same workbook)."""
    issues = find_issues()
    findings = Sheet("issues", issues, FINDING_COLUMNS, "issues.csv")
    summary = _summary(out, frames, issues, context,
                       [s.csv_name for s in [tables[0], tables[1], findings, *tables[2:]]],
                       on_summary)
    _write_changes(out, summary)
    with Workbook(out / WORKBOOK, names) as book:
        for sheet in [*tables, findings]:
            book.add(sheet, _write_csv(out, sheet))
        book.summarize(summary, issues)
        # rendered while the workbook's last blocks are still being compressed
        report = write_html(out / "report.html", frames, issues, summary)
    summary["report"] = str(report.resolve())
    return summary


def _write_changes(out: Path, summary: dict[str, Any]) -> None:
    """changes.csv and page_changes.csv, when the audit was compared with an earlier one; an
    audit that is not (any more) leaves none behind from an earlier run."""
    comparison = summary.get("since")
    if comparison is None:
        for name in (CHANGES_CSV, PAGE_CHANGES_CSV):
            (out / name).unlink(missing_ok=True)
        return
    write_csv(comparison.changes, out / CHANGES_CSV, CHANGES_COLUMNS)
    write_csv(comparison.page_changes, out / PAGE_CHANGES_CSV, PAGE_CHANGES_COLUMNS)


def _summary(out: Path, frames: Any, issues: pd.DataFrame, context: AuditContext,
             files: list[str],
             on_summary: Callable[[pd.DataFrame, dict[str, Any]], None] | None = None,
             ) -> dict[str, Any]:
    summary = _summary_of(out, frames, issues, context, files)
    if on_summary is not None:
        on_summary(issues, summary)
    if summary.get("since") is not None:
        summary["files"][-1:-1] = [CHANGES_CSV, PAGE_CHANGES_CSV]  # before the workbook
    return summary


def _summary_of(out: Path, frames: Any, issues: pd.DataFrame, context: AuditContext,
                files: list[str]) -> dict[str, Any]:
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
        "areas": [a for a in [_city(frames, profile),
                              *(getattr(profile, "areas", None) or [])] if a],
        # where the local checks took the practice to be, and why (audit.locale)
        "locale": (locale.summary() if (locale := frames.get("locale")) is not None
                   else None),
        "files": [*files, WORKBOOK],
        "workbook": str((out / WORKBOOK).resolve()),
    }


def _fork_workbook(out: Path, names: list[str], table: Callable[[int], Sheet],
                   claims: _Claims) -> tuple[int | None, int | None]:
    """Start writing the workbook, and the CSVs of the tables it ``claims`` (``table(i)``
    makes the i-th: each is made in the child, when its turn comes), in a forked child process:
    its pid and the pipe that takes it the findings and the summary once the checks are done
    (_send); (None, None) where forking is not available (then the caller writes them).

    The report step is one process on one core: the workbook, its largest part, goes to the
    other core with the CSVs of the tables the checks do not change (pages, links, NAP,
    keywords), each table's columns prepared once for both, while this process runs the checks
    and writes the findings and the HTML report. A fork shares the frames with the child as
    they are, with nothing to copy or pickle; only the findings and the summary go over the
    pipe. The child writes its files (atomically, as always) and exits at once, without
    running the parent's exit handlers or flushing its buffers.
    """
    if not sys.platform.startswith("linux"):  # fork is unsafe on macOS, absent on Windows
        return None, None
    release_freed_memory()  # not to be counted twice, in this process and in the child
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
        # SystemExit, so the unfinished files' temporary files are removed on the way out.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        with Workbook(out / WORKBOOK, names) as book:
            last: list[Column] = []  # the columns of the table whose CSV comes last
            last_csv = ""
            for index in range(claims.count):
                sheet = table(index)
                columns = [column(sheet.frame, name) for name in sheet.columns]
                if index == claims.last:
                    last, last_csv = columns, sheet.csv_name
                # the CSV first: its writing leaves the compressing thread time to catch up
                # with the last sheet's blocks
                elif claims.take(index, _Claims.CHILD):
                    write_columns(out / sheet.csv_name, columns)
                book.add(sheet, columns)
                del sheet, columns
            if claims.last is not None and claims.take(claims.last, _Claims.CHILD):
                write_columns(out / last_csv, last)
            del last
            # The parent's checks are done by now: their findings and the summary. A parent
            # that failed or died closes the pipe first (EOFError: no workbook).
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
