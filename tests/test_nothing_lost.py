"""A crawl killed with SIGKILL loses nothing: `report` turns what it recorded into reports, and
`crawl --resume` continues without fetching any URL twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from audit.site_server import serve
from tests.conftest import SITES, run_cli


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_sigkill_then_report_then_resume(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fetches = out / "crawl" / "fetches.jsonl"
    with serve(SITES / "slow") as server:
        url = server.url + "/"
        parent = subprocess.Popen(
            [sys.executable, "-m", "audit.cli", "crawl", url, "--out", str(out),
             "--concurrency", "2", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if fetches.exists() and fetches.read_bytes().count(b"\n") >= 8:
                break
            time.sleep(0.1)
        crawler = _children(parent.pid)
        for pid in [*crawler, parent.pid]:  # no chance to flush or close anything
            os.kill(pid, signal.SIGKILL)
        parent.wait(timeout=10)

        recorded = [json.loads(line) for line in fetches.read_text().splitlines()
                    if line.strip()]
        assert 8 <= len(recorded) < 44, "killed part-way"

        report = run_cli("report", str(out))
        assert report.returncode == 0, report.stderr
        assert "The crawl was stopped early" in (out / "report.html").read_text("utf-8")
        pages = (out / "pages.csv").read_text("utf-8-sig").splitlines()[1:]
        fetched_pages = {r["url"] for r in recorded if r["kind"] == "page"}
        assert {line.split(",")[0] for line in pages} == fetched_pages

        resumed = run_cli("crawl", url, "--out", str(out), "--resume", "--quiet")
        assert resumed.returncode == 0, resumed.stderr

    urls = [json.loads(line)["url"] for line in fetches.read_text().splitlines() if line]
    assert len(urls) == len(set(urls)), "a URL was fetched twice"
    assert {u for u in urls if u.endswith(".html")} == {f"{url}p{i}.html" for i in range(1, 41)}
    manifest = json.loads((out / "crawl" / "manifest.json").read_text())
    assert manifest["resumed"] == 1 and manifest["interrupted"] is False
    pages = (out / "pages.csv").read_text("utf-8-sig").splitlines()[1:]
    assert len(pages) == 41
