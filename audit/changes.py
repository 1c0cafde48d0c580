"""What changed since an earlier audit of the same site: findings new, fixed or unchanged, and
the page facts that changed.

An audit is compared through its snapshot: its findings (each with the identity below) and, per
URL, the page facts a practice owner follows from month to month. A snapshot is read from an
audit folder (its issues.csv, pages.csv, nap.csv and summary.json, what the audit wrote), from
the history database (audit.history: the folder may be gone), or made from the frames of the
audit being written. Everything in a snapshot is text as the CSV files spell it, so a value
read back from a file compares equal to the same value in memory.

**A finding's identity** is its page, its check and its subject: the thing the finding is
about beyond the page (the broken link's target, the wrong phone number, the shared title),
declared by each check (audit.registry, ``subject``). Its wording, severity and row order are
not part of it: a broken link whose target went from 500 to 404 is ``unchanged``. Pages are
matched ignoring http/https and ``www.``, so a site that moved to https compares. A site-level
finding (no page) counts on the home page. Where one page has several findings of a check with
one subject, as many as both audits have are ``unchanged``; the rest are ``new`` or ``fixed``.

**A page that is gone** (no longer linked or listed, or now an error) takes its findings with
it: they are ``fixed``, and page_changes.csv says why (``page`` absent, or the ``status``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from audit.registry import catalogue
from reports.csv import FORMULA_PREFIXES
from spiders.extract import is_html, site_key

PAGE_FIELDS = ("status", "title", "meta_description", "h1", "canonical", "indexable",
               "word_count")
NAP_FIELDS = ("phone", "name", "license", "address")
TRACKED_FIELDS = (*PAGE_FIELDS, *NAP_FIELDS)
# The NAP values that are the practice's own (right or wrong): crisis lines, fax numbers and
# other clinicians' licenses (verdicts "ignored" and "other") are not the practice's details.
OWN_VERDICTS = frozenset({"match", "mismatch", "variant"})
NAP_JOIN = " | "
CHANGES_COLUMNS = ["url", "check", "severity", "change", "detail"]
PAGE_CHANGES_COLUMNS = ["url", "field", "old", "new"]
CHANGES_CSV, PAGE_CHANGES_CSV, SUMMARY_JSON = "changes.csv", "page_changes.csv", "summary.json"
CHANGE_ORDER = {"new": 0, "fixed": 1, "unchanged": 2}
SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}


class SnapshotError(Exception):
    """An earlier audit that cannot be compared with (another site, no audit there)."""


@dataclass
class Snapshot:
    """One audit as a comparison reads it."""

    start_url: str
    audited_at: str  # ISO 8601, UTC: when the crawl started
    score: int | None
    counts: dict[str, int]
    practice: str = ""
    pages_audited: int = 0
    folder: str = ""
    # url, check, severity, subject, message
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["url", "check", "severity", "subject", "message"]))
    # url, is_page (an HTML page of the site that answered), then TRACKED_FIELDS, all text
    pages: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["url", "is_page", *TRACKED_FIELDS]))

    @property
    def site(self) -> str:
        return site_of(self.start_url)


def site_of(url: str) -> str:
    """The site a URL belongs to, as audits are matched: host and port, without ``www.``
    (http and https are one site): the crawl's own notion of a site (spiders.extract)."""
    return site_key(url)


def page_key(url: str) -> str:
    """A page as audits are matched: its site, path and query (http/https and ``www.``
    ignored)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return site_of(url) + path + (f"?{parts.query}" if parts.query else "")


# --- cells as the CSV files spell them -------------------------------------------------------

def cell_text(value: Any) -> str:
    """A value as its CSV cell reads back: blank when missing, whole numbers without ".0",
    lists as JSON. (reports.csv writes the same, neutralised; _read_csv undoes that.)"""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """``columns`` of a report CSV (those it has) as text, each cell as it was before
    reports.csv put an apostrophe before a formula-like start."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                        usecols=lambda name: name in columns)
    for name in frame.columns:
        values = frame[name]
        neutralised = values.str.startswith("'") & values.str[1:].str.startswith(
            FORMULA_PREFIXES)
        if neutralised.any():
            frame[name] = values.where(~neutralised, values.str[1:])
    return frame


