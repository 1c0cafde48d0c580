"""Canonical and hreflang checks: what a page declares about its preferred and language
addresses, from <link> elements in <head> and the HTTP Link header (sitemaps too, for hreflang).

Google reads these declarations only in ``<head>`` and in the ``Link`` header; a ``<link>`` in
the body (a widget's or a page builder's markup) declares nothing, and the crawl records only
the ``<head>`` ones. Every check here looks at every page of the site that answered 2xx,
non-indexable ones included: a page that redirects or fails is not a page that declares
anything. The crawl fetches every canonical and hreflang target a page names, so what became of
a target (its status, its redirects, its robots directives) is known without asking again.

Sources: Google Search Central, "How to specify a canonical URL with rel="canonical" and other
methods" (absolute URLs recommended, one canonical per page, HTTP header form) and "Tell Google
about localized versions of your page" (hreflang values, fully-qualified URLs, return links,
x-default, sitemap ``xhtml:link``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from audit.directives import header_canonicals, header_links, link_rels
from audit.langtags import is_registered_language_tag
from audit.load import Resolution, link_state
from audit.registry import AuditContext, check, findings
from spiders.extract import resolve_href, site_key, with_root_path

CANONICAL_CATEGORY = "Google can't index it"
HREFLANG_CATEGORY = "Languages"
HEAD, HEADER, SITEMAP = "<head>", "HTTP Link header", "sitemap"
X_DEFAULT = "x-default"


# ---------------------------------------------------------------------------------------------
# What a page declares


@dataclass(frozen=True)
class Declaration:
    """One canonical or hreflang address a page declares, as written and as Google reads it."""

    page: str  # the URL the declaration belongs to
    source: str  # HEAD, HEADER or SITEMAP
    written: str  # the href as written
    resolved: str | None  # absolute, fragment-less; None when it is no web address at all
    problems: tuple[str, ...]  # what is wrong with the address as written (empty: nothing)
    code: str = ""  # the hreflang value (hreflang declarations only)

    @property
    def where(self) -> str:
        return {HEAD: "in <head>", HEADER: "in the HTTP Link header",
                SITEMAP: "in the sitemap"}[self.source]


def address_problems(written: str) -> tuple[tuple[str, ...], bool]:
    """What is wrong with a declared address as written, and whether it names a web page at
    all (False for an empty, unparsable or non-http(s) address: nothing to resolve)."""
    text = written.strip()
    if not text:
        return ("it is empty",), False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError:
        return ("it is not a valid address",), False
    problems = []
    usable = True
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return (f"it is not a web address (it starts with {scheme}: instead of https:)",), False
    if scheme and not parts.hostname:
        problems.append("it names no host")
        usable = False
    elif not scheme:
        problems.append("it is a relative address, not a full one starting with https://")
    if "#" in text:
        problems.append("it has a fragment (#...), which is not part of a page's address")
    return tuple(problems), usable


def _resolve(base: str, written: str) -> str:
    resolved = resolve_href(base, written)  # fragment-less, "http://host" as "http://host/"
    return with_root_path(resolved[0]) if resolved else written


def _declaration(page: str, source: str, base: str, written: str, code: str = "") -> Declaration:
    if written == page:  # the usual self-canonical, written in full: nothing to work out
        return Declaration(page=page, source=source, written=written, resolved=page,
                           problems=(), code=code)
    problems, usable = address_problems(written)
    return Declaration(page=page, source=source, written=written,
                       resolved=_resolve(base, written.strip()) if usable else None,
                       problems=problems, code=code)


def _declaring_pages(ctx: AuditContext) -> pd.DataFrame:
    """Pages of the site that answered 2xx: the ones whose declarations count."""
    pages = ctx.frames.pages
    return pages[pages["ok"] & (pages["kind"] == "page")]


def _base(url: str, base_href: Any) -> str:
    """The address relative hrefs in <head> resolve against (<base href> when there is one)."""
    return urljoin(url, base_href) if isinstance(base_href, str) and base_href else url


def canonical_declarations(ctx: AuditContext) -> dict[str, list[Declaration]]:
    """Every canonical each 2xx page declares, in <head> and in its Link header, by page."""
    pages = _declaring_pages(ctx)
    found: dict[str, list[Declaration]] = {}
    for url, canonicals, first, extracted, base_href, header in zip(
            pages["url"].tolist(), pages["canonicals"].tolist(), pages["canonical"].tolist(),
            pages["extracted"].tolist(), pages["base_href"].tolist(),
            pages["link_header"].tolist(), strict=True):
        declared = []
        if extracted and not isinstance(canonicals, list) and isinstance(first, str):
            # a page read by a crawl that recorded only its first canonical, resolved
            canonicals = [first]
        if isinstance(canonicals, list) and canonicals:
            base = _base(url, base_href)
            declared += [_declaration(url, HEAD, base, href) for href in canonicals]
        if isinstance(header, str):
            declared += [_declaration(url, HEADER, url, href)
                         for href in header_canonicals(header)]
        if declared:
            found[url] = declared
    return found


def hreflang_declarations(ctx: AuditContext) -> dict[str, list[Declaration]]:
    """Every hreflang alternate declared for each page: in its <head>, its Link header and
    the sitemap entries for its address (the sitemap's alternates belong to the entry's URL)."""
    found: dict[str, list[Declaration]] = {}
    pages = _declaring_pages(ctx)
    for url, hreflang, base_href, header in zip(
            pages["url"].tolist(), pages["hreflang"].tolist(), pages["base_href"].tolist(),
            pages["link_header"].tolist(), strict=True):
        declared = []
        if isinstance(hreflang, list) and hreflang:
            base = _base(url, base_href)
            declared += [_declaration(url, HEAD, base, href, code) for code, href in hreflang]
        if isinstance(header, str):
            declared += [_declaration(url, HEADER, url, link["url"], link["hreflang"])
                         for link in header_links(header)
                         if "alternate" in link_rels(link) and "hreflang" in link]
        if declared:
            found.setdefault(url, []).extend(declared)
    sitemap = ctx.frames.get("sitemap")
    if sitemap is not None and len(sitemap):
        for sitemap_url, loc, alternates in zip(
                sitemap["sitemap_url"].tolist(), sitemap["url"].tolist(),
                sitemap["alternates"].tolist(), strict=True):
            if isinstance(alternates, list) and alternates:
                owner = with_root_path(loc)
                found.setdefault(owner, []).extend(
                    _declaration(owner, SITEMAP, sitemap_url, href, code)
                    for code, href in alternates)
    return found


def is_valid_hreflang_code(code: str) -> bool:
    """A value Google reads: a registered language (optional script and region) or
    x-default, case-insensitive."""
    code = code.strip()
    return code.lower() == X_DEFAULT or is_registered_language_tag(code)


# ---------------------------------------------------------------------------------------------
# What became of a declared target


def _home_addresses(ctx: AuditContext) -> set[str]:
    """The home page's addresses: the start URL and where it (and the root) end up."""
    start = ctx.frames.get("start_url") or ""
    resolved = ctx.frames.get("resolved") or {}
    home = {start, with_root_path(start)} if start else set()
    if start:
        parts = urlsplit(start)
        home.add(f"{parts.scheme}://{parts.netloc}/")
    for url in list(home):
        if url in resolved:
            home.add(resolved[url].final_url)
    return home


