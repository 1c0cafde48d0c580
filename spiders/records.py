"""A fetched HTML page turned into its crawl records: the work an extraction process does.

``page_records(url, body, encoding)`` decodes the body the way Scrapy's ``TextResponse.text``
does, extracts the page's facts (``spiders.extract``), folds repeated references into one link
record with a count, and encodes both as JSON Lines. It is pure and picklable, so the spider can
run it in a pool of processes (``spiders.pool``) while the reactor keeps downloading: extraction
costs more CPU than the download itself, and one Python process uses one core.

The spider gets back only what it needs to go on crawling (``follow``: each http(s) target, the
element that referred to it, and whether it is on the same site); the encoded lines go to the
files untouched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import orjson
from w3lib.encoding import html_to_unicode

from spiders.extract import anchor_targets, declared_targets, extract_page, safe_join, site_key
from spiders.items import FetchItem


@dataclass
class PageRecords:
    """One page's lines for pages.jsonl and links.jsonl, and the references to follow."""

    url: str
    page: bytes
    links: bytes
    # (target_url, element, internal): internal when on the page's own site, which the crawl
    # only parses pages of (worked out here, off the reactor's process)
    follow: list[tuple[str, str, bool]] = field(default_factory=list)
    # the page's own fetch record, set by the spider: written right after the page's lines
    fetch: FetchItem | None = None


# The follow list's elements for what a page declares rather than links to: the crawl fetches
# them as pages (or checks them, off the site) whatever the depth, and records no link.
DECLARED_ELEMENTS = frozenset({"canonical", "alternate"})


def encode_record(record: dict[str, Any]) -> bytes:
    """One JSON Lines record: UTF-8 as is (no \\u escapes), compact.

    orjson writes the same bytes as ``json.dumps(ensure_ascii=False, separators=(",", ":"))``
    for our records, several times faster; what it refuses (an integer beyond 64 bits, a
    non-string key) goes through the json module.
    """
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def decode_body(body: bytes, encoding: str) -> str:
    """The text Scrapy's ``TextResponse.text`` gives for this body and its resolved encoding."""
    return html_to_unicode(f"charset={encoding}", body)[1]


# A <script> element that runs code (a src, or inline code): not JSON-LD or other data blocks.
_SCRIPT_TAG = re.compile(rb"<script\b([^>]*)>", re.IGNORECASE)
_DATA_SCRIPT = re.compile(rb"""type\s*=\s*["']?[^"'\s>]*(json|template|text/x-)""",
                          re.IGNORECASE)
MAX_JS_LINKS = 50  # named per page: a menu built by script names every page of the site


def count_scripts(html: bytes) -> int:
    """How many scripts the page runs (each <script> but JSON-LD and other data blocks):
    what says, without a browser, that a page may be built by JavaScript."""
    return sum(1 for match in _SCRIPT_TAG.finditer(html)
               if not _DATA_SCRIPT.search(match.group(1)))


@dataclass
class Rendering:
    """What the browser adds to a rendered page's records (spiders.render): the raw HTML the
    server sent (its links are compared with the rendered DOM's), the site's resources
    robots.txt kept the browser from loading, and a note when the page did not settle."""

    raw: bytes
    raw_encoding: str
    blocked: list[str] = field(default_factory=list)
    note: str | None = None


def page_records(url: str, body: bytes, encoding: str,
                 rendering: Rendering | None = None, note: str | None = None) -> PageRecords:
    """The records of a page; ``rendering``: body is the DOM read from the browser. ``note``:
    what the record says about an unrendered page of a rendered crawl (why it was not)."""
    html = decode_body(body, encoding)
    facts = extract_page(url, html)
    links = facts.pop("links")
    raw = body if rendering is None else rendering.raw
    facts["scripts"] = count_scripts(raw)
    facts["rendered"] = rendering is not None
    facts["render_note"] = rendering.note if rendering is not None else note
    facts["js_links"] = []
    facts["blocked_resources"] = rendering.blocked if rendering is not None else []
    by_target: dict[tuple[str, str], dict[str, Any]] = {}
    follow: list[tuple[str, str, bool]] = []
    site = site_key(url)
    for link in links:
        key = (link["target_url"], link["element"])
        record = by_target.get(key)
        if record is not None:
            record["count"] += 1
            if link["rel"] and link["rel"] != record["rel"]:
                # one record per target: its rel keywords are those of every reference to it
                # (a menu link and a "nofollow" link to the same page)
                record["rel"] = " ".join(dict.fromkeys(f"{record['rel']} {link['rel']}".split()))
            continue
        by_target[key] = {"source_url": url, **link, "count": 1}
        if link["scheme"] in ("http", "https"):
            follow.append((*key, site_key(key[0]) == site))
    if facts["canonicals"] or facts["hreflang"]:
        base = (safe_join(url, facts["base_href"]) or url) if facts["base_href"] else url
        follow += [target for target in declared_targets(base, facts["canonicals"],
                                                         facts["hreflang"], site)
                   if target[0] != url]
    if rendering is not None:
        # the site's pages the rendered DOM links to and the server's HTML does not
        before = anchor_targets(url, decode_body(rendering.raw, rendering.raw_encoding))
        facts["js_links"] = [target for target, element, internal in follow
                             if internal and element == "a" and target not in before
                             and target != url][:MAX_JS_LINKS]
    return PageRecords(
        url=url,
        page=encode_record({"url": url, **facts}),
        links=b"".join(encode_record(r) for r in by_target.values()),
        follow=follow,
    )
