"""An extraction worker process: ``python -m spiders.worker``, started by spiders.pool.

Reads pages from stdin and writes their records to stdout, in order, one message each: a
4-byte big-endian length and a pickle. A request is ``(url, body, encoding)``, with a rendered
page's ``Rendering`` and note after them (spiders.records.page_records); the answer is
``(True, PageRecords)`` or ``(False, "error text")``. Both ends are our own code in processes of
the same crawl, so pickle is safe here. It exits when stdin closes.
"""

from __future__ import annotations

import ctypes
import pickle
import signal
import struct
import sys
from pathlib import Path
from typing import BinaryIO

HEADER = struct.Struct(">I")


def read_message(stream: BinaryIO) -> bytes | None:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def die_with_parent() -> None:
    """Get SIGTERM (a graceful stop) when the parent process dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG): used by this worker and, as preexec_fn, for the crawl subprocess."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
        except OSError:
            pass


# Bytes each of the worker's pipes holds (Linux; the default is 64 KiB, two pages of a typical
# site). The crawl process refills the input pipe, and empties the output pipe, only when its
# event loop gets to it; between its turns a worker with a small pipe runs dry or blocks on a
# full one, even with dozens of pages waiting for it.
PIPE_BYTES = 1 << 20


def pipe_bytes() -> int:
    """PIPE_BYTES, or less where the system caps a pipe lower (fs.pipe-max-size)."""
    try:
        return min(PIPE_BYTES, int(Path("/proc/sys/fs/pipe-max-size").read_text()))
    except (OSError, ValueError):
        return PIPE_BYTES


def widen_pipes(*fds: int) -> None:
    try:
        import fcntl

        set_size = fcntl.F_SETPIPE_SZ
    except (ImportError, AttributeError):  # not Linux: pipes as they are
        return
    size = pipe_bytes()
    for fd in fds:
        try:
            fcntl.fcntl(fd, set_size, size)
        except OSError:  # not a pipe, or over the user's limit
            pass


def main() -> int:
    # The crawl process decides when to stop; Ctrl-C in the terminal reaches the whole process
    # group, and pages already handed over must still come back.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()  # a crawl killed with SIGKILL leaves no worker behind
    widen_pipes(0, 1)
    from spiders.records import page_records

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (message := read_message(stdin)) is not None:
        url, body, encoding, *rendering = pickle.loads(message)  # (+ Rendering, note)
        try:
            answer: tuple = (True, page_records(url, body, encoding, *rendering))
        except Exception as error:  # noqa: BLE001 - reported to the crawl, which carries on
            answer = (False, f"{type(error).__name__}: {error}")
        stdout.write(frame(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)))
        stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
