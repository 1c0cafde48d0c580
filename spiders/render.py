"""``--render``: the site's HTML pages read from headless Chromium's DOM (scrapy-playwright).

A page is first fetched as in a plain crawl (its status, headers, redirects and raw HTML are
recorded the same way); an HTML page that answered 2xx is then rendered. The browser never asks
the server for the page again: its navigation is answered with the bytes already fetched
(``route.fulfill``), so the rendered page is the same response, read once over the network.
What the page's scripts then load (scripts, styles, fetched HTML or JSON) goes to the server as
a browser's requests would, with two exceptions:

- a resource of the site that robots.txt disallows is not loaded (unless ``--ignore-robots``),
  as Google's renderer does not load it: the page is read as Google would see it, and each such
  resource is recorded on the page (``render-blocked-resource``);
- images, media and fonts are not loaded: they change no text, link or heading, and the crawl
  checks them without a browser.

A page settles when its network has been quiet for half a second (Playwright's "networkidle"),
waited for at most ``SEO_RENDER_TIMEOUT`` seconds; a page that never settles (polling, a chat
widget's long poll) is read as it is then, and its record says so.

Only this module and spiders.site's render branch import Playwright; a plain crawl never does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Route
from playwright.async_api import TimeoutError as PlaywrightTimeout
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from spiders.browser import PLAYWRIGHT_OWN
from spiders.items import FetchItem

HANDLER = "spiders.render.SharedPlaywrightHandler"
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Resource types that change nothing the extraction reads: never loaded by the browser.
SKIPPED_TYPES = frozenset({"image", "media", "font"})
# Chromium's flags for a browser with no display, no GPU and nothing phoning home; and one
# renderer process for all the site's pages open at once (--process-per-site), not one each
CHROMIUM_ARGS = ["--process-per-site",
                 "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-extensions", "--mute-audio"]
MAX_BLOCKED = 20  # resources named per page; a page needs only a few to show the problem
# What a page loads to build what it shows: a disallowed one of these is recorded (and
# reported). A disallowed beacon, favicon or manifest is not loaded either, but changes
# nothing Google sees of the page.
RENDERING_TYPES = frozenset({"document", "script", "stylesheet", "xhr", "fetch"})


class SharedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, one for both http and https. Scrapy makes a
    handler per scheme, and each of scrapy-playwright's starts its own Playwright driver and
    browser: two of each (some 300 MB more) for a site that has both schemes or not."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPlaywrightHandler:
        shared = getattr(crawler, "_seo_playwright_handler", None)
        if shared is None:
            shared = cls(crawler)
            crawler._seo_playwright_handler = shared
        return shared

    async def close(self) -> None:
        if getattr(self, "_seo_closed", False):  # asked once per scheme
            return
        self._seo_closed = True
        closing = super().close()
        if closing is not None:
            await closing


def render_settings(settings: Any, browser: str) -> None:
    """Switch a crawl's settings to rendering: the asyncio reactor scrapy-playwright needs,
    its download handler (which passes every request without ``playwright`` in its meta on to
    Scrapy's own), and the browser."""
    settings.set("TWISTED_REACTOR", ASYNCIO_REACTOR, priority="cmdline")
    settings.set("DOWNLOAD_HANDLERS", {"http": HANDLER, "https": HANDLER}, priority="cmdline")
    settings.set("SEO_RENDER", True, priority="cmdline")
    launch: dict[str, Any] = {"headless": True, "args": CHROMIUM_ARGS}
    if browser != PLAYWRIGHT_OWN:
        launch["executable_path"] = browser
    settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="cmdline")
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="cmdline")
    if settings.get("SEO_EXTRACT_PROCESSES") == "auto":
        # pages come a few a second from the browser: one extraction process keeps up, and
        # the memory of the others is better left to the browser
        settings.set("SEO_EXTRACT_PROCESSES", 1, priority="cmdline")
    pages = settings.getint("SEO_RENDER_PAGES")
    settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", pages, priority="cmdline")
    # A context at a time, replaced every SEO_RENDER_PAGES_PER_CONTEXT pages (see
    # SiteSpider._render_context): one draining while the next fills.
    settings.set("PLAYWRIGHT_MAX_CONTEXTS", 2, priority="cmdline")
    timeout_ms = settings.getfloat("SEO_RENDER_TIMEOUT") * 1000
    settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", timeout_ms, priority="cmdline")


