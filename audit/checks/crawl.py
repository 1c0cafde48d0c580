"""Checks on the crawl itself: what it could not see, and why.

These are not defects of the site's content: they tell the contractor where the audit's view
stops, so that every "broken" in the report can be trusted.
"""

from __future__ import annotations

import pandas as pd

from audit.registry import AuditContext, check, findings


def refused_the_crawler(pages: pd.DataFrame) -> pd.Series:
    """Pages that answered with a bot challenge or a rate limit instead of themselves."""
    return pages["challenged"] | pages["status"].isin([429, 999])


@check("crawl-blocked", "warning", "The site blocked the crawler", "Crawl",
       needs=("crawl_state",))
def crawl_blocked(ctx: AuditContext) -> pd.DataFrame:
    """Most of the site's answers to our crawler were refusals (403 Forbidden, 429 Too Many
    Requests or a bot challenge such as Cloudflare's), so the crawl stopped early and this
    report covers only part of the site. The refusals are not problems visitors see. How to
    fix: allow the crawler's User-Agent in the firewall or bot protection for the duration of
    the audit (or run it from an allowed network), then crawl again."""
    state = ctx.frames.crawl_state or {}
    if not state.get("blocked"):
        return findings([])
    return findings([{
        "url": ctx.frames.get("start_url") or "",
        "message": f"{state.get('refused', 0)} of {state.get('answered', 0)} answers from the "
                   "site refused the crawler; the crawl stopped early.",
        "detail": "results are partial"}])


@check("page-blocked", "notice", "Page refused the crawler", "Crawl")
def page_blocked(ctx: AuditContext) -> pd.DataFrame:
    """This page of the site answered our crawler with a bot challenge or a rate limit (429)
    instead of the page, so it could not be checked. People in a browser usually get the page.
    How to fix: nothing on the page; if many pages show this, allow the crawler in the site's
    bot protection and crawl again."""
    pages = ctx.frames.pages
    refused = pages[(pages["kind"] == "page") & refused_the_crawler(pages)]
    return findings({
        "url": refused["url"],
        "message": [f"The page answered HTTP {int(s)} to the crawler." for s in
                    refused["status"]],
        "detail": ["bot challenge" if c else "rate limited" for c in
                   refused["challenged"].fillna(False)]})


@check("crawl-trap", "warning", "Endless family of URLs cut off", "Crawl",
       needs=("crawl_state",))
def crawl_trap(ctx: AuditContext) -> pd.DataFrame:
    """The site generates URLs without end (a calendar whose every month links to the next,
    session ids or sort orders in query strings, relative links that nest ever deeper). The
    crawl stopped following this pattern so the audit could finish. Such URLs also waste
    search engines' attention on near-identical pages. How to fix: mark the pattern nofollow or
    disallow it in robots.txt, link the canonical version, and fix relative links that should
    start with "/"."""
    traps = (ctx.frames.crawl_state or {}).get("traps") or []
    return findings([{
        "url": trap["example"], "target": trap["pattern"],
        "message": f"{trap['reason']}: {trap['skipped']} more URL(s) like this were not "
                   "crawled.",
        "detail": f"pattern {trap['pattern']}"} for trap in traps])


@check("crawl-limit-reached", "notice", "The crawl stopped at a limit", "Crawl",
       needs=("crawl_state",))
def crawl_limit_reached(ctx: AuditContext) -> pd.DataFrame:
    """The crawl reached its page or depth limit, so some pages of the site were found but not
    audited. How to fix: crawl again with a higher --max-pages or --max-depth if those pages
    matter."""
    state = ctx.frames.crawl_state or {}
    limits = state.get("limits") or {}
    skipped = limits.get("skipped") or {}
    site = ctx.frames.get("start_url") or ""
    rows = []
    if skipped.get("max_pages"):
        rows.append({"url": site, "message": f"Stopped at {limits.get('max_pages')} pages; "
                                             f"{skipped['max_pages']} more were found.",
                     "detail": "--max-pages"})
    if skipped.get("max_depth"):
        rows.append({"url": site, "message": f"Links deeper than {limits.get('max_depth')} "
                                             f"clicks were not followed ({skipped['max_depth']}"
                                             " link(s)).", "detail": "--max-depth"})
    return findings(rows)


@check("page-too-large", "warning", "Page is too large to download", "Crawl")
def page_too_large(ctx: AuditContext) -> pd.DataFrame:
    """This address sends more data than the download limit (10 MB by default, counted after
    decompression), so it was skipped. A page that large is very slow for visitors, and may be
    a misconfigured server. How to fix: check what the address serves and make it smaller."""
    pages = ctx.frames.pages
    large = pages[pages["error"].fillna("").str.startswith("larger than the download")]
    return findings({"url": large["url"], "message": "The page was larger than the download "
                                                     "limit and was skipped.",
                     "detail": large["error"]})
