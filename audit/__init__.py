"""local-seo-audit: offline analysis of a crawled practice site (never imports Scrapy)."""

__version__ = "0.1.0"