def _home_page_copies(ctx: AuditContext) -> set[str]:
    """The home page's addresses and the pages that are the home page under another address:
    the root with a query string ("/?utm_source=..."), or the same page served again
    ("/index.html": the same title, heading and main text). For these the root is the right
    canonical."""
    site = ctx.frames.get("site") or ""
    home = _home_addresses(ctx)
    pages = _declaring_pages(ctx)
    urls = pages["url"].tolist()
    facts = list(zip(pages["title"].tolist(), pages["h1"].tolist(),
                     pages["word_count"].tolist(), pages["text_signature"].tolist(),
                     strict=True))
    home_facts = {fact for url, fact in zip(urls, facts, strict=True) if url in home}
    copies = set(home)
    for url, fact in zip(urls, facts, strict=True):
        if _on_root_path(url, site) or (fact in home_facts and isinstance(fact[0], str)):
            copies.add(url)
    return copies


def _on_root_path(url: str, site: str) -> bool:
    if url.count("/") > 3:  # a path below the root ("scheme://host/x/"): the usual page
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return site_key(url) == site and parts.path in ("", "/")


def is_site_root(url: str, site: str) -> bool:
    """The site's root URL in any of its variants: http or https, with or without www."""
    if url.count("/") > 3:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (parts.scheme.lower() in ("http", "https") and site_key(url) == site
            and parts.path in ("", "/") and not parts.query)