def _is_page(kind: str, status: str, content_type: str) -> bool:
    """An HTML page of the site that answered (2xx): what appears and disappears."""
    return (kind == "page" and status.isdigit() and 200 <= int(status) < 300
            and is_html(content_type, b""))


# --- findings' identities --------------------------------------------------------------------

def subjects(findings: pd.DataFrame) -> list[str]:
    """Each finding's subject, by its check's declared rule (audit.registry)."""
    checks = catalogue()
    result = []
    for check_id, message, detail, target in zip(
            findings["check"].tolist(), findings["message"].tolist(),
            findings["detail"].tolist(), findings["target"].tolist(), strict=True):
        item = checks.get(check_id)
        row = {"message": cell_text(message), "detail": cell_text(detail),
               "target": cell_text(target)}
        result.append(item.subject(row) if item is not None else row["target"])
    return result


def _finding_rows(findings: pd.DataFrame, start_url: str) -> pd.DataFrame:
    """url, check, severity, subject, message; a site-level finding on the home page."""
    if findings.empty:
        return Snapshot("", "", None, {}).findings
    urls = [cell_text(url) or start_url for url in findings["url"].tolist()]
    return pd.DataFrame({
        "url": urls, "check": findings["check"].map(cell_text).tolist(),
        "severity": findings["severity"].map(cell_text).tolist(),
        "subject": subjects(findings),
        "message": findings["message"].map(cell_text).tolist()})


# --- snapshots -------------------------------------------------------------------------------

def snapshot_from_audit(frames: Any, issues: pd.DataFrame, summary: dict[str, Any],
                        folder: Path | None = None, tables: bool = True) -> Snapshot:
    """The snapshot of the audit being written: its frames, findings and summary (without
    ``tables``, only the summary's facts: no findings, no pages)."""
    start_url = frames.start_url
    facts = Snapshot(
        start_url=start_url, audited_at=audited_at(frames.manifest or {}),
        score=(summary.get("score") or {}).get("value"), counts=dict(summary["counts"]),
        practice=practice_name(summary.get("business")), pages_audited=summary["pages"],
        folder=str(Path(folder).resolve()) if folder else "")
    if not tables:
        return facts
    pages = frames.pages
    table = pd.DataFrame({"url": pages["url"].tolist()})
    table["is_page"] = [
        _is_page(cell_text(kind), cell_text(status), cell_text(content_type))
        for kind, status, content_type in zip(
            pages["kind"].tolist(), pages["status"].tolist(), pages["content_type"].tolist(),
            strict=True)]
    for name in PAGE_FIELDS:
        table[name] = [cell_text(value) for value in pages[name].tolist()]
    nap = frames.get("nap_table")
    _add_nap_fields(table, nap if nap is not None else pd.DataFrame())
    facts.findings, facts.pages = _finding_rows(issues, start_url), table
    return facts


