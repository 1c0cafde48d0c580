"""``seo-audit batch SITES.toml --out DIR``: every client audited in one command.

SITES.toml lists the sites as ``[[site]]`` tables::

    [[site]]
    name = "Blair Wellness Group"
    url = "https://blairwellness.example"
    profile = "profiles/blair.toml"     # relative to SITES.toml
    max_pages = 500                     # optional crawl options: max_pages, max_depth,
    external = false                    # concurrency, external (check external links)

    [[site]]
    name = "Doe Family Therapy"
    url = "https://doetherapy.example"
    [site.practice]                     # or the profile inline, with a profile file's keys
    name = "Doe Family Therapy"
    phone = "617-555-0100"
    [site.location]
    city = "Boston"

The whole file is checked before anything is crawled: a bad entry is one line naming the site
and the key, exit status 2. Each site is then audited by the ordinary ``seo-audit crawl`` in a
subprocess of its own (one site that hangs, crashes or runs out of memory cannot take the
others down) into ``DIR/<slug>/<UTC timestamp>/``, recorded in ``DIR/history.sqlite`` and
compared with its previous audit there. Last, DIR/portfolio.csv and DIR/index.html are written
from the history (audit.history), never from the folders: a deleted audit folder breaks
neither. Exit status 0 when every site was audited, 1 when any failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.cli import EXIT_FAILURE, EXIT_OK, UsageError, validate_url
from audit.profile import ProfileError, load_profile, profile_from_dict, read_toml

PORTFOLIO_CSV = "portfolio.csv"
PORTFOLIO_COLUMNS = ["site", "audited_at", "pages", "errors", "warnings", "notices", "score",
                     "new", "fixed"]
INDEX_HTML = "index.html"
SITE_PROFILE = "profile.toml"  # DIR/<slug>/profile.toml: an inline profile, as a file
PROFILE_SECTIONS = ("practice", "location", "thresholds")
COUNT_OPTIONS = {"max_pages": "--max-pages", "max_depth": "--max-depth",
                 "concurrency": "--concurrency"}
SITE_KEYS = {"name", "url", "profile", "external", *COUNT_OPTIONS, *PROFILE_SECTIONS}
EXIT_INTERRUPTED = 130


@dataclass
class Site:
    """One ``[[site]]`` entry, checked."""

    name: str
    url: str
    slug: str
    profile_file: Path | None = None  # a profile file given by the entry
    inline_profile: dict[str, Any] | None = None  # [site.practice] / [site.location] ...
    options: dict[str, Any] = field(default_factory=dict)  # max_pages, ..., external


@dataclass
class Outcome:
    """What happened to one site in this run."""

    site: Site
    ok: bool
    reason: str = ""  # why it failed
    folder: Path | None = None


def slugify(name: str) -> str:
    """A folder name made from a site's name: lower-case ASCII letters, digits and hyphens
    ("Blair Wellness Group" -> "blair-wellness-group"); accents are dropped, not the letters."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


# --- SITES.toml ---------------------------------------------------------------------------------

def load_sites(path: Path) -> list[Site]:
    """Read and check SITES.toml; UsageError (one line naming the site and the key) on the
    first problem, before anything is crawled."""
    where = str(path)
    try:
        data = read_toml(path, "sites file", "the sites file")
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    for key in data:
        if key != "site":
            raise UsageError(f"{where}: unknown key {key!r} (expected [[site]] tables)")
    entries = data.get("site")
    if not isinstance(entries, list) or not entries or \
            not all(isinstance(entry, dict) for entry in entries):
        raise UsageError(f"{where}: no sites: list each one as a [[site]] table with name "
                         "and url")
    from audit.changes import site_of

    sites: list[Site] = []
    names: dict[str, str] = {}
    hosts: dict[str, str] = {}  # the history knows a site by its host: one entry each
    for number, entry in enumerate(entries, 1):
        site = _site(entry, number, where, path.parent)
        if site.slug in names:
            raise UsageError(f"{where}: site {site.name!r}: name gives the same folder "
                             f"{site.slug!r} as site {names[site.slug]!r}: names must differ")
        host = site_of(site.url)
        if host in hosts:
            raise UsageError(f"{where}: site {site.name!r}: url is the same site as site "
                             f"{hosts[host]!r}'s: list each site once")
        names[site.slug], hosts[host] = site.name, site.name
        sites.append(site)
    return sites


