"""Extraction in worker processes (spiders.pool) gives exactly the records of in-process
extraction, survives a worker that dies, and a whole crawl writes the same records either way."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import signal
from dataclasses import fields
from pathlib import Path

import pytest

from audit.site_server import serve
from spiders.items import LinkItem, PageItem
from spiders.pool import ExtractionPool, auto_processes
from spiders.records import page_records
from spiders.worker import pipe_bytes
from tests.conftest import SITES, run_cli

PAGES = sorted((SITES / "practice").rglob("*.html")) + sorted(
    (Path(__file__).parent / "html").glob("*.html"))


def _inputs() -> list[tuple[str, bytes, str]]:
    return [(f"http://127.0.0.1:8000/{p.name}", p.read_bytes(), "utf-8") for p in PAGES]


def test_records_follow_the_item_schemas() -> None:
    url, body, encoding = _inputs()[0]
    records = page_records(url, body, encoding)
    page = json.loads(records.page)
    assert set(page) == {f.name for f in fields(PageItem)}
    links = [json.loads(line) for line in records.links.splitlines()]
    assert links and all(set(link) == {f.name for f in fields(LinkItem)} for link in links)
    # one record per (target, element), repeats counted; only http(s) targets are followed
    keys = [(link["target_url"], link["element"]) for link in links]
    assert len(keys) == len(set(keys))
    assert [(t, e) for t, e, _ in records.follow] == [
        k for k, link in zip(keys, links, strict=True) if link["scheme"] in ("http", "https")]
    internal = {t: i for t, _, i in records.follow}
    assert internal["http://127.0.0.1:8000/contact/"] is True
    assert not any(i for t, i in internal.items() if not t.startswith("http://127.0.0.1:8000/"))


def test_cp1252_body_decodes_as_scrapy_would() -> None:
    body = "<html><head><title>Caf\u00e9 \u2014 Therapy</title></head></html>".encode("cp1252")
    page = json.loads(page_records("http://x.test/", body, "cp1252").page)
    assert page["title"] == "Caf\u00e9 \u2014 Therapy"


def test_workers_give_the_in_process_records_and_survive_a_dead_worker() -> None:
    inputs = _inputs()
    expected = [page_records(*args) for args in inputs]

    async def scenario() -> tuple[list, list, int, int]:
        pool = ExtractionPool(2)
        pool.start()
        first = await asyncio.gather(*(pool.records(*args) for args in inputs))
        worker_pids = [w.process.pid for w in pool.workers]
        assert len(set(worker_pids)) == 2 and os.getpid() not in worker_pids
        # Each worker widened both its pipes (a page waiting in a 64 KiB pipe is a worker
        # left idle while the crawl process is busy elsewhere).
        for pid in worker_pids:
            for fd in (0, 1):
                pipe = os.open(f"/proc/{pid}/fd/{fd}", os.O_RDONLY | os.O_NONBLOCK)
                try:
                    assert fcntl.fcntl(pipe, fcntl.F_GETPIPE_SZ) == pipe_bytes() > 65536
                finally:
                    os.close(pipe)
        # A worker killed while pages are queued on it: those pages are extracted in-process
        # and a new worker takes its place.
        pending = [asyncio.ensure_future(pool.records(*args)) for args in inputs]
        os.kill(worker_pids[0], signal.SIGKILL)
        second = await asyncio.gather(*pending)
        await asyncio.sleep(0.5)
        alive = len([w for w in pool.workers if w.alive])
        restarts = pool.restarts
        await pool.close()
        return first, second, alive, restarts

    first, second, alive, restarts = asyncio.run(scenario())
    assert [(r.page, r.links, r.follow) for r in first] == [
        (r.page, r.links, r.follow) for r in expected]
    assert [(r.page, r.links, r.follow) for r in second] == [
        (r.page, r.links, r.follow) for r in expected]
    assert restarts == 1 and alive == 2


def test_no_workers_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert auto_processes() == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    assert auto_processes() == 4


def _records(out: Path, name: str) -> dict:
    rows = {}
    for line in (out / "crawl" / name).read_text("utf-8").splitlines():
        record = json.loads(line)
        for varying in ("fetched_at", "response_ms"):
            record.pop(varying, None)
        key = (record.get("source_url"), record.get("url"), record.get("target_url"),
               record.get("element"))
        rows[key] = record
    return rows


def test_crawl_records_are_the_same_with_and_without_workers(tmp_path: Path) -> None:
    with serve(SITES / "practice", external=SITES / "external") as server:
        outs = {}
        for processes in ("0", "2"):
            out = tmp_path / f"p{processes}"
            result = run_cli("crawl", server.url + "/", "--out", str(out), "--quiet",
                             "--concurrency", "1", "--set", f"SEO_EXTRACT_PROCESSES={processes}")
            assert result.returncode == 0, result.stderr
            outs[processes] = out
    for name in ("pages.jsonl", "links.jsonl", "fetches.jsonl"):
        without, with_workers = _records(outs["0"], name), _records(outs["2"], name)
        assert without and without == with_workers, name
