"""What a page tells search engines about itself: robots directives and HTTP Link headers.

Robots directives come from ``<meta name="robots">`` / ``<meta name="googlebot">`` (the crawl
joins their contents) and from the ``X-Robots-Tag`` header, where a directive may be scoped to
one crawler ("googlebot: noindex", "otherbot: noindex, nofollow"). Google's documentation of
the robots meta tag and X-Robots-Tag (developers.google.com/search/docs/crawling-indexing/
robots-meta-tag) is the source: ``noindex`` and ``none`` keep a page out of the results, and
so does ``unavailable_after`` once its date has passed, the date written in RFC 822, RFC 850 or
ISO 8601. Only directives for every crawler or for Googlebot count here: a rule for another
bot says nothing about Google.

Link headers (RFC 8288) are parsed by ``requests``' parser; canonicals and hreflang alternates
can be declared there as well as in ``<link>`` elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# Directive names Google documents; a "name:" prefix that is not one of these names a crawler.
KNOWN_DIRECTIVES = frozenset({
    "all", "noindex", "nofollow", "none", "nosnippet", "indexifembedded", "max-snippet",
    "max-image-preview", "max-video-preview", "notranslate", "noimageindex",
    "unavailable_after", "noarchive", "nocache", "index", "follow", "noodp", "noydir"})
GOOGLE_AGENTS = frozenset({"googlebot"})
_PREFIX = re.compile(r"^\s*([A-Za-z][\w.-]*)\s*:\s*(.*)$", re.S)


@dataclass(frozen=True)
class IndexingBlock:
    """Why a page is kept out of Google's results."""

    directive: str  # "noindex", "none" or "unavailable_after"
    source: str  # "meta robots" or "X-Robots-Tag"
    date: str = ""  # the unavailable_after date as written

    def describe(self) -> str:
        if self.directive == "unavailable_after":
            return f"{self.source}: unavailable_after {self.date} (a date in the past)"
        return f"{self.source}: {self.directive}"


def parse_robots_date(text: str) -> datetime | None:
    """A date in one of the forms Google accepts for unavailable_after (RFC 822, RFC 850,
    ISO 8601), as an aware datetime (UTC when it names no zone); None when unreadable."""
    text = text.strip().strip("\"'").strip()
    if not text:
        return None
    if text[-1] in "zZ":  # UTC as ISO 8601 / RFC 3339 write it, in either case
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)  # RFC 822 and RFC 850 (email.utils reads both)
        except (TypeError, ValueError, IndexError, OverflowError):
            # OverflowError: a year of many digits, which email.utils passes to datetime
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _directives(value: str) -> list[tuple[str | None, str, str]]:
    """(crawler or None, directive, argument) for each directive of one robots value.

    Commas separate directives, but RFC 822/850 dates hold commas too ("Friday, 25-Jun-10
    ..."): an unavailable_after argument takes the next pieces until it reads as a date."""
    pieces = value.replace(";", ",").split(",")  # ";" is a common slip for ","
    found: list[tuple[str | None, str, str]] = []
    agent: str | None = None
    i = 0
    while i < len(pieces):
        piece = pieces[i].strip()
        i += 1
        while True:  # "googlebot: noindex" and "googlebot: unavailable_after: date"
            match = _PREFIX.match(piece)
            if not match or match.group(1).lower() in KNOWN_DIRECTIVES:
                break
            agent, piece = match.group(1).lower(), match.group(2).strip()
        name, _, argument = piece.partition(":")
        name = name.strip().lower()
        if not name:
            continue
        argument = argument.strip()
        if name == "unavailable_after":
            extra = 0
            while (parse_robots_date(argument) is None and i + extra < len(pieces)
                   and extra < 2):
                extra += 1
                candidate = ",".join([argument, *pieces[i:i + extra]]).strip()
                if parse_robots_date(candidate) is not None:
                    argument, i = candidate, i + extra
                    break
        found.append((agent, name, argument))
    return found


def indexing_block(meta_robots: Any, x_robots_tag: Any,
                   now: datetime | None = None) -> IndexingBlock | None:
    """The first directive that keeps the page out of Google's results, or None."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)  # the dates read are aware; a naive "now" means UTC
    for source, value in (("meta robots", meta_robots), ("X-Robots-Tag", x_robots_tag)):
        if not isinstance(value, str) or not value.strip():
            continue
        for agent, name, argument in _directives(value):
            if agent is not None and agent not in GOOGLE_AGENTS:
                continue
            if name in ("noindex", "none"):
                return IndexingBlock(name, source)
            if name == "unavailable_after":
                when = parse_robots_date(argument)
                if when is not None and when <= now:
                    return IndexingBlock(name, source, argument)
    return None


def header_links(value: Any) -> list[dict[str, str]]:
    """The links of a raw HTTP Link header: dicts with "url", "rel" and any other parameters
    ("hreflang"); [] for no header. Parameter names and rel values are lower-cased."""
    if not isinstance(value, str) or not value.strip():
        return []
    # imported here: requests brings urllib3 and more, and most pages send no Link header
    from requests.utils import parse_header_links

    try:
        links = parse_header_links(value)
    except (ValueError, IndexError):
        return []
    return [{key.lower(): (val.lower() if key.lower() == "rel" else val)
             for key, val in link.items()} for link in links if link.get("url")]


def link_rels(link: dict[str, str]) -> set[str]:
    """A link's rel tokens ("alternate", "canonical"...)."""
    return set(link.get("rel", "").split())


def header_canonicals(value: Any) -> list[str]:
    """The canonical URLs (as written) a Link header declares."""
    return [link["url"] for link in header_links(value) if "canonical" in link_rels(link)]