def _site(entry: dict[str, Any], number: int, where: str, base: Path) -> Site:
    name = entry.get("name")
    label = f"site {name.strip()!r}" if isinstance(name, str) and name.strip() else \
        f"site #{number}"

    def bad(key: str, problem: str) -> UsageError:
        return UsageError(f"{where}: {label}: {key} {problem}")

    for key in entry:
        if key not in SITE_KEYS:
            raise bad(repr(key), f"is not a known key (expected {', '.join(sorted(SITE_KEYS))})")
    if name is None:
        raise bad("name", "is missing")
    if not isinstance(name, str) or not name.strip():
        raise bad("name", "must be a non-empty string")
    name = name.strip()
    if "\n" in name or "\r" in name:
        raise bad("name", "must be one line")
    slug = slugify(name)
    if not slug:
        raise bad("name", "needs at least one letter or digit (it names the site's folder)")
    url = entry.get("url")
    if url is None:
        raise bad("url", "is missing")
    if not isinstance(url, str):
        raise bad("url", "must be a string")
    try:
        url = validate_url(url)
    except UsageError as exc:
        raise bad("url", f"is invalid: {exc}") from None
    options: dict[str, Any] = {}
    for key in COUNT_OPTIONS:
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise bad(key, "must be a whole number, 0 or more")
            options[key] = value
    if "external" in entry:
        if not isinstance(entry["external"], bool):
            raise bad("external", "must be true or false")
        options["external"] = entry["external"]
    site = Site(name=name, url=url, slug=slug, options=options)
    inline = {key: entry[key] for key in PROFILE_SECTIONS if key in entry}
    if "profile" in entry:
        if inline:
            raise bad("profile", f"and [site.{next(iter(inline))}] both given: give the "
                      "profile as a file or inline, not both")
        value = entry["profile"]
        if not isinstance(value, str) or not value.strip():
            raise bad("profile", "must be the path of a profile file")
        profile_path = Path(value).expanduser()
        if not profile_path.is_absolute():
            profile_path = base / profile_path
        if not profile_path.is_file():
            raise bad("profile", f"file {str(profile_path)!r} not found")
        try:
            load_profile(profile_path)
        except ProfileError as exc:
            raise bad("profile", f"is invalid: {exc}") from None
        site.profile_file = profile_path
    elif inline:
        try:
            profile_from_dict(inline, where=f"{where}: {label}")
        except ProfileError as exc:
            raise UsageError(str(exc)) from None
        site.inline_profile = inline
    return site


def profile_toml(data: dict[str, Any]) -> str:
    """An inline profile as the text of a profile file (tomllib reads; the standard library
    writes no TOML). Only what a profile holds: tables of strings, booleans, numbers and
    lists of strings."""
    lines: list[str] = []
    for section in PROFILE_SECTIONS:
        table = data.get(section)
        if table is None:
            continue
        lines.append(f"[{section}]")
        lines += [f"{_toml_key(key)} = {_toml_value(value)}" for key, value in table.items()]
        lines.append("")
    return "\n".join(lines)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"a profile holds no {type(value).__name__} values")


# --- running the sites ----------------------------------------------------------------------------

def default_jobs() -> int:
    """Sites audited at once by default: half the cores this process may use. Each crawl is
    already two busy processes (the Scrapy crawl and its extraction worker), so one site per
    two cores keeps the machine full without sites slowing each other down."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores // 2)


def audit_folder(root: Path, now: datetime | None = None) -> Path:
    """A new folder ``root/<UTC timestamp>`` (20261206T134501Z), made now: never one that
    exists. A second audit in the same second gets ``...Z-2`` (still sorted after the first)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = root / (stamp if attempt == 1 else f"{stamp}-{attempt}")
        try:
            folder.mkdir()  # mkdir is atomic: of two runs, only one gets the name
        except FileExistsError:
            continue
        return folder
    raise UsageError(f"cannot make a new audit folder in {str(root)!r}")