def snapshot_from_folder(folder: Path) -> Snapshot:
    """The snapshot of an audit folder written earlier (by this tool's ``crawl`` or
    ``report``); SnapshotError when it holds no audit."""
    folder = Path(folder)
    needed = ("issues.csv", "pages.csv")
    if not folder.is_dir() or any(not (folder / name).exists() for name in needed):
        raise SnapshotError(f"{str(folder)!r} holds no audit (expected issues.csv and "
                            "pages.csv written by 'seo-audit crawl')")
    manifest = _read_json(folder / "crawl" / "manifest.json")
    stored = _read_json(folder / SUMMARY_JSON)
    start_url = stored.get("start_url") or manifest.get("start_url") or ""
    if not start_url:
        raise SnapshotError(f"{str(folder)!r} does not say which site it audited "
                            "(no crawl/manifest.json)")
    issues = _read_csv(folder / "issues.csv",
                       ["url", "check", "severity", "message", "detail", "target"])
    pages = _read_csv(folder / "pages.csv", ["url", "kind", "content_type", *PAGE_FIELDS])
    table = pd.DataFrame({"url": pages["url"]})
    table["is_page"] = [_is_page(*row) for row in zip(
        pages["kind"], pages["status"], pages["content_type"], strict=True)]
    for name in PAGE_FIELDS:
        table[name] = pages[name] if name in pages else ""
    nap_path = folder / "nap.csv"
    _add_nap_fields(table, _read_csv(nap_path, ["url", "field", "normalized", "verdict"])
                    if nap_path.exists() else pd.DataFrame())
    counts = stored.get("counts") or {
        severity: int((issues["severity"] == severity).sum())
        for severity in SEVERITY_ORDER}
    score = stored["score"] if "score" in stored else _score_from_tables(pages, issues)
    return Snapshot(
        start_url=start_url, audited_at=stored.get("audited_at") or audited_at(manifest),
        score=score, counts=counts, practice=stored.get("practice", ""),
        pages_audited=int(stored.get("pages") or table["is_page"].sum()),
        folder=str(folder.resolve()), findings=_finding_rows(issues, start_url), pages=table)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _score_from_tables(pages: pd.DataFrame, issues: pd.DataFrame) -> int | None:
    """An audit written before summary.json existed: its score worked out as
    reports.html.health_score does, from pages.csv and issues.csv."""
    from reports.html import health_score

    read = pages["content_type"].map(lambda content_type: is_html(content_type, b""))
    shim = type("Frames", (), {"pages": pd.DataFrame({"url": pages["url"], "extracted": read})})
    return health_score(shim, issues).get("value")


def _add_nap_fields(table: pd.DataFrame, nap: pd.DataFrame) -> None:
    """Per page, each NAP field's distinct normalised values of the practice's own (sorted,
    joined by " | ")."""
    joined: dict[tuple[str, str], str] = {}
    if not nap.empty:
        # a footer's facts repeat on every page: the distinct (page, field, value) first
        own = nap.loc[nap["verdict"].isin(OWN_VERDICTS), ["url", "field", "normalized"]]
        own = own[own["normalized"].notna() & (own["normalized"].astype(str) != "")]
        own = own.astype(str).drop_duplicates().sort_values(["url", "field", "normalized"])
        joined = own.groupby(["url", "field"], sort=False)["normalized"].agg(
            NAP_JOIN.join).to_dict()
    urls = table["url"].tolist()
    for name in NAP_FIELDS:
        table[name] = [joined.get((url, name), "") for url in urls]


def audited_at(manifest: dict[str, Any]) -> str:
    """When an audit's crawl started (ISO 8601, UTC), from its manifest."""
    return str(manifest.get("started") or "")


def practice_name(business: Any) -> str:
    """The practice's name in a summary's business record (profile or inferred), or ""."""
    if not isinstance(business, dict):
        return ""
    name = business.get("name") or {}
    return str(name.get("value") or "") if isinstance(name, dict) else ""


def summary_record(snapshot: Snapshot) -> dict[str, Any]:
    """What summary.json holds: the facts of an audit a later comparison needs beside its
    CSV files."""
    return {"start_url": snapshot.start_url, "audited_at": snapshot.audited_at,
            "score": snapshot.score, "counts": snapshot.counts, "pages": snapshot.pages_audited,
            "practice": snapshot.practice}


def check_same_site(old: Snapshot, new_start_url: str) -> None:
    """SnapshotError unless ``old`` audited the site of ``new_start_url``."""
    if old.site != site_of(new_start_url):
        raise SnapshotError(f"the earlier audit ({old.folder or old.audited_at}) is of "
                            f"{old.start_url}, not of {new_start_url}: only audits of the "
                            "same site can be compared")


# --- the comparison ---------------------------------------------------------------------------

