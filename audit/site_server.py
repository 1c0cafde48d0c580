"""A small static-site HTTP(S) server for the demo and for the test fixture sites.

It serves a folder on 127.0.0.1 (port 0 unless told otherwise, so parallel runs never collide)
and can fake anything a real practice site does: any status code, redirect chains, response
headers, slow responses and servers that answer HEAD differently from GET.

A site folder holds ordinary files (``/about/`` serves ``about/index.html``) and an optional
``_routes.json`` that overrides paths::

    {
      "/old-page/": {"status": 301, "location": "/new-page/"},
      "/gone/":     {"status": 404, "body": "<h1>Not found</h1>"},
      "/form/":     {"head_status": 405},
      "/latin1/":   {"file": "latin1.html",
                     "headers": {"Content-Type": "text/html; charset=windows-1252"}},
      "/slow/":     {"delay": 2.5},
      "/busy/":     {"fail_times": 1, "fail_status": 429, "fail_headers": {"Retry-After": "1"}},
      "/blocked/":  {"challenge": true},
      "/bomb/":     {"gzip_bomb_mb": 64},
      "/calendar/": {"calendar": true},
      "*":          {"delay": 0.1}
    }

(``"*"`` applies to every path without a route of its own.) ``headers`` adds any response
headers to an ordinary route (a file, a ``body`` or a redirect), e.g. ``{"headers":
{"Strict-Transport-Security": "max-age=31536000"}}``. The hostile routes imitate what
real hosting does to crawlers: ``fail_times`` answers the first N requests with ``fail_status``
(a rate limit that lifts), ``challenge`` answers like a bot-protection page (403 with
``cf-mitigated: challenge``), ``gzip_bomb_mb`` sends that many megabytes of zeros compressed to a
few kilobytes, and ``calendar`` is an endless calendar whose every month links to the next.

``{{ORIGIN}}`` and ``{{EXTERNAL}}`` in bodies, files and ``location`` are replaced by this
server's origin and by the origin of a second server (an "external" host) when one is given, so
fixture pages can carry absolute links without knowing the port in advance.

``serve(root, tls=context)`` with a server-side ``ssl.SSLContext`` serves the site over HTTPS:
its ``url`` (and so ``{{ORIGIN}}``) is ``https://127.0.0.1:PORT``. The external site, when
there is one, stays plain HTTP. Tests make the context, and the certificate it presents, at test
time (``tests/tls.py``), so a certificate can be trusted, untrusted, expired or for another name.
"""

from __future__ import annotations

