"""An extraction worker process: ``python -m spiders.worker``, started by spiders.pool.

Reads pages from stdin and writes their records to stdout, in order, one message each: a
4-byte big-endian length and a pickle. A request is ``(url, body, encoding)``; the answer is
``(True, PageRecords)`` or ``(False, "error text")``. Both ends are our own code in processes of
the same crawl, so pickle is safe here. It exits when stdin closes.
"""

from __future__ import annotations

import ctypes
import pickle
import signal
import struct
import sys
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


def main() -> int:
    # The crawl process decides when to stop; Ctrl-C in the terminal reaches the whole process
    # group, and pages already handed over must still come back.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()  # a crawl killed with SIGKILL leaves no worker behind
    from spiders.records import page_records

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (message := read_message(stdin)) is not None:
        url, body, encoding = pickle.loads(message)
        try:
            answer: tuple = (True, page_records(url, body, encoding))
        except Exception as error:  # noqa: BLE001 - reported to the crawl, which carries on
            answer = (False, f"{type(error).__name__}: {error}")
        stdout.write(frame(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)))
        stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
