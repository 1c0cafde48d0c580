"""The floor of one Scrapy process: ``python bench/floor_spider.py URL OUT.jl LOG``.

A bare spider that follows a site's internal links and reads each page's title, requesting
each URL once (its own set of seen URLs, no dupefilter), with Scrapy's default concurrency (16
requests at once, 8 per host), no robots.txt, no throttling. It is what any Scrapy-based audit
pays before it does any work of its own; the runner measures it beside our audit and advertools
so the tables show how far above or below that floor each one is.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = url
        self.host = urlsplit(url).netloc
        self.seen = {url}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        if not isinstance(response, scrapy.http.TextResponse):
            return
        yield {"url": response.url, "status": response.status,
               "title": response.css("title::text").get()}
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("#", 1)[0]
            if urlsplit(url).netloc == self.host and url not in self.seen:
                self.seen.add(url)
                yield scrapy.Request(url, dont_filter=True)


def main(argv: list[str]) -> int:
    url, output, log = argv
    process = CrawlerProcess({
        "LOG_FILE": log, "LOG_LEVEL": "INFO", "ROBOTSTXT_OBEY": False,
        "HTTPERROR_ALLOW_ALL": True, "TELNETCONSOLE_ENABLED": False,
        "FEEDS": {output: {"format": "jsonlines", "overwrite": True}},
    })
    process.crawl(FloorSpider, url=url)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
