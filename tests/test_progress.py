"""The live progress line: on a terminal it shows, with --quiet or a pipe it does not."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from audit.site_server import serve
from tests.conftest import SITES


def _crawl_with_stderr_on_a_terminal(out: Path, *extra: str) -> str:
    with serve(SITES / "slow") as server:
        controller, terminal = pty.openpty()
        child = subprocess.Popen(
            [sys.executable, "-m", "audit.cli", "crawl", server.url + "/", "--out", str(out),
             "--max-pages", "6", *extra],
            stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        chunks = []
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        child.wait(timeout=120)
        os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_line_on_a_terminal(tmp_path: Path) -> None:
    text = _crawl_with_stderr_on_a_terminal(tmp_path / "a")
    assert "done" in text and "queued" in text and "errors" in text and "URLs/s" in text
    assert "\r" in text  # rewritten in place, not one line per update


def test_no_progress_with_quiet(tmp_path: Path) -> None:
    text = _crawl_with_stderr_on_a_terminal(tmp_path / "b", "--quiet")
    assert "URLs/s" not in text
