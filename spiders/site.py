"""The site spider: follows a practice site's internal links and checks every reference once.

It only crawls. Facts come from ``spiders.extract`` (pure), run on each HTML page by the
extraction processes of ``spiders.pool`` while the reactor goes on downloading; findings come
from ``audit`` (offline).

- ``page``: an internal ``<a href>`` target (or a sitemap URL), fetched with GET and, when it is
  HTML, extracted and followed; when it is a PDF, only the notices its text names are read (on
  a thread, ``spiders.documents``) and kept on its fetch record.
- ``resource``: an internal img/script/stylesheet target: status only, never parsed.
- ``external``: any other host: status only, with a short timeout, robots.txt not consulted (a
  single check is not a crawl).
- ``robots`` / ``sitemap``: discovery of URLs that no link reaches.
- ``render`` (``--render`` only): a fetched HTML page of the site, read again from headless
  Chromium's DOM (spiders.render); its records are written once it is rendered.

Resources and external links are asked with HEAD first; an answer of 400 or more is asked again
with GET, since many servers answer HEAD wrongly (405, 501, even 404) while the page works.
Each URL is requested once (the spider keeps its own set of seen URLs instead of hashing every
request through Scrapy's dupefilter). Redirects are not followed by Scrapy: each hop is recorded
as its own fetch and the target requested in turn, so loops end by themselves.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task, threads
from twisted.internet.defer import DeferredList
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from spiders.documents import is_pdf, pdf_notices
from spiders.extract import header_targets, is_html, site_key, with_root_path
from spiders.items import FetchItem, SitemapEntries, SitemapItem
from spiders.middlewares import HostTimedOut
from spiders.pool import ExtractionPool, auto_processes
from spiders.records import DECLARED_ELEMENTS, PageRecords, Rendering, page_records
from spiders.sitemaps import read_sitemap
from spiders.tls import certificate_problem

# Scrapy 2.13+ wraps Twisted's errors in its own classes; older versions raise Twisted's.
_DNS_ERRORS: tuple[type[BaseException], ...] = (DNSLookupError,)
_REFUSED_ERRORS: tuple[type[BaseException], ...] = (ConnectionRefusedError,)
_TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, TCPTimedOutError)
try:
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadConnectionRefusedError,
        DownloadTimeoutError,
    )
except ImportError:  # pragma: no cover - older Scrapy
    pass
else:
    _DNS_ERRORS += (CannotResolveHostError,)
    _REFUSED_ERRORS += (DownloadConnectionRefusedError,)
    _TIMEOUT_ERRORS += (DownloadTimeoutError,)

# (blanks, never line breaks: an empty "Sitemap:" line must not take the next line's word)
_SITEMAP_LINE = re.compile(r"^[ \t]*sitemap[ \t]*:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
REFUSING_STATUSES = frozenset({401, 403, 429, 999})
ROBOTS_MAX_BYTES = 500 * 1024  # Google reads the first 500 KiB of a robots.txt
_CHALLENGE_SERVERS = re.compile(rb"cloudflare|ddos-guard|sucuri|akamaighost|imperva", re.I)
# A rendered page's second request goes before any other: its fetch is done and its raw HTML
# waits in memory until the browser has read it.
RENDER_PRIORITY = 1
_CHALLENGE_BODY = re.compile(rb"just a moment|checking your browser|captcha|cf-chl|"
                             rb"attention required|access denied|bot detection", re.I)


def is_challenge(status: int, headers: Any, body: bytes) -> bool:
    """A bot-protection answer rather than the site's own: it says nothing about the page."""
    if status == 999:
        return True
    if status not in (403, 429, 503):
        return False
    if headers.get(b"cf-mitigated"):
        return True
    server = headers.get(b"Server") or b""
    return bool(_CHALLENGE_SERVERS.search(server) and _CHALLENGE_BODY.search(body[:8192]))


