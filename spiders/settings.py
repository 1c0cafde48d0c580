"""Scrapy settings for the site crawl: polite defaults for real practice sites, all overridable.

The command line (audit.cli) passes per-crawl values (output folder, limits) as -s overrides.
"""

from audit import __version__

BOT_NAME = "local-seo-audit"
SPIDER_MODULES = ["spiders.site"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves honestly: site owners can see who is crawling and why.
USER_AGENT = (f"Mozilla/5.0 (compatible; local-seo-audit/{__version__}; "
              "+https://github.com/local-seo-audit/local-seo-audit)")
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8  # also the per-host cap for external link checks
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.0
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

DOWNLOAD_TIMEOUT = 30
EXTERNAL_TIMEOUT = 10  # seconds; one slow external host must not stall the audit
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0

# Every status reaches the spider: a 404 is a fact to record, not an error to drop.
HTTPERROR_ALLOW_ALL = True
# Redirects are followed by the spider itself, one recorded hop at a time.
REDIRECT_ENABLED = False
METAREFRESH_ENABLED = False
RETRY_ENABLED = True
RETRY_TIMES = 1
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]

# Breadth-first, so a page's recorded depth is its shortest click distance from the start.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
ADDONS = {}

# spiders.run sets FEEDS from the output folder; records are written unbuffered.
FEED_STORAGES = {"file": "spiders.feeds.UnbufferedFileFeedStorage"}
CRAWL_DIR = "crawl"
