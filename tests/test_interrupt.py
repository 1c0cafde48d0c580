"""Ctrl-C stops the crawl and still writes the reports from what was crawled."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from audit.site_server import serve
from tests.conftest import SITES


def test_sigint_keeps_what_was_found(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with serve(SITES / "slow") as server:
        # every response takes 0.6 s and only 2 requests run at once: ~13 s for the whole site
        child = subprocess.Popen(
            [sys.executable, "-m", "audit.cli", "crawl", server.url + "/", "--out", str(out),
             "--concurrency", "2", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        fetches = out / "crawl" / "fetches.jsonl"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if fetches.exists() and fetches.read_text().count("\n") >= 4:
                break
            time.sleep(0.2)
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr
    manifest = json.loads((out / "crawl" / "manifest.json").read_text())
    assert manifest["interrupted"] is True
    pages = (out / "pages.csv").read_text("utf-8-sig").splitlines()
    assert 4 <= len(pages) - 1 < 42, "some but not all pages"
    assert (out / "issues.csv").exists() and (out / "report.html").exists()
    assert "stopped early" in (out / "report.html").read_text()
    assert stdout.strip().endswith("report.html")
