"""Crawl a site with advertools, as its users do: ``python bench/adv_crawl.py URL OUT.jl LOG``.

Runs in the bench virtualenv (bench/.work/venv), which holds the pinned advertools. advertools'
``crawl()`` runs ``scrapy runspider`` in a subprocess found on PATH, so the runner puts the bench
virtualenv's bin folder first on PATH. Only the log file is set; every crawl setting is
advertools' own default (robots.txt obeyed, Scrapy's 16 requests at once, 8 per host).

``allowed_domains`` is given as the bare host name: advertools' default is the URL's netloc,
``127.0.0.1:PORT``, and Scrapy's OffsiteMiddleware matches host names only, so with a port in
the start URL advertools filters out its own start page and crawls nothing. Links to the
external hosts (127.0.0.2, 127.0.0.3) stay outside the crawl.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import advertools as adv


def main(argv: list[str]) -> int:
    url, output, log = argv
    adv.crawl(url, output, follow_links=True, allowed_domains=[urlsplit(url).hostname],
              custom_settings={"LOG_FILE": log, "LOG_LEVEL": "INFO"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
