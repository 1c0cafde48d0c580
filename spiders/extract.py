"""Extraction: the facts of one HTML page, as a pure function of its URL and decoded HTML.

No Scrapy here: ``extract_page(url, html)`` is tested on saved pages (tests/html/) and the spider
only calls it. lxml does the parsing (it is what Scrapy already ships and it is several times
faster than BeautifulSoup on our pages); the visible text is laid out by html-text's rules (in
spiders.textlayout, a faster walk that gives html-text's result), so words in adjacent blocks
never run together.

Visible word count ("main content"): the text of ``<main>`` (or ``[role=main]``) when the page
has one, else of ``<body>``, always without ``nav``, ``header``, ``footer``, ``aside``,
``[role=navigation|banner|contentinfo]``, ``script``, ``style``, ``noscript``, ``template``,
``svg`` and form controls. Shared menus and footers say nothing about what a page is about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import filterfalse
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.etree

from audit import compliance
from audit.linktext import GENERIC_LINK_TEXTS, is_generic_link_text, skipped_by_link_text
from audit.nap import (
    NapSources,
    is_local_business,
    missing_required,
    nap_facts,
    node_types,
    parse_jsonld_blocks,
    walk_nodes,
)
from audit.places import find_place_spans, find_places
from audit.usplaces import find_us_places, profile_area_counts, us_places_wanted
from spiders.markup import schema_markup_nodes
from spiders.textlayout import layout_text

NOT_FETCHED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "callto", "fax"})
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "select", "option", "button",
                  "textarea", "object", "embed", "iframe", "canvas")
# Template zones: an element is in a zone by its tag or by its ARIA landmark role.
# Boilerplate (dropped before the main content's text is read) is nav, header, footer and
# aside; the header and footer zones' texts are read for NAP before that.
_ZONE_OF_ROLE = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
                 "complementary": "aside", "main": "main"}
_ZONE_TAGS = frozenset(_ZONE_OF_ROLE.values())
_BOILERPLATE_ZONES = frozenset({"nav", "header", "footer", "aside"})
# The head is matched as XPath translate() matched it before: only the letters of the word
# itself are lowered ("APPLICATION/ld+json" stays no JSON-LD type).
_DESCRIPTION_FOLD = str.maketrans("DESCRIPTION", "description")
_ROBOTS_FOLD = str.maketrans("ROBOTSGOEL", "robotsgoel")
_VIEWPORT_FOLD = str.maketrans("VIEWPORT", "viewport")
_JSONLD_FOLD = str.maketrans("LDJSON", "ldjson")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_STYLESHEET_RELS = {"stylesheet", "icon", "shortcut icon", "apple-touch-icon", "preload"}


def clean_text(value: str | None) -> str:
    """Collapse runs of whitespace, as a browser does when it renders text."""
    if not value:
        return ""
    # Printable text holds no whitespace but " " (every other whitespace character is a
    # control or a separator, which isprintable refuses): with no "  " in it, only the ends
    # are left to strip. Two C scans, for the usual anchor text or attribute, not a regex.
    if value.isprintable() and "  " not in value:
        return value.strip()
    return _SPACE.sub(" ", value).strip()


def element_text(element: Any) -> str:
    """The element's text content, its descendants' included (XPath's string()): for an
    element with no child (most links), its own text, without evaluating an XPath."""
    if not len(element):
        return element.text or ""
    return _STRING(element)


def count_words(text: str) -> int:
    """How many words (runs of word characters, joined by ' ’ . or -) ``text`` holds.

    The same count as ``len(_WORD.findall(text))``, about twice as fast: a word never spans
    whitespace, and most whitespace-separated tokens are one plain word (\\w is exactly
    ``str.isalnum()`` or "_"), so the regex only runs on tokens with other characters.
    extract_page takes the count from audit.similarity.words_of instead (numpy, shared with
    the text signature); this is the reference it is tested against.
    """
    tokens = text.split()
    other = list(filterfalse(str.isalnum, tokens))  # filtered in C: no Python loop per token
    return len(tokens) - len(other) + sum(map(_words_in_token, other))


@lru_cache(maxsize=8192)  # "really.", "—", "(310)": the same few tokens on every page
def _words_in_token(token: str) -> int:
    return len(_WORD.findall(token))


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment="")) if parts.fragment else url


# every page's menu and footer name the same few addresses; the audit asks once per page of
# sites of tens of thousands of pages
@lru_cache(maxsize=1 << 15)
def site_key(url: str) -> str:
    """The part of a URL that says which site it belongs to: host and port, without ``www.``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or (parts.scheme, port) in (("http", 80), ("https", 443)):
        return host
    return f"{host}:{port}"


def is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def safe_join(base_url: str, href: str) -> str | None:
    """urljoin, or None for an href no URL can be made of (e.g. "https://[broken/")."""
    try:
        return urljoin(base_url, href)
    except ValueError:
        return None


def with_root_path(url: str) -> str:
    """``http://host`` as ``http://host/``: one address, as browsers and servers treat it."""
    start = url.find("://")
    if start < 0:
        return url
    cuts = [i for i in (url.find("/", start + 3), url.find("?", start + 3),
                        url.find("#", start + 3)) if i >= 0]
    cut = min(cuts) if cuts else len(url)
    return url if cut < len(url) and url[cut] == "/" else url[:cut] + "/" + url[cut:]


def declared_targets(base_url: str, canonicals: list[str], hreflang: list[list[str]],
                     site: str) -> list[tuple[str, str, bool]]:
    """(url, "canonical" or "alternate", internal) for the http(s) addresses a page declares
    as its canonical and its language alternates: the crawl fetches them for their checks."""
    found = []
    for element, hrefs in (("canonical", canonicals), ("alternate", [h for _, h in hreflang])):
        for href in hrefs:
            resolved = resolve_href(base_url, href)
            if resolved and resolved[1] in ("http", "https"):
                found.append((resolved[0], element, site_key(resolved[0]) == site))
    return found


def header_targets(url: str, link_header: str, site: str) -> list[tuple[str, str, bool]]:
    """declared_targets for the canonicals and alternates of an HTTP Link header."""
    from audit.directives import header_links, link_rels

    links = header_links(link_header)
    canonicals = [link["url"] for link in links if "canonical" in link_rels(link)]
    alternates = [[link.get("hreflang", ""), link["url"]] for link in links
                  if "alternate" in link_rels(link) and "hreflang" in link]
    return declared_targets(url, canonicals, alternates, site)


def resolve_href(base_url: str, href: str | None) -> tuple[str, str] | None:
    """Resolve an href against the base URL; returns (url, scheme) or None when empty.

    Fragments are dropped (the same document is fetched once). Hrefs with schemes we never
    fetch (mailto:, tel:, javascript:, data:) are kept as written so they can be reported.
    """
    if href is None:
        return None
    href = href.strip()
    if not href:
        return None
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme in NOT_FETCHED_SCHEMES:
        return href, scheme
    # A site-absolute href ("/about/") resolves the same against every page of a site, and an
    # absolute one ("https://...") against any page: the menus and footers repeat them on every
    # page, so those are resolved once per worker.
    if href.startswith(("http://", "https://")):
        return _resolved(href, href)
    if href.startswith("/") and not href.startswith("//"):
        origin = _origin(base_url)
        if origin is not None:
            return _resolved(origin, href)
    return _resolve(base_url, href)


@lru_cache(maxsize=64)
def _origin(base_url: str) -> str | None:
    """scheme://host/ of a base URL: all a site-absolute href takes from it."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def _resolve(base_url: str, href: str) -> tuple[str, str]:
    try:
        url = strip_fragment(urljoin(base_url, href))
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 literal: recorded, never fetched
        return href, "invalid"
    if parts.netloc and not parts.path:
        url = with_root_path(url)
    return url, parts.scheme.lower()


_resolved = lru_cache(maxsize=8192)(_resolve)


# lxml.etree's HTML parser, not lxml.html's: the same tree, but lxml.html picks each element's
# Python class with a Python call every time an element is touched (4% of extraction).
_PARSER = lxml.etree.HTMLParser(recover=True, encoding="utf-8")
_STRING = lxml.etree.XPath("string()")  # an element's text content, its descendants' included


def parse_html(html: str) -> lxml.etree._Element:
    """Parse HTML forgivingly; never raises on broken markup.

    The text is already decoded (HTTP charset, then <meta charset>, then detection, by the
    caller), so it is handed to lxml as UTF-8 bytes with the encoding fixed: a stale charset
    declaration inside the page cannot re-decode it, and an XML declaration is no error.
    """
    body = html.replace("\x00", "").strip().encode("utf-8", "replace")
    root = lxml.etree.fromstring(body, _PARSER) if body else None
    if root is None:  # nothing lxml could make a document of ("</html>", only a comment)
        root = lxml.etree.fromstring(b"<html><body></body></html>", _PARSER)
    return root


class _Head:
    """What the page says about itself in its head (and wherever else it puts such tags), read
    in one walk over those tags: an XPath //x walks the whole tree once per expression, and a
    dozen of them were a tenth of extraction. Lists are in document order."""

    def __init__(self, root: Any) -> None:
        self.base_href: str | None = None
        self.titles: list[Any] = []
        self.descriptions: list[str] = []
        self.robots: list[str] = []
        self.canonicals: list[str] = []  # every rel=canonical href in <head>, as written
        self.hreflang: list[list[str]] = []  # [hreflang, href as written] in <head>
        self.viewport: str | None = None
        self.og: dict[str, str] = {}
        self.scripts: list[Any] = []  # with a src
        self.inline_scripts: list[str] = []  # the code of scripts without one (not JSON-LD)
        self.links: list[Any] = []  # <link> with an href
        self.jsonld_blocks: list[str] = []
        for el in root.iter("base", "title", "meta", "link", "script"):
            tag = el.tag
            if tag == "meta":
                self._meta(el)
            elif tag == "title":
                self.titles.append(el)
            elif tag == "link":
                href = el.get("href")
                if href is not None:
                    self.links.append(el)
                    self._head_link(el, href)
            elif tag == "script":
                if el.get("src") is not None:
                    self.scripts.append(el)
                if (el.get("type") or "").translate(_JSONLD_FOLD) == "application/ld+json":
                    self.jsonld_blocks.append(el.text or "")
                elif el.text:
                    self.inline_scripts.append(el.text)
            elif self.base_href is None and el.get("href") is not None:  # <base>
                self.base_href = clean_text(el.get("href"))

    def _head_link(self, el: Any, href: str) -> None:
        """Canonicals and hreflang alternates count only in <head>: Google ignores them in the
        body (a theme's or a widget's markup there is no declaration of the page)."""
        rel = el.get("rel")
        if not rel:
            return
        rels = rel.lower().split()
        canonical = "canonical" in rels
        alternate = "alternate" in rels and el.get("hreflang") is not None
        if (canonical or alternate) and _in_head(el):
            if canonical:
                self.canonicals.append(href.strip())
            if alternate:
                self.hreflang.append([el.get("hreflang").strip(), href.strip()])

    def _meta(self, el: Any) -> None:
        prop = el.get("property")
        if prop is not None and prop.startswith("og:"):
            self.og.setdefault(prop, clean_text(el.get("content")))
        name = el.get("name")
        content = el.get("content")
        if name is None or content is None:
            return
        if name.translate(_DESCRIPTION_FOLD) == "description":
            self.descriptions.append(content)
        if name.translate(_ROBOTS_FOLD) in ("robots", "googlebot"):
            self.robots.append(clean_text(content))
        if self.viewport is None and name.translate(_VIEWPORT_FOLD) == "viewport":
            self.viewport = clean_text(content)


def _in_head(el: Any) -> bool:
    parent = el.getparent()
    if parent is not None and parent.tag == "head":
        return True
    return any(a.tag == "head" for a in el.iterancestors())


def _zones(root: Any) -> dict[str, list[Any]]:
    """The elements of each template zone (header, footer, nav, aside, main) and of all the
    boilerplate zones together, in document order. An element can be in two zones
    ("<footer role=banner>"); it is in the boilerplate once."""
    zones: dict[str, list[Any]] = {zone: [] for zone in (*_ZONE_TAGS, "boilerplate")}
    for el in root.iter(lxml.etree.Element):
        tag = el.tag
        role = _ZONE_OF_ROLE.get(el.get("role"))
        if tag not in _ZONE_TAGS and role is None:
            continue
        kinds = {tag, role} & _ZONE_TAGS
        for kind in kinds:
            zones[kind].append(el)
        if kinds & _BOILERPLATE_ZONES:
            zones["boilerplate"].append(el)
    return zones


def _drop_tree(el: Any) -> None:
    """Remove ``el`` and its descendants but keep the text after it (lxml.html's drop_tree)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _in_tree(el: Any, root: Any) -> bool:
    """Whether ``el`` is still in the tree under ``root`` (not in a dropped subtree)."""
    while el is not None and el is not root:
        el = el.getparent()
    return el is root


def _zone_of(element: Any) -> str:
    """Which template zone an element sits in: footer, header or main."""
    zones = set()
    for ancestor in element.iterancestors():
        zones.update((ancestor.tag, _ZONE_OF_ROLE.get(ancestor.get("role"))))
    if "footer" in zones:
        return "footer"
    if "header" in zones:
        return "header"
    return "main"


def _schema_summary(nodes: list[dict[str, Any]], errors: list[dict[str, Any]],
                    schema_nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's schema.org markup in brief: typed nodes and JSON-LD blocks that failed."""
    summary = []
    for syntax, found in (("json-ld", nodes), ("microdata", schema_nodes)):
        for node in walk_nodes(found):
            types = node_types(node)
            local = is_local_business(node)
            summary.append({"syntax": node.get("_syntax", syntax), "types": types,
                            "local_business": local,
                            "missing": missing_required(node) if local else []})
    return {"nodes": summary, "jsonld_errors": errors}


# Elements that load a document or media into the page: mixed content when over http.
_EMBED_TAGS = ("iframe", "frame", "video", "audio", "source", "track", "object", "embed",
               "img")  # an img's src is a link record already; its srcset is read here
_GENERIC_TEXT_MAX = max(map(len, GENERIC_LINK_TEXTS))  # longer (clean) text is never generic
_NOT_LINK_ROLES = frozenset({"button", "tab", "menuitem", "option", "switch", "checkbox",
                             "radio", "presentation", "none"})


def _uncrawlable(a: Any, href: str | None) -> str | None:
    """Why search engines cannot follow this <a> (Lighthouse's crawlable-anchors rules), or
    None. An element given a role other than link (a tab, a menu button) does not claim to be
    a link, and a named anchor without href or handler is only a jump target."""
    role = (a.get("role") or "").strip().lower()
    if role in _NOT_LINK_ROLES:
        return None
    handler = a.get("onclick") is not None
    if href is None:
        if handler or role == "link":
            return "no href (" + ("a click handler" if handler else "role=link") + ")"
        return None
    raw = "".join(href.split()).lower()
    if raw.startswith("javascript:"):
        return "javascript: href"
    if raw.startswith("file:"):
        return "file: href (a file on someone's own computer)"
    if raw == "#" and handler:
        return 'href="#" with a click handler'
    return None


def _main_content_element(root: Any, candidates: list[Any]) -> Any:
    """The first <main> or role=main element left once the boilerplate is dropped, else the
    body."""
    for el in candidates:
        if _in_tree(el, root):
            return el
    body = root.find("body")
    return body if body is not None else root


_MAIN_MARK = "\ue000main\ue000"  # private-use characters: no page's text holds them


def _body_text(root: Any, main: Any, main_text: str) -> str:
    """The text of the whole body (the main content and what else is left outside the
    boilerplate: NAP can sit there too), in document order.

    The main content's text is already laid out; the rest is laid out with a marker standing
    in for it, instead of walking the main content a second time. Only the blank lines where
    the two meet can differ from one html-text pass over the whole body.
    """
    if main is root:
        return main_text
    main.clear(keep_tail=True)  # the tree is not read again after this
    main.text = _MAIN_MARK
    return layout_text(root).replace(_MAIN_MARK, main_text, 1)


def _word_count_and_signature(text: str) -> tuple[int, str | None]:
    """count_words(text) and the text's MinHash signature (audit.similarity), from one numpy
    pass over it: faster than count_words alone on long texts."""
    # imported on first use: numpy (which it needs) then loads in the extraction processes
    # only, never in the crawl process that merely hands them the pages
    from audit.similarity import word_count_and_signature

    return word_count_and_signature(text)


def _place_counts(spans: list[Any]) -> dict[str, int]:
    """find_places from find_place_spans's result (the text is scanned once)."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.name] = counts.get(span.name, 0) + 1
    return counts


def _us_places(title: str | None, headings: list[list[Any]], description: str | None,
               main_text: str) -> dict[str, dict[str, int]]:
    """US place names (audit.usplaces) and the profile's own area names, by zone, for a
    practice outside Los Angeles; only the zones that name one."""
    h1 = " \n ".join(t for level, t in headings if level == 1)
    zones = {"title": title or "", "h1": h1, "meta_description": description or "",
             "body": main_text}
    found = {}
    wanted = us_places_wanted()
    for zone, text in zones.items():
        counts = find_us_places(text) if text and wanted else {}
        counts.update(profile_area_counts(text))
        if counts:
            found[zone] = counts
    return found


def _tracking_pixel(img: Any, src: str | None) -> tuple[bool, str | None]:
    """Whether the image is a pixel, not a picture anyone sees (1x1, or a tracker's image that
    is hidden or in <noscript>), and the tracker it loads from, if any."""
    tracker = compliance.tracker_of(src) if src else None
    width, height = (img.get("width") or "").strip(), (img.get("height") or "").strip()
    if width in _PIXEL_SIZES and height in _PIXEL_SIZES:
        return True, tracker
    if tracker is None:
        return False, None
    hidden = "display:none" in (img.get("style") or "").replace(" ", "").lower()
    return hidden or any(True for _ in img.iterancestors("noscript")), tracker


_PIXEL_SIZES = frozenset({"0", "1", "0px", "1px"})


def _form_purpose(form: Any) -> str:
    """What a form asks for (audit.compliance.form_purpose): "personal", "search" or "other"."""
    fields = [(el.tag, el.get("type") or "",
               " ".join(filter(None, (el.get(a) for a in ("name", "id", "autocomplete",
                                                           "placeholder", "aria-label")))))
              for el in form.iter("input", "textarea", "select")]
    return compliance.form_purpose(fields, form.get("role") or "")


def _compliance_facts(title: str | None, headings: list[list[Any]], header_text: str,
                      body_text: str, footer_text: str, main_text: str, signals: set[str],
                      people: list[dict[str, Any]], trackers: dict[str, str],
                      body_licenses: list[tuple[str, str]], main_places: list[Any],
                      body: compliance.PageText) -> dict[str, Any]:
    """What the compliance checks read (audit.compliance), only the keys that have a value:
    most pages carry a few signals and nothing else."""
    facts: dict[str, Any] = {}
    if signals:
        facts["signals"] = sorted(signals)
    identity = compliance.identity_zones(title, headings, body, people)
    if identity:
        facts["identity"] = identity
    named = [list(pair) for text in (header_text, footer_text)
             for pair in compliance.template_licensed_names(text)]
    if body_licenses:
        named += compliance.licensed_names(body_text, body_licenses)
    if named:
        facts["licensed_names"] = list(map(list, dict.fromkeys(map(tuple, named))))
    # license wording, in document order: the header's and footer's are read once a crawl
    zones = [compliance.template_wording(header_text),
             compliance.wording(body),
             compliance.template_wording(footer_text)]
    untyped = list(dict.fromkeys(raw for zone in zones for raw in zone[0]))
    if untyped:
        facts["untyped_licenses"] = untyped
    titled = (next((zone[1] for zone in zones if zone[1]), None)
              or compliance.licensed_title(title or ""))
    if titled:
        facts["licensed_title"] = titled
    named_registrants = [zone[2] for zone in zones if zone[2]]
    if named_registrants:
        facts["registrants"] = {
            "types": sorted({t for r in named_registrants for t in r["types"]}),
            "full": sorted({t for r in named_registrants for t in r["full"]}),
            "excerpt": named_registrants[0]["excerpt"],
            "supervised": any(compliance.mentions_supervision(text)
                              for text in (header_text, body, footer_text))}
    runs = [run for run in (compliance.place_run(main_text, main_places),
                            compliance.template_place_run(footer_text),
                            compliance.template_place_run(header_text)) if run]
    if runs:
        facts["place_run"] = list(max(runs, key=lambda run: run[0]))
    if trackers:
        facts["trackers"] = [[name, where] for name, where in sorted(trackers.items())]
    return facts


def anchor_targets(url: str, html: str) -> set[str]:
    """The http(s) addresses the page's <a> and <area> links name, resolved as extract_page
    resolves them: what the server's HTML links to, to compare with the rendered DOM's."""
    root = parse_html(html)
    base = next((clean_text(el.get("href")) for el in root.iter("base")
                 if el.get("href") is not None), None)
    base_url = (safe_join(url, base) or url) if base else url
    targets = set()
    for a in root.iter("a", "area"):
        resolved = resolve_href(base_url, a.get("href"))
        if resolved is not None and resolved[1] in ("http", "https"):
            targets.add(resolved[0])
    return targets


def extract_page(url: str, html: str) -> dict[str, Any]:
    """Every fact a page's HTML states about itself, ready for the crawl tables."""
    root = parse_html(html)
    head = _Head(root)
    base_url = (safe_join(url, head.base_href) or url) if head.base_href else url

    titles = [clean_text(element_text(t)) for t in head.titles]

    links: list[dict[str, Any]] = []

    def add_link(element: str, href: str | None, text: str = "", rel: str = "",
                 alt: str | None = None) -> dict[str, Any] | None:
        resolved = resolve_href(base_url, href)
        if resolved is None:
            return None
        target, scheme = resolved
        link = {"target_url": target, "scheme": scheme, "element": element,
                "anchor_text": text, "rel": rel, "alt": alt}
        links.append(link)
        return link

    tel_links: list[tuple[str, str, str]] = []
    uncrawlable: list[dict[str, Any]] = []
    generic_links: list[list[str]] = []
    # One walk for every element read here (each walk of the tree costs as much as the next):
    # anchors, images, forms and, on an https page, what it embeds.
    secure_page = url.startswith("https:")
    anchors: list[Any] = []
    image_elements: list[Any] = []
    loaders: list[Any] = []  # forms, and what an https page loads (mixed content)
    frames: list[str] = []  # what <iframe>s load (a tracker's frame, a booking portal's)
    for el in root.iter("a", "area", "img", "form", "iframe",
                        *(_EMBED_TAGS if secure_page else ())):
        tag = el.tag
        if tag == "a" or tag == "area":
            anchors.append(el)
        else:
            if tag == "img":
                image_elements.append(el)
            elif tag == "iframe":
                frames.append(el.get("src") or "")
            if tag == "form" or secure_page:
                loaders.append(el)
    for a in anchors:
        href = a.get("href")
        if href is not None:
            text = clean_text(element_text(a)) or clean_text(a.get("aria-label"))
            if not text:  # an image link: its alt is its text
                text = " ".join(clean_text(i.get("alt")) for i in a.iter("img") if i.get("alt"))
            link = add_link("a", href, text, clean_text(a.get("rel")).lower())
            # (an empty href adds no link, so the check is on this anchor's own link)
            if link and link["scheme"] in ("tel", "callto"):
                tel_links.append((link["target_url"], text, _zone_of(a)))
            # every generic link, also one whose target an earlier link already names (the
            # link records keep one text per target: often the menu's, not "Read more")
            if (link and len(text) <= _GENERIC_TEXT_MAX and text.lower() in GENERIC_LINK_TEXTS
                    and is_generic_link_text(text)
                    and not skipped_by_link_text(href, link["rel"], link["target_url"] == url)):
                generic_links.append([link["target_url"], text])
        if href is None or href[:1] in ("#", "j", "J", "f", "F", " ", "\t", "\n"):
            reason = _uncrawlable(a, href)
            if reason:
                uncrawlable.append({"href": href, "reason": reason,
                                    "text": clean_text(element_text(a))[:100]})
    images = []
    trackers: dict[str, str] = {}  # tracker name -> the first address or code that loads it
    for img in image_elements:
        src = img.get("src") or img.get("data-src")
        pixel, tracker = _tracking_pixel(img, src)
        if pixel:
            # a tracker's hidden pixel is no content image (no alt to ask for) and no link to
            # check: it is the tracker, recorded as such
            if tracker:
                trackers.setdefault(tracker, src or "")
            continue
        alt = img.get("alt")
        decorative = (img.get("role") in ("presentation", "none")
                      or img.get("aria-hidden") == "true")
        images.append({"src": src, "alt": alt, "decorative": decorative})
        add_link("img", src, clean_text(alt), "", alt)
    for script in head.scripts:
        add_link("script", script.get("src"))
        tracker = compliance.tracker_of(script.get("src") or "")
        if tracker:
            trackers.setdefault(tracker, script.get("src"))
    for src in frames:
        tracker = compliance.tracker_of(src)
        if tracker:
            trackers.setdefault(tracker, src)
    if head.inline_scripts:  # a tracker's snippet names the host it loads from
        for tracker in compliance.trackers_in("\n".join(head.inline_scripts)):
            trackers.setdefault(tracker, "inline script")
    for link in head.links:
        rel = clean_text(link.get("rel")).lower()
        if rel in _STYLESHEET_RELS:
            add_link("link", link.get("href"), "", rel)

    # Mixed content: what an https page loads over plain http (a plain link is not).
    insecure = [[link["element"], link["target_url"]] for link in links
                if secure_page and link["scheme"] == "http" and link["element"] != "a"]
    forms: list[list[str]] = []
    for el in loaders:
        tag = el.tag
        if tag == "form":
            action = resolve_href(base_url, el.get("action"))
            forms.append([action[0] if action else url, (el.get("method") or "get").lower(),
                          _form_purpose(el)])
            continue
        sources = [] if tag == "img" else [el.get("data" if tag == "object" else "src")]
        if tag in ("img", "source"):
            sources += [c.strip().split(" ")[0] for c in (el.get("srcset") or "").split(",")]
        for src in sources:
            resolved = resolve_href(base_url, src) if src else None
            if resolved and resolved[1] == "http":
                insecure.append(["img" if tag == "img" else tag, resolved[0]])

    lang = clean_text(root.get("lang")) if root.tag == "html" and "lang" in root.attrib else None
    schema_nodes = schema_markup_nodes(html, base_url, root)
    jsonld_nodes, jsonld_errors = parse_jsonld_blocks(head.jsonld_blocks)

    # From here on the tree is reduced to visible text; everything above read it whole.
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction,
                              with_tail=False)
    lxml.etree.strip_elements(root, *INVISIBLE_TAGS, with_tail=False)
    headings = [
        [int(el.tag[1]), clean_text(element_text(el))]
        for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    for head_element in list(root.iter("head")):
        head_element.getparent().remove(head_element)
    zones = _zones(root)
    header_text = "\n".join(layout_text(el) for el in zones["header"])
    footer_text = "\n".join(layout_text(el) for el in zones["footer"])
    for el in zones["boilerplate"]:
        if el.getparent() is not None:
            _drop_tree(el)
    main_element = _main_content_element(root, zones["main"])
    main_text = layout_text(main_element)
    body_text = _body_text(root, main_element, main_text)

    title = titles[0] if titles else None
    description = clean_text(head.descriptions[0]) if head.descriptions else None
    word_count, signature = _word_count_and_signature(main_text)
    signals = set(compliance.text_signals(title or ""))
    body = compliance.PageText(body_text)  # the body's gate words, found once for every fact
    signals.update(compliance.text_signals(body))
    for text in (header_text, footer_text):
        signals.update(compliance.template_signals(text))
    signals.update(compliance.title_notices(title, headings))
    nap = nap_facts(NapSources(
        url=url, title=title or "", header_text=header_text, main_text=body_text,
        footer_text=footer_text,
        tel_links=tel_links,
        jsonld_blocks=head.jsonld_blocks, jsonld_nodes=jsonld_nodes, schema_nodes=schema_nodes,
        og_site_name=head.og.get("og:site_name")))

    main_places = find_place_spans(main_text)  # its keyword counts, and any run of names
    # JSON-LD nodes with a jobTitle (walked only when a block names one: most pages' do not)
    people = ([n for n in walk_nodes(jsonld_nodes) if "jobTitle" in n]
              if any("jobTitle" in b for b in head.jsonld_blocks) else [])
    compliance_facts = _compliance_facts(
        title, headings, header_text, body_text, footer_text, main_text, signals, people,
        trackers, main_places=main_places, body=body,
        body_licenses=[(f["raw"], f["normalized"]) for f in nap if f["field"] == "license"
                       and f["zone"] == "main" and f["role"] == "high" and f["normalized"]])

    return {
        "title": title,
        "title_count": len(titles),
        "meta_description": description,
        "meta_description_count": len(head.descriptions),
        "meta_robots": ", ".join(r for r in head.robots if r) or None,
        "canonical": safe_join(base_url, head.canonicals[0]) if head.canonicals else None,
        "canonicals": head.canonicals,
        "hreflang": head.hreflang,
        "base_href": head.base_href,
        "lang": lang,
        "viewport": head.viewport,
        "og": head.og,
        "headings": headings,
        "word_count": word_count,
        "links": links,
        "images": images,
        "uncrawlable": uncrawlable,
        "generic_links": generic_links,
        "insecure_resources": list(dict.fromkeys(map(tuple, insecure))),
        "forms": forms,
        "text_signature": signature,
        "jsonld": head.jsonld_blocks,
        "schema": _schema_summary(jsonld_nodes, jsonld_errors, schema_nodes),
        "nap": nap,
        "compliance": compliance_facts,
        "places": {
            "title": find_places(title or ""),
            "h1": find_places(" \n ".join(t for level, t in headings if level == 1)),
            "meta_description": find_places(description or ""),
            "body": _place_counts(main_places),
        },
        "us_places": _us_places(title, headings, description, main_text),
    }