@dataclass
class Comparison:
    changes: pd.DataFrame  # CHANGES_COLUMNS
    page_changes: pd.DataFrame  # PAGE_CHANGES_COLUMNS
    old: Snapshot
    new: Snapshot

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(self.changes["change"].tolist())
        return {change: int(found.get(change, 0)) for change in CHANGE_ORDER}

    def summary(self) -> dict[str, Any]:
        """What the report's "Since the last audit" section shows."""
        changes = self.changes
        nap = self.page_changes[self.page_changes["field"].isin(NAP_FIELDS)]
        return {
            "previous": self.old.audited_at,
            "score_then": self.old.score, "score_now": self.new.score,
            "counts": self.counts,
            "fixed": changes[changes["change"] == "fixed"],
            "new": changes[changes["change"] == "new"],
            "nap": nap,
            # pages that appeared, disappeared or answer otherwise now
            "pages": self.page_changes[self.page_changes["field"].isin(["page", "status"])],
        }


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Every finding of ``new`` as new or unchanged, every finding of ``old`` gone from it as
    fixed; and every tracked page fact that changed."""
    return Comparison(_finding_changes(old, new), _page_changes(old, new), old, new)


def _page_keys(urls: list[str]) -> list[str]:
    """page_key of each URL, worked out once per distinct URL (a site's findings name the
    same pages thousands of times)."""
    keys = {url: page_key(url) for url in set(urls)}
    return [keys[url] for url in urls]


def _identity(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(_page_keys(frame["url"].tolist()), frame["check"].tolist(),
                    frame["subject"].tolist(), strict=True))


def _finding_changes(old: Snapshot, new: Snapshot) -> pd.DataFrame:
    earlier = _identity(old.findings)
    remaining = Counter(earlier)
    identities = _identity(new.findings)
    changes = []
    for identity in identities:
        if remaining[identity] > 0:
            remaining[identity] -= 1
            changes.append("unchanged")
        else:
            changes.append("new")
    # A finding of the earlier audit without a subject, on the same page and of the same
    # check, is the same finding: an audit written before its check named a subject (the
    # wrong phone number was no target until this comparison needed one).
    for index, (page, check_id, subject) in enumerate(identities):
        if changes[index] == "new" and subject and remaining[(page, check_id, "")] > 0:
            remaining[(page, check_id, "")] -= 1
            changes[index] = "unchanged"
    rows = [(row.url, row.check, row.severity, change, row.message) for change, row in zip(
        changes, new.findings.itertuples(index=False), strict=True)]
    for identity, row in zip(earlier, old.findings.itertuples(index=False), strict=True):
        if remaining[identity] > 0:
            remaining[identity] -= 1
            rows.append((row.url, row.check, row.severity, "fixed", row.message))
    frame = pd.DataFrame(rows, columns=CHANGES_COLUMNS)
    order = frame.assign(_c=frame["change"].map(CHANGE_ORDER),
                         _s=frame["severity"].map(SEVERITY_ORDER).fillna(9))
    order = order.sort_values(["_c", "_s", "check", "url", "detail"], kind="stable")
    return order[CHANGES_COLUMNS].reset_index(drop=True)


def _page_changes(old: Snapshot, new: Snapshot) -> pd.DataFrame:
    before = _by_key(old.pages)
    after = _by_key(new.pages)
    rows = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        was_page = was is not None and was["is_page"]
        now_page = now is not None and now["is_page"]
        if not was_page and not now_page:
            continue  # never an HTML page of the site: its links' findings say enough
        url = (now or was)["url"]
        if was is None:
            rows.append((url, "page", "absent", "present"))
            continue
        if now is None:
            rows.append((url, "page", "present", "absent"))
            continue
        if not (was_page and now_page):
            # still fetched, but an error, a redirect or not HTML now (or until now): the
            # status says what happened; the other facts were an error page's
            if was["status"] != now["status"]:
                rows.append((url, "status", was["status"], now["status"]))
            continue
        rows.extend((url, name, was[name], now[name]) for name in TRACKED_FIELDS
                    if was[name] != now[name])
    return pd.DataFrame(rows, columns=PAGE_CHANGES_COLUMNS)


def _by_key(pages: pd.DataFrame) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    names = ["url", "is_page", *TRACKED_FIELDS]
    for key, values in zip(_page_keys(pages["url"].tolist()),
                           pages[names].itertuples(index=False, name=None), strict=True):
        row = dict(zip(names, values, strict=True))
        # the same page under http and https (a crawl that met both): the HTML page wins
        if key not in result or (row["is_page"] and not result[key]["is_page"]):
            result[key] = row
    return result
