"""The crawl's record types. Each streams to its own JSON Lines file (spiders.pipelines).

The crawl records facts only; nothing here knows the practice's profile. Lists stay JSON lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The files the records stream to, in OUT/crawl.
RECORD_FILES = ("fetches.jsonl", "pages.jsonl", "links.jsonl", "sitemap.jsonl")


@dataclass
class FetchItem:
    """One request's outcome. Every URL the crawl touched gets exactly one, success or failure.

    A redirect is one hop: ``status`` 3xx and ``location`` the resolved target, which has a
    record of its own. Chains and loops are followed at audit time (audit.load).
    """

    url: str
    kind: str  # page | resource | external | robots | sitemap
    method: str = "GET"
    status: int | None = None
    content_type: str | None = None
    location: str | None = None
    response_ms: float | None = None
    size: int | None = None  # bytes of the body; for HEAD, the Content-Length announced
    depth: int | None = None
    x_robots_tag: str | None = None  # every X-Robots-Tag header, joined by ", "
    link_header: str | None = None  # every Link header of a page of the site, joined by ", "
    hsts: str | None = None  # Strict-Transport-Security of an https page of the site
    error: str | None = None
    blocked_by_robots: bool = False
    challenged: bool = False  # a bot-protection answer (Cloudflare challenge, LinkedIn 999)
    fetched_at: str | None = None
    # a PDF of the site (never extracted as a page): the notices its text names, sorted
    # (audit.compliance.text_signals; [] when unreadable); None for anything else
    notices: list[str] | None = None


@dataclass
class PageItem:
    """The extracted facts of one HTML page (spiders.extract.extract_page) under its URL.

    Written by an extraction worker as an encoded line (spiders.records); this class is the
    record's schema, which audit.load reads the file by.
    """

    url: str
    title: str | None = None
    title_count: int = 0
    meta_description: str | None = None
    meta_description_count: int = 0
    meta_robots: str | None = None
    canonical: str | None = None  # the first <head> canonical, resolved
    canonicals: list[str] = field(default_factory=list)  # every <head> canonical as written
    hreflang: list[list[str]] = field(default_factory=list)  # [code, href as written]
    base_href: str | None = None
    lang: str | None = None
    viewport: str | None = None
    og: dict[str, str] = field(default_factory=dict)
    headings: list[list[Any]] = field(default_factory=list)
    word_count: int = 0
    images: list[dict[str, Any]] = field(default_factory=list)
    uncrawlable: list[dict[str, Any]] = field(default_factory=list)  # <a> no engine follows
    generic_links: list[list[str]] = field(default_factory=list)  # [target, "Read more"]
    insecure_resources: list[list[str]] = field(default_factory=list)  # [element, http URL]
    # [action URL, method, purpose]: purpose "personal" (asks for a name, phone, e-mail, a
    # message), "search" or "other" (audit.compliance.form_purpose)
    forms: list[list[str]] = field(default_factory=list)
    text_signature: str | None = None  # MinHash of the main text (audit.similarity)
    jsonld: list[str] = field(default_factory=list)
    schema: dict[str, Any] = field(default_factory=dict)  # typed nodes, JSON-LD errors
    nap: list[dict[str, Any]] = field(default_factory=list)
    # what the patient-trust and compliance checks read (spiders.extract._compliance_facts):
    # signals (notices and topics named), identity (title words by a name), untyped_licenses,
    # licensed_title, registrants, place_run, trackers; only the keys with a value
    compliance: dict[str, Any] = field(default_factory=dict)
    places: dict[str, dict[str, int]] = field(default_factory=dict)
    # US place names and the profile's own areas by zone, as lookup keys (audit.usplaces):
    # kept for a practice outside Los Angeles, whose places the crawl cannot know yet
    us_places: dict[str, dict[str, int]] = field(default_factory=dict)
    scripts: int = 0  # <script> elements that run code (not JSON-LD): a page built by script?
    # --render (spiders.render): facts read from headless Chromium's DOM, even when its
    # network never went quiet (render_note says so, or why a page was not rendered)
    rendered: bool = False
    render_note: str | None = None
    # internal pages the rendered DOM links to and the server's HTML does not (rendered only)
    js_links: list[str] = field(default_factory=list)
    # the site's resources the page asked for that robots.txt disallows: not loaded
    blocked_resources: list[str] = field(default_factory=list)


@dataclass
class LinkItem:
    """One reference from a page to a target: a, img, script or link (stylesheet/icon).

    Repeats of the same target and element on one page are one record with a count. Written by
    an extraction worker like PageItem; this class is the schema.
    """

    source_url: str
    target_url: str
    element: str
    scheme: str
    anchor_text: str = ""
    rel: str = ""  # the rel keywords of every reference to the target on the page
    alt: str | None = None
    count: int = 1


@dataclass
class SitemapItem:
    """A URL listed in a sitemap."""

    sitemap_url: str
    url: str
    alternates: list[list[str]] = field(default_factory=list)  # xhtml:link [hreflang, href]


@dataclass
class SitemapEntries:
    """Every entry of one sitemap, handed to the pipeline as one item (not a record type:
    each entry is a SitemapItem line of sitemap.jsonl)."""

    entries: list[SitemapItem]
