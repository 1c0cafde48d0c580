"""Extraction off the reactor: worker processes that turn fetched pages into records.

Extracting a page (parsing, visible text, NAP, places, schema) costs more CPU than downloading
it, and the reactor's process uses one core. The spider hands each HTML page to a worker
(``python -m spiders.worker``) and awaits its records while the reactor keeps downloading, so
the download and the extraction of different pages run on different cores.

The workers talk to the crawl over their stdin and stdout pipes, driven by the event loop the
reactor runs on: no helper threads in the crawl process, whose main thread would otherwise
queue behind them for the GIL on every socket call. Each worker answers in order, so a queue
of futures per worker matches answers to pages.

``processes=0`` extracts in the crawl process itself. A worker that dies (a page that crashes
the parser, the OOM killer) fails only its own pages in flight: they are extracted in-process
and a new worker takes its place (a few times at most).
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
from collections import deque
from pathlib import Path

from spiders.records import PageRecords, Rendering, page_records
from spiders.worker import HEADER, frame

logger = logging.getLogger(__name__)

MAX_AUTO_PROCESSES = 4  # past this the reactor's own process is the limit
MAX_RESTARTS = 3


def auto_processes() -> int:
    """One worker per core, none on a single core (the reactor would compete with it)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_AUTO_PROCESSES)


class WorkerDied(Exception):
    pass


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: deque[asyncio.Future] = deque()
        self.alive = True
        self.reader = asyncio.ensure_future(self._read_answers())

    async def _read_answers(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                (size,) = HEADER.unpack(await stdout.readexactly(HEADER.size))
                answer = pickle.loads(await stdout.readexactly(size))
                future = self.pending.popleft()
                if not future.done():
                    future.set_result(answer)
        except Exception:  # noqa: BLE001 - a closed or garbled stream: the worker is done for
            pass
        finally:
            self.alive = False
            while self.pending:
                future = self.pending.popleft()
                if not future.done():
                    future.set_exception(WorkerDied())

    async def submit(self, message: bytes) -> tuple[bool, object]:
        stdin = self.process.stdin
        assert stdin is not None
        future = asyncio.get_running_loop().create_future()
        self.pending.append(future)
        try:
            stdin.write(frame(message))
            await stdin.drain()  # waits only when the worker is far behind
        except (ConnectionError, RuntimeError):
            self.alive = False
        return await future

    async def close(self) -> None:
        stdin = self.process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()  # the worker exits at end of input
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        await self.reader


class ExtractionPool:
    def __init__(self, processes: int) -> None:
        self.processes = max(int(processes), 0)
        self.workers: list[_Worker] = []
        self.restarts = 0
        self._starting: asyncio.Future | None = None

    def start(self) -> None:
        """Start the workers now, so their start-up overlaps the first downloads."""
        if self.processes and self._starting is None:
            self._starting = asyncio.ensure_future(self._spawn(self.processes))

    async def _spawn(self, count: int) -> None:
        # The worker imports spiders from where this process did, installed or not.
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        for _ in range(count):
            try:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "spiders.worker", stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE, env=env)
            except OSError as error:  # no processes or pipes left: extract in-process
                logger.warning("extraction worker not started (%s); extracting in the crawl "
                               "process", error)
                return
            self.workers.append(_Worker(process))

    async def records(self, url: str, body: bytes, encoding: str,
                      rendering: Rendering | None = None,
                      note: str | None = None) -> PageRecords:
        """The page's records (``rendering``, ``note``: see spiders.records.page_records)."""
        if self._starting is not None:
            await self._starting
        alive = [w for w in self.workers if w.alive]
        extra = (rendering, note) if rendering is not None or note else ()
        if not alive:
            return page_records(url, body, encoding, *extra)
        worker = min(alive, key=lambda w: len(w.pending))
        try:
            ok, value = await worker.submit(
                pickle.dumps((url, body, encoding, *extra), pickle.HIGHEST_PROTOCOL))
        except WorkerDied:
            self._replace(worker)
            return page_records(url, body, encoding, *extra)
        if not ok:
            raise RuntimeError(f"extraction failed for {url}: {value}")
        if not isinstance(value, PageRecords) or value.url != url:
            # Not this page's answer (a garbled stream): the worker is not trusted again.
            worker.process.kill()
            self._replace(worker)
            return page_records(url, body, encoding, *extra)
        return value

    def _replace(self, dead: _Worker) -> None:
        if dead not in self.workers:
            return  # every page in flight on it fails; the first one replaces it
        self.workers.remove(dead)
        if self.restarts < MAX_RESTARTS:  # a page that kills every worker must not fork forever
            self.restarts += 1
            self._starting = asyncio.ensure_future(self._spawn(1))

    async def close(self) -> None:
        if self._starting is not None:
            await self._starting
        workers, self.workers = self.workers, []
        await asyncio.gather(*(w.close() for w in workers), return_exceptions=True)
