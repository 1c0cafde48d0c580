"""Local keyword checks: do the pages that should win local searches name where the practice is?

Location terms are the places near the practice (audit.locale): for a Los Angeles practice the
shipped Los Angeles gazetteer (audit/data/la_places.csv: the city and its aliases, its
neighbourhoods and the cities of Los Angeles County), anywhere else the cities, towns, postal
place names and counties within a radius of it and its state (audit.usplaces).
"""

from __future__ import annotations

import re

import pandas as pd

from audit import places as la_places
from audit import usplaces
from audit.checks.onpage import indexable_pages
from audit.registry import AuditContext, check, findings

# Blog posts need not carry the city in their titles, and legal or utility pages are not meant
# to rank for local searches (shared/domain/local-seo.md K1, P10).
NOT_LOCAL_LANDING = re.compile(
    r"/(?:blog|news|articles?|posts?|tag|category|author)/|"
    r"privacy|terms|legal|disclaimer|accessibility|cookie|sitemap|thank-?you|login|admin",
    re.IGNORECASE)
# A page for telehealth "anywhere in California" does say where the practice works.
STATE_TERMS = re.compile(r"\b(?:Southern\s+)?California\b|\bSoCal\b")
ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "ScholarlyArticle", "Blog"}


def _is_article(og: object, schema: object) -> bool:
    if isinstance(og, dict) and og.get("og:type", "").lower() == "article":
        return True
    nodes = schema.get("nodes", []) if isinstance(schema, dict) else []
    return any(set(node.get("types", [])) & ARTICLE_TYPES for node in nodes)


@check("local-keyword-missing", "warning", "Page does not say where the practice is",
       "Local search", needs=("pages", "places"))
def local_keyword_missing(ctx: AuditContext) -> pd.DataFrame:
    """Neither the title, the main heading (H1) nor the meta description of this page names a
    place: the city, a neighbourhood or a nearby city. People search "therapist in Beverly
    Hills"; a page that never says where the practice is rarely shows up for those searches.
    Naming the state (for telehealth across it) is enough; blog posts and legal pages are not
    counted. How to fix: name the city or area served where
    it reads naturally, e.g. "Anxiety Therapy in Beverly Hills and Los Angeles"."""
    pages = indexable_pages(ctx)
    pages = pages[(pages["kind"] == "page")
                  & ~pages["url"].str.contains(NOT_LOCAL_LANDING)
                  & ~pd.Series([_is_article(og, schema) for og, schema in
                                zip(pages["og"].tolist(), pages["schema"].tolist(), strict=True)],
                               index=pages.index, dtype=bool)]
    places = ctx.frames.places
    named = places[places["in_title"] | places["in_h1"] | places["in_meta_description"]]
    missing = pages[~pages["url"].isin(set(named["url"].tolist()))]
    locale = ctx.frames.get("locale")
    if locale is None or locale.los_angeles:  # elsewhere the state's name is a local term
        headline = (missing["title"].fillna("") + " " + missing["h1"].fillna("") + " "
                    + missing["meta_description"].fillna(""))
        missing = missing[~headline.str.contains(STATE_TERMS)]
    return findings({"url": missing["url"],
                     "message": "No location term in the title, H1 or meta description.",
                     "detail": missing["title"].fillna("")})


@check("local-area-unmentioned", "notice", "A service area is never mentioned",
       "Local search", needs=("places",))
def local_area_unmentioned(ctx: AuditContext) -> pd.DataFrame:
    """An area the practice serves (from the profile) is not named on any page of the site, so
    the site gives search engines no reason to show it to people searching there. How to fix:
    mention the area where it is true and useful, for example on the contact or about page
    ("convenient to clients in Santa Monica"). Avoid lists of city names, which Google treats
    as keyword stuffing."""
    areas = list(getattr(ctx.profile, "areas", None) or [])
    if not areas:
        return findings([])
    mentioned = set(ctx.frames.places["term"].tolist())
    site = ctx.frames.get("start_url") or ""
    manifest = ctx.frames.get("manifest") or {}
    searched = {usplaces.fold(a) for a in manifest.get("areas_searched") or []}
    known_la = {p.name for p in la_places.load_places()}
    return findings([{"url": site, "message": f"No page mentions {area}.", "target": area}
                     for area in areas if area not in mentioned
                     and _was_looked_for(area, known_la, searched,
                                         manifest.get("us_places_recorded", True))])


def _was_looked_for(area: str, known_la: set[str], searched: set[str],
                    us_places_recorded: bool) -> bool:
    """Whether the crawl looked for the area in every page's text: a name of the Los Angeles
    gazetteer, a US place name (unless the crawl's profile said Los Angeles: then it looked
    for no other US places), or an area the crawl was given (the profile's). An area first
    named in a later profile was not: never said missing."""
    if area in known_la:
        return True  # the crawl always records the Los Angeles gazetteer's places
    key = usplaces.fold(area)
    return key in searched or (us_places_recorded and usplaces.is_known_name(area))
