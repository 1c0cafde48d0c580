"""Scrapy settings for the site crawl: polite defaults for real practice sites, all overridable.

The command line (audit.cli) passes per-crawl values (output folder, limits) as -s overrides.
"""

import importlib.util

from audit import __version__

BOT_NAME = "local-seo-audit"
SPIDER_MODULES = ["spiders.site"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves honestly: site owners can see who is crawling and why.
USER_AGENT = (f"Mozilla/5.0 (compatible; local-seo-audit/{__version__}; "
              "+https://github.com/local-seo-audit/local-seo-audit)")
ROBOTSTXT_OBEY = True

# Politeness is a cap on requests in flight per host (Scrapy's default, and advertools'), plus
# waiting out 429/503 per Retry-After (middlewares) and stopping when the site blocks us.
# `--concurrency 2` for a fragile server. AutoThrottle is off: it keeps latency/delay = target
# requests in flight whatever the latency, so it is only a lower cap, and the latency it reads
# includes time the response waits for this busy process, so on a fast server it throttles
# the audit by its own CPU load (10,000 local pages: 42 s with it at 4, 35 s without).
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8  # also the per-host cap for external link checks
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False

DOWNLOAD_TIMEOUT = 30
EXTERNAL_TIMEOUT = 10  # seconds; one slow external host must not stall the audit
SEO_EXTERNAL_HOST_TIMEOUTS = 2  # then that host's other addresses are not asked (0: ask all)
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # compressed or not: a gzip bomb is cut off here too
DOWNLOAD_WARNSIZE = 0

# Every status reaches the spider: a 404 is a fact to record, not an error to drop.
HTTPERROR_ALLOW_ALL = True
# Redirects are followed by the spider itself, one recorded hop at a time.
REDIRECT_ENABLED = False
METAREFRESH_ENABLED = False
RETRY_ENABLED = True
RETRY_TIMES = 1
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]  # 429 and 503: RetryAfterMiddleware
# Middlewares that do nothing for this spider still cost a layer of calls on every request or
# every object a callback yields (a tenth of the crawl process's CPU): off. The spider keeps its
# own depth and URL-length limits, has no allowed_domains (it decides what is internal), no
# credentials, and lets every status through.
DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.SlowHostMiddleware": 50,
    "spiders.middlewares.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
}
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
RETRY_AFTER_MAX_WAIT = 30.0  # seconds; a longer Retry-After is recorded, not waited for
RETRY_AFTER_TIMES = 2
RETRY_AFTER_BACKOFF = 1.0  # seconds, doubled per try, when no Retry-After is given

# Crawl traps and limits: an endless calendar or session-id permutations must not make the
# audit endless. Each cut is recorded and reported as a finding naming the pattern.
SEO_MAX_PAGES = 50_000  # used when --max-pages is not given
SEO_MAX_DEPTH = 50  # used when --max-depth is not given
SEO_MAX_URL_LENGTH = 1024
SEO_MAX_QUERY_VARIANTS = 50  # distinct query strings per path (sitemap URLs never count)
# A calendar or pager whose every page links to the next grows one click deeper per page:
# SEO_MAX_DEPTH ends it (reported by crawl-limit-reached); numbered slugs alone prove nothing.
SEO_MAX_SEGMENT_REPEATS = 3  # /a/b/a/b/a/b/...: ever-deeper relative links
# When most answers from the site are refusals (401, 403, 429, 999, bot challenges), the
# crawler is being blocked: stop and say so instead of listing hundreds of errors.
SEO_BLOCKED_MIN_ANSWERS = 10
SEO_BLOCKED_SHARE = 0.8

# Breadth-first, so a page's recorded depth is its shortest click distance from the start: the
# spider gives each request the priority -depth itself (Scrapy's DepthMiddleware would count
# depth a second time), and equal priorities leave in the order they came.
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# A callback's output is handled one object at a time: the pipeline writes synchronously, so
# more gains nothing, and Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response (100
# by default: a tenth of the crawl's CPU). It also keeps a page's records before its fetch.
CONCURRENT_ITEMS = 1

# The reactor runs on asyncio's event loop (Scrapy's default); uvloop's, in C on libuv, costs
# the crawl process about a tenth less CPU per request than asyncio's own (10,000 local pages:
# 66-79 s of CPU for the whole audit against 73-88 s, same runs). Where it is not installed
# (Windows), asyncio's loop serves.
if importlib.util.find_spec("uvloop") is not None:
    ASYNCIO_EVENT_LOOP = "uvloop.Loop"

COOKIES_ENABLED = False
# Scrapy's byte counts of every request and response (DownloaderStats) are read by nothing here.
DOWNLOADER_STATS = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
ADDONS = {}

# Records go to CRAWL_DIR (set by spiders.run), written unbuffered by the one pipeline;
# SEO_RESUME appends to the files of an earlier run instead of starting them afresh.
ITEM_PIPELINES = {"spiders.pipelines.RecordWriter": 100}
CRAWL_DIR = "crawl"
SEO_RESUME = False
# Processes that extract pages while the reactor downloads (spiders.pool): "auto" is one per
# core (at most 4; none on a single core), 0 extracts in the crawl process itself.
SEO_EXTRACT_PROCESSES = "auto"

# --render (spiders.render; spiders.run switches the download handler and the reactor only
# then): pages open in the browser at once, and the seconds a page may take to settle (its
# network quiet for half a second) before its DOM is read as it is. Each open page costs a
# renderer process (~50-100 MB) and, while its scripts run, a core; the browser's own
# process is the limit on two cores. 2 pages keep the whole crawl (browser, its driver, the
# crawl and extraction processes) under 1 GB; 3 gain some speed for ~150 MB more.
SEO_RENDER = False
SEO_RENDER_PAGES = 2
SEO_RENDER_TIMEOUT = 10.0
# The browser context (its caches, cookies, the driver's record of its pages) is closed and a
# fresh one opened after this many pages, so that memory does not grow with the site.
SEO_RENDER_PAGES_PER_CONTEXT = 200
