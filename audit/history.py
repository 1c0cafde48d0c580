"""Every audit's record in one SQLite file: the history that trends and "since the last audit"
are queries over, so a deleted audit folder breaks nothing.

The schema is here and only here. An audit is one row of ``audits``; its findings (with the
identity audit.changes matches them by) and its pages' tracked facts are rows of ``findings``
and ``pages``, enough to compare a later audit with it when its folder is gone. Recording the
same audit again (``seo-audit report DIR`` run twice) replaces its rows: an audit is one site
and one crawl start time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from audit.changes import TRACKED_FIELDS, Snapshot

HISTORY_FILE = "history.sqlite"
SCHEMA_VERSION = 1

SCHEMA = f"""
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE IF NOT EXISTS audits (
    id          INTEGER PRIMARY KEY,
    site        TEXT NOT NULL,     -- host (and port) without www.: http and https are one site
    start_url   TEXT NOT NULL,
    name        TEXT NOT NULL,     -- the practice's name (profile, batch entry, or inferred)
    audited_at  TEXT NOT NULL,     -- ISO 8601 UTC: when the crawl started
    folder      TEXT NOT NULL,     -- where its reports were written (may since be gone)
    pages       INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    notices     INTEGER NOT NULL,
    score       INTEGER,           -- 0-100, NULL when no page could be read
    previous_id INTEGER REFERENCES audits(id) ON DELETE SET NULL,
    new         INTEGER,           -- findings new since previous_id (NULL: not compared)
    fixed       INTEGER,
    UNIQUE (site, audited_at)
);
CREATE TABLE IF NOT EXISTS findings (
    audit_id    INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    check_id    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_audit ON findings (audit_id);
CREATE TABLE IF NOT EXISTS pages (
    audit_id    INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    is_page     INTEGER NOT NULL,  -- an HTML page of the site that answered
    {", ".join(f"{name} TEXT NOT NULL" for name in TRACKED_FIELDS)}
);
CREATE INDEX IF NOT EXISTS pages_audit ON pages (audit_id);
"""


class HistoryError(Exception):
    """A history file that cannot be opened or is not one of ours."""


@dataclass(frozen=True)
class AuditRow:
    """One recorded audit (a row of ``audits``)."""

    id: int
    site: str
    start_url: str
    name: str
    audited_at: str
    folder: str
    pages: int
    errors: int
    warnings: int
    notices: int
    score: int | None
    previous_id: int | None
    new: int | None
    fixed: int | None


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """The history database at ``path``, created with its schema if new; one transaction."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise HistoryError(f"history file {str(path)!r} is a folder")
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryError(f"{str(path)!r} was written by a newer seo-audit "
                                   f"(history schema {version})")
            db.executescript(SCHEMA)
            with db:
                yield db
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"cannot use history file {str(path)!r}: {exc}") from None


def record(path: Path, snapshot: Snapshot, name: str = "",
           previous_id: int | None = None,
           counts: dict[str, int] | None = None) -> int:
    """Record ``snapshot`` (an audit just written); its id. ``previous_id`` and ``counts``
    (of audit.changes.Comparison): what it was compared with, and how many findings were new
    and fixed."""
    with connect(path) as db:
        site = snapshot.site
        values = {
            "site": site, "start_url": snapshot.start_url, "name": name or snapshot.practice,
            "audited_at": snapshot.audited_at, "folder": snapshot.folder,
            "pages": int(snapshot.pages_audited),
            "errors": int(snapshot.counts.get("error", 0)),
            "warnings": int(snapshot.counts.get("warning", 0)),
            "notices": int(snapshot.counts.get("notice", 0)), "score": snapshot.score}
        if counts is not None:
            values.update(previous_id=previous_id, new=counts.get("new", 0),
                          fixed=counts.get("fixed", 0))
        existing = db.execute("SELECT id FROM audits WHERE site = ? AND audited_at = ?",
                              (site, snapshot.audited_at)).fetchone()
        if existing:
            # The same audit written again (its reports rebuilt): its row keeps its id, so
            # later audits compared with it still name it, and keeps what it was compared
            # with unless this writing compared it again.
            audit_id = int(existing[0])
            db.execute(f"UPDATE audits SET {', '.join(f'{k} = ?' for k in values)} "
                       "WHERE id = ?", (*values.values(), audit_id))
            db.execute("DELETE FROM findings WHERE audit_id = ?", (audit_id,))
            db.execute("DELETE FROM pages WHERE audit_id = ?", (audit_id,))
        else:
            cursor = db.execute(
                f"INSERT INTO audits ({', '.join(values)}) "
                f"VALUES ({', '.join('?' for _ in values)})", tuple(values.values()))
            audit_id = int(cursor.lastrowid or 0)
        findings = snapshot.findings
        db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
            ((audit_id, *row) for row in findings[
                ["url", "check", "severity", "subject", "message"]].itertuples(index=False)))
        pages = snapshot.pages
        db.executemany(
            f"INSERT INTO pages VALUES (?, ?, ?, {', '.join('?' for _ in TRACKED_FIELDS)})",
            ((audit_id, row[0], int(bool(row[1])), *row[2:]) for row in pages[
                ["url", "is_page", *TRACKED_FIELDS]].itertuples(index=False)))
    return audit_id


def audits(path: Path, site: str | None = None) -> list[AuditRow]:
    """Every recorded audit (of ``site`` only, when given), oldest first."""
    if not Path(path).exists():
        return []
    with connect(path) as db:
        query = "SELECT * FROM audits"
        rows = (db.execute(query + " WHERE site = ? ORDER BY audited_at, id", (site,))
                if site is not None else
                db.execute(query + " ORDER BY site, audited_at, id"))
        return [AuditRow(*row) for row in rows.fetchall()]


def latest(path: Path, site: str, before: str | None = None) -> AuditRow | None:
    """The site's last recorded audit (started before ``before``, when given)."""
    found = [row for row in audits(path, site)
             if before is None or row.audited_at < before]
    return found[-1] if found else None


def snapshot(path: Path, audit: AuditRow) -> Snapshot:
    """A recorded audit as audit.changes compares it, read from the database alone."""
    with connect(path) as db:
        findings = pd.DataFrame(
            db.execute("SELECT url, check_id, severity, subject, message FROM findings "
                       "WHERE audit_id = ? ORDER BY rowid", (audit.id,)).fetchall(),
            columns=["url", "check", "severity", "subject", "message"])
        pages = pd.DataFrame(
            db.execute(f"SELECT url, is_page, {', '.join(TRACKED_FIELDS)} FROM pages "
                       "WHERE audit_id = ? ORDER BY rowid", (audit.id,)).fetchall(),
            columns=["url", "is_page", *TRACKED_FIELDS])
    pages["is_page"] = pages["is_page"].astype(bool)
    return Snapshot(
        start_url=audit.start_url, audited_at=audit.audited_at, score=audit.score,
        counts={"error": audit.errors, "warning": audit.warnings, "notice": audit.notices},
        practice=audit.name, pages_audited=audit.pages, folder=audit.folder,
        findings=findings, pages=pages)
