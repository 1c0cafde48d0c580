"""Link checks: broken links, redirects, error pages, orphan pages.

A broken link is reported on the page that carries it (the SOURCE), because that is the page
the owner has to edit; the error page itself is reported once as ``page-error``.
"""

from __future__ import annotations

import pandas as pd

from audit.checks.crawl import refused_the_crawler
from audit.registry import AuditContext, check, findings, records

ELEMENT_NAMES = {"a": "link", "img": "image", "script": "script", "link": "stylesheet/icon"}
# What the messages read of a link (_what_happened, _chain_text): the rows of a check are taken
# with these columns only, not the links frame's twenty.
_READ = ["source_url", "target_url", "element", "anchor_text", "redirect_loop", "redirect_hops",
         "redirect_chain", "final_url", "final_status", "error"]


def _rows(links: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The links of ``mask``, with the columns the messages read (those the frame has)."""
    return links.loc[mask, [name for name in _READ if name in links.columns]]


def _what_happened(row: pd.Series) -> str:
    if row["redirect_loop"]:
        return "redirect loop"
    if pd.notna(row["final_status"]):
        status = int(row["final_status"])
        if row["redirect_hops"]:
            return f"HTTP {status} after {int(row['redirect_hops'])} redirect(s)"
        return f"HTTP {status}"
    return str(row["error"] or "no answer")


def _chain_text(chain: list, final_url: str, final_status: object) -> str:
    hops = [f"{url} ({status})" for url, status in chain]
    if final_status is None or pd.isna(final_status):
        end = str(final_url)
    else:
        end = f"{final_url} ({int(final_status)})"
    return " -> ".join([*hops, end])


@check("broken-link", "error", "Link to a missing or failing page", "Links", needs=("links",))
def broken_link(ctx: AuditContext) -> pd.DataFrame:
    """A link, image, script or stylesheet on this page points to something that does not work:
    it answers with an error (such as 404 Not Found or 500) or does not answer at all. Visitors
    hit a dead end, images show broken, and Google sees a neglected site. How to fix: edit the
    page so the reference points to the right address, or remove it; if the target page moved,
    redirect its old address to the new one."""
    links = ctx.frames.links
    broken = _rows(links, links["broken"])
    rows = [{
        "url": row["source_url"], "target": row["target_url"],
        "message": f"Broken {ELEMENT_NAMES.get(row['element'], row['element'])}: "
                   f"{_what_happened(row)}.",
        "detail": f"<{row['element']}> {row['target_url']} -> {_what_happened(row)}"
                  + (f'; text "{row["anchor_text"]}"' if row["anchor_text"] else ""),
    } for row in records(broken)]
    return findings(rows)


@check("link-unverified", "notice", "Link could not be verified", "Links", needs=("links",))
def link_unverified(ctx: AuditContext) -> pd.DataFrame:
    """An external site refused to answer our checker (for example 403 Forbidden, 429 Too Many
    Requests, or LinkedIn's 999), or did not answer within the time limit. That usually means
    the site blocks automated visitors or is slow, not that the link is broken. How to fix:
    open the link in a browser once; if it works there, nothing needs to change."""
    links = ctx.frames.links
    unverified = _rows(links, links["unverified"])
    return findings([{
        "url": row["source_url"], "target": row["target_url"],
        "message": f"Could not verify: {_what_happened(row)}",
        "detail": f"<{row['element']}> {row['target_url']}",
    } for row in records(unverified)])


@check("redirect-chain", "warning", "Link goes through several redirects", "Links",
       needs=("links",))
def redirect_chain(ctx: AuditContext) -> pd.DataFrame:
    """A link on this page leads through two or more redirects before reaching its page (or
    the address the audit started from does, such as http://site.com to https://site.com to
    https://www.site.com). Each hop slows visitors down and search engines may stop following
    long chains. How to fix: change the link to point straight at the final address, and make
    old addresses redirect in one step."""
    links = ctx.frames.links
    chained = _rows(links, (links["redirect_hops"] >= 2) & ~links["redirect_loop"]
                        & ~links["broken"])
    rows = [{
        "url": row["source_url"], "target": row["target_url"],
        "message": f"The link takes {int(row['redirect_hops'])} redirects.",
        "detail": _chain_text(row["redirect_chain"], row["final_url"], row["final_status"]),
    } for row in records(chained)]
    rows.extend(_start_chain(ctx, links))
    return findings(rows)


def _start_chain(ctx: AuditContext, links: pd.DataFrame) -> list[dict[str, str]]:
    """The start address's own chain, when no page links to it (a link to it is reported on
    the linking page above): people type or bookmark that address, and other sites link it."""
    start = ctx.frames.get("start_url")
    res = (ctx.frames.get("resolved") or {}).get(start) if start else None
    if (res is None or len(res.hops) < 2 or res.loop or res.final_status is None
            or res.final_status >= 400 or links["target_url"].eq(start).any()):
        return []
    return [{"url": start, "target": start,
             "message": f"The address the audit started from takes {len(res.hops)} redirects.",
             "detail": _chain_text(res.hops, res.final_url, res.final_status)}]


@check("link-to-redirect", "notice", "Link points to an address that redirects", "Links",
       needs=("links",))
def link_to_redirect(ctx: AuditContext) -> pd.DataFrame:
    """An internal link on this page points to an old address that redirects once to the
    current page. It works, but costs visitors a round trip. How to fix: update the link to the
    final address shown in the detail."""
    links = ctx.frames.links
    one_hop = _rows(links, (links["redirect_hops"] == 1) & (links["kind"] == "internal")
                        & ~links["broken"] & ~links["redirect_loop"])
    return findings([{
        "url": row["source_url"], "target": row["target_url"],
        "message": "The link redirects to another address.",
        "detail": _chain_text(row["redirect_chain"], row["final_url"], row["final_status"]),
    } for row in records(one_hop)])


@check("redirect-loop", "error", "Address redirects in a loop", "Links", needs=("pages",))
def redirect_loop(ctx: AuditContext) -> pd.DataFrame:
    """This address redirects in a circle and never reaches a page: browsers give up with an
    error. How to fix: correct the redirect rules so the address leads to one final page."""
    links = ctx.frames.links
    looping = _rows(links, links["redirect_loop"] & (links["kind"] == "internal"))
    looping = looping.drop_duplicates("target_url")
    return findings([{
        "url": row["target_url"], "target": row["target_url"],
        "message": "The address redirects in a loop.",
        "detail": _chain_text(row["redirect_chain"], row["final_url"], None),
    } for row in records(looping)])


@check("page-error", "error", "Page of the site answers with an error", "Links")
def page_error(ctx: AuditContext) -> pd.DataFrame:
    """A page of this site answered with an error status (4xx such as 404 Not Found, or 5xx
    server errors) when we fetched it. How to fix: restore the page, or redirect its address to
    the right live page and update the links that point to it."""
    pages = ctx.frames.pages
    refused = refused_the_crawler(pages)
    # a bot challenge or rate limit is the crawler's problem, reported as page-blocked
    failing = pages[(pages["kind"] == "page") & (pages["status"].fillna(0) >= 400) & ~refused]
    return findings({
        "url": failing["url"],
        "message": [f"The page answered HTTP {int(s)}." for s in failing["status"]],
        "detail": [f"reached from {n} link(s)" for n in failing["inlinks"]]})


@check("page-unreachable", "error", "Page of the site could not be fetched", "Links")
def page_unreachable(ctx: AuditContext) -> pd.DataFrame:
    """A page of this site did not answer at all: the connection failed or timed out. How to
    fix: check the hosting; if it happens again, ask the host why the server is slow or
    refusing connections."""
    pages = ctx.frames.pages
    too_large = pages["error"].fillna("").str.startswith("larger than the download")
    failing = pages[(pages["kind"] == "page") & pages["status"].isna() & ~too_large
                    & pages["error"].notna() & ~pages["blocked_by_robots"].astype(bool)]
    return findings({"url": failing["url"], "message": "The page could not be fetched.",
                     "detail": failing["error"]})


@check("orphan-page", "warning", "Page is in the sitemap but no page links to it", "Links",
       needs=("pages", "sitemap"))
def orphan_page(ctx: AuditContext) -> pd.DataFrame:
    """The page is listed in the sitemap and works, but no other page of the site links to it.
    Visitors cannot find it, and Google treats it as unimportant. How to fix: link to it from a
    related page or the menu, or remove it from the sitemap if it is obsolete."""
    pages = ctx.frames.pages
    start = ctx.frames.get("start_url")
    orphans = pages[pages["in_sitemap"] & pages["ok"] & (pages["kind"] == "page")
                    & (pages["inlinks"] == 0) & (pages["url"] != start)]
    return findings({"url": orphans["url"],
                     "message": "No crawled page links to this page; it is only in the sitemap."})
