"""Crawlability checks: robots.txt, sitemaps, and what keeps Google from crawling a page."""
