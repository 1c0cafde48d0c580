"""Rendering checks (``seo-audit crawl --render``): what exists only once a page's scripts run.

The crawl reads each HTML page twice when it renders: the HTML the server sent and the DOM
headless Chromium built from it (spiders.render). These checks compare the two, and name the
site's resources robots.txt kept the browser from loading, as it keeps Google's renderer.
Without ``--render`` no page is rendered and they find nothing; ``render_suggestion`` then says
when a render would likely show more (one line in the summary and the report, not a finding).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from audit.registry import AuditContext, check, findings, records

NAMED_LINKS = 3  # links named in a links-need-javascript message (all of them in its detail)
# A crawl this small whose start page runs scripts may be a site built in the browser.
FEW_PAGES = 3


def _rendered_pages(ctx: AuditContext) -> pd.DataFrame:
    pages = ctx.frames.pages
    if "rendered" not in pages.columns:  # records of an older crawl
        return pages.iloc[0:0]
    return pages[pages["rendered"] & pages["ok"] & pages["extracted"]]


def _listed(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


@check("links-need-javascript", "notice", "Links exist only after scripts run", "Rendering")
def links_need_javascript(ctx: AuditContext) -> pd.DataFrame:
    """Links on this page to other pages of the site are not in the HTML the server sends: the
    page's scripts add them in the browser (a menu built by a theme script, content loaded
    after the page). Google renders pages and usually finds such links, but later and not
    always; Bing, other search engines, link previews and many tools read only the HTML, and
    miss the pages these links lead to. How to fix: put the site's menu and the links to its
    main pages in the HTML itself (most site builders have a setting for a server-rendered
    menu), or also link the pages from plain HTML, such as the footer and an HTML sitemap."""
    pages = _rendered_pages(ctx)
    if "js_links" not in pages.columns:
        return findings([])
    rows = []
    for page in records(pages[["url", "js_links"]]):
        links = _listed(page["js_links"])
        if not links:
            continue
        named = ", ".join(links[:NAMED_LINKS])
        more = f" and {len(links) - NAMED_LINKS} more" if len(links) > NAMED_LINKS else ""
        rows.append({"url": page["url"], "target": links[0],
                     "message": f"{len(links)} link(s) to pages of the site appear only after "
                                f"scripts run: {named}{more}.",
                     "detail": " ".join(links)})
    return findings(rows)


@check("render-blocked-resource", "warning", "robots.txt blocks what the page needs to render",
       "Rendering")
def render_blocked_resource(ctx: AuditContext) -> pd.DataFrame:
    """To build this page, its scripts ask for a file of the site (a script, a stylesheet, or
    the page's content as HTML or JSON) that robots.txt forbids crawlers to fetch. Google's
    renderer obeys robots.txt, so it does not load that file either: where a visitor sees the
    content, Google may see an empty page or a "Loading…" spinner, and rank the page as thin or
    not at all. The audit rendered the page the same way, without the file. How to fix: allow
    the file's folder in robots.txt (for example remove "Disallow: /content/", or add
    "Allow: /content/"), then check the page with Google Search Console's URL Inspection."""
    pages = _rendered_pages(ctx)
    if "blocked_resources" not in pages.columns:
        return findings([])
    rows = [{"url": page["url"], "target": resource,
             "message": f"robots.txt blocks {resource}, which the page loads to render; "
                        "Google's renderer will not load it either.",
             "detail": f"Disallowed by robots.txt: {resource}"}
            for page in records(pages[["url", "blocked_resources"]])
            for resource in _listed(page["blocked_resources"])]
    return findings(rows)


def render_suggestion(frames: Any) -> str | None:
    """One line suggesting ``--render`` when a crawl without it found very few pages and its
    start page runs scripts (a site built in the browser looks like that), else None."""
    manifest = frames.get("manifest") or {}
    pages = frames.get("pages")
    if manifest.get("rendered") or pages is None or "scripts" not in pages.columns:
        return None
    html = pages[pages["ok"] & pages["extracted"]]
    if html.empty or len(html) > FEW_PAGES:
        return None
    if "rendered" in html.columns and html["rendered"].any():
        return None
    start = manifest.get("start_url")
    first = html[html["url"] == start] if start else html.iloc[0:0]
    if first.empty:
        first = html.sort_values("link_depth").iloc[:1] if "link_depth" in html else html[:1]
    scripts = pd.to_numeric(first["scripts"], errors="coerce").fillna(0)
    if not (scripts > 0).any():
        return None
    return (f"Only {len(html)} page(s) found, and the start page runs scripts: if the site is "
            "built by JavaScript, crawl again with --render to read it as a browser shows it.")