def _lookup(resolved: dict[str, Resolution], url: str) -> Resolution | None:
    return resolved.get(url) or resolved.get(with_root_path(url))


def target_problem(ctx: AuditContext, target: str, noindex: dict[str, str],
                   robots: bool) -> str | None:
    """Why Google would not index ``target`` (it fails, redirects, is noindex, or, when
    ``robots``, robots.txt forbids fetching it); None when it is fine or unknown (never
    fetched, or a host that refuses checkers)."""
    res = _lookup(ctx.frames.get("resolved") or {}, target)
    if res is None or not res.fetched:
        return None
    internal = site_key(target) == ctx.frames.get("site")
    if res.blocked_by_robots and not res.hops:
        return "robots.txt forbids Google to fetch it" if robots else None
    if res.loop:
        return "it redirects in a loop"
    if res.hops:
        return f"it redirects to {res.final_url}"
    broken, unverified = link_state(res, internal)
    if unverified:
        return None
    if broken:
        if res.final_status is not None:
            return f"it answers HTTP {res.final_status}"
        return f"it does not answer ({res.error or 'no answer'})"
    if target in noindex:
        return f"it is kept out of Google ({noindex[target]})"
    return None


def _noindex_pages(ctx: AuditContext) -> dict[str, str]:
    """The site's noindex pages and why (robots meta or X-Robots-Tag)."""
    pages = ctx.frames.pages
    blocked = pages[pages["noindex"]]
    return dict(zip(blocked["url"].tolist(),
                    blocked["noindex_reason"].fillna("noindex").tolist(), strict=True))


def _not_a_page(ctx: AuditContext) -> set[str]:
    """Fetched addresses of the site that redirect or fail: what they declare does not count
    (a sitemap may still list alternates for them)."""
    pages = ctx.frames.pages
    return set(pages.loc[(pages["kind"] == "page") & ~pages["ok"], "url"].tolist())


def _unique_targets(declared: list[Declaration]) -> Iterator[Declaration]:
    """The first declaration of each distinct resolved address."""
    seen: set[str] = set()
    for item in declared:
        if item.resolved and item.resolved not in seen:
            seen.add(item.resolved)
            yield item


# ---------------------------------------------------------------------------------------------
# Canonical checks


@check("canonical-missing", "notice", "Page declares no canonical address", CANONICAL_CATEGORY)
def canonical_missing(ctx: AuditContext) -> pd.DataFrame:
    """This page, which Google may list, does not say which address is its preferred one (no
    rel="canonical" in the page's <head> nor in its HTTP Link header; one in the body of the
    page does not count). Without it Google guesses between the addresses that show the same
    page (with and without www, with tracking parameters, with a trailing slash or not) and may
    list one you do not want. How to fix: add <link rel="canonical" href="..."> with the page's
    own full address to its <head>; most website builders and SEO plugins have a setting
    that does this on every page."""
    pages = ctx.frames.pages
    declared = ctx.shared(canonical_declarations)
    missing = pages[pages["indexable"] & (pages["kind"] == "page")
                    & ~pages["url"].isin(set(declared))]
    return findings({"url": missing["url"],
                     "message": "The page declares no canonical address."})


@check("canonical-invalid", "warning", "Canonical address is invalid or ambiguous",
       CANONICAL_CATEGORY)
