"""Mobile, language, speed and address checks: viewport, lang, slow pages, heavy images,
unfriendly URLs.

They judge the site's own HTML pages that answered 2xx (images: the site's own images on those
pages). Speed is the server's answer time as the crawl measured it, not a browser's full load.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pandas as pd

from audit.checks.onpage import html_pages
from audit.langtags import is_registered_language_tag
from audit.registry import AuditContext, check, findings

PAGE_SLOW_MS = 1000
IMAGE_HEAVY_BYTES = 200 * 1024
URL_MAX_LENGTH = 115

_VIEWPORT_SEPARATORS = re.compile(r"[,;]")


def viewport_sets_size(content: object) -> bool:
    """Whether a meta viewport's content sets a width or an initial-scale, the two properties
    that make a phone lay the page out for its screen instead of a shrunken desktop page."""
    if not isinstance(content, str):
        return False
    for part in _VIEWPORT_SEPARATORS.split(content):
        key, _, value = part.partition("=")
        if key.strip().lower() in ("width", "initial-scale") and value.strip():
            return True
    return False


def url_problems(url: str, max_length: float = URL_MAX_LENGTH) -> list[str]:
    """What makes a page address unfriendly, in words: capitals, underscores or spaces in its
    path, or more than ``max_length`` characters in all (Screaming Frog's "Over 115
    Characters" counts the whole address too). The host never counts for the character rules
    (host names are case-insensitive), nor does the query string (its parameter names, such as
    utm_source, are not the page's address words)."""
    if len(url) <= max_length and url == url.lower() and "_" not in url and "%" not in url \
            and " " not in url:
        return []  # the usual address: nothing to decode (10,000 urlsplits are not free)
    parts = urlsplit(url)
    # Decoded, as people read it: "%C3%A9" is "é" and has no capital in it.
    path = unquote(parts.path)
    problems = []
    if any(c.isupper() for c in path):
        problems.append("has capital letters in its path")
    if "_" in path:
        problems.append("has underscores in its path")
    if any(c.isspace() for c in path):
        problems.append("has spaces in its path")
    if len(url) > max_length:
        problems.append(f"is {len(url)} characters long (more than {max_length:g})")
    return problems


@check("viewport-missing", "warning", "Page is not set up for phones (no viewport)", "Mobile")
def viewport_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page has no meta viewport tag, or one that sets neither a width nor an initial
    scale, so phones show it as a shrunken desktop page that visitors must pinch and zoom.
    Most people looking for a therapist search on a phone, and Google ranks pages by their
    mobile version. How to fix: add <meta name="viewport" content="width=device-width,
    initial-scale=1"> to the page's <head> (most themes have it; check custom templates)."""
    pages = html_pages(ctx)
    rows = []
    for url, content in zip(pages["url"].tolist(), pages["viewport"].tolist(), strict=True):
        if viewport_sets_size(content):
            continue
        if isinstance(content, str):
            rows.append({"url": url, "detail": f'content="{content}"',
                         "message": "The page's meta viewport sets neither a width nor an "
                                    "initial-scale."})
        else:
            rows.append({"url": url, "message": "The page has no meta viewport tag."})
    return findings(rows)


@check("lang-missing", "notice", "Page does not say its language", "Languages")
def lang_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page's <html> tag has no lang attribute, or one that is not a language code ("English"
    instead of "en"). Screen readers use it to pronounce the text correctly, browsers to offer
    translation, and search engines as a hint to the page's language. How to fix: set the code
    of the page's language on the <html> tag, for example <html lang="en">, <html lang="en-US">
    or <html lang="es"> (most site builders have a site language setting)."""
    pages = html_pages(ctx)
    rows = []
    for url, lang in zip(pages["url"].tolist(), pages["lang"].tolist(), strict=True):
        if not isinstance(lang, str) or not lang.strip():
            rows.append({"url": url, "message": "The page does not declare its language "
                                                "(no lang on <html>)."})
        elif not is_registered_language_tag(lang, variants=True):
            rows.append({"url": url, "detail": f'lang="{lang}"',
                         "message": f'The page declares its language as "{lang}", which is '
                                    'not a language code (such as "en" or "en-US").'})
    return findings(rows)


@check("page-slow", "notice", "Server is slow to answer", "Speed")
def page_slow(ctx: AuditContext) -> pd.DataFrame:
    """The server took more than a second to start answering for this page. Visitors wait on a
    blank screen before anything loads, many leave, and Google counts speed in its ranking. It
    is the server's own time, before images and scripts. How to fix: ask the host about caching
    (a page cache plugin on WordPress), a faster plan, or fewer slow plugins; check again, as a
    single slow answer can be a passing hiccup."""
    limit = ctx.threshold("PAGE_SLOW_MS", PAGE_SLOW_MS)
    pages = html_pages(ctx)
    pages = pages[pages["kind"] == "page"]
    slow = pages[pd.to_numeric(pages["response_ms"], errors="coerce") > limit]
    return findings({
        "url": slow["url"],
        "message": [f"The server took {ms:,.0f} ms to answer (more than {limit:,.0f} ms)."
                    for ms in slow["response_ms"].tolist()]})


@check("image-heavy", "notice", "Image is heavy to download", "Speed",
       needs=("pages", "links"))
def image_heavy(ctx: AuditContext) -> pd.DataFrame:
    """An image on this page weighs more than 200 KB. Large images are the most common reason
    a small practice's pages load slowly on a phone connection. How to fix: resize the image to
    the size it is shown at and save it compressed (JPEG or WebP at about 80% quality); most
    site builders and image plugins can do it for you."""
    limit = ctx.threshold("IMAGE_HEAVY_BYTES", IMAGE_HEAVY_BYTES)
    pages = ctx.frames.pages
    # The site's own answered files, by their size as fetched: for an image checked with HEAD
    # that is its Content-Length, so nothing is downloaded a second time.
    files = pages[pages["ok"] & ~pages["is_html"]]
    sizes = dict(zip(files["url"].tolist(),
                     pd.to_numeric(files["size"], errors="coerce").tolist(), strict=True))
    links = ctx.frames.links
    images = links.loc[(links["element"] == "img") & (links["kind"] == "internal"),
                       ["source_url", "target_url", "final_url"]]  # only the columns read
    rows = []
    for source, target, final in zip(images["source_url"].tolist(),
                                      images["target_url"].tolist(),
                                      images["final_url"].tolist(), strict=True):
        size = sizes.get(final if isinstance(final, str) else target)
        if size is None or not size > limit:
            continue
        rows.append({"url": source, "target": target,
                     "message": f"An image on this page weighs {size / 1024:,.0f} KB "
                                f"(more than {limit / 1024:,.0f} KB).",
                     "detail": final if isinstance(final, str) else target})
    return findings(rows)


@check("url-unfriendly", "notice", "Page address is hard to read or share", "Addresses (URLs)")
def url_unfriendly(ctx: AuditContext) -> pd.DataFrame:
    """The page's address has capital letters, underscores or spaces in it, or is very long
    (over 115 characters). Addresses are case-sensitive, so /About and
    /about can split into two pages; Google reads underscores as joining words rather than
    separating them; spaces turn into "%20"; and long addresses are cut off in search results
    and hard to share. How to fix: use short, lower-case addresses with words separated by
    hyphens, such as /anxiety-therapy/, and redirect the old address to the new one with a
    permanent (301) redirect."""
    limit = ctx.threshold("URL_MAX_LENGTH", URL_MAX_LENGTH)
    pages = html_pages(ctx)
    pages = pages[pages["kind"] == "page"]
    rows = []
    for url in pages["url"].tolist():
        problems = url_problems(url, limit)
        if problems:
            rows.append({"url": url, "message": f"The address {' and '.join(problems)}.",
                         "detail": unquote(urlsplit(url).path)})
    return findings(rows)
