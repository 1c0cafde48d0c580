"""The benchmark runner: our full audit against advertools' crawl() on generated practice sites.

    python bench/run.py throughput --sizes 1000 10000 --shapes practice wordpress --runs 2
                                                                # make bench
    python bench/run.py latency                                 # make bench-latency
    python bench/run.py profile --size 1000 --shape practice    # make bench-profile
    python bench/run.py rendered --size 1000                    # make bench-render

Sites come in two shapes (bench/gen_site.py): "practice" (JSON-LD only, 15-30 links a page)
and "wordpress" (microdata, Open Graph, a few RDFa pages, 40-60 links a page); throughput runs
each size on each shape in turn, in the same run.

Run it with the bench virtualenv's Python (bench/.work/venv, see bench/requirements.txt): it needs
psutil, and advertools is run from there. Everything it generates (sites, crawl folders, nginx
files, logs, raw JSON) goes under bench/.work/; the tables go to bench/RESULTS.md (one section
per mode, the other sections are kept) and bench/PROFILE.md.

Every process of a run is sampled every 50 ms (psutil over the process tree): its peak resident
memory is the kernel's own high-water mark (VmHWM in /proc/PID/status), its CPU time the last
sample; the tree's total CPU time is exact (wait4's rusage of the top process, which includes
every descendant it waited for).
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gen_site  # bench/gen_site.py, beside this file
import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
SEO_AUDIT = ROOT / ".venv" / "bin" / "seo-audit"
BENCH_BIN = Path(sys.executable).parent
PROFILE_TOML = BENCH / "practice.toml"
RESULTS = BENCH / "RESULTS.md"
PROFILE_MD = BENCH / "PROFILE.md"
SAMPLE_EVERY = 0.05
MB = 1024 * 1024


# -- processes ------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when the runner dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _on_term(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # run every finally: servers stop, measured trees are killed


def _hwm(pid: int) -> int | None:
    """The kernel's peak resident set size of a live process, in bytes."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _pss(pid: int) -> int | None:
    """A live process's proportional set size, in bytes: its resident pages, each shared page
    divided among the processes sharing it, so that the sizes of a process tree add up (the
    browser's processes share most of their pages)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@dataclass
class ProcStat:
    pid: int
    role: str
    cmd: str
    peak_rss: int = 0
    cpu: float = 0.0
    first: float = 0.0
    last: float = 0.0


@dataclass
class Measured:
    command: list[str]
    wall: float
    returncode: int
    cpu_total: float
    maxrss_tree: int
    procs: list[ProcStat] = field(default_factory=list)
    machine_busy: float = 0.0  # CPU seconds the whole machine spent, all processes
    load_before: float = 0.0
    # per role (and "tree" for all), the highest sum of the resident memory (PSS with
    # ``measure(pss=True)``) of its processes alive at one sample: what they held at once
    # (Chromium's many processes come and go)
    peak_sum: dict[str, int] = field(default_factory=dict)

    def by_role(self, role: str) -> ProcStat | None:
        matches = [p for p in self.procs if p.role == role]
        if not matches:
            return None
        best = max(matches, key=lambda p: p.peak_rss)
        return ProcStat(best.pid, role, best.cmd, best.peak_rss,
                        sum(p.cpu for p in matches), min(p.first for p in matches),
                        max(p.last for p in matches))


def _kill_tree(pid: int) -> None:
    try:
        root = psutil.Process(pid)
        procs = root.children(recursive=True) + [root]
    except psutil.NoSuchProcess:
        return
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass


def measure(command: list[str], role_of: Callable[[list[str], bool], str], log: Path,
            env: dict[str, str] | None = None, cwd: Path = ROOT,
            timeout: float = 3600, pss: bool = False) -> Measured:
    """Run a command, sampling its whole process tree until it exits. ``pss``: the sums held
    at once are of proportional set sizes (smaps_rollup, dearer to read) rather than RSS."""
    load_before = os.getloadavg()[0]
    busy_before = _machine_busy()
    started = time.perf_counter()
    with open(log, "wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                 cwd=cwd, preexec_fn=_die_with_parent)
    stats: dict[int, ProcStat] = {}
    peak_sum: Counter[str] = Counter()
    try:
        root = psutil.Process(child.pid)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            now = time.perf_counter() - started
            if pid:
                break
            if now > timeout:
                raise TimeoutError(f"{command[0]} ran longer than {timeout:g} s")
            try:
                tree = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                tree = []
            held: Counter[str] = Counter()
            for proc in tree:
                try:
                    stat = stats.get(proc.pid)
                    if stat is None:
                        cmdline = proc.cmdline()
                        stat = stats[proc.pid] = ProcStat(
                            proc.pid, role_of(cmdline, proc.pid == child.pid),
                            " ".join(cmdline)[:200], first=now)
                    elif now - stat.first < 2:
                        # A child seen between fork and exec still shows its parent's command
                        # line: look again while it is young.
                        cmdline = proc.cmdline()
                        if " ".join(cmdline)[:200] != stat.cmd:  # it has exec'd since
                            stat.role = role_of(cmdline, proc.pid == child.pid)
                            stat.cmd = " ".join(cmdline)[:200]
                            stat.peak_rss = 0  # the fork's pages were its parent's
                    times = proc.cpu_times()
                    stat.cpu = times.user + times.system
                    stat.peak_rss = max(stat.peak_rss, _hwm(proc.pid) or 0)
                    stat.last = now
                    rss = (_pss(proc.pid) or 0) if pss else proc.memory_info().rss
                    held[stat.role] += rss
                    held["tree"] += rss
                except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                    continue
            for role, rss in held.items():
                peak_sum[role] = max(peak_sum[role], rss)
            time.sleep(SAMPLE_EVERY)
    except BaseException:
        _kill_tree(child.pid)
        child.wait()
        raise
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text("utf-8", "replace").strip().splitlines()[-1:] if log.exists() else []
        print(f"bench: {command[0]} exited with {child.returncode}: {' '.join(tail)}",
              file=sys.stderr)
    return Measured(command, round(time.perf_counter() - started, 3), child.returncode,
                    round(usage.ru_utime + usage.ru_stime, 2), usage.ru_maxrss * 1024,
                    list(stats.values()), round(_machine_busy() - busy_before, 2),
                    round(load_before, 2), dict(peak_sum))


def _machine_busy() -> float:
    """CPU seconds spent by the whole machine so far (every core, every process)."""
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + getattr(times, "irq", 0.0) + getattr(
        times, "softirq", 0.0) + getattr(times, "steal", 0.0)


def _our_role(cmdline: list[str], is_root: bool) -> str:
    if is_root:
        return "seo-audit"
    if "spiders.run" in cmdline:
        return "crawl"
    if "spiders.worker" in cmdline:
        return "workers"
    # the report step's forked child writing audit.xlsx (reports.write) keeps our command line
    return "workbook" if any(arg.endswith(("seo-audit", "audit.cli")) for arg in cmdline) \
        else "other"


def _adv_role(cmdline: list[str], is_root: bool) -> str:
    if is_root:
        return "advertools"
    return "crawl" if "runspider" in cmdline else "other"


# -- servers --------------------------------------------------------------------------------

def _addr(address: tuple[str, int]) -> str:
    return f"{address[0]}:{address[1]}"


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for_port(host: str, port: int, process: subprocess.Popen, log: Path,
                  seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}:\n"
                               + log.read_text("utf-8", "replace")[-2000:])
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {host}:{port} after {seconds:g} s; see {log}")


def nginx_binary() -> str:
    """nginx from Debian's package, installed with apt-get when it is missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("bench: nginx is missing; install it with 'apt-get install -y nginx'")
    print("bench: installing nginx (apt-get install -y nginx)", file=sys.stderr)
    apt = ["apt-get", "install", "-y", "--no-install-recommends", "nginx"]
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ,
                                                   "DEBIAN_FRONTEND": "noninteractive"}}
    if subprocess.run(apt, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True, **quiet)
        subprocess.run(apt, check=True, **quiet)
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Nginx:
    """One nginx master (foreground, daemon off) serving a generated site and its external host."""

    def __init__(self, site_dir: Path, run_dir: Path, site: tuple[str, int],
                 external: tuple[str, int]) -> None:
        self.binary = nginx_binary()
        self.run_dir = run_dir
        self.site, self.external = site, external
        if run_dir.exists():
            shutil.rmtree(run_dir)
        (run_dir / "tmp").mkdir(parents=True)
        user = "" if os.geteuid() != 0 else "user root;"  # workers read files where we do
        text = (BENCH / "nginx.conf.template").read_text("utf-8")
        for key, value in {"USER_LINE": user, "RUN_DIR": str(run_dir),
                           "SITE_DIR": str(site_dir), "SITE_LISTEN": _addr(site),
                           "EXTERNAL_LISTEN": _addr(external)}.items():
            text = text.replace("{{" + key + "}}", value)
        self.conf = run_dir / "nginx.conf"
        self.conf.write_text(text, "utf-8")
        self.access_log = run_dir / "access.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        error_log = self.run_dir / "error.log"
        command = [self.binary, "-p", str(self.run_dir), "-c", str(self.conf),
                   "-e", str(error_log)]
        subprocess.run(command + ["-t", "-q"], check=True)
        with open(self.run_dir / "stdout.log", "wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                            preexec_fn=_die_with_parent)
        wait_for_port(*self.site, self.process, error_log)
        wait_for_port(*self.external, self.process, error_log)
        return self

    def __exit__(self, *exc: object) -> None:
        stop_process(self.process)

    def version(self) -> str:
        done = subprocess.run([self.binary, "-v"], capture_output=True, text=True)
        return (done.stderr or done.stdout).strip().split("/")[-1]

    def cpu(self) -> float:
        """CPU seconds used so far by the nginx master and its workers."""
        if self.process is None:
            return 0.0
        try:
            master = psutil.Process(self.process.pid)
            procs = [master] + master.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def requests_since(self, offset: int) -> dict[str, Any]:
        """Requests served since a log offset: to the site, to the external host, by status."""
        site_port, ext_port = str(self.site[1]), str(self.external[1])
        counts: Counter[str] = Counter()
        with open(self.access_log, "rb") as handle:
            handle.seek(offset)
            for line in handle:
                port, status, method = line.decode().split()
                where = "site" if port == site_port else "external" if port == ext_port else "?"
                counts[where] += 1
                counts[f"{where} {status}"] += 1
                counts[f"{where} {method}"] += 1
        return dict(counts)


def stop_process(process: subprocess.Popen | None, grace: float = 10) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def latency_servers(site_dir: Path, site: tuple[str, int], external: tuple[str, int],
                    slow: tuple[str, int], log: Path) -> Iterator[None]:
    command = [str(PROJECT_PYTHON), str(BENCH / "latency_server.py"), str(site_dir),
               "--site", _addr(site), "--external", _addr(external), "--slow", _addr(slow)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=_CODE["dir"], env=_code_env(_CODE["dir"]),
                                   preexec_fn=_die_with_parent)
    try:
        for address in (site, external, slow):
            wait_for_port(*address, process, log)
        yield
    finally:
        stop_process(process)


# -- the two crawlers -----------------------------------------------------------------------

# -- the code under test --------------------------------------------------------------------

PROJECT_PACKAGES = ("audit", "spiders", "reports")
_CODE: dict[str, Any] = {"dir": ROOT, "fingerprint": None}


def snapshot_project() -> dict[str, Any]:
    """Copy the project's packages to bench/.work/snapshot and run our audit from there.

    Other people edit audit/, spiders/ and reports/ while a bench runs for half an hour; a
    snapshot keeps every run of one bench on the same code. The project's venv still provides
    the dependencies and the `seo-audit` script: PYTHONPATH puts the snapshot before the
    editable install, and the crawl subprocess (`python -m spiders.run`) starts in the
    snapshot folder, which is the first entry of its sys.path.
    """
    dest = WORK / "snapshot"
    if dest.exists():
        shutil.rmtree(dest)
    digest = hashlib.sha256()
    for package in PROJECT_PACKAGES:
        shutil.copytree(ROOT / package, dest / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        digest.update(path.relative_to(dest).as_posix().encode() + b"\0" + path.read_bytes())
    check = subprocess.run(
        [str(PROJECT_PYTHON), "-c", "import audit.cli, spiders.run, spiders.site, "
         "reports.write, reports.local; from audit.cli import build_reports"],
        cwd=dest, env=_code_env(dest), capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit("bench: the project's code does not import right now (someone is "
                         "mid-edit?); try again in a minute:\n" + check.stderr[-1500:])
    _CODE.update(dir=dest, fingerprint=digest.hexdigest()[:12],
                 taken=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    return dict(_CODE, dir=str(dest))


def _code_env(code_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    if code_dir != ROOT:
        env["PYTHONPATH"] = str(code_dir)
    return env


def run_ours(url: str, out: Path, logs: Path, tag: str, max_pages: int = 0,
             extra: tuple[str, ...] = (),
             role_of: Callable[[list[str], bool], str] | None = None,
             pss: bool = False) -> dict[str, Any]:
    """``max_pages``: the audit's page-request limit, when the site needs more than its
    default (advertools' crawl has no limit). ``extra``: more crawl options (--render)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    command = [str(SEO_AUDIT), "crawl", url, "--out", str(out), "--quiet",
               "--profile", str(PROFILE_TOML)]
    if max_pages:
        command += ["--max-pages", str(max_pages)]
    command += list(extra)
    measured = measure(command, role_of or _our_role, logs / f"{tag}.log",
                       env=_code_env(_CODE["dir"]), cwd=_CODE["dir"], pss=pss)
    result = _summary("ours", measured, logs / f"{tag}.log")
    result.update(analyse_ours(out))
    return result


def run_report(out: Path, logs: Path, tag: str) -> dict[str, Any]:
    measured = measure([str(SEO_AUDIT), "report", str(out)], _our_role, logs / f"{tag}.log",
                       env=_code_env(_CODE["dir"]), cwd=_CODE["dir"])
    return _summary("report", measured, logs / f"{tag}.log")


def run_advertools(url: str, out: Path, logs: Path, tag: str) -> dict[str, Any]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    output = out / "crawl.jl"
    env = {**os.environ, "PATH": f"{BENCH_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, str(BENCH / "adv_crawl.py"), url, str(output),
               str(out / "scrapy.log")]
    # Scrapy reads the settings of the nearest scrapy.cfg above its working folder: it must not
    # find the project's (scrapy.cfg at the repository root), so advertools runs from a
    # temporary folder.
    with tempfile.TemporaryDirectory(prefix="bench-advertools-") as cwd:
        measured = measure(command, _adv_role, logs / f"{tag}.log", env=env, cwd=Path(cwd))
    result = _summary("advertools", measured, logs / f"{tag}.log")
    result.update(analyse_advertools(output, out / "scrapy.log"))
    return result


def run_floor(url: str, out: Path, logs: Path, tag: str) -> dict[str, Any]:
    """The bare Scrapy spider (bench/floor_spider.py), on the project's own Scrapy."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    output = out / "crawl.jl"
    command = [str(PROJECT_PYTHON), str(BENCH / "floor_spider.py"), url, str(output),
               str(out / "scrapy.log")]
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as cwd:  # no scrapy.cfg above
        measured = measure(command, lambda cmdline, is_root: "floor" if is_root else "other",
                           logs / f"{tag}.log", cwd=Path(cwd))
    result = _summary("floor", measured, logs / f"{tag}.log")
    pages = {r["url"] for r in _jsonl(output) if r.get("status") == 200}
    result.update(html_pages=len(pages), page_urls=sorted(pages))
    return result


def _summary(tool: str, measured: Measured, log: Path) -> dict[str, Any]:
    main_role = {"ours": "seo-audit", "report": "seo-audit", "advertools": "advertools",
                 "floor": "floor"}[tool]
    main, crawl = measured.by_role(main_role), measured.by_role("crawl")
    workbook = measured.by_role("workbook")
    workers = [p for p in measured.procs if p.role == "workers"]
    failure = None
    if measured.returncode != 0 and log.exists():
        failure = log.read_text("utf-8", "replace").strip().splitlines()[-1:]
    return {
        "failure": " ".join(failure) if failure else None,
        "tool": tool, "wall": measured.wall, "returncode": measured.returncode,
        "cpu_total": measured.cpu_total, "maxrss_tree_mb": round(measured.maxrss_tree / MB, 1),
        "main_rss_mb": round(main.peak_rss / MB, 1) if main else None,
        "main_cpu": round(main.cpu, 2) if main else None,
        # the forked child that writes audit.xlsx: most of its RSS is the parent's pages,
        # shared copy-on-write, so the two peaks do not add up
        "workbook_rss_mb": round(workbook.peak_rss / MB, 1) if workbook else None,
        "workbook_cpu": round(workbook.cpu, 2) if workbook else None,
        "crawl_rss_mb": round(crawl.peak_rss / MB, 1) if crawl else None,
        "crawl_cpu": round(crawl.cpu, 2) if crawl else None,
        "crawl_seconds": round(crawl.last - crawl.first, 2) if crawl else None,
        # our crawl's extraction processes (spiders.worker): each one's peak, their CPU
        "workers_rss_mb": [round(p.peak_rss / MB, 1) for p in workers],
        "workers_cpu": round(sum(p.cpu for p in workers), 2) if workers else None,
        # the crawl as a whole: the reactor's process and its workers, each at its own peak
        "crawl_total_rss_mb": round((crawl.peak_rss + sum(p.peak_rss for p in workers)) / MB, 1)
        if crawl else None,
        # CPU the rest of the machine used meanwhile (nginx, this runner, anything else): a
        # run with much of it shared the 2 cores and its times are not clean.
        "other_cpu": round(measured.machine_busy - measured.cpu_total, 2),
        "load_before": measured.load_before,
        "held_at_once_mb": {role: round(rss / MB, 1) for role, rss in measured.peak_sum.items()},
        "processes": [asdict(p) for p in measured.procs],
    }


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _lines(path: Path) -> int:
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def analyse_ours(out: Path) -> dict[str, Any]:
    crawl = out / "crawl"
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    pages: set[str] = set()
    page_404: set[str] = set()
    first_page = last_page = last_any = None
    for record in _jsonl(crawl / "fetches.jsonl"):
        kind = record.get("kind")
        kinds[kind] += 1
        statuses[f"{kind} {record.get('status')}"] += 1
        if record.get("error"):
            errors[f"{kind}: {record['error']}"] += 1
        stamp = record.get("fetched_at")
        last_any = max(last_any or stamp, stamp) if stamp else last_any
        if kind == "page":
            if stamp:
                first_page = min(first_page or stamp, stamp)
                last_page = max(last_page or stamp, stamp)
            if record.get("status") == 200 and "html" in (record.get("content_type") or ""):
                pages.add(record["url"])
            elif record.get("status") == 404:
                page_404.add(record["url"])
    manifest = {}
    if (crawl / "manifest.json").exists():
        manifest = json.loads((crawl / "manifest.json").read_text("utf-8"))
    checks: Counter[str] = Counter()
    if (out / "issues.csv").exists():
        with open(out / "issues.csv", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                checks[row.get("check", "?")] += 1
    reports = sorted(p.name for p in out.iterdir() if p.is_file())
    return {
        "html_pages": _lines(crawl / "pages.jsonl"), "page_urls": sorted(pages),
        "broken_pages": len(page_404), "fetches": sum(kinds.values()), "kinds": dict(kinds),
        "statuses": dict(statuses), "errors": dict(errors.most_common(12)),
        "error_count": sum(errors.values()), "links_rows": _lines(crawl / "links.jsonl"),
        "crawl_duration": manifest.get("duration_s"), "crawl_exit": manifest.get("crawl_exit"),
        "interrupted": manifest.get("interrupted"), "issues": dict(checks.most_common()),
        "reports": reports, "first_page_at": first_page, "last_page_at": last_page,
        "last_fetch_at": last_any, "started_at": manifest.get("started"),
        "finished_at": manifest.get("finished"),
    }


def analyse_advertools(output: Path, log: Path) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    pages: set[str] = set()
    broken: set[str] = set()
    rows = 0
    for record in _jsonl(output):
        rows += 1
        status = record.get("status")
        statuses[str(status)] += 1
        ctype = str(record.get("resp_headers_Content-Type") or record.get("content_type") or "")
        if status == 200 and ("html" in ctype or not ctype):
            pages.add(record["url"])
        elif status == 404:
            broken.add(record["url"])
    stats: dict[str, Any] = {}
    errors: list[str] = []
    if log.exists():
        text = log.read_text("utf-8", "replace")
        for key in ("downloader/request_count", "item_scraped_count", "log_count/ERROR",
                    "downloader/exception_count", "finish_reason"):
            marker = f"'{key}': "
            if marker in text:
                stats[key] = text.split(marker, 1)[1].split(",", 1)[0].split("}", 1)[0].strip()
        errors = [line for line in text.splitlines() if " ERROR: " in line][:5]
    return {"html_pages": len(pages), "page_urls": sorted(pages), "rows": rows,
            "broken_pages": len(broken), "statuses": dict(statuses), "scrapy_stats": stats,
            "error_lines": errors}


# -- modes ----------------------------------------------------------------------------------

def _median(values: list[float]) -> float:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else float("nan")


def _compare_pages(ours: list[dict], adv: list[dict]) -> dict[str, Any]:
    our_urls = set().union(*(set(r["page_urls"]) for r in ours)) if ours else set()
    adv_urls = set().union(*(set(r["page_urls"]) for r in adv)) if adv else set()
    runs_differ = sum(len(set(r["page_urls"]) ^ set(ours[0]["page_urls"])) for r in ours)
    runs_differ += sum(len(set(r["page_urls"]) ^ set(adv[0]["page_urls"])) for r in adv)
    return {"ours": len(our_urls), "advertools": len(adv_urls),
            "ours_per_run": [len(r["page_urls"]) for r in ours],
            "only_ours": sorted(our_urls - adv_urls)[:10],
            "only_ours_count": len(our_urls - adv_urls),
            "only_advertools": sorted(adv_urls - our_urls)[:10],
            "only_advertools_count": len(adv_urls - our_urls), "runs_differ": runs_differ}


def _environment(server: str) -> dict[str, str]:
    def version(python: Path, module: str) -> str:
        done = subprocess.run([str(python), "-c", f"import {module}; print({module}.__version__)"],
                              capture_output=True, text=True)
        return done.stdout.strip() or "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores ({cpu}), "
                   f"{psutil.virtual_memory().total / 1024 ** 3:.0f} GiB",
        "python": platform.python_version(), "server": server,
        "scrapy (ours)": version(PROJECT_PYTHON, "scrapy"),
        "advertools": version(Path(sys.executable), "advertools"),
        "scrapy (advertools' venv)": version(Path(sys.executable), "scrapy"),
        "our code": (f"snapshot {_CODE['fingerprint']} of audit/, spiders/, reports/ taken "
                     f"{_CODE['taken']}" if _CODE["fingerprint"] else "the live work tree"),
    }


def _crawl_pair(url: str, size_dir: Path, runs: int, label: str,
                nginx: Nginx | None, report_step: bool,
                max_pages: int = 0) -> dict[str, list[dict]]:
    """ours, advertools, ours, advertools, ... on one served site."""
    logs = size_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    done: dict[str, list[dict]] = {"ours": [], "advertools": [], "report": [], "floor": []}
    for k in range(1, runs + 1):
        for tool in ("ours", "advertools"):
            offset = nginx.log_offset() if nginx else 0
            server_cpu = nginx.cpu() if nginx else 0.0
            print(f"bench: {label}: {tool} run {k}/{runs} ...", file=sys.stderr, flush=True)
            if tool == "ours":
                result = run_ours(url, size_dir / f"ours-{k}", logs, f"ours-{k}", max_pages)
            else:
                result = run_advertools(url, size_dir / f"advertools-{k}", logs,
                                        f"advertools-{k}")
            result["run"] = k
            if nginx:
                result["requests"] = nginx.requests_since(offset)
                result["server_cpu"] = round(nginx.cpu() - server_cpu, 2)
            done[tool].append(result)
            print(f"bench:   {result['wall']:.1f} s, {result['html_pages']} pages, "
                  f"exit {result['returncode']}", file=sys.stderr, flush=True)
            if tool == "ours" and report_step:
                report = run_report(size_dir / f"ours-{k}", logs, f"report-{k}")
                report["run"] = k
                report["crawl_duration"] = result.get("crawl_duration")
                done["report"].append(report)
    if nginx:  # once: a reference point, not a contender
        print(f"bench: {label}: bare Scrapy floor ...", file=sys.stderr, flush=True)
        offset, server_cpu = nginx.log_offset(), nginx.cpu()
        floor = run_floor(url, size_dir / "floor", logs, "floor")
        floor.update(run=1, requests=nginx.requests_since(offset),
                     server_cpu=round(nginx.cpu() - server_cpu, 2))
        done["floor"].append(floor)
        print(f"bench:   {floor['wall']:.1f} s, {floor['html_pages']} pages",
              file=sys.stderr, flush=True)
    return done


def _split(values: list[str]) -> list[str]:
    """--sizes 1000 10000, --sizes "1000 10000" (make's quoting) or --sizes 1000,10000."""
    return [v for chunk in values for v in str(chunk).replace(",", " ").split()]


def site_key(shape: str, size: int) -> str:
    """The name of a generated site under WORK/sites/ and WORK/throughput/, and its key in
    the raw results: "<N>" for the practice shape (as before shapes existed), else
    "<shape>-<N>"."""
    return str(size) if shape == "practice" else f"{shape}-{size}"


def _entries(results: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    """(shape, N, figures) of every site of a throughput results file, grouped by N, the
    shapes in SHAPES order. A file written before shapes existed has none: practice."""
    order = list(gen_site.SHAPES)
    entries = []
    for key, data in results.get("sizes", {}).items():
        shape = data.get("shape", "practice")
        size = int(data.get("size") or key.rsplit("-", 1)[-1])
        entries.append((shape, size, data))
    entries.sort(key=lambda e: (e[1], order.index(e[0]) if e[0] in order else len(order)))
    return entries


def cmd_throughput(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in _split(args.sizes)]
    shapes = _split(args.shapes)
    unknown = [s for s in shapes if s not in gen_site.SHAPES]
    if unknown:
        raise SystemExit(f"bench: unknown site shape(s) {', '.join(unknown)}; "
                         f"one of {', '.join(gen_site.SHAPES)}")
    results: dict[str, Any] = {"mode": "throughput", "runs": args.runs, "sizes": {}}
    raw = WORK / "results-throughput.json"
    if args.keep and raw.exists():  # the other sizes and shapes of the last run stay
        results = json.loads(raw.read_text("utf-8"))
        results.pop("environment", None)  # this run's; each site's notes name its own code
    site_host, ext_host = "127.0.0.1", "127.0.0.2"
    for size in sizes:
        for shape in shapes:  # both shapes of one size in turn, in the same run
            key = site_key(shape, size)
            size_dir = WORK / "throughput" / key
            site_dir = WORK / "sites" / key
            site = (site_host, free_port(site_host))
            external = (ext_host, free_port(ext_host))
            url = f"http://{site[0]}:{site[1]}/"
            print(f"bench: generating a {size}-page {shape} site ...", file=sys.stderr,
                  flush=True)
            info = gen_site.generate(site_dir, size, url,
                                     [f"http://{external[0]}:{external[1]}"], shape=shape)
            with Nginx(site_dir, size_dir / "nginx", site, external) as nginx:
                results.setdefault("environment", _environment(f"nginx {nginx.version()}"))
                # Page requests count redirects and 404s too: twice the pages is room for all.
                runs = _crawl_pair(url, size_dir, args.runs, f"N={size} {shape}", nginx, True,
                                   max_pages=max(2 * size, 50_000))
            results["sizes"][key] = {
                "shape": shape, "size": size, "site": info, **runs,
                "snapshot": _CODE["fingerprint"] or "live work tree",
                "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "pages": _compare_pages(runs["ours"], runs["advertools"])}
            _save(results, "throughput")
    write_results_section("throughput", render_throughput(results))
    print(render_throughput(results))
    return 0


def cmd_latency(args: argparse.Namespace) -> int:
    site = ("127.0.0.1", free_port("127.0.0.1"))
    external = ("127.0.0.2", free_port("127.0.0.2"))
    slow = ("127.0.0.3", free_port("127.0.0.3"))
    url = f"http://{site[0]}:{site[1]}/"
    size_dir = WORK / "latency"
    size_dir.mkdir(parents=True, exist_ok=True)
    site_dir = WORK / "sites" / f"latency-{args.pages}"
    info = gen_site.generate(site_dir, args.pages, url, [f"http://{external[0]}:{external[1]}"],
                             external_urls=args.external_urls,
                             slow_origin=f"http://{slow[0]}:{slow[1]}", slow_urls=args.slow_urls)
    results: dict[str, Any] = {"mode": "latency", "runs": args.runs, "site": info,
                               "environment": _environment(
                                   "audit/site_server.py, 50-150 ms a response; one external "
                                   "host answering after 15 s")}
    with latency_servers(site_dir, site, external, slow, size_dir / "server.log"):
        runs = _crawl_pair(url, size_dir, args.runs, "latency", None, False)
    results.update(runs)
    results["pages"] = _compare_pages(runs["ours"], runs["advertools"])
    _save(results, "latency")
    write_results_section("latency", render_latency(results))
    print(render_latency(results))
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    size, shape = args.size, args.shape
    size_dir = WORK / "profile"
    site = ("127.0.0.1", free_port("127.0.0.1"))
    external = ("127.0.0.2", free_port("127.0.0.2"))
    url = f"http://{site[0]}:{site[1]}/"
    site_dir = WORK / "sites" / f"profile-{site_key(shape, size)}"
    info = gen_site.generate(site_dir, size, url, [f"http://{external[0]}:{external[1]}"],
                             shape=shape)
    out = size_dir / "ours"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    raw = size_dir / "profile.txt"
    # --nonblocking: py-spy reads the processes' memory without stopping them. Stopping them
    # (its default) garbled the extraction workers' answers on their pipes in a 10,000-page run,
    # so that they were replaced and the pages extracted in the crawl process instead.
    command = [str(BENCH_BIN / "py-spy"), "record", "--subprocesses", "--nolineno",
               "--nonblocking",
               "--rate", str(args.rate), "--format", "raw", "-o", str(raw), "--",
               str(SEO_AUDIT), "crawl", url, "--out", str(out), "--quiet",
               "--profile", str(PROFILE_TOML)]
    with Nginx(site_dir, size_dir / "nginx", site, external):
        print(f"bench: profiling the audit of a {size}-page {shape} site ...", file=sys.stderr,
              flush=True)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=_CODE["dir"],
                              env=_code_env(_CODE["dir"]))
        wall = time.perf_counter() - started
    if done.returncode != 0 or not raw.exists():
        print(done.stdout, done.stderr, file=sys.stderr)
        return 1
    crawl = analyse_ours(out)
    text = render_profile(parse_raw_profile(raw), size, wall, crawl, info, _shown(command),
                          args.rate, shape)
    PROFILE_MD.write_text(text, "utf-8")
    print(text)
    return 0


def _rendered_role(cmdline: list[str], is_root: bool) -> str:
    """Our roles, plus the browser's processes and Playwright's driver (node)."""
    name = Path(cmdline[0]).name if cmdline else ""
    if "chrom" in name:
        return "chromium"
    if name == "node" or "run-driver" in cmdline:
        return "playwright"
    return _our_role(cmdline, is_root)


def cmd_rendered(args: argparse.Namespace) -> int:
    """The audit of one generated site with --render, next to the plain audit of it."""
    size, shape = args.size, args.shape
    size_dir = WORK / "rendered"
    logs = size_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    site = ("127.0.0.1", free_port("127.0.0.1"))
    external = ("127.0.0.2", free_port("127.0.0.2"))
    url = f"http://{site[0]}:{site[1]}/"
    site_dir = WORK / "sites" / f"rendered-{site_key(shape, size)}"
    print(f"bench: generating a {size}-page {shape} site ...", file=sys.stderr, flush=True)
    info = gen_site.generate(site_dir, size, url, [f"http://{external[0]}:{external[1]}"],
                             shape=shape)
    results: dict[str, Any] = {"mode": "rendered", "size": size, "shape": shape, "site": info,
                               "runs": args.runs, "plain": [], "render": [],
                               "snapshot": _CODE["fingerprint"] or "live work tree"}
    with Nginx(site_dir, size_dir / "nginx", site, external) as nginx:
        results["environment"] = _environment(f"nginx {nginx.version()}")
        for k in range(1, args.runs + 1):
            for label, extra in (("plain", ()), ("render", ("--render",))):
                print(f"bench: {label} run {k}/{args.runs} ...", file=sys.stderr, flush=True)
                offset, server_cpu = nginx.log_offset(), nginx.cpu()
                result = run_ours(url, size_dir / f"{label}-{k}", logs, f"{label}-{k}",
                                  max(2 * size, 50_000), extra, _rendered_role, pss=True)
                result.update(run=k, requests=nginx.requests_since(offset),
                              server_cpu=round(nginx.cpu() - server_cpu, 2))
                results[label].append(result)
                print(f"bench:   {result['wall']:.1f} s, {result['html_pages']} pages, "
                      f"exit {result['returncode']}", file=sys.stderr, flush=True)
    _save(results, "rendered")
    write_results_section("rendered", render_rendered(results))
    print(render_rendered(results))
    return 0


def render_rendered(results: dict[str, Any]) -> str:
    env = results.get("environment", {})
    lines = [f"## `--render`: {results['size']:,} pages ({results['shape']} shape)", "",
             "`make bench-render`: the whole audit of one generated site, plain and with "
             "`--render` (headless Chromium, SEO_RENDER_PAGES pages at once: 2), "
             "alternating. Memory *held at once* is the highest sum, at one 50 ms sample, "
             "of the proportional set sizes "
             "(PSS: a page shared by k processes counts 1/k in each) of the processes of a "
             "role alive then; the crawl process's peak is its own resident high-water mark.",
             "",
             "| crawl | run | wall s | HTML pages | pages/s | CPU s | crawl process peak MB "
             "| workers at once MB | Chromium at once MB | Playwright driver MB "
             "| whole tree at once MB | requests to the site |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for label in ("plain", "render"):
        for r in results.get(label, []):
            held = r.get("held_at_once_mb") or {}
            seconds = r.get("crawl_duration") or r["wall"]
            rate = r["html_pages"] / seconds if seconds else 0
            lines.append(
                f"| {label} | {r['run']} | {_f(r['wall'])} | {r['html_pages']:,} | "
                f"{_f(rate)} | {_f(r['cpu_total'])} | {_f(r.get('crawl_rss_mb'))} | "
                f"{_f(held.get('workers'))} | {_f(held.get('chromium'))} | "
                f"{_f(held.get('playwright'))} | {_f(held.get('tree'))} | "
                f"{(r.get('requests') or {}).get('site', 0):,} |")
    lines += ["", "pages/s: HTML pages over the crawl's own duration (the manifest's), the "
              "report step excluded; wall s: the whole audit. The whole tree includes "
              "`seo-audit` itself (which, in a plain crawl, reads the records while the crawl "
              "runs; with `--render` it waits for the crawl's end).", "",
              *_env_lines(env)]
    return _relative("\n".join(lines))


def cmd_render(args: argparse.Namespace) -> int:
    """Rewrite the RESULTS.md sections from the raw results of the last runs."""
    for mode, render in (("throughput", render_throughput), ("latency", render_latency),
                         ("rendered", render_rendered)):
        raw = WORK / f"results-{mode}.json"
        if raw.exists():
            write_results_section(mode, render(json.loads(raw.read_text("utf-8"))))
    return 0


def _save(results: dict[str, Any], mode: str) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / f"results-{mode}.json").write_text(json.dumps(results, indent=1, default=str),
                                                "utf-8")


# -- the profile ----------------------------------------------------------------------------

def parse_raw_profile(raw: Path) -> dict[str, Any]:
    """py-spy's collapsed stacks: own and total samples per (process, function)."""
    own: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    per_process: Counter[str] = Counter()
    per_package: Counter[tuple[str, str]] = Counter()
    for line in raw.read_text("utf-8", "replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        process = "?"
        calls = []
        for frame in frames:
            if frame.startswith("process "):
                process = ("crawl subprocess" if "spiders.run" in frame
                           else "extraction workers" if "spiders.worker" in frame
                           else "seo-audit parent")
            else:
                calls.append(frame)
        if process == "seo-audit parent" and "main (spiders/run.py)" in calls:
            # py-spy can name a child by the command line it was forked with, when it first
            # sees it before the exec: the crawl subprocess, by its stack
            process = "crawl subprocess"
        if not calls:
            continue
        per_process[process] += count
        own[(process, calls[-1])] += count
        per_package[(process, _package(calls[-1]))] += count
        for call in set(calls):
            total[(process, call)] += count
    return {"own": own, "total": total, "per_process": per_process, "per_package": per_package,
            "samples": sum(per_process.values())}


def _package(frame: str) -> str:
    """The top-level package of a frame 'function (path/file.py)'."""
    path = frame.rpartition("(")[2].rstrip(")")
    if path.startswith("<"):
        return path
    head = path.split("/")[0]
    return head.removesuffix(".py") if "/" in path or path.endswith(".py") else head


# -- tables ---------------------------------------------------------------------------------

def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _ratio(ours: float, adv: float) -> str:
    return f"{ours / adv:.2f}" if adv else "–"


def _requests(result: dict[str, Any]) -> str:
    req = result.get("requests")
    if not req:
        return "–"  # no nginx access log (latency mode)
    return f"{req.get('site', 0):,} + {req.get('external', 0):,}"


def _env_lines(env: dict[str, str]) -> list[str]:
    return [", ".join(f"{k}: {v}" for k, v in env.items()), ""]


def _crawl_rss(r: dict[str, Any]) -> str:
    """The crawl's peak RSS: its own process, plus each extraction worker's when it has any."""
    workers = r.get("workers_rss_mb") or []
    if not workers:
        return _f(r.get("crawl_rss_mb"))
    return (f"{_f(r['crawl_rss_mb'])} + {' + '.join(_f(w) for w in workers)} = "
            f"{_f(r['crawl_total_rss_mb'])}")


def _crawl_cpu(r: dict[str, Any]) -> str:
    if r.get("workers_cpu") is None:
        return _f(r.get("crawl_cpu"))
    return f"{_f(r['crawl_cpu'])} + {_f(r['workers_cpu'])}"


def _main(r: dict[str, Any], key: str, workbook_key: str) -> str:
    """The main process's figure, and its workbook child's (reports.write) when it had one."""
    if r.get(workbook_key) is None:
        return _f(r.get(key))
    return f"{_f(r.get(key))} (workbook {_f(r[workbook_key])})"


def _run_rows(size: str, rows: list[dict], shape: str | None = None) -> list[str]:
    """Rows of the every-run table; with a shape column when ``shape`` is given."""
    out = []
    first = f"| {size} | {shape} |" if shape is not None else f"| {size} |"
    for r in rows:
        pages_s = r["html_pages"] / r["wall"] if r["wall"] else 0
        out.append(
            f"{first} {r['tool']} #{r['run']} | {_f(r['wall'])} | {_f(r['html_pages'])} | "
            f"{_f(pages_s)} | {_requests(r)} | {_main(r, 'main_rss_mb', 'workbook_rss_mb')} | "
            f"{_crawl_rss(r)} | {_f(r['cpu_total'])} | {_main(r, 'main_cpu', 'workbook_cpu')} | "
            f"{_crawl_cpu(r)} | "
            f"{_f(r.get('server_cpu'))} | {_f(r.get('other_cpu'))} | {r['returncode']} |")
    return out


RUN_HEADER = [
    "| N | run | wall s | HTML pages | pages/s | requests (site + external) | peak RSS main "
    "MB | peak RSS crawl MB (+ workers) | CPU s (tree) | CPU s main | CPU s crawl (+ workers) "
    "| CPU s server | "
    "CPU s rest of machine | exit |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def _run_header(with_shape: bool) -> list[str]:
    """RUN_HEADER, with a shape column after N for the throughput tables."""
    if not with_shape:
        return list(RUN_HEADER)
    head, rule = RUN_HEADER
    return [head.replace("| N | run |", "| N | shape | run |", 1),
            rule.replace("|---:|", "|---:|---|", 1)]


def render_throughput(results: dict[str, Any]) -> str:
    entries = _entries(results)
    shapes = sorted({shape for shape, _, _ in entries},
                    key=lambda s: list(gen_site.SHAPES).index(s) if s in gen_site.SHAPES else 99)
    lines = ["## Throughput: the full audit against advertools' crawl()", ""]
    lines += _env_lines(results.get("environment", {}))
    lines += [
        "Each size and site shape: one nginx (1 worker) on 127.0.0.1 serving the generated site "
        "and a second server block on 127.0.0.2 as the external host; runs alternate ours, "
        "advertools, ours, advertools. \"ours\" is `seo-audit crawl URL --out DIR --quiet "
        "--profile bench/practice.toml`, i.e. the crawl subprocess and then every report; "
        "\"main\" is the `seo-audit` parent (or advertools' Python process, which runs `scrapy "
        "runspider`: \"crawl\"). Our crawl also checks every image, script, stylesheet and "
        "external link (HEAD) and reads the sitemap; advertools fetches HTML pages only. Our "
        "crawl process downloads and hands each page to extraction workers (`python -m "
        "spiders.worker`, one per core): its peak RSS is given as the crawl process + each "
        "worker = their sum. \"Scrapy floor\" is one run of bench/floor_spider.py after the "
        "pairs: a bare spider that follows links and reads titles, each URL once, the floor of "
        "one Scrapy process.", "",
        "Site shapes (bench/README.md): " + "; ".join(
            f"**{shape}**: {SHAPE_NOTES.get(shape, shape)}" for shape in shapes) + ".", "",
        "### Summary (medians)", "",
        "| N | shape | ours wall s | advertools wall s | ratio | ours pages/s | advertools "
        "pages/s | ratio | Scrapy floor pages/s | ours / floor | ours peak RSS MB (crawl with "
        "workers / parent) | advertools peak RSS MB (scrapy / main) | ours CPU s | advertools "
        "CPU s | ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    detail = ["### Every run", "", *_run_header(with_shape=True)]
    report_rows = ["### The report step", "",
                   "Against the crawl subprocess's own wall time (`duration_s` of the manifest). "
                   "\"after the crawl\" is the report step as `seo-audit crawl` runs it: the "
                   "command's wall time after the crawl subprocess ended (it has read most "
                   "records while the crawl ran). \"report\" is `seo-audit report DIR` re-run "
                   "on the crawl folder afterwards (no network), which reads everything "
                   "itself.", "",
                   "| N | shape | run | crawl subprocess s | after the crawl s | after / crawl | "
                   "report s | report / crawl | report peak RSS MB | report CPU s | "
                   "crawl peak RSS MB (with workers) |",
                   "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = ["### Pages found and errors", ""]
    for shape, size, data in entries:
        ours, adv = data["ours"], data["advertools"]
        ow, aw = _median([r["wall"] for r in ours]), _median([r["wall"] for r in adv])
        op = _median([r["html_pages"] / r["wall"] for r in ours])
        ap = _median([r["html_pages"] / r["wall"] for r in adv])
        oc, ac = _median([r["cpu_total"] for r in ours]), _median([r["cpu_total"] for r in adv])
        floors = data.get("floor", [])
        fp = _median([r["html_pages"] / r["wall"] for r in floors]) if floors else None
        lines.append(
            f"| {size:,} | {shape} | {_f(ow)} | {_f(aw)} | {_ratio(ow, aw)} | {_f(op)} | "
            f"{_f(ap)} | {_ratio(op, ap)} | {_f(fp)} | {_ratio(op, fp) if fp else '–'} | "
            f"{_f(max(r.get('crawl_total_rss_mb') or r['crawl_rss_mb'] or 0 for r in ours))} / "
            f"{_f(max(r['main_rss_mb'] or 0 for r in ours))} | "
            f"{_f(max(r['crawl_rss_mb'] or 0 for r in adv))} / "
            f"{_f(max(r['main_rss_mb'] or 0 for r in adv))} | {_f(oc)} | {_f(ac)} | "
            f"{_ratio(oc, ac)} |")
        merged = [r for pair in zip(ours, adv, strict=False) for r in pair] + floors
        detail += _run_rows(f"{size:,}", merged, shape)
        for rep in data.get("report", []):
            crawl_s = rep.get("crawl_duration") or 0
            run = next((r for r in ours if r["run"] == rep["run"]), {})
            crawl_rss = run.get("crawl_total_rss_mb") or run.get("crawl_rss_mb")
            after = run["wall"] - crawl_s if run and crawl_s else None
            report_rows.append(
                f"| {size:,} | {shape} | {rep['run']} | {_f(crawl_s)} | {_f(after)} | "
                f"{_f(after / crawl_s * 100 if after is not None else None)} % | "
                f"{_f(rep['wall'])} | "
                f"{_f(rep['wall'] / crawl_s * 100 if crawl_s else None)} % | "
                f"{_f(rep['main_rss_mb'])} | {_f(rep['cpu_total'])} | {_f(crawl_rss)} |")
        site, pages = data["site"], _compare_pages(ours, adv)
        expected = site["pages"] + site["sitemap_only_pages"]
        run_of = (f" (run {data['date']}, code snapshot {data['snapshot']})"
                  if data.get("snapshot") else "")
        links = site["internal_a_links"] / max(site["pages"] + site["sitemap_only_pages"], 1)
        markup = (f", microdata on {site['microdata_pages']:,} pages, RDFa on "
                  f"{site['rdfa_pages']:,}" if "microdata_pages" in site else "")
        notes.append(
            f"- N={size:,}, {shape}{run_of}: generated {site['pages']:,} linked pages + "
            f"{site['sitemap_only_pages']} only in the sitemap (mean {site['mean_page_kb']} KB, "
            f"{links:.0f} internal links a page, "
            f"{site['broken_share_of_internal_links'] * 100:.1f}% of internal links broken, "
            f"{site['distinct_external_urls']:,} external addresses{markup}). HTML pages "
            f"answering 200: ours {pages['ours']:,}, advertools {pages['advertools']:,} "
            f"(expected {expected:,} and {site['pages']:,}); only ours: "
            f"{pages['only_ours_count']:,}{_examples(pages['only_ours'])}; only advertools: "
            f"{pages['only_advertools_count']:,}{_examples(pages['only_advertools'])}"
            + (f"; {pages['runs_differ']:,} page(s) found in one run of a tool and not in "
               "another (union over runs shown)" if pages["runs_differ"] else "") + ".")
        for r in ours:
            notes.append(
                f"  - ours #{r['run']}: {r['fetches']:,} fetches {r['kinds']}, "
                f"{r['error_count']} without an answer{_short(r['errors'])}, crawl exit "
                f"{r['crawl_exit']}, {sum(r['issues'].values()):,} findings, reports: "
                f"{', '.join(r['reports']) or 'none'}"
                + (f"; FAILED (exit {r['returncode']}): {r['failure']}" if r["returncode"]
                   else "") + ".")
        for r in adv:
            notes.append(
                f"  - advertools #{r['run']}: {r['rows']:,} rows, statuses {r['statuses']}, "
                f"Scrapy stats {r['scrapy_stats']}"
                + (f", errors: {r['error_lines']}" if r["error_lines"] else "") + ".")
    text = "\n".join(lines + [""] + detail + [""] + report_rows + [""] + notes) + "\n"
    return _relative(text)


# One line on each site shape, for the tables (bench/README.md has the whole story).
SHAPE_NOTES = {
    "practice": "JSON-LD only (MedicalBusiness on the home, contact and location pages and one "
                "page in ten), a 9-link menu, 15-30 internal links a page, ~31 KB",
    "wordpress": "as a WordPress theme with Yoast writes it: schema.org microdata on every page "
                 "(WebPage, BlogPosting/Article, the footer's MedicalBusiness with its "
                 "PostalAddress), one page in fifty RDFa instead, Open Graph and Twitter meta, a "
                 "Yoast JSON-LD graph, a 24-link mega menu, sidebar widgets, related posts and "
                 "footer menus: 40-60 internal links a page (index pages ~90), ~34 KB",
}


def _relative(text: str) -> str:
    """Text for a committed file: no path of this machine. The repository's own paths become
    relative to its root, the temporary folder and the home folder placeholders."""
    for path, shown in ((str(ROOT) + "/", ""), (str(ROOT), "."),
                        (tempfile.gettempdir().rstrip("/") + "/", "$TMPDIR/"),
                        (str(Path.home()).rstrip("/") + "/", "~/")):
        if len(path) > 2:  # never a bare "/"
            text = text.replace(path, shown)
    return text


def _shown(command: list[str]) -> str:
    """A command line as a committed file shows it: the repository's paths relative to its
    root, any other program by its name."""
    shown = []
    for arg in command:
        path = Path(arg)
        if path.is_absolute():
            try:
                arg = path.relative_to(ROOT).as_posix()
            except ValueError:
                arg = path.name
        shown.append(arg)
    return " ".join(shown)


def _examples(urls: list[str]) -> str:
    return f" (e.g. {', '.join(urls[:3])})" if urls else ""


def _short(errors: dict[str, int]) -> str:
    return (" (" + "; ".join(f"{k} ×{v}" for k, v in list(errors.items())[:4]) + ")"
            if errors else "")


def _seconds_between(start: str | None, stamp: str | None) -> float | None:
    if not start or not stamp:
        return None
    return (datetime.fromisoformat(stamp) - datetime.fromisoformat(start)).total_seconds()


def render_latency(results: dict[str, Any]) -> str:
    site = results["site"]
    lines = ["## Latency: a slow site and a 15-second external host", ""]
    lines += _env_lines(results.get("environment", {}))
    lines += [
        f"A {site['pages']}-page site (plus {site['sitemap_only_pages']} sitemap-only pages) "
        f"served by the project's `audit/site_server.py`, every response delayed 50-150 ms; "
        f"{site['distinct_external_urls']} distinct external addresses, "
        f"{site['slow_urls']} of them on a host that answers only after 15 s (our external "
        "timeout is 10 s). Runs alternate ours, advertools, ours, advertools. Unlike nginx, "
        "the site server answers a folder asked without its trailing slash with 200 instead of "
        "a 301, so the few links written without it count as extra pages for both tools.", "",
        *_run_header(with_shape=False),
    ]
    merged = [r for pair in zip(results["ours"], results["advertools"], strict=False)
              for r in pair]
    lines += _run_rows(str(site["pages"]), merged)  # the latency site is the practice shape
    lines += ["", "Where our time goes (from the crawl's own records, second resolution):", ""]
    for r in results["ours"]:
        last_page = _seconds_between(r.get("started_at"), r.get("last_page_at"))
        last_any = _seconds_between(r.get("started_at"), r.get("last_fetch_at"))
        lines.append(
            f"- ours #{r['run']}: last page of the site fetched at {_f(last_page, 0)} s, last "
            f"fetch of any kind at {_f(last_any, 0)} s, crawl subprocess "
            f"{_f(r.get('crawl_duration'))} s, whole command {_f(r['wall'])} s; "
            f"{r['error_count']} fetches without an answer{_short(r['errors'])}; "
            f"{r['fetches']:,} fetches {r['kinds']}.")
    pages = _compare_pages(results["ours"], results["advertools"])
    lines.append(
        f"- HTML pages answering 200: ours {pages['ours']}, advertools {pages['advertools']}; "
        f"only ours {pages['only_ours_count']}{_examples(pages['only_ours'])}, only advertools "
        f"{pages['only_advertools_count']}{_examples(pages['only_advertools'])}.")
    return _relative("\n".join(lines) + "\n")


def render_profile(profile: dict[str, Any], size: int, wall: float, crawl: dict[str, Any],
                   info: dict[str, Any], command: str, rate: int,
                   shape: str = "practice") -> str:
    """PROFILE.md. ``command`` as shown (_shown: no path of this machine)."""
    samples = profile["samples"] or 1
    lines = [
        "# Profile of the full audit", "",
        f"`make bench-profile`: py-spy {rate} Hz over `seo-audit crawl` of the generated "
        f"{size:,}-page site of the {shape} shape (`PROFILE_SHAPE={shape}`; "
        f"{SHAPE_NOTES.get(shape, shape)}; nginx on 127.0.0.1), the parent, its crawl "
        "subprocess and the "
        f"crawl's extraction workers all sampled (`--subprocesses`, idle time excluded). Wall "
        f"{wall:.1f} s under the "
        f"profiler, {crawl['html_pages']:,} HTML pages, {crawl['fetches']:,} fetches; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d')}, {os.cpu_count()} cores.", "",
        f"Samples (on-CPU, {samples:,} in all): "
        + ", ".join(f"{proc} {count:,} ({count / samples:.0%})"
                    for proc, count in profile["per_process"].most_common()), "",
        "py-spy samples Python frames only (no `--native`): time spent inside C code, lxml "
        "parsing and XPath, `re` matching, json encoding, is counted as the own time of the "
        "Python function that called it (so `find_place_spans` is mostly its regex, "
        "`extract_page` mostly lxml). \"total %\" counts every sample with the function "
        "anywhere on the stack.", "",
        "## Top 25 functions by own time", "",
        "| # | process | function (file) | own samples | own % | total % |",
        "|---:|---|---|---:|---:|---:|",
    ]
    for k, ((proc, frame), count) in enumerate(profile["own"].most_common(25), 1):
        total = profile["total"][(proc, frame)]
        lines.append(f"| {k} | {proc} | `{frame}` | {count:,} | {count / samples:.1%} | "
                     f"{total / samples:.1%} |")
    lines += ["", "## Own time by package", "", "| process | package | samples | % |",
              "|---|---|---:|---:|"]
    for (proc, package), count in profile["per_package"].most_common(20):
        lines.append(f"| {proc} | {package} | {count:,} | {count / samples:.1%} |")
    lines += ["", "## Top 25 of the project's own functions by total (inclusive) time", "",
              "| process | function (file) | total % |", "|---|---|---:|"]
    ours = [(key, count) for key, count in profile["total"].most_common()
            if any(f"({pkg}/" in key[1] for pkg in ("spiders", "audit", "reports"))]
    for (proc, frame), count in ours[:25]:
        lines.append(f"| {proc} | `{frame}` | {count / samples:.1%} |")
    lines += ["", f"Command: `{command}`", ""]
    return _relative("\n".join(lines))


def write_results_section(mode: str, text: str) -> None:
    start, end = f"<!-- bench:{mode} -->", f"<!-- /bench:{mode} -->"
    block = f"{start}\n{text.rstrip()}\n{end}"
    current = RESULTS.read_text("utf-8") if RESULTS.exists() else (
        "# Benchmark results\n\nWritten by `make bench` (throughput) and `make bench-latency`"
        " (latency); see bench/README.md. Each section is replaced when its mode runs again.\n")
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current, "utf-8")


# -- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--live", action="store_true",
                        help="run our audit from the work tree, not from a snapshot of it")
    sub = parser.add_subparsers(dest="mode", required=True)
    throughput = sub.add_parser("throughput", help="N-page sites served by nginx")
    throughput.add_argument("--sizes", nargs="+", default=["1000", "10000"],
                            help='site sizes, e.g. --sizes 1000 10000 or --sizes "1000 10000"')
    throughput.add_argument("--shapes", nargs="+", default=list(gen_site.SHAPES),
                            help="site shapes (bench/gen_site.py), each size runs each in turn: "
                                 "--shapes practice wordpress (the default) or --shapes "
                                 "wordpress")
    throughput.add_argument("--runs", type=int, default=2, help="runs of each tool per size")
    throughput.add_argument("--keep", action="store_true",
                            help="keep the other sizes and shapes of the last run in the "
                                 "tables")
    throughput.set_defaults(handler=cmd_throughput)
    latency = sub.add_parser("latency", help="50-150 ms responses and a 15-second host")
    latency.add_argument("--pages", type=int, default=300)
    latency.add_argument("--external-urls", type=int, default=100)
    latency.add_argument("--slow-urls", type=int, default=10,
                         help="how many of the external addresses are on the 15-second host")
    latency.add_argument("--runs", type=int, default=2)
    latency.set_defaults(handler=cmd_latency)
    profile = sub.add_parser("profile", help="py-spy over the audit of one site")
    profile.add_argument("--size", type=int, default=1000)
    profile.add_argument("--shape", choices=list(gen_site.SHAPES), default="practice",
                         help="the generated site's shape")
    profile.add_argument("--rate", type=int, default=100, help="samples a second")
    profile.set_defaults(handler=cmd_profile)
    rendered = sub.add_parser("rendered", help="one site's audit with --render next to the "
                                               "plain one (make bench-render)")
    rendered.add_argument("--size", type=int, default=1000)
    rendered.add_argument("--shape", choices=list(gen_site.SHAPES), default="practice")
    rendered.add_argument("--runs", type=int, default=1, help="runs of each, alternating")
    rendered.set_defaults(handler=cmd_rendered)
    render = sub.add_parser("render", help="rewrite RESULTS.md from bench/.work/results-*.json")
    render.set_defaults(handler=cmd_render)
    args = parser.parse_args(argv)
    if not SEO_AUDIT.exists():
        raise SystemExit(f"bench: {SEO_AUDIT} is missing; run 'make install' first")
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGHUP, _on_term)
    WORK.mkdir(parents=True, exist_ok=True)
    if args.mode != "render" and not args.live:
        print(f"bench: our code: snapshot {snapshot_project()['fingerprint']}", file=sys.stderr)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