def canonical_invalid(ctx: AuditContext) -> pd.DataFrame:
    """The page's canonical address is not a clean, full address (it is relative such as
    "/about/", has a "#" fragment, or is malformed), or the page declares several different
    canonicals (in its <head> and/or its HTTP Link header). Google may then misread it or, for
    conflicting canonicals, ignore them all and choose the page's address itself. How to fix:
    declare exactly one canonical per page, written as the full address
    (https://www.example.com/about/); remove the extra ones a theme or plugin adds."""
    rows = []
    for url, declared in ctx.shared(canonical_declarations).items():
        for item in declared:
            if item.problems:
                rows.append({
                    "url": url, "target": item.written,
                    "message": f'The canonical "{item.written}" {item.where} is invalid: '
                               + "; ".join(item.problems) + ".",
                    "detail": f"resolves to {item.resolved}" if item.resolved else ""})
        different = list(dict.fromkeys(item.resolved or item.written.strip()
                                       for item in declared))
        if len(different) > 1:
            rows.append({
                "url": url, "target": "",
                "message": f"The page declares {len(different)} different canonical addresses; "
                           "Google may ignore them all.",
                "detail": "; ".join(f"{item.written} ({item.where})" for item in declared)})
    return findings(rows)


@check("canonical-to-homepage", "error", "Page names the home page as its canonical",
       CANONICAL_CATEGORY)
def canonical_to_homepage(ctx: AuditContext) -> pd.DataFrame:
    """This page (not the home page) declares the site's home page as its canonical address.
    That asks Google to list the home page instead of this page, so the page disappears from
    search results. It often comes from a theme or plugin that writes the same canonical into
    the shared header of every page. How to fix: make each page's canonical its own address
    (the setting is usually in the SEO plugin or the theme's header template)."""
    site = ctx.frames.get("site") or ""
    copies = ctx.shared(_home_page_copies)
    rows = []
    for url, declared in ctx.shared(canonical_declarations).items():
        if url in copies:
            continue  # the home page (or a copy of it) naming the root is right
        for item in _unique_targets(declared):
            if is_site_root(item.resolved or "", site):
                rows.append({
                    "url": url, "target": item.resolved,
                    "message": "The page names the home page as its canonical address, so "
                               "Google is asked to list the home page instead.",
                    "detail": f"{item.written} ({item.where})"})
    return findings(rows)


@check("canonical-other-host", "warning", "Canonical points to another website",
       CANONICAL_CATEGORY)
def canonical_other_host(ctx: AuditContext) -> pd.DataFrame:
    """The page's canonical address is on another website (another domain or subdomain).
    That asks Google to list the other site's page instead of this one. It is right only when
    this page is a copy of an article published there first; often it is left over from a
    template, a staging or old domain, or a copied page. How to fix: unless the page really
    is a copy of that other page, make its canonical its own address on this site."""
    site = ctx.frames.get("site") or ""
    rows = []
    for url, declared in ctx.shared(canonical_declarations).items():
        for item in _unique_targets(declared):
            host = site_key(item.resolved or "")
            if host and host != site:
                rows.append({
                    "url": url, "target": item.resolved,
                    "message": f"The canonical address is on another website ({host}).",
                    "detail": f"{item.written} ({item.where})"})
    return findings(rows)


@check("canonical-to-non-indexable", "error", "Canonical points to a page Google cannot list",
       CANONICAL_CATEGORY)
def canonical_to_non_indexable(ctx: AuditContext) -> pd.DataFrame:
    """The page's canonical address points to a page that Google cannot list: it answers with
    an error, redirects elsewhere, is marked noindex, or robots.txt forbids fetching it.
    Google then ignores the canonical or drops both pages. (A page naming itself is not
    reported here even when it is noindex: its noindex decides, and that is a question about
    the noindex, not the canonical.) How to fix: point the canonical at the live, final
    address of the page you want listed, usually the page's own address."""
    site = ctx.frames.get("site") or ""
    copies = ctx.shared(_home_page_copies)
    noindex = ctx.shared(_noindex_pages)
    rows = []
    for url, declared in ctx.shared(canonical_declarations).items():
        for item in _unique_targets(declared):
            target = item.resolved or ""
            if target == url:
                continue  # a self-canonical
            if url not in copies and is_site_root(target, site):
                continue  # reported as canonical-to-homepage
            problem = target_problem(ctx, target, noindex, robots=True)
            if problem:
                rows.append({
                    "url": url, "target": target,
                    "message": f"The canonical address points to a page Google cannot list: "
                               f"{problem}.",
                    "detail": f"{item.written} ({item.where})"})
    return findings(rows)


# ---------------------------------------------------------------------------------------------
# hreflang checks


@check("hreflang-invalid", "warning", "Language annotation (hreflang) is invalid",
       HREFLANG_CATEGORY)