def crawl_command(site: Site, folder: Path, history: Path, profile: Path | None) -> list[str]:
    """The ordinary ``seo-audit crawl`` of one site, recorded in and compared with the
    batch's history."""
    command = [sys.executable, "-m", "audit.cli", "crawl", site.url, "--out", str(folder),
               "--history", str(history), "--since-last", "--name", site.name, "--quiet"]
    if profile is not None:
        command += ["--profile", str(profile)]
    for key, flag in COUNT_OPTIONS.items():
        if site.options.get(key):
            command += [flag, str(site.options[key])]
    if site.options.get("external") is False:
        command.append("--no-external")
    return command


class Runner:
    """Runs the sites' crawls, ``jobs`` at a time, each a thread waiting on one subprocess.
    Ctrl-C is passed on to every running crawl (each then writes its report from what it
    found, a second Ctrl-C stops it at once) and no further site is started."""

    def __init__(self, out: Path, history: Path, jobs: int) -> None:
        self.out = out
        self.history = history
        self.jobs = jobs
        self.stopping = threading.Event()
        self._children: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def run(self, sites: list[Site]) -> list[Outcome]:
        previous = signal.signal(signal.SIGINT, self._interrupt) \
            if threading.current_thread() is threading.main_thread() else None
        try:
            with ThreadPoolExecutor(max_workers=max(1, min(self.jobs, len(sites))),
                                    thread_name_prefix="batch-site") as pool:
                futures = [pool.submit(self._audit, site) for site in sites]
                return [future.result() for future in futures]
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def _interrupt(self, signum: int, frame: Any) -> None:
        if not self.stopping.is_set():
            print("\nseo-audit batch: stopping: the running audits write what they found; "
                  "no other site is started (Ctrl-C again to stop at once)", file=sys.stderr)
        self.stopping.set()
        with self._lock:
            for child in self._children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)

    def _audit(self, site: Site) -> Outcome:
        from spiders.worker import die_with_parent

        if self.stopping.is_set():
            return Outcome(site, ok=False, reason="not started: the batch was interrupted")
        folder = audit_folder(self.out / site.slug)
        profile = site.profile_file
        if site.inline_profile is not None:
            profile = self.out / site.slug / SITE_PROFILE
            _write_text(profile, profile_toml(site.inline_profile))
        command = crawl_command(site, folder, self.history, profile)
        with self._lock:
            if self.stopping.is_set():  # checked under the lock _interrupt signals under
                shutil.rmtree(folder, ignore_errors=True)
                return Outcome(site, ok=False, reason="not started: the batch was interrupted")
            # Its own session: a terminal's Ctrl-C reaches the batch only, which passes it on
            # once per press (see _interrupt), as seo-audit crawl does with its spider.
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True, errors="replace",
                                     start_new_session=True, preexec_fn=die_with_parent)
            self._children.add(child)
        try:
            _, stderr = child.communicate()
        finally:
            with self._lock:
                self._children.discard(child)
        if child.returncode == 0 and (folder / "report.html").exists():
            # Audited, but only in part: said, and counted as a failure of this run.
            if _crawl_fact(folder, "spider_state.json", "blocked"):
                return Outcome(site, ok=False, folder=folder, reason=(
                    "blocked: the site's bot protection refused most requests, so its report "
                    "covers only part of the site"))
            if _crawl_fact(folder, "manifest.json", "interrupted"):
                return Outcome(site, ok=False, folder=folder, reason=(
                    "interrupted: its report covers only the pages read before the stop"))
            return Outcome(site, ok=True, folder=folder)
        reason = _last_line(stderr) or f"the audit ended with exit status {child.returncode}"
        if not (folder / "report.html").exists():
            shutil.rmtree(folder, ignore_errors=True)  # only a crawl nothing was made from
        return Outcome(site, ok=False, reason=reason)


