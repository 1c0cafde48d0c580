"""The ``seo-audit`` command line: crawl a practice site, (re)write its reports, run the demo.

Bad input never shows a traceback: it gets one line on stderr and exit status 2. Exit 0 means
the audit ran, whatever it found.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import redirect_stdout, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from audit import __version__
from audit.profile import Profile, ProfileError, load_profile
from spiders.gcpolicy import collect_less
from spiders.items import RECORD_FILES
from spiders.worker import die_with_parent

if TYPE_CHECKING:
    from audit.changes import Snapshot
    from audit.load import CrawlReader

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
PROFILE_COPY = "profile.toml"
SUMMARY_JSON = "summary.json"  # audit.changes.SUMMARY_JSON: what a later --since reads
DEMO_LAST_MONTH = "last-month"  # the demo's audit of its site as it was a month ago
PACKAGE_DIR = Path(__file__).resolve().parent


class UsageError(Exception):
    """Bad input: reported as one line on stderr with exit status 2."""


def validate_url(url: str) -> str:
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        raise UsageError(f"invalid URL {url!r}: it must not contain spaces")
    if "://" not in url:
        raise UsageError(f"invalid URL {url!r}: give the full address, e.g. https://{url}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise UsageError(f"invalid URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"unsupported URL scheme {parts.scheme!r} in {url!r}: "
                         "only http:// and https:// sites can be crawled")
    if not parts.hostname:
        raise UsageError(f"invalid URL {url!r}: it has no host name")
    return url if parts.path else url + "/"


def _prepare_out(out: Path, url: str, force: bool) -> Path:
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(f"output folder {str(out)!r} is a file")
    if not out.exists() and not out.parent.exists():
        raise UsageError(f"cannot create output folder {str(out)!r}: "
                         f"its parent {str(out.parent)!r} does not exist")
    if not force:
        from spiders.extract import site_key

        previous = _manifest(out).get("start_url", "")
        if previous and site_key(previous) != site_key(url):
            raise UsageError(f"{str(out)!r} already holds the audit of {previous}; "
                             "choose another folder or pass --force to replace it")
    try:
        (out / "crawl").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {str(out)!r}: {exc.strerror}") from None
    return out


def _manifest(out: Path) -> dict[str, Any]:
    """The crawl manifest in ``out``, {} when there is none (or it is unreadable)."""
    from audit.load import read_json

    return read_json(out / "crawl" / "manifest.json")


def _write_manifest(out: Path, data: dict[str, Any]) -> None:
    _write_json(out / "crawl" / "manifest.json", data)


def run_crawl(url: str, out: Path,
              args: argparse.Namespace) -> tuple[dict[str, Any], CrawlReader | None]:
    """Run the spider in a subprocess; Ctrl-C stops it gracefully and keeps what it found.
    Returns the manifest and the records read while the crawl ran."""
    crawl_dir = out / "crawl"
    command = [sys.executable, "-m", "spiders.run", url, str(crawl_dir)]
    for flag, value in (("--max-pages", args.max_pages), ("--max-depth", args.max_depth),
                        ("--concurrency", args.concurrency), ("--timeout", args.timeout)):
        if value:
            command += [flag, str(value)]
    if args.no_external:
        command.append("--no-external")
    if args.ignore_robots:
        command.append("--ignore-robots")
    if getattr(args, "render", False):
        command.append("--render")
    if args.resume:
        command.append("--resume")
    for area in getattr(args, "areas", None) or []:
        command += ["--area", area]
    if not getattr(args, "us_places", True):
        command.append("--no-us-places")
    progress = not args.quiet and sys.stderr.isatty()
    if progress:
        command.append("--progress")
    if args.quiet:
        command += ["-s", "LOG_LEVEL=ERROR"]
    for pair in args.set:
        if "=" not in pair or not pair.split("=", 1)[0].isupper():
            raise UsageError(f"--set {pair!r}: expected NAME=VALUE with an upper-case Scrapy "
                             "setting name, e.g. DOWNLOAD_DELAY=1")
        command += ["-s", pair]
    manifest: dict[str, Any] = {
        "tool": "local-seo-audit", "version": __version__, "start_url": url,
        "started": datetime.now(UTC).isoformat(timespec="seconds"), "finished": None,
        "robots_obeyed": not args.ignore_robots, "external_checked": not args.no_external,
        "rendered": bool(getattr(args, "render", False)),
        "max_pages": args.max_pages, "max_depth": args.max_depth, "interrupted": False,
        "profile": PROFILE_COPY if (crawl_dir / PROFILE_COPY).exists() else None,
        # the profile's areas the crawl looked for in every page (a later profile's other
        # areas can only be judged on titles and headings)
        "areas_searched": list(getattr(args, "areas", None) or []),
        # whether US place names were recorded (not when the profile said Los Angeles)
        "us_places_recorded": bool(getattr(args, "us_places", True)),
    }
    if args.resume:
        earlier = _manifest(out)
        manifest["started"] = earlier.get("started", manifest["started"])
        manifest["resumed"] = (earlier.get("resumed") or 0) + 1
    _write_manifest(out, manifest)
    if not args.resume:  # the crawl starts its record files afresh; a reader must not see
        for name in RECORD_FILES:  # the last crawl's records before they are cut
            (crawl_dir / name).unlink(missing_ok=True)
    started = time.monotonic()
    # Own process group: a terminal's Ctrl-C reaches only us, and we pass it on exactly once
    # (Scrapy treats a second SIGINT as "stop now, drop everything in flight").
    child = subprocess.Popen(command, start_new_session=True, preexec_fn=die_with_parent)
    # Not while rendering: a rendered crawl reads a few pages a second, so reading its records
    # at the end takes a moment, and the memory is the browser's to use (its bound is 1 GB).
    reading = None if getattr(args, "render", False) else _ReadWhileCrawling(out)
    interrupts = 0

    def on_sigint(signum: int, frame: Any) -> None:
        nonlocal interrupts
        interrupts += 1
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
        if interrupts == 1:
            print("\nseo-audit: stopping the crawl; writing reports from what was found "
                  "(Ctrl-C again to stop at once)", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        returncode = child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        reader = reading.finish() if reading is not None else None
    manifest.update(finished=datetime.now(UTC).isoformat(timespec="seconds"),
                    duration_s=round(time.monotonic() - started, 2),
                    interrupted=interrupts > 0 or returncode != 0, crawl_exit=returncode)
    _write_manifest(out, manifest)
    return manifest, reader


class _ReadWhileCrawling:
    """Reads the crawl's records as they are written (audit.load.CrawlReader), imports the
    report modules and compiles the report template, on a thread of low priority while the
    crawl runs: the crawl keeps both cores busy but not full, and the report step then starts
    with most of its reading done. If anything goes wrong here, the report step reads the
    files itself."""

    POLL_SECONDS = 0.5

    def __init__(self, out: Path) -> None:
        self.out = out
        self.reader: CrawlReader | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="read-while-crawling",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with suppress(AttributeError, OSError):  # Linux: a thread has its own nice value
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
            import audit.checks  # noqa: F401 - registers every check, now rather than after
            import reports.write  # noqa: F401 - imported now, used once the crawl ends
            from reports.html import REPORT_TEMPLATE, environment

            environment().get_template(REPORT_TEMPLATE)  # compiled now, rendered at the end
            from audit.load import CrawlReader

            reader = CrawlReader(self.out)
            while not self._stop.wait(self.POLL_SECONDS):
                reader.poll()
            self.reader = reader
        except Exception:  # noqa: BLE001 - the report step then reads the files itself
            self.reader = None

    def finish(self) -> CrawlReader | None:
        """Stop reading; the reader (None if it failed), for build_reports."""
        self._stop.set()
        self._thread.join()
        return self.reader


def build_reports(out: Path, profile: Profile | None = None,
                  reader: CrawlReader | None = None, since: Snapshot | None = None,
                  history: Path | None = None, name: str = "",
                  first: bool = False) -> dict[str, Any]:
    """Audit the crawl data in ``out`` and (re)write every report; no network. ``reader``:
    the records already read while the crawl ran. ``since``: an earlier audit of the site to
    compare with (changes.csv, page_changes.csv, the report's "Since the last audit");
    ``history``: the database to record the audit in (audit.history), ``name`` the name it
    is recorded under (the practice's, by default); ``first``: the history holds no earlier
    audit of the site (the report says so)."""
    from audit.load import CrawlReader
    from audit.registry import AuditContext, run_checks
    from reports.write import write_all

    frames = (reader or CrawlReader(out)).frames()
    if profile is None:
        stored = out / "crawl" / PROFILE_COPY
        profile = load_profile(stored) if stored.exists() else Profile()
    from audit.business import canonical_record, nap_table
    from audit.locale import headline_places, local_places, resolve_locale

    frames["business"] = canonical_record(frames.nap, profile)
    frames["nap_table"] = nap_table(frames.nap, frames["business"], profile)
    locale = frames["locale"] = resolve_locale(profile, frames["business"], frames.nap)
    us_places = frames.us_places
    if not locale.los_angeles and frames.manifest.get("us_places_recorded") is False:
        us_places = headline_places(frames.pages)  # the crawl's profile said Los Angeles
    frames["places"] = local_places(locale, frames.places, us_places, profile.areas)
    frames["us_places"] = None  # what is not local is let go
    frames["keywords"] = frames.places
    context = AuditContext(frames=frames, profile=profile, thresholds=profile.thresholds)
    recorded: dict[str, Any] = {}

    def compare_and_record(issues: Any, summary: dict[str, Any]) -> None:
        from audit.changes import compare, snapshot_from_audit, summary_record

        # the findings' identities and the pages' facts only when something reads them: on
        # a 10,000-page site they are a second's work
        snapshot = snapshot_from_audit(frames, issues, summary, out,
                                       tables=since is not None or history is not None)
        summary["name"] = name or snapshot.practice
        comparison = compare(since, snapshot) if since is not None else None
        summary["since"] = comparison
        summary["first_audit"] = first and comparison is None
        _write_json(out / SUMMARY_JSON, summary_record(snapshot))
        recorded.update(snapshot=snapshot, comparison=comparison)

    summary = write_all(out, frames, context, lambda: run_checks(context), compare_and_record)
    from audit.checks.render import render_suggestion

    summary["render_hint"] = render_suggestion(frames)
    if history is not None:
        _record_history(history, recorded["snapshot"], recorded["comparison"], since,
                        summary["name"])
    if _left_for_exit is not None:
        _left_for_exit.append(context)  # see main: the frames are dropped with the process
    return summary


def _write_json(path: Path, data: dict[str, Any]) -> None:
    from reports.csv import atomic_open

    with atomic_open(path) as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)


def _record_history(path: Path, snapshot: Snapshot, comparison: Any,
                    since: Snapshot | None, name: str) -> None:
    """Record the audit just written in the history database; the audit it was compared with
    is found there by its site and start time (recorded or not, it is named)."""
    from audit import history

    try:
        _record(history, path, snapshot, comparison, since, name)
    except history.HistoryError as exc:
        raise UsageError(f"the audit was written but not recorded in the history: {exc}") \
            from None


def _record(history: Any, path: Path, snapshot: Snapshot, comparison: Any,
            since: Snapshot | None, name: str) -> None:
    previous_id = None
    if since is not None:
        earlier = [row for row in history.audits(path, since.site)
                   if row.audited_at == since.audited_at]
        previous_id = earlier[-1].id if earlier else None
    history.record(path, snapshot, name=name, previous_id=previous_id,
                   counts=comparison.counts if comparison is not None else None)


# Set by main when it ends the process itself: what would only be freed on the way out.
_left_for_exit: list[Any] | None = None


def _reachability_error(out: Path, url: str) -> str | None:
    """The start URL's error when it could not be fetched at all (DNS, refused, timeout)."""
    from audit.load import read_jsonl

    for record in read_jsonl(out / "crawl" / "fetches.jsonl"):
        if record.get("url") == url:
            return record.get("error") if record.get("status") is None else None
    return "the crawler recorded nothing for it (see the errors above)"


def _check_resumable(out: Path, url: str) -> None:
    from spiders.extract import site_key

    previous = _manifest(out).get("start_url")
    if not previous:
        raise UsageError(f"nothing to resume in {str(out)!r}: no crawl was started there")
    if site_key(previous) != site_key(url):
        raise UsageError(f"cannot resume: {str(out)!r} holds the crawl of {previous}, not {url}")


def _places_to_look_for(profile: Profile | None) -> tuple[list[str], bool]:
    """The profile's areas the crawl looks for as given in every page, and whether it looks
    for US place names at all. A profile that places the practice in Los Angeles needs only
    the Los Angeles gazetteer (audit.places): its other areas are looked for as given, and
    the US names' scan (a tenth of a page's extraction) is skipped. Otherwise only the areas
    that no gazetteer has are looked for as given; the scans find the others."""
    from audit import places, usplaces
    from audit.locale import profile_says_los_angeles

    areas = profile.areas if profile else []
    if profile is not None and profile_says_los_angeles(profile):
        return [area for area in areas if places.lookup(area) is None], False
    return [area for area in areas
            if places.lookup(area) is None and not usplaces.is_known_name(area)], True


def _earlier_audit(folder: str | None, url: str) -> Snapshot | None:
    """The audit ``--since`` names, read before anything is crawled: a folder that holds no
    audit, or another site's, is a usage error."""
    if not folder:
        return None
    from audit.changes import SnapshotError, check_same_site, snapshot_from_folder

    try:
        earlier = snapshot_from_folder(Path(folder).expanduser())
        check_same_site(earlier, url)
    except SnapshotError as exc:
        raise UsageError(f"--since: {exc}") from None
    return earlier


def _history_file(value: str | None) -> Path | None:
    """``--history FILE``: a file whose folder exists (the file is created when new)."""
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_dir():
        raise UsageError(f"--history {value!r} is a folder: name a file, e.g. "
                         f"{str(path / 'history.sqlite')!r}")
    if not path.parent.is_dir():
        raise UsageError(f"--history {value!r}: folder {str(path.parent)!r} does not exist")
    from audit.history import HistoryError, connect

    try:
        with connect(path):  # opened now: a file that is not a history fails before a crawl
            pass
    except HistoryError as exc:
        raise UsageError(f"--history: {exc}") from None
    return path


def _last_recorded(history: Path | None, url: str) -> Snapshot | None:
    """``--since-last``: the site's last audit in the history (its folder may be gone)."""
    if history is None:
        raise UsageError("--since-last needs --history FILE: the history it looks in")
    from audit import history as db
    from audit.changes import site_of

    try:
        last = db.latest(history, site_of(url))
        return db.snapshot(history, last) if last is not None else None
    except db.HistoryError as exc:
        raise UsageError(f"--history: {exc}") from None


def _comparison_inputs(args: argparse.Namespace,
                       url: str) -> tuple[Snapshot | None, Path | None, bool]:
    """What the audit is compared with, where it is recorded, and whether it is the site's
    first (--since-last found no earlier audit)."""
    if getattr(args, "since", None) and getattr(args, "since_last", False):
        raise UsageError("give --since OLD or --since-last, not both")
    history = _history_file(getattr(args, "history", None))
    if getattr(args, "since_last", False):
        since = _last_recorded(history, url)
        return since, history, since is None
    return _earlier_audit(getattr(args, "since", None), url), history, False


def _check_render(args: argparse.Namespace) -> None:
    """--render needs scrapy-playwright and a Chromium: said before anything is crawled."""
    if getattr(args, "render", False):
        from spiders.browser import render_unavailable

        problem = render_unavailable()
        if problem:
            raise UsageError(problem)


def cmd_crawl(args: argparse.Namespace) -> int:
    url = validate_url(args.url)
    _check_render(args)
    profile = load_profile(args.profile) if args.profile else None
    since, history, first = _comparison_inputs(args, url)
    if args.resume:
        _check_resumable(Path(args.out), url)
    out = _prepare_out(Path(args.out), url, args.force)
    stored = out / "crawl" / PROFILE_COPY
    if profile is None and args.resume and stored.exists():
        profile = load_profile(stored)  # the crawl being resumed looked for its areas
    args.areas, args.us_places = _places_to_look_for(profile)
    if args.profile:
        shutil.copyfile(args.profile, out / "crawl" / PROFILE_COPY)
    elif not args.resume:
        (out / "crawl" / PROFILE_COPY).unlink(missing_ok=True)
    manifest, reader = run_crawl(url, out, args)
    error = _reachability_error(out, url)
    if error and not manifest["interrupted"]:
        if manifest.get("crawl_exit") not in (0, None):
            print(f"seo-audit: the crawl failed (exit status {manifest['crawl_exit']})",
                  file=sys.stderr)
            return EXIT_FAILURE
        raise UsageError(f"cannot reach {url}: {error}")
    summary = build_reports(out, profile, reader, since=since, history=history,
                            name=getattr(args, "name", "") or "", first=first)
    _print_summary(summary, args.quiet)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.dir)
    if not (out / "crawl" / "fetches.jsonl").exists():
        raise UsageError(f"{str(out)!r} holds no crawl data (expected {out}/crawl/fetches.jsonl);"
                         " run 'seo-audit crawl URL --out DIR' first")
    profile = load_profile(args.profile) if args.profile else None
    since, history, first = _comparison_inputs(args, _manifest(out).get("start_url") or "")
    _print_summary(build_reports(out, profile, since=since, history=history,
                                 name=args.name, first=first),
                   quiet=False)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from audit.site_server import serve

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"output folder {str(out)!r} is a file")
    out.mkdir(parents=True, exist_ok=True)
    last_month = out / DEMO_LAST_MONTH
    with tempfile.TemporaryDirectory(prefix="seo-audit-demo-") as folder:
        # The demo site as it was a month ago (data/demo_last_month.toml), audited first,
        # then as it is now, compared with it: the report opens with what changed.
        site = Path(folder) / "site"
        shutil.copytree(PACKAGE_DIR / "demo_site", site)
        _as_last_month(site)
        with serve(site, external=PACKAGE_DIR / "demo_external") as server:
            print(f"Demo practice site served at {server.url}/", file=sys.stderr)

            def crawl(into: Path, **more: Any) -> int:
                return cmd_crawl(argparse.Namespace(
                    url=server.url + "/", out=str(into),
                    profile=str(PACKAGE_DIR / "data" / "demo_profile.toml"), max_pages=0,
                    max_depth=0, concurrency=0, timeout=0, no_external=False,
                    ignore_robots=False, force=True, set=[], resume=False, **more))

            if not args.quiet:
                print(f"Auditing the site as it was a month ago, into {last_month} ...",
                      file=sys.stderr)
            with redirect_stdout(io.StringIO()):  # one report path on stdout: today's
                crawl(last_month, quiet=True)
            shutil.rmtree(site)
            shutil.copytree(PACKAGE_DIR / "demo_site", site)
            if not args.quiet:
                print("Auditing the site as it is now, compared with a month ago ...",
                      file=sys.stderr)
            return crawl(out, quiet=args.quiet, since=str(last_month))