def context_options(settings: Any) -> dict[str, Any]:
    """The browser contexts' options. Service workers would fetch past the page's routes:
    blocked. The crawl records certificate problems itself (spiders.tls), so the browser
    must not stop at them."""
    return {"service_workers": "block", "ignore_https_errors": True,
            "user_agent": settings.get("USER_AGENT"),
            "viewport": {"width": 1280, "height": 900}}


@dataclass
class RenderJob:
    """A fetched HTML page on its way through the browser: what the fetch gave (answered to
    the browser again), and what the rendering learned."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    encoding: str
    depth: int
    fetch: FetchItem
    blocked: list[str] = field(default_factory=list)
    served: bool = False  # the navigation was answered with ``body``
    generation: int = 0  # which of the crawl's successive browser contexts renders it
    note: str | None = None
    navigated: str | None = None  # where a script sent the page (not followed)


def fulfil_headers(headers: Any) -> dict[str, str]:
    """The fetched response's headers as the browser is to see them again: the body is
    already decoded and whole, so no Content-Encoding or Content-Length of the original."""
    kept = {}
    for name, values in headers.items():
        text = name.decode("latin-1")
        if text.lower() in ("content-encoding", "content-length", "transfer-encoding"):
            continue
        kept[text] = ", ".join(v.decode("latin-1") for v in values)
    return kept


def page_router(job: RenderJob, disallowed: Callable[[str], bool]) -> Callable[..., Any]:
    """The page's route handler: the navigation answered from the fetch, robots.txt obeyed
    for the site's resources, images and fonts skipped; anything else goes on to
    scrapy-playwright's own handler (``fallback``)."""

    async def route(route: Route, request: Request) -> None:
        try:
            main = request.is_navigation_request() and request.frame.parent_frame is None
        except PlaywrightError:  # a request of no frame (a worker's)
            main = False
        if main:
            if not job.served:
                job.served = True
                await route.fulfill(status=job.status, headers=job.headers, body=job.body)
                return
            # a script sending the page elsewhere: the record is of the page asked for
            job.navigated = job.navigated or request.url
            await route.abort("blockedbyclient")
            return
        if request.resource_type in SKIPPED_TYPES:
            await route.abort("blockedbyclient")
            return
        if disallowed(request.url):
            if (request.resource_type in RENDERING_TYPES and request.url not in job.blocked
                    and len(job.blocked) < MAX_BLOCKED):
                job.blocked.append(request.url)
            await route.abort("blockedbyclient")
            return
        await route.fallback()

    return route


async def settle(page: Page, job: RenderJob, budget: float) -> None:
    """Wait until the page's network is quiet, for at most ``budget`` seconds in all; when it
    is not by then, say so on the job (the DOM is read all the same)."""
    started = time.monotonic()
    for state in ("load", "networkidle"):
        left = budget - (time.monotonic() - started)
        try:
            await page.wait_for_load_state(state, timeout=max(left, 0.001) * 1000)
        except PlaywrightTimeout:
            job.note = (f"network still busy after {budget:g} s (the page kept loading); "
                        "read as it was then")
            return


def render_note(job: RenderJob) -> str | None:
    """What the page's record says about its rendering, beyond ``rendered``."""
    notes = [note for note in (job.note, f"a script sent the page to {job.navigated} "
                               "(not followed)" if job.navigated else None) if note]
    return "; ".join(notes) or None