def _crawl_fact(folder: Path, name: str, key: str) -> bool:
    """A true/false fact the crawl in ``folder`` wrote in ``crawl/<name>``: ``blocked`` in
    spider_state.json (the site's bot protection refused it), ``interrupted`` in
    manifest.json (Ctrl-C, or the spider did not finish)."""
    try:
        data = json.loads((folder / "crawl" / name).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and bool(data.get(key))


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line.removeprefix("seo-audit: ")


def _write_text(path: Path, text: str) -> None:
    from reports.csv import atomic_open

    with atomic_open(path) as handle:
        handle.write(text)


# --- the command ---------------------------------------------------------------------------------

def _out_folder(value: str) -> Path:
    out = Path(value).expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {value!r} is a file")
    if not out.exists() and not out.parent.is_dir():
        raise UsageError(f"cannot create --out folder {value!r}: its parent "
                         f"{str(out.parent)!r} does not exist")
    return out


def cmd_batch(args: argparse.Namespace) -> int:
    """Audit every site of SITES.toml, then write DIR/portfolio.csv and DIR/index.html."""
    jobs = args.jobs if args.jobs else default_jobs()
    sites = load_sites(Path(args.sites).expanduser())
    out = _out_folder(args.out)
    from audit import history as db

    out.mkdir(exist_ok=True)
    history = out / db.HISTORY_FILE
    try:
        with db.connect(history):  # made (with its schema) once, before the crawls share it
            pass
    except db.HistoryError as exc:
        raise UsageError(f"{exc}") from None
    runner = Runner(out, history, jobs)
    outcomes = runner.run(sites)
    rows = db.audits(history)
    for outcome in outcomes:
        print(f"seo-audit batch: {outcome.site.name}: {_said(outcome, rows)}", file=sys.stderr)
    write_portfolio(out, sites, rows, outcomes)
    print(out / INDEX_HTML)
    if runner.stopping.is_set():
        return EXIT_INTERRUPTED
    return EXIT_FAILURE if any(not outcome.ok for outcome in outcomes) else EXIT_OK


def _said(outcome: Outcome, rows: list[Any]) -> str:
    """One line on what became of a site."""
    if not outcome.ok:
        return f"failed: {outcome.reason}"
    folder = str(outcome.folder.resolve()) if outcome.folder else ""
    row = next((r for r in reversed(rows) if r.folder == folder), None)
    if row is None:
        return "audited"
    score = f"score {row.score}" if row.score is not None else "no score (no page read)"
    if row.new is None:
        return f"audited, {score}, first audit"
    return f"audited, {score}, {row.new} new, {row.fixed} fixed"


def write_portfolio(out: Path, sites: list[Site], rows: list[Any],
                    outcomes: list[Outcome]) -> None:
    """DIR/portfolio.csv (one row per recorded audit) and DIR/index.html."""
    import pandas as pd

    from audit.changes import site_of
    from reports.csv import write_csv
    from reports.portfolio import write_index

    order = {site_of(site.url): position for position, site in enumerate(sites)}
    rows = sorted(rows, key=lambda r: (order.get(r.site, len(order)), r.site, r.audited_at,
                                       r.id))
    frame = pd.DataFrame([{"site": r.name, "audited_at": r.audited_at, "pages": r.pages,
                           "errors": r.errors, "warnings": r.warnings, "notices": r.notices,
                           "score": r.score, "new": r.new, "fixed": r.fixed} for r in rows],
                         columns=PORTFOLIO_COLUMNS, dtype=object)
    write_csv(frame, out / PORTFOLIO_CSV, PORTFOLIO_COLUMNS)
    failed = [{"name": o.site.name, "url": o.site.url, "reason": o.reason}
              for o in outcomes if not o.ok]
    write_index(out / INDEX_HTML, rows, failed,
                urls={site_of(site.url): site.url for site in sites})
