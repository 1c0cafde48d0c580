"""Reading one sitemap file: its URLs and, for each, the hreflang alternates it declares.

Scrapy's own sitemap reader keeps an entry's ``xhtml:link`` hrefs but drops their ``hreflang``,
which the hreflang checks need (a sitemap is one of the three places Google reads hreflang
from, with ``<link>`` elements and the HTTP Link header). The file is parsed as Scrapy parses
it: lxml, forgiving, no entities resolved (a sitemap is untrusted input).
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urljoin

import lxml.etree

from spiders.extract import with_root_path


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_sitemap(body: bytes, url: str) -> tuple[str, list[tuple[str, list[list[str]]]]]:
    """("urlset" or "sitemapindex", [(absolute loc, [[hreflang, href], ...]), ...])."""
    events = lxml.etree.iterparse(
        BytesIO(body), events=("start", "end"), recover=True, resolve_entities=False,
        remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=False)
    _, root = next(events)
    kind = _local(root.tag)
    entries: list[tuple[str, list[list[str]]]] = []
    for event, element in events:
        if event != "end" or _local(element.tag) not in ("url", "sitemap"):
            continue
        loc = None
        alternates: list[list[str]] = []
        for child in element:
            name = _local(child.tag)
            if name == "loc" and loc is None and child.text and child.text.strip():
                loc = with_root_path(urljoin(url, child.text.strip()))
            elif name == "link" and child.get("hreflang") is not None and child.get("href"):
                alternates.append([child.get("hreflang").strip(), child.get("href").strip()])
        if loc:
            entries.append((loc, alternates))
        element.clear()  # a sitemap lists up to 50,000 URLs: keep memory flat
    return kind, entries
