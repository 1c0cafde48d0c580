"""Serve a generated bench site with network-like latency, using the project's own site server.

``.venv/bin/python bench/latency_server.py SITE_DIR --site HOST:PORT --external HOST:PORT
--slow HOST:PORT`` starts three ``audit.site_server.SiteServer`` instances (threads, one process):

- the practice site (``SITE_DIR/www``): every page answers after 50-150 ms (a fixed delay per
  path, from a hash of it, so every run sees the same latencies), any other file after 100 ms
  (the ``"*"`` route), and the generated redirects answer 301 after their own delay;
- the external host: every address answers 200 after 50-150 ms, except ``/gone/`` (404) and
  ``/moved/`` (301) addresses;
- the slow external host: every address answers only after 15 s.

nginx cannot sleep without a third-party module, and the project's server already supports a
per-route ``delay``. It prints one JSON line when it listens and then serves until terminated.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from audit.site_server import SiteServer

PARTNER_PAGE = ("<!DOCTYPE html><html lang='en'><head><title>Partner directory</title></head>"
                "<body><h1>Partner directory</h1><p>A page on another site.</p></body></html>")


def delay_of(path: str) -> float:
    """A fixed delay between 50 and 150 ms for a path."""
    return round(0.05 + (zlib.crc32(path.encode()) % 1001) / 10_000, 4)


def site_routes(site_dir: Path) -> dict[str, dict]:
    www = site_dir / "www"
    routes: dict[str, dict] = {"*": {"delay": 0.1}}
    for page in www.rglob("index.html"):
        folder = page.parent.relative_to(www).as_posix()
        path = "/" if folder == "." else f"/{folder}/"
        routes[path] = {"delay": delay_of(path)}
    redirects = json.loads((site_dir / "redirects.json").read_text("utf-8"))
    for source, target in redirects.items():
        routes[source] = {"status": 301, "location": target, "delay": delay_of(source),
                          "body": ""}
    return routes


def external_routes(site_dir: Path, origin: str) -> dict[str, dict]:
    routes: dict[str, dict] = {"*": {"delay": 0.1, "body": PARTNER_PAGE}}
    for url in json.loads((site_dir / "external.json").read_text("utf-8")):
        if not url.startswith(origin):
            continue
        path = urlsplit(url).path
        if path.startswith("/gone/"):
            routes[path] = {"status": 404, "delay": delay_of(path), "body": "<h1>Gone</h1>"}
        elif path.startswith("/moved/"):
            routes[path] = {"status": 301, "location": "/", "delay": delay_of(path), "body": ""}
        else:
            routes[path] = {"delay": delay_of(path), "body": PARTNER_PAGE}
    return routes


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--site", required=True, help="HOST:PORT of the practice site")
    parser.add_argument("--external", required=True, help="HOST:PORT of the external host")
    parser.add_argument("--slow", required=True, help="HOST:PORT of the 15-second host")
    parser.add_argument("--slow-delay", type=float, default=15.0)
    args = parser.parse_args(argv)

    empty = args.site_dir / "empty"
    empty.mkdir(exist_ok=True)
    site = SiteServer(args.site_dir / "www", *_address(args.site))
    site.routes = site_routes(args.site_dir)
    external = SiteServer(empty, *_address(args.external))
    external.routes = external_routes(args.site_dir, external.url)
    slow = SiteServer(empty, *_address(args.slow))
    slow.routes = {"*": {"delay": args.slow_delay, "body": PARTNER_PAGE}}
    servers = [site, external, slow]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(json.dumps({"site": site.url, "external": external.url, "slow": slow.url,
                      "routes": len(site.routes)}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
