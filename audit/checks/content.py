"""Link and content quality checks: generic or uncrawlable links, internal nofollow, pages
whose main text duplicates another's.

Link checks run on every HTML page of the site that was read, indexable or not: a link on a
noindex page still leads visitors and crawlers somewhere.
"""

from __future__ import annotations

import pandas as pd

from audit.checks.onpage import html_pages
from audit.registry import AuditContext, by_target_and_detail, check, findings, records
from audit.similarity import near_duplicates


def _has_token(rel: object, token: str) -> bool:
    return isinstance(rel, str) and token in rel.lower().split()


@check("link-uncrawlable", "warning", "Link search engines cannot follow", "Links",
       subject=by_target_and_detail)
def link_uncrawlable(ctx: AuditContext) -> pd.DataFrame:
    """A link on this page only works when a script runs: its address is "javascript:...", a
    file on someone's own computer ("file:..."), or it has no address at all and reacts to a
    click ("#" with a click handler, or no href). Google follows only real addresses in href,
    so the page it leads to may never be found, and visitors cannot open it in a new tab or
    share it. A <button> is not a link and is not reported. How to fix: give the link the real
    address of the page it opens in its href (href="/contact/"); for a control that opens a
    menu or a dialog rather than a page, use a <button>."""
    rows = []
    for url, anchors in html_pages(ctx)[["url", "uncrawlable"]].itertuples(index=False):
        seen = set()
        for anchor in anchors if isinstance(anchors, list) else []:
            href = anchor.get("href")
            key = (href, anchor.get("text"))
            if key in seen:
                continue
            seen.add(key)
            shown = "<a>" if href is None else f'<a href="{href}">'
            rows.append({"url": url, "target": href or "",
                         "message": f"A link search engines cannot follow: {anchor['reason']}.",
                         "detail": f"{shown}{anchor.get('text') or ''}</a>"})
    return findings(rows)


@check("link-internal-nofollow", "notice", "Internal link marked nofollow", "Links",
       needs=("pages", "links"))
def link_internal_nofollow(ctx: AuditContext) -> pd.DataFrame:
    """A link from this page to another page of the same site carries rel="nofollow", which
    tells search engines not to follow it or pass on its weight. On your own site that only
    hides your own pages from Google (login or cart links aside). How to fix: remove
    rel="nofollow" from links to your own pages; to keep a page out of Google, mark that page
    noindex instead."""
    links = ctx.frames.links
    # Most links have no rel: the internal <a> links with one are found first, by comparisons
    # (made on a categorical's codes), and only their rows' read columns are taken. A missing
    # rel is kept here and dropped by _has_token.
    with_rel = links["rel"].ne("") & (links["element"] == "a") & (links["kind"] == "internal")
    internal = links.loc[with_rel, ["source_url", "target_url", "rel", "anchor_text"]]
    internal = internal[internal["source_url"].isin(set(html_pages(ctx)["url"].tolist()))]
    marked = internal[[_has_token(rel, "nofollow") for rel in internal["rel"].tolist()]]
    return findings([{
        "url": row["source_url"], "target": row["target_url"],
        "message": "A link to a page of this site is marked nofollow.",
        "detail": f'<a rel="{row["rel"]}" href="{row["target_url"]}">{row["anchor_text"]}</a>',
    } for row in records(marked)])


@check("link-text-generic", "notice", "Link text says nothing about where it goes", "Links")
def link_text_generic(ctx: AuditContext) -> pd.DataFrame:
    """A link's whole text is a generic phrase such as "click here", "read more", "learn more"
    or "más información". Google and screen-reader users read link text to learn what the
    linked page is about; a generic phrase tells them nothing (Lighthouse's SEO audit "Links do
    not have descriptive text" fails on the same phrases). "Read more about anxiety therapy" is
    descriptive and fine. How to fix: rewrite the link text to name what the page offers, for
    example "Read more about our fees" or "Book a first session"."""
    rows = []
    for url, generic in html_pages(ctx)[["url", "generic_links"]].itertuples(index=False):
        for target, text in generic if isinstance(generic, list) else []:
            rows.append({"url": url, "target": target,
                         "message": f'A link\'s whole text is "{text}".',
                         "detail": f'<a href="{target}">{text}</a>'})
    return findings(rows)


CONTENT_DUPLICATE_SIMILARITY = 0.9  # Screaming Frog's near-duplicate default (peers.md §5)
MAX_NAMED_DUPLICATES = 5


@check("content-duplicate", "warning", "Page text is the same as another page's", "Content")
def content_duplicate(ctx: AuditContext) -> pd.DataFrame:
    """The main text of this page is the same, or nearly the same (90% or more), as the text of
    other pages of the site; menus, header and footer are not counted. The typical case is a
    set of "location pages" that repeat one text with the city swapped. Google shows one of
    them and ignores the rest, and visitors who land on two of them trust the practice less.
    How to fix: give each page its own text (what is specific to that service or place:
    directions, parking, the community, who is seen there), or merge the copies into one page
    and redirect the others to it."""
    pages = ctx.frames.pages
    pages = pages[pages["indexable"]]
    signatures = dict(zip(pages["url"].tolist(), pages["text_signature"].tolist(), strict=True))
    threshold = ctx.threshold("CONTENT_DUPLICATE_SIMILARITY", CONTENT_DUPLICATE_SIMILARITY)
    twins: dict[str, list[tuple[float, str]]] = {}
    for first, second, similarity in near_duplicates(
            {u: s for u, s in signatures.items() if isinstance(s, str)}, threshold):
        twins.setdefault(first, []).append((similarity, second))
        twins.setdefault(second, []).append((similarity, first))
    rows = []
    for url, others in twins.items():
        others.sort(key=lambda pair: (-pair[0], pair[1]))
        named = ", ".join(f"{other} ({similarity:.0%})"
                          for similarity, other in others[:MAX_NAMED_DUPLICATES])
        more = len(others) - MAX_NAMED_DUPLICATES
        rows.append({"url": url, "target": others[0][1],
                     "message": f"The main text is {others[0][0]:.0%} the same as "
                                f"{len(others)} other page(s).",
                     "detail": named + (f" and {more} more" if more > 0 else "")})
    return findings(rows)