def hreflang_invalid(ctx: AuditContext) -> pd.DataFrame:
    """A language annotation (hreflang) of this page has a value Google cannot read, or an
    address that is not a full one. The value must be a language code, optionally with a
    script and a region: "es", "en-US", "zh-Hant-TW", or "x-default" for the fallback version
    ("english" is not a code, and the United Kingdom's region code is GB, not UK). The address
    must be complete (https://...). Google ignores annotations it cannot read, so searchers may
    get the wrong language version. How to fix: correct the value and write the full address
    of the alternate page."""
    rows = []
    for url, declared in ctx.shared(hreflang_declarations).items():
        for item in declared:
            problems = list(item.problems)
            if not is_valid_hreflang_code(item.code):
                problems.insert(0, f'"{item.code}" is not a language code')
            if problems:
                rows.append({
                    "url": url, "target": item.written,
                    "message": f'The hreflang annotation "{item.code}" -> "{item.written}" '
                               f"{item.where} is invalid: " + "; ".join(problems) + ".",
                    "detail": f'hreflang="{item.code}" href="{item.written}" ({item.where})'})
    return findings(rows)


def _usable(declared: list[Declaration]) -> list[Declaration]:
    """Annotations Google can read: a valid code and a full address (the others are
    hreflang-invalid and not reported again by the checks that follow them)."""
    return [item for item in declared
            if item.resolved and not item.problems and is_valid_hreflang_code(item.code)]


@check("hreflang-no-return", "warning", "Language version does not link back",
       HREFLANG_CATEGORY)
def hreflang_no_return(ctx: AuditContext) -> pd.DataFrame:
    """This page names another page as its version in another language (hreflang), but that
    page does not name this one back (in its <head>, its HTTP Link header or the sitemap).
    Google uses a pair of annotations only when both pages confirm it, so it may ignore this
    one. How to fix: on the other page, add an hreflang annotation pointing back to this page
    (every language version should list all versions, itself included)."""
    pages = ctx.frames.pages
    known = pages[(pages["kind"] == "page") & (pages["status"] == 200) & ~pages["noindex"]
                  & (pages["extracted"] | ~pages["is_html"])]
    # pages whose every annotation is known: 200, not redirecting, HTML read (or not HTML)
    checkable = set(known["url"].tolist())
    declared = ctx.shared(hreflang_declarations)
    # Every annotation counts as a way back, even an invalid one: that defect is reported on
    # the other page itself.
    names = {url: {item.resolved for item in items if item.resolved}
             for url, items in declared.items()}
    skipped = ctx.shared(_not_a_page)
    rows = []
    for url, items in declared.items():
        if url in skipped:
            continue
        for item in _unique_targets(_usable(items)):
            target = item.resolved or ""
            if target == url or target not in checkable:
                continue
            if url not in names.get(target, set()):
                rows.append({
                    "url": url, "target": target,
                    "message": f'The {item.code} version ({target}) does not name this page '
                               "back in its hreflang annotations.",
                    "detail": f'hreflang="{item.code}" href="{item.written}" ({item.where})'})
    return findings(rows)


@check("hreflang-to-non-indexable", "warning", "Language version is an error, redirect or noindex",
       HREFLANG_CATEGORY)
def hreflang_to_non_indexable(ctx: AuditContext) -> pd.DataFrame:
    """A language version this page names (hreflang) answers with an error, redirects
    elsewhere, or is marked noindex, so Google cannot show it to searchers of that language.
    How to fix: point the annotation at the live, final address of the page in that language,
    or remove the annotation if that version no longer exists."""
    noindex = ctx.shared(_noindex_pages)
    skipped = ctx.shared(_not_a_page)
    rows = []
    for url, items in ctx.shared(hreflang_declarations).items():
        if url in skipped:
            continue
        for item in _unique_targets(_usable(items)):
            target = item.resolved or ""
            if target == url:
                continue  # the page itself: its own state is reported by other checks
            problem = target_problem(ctx, target, noindex, robots=False)
            if problem:
                rows.append({
                    "url": url, "target": target,
                    "message": f"The {item.code} version cannot be listed by Google: "
                               f"{problem}.",
                    "detail": f'hreflang="{item.code}" href="{item.written}" ({item.where})'})
    return findings(rows)
