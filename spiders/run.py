"""Entry point of the crawl subprocess: ``python -m spiders.run URL CRAWL_DIR [options]``.

The crawl runs in its own process because Twisted's reactor cannot be restarted inside one
process; audit.cli starts it, waits for it and then audits what it wrote. Ctrl-C reaches this
process too: Scrapy then stops scheduling, finishes what is in flight and closes the record
files, so everything found so far is on disk.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from spiders.gcpolicy import collect_less


def crawl_settings(crawl_dir: Path, args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("CRAWL_DIR", str(crawl_dir), priority="cmdline")
    settings.set("SEO_RESUME", bool(args.resume), priority="cmdline")
    if args.concurrency:
        settings.set("CONCURRENT_REQUESTS", args.concurrency, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", args.concurrency, priority="cmdline")
    if args.ignore_robots:
        settings.set("ROBOTSTXT_OBEY", False, priority="cmdline")
    if args.timeout:
        settings.set("DOWNLOAD_TIMEOUT", args.timeout, priority="cmdline")
    if args.external_timeout:
        settings.set("EXTERNAL_TIMEOUT", args.external_timeout, priority="cmdline")
    for pair in args.setting:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    if args.render:
        # only now: a plain crawl keeps Scrapy's own download handler untouched
        from spiders.browser import find_browser
        from spiders.render import render_settings

        render_settings(settings, find_browser() or "")
    return settings


# Failed downloads are data (a fetch record with its error), not log noise for the user.
_RECORDED_FAILURE_LOGGERS = ("scrapy.downloadermiddlewares.retry",
                             "scrapy.downloadermiddlewares.robotstxt",
                             "scrapy.core.downloader",
                             # a page the browser could not render: its record says why
                             "scrapy-playwright")


def main(argv: list[str] | None = None) -> int:
    # numpy's OpenBLAS starts a spinning thread per core on import; nothing here does linear
    # algebra, and the extraction processes (which inherit this) need every core's time
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(prog="python -m spiders.run")
    parser.add_argument("url")
    parser.add_argument("crawl_dir", type=Path)
    parser.add_argument("--max-pages", type=int, default=0)
    parser.add_argument("--max-depth", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("--external-timeout", type=float, default=0)
    parser.add_argument("--no-external", action="store_true")
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--render", action="store_true",
                        help="read the site's HTML pages from headless Chromium's DOM")
    parser.add_argument("--resume", action="store_true",
                        help="continue the crawl recorded in CRAWL_DIR without refetching")
    parser.add_argument("-s", "--setting", action="append", default=[],
                        help="any Scrapy setting, NAME=VALUE")
    parser.add_argument("--area", action="append", default=[],
                        help="an area the practice serves (the profile's), looked for as given")
    parser.add_argument("--no-us-places", action="store_true",
                        help="the practice is in Los Angeles: look for no other US places")
    args = parser.parse_args(argv)
    # read by the extraction processes, which inherit the environment
    from audit.usplaces import AREAS_ENVIRONMENT, US_PLACES_ENVIRONMENT

    if args.area:
        os.environ[AREAS_ENVIRONMENT] = json.dumps(args.area)
    if args.no_us_places:
        os.environ[US_PLACES_ENVIRONMENT] = "0"
    args.crawl_dir.mkdir(parents=True, exist_ok=True)

    from spiders.site import SiteSpider

    settings = crawl_settings(args.crawl_dir, args)
    process = CrawlerProcess(settings)
    # Scrapy filters by level at its log handler, so the "Crawled (200)" and "Scraped from"
    # lines of every response are still made into records first: some 3% of the crawl
    # process's CPU. Below LOG_LEVEL, scrapy's loggers now make none.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    for name in _RECORDED_FAILURE_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    process.crawl(SiteSpider, url=args.url, max_pages=args.max_pages, max_depth=args.max_depth,
                  external=not args.no_external, progress=args.progress,
                  resume_from=str(args.crawl_dir) if args.resume else "")
    collect_less(freeze=True)
    process.start()
    return 0


def _exit_now(code: int) -> None:
    """Exit without tearing the interpreter down: the records are closed and on disk, and the
    audit waits for this process to end before its report step starts; freeing a crawl's
    worth of objects one by one took it a few tenths of a second more."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit_now(main())
