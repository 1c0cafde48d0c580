"""Downloader middleware: honour Retry-After, so a rate limit is waited out, not reported.

A 429 or 503 is asked again after the delay its Retry-After header gives (seconds or an HTTP
date), or after a short backoff when it gives none, a bounded number of times. A delay longer
than the cap is not waited for: the answer is recorded as it is (and an external link answering
429 is reported as unverified, never as broken).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from twisted.internet import task

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


class RetryAfterMiddleware:
    def __init__(self, max_wait: float, times: int, backoff: float) -> None:
        self.max_wait = max_wait
        self.times = times
        self.backoff = backoff

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("RETRY_AFTER_MAX_WAIT", 30.0),
                   settings.getint("RETRY_AFTER_TIMES", 2),
                   settings.getfloat("RETRY_AFTER_BACKOFF", 1.0))

    async def process_response(self, request: Request, response: Response,
                               spider: Any = None) -> Request | Response:
        if response.status not in RETRY_AFTER_STATUSES or response.headers.get(b"cf-mitigated"):
            return response
        tries = request.meta.get("retry_after_tries", 0)
        if tries >= self.times:
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            delay = self.backoff * 2 ** tries
        if delay > self.max_wait:
            return response
        # imported here: importing the reactor installs one, and Scrapy chooses which
        from twisted.internet import reactor

        await deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_tries"] = tries + 1
        return retry


class HostTimedOut(IgnoreRequest):
    """An external check not asked: its host already let others time out."""


class SlowHostMiddleware:
    """External link checks: once a host has let SEO_EXTERNAL_HOST_TIMEOUTS checks time out, its
    addresses still waiting in the scheduler are not asked, each would only wait out the same
    timeout. They are recorded as timed out (reported as unverified, never as broken) with the
    reason. Requests already handed to the downloader passed this check on the way in and
    still go out; the spider lets at most CONCURRENT_REQUESTS_PER_DOMAIN checks of a host out
    at a time (SiteSpider._gate_external), so those are a host's first few at most."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SlowHostMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("kind") != "external":
            return None
        reason = getattr(self.crawler.spider, "gave_up_on", lambda url: None)(request.url)
        if reason:
            raise HostTimedOut(reason)
        return None