def cmd_batch(args: argparse.Namespace) -> int:
    """Every site of SITES.toml (audit.batch, imported only for this command)."""
    from audit import batch

    try:
        return batch.cmd_batch(args)
    except batch.UsageError as exc:
        # Run as `python -m audit.cli`, this module is __main__ and audit.batch raises the
        # UsageError of a second copy, imported as audit.cli: one line and exit 2 all the same.
        raise UsageError(str(exc)) from None


def _as_last_month(site: Path) -> None:
    """Turn a copy of the demo site into the site as it was a month ago: the edits of
    data/demo_last_month.toml (each page's texts replaced, a page of then made from one of
    now)."""
    import tomllib

    plan = tomllib.loads((PACKAGE_DIR / "data" / "demo_last_month.toml").read_text("utf-8"))
    for page in plan["page"]:
        text = (site / page.get("from", page["file"])).read_text("utf-8")
        for now, then in page["edits"]:
            if now not in text:  # the demo site changed: its month-ago edits must follow
                raise RuntimeError(f"demo_last_month.toml: {now!r} not in {page['file']}")
            text = text.replace(now, then)
        target = site / page["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


def cmd_checks(args: argparse.Namespace) -> int:
    """List the check catalogue: id, severity, title (and with --explain, the explanation)."""
    from audit.registry import SEVERITY_RANK, all_checks

    for item in sorted(all_checks(), key=lambda c: (SEVERITY_RANK[c.severity], c.id)):
        print(f"{item.id:32} {item.severity:8} {item.title}")
        if args.explain:
            source = f"\n    Source: {item.source}" if item.source else ""
            print(f"    {item.explanation}{source}\n    How to fix: {item.fix}\n")
    return EXIT_OK


def _print_summary(summary: dict[str, Any], quiet: bool) -> None:
    counts = summary["counts"]
    if not quiet:
        print(f"Audited {summary['pages']} page(s), {summary['urls']} address(es): "
              f"{counts['error']} error(s), {counts['warning']} warning(s), "
              f"{counts['notice']} notice(s)", file=sys.stderr)
        if summary.get("render_hint"):
            print(summary["render_hint"], file=sys.stderr)
    print(summary["report"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seo-audit", description="Audit a healthcare practice's website for local search.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl a site and write its reports")
    crawl.add_argument("url", help="the site's start address, e.g. https://practice.example")
    crawl.add_argument("--out", required=True, help="folder for the crawl data and reports")
    crawl.add_argument("--profile", help="practice profile (TOML): name, phone, license, ...")
    crawl.add_argument("--max-pages", type=_count, default=0, help="stop after N pages")
    crawl.add_argument("--max-depth", type=_count, default=0,
                       help="follow links at most D clicks from the start page")
    crawl.add_argument("--concurrency", type=_count, default=0,
                       help="parallel requests (default 16 in all, 8 per host)")
    crawl.add_argument("--timeout", type=_count, default=0,
                       help="seconds to wait for a page of the site (default 30)")
    crawl.add_argument("--no-external", action="store_true", help="do not check external links")
    crawl.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt")
    crawl.add_argument("--render", action="store_true",
                       help="read pages as a browser shows them, after their scripts run "
                            "(headless Chromium; slower)")
    crawl.add_argument("--quiet", action="store_true", help="no progress line or summary")
    crawl.add_argument("--force", action="store_true",
                       help="replace an output folder that holds another site's audit")
    crawl.add_argument("--resume", action="store_true",
                       help="continue an interrupted crawl in --out without refetching")
    crawl.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="any Scrapy setting, e.g. --set DOWNLOAD_DELAY=1")
    _comparison_options(crawl)
    crawl.set_defaults(handler=cmd_crawl)

    report = sub.add_parser("report", help="re-run the checks and rewrite the reports of DIR")
    report.add_argument("dir", help="an output folder written by 'seo-audit crawl'")
    report.add_argument("--profile", help="check against this profile instead of the crawl's")
    _comparison_options(report)
    report.set_defaults(handler=cmd_report)

    checks = sub.add_parser("checks", help="list every check: id, severity, title")
    checks.add_argument("--explain", action="store_true", help="with explanations")
    checks.set_defaults(handler=cmd_checks)

    demo = sub.add_parser("demo", help="audit the bundled demo practice site")
    demo.add_argument("--out", default="demo-out", help="output folder (default: demo-out)")
    demo.add_argument("--quiet", action="store_true")
    demo.set_defaults(handler=cmd_demo)

    batch = sub.add_parser("batch", help="audit every site of SITES.toml, then write "
                                         "portfolio.csv and index.html")
    batch.add_argument("sites", metavar="SITES.toml",
                       help="the sites: [[site]] tables with name, url and options")
    batch.add_argument("--out", required=True, metavar="DIR",
                       help="folder of every site's audits, the history, portfolio.csv and "
                            "index.html")
    batch.add_argument("--jobs", type=_count, default=0, metavar="N",
                       help="sites audited at once (default: one per two cores)")
    batch.set_defaults(handler=cmd_batch)
    return parser


def _comparison_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--since", metavar="OLD",
                         help="compare with an earlier audit folder of the same site: writes "
                              "changes.csv and page_changes.csv")
    command.add_argument("--since-last", action="store_true",
                         help="compare with the site's last audit recorded in --history")
    command.add_argument("--history", metavar="FILE",
                         help="record the audit in this history database (SQLite)")
    command.add_argument("--name", default="",
                         help="the name the audit is recorded and listed under "
                              "(default: the practice's name)")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def main(argv: list[str] | None = None) -> int:
    """The command line. Run as the seo-audit command (``argv`` None: the arguments are the
    process's), it ends the process itself once the command is done and its output flushed:
    freeing the audit's frames object by object and tearing down pandas took 0.2 s at the end
    of every report, and nothing is left to do then (every file is written and closed, every
    thread joined)."""
    global _left_for_exit
    if argv is None:
        _left_for_exit = []
    code = _run(argv)
    if argv is not None:
        return code
    with suppress(OSError, ValueError):  # a closed stdout (BrokenPipeError is an OSError)
        sys.stdout.flush()
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    collect_less()  # the records read while crawling, the frames: see spiders.gcpolicy
    try:
        return args.handler(args)
    except (UsageError, ProfileError) as exc:
        print(f"seo-audit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("seo-audit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