def describe_failure(failure: Failure, timeout: float) -> tuple[str, bool]:
    """A short, plain error for a failed request, and whether robots.txt forbade it."""
    if failure.check(HostTimedOut):
        return str(failure.value), False
    if failure.check(IgnoreRequest):
        message = str(failure.value)
        if "MAXSIZE" in message.upper():
            return "larger than the download size limit; not downloaded", False
        return ("blocked by robots.txt" if "robots" in message.lower() else message), (
            "robots" in message.lower())
    if failure.check(*_DNS_ERRORS):
        return "DNS lookup failed: host not found", False
    if failure.check(*_REFUSED_ERRORS):
        return "connection refused", False
    if failure.check(*_TIMEOUT_ERRORS):
        return f"timed out after {timeout:g} s", False
    value = failure.value
    text = str(value).strip() or type(value).__name__
    if "max size" in text.lower() or "maxsize" in text.lower():
        return "larger than the download size limit; not downloaded", False
    if any(name in text for name in ("ConnectionDone", "ConnectionLost", "ResponseNeverReceived")):
        return "the server closed the connection without answering", False
    if "ResponseDataLoss" in type(value).__name__ or "DataLoss" in text:
        return "the server's answer was cut off", False
    return f"{type(value).__name__}: {text}"[:300], False


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, url: str, max_pages: int = 0, max_depth: int = 0,
                 external: bool = True, progress: bool = False, resume_from: str = "",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = url
        self.site = site_key(url)
        self.max_pages = int(max_pages)
        self.max_depth = int(max_depth)
        self.check_external = bool(external)
        self.show_progress = bool(progress)
        self.seen: set[str] = set()
        self.pages_requested = 0
        self.done = 0
        self.errors = 0
        self.started = time.monotonic()
        self.resume_from = resume_from
        self.answered = 0  # answers from the site itself, to tell when it blocks the crawler
        self.refused = 0
        self.blocked = False
        self.traps: dict[str, dict[str, Any]] = {}
        self.limits: dict[str, int] = {}
        self._query_variants: dict[str, set[str]] = {}
        self.external_timeouts: dict[str, int] = {}  # host -> external checks timed out
        # External checks per host: how many are out (yielded, not yet recorded) and those
        # held back until one comes back (see _gate_external).
        self._external_out: dict[str, int] = {}
        self._external_held: dict[str, deque[scrapy.Request]] = {}
        self.certificates: dict[str, dict[str, Any]] = {}  # https origin -> verification
        self._certificate_checks: list[Any] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_pages = spider.max_pages or settings.getint("SEO_MAX_PAGES")
        spider.max_depth = spider.max_depth or settings.getint("SEO_MAX_DEPTH")
        processes = settings.get("SEO_EXTRACT_PROCESSES", "auto")
        spider.pool = ExtractionPool(auto_processes() if processes == "auto" else int(processes))
        spider.render = settings.getbool("SEO_RENDER")
        spider.render_timeout = settings.getfloat("SEO_RENDER_TIMEOUT")
        # robots.txt per host as Scrapy's RobotsTxtMiddleware read it (none when not obeyed):
        # the rendering browser obeys it for the site's resources
        spider.robots: dict[str, Any] = {}
        spider.robots_agent = (settings.get("ROBOTSTXT_USER_AGENT")
                               or settings.get("USER_AGENT"))
        # pages rendered per context, and per context generation the pages not yet done and
        # the context itself (see _render_context)
        spider.render_per_context = max(settings.getint("SEO_RENDER_PAGES_PER_CONTEXT"), 1)
        spider.renders = 0
        spider.render_open: dict[int, int] = {}
        spider.render_contexts: dict[int, Any] = {}
        if spider.render:
            crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    # -- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.resume_from:
            for request in self._resume(Path(self.resume_from)):
                yield request
        for request in self._schedule(self.start_url, "page", 0):
            yield request
        robots = urljoin(self.start_url, "/robots.txt")
        for request in self._schedule(robots, "robots", None):
            yield request

    def _resume(self, crawl_dir: Path) -> Iterator[scrapy.Request]:
        """Continue a crawl from its records: what was fetched is never fetched again; what was
        found but not fetched (links, sitemap entries) is the frontier."""
        from audit.load import read_jsonl

        depths: dict[str, int | None] = {}
        for record in read_jsonl(crawl_dir / "fetches.jsonl"):
            self.seen.add(record["url"])
            depths[record["url"]] = record.get("depth")
            self.done += 1
            if record.get("kind") == "page":
                self.pages_requested += 1
        for link in read_jsonl(crawl_dir / "links.jsonl"):
            target = link["target_url"]
            if link.get("scheme") not in ("http", "https") or target in self.seen:
                continue
            depth = (depths.get(link["source_url"]) or 0) + 1
            if self.is_internal(target):
                kind = "page" if link.get("element") == "a" else "resource"
                if kind == "page" and self.max_depth and depth > self.max_depth:
                    continue
            elif self.check_external:
                kind = "external"
            else:
                continue
            yield from self._schedule(target, kind, depth)
        for entry in read_jsonl(crawl_dir / "sitemap.jsonl"):
            if self.is_internal(entry["url"]):
                yield from self._schedule(entry["url"], "page", 1, listed=True)

    def _trap(self, pattern: str, reason: str, url: str) -> bool:
        trap = self.traps.setdefault(pattern, {"pattern": pattern, "reason": reason,
                                               "skipped": 0, "example": url})
        trap["skipped"] += 1
        return True

    def _is_trap(self, url: str) -> bool:
        """True (and recorded) when url belongs to an endlessly growing family of URLs."""
        settings = self.settings
        parts = urlsplit(url)
        if len(url) > settings.getint("SEO_MAX_URL_LENGTH"):
            return self._trap(parts.path[:60] + "…", "URL longer than "
                              f"{settings.getint('SEO_MAX_URL_LENGTH')} characters", url)
        segments = [s for s in parts.path.split("/") if s]
        repeats = max((segments.count(s) for s in segments), default=0)
        if repeats > settings.getint("SEO_MAX_SEGMENT_REPEATS"):
            return self._trap("/".join(segments[:3]) + "/…", "path segments repeating "
                              "(ever-deeper relative links)", url)
        if parts.query:
            variants = self._query_variants.setdefault(parts.path, set())
            if parts.query not in variants:
                if len(variants) >= settings.getint("SEO_MAX_QUERY_VARIANTS"):
                    return self._trap(f"{parts.path}?…", "more than "
                                      f"{settings.getint('SEO_MAX_QUERY_VARIANTS')} query "
                                      "variants of one path", url)
                variants.add(parts.query)
        return False

    def gave_up_on(self, url: str) -> str | None:
        """Why an external check of url is not asked (spiders.middlewares.SlowHostMiddleware),
        or None. The text starts "timed out" so the audit reports it like a timeout."""
        host = urlsplit(url).netloc
        limit = self.settings.getint("SEO_EXTERNAL_HOST_TIMEOUTS")
        timed_out = self.external_timeouts.get(host, 0)
        if not limit or timed_out < limit:
            return None
        timeout = self.settings.getfloat("EXTERNAL_TIMEOUT", 10)
        return (f"timed out on {timed_out} other links of {host} ({timeout:g} s each), so "
                "not asked")

    def is_internal(self, url: str) -> bool:
        return site_key(url) == self.site

    def _schedule(self, url: str, kind: str, depth: int | None,
                  listed: bool = False) -> Iterator[scrapy.Request]:
        """Yield a request for url unless it was requested before or a limit says no.

        ``listed``: the site's own sitemap names the URL, so it is never taken for a trap.
        """
        if url in self.seen:
            return
        url = with_root_path(url)  # "http://host" is "http://host/"
        if url in self.seen:
            return
        if kind == "page":
            if not listed and self._is_trap(url):
                return
            if self.max_pages and self.pages_requested >= self.max_pages:
                self.limits["max_pages"] = self.limits.get("max_pages", 0) + 1
                return
            self.pages_requested += 1
        self.seen.add(url)
        method = "HEAD" if kind in ("resource", "external") else "GET"
        meta: dict[str, Any] = {"kind": kind, "crawl_depth": depth}
        if kind == "external":
            meta["download_timeout"] = self.settings.getfloat("EXTERNAL_TIMEOUT", 10)
            meta["dont_obey_robotstxt"] = True
            # one slow host must not cost four timeouts (HEAD, retry, GET, retry)
            meta["dont_retry"] = True
        if kind == "robots":
            meta["dont_obey_robotstxt"] = True
        # breadth-first (settings: the scheduler's queues), external checks after the site's own
        priority = -(depth or 0) - (1 if kind == "external" else 0)
        request = scrapy.Request(url, method=method, callback=self.on_response,
                                 errback=self.on_error, meta=meta, dont_filter=True,
                                 priority=priority)
        if kind == "external":
            yield from self._gate_external(request)
        else:
            yield request

    def _gate_external(self, request: scrapy.Request) -> Iterator[scrapy.Request]:
        """At most CONCURRENT_REQUESTS_PER_DOMAIN checks of one external host are out at a
        time; the rest wait here. Scrapy's downloader takes up to CONCURRENT_REQUESTS at once
        and queues the excess per host, past the middlewares: a host that never answers
        would hold those slots a timeout at a time, and SlowHostMiddleware could no longer
        spare them. Held here, each is released when a check of its host comes back, by then
        with its host's timeouts counted."""
        host = urlsplit(request.url).netloc
        if self._external_out.get(host, 0) >= self._external_cap():
            self._external_held.setdefault(host, deque()).append(request)
            return
        self._external_out[host] = self._external_out.get(host, 0) + 1
        yield request

    def _external_cap(self) -> int:
        return max(self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), 1)

    def _external_done(self, url: str, timed_out: bool = False) -> Iterator[scrapy.Request]:
        """An external check is recorded: the next one held for its host goes out. Not after
        a timeout while other checks of the host are still out: they were asked at about the
        same time and are likely to time out too, and once their timeouts are counted
        SlowHostMiddleware may spare the held ones another wait (released one by one, each
        would be asked the moment the first timeout came back)."""
        host = urlsplit(url).netloc
        out = self._external_out[host] = max(self._external_out.get(host, 0) - 1, 0)
        if timed_out and out and self.settings.getint("SEO_EXTERNAL_HOST_TIMEOUTS"):
            return
        held = self._external_held.get(host)
        while held and self._external_out[host] < self._external_cap():
            self._external_out[host] += 1
            yield held.popleft()
        if held is not None and not held:
            del self._external_held[host]

    def _idle(self, spider: scrapy.Spider) -> None:
        """Never close with checks still held (a check that came back unrecorded would leave
        its host's others waiting): send them all."""
        held = [r for queue in self._external_held.values() for r in queue]
        if not held:
            return
        self._external_held.clear()
        for request in held:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    # -- responses ---------------------------------------------------------------------------

    async def on_response(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        kind, depth = meta["kind"], meta["crawl_depth"]
        request = response.request
        if request.method == "HEAD" and response.status >= 400:
            # Ask again with GET before believing a failure: servers often mishandle HEAD.
            yield _as_get(request)
            return
        headers = response.headers
        content_type = _header(headers, b"Content-Type")
        location = None
        if 300 <= response.status < 400 and headers.get(b"Location"):
            location = urljoin(response.url, _header(headers, b"Location") or "")
        self.done += 1
        if response.status >= 400 and kind in ("page", "resource", "external"):
            self.errors += 1
        challenged = is_challenge(response.status, headers, response.body)
        if kind in ("page", "resource"):
            self._count_answer(challenged or response.status in REFUSING_STATUSES)
        records = None
        notices = None
        to_render = False
        if kind == "page" and not location and 200 <= response.status < 300:
            if is_pdf(content_type, response.body):
                # never extracted as a page: only the notices its text names (spiders.documents)
                notices = await self._pdf_notices(response.body)
            elif isinstance(response, TextResponse) and is_html(content_type, response.body):
                if self.render:
                    to_render = True  # extracted once the browser has read it
                else:
                    records = await self.pool.records(response.url, response.body,
                                                      response.encoding)
        page = kind == "page"
        fetch = FetchItem(
            url=response.url, kind=kind, method=request.method, status=response.status,
            content_type=content_type, location=location,
            response_ms=round(meta.get("download_latency", 0.0) * 1000, 1),
            size=_size(request.method, response), depth=depth,
            x_robots_tag=_headers(headers, b"X-Robots-Tag"),
            link_header=_headers(headers, b"Link") if page else None,
            hsts=_header(headers, b"Strict-Transport-Security") if page else None,
            challenged=challenged, fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            notices=notices)
        if page and response.url.startswith("https:"):
            self._check_certificate(response.url)
        if to_render:
            # the fetch record waits for the page's facts, as below
            yield self._render_request(response, fetch, depth or 0)
        elif records is not None:
            for item in self._page_items(records, fetch, depth or 0):
                yield item
        else:
            yield fetch
        if kind == "external":
            for held in self._external_done(request.url):
                yield held
        if self.blocked:
            raise CloseSpider("blocked")

        if location:
            target_kind = kind if self.is_internal(location) or kind == "external" else "external"
            if target_kind == "external" and not self.check_external:
                return
            for follow in self._schedule(location, target_kind, depth):
                yield follow
        elif kind == "robots" or kind == "sitemap":
            for found in self._discover(response, kind):
                yield found

    def _page_items(self, records: PageRecords, fetch: FetchItem,
                    depth: int) -> Iterator[Any]:
        """An HTML page's records, then the requests for what it links to."""
        # One item: the pipeline writes the page's facts and links, then its fetch record
        # (a crawl killed in between refetches the page on --resume instead of keeping a
        # fetch with no facts), and Scrapy's per-item work is paid once per page.
        records.fetch = fetch
        yield records
        yield from self._follow(records.follow, depth)
        if fetch.link_header:
            # canonicals and alternates declared in the Link header are checked like those
            # in <head> (audit.checks.canonical)
            yield from self._follow(header_targets(fetch.url, fetch.link_header, self.site),
                                    depth)

    # -- rendering (--render) ----------------------------------------------------------------

    def _render_request(self, response: TextResponse, fetch: FetchItem,
                        depth: int) -> scrapy.Request:
        from spiders.render import RenderJob, context_options, fulfil_headers

        generation = self.renders // self.render_per_context
        self.renders += 1
        self.render_open[generation] = self.render_open.get(generation, 0) + 1
        if generation and self.render_open.get(generation - 1) == 0:
            self._close_context(generation - 1)
        job = RenderJob(url=response.url, status=response.status,
                        headers=fulfil_headers(response.headers), body=response.body,
                        encoding=response.encoding, depth=depth, fetch=fetch,
                        generation=generation)
        meta = {"kind": "render", "crawl_depth": depth, "render_job": job,
                "playwright": True, "playwright_include_page": True,
                "playwright_context": f"render-{generation}",
                "playwright_context_kwargs": context_options(self.settings),
                "playwright_page_init_callback": self._prepare_page,
                # the navigation is answered from memory (spiders.render.page_router); the
                # page's own loading is waited for in on_rendered, within its time
                "playwright_page_goto_kwargs": {"wait_until": "commit"},
                "dont_obey_robotstxt": True, "dont_retry": True}
        return scrapy.Request(response.url, callback=self.on_rendered,
                              errback=self.on_render_failed, meta=meta, dont_filter=True,
                              priority=RENDER_PRIORITY)

    async def _prepare_page(self, page: Any, request: scrapy.Request) -> None:
        """Before the browser navigates: this page's routes (spiders.render.page_router)."""
        from spiders.render import page_router

        job = request.meta["render_job"]
        self.render_contexts.setdefault(job.generation, page.context)
        await page.route("**/*", page_router(job, self._render_disallowed))

    def _render_done(self, job: Any) -> None:
        """A page is rendered (or given up): once none of its context's pages is left and
        later pages have a context of their own, that context is closed."""
        left = self.render_open[job.generation] = self.render_open.get(job.generation, 1) - 1
        if left <= 0 and job.generation < (self.renders - 1) // self.render_per_context:
            self._close_context(job.generation)

    def _close_context(self, generation: int) -> None:
        self.render_open.pop(generation, None)
        context = self.render_contexts.pop(generation, None)
        if context is not None:
            asyncio.ensure_future(_close_quietly(context))

    def _robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        self.robots[urlsplit(request.url).netloc] = robotparser

    def _render_disallowed(self, url: str) -> bool:
        """Whether robots.txt keeps the rendering browser from loading url: only a resource of
        this site, under the rules the crawl itself obeyed (another host's robots.txt is not
        read, so its resources are never reported as blocked)."""
        if not url.startswith(("http://", "https://")) or not self.is_internal(url):
            return False
        parser = self.robots.get(urlsplit(url).netloc)
        return parser is not None and not parser.allowed(url, self.robots_agent)

    async def on_rendered(self, response: Response) -> AsyncIterator[Any]:
        from playwright.async_api import Error as PlaywrightError

        from spiders.render import render_note, settle

        job = response.meta["render_job"]
        page = response.meta.get("playwright_page")
        html = failed = None
        try:
            await settle(page, job, self.render_timeout)
            html = await page.content()
        except PlaywrightError as error:  # a crashed or closed page: its raw HTML is kept
            failed = _first_line(error.message)
        except Exception as error:  # noqa: BLE001 - never a page lost to the browser
            failed = _first_line(f"{type(error).__name__}: {error}")
        finally:
            if page is not None:
                with suppress(PlaywrightError):
                    await page.close()
            self._render_done(job)
        if html is None:
            records = await self.pool.records(job.url, job.body, job.encoding,
                                              note=f"not rendered: {failed}")
        else:
            records = await self.pool.records(
                job.url, html.encode("utf-8"), "utf-8",
                Rendering(job.body, job.encoding, job.blocked, render_note(job)))
        for item in self._page_items(records, job.fetch, job.depth):
            yield item

    def on_render_failed(self, failure: Failure) -> Iterator[Any]:
        """The browser could not render a fetched page (it did not start, crashed, or timed
        out): the page is recorded from its raw HTML, saying why, never lost."""
        job = failure.request.meta["render_job"]
        page = failure.request.meta.get("playwright_page")
        if page is not None:
            asyncio.ensure_future(_close_quietly(page))
        self._render_done(job)
        value = failure.value
        reason = _first_line(getattr(value, "message", None) or str(value)
                             or type(value).__name__)
        # in this process: a failure path, and an errback cannot await the extraction pool
        records = page_records(job.url, job.body, job.encoding, None,
                               f"not rendered: {reason}")
        yield from self._page_items(records, job.fetch, job.depth)

    async def _pdf_notices(self, body: bytes) -> list[str]:
        """The notices a PDF of the site names, read on a thread while the reactor goes on
        downloading (bounded, and never raising: spiders.documents); [] if that fails."""
        try:
            return await maybe_deferred_to_future(threads.deferToThread(pdf_notices, body))
        except Exception:  # noqa: BLE001 - a fact missing, never a crawl stopped
            return []

    def _check_certificate(self, url: str) -> None:
        """Verify the TLS certificate of each https origin of the site once, off the reactor
        (the crawl itself does not verify certificates, so that a site with a bad one can
        still be audited; its visitors' browsers do, and warn them away)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self.certificates:
            return
        self.certificates[origin] = {"checked": False, "problem": None}
        timeout = self.settings.getfloat("DOWNLOAD_TIMEOUT")

        def store(result: tuple[bool, str | None]) -> None:
            self.certificates[origin] = {"checked": result[0], "problem": result[1]}

        check = threads.deferToThread(certificate_problem, parts.hostname or "",
                                      parts.port or 443, timeout)
        check.addCallback(store)
        self._certificate_checks.append(check)

    def _save(self, name: str, data: bytes) -> None:
        crawl_dir = Path(self.settings.get("CRAWL_DIR"))
        tmp = crawl_dir / f"{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(crawl_dir / name)

    def _count_answer(self, refused: bool) -> None:
        self.answered += 1
        self.refused += refused
        settings = self.settings
        if (self.answered >= settings.getint("SEO_BLOCKED_MIN_ANSWERS")
                and self.refused >= settings.getfloat("SEO_BLOCKED_SHARE") * self.answered):
            self.blocked = True

    def _follow(self, targets: list[tuple[str, str, bool]],
                depth: int) -> Iterator[scrapy.Request]:
        """Requests for a page's http(s) references: links to follow, resources and externals
        to check. ``internal`` says whether a target is on the page's (the crawl's) site."""
        follow = not self.max_depth or depth < self.max_depth
        seen = self.seen
        for target, element, internal in targets:
            if target in seen:  # most references name a known address (menus, footers)
                continue
            if element in DECLARED_ELEMENTS:
                # a canonical or an alternate is fetched whatever the depth: its checks need
                # its status, robots directives and own declarations
                if internal:
                    yield from self._schedule(target, "page", depth + 1)
                elif self.check_external:
                    yield from self._schedule(target, "external", depth + 1)
                continue
            if internal:
                if element == "a":
                    if follow:
                        yield from self._schedule(target, "page", depth + 1)
                    else:
                        self.limits["max_depth"] = self.limits.get("max_depth", 0) + 1
                else:
                    yield from self._schedule(target, "resource", depth + 1)
            elif self.check_external:
                yield from self._schedule(target, "external", depth + 1)

    def _discover(self, response: Response, kind: str) -> Iterator[Any]:
        if kind == "robots":
            sitemaps = []
            if response.status == 200:
                # kept for the audit, which validates it and tests links against its rules
                self._save("robots.txt", response.body[:ROBOTS_MAX_BYTES])
            if response.status == 200 and isinstance(response, TextResponse):
                sitemaps = _SITEMAP_LINE.findall(response.text)
            if not sitemaps:
                sitemaps = [urljoin(self.start_url, "/sitemap.xml")]
            for url in sitemaps:
                yield from self._schedule(urljoin(response.url, url), "sitemap", None)
            return
        if response.status != 200:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)[: 64 * 1024 * 1024]
            except OSError:
                return
        try:
            kind_of_sitemap, entries = read_sitemap(body, response.url)
        except Exception:  # noqa: BLE001 - a broken sitemap is recorded by its fetch, not fatal
            return
        locations = [loc for loc, _ in entries]
        if kind_of_sitemap == "sitemapindex":
            for loc in locations:
                yield from self._schedule(loc, "sitemap", None)
            return
        # The entries as one item (a sitemap lists up to 50,000): recorded before any of them
        # is requested, so --resume finds the ones not fetched yet.
        yield SitemapEntries([SitemapItem(sitemap_url=response.url, url=loc,
                                          alternates=alternates)
                              for loc, alternates in entries])
        for loc in locations:
            if self.is_internal(loc):
                yield from self._schedule(loc, "page", 1, listed=True)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        meta = request.meta
        if request.method == "HEAD" and not failure.check(IgnoreRequest, *_TIMEOUT_ERRORS):
            yield _as_get(request)  # a server that mishandles HEAD; a timeout would repeat
            return
        timeout = meta.get("download_timeout") or self.settings.getfloat("DOWNLOAD_TIMEOUT")
        error, blocked = describe_failure(failure, timeout)
        timed_out = meta["kind"] == "external" and bool(failure.check(*_TIMEOUT_ERRORS))
        if timed_out:
            host = urlsplit(request.url).netloc
            self.external_timeouts[host] = self.external_timeouts.get(host, 0) + 1
        self.done += 1
        if not blocked:
            self.errors += 1
        yield FetchItem(url=request.url, kind=meta["kind"], method=request.method,
                        depth=meta.get("crawl_depth"), error=error, blocked_by_robots=blocked,
                        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"))
        if meta["kind"] == "external":
            yield from self._external_done(request.url, timed_out)

    # -- progress ----------------------------------------------------------------------------

    def _opened(self, spider: scrapy.Spider) -> None:
        self.pool.start()
        if self.show_progress:
            self._ticker = task.LoopingCall(self._print_progress)
            self._ticker.start(0.5, now=False)

    async def _closed(self, spider: scrapy.Spider, reason: str) -> None:
        if self._certificate_checks:
            await maybe_deferred_to_future(DeferredList(self._certificate_checks,
                                                        consumeErrors=True))
        self._write_state(reason)
        if self.show_progress:
            if self._ticker.running:
                self._ticker.stop()
            self._print_progress()
            sys.stderr.write("\n")
            sys.stderr.flush()
        await self.pool.close()  # Scrapy waits for the workers to exit

    def _write_state(self, reason: str) -> None:
        """What the crawl itself learned: why it stopped, traps it cut, limits it hit."""
        state = {"close_reason": reason, "blocked": self.blocked, "answered": self.answered,
                 "refused": self.refused, "traps": list(self.traps.values()),
                 "certificates": self.certificates,
                 "limits": {"max_pages": self.max_pages, "max_depth": self.max_depth,
                            "skipped": self.limits}}
        crawl_dir = Path(self.settings.get("CRAWL_DIR"))
        tmp = crawl_dir / "spider_state.json.tmp"
        tmp.write_text(json.dumps(state, indent=2), "utf-8")
        tmp.replace(crawl_dir / "spider_state.json")

    def _print_progress(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        queued = max(len(self.seen) - self.done, 0)
        sys.stderr.write(f"\r\x1b[K  {self.done} done · {queued} queued · {self.errors} errors"
                         f" · {self.done / elapsed:.1f} URLs/s")
        sys.stderr.flush()


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0][:200] if (text or "").strip() else "error"


async def _close_quietly(closable: Any) -> None:
    """Close a page or a browser context that may be gone already."""
    with suppress(Exception):
        await closable.close()


def _as_get(request: scrapy.Request) -> scrapy.Request:
    """The same check asked with GET; Scrapy's own bookkeeping keys are not carried over."""
    meta = {k: v for k, v in request.meta.items()
            if k in ("kind", "crawl_depth", "download_timeout", "dont_obey_robotstxt",
                     "dont_retry")}
    return request.replace(method="GET", meta=meta, dont_filter=True)


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _headers(headers: Any, name: bytes) -> str | None:
    """Every value of a header that may be sent several times, joined as HTTP joins them."""
    joined = ", ".join(value.decode("latin-1") for value in headers.getlist(name) if value)
    return joined or None


def _size(method: str, response: Response) -> int:
    """The body's size; for HEAD, the size the server announces (Content-Length), so an
    image's weight is known without downloading it."""
    if method != "HEAD":
        return len(response.body)
    try:
        return int(response.headers.get(b"Content-Length") or 0)
    except ValueError:
        return 0