import json
import mimetypes
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROUTES_FILE = "_routes.json"
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/javascript")


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: tests and the demo print their own summaries

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        site = self.server
        split = urlsplit(self.path)
        route = (site.routes.get(self.path) or site.routes.get(split.path)
                 or site.routes.get("*") or {})
        hits = site.count(split.path)
        if route.get("delay"):
            time.sleep(float(route["delay"]))
        if route.get("drop"):
            self.close_connection = True
            return
        status = int(route.get("status", 200))
        if not send_body and "head_status" in route:
            status = int(route["head_status"])
        headers = dict(route.get("headers", {}))
        body: bytes
        if route.get("fail_times") and hits <= int(route["fail_times"]):
            self._send(int(route.get("fail_status", 503)),
                       {"Content-Type": "text/plain", **route.get("fail_headers", {})},
                       b"Try again later", send_body)
            return
        if route.get("challenge"):
            self._send(403, {"Content-Type": "text/html", "cf-mitigated": "challenge",
                             "Server": "cloudflare"},
                       b"<!doctype html><title>Just a moment...</title>"
                       b"<p>Checking your browser before accessing the site.</p>", send_body)
            return
        if route.get("gzip_bomb_mb"):
            self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                       site.gzip_bomb(int(route["gzip_bomb_mb"])), send_body)
            return
        if route.get("calendar"):
            month = int(split.query.partition("month=")[2] or 0)
            body = (f"<!doctype html><title>Events calendar, month {month}</title>"
                    f"<h1>Events in month {month}</h1><p>No events.</p>"
                    f'<a href="?month={month - 1}">Previous month</a> '
                    f'<a href="?month={month + 1}">Next month</a>').encode()
            self._send(200, {"Content-Type": "text/html; charset=utf-8"}, body, send_body)
            return
        if "body" in route:
            body = str(route["body"]).encode("utf-8")
            headers.setdefault("Content-Type", "text/html; charset=utf-8")
        else:
            file = site.root / route["file"] if "file" in route else site.resolve(split.path)
            if file is None or not file.is_file():
                if "status" not in route and "location" not in route:
                    status = 404
                body = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
            else:
                body = file.read_bytes()
                guessed = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if guessed.startswith("text/") and "charset" not in guessed:
                    guessed += "; charset=utf-8"
                headers.setdefault("Content-Type", guessed)
        if headers.get("Content-Type", "").startswith(_TEXT_TYPES):
            body = site.expand(body)
        headers = {name: site.expand(value.encode()).decode() for name, value in headers.items()}
        if "location" in route:
            headers["Location"] = site.expand(route["location"].encode()).decode()
        self._send(status, headers, body, send_body)

    def _send(self, status: int, headers: dict[str, str], body: bytes, send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """Serves one site folder; ``url`` is its origin once started."""

    daemon_threads = True
    # Connections waiting to be accepted (socketserver's default is 5): a crawl opens 8 to a
    # host at once, and a connection beyond the backlog is dropped and retried only after a
    # second, longer than the timeouts the tests give a slow host.
    request_queue_size = 128

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0,
                 tls: ssl.SSLContext | None = None) -> None:
        super().__init__((host, port), _Handler)
        self.root = Path(root)
        self.tls = tls
        routes_file = self.root / ROUTES_FILE
        self.routes: dict[str, dict] = (
            json.loads(routes_file.read_text("utf-8")) if routes_file.exists() else {}
        )
        self.external_origin = ""
        self.external: SiteServer | None = None
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._bombs: dict[int, bytes] = {}

    def get_request(self) -> tuple[socket.socket, tuple]:
        connection, address = super().get_request()
        if self.tls is None:
            return connection, address
        # Wrap without handshaking: accept() runs on the one serving thread, and a client that
        # connects and stalls (or is not speaking TLS) must not block every other connection.
        # The handshake happens in the connection's own thread (finish_request).
        try:
            wrapped = self.tls.wrap_socket(connection, server_side=True,
                                           do_handshake_on_connect=False)
        except (OSError, ValueError):
            connection.close()
            raise OSError("TLS wrap failed") from None  # socketserver drops the connection
        return wrapped, address

    def finish_request(self, request: socket.socket, client_address: tuple) -> None:
        if isinstance(request, ssl.SSLSocket):
            try:
                request.do_handshake()
            except (OSError, ValueError):
                # A client that rejects our certificate (the point of some tests) or gives up
                # mid-handshake: nothing to serve and nothing worth a traceback.
                return
        super().finish_request(request, client_address)

    def hits(self) -> dict[str, int]:
        """Requests received so far, by path."""
        with self._lock:
            return dict(self._counts)

    def count(self, path: str) -> int:
        """Count one more request for path; returns its requests so far, this one included."""
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    def gzip_bomb(self, megabytes: int) -> bytes:
        if megabytes not in self._bombs:
            compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
            chunk = b"\0" * (1024 * 1024)
            parts = [compressor.compress(chunk) for _ in range(megabytes)]
            self._bombs[megabytes] = b"".join(parts) + compressor.flush()
        return self._bombs[megabytes]

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"{'https' if self.tls is not None else 'http'}://{host}:{port}"

    def expand(self, data: bytes) -> bytes:
        if b"{{" not in data:
            return data
        data = data.replace(b"{{ORIGIN}}", self.url.encode())
        return data.replace(b"{{EXTERNAL}}", self.external_origin.encode())

    def resolve(self, url_path: str) -> Path | None:
        """Map a URL path to a file inside the site folder, never outside it."""
        relative = unquote(url_path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.name == ROUTES_FILE:
            return None
        return candidate


@contextmanager
def serve(root: Path, external: Path | None = None,
          tls: ssl.SSLContext | None = None) -> Iterator[SiteServer]:
    """Serve ``root`` (and optionally a second, "external" site) in background threads.

    With ``tls`` (a server-side context) the site, not the external one, is served over HTTPS.
    """
    servers = [SiteServer(root, tls=tls)]
    if external is not None:
        servers.append(SiteServer(external))
        servers[0].external_origin = servers[1].url
        servers[1].external_origin = servers[0].url
    servers[0].external = servers[1] if external is not None else None
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield servers[0]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
