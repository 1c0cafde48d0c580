"""A large crawl folder written straight to disk, for testing reports at scale without a server.

``fabricate_crawl(out, pages=10_000)`` writes OUT/crawl/{fetches,pages,links,sitemap}.jsonl and
manifest.json with the record types of spiders/items.py (built from the dataclasses themselves,
so a new field there shows up here), shaped like a real practice site: a navigation on every
page, some 404s, redirects, unanswered addresses, duplicate and missing titles, a wrong phone
number in a few footers, place names, and one page whose title and links are hostile.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spiders.items import FetchItem, LinkItem, PageItem, SitemapItem

ORIGIN = "https://practice.example"
EXTERNAL = "https://directory.example"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_JSONLD = "<img src=x onerror=alert(5)>+1-310-999-4996"
PHONE, WRONG_PHONE = "+13109994996", "+13109994969"
AREAS = ["Los Angeles", "Beverly Hills", "Santa Monica", "West Hollywood", "Century City",
         "Culver City", "Pasadena", "Silver Lake", "Venice", "Westwood", "Encino"]
NAV = ["/", "/about/", "/services/", "/contact/", "/fees/", "/blog/"]


def _write(path: Path, records: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def _path(i: int) -> str:
    return NAV[i] if i < len(NAV) else f"/articles/topic-{i}/"


def _nap(url: str, i: int) -> list[dict[str, Any]]:
    phone = WRONG_PHONE if i % 997 == 5 else PHONE
    return [
        {"field": "name", "source": "title", "zone": "title", "raw": "Blair Wellness Group",
         "normalized": "Blair Wellness Group", "role": "", "context": "… | Blair Wellness Group"},
        {"field": "phone", "source": "text", "zone": "footer", "raw": "(310) 999-4996",
         "normalized": phone, "role": "business", "context": "call (310) 999-4996 today"},
        {"field": "phone", "source": "tel", "zone": "footer", "raw": f"tel:{phone}",
         "normalized": phone, "role": "business", "context": "(310) 999-4996",
         "anchor_normalized": PHONE},
        {"field": "license", "source": "text", "zone": "footer", "raw": "PSY 22022",
         "normalized": "PSY 22022", "role": "high", "context": "Licensed psychologist PSY 22022"},
    ]


def _places(i: int, rng: random.Random) -> dict[str, dict[str, int]]:
    body = {area: rng.randint(1, 4) for area in rng.sample(AREAS, 3)}
    places = {"body": body}
    if i % 3 == 0:
        places["title"] = {AREAS[i % len(AREAS)]: 1}
    if i % 4 == 0:
        places["h1"] = {AREAS[(i + 1) % len(AREAS)]: 1}
    if i % 5 == 0:
        places["meta_description"] = {"Los Angeles": 1}
    return places


def fabricate_crawl(out: Path, pages: int = 10_000, seed: int = 7) -> Path:
    """Write a crawl of ``pages`` pages into ``out``/crawl; returns ``out``."""
    rng = random.Random(seed)
    crawl = Path(out) / "crawl"
    crawl.mkdir(parents=True, exist_ok=True)
    when = "2026-01-15T10:00:00+00:00"
    fetches = [FetchItem(url=f"{ORIGIN}/robots.txt", kind="robots", status=200,
                         content_type="text/plain", fetched_at=when),
               FetchItem(url=f"{ORIGIN}/sitemap.xml", kind="sitemap", status=200,
                         content_type="application/xml", fetched_at=when)]
    page_items, links, sitemap = [], [], []
    for i in range(pages):
        url = ORIGIN + _path(i)
        sitemap.append(SitemapItem(sitemap_url=f"{ORIGIN}/sitemap.xml", url=url))
        if i > len(NAV) and i % 211 == 0:  # an old address that now redirects
            fetches.append(FetchItem(url=url, kind="page", status=301, depth=1,
                                     location=ORIGIN + _path(i - 1), response_ms=3.0,
                                     fetched_at=when))
            continue
        if i > len(NAV) and i % 307 == 0:
            fetches.append(FetchItem(url=url, kind="page", status=404, depth=1,
                                     content_type="text/html", response_ms=4.0,
                                     fetched_at=when))
            continue
        if i > len(NAV) and i % 1009 == 0:
            fetches.append(FetchItem(url=url, kind="page", depth=1, fetched_at=when,
                                     error="TimeoutError: the server did not answer"))
            continue
        fetches.append(FetchItem(url=url, kind="page", status=200, depth=1,
                                 content_type="text/html; charset=utf-8", size=9000,
                                 response_ms=round(rng.uniform(20, 900), 1), fetched_at=when))
        hostile = i == 42
        title = (HOSTILE_TITLE if hostile else None if i % 401 == 0
                 else "Therapy articles | Blair Wellness Group" if i % 50 == 0
                 else f"Topic {i}: therapy in {AREAS[i % len(AREAS)]} | Blair Wellness Group")
        page_items.append(PageItem(
            url=url, title=title, title_count=0 if title is None else 1,
            meta_description=None if i % 13 == 0 else
            f"Notes on topic {i} from a Beverly Hills psychologist, with practical steps.",
            meta_description_count=0 if i % 13 == 0 else 1,
            lang="en", viewport="width=device-width, initial-scale=1",
            headings=[[1, f"Topic {i}"], [2, "What helps"], [2, "When to call"]],
            word_count=rng.randint(120, 1500),
            images=[{"src": f"/images/photo-{i % 40}.jpg",
                     "alt": None if i % 17 == 0 else "Office", "decorative": False}],
            nap=_nap(url, i) + ([{
                "field": "phone", "source": "jsonld", "zone": "schema", "raw": HOSTILE_JSONLD,
                "normalized": PHONE, "role": "business", "context": "MedicalBusiness telephone",
                "schema_type": "MedicalBusiness"}] if hostile else []),
            places=_places(i, rng)))
        for target in NAV:
            links.append(LinkItem(source_url=url, target_url=ORIGIN + target, element="a",
                                  scheme="https", anchor_text=target.strip("/") or "Home"))
        for step in (1,):
            target = ORIGIN + _path((i + step) % pages)
            links.append(LinkItem(source_url=url, target_url=target, element="a",
                                  scheme="https", anchor_text=f"Read topic {(i + step) % pages}"))
        links.append(LinkItem(source_url=url, target_url=f"{ORIGIN}/images/photo-{i % 40}.jpg",
                              element="img", scheme="https", alt="Office"))
        if i % 10 == 0:
            links.append(LinkItem(source_url=url, target_url=f"{EXTERNAL}/listing/{i % 30}",
                                  element="a", scheme="https", anchor_text="Our listing"))
        if hostile:
            links.append(LinkItem(source_url=url, target_url="javascript:alert(3)", element="a",
                                  scheme="javascript", anchor_text="<img src=x onerror=alert(2)>"))
            links.append(LinkItem(source_url=url, target_url=f"{ORIGIN}/gone-{HOSTILE_TITLE}/",
                                  element="a", scheme="https", anchor_text=HOSTILE_TITLE))
    fetches.append(FetchItem(url=f"{ORIGIN}/gone-{HOSTILE_TITLE}/", kind="page", status=404,
                             depth=2, content_type="text/html", fetched_at=when))
    for n in range(40):
        fetches.append(FetchItem(url=f"{ORIGIN}/images/photo-{n}.jpg", kind="resource",
                                 status=404 if n == 13 else 200, content_type="image/jpeg",
                                 fetched_at=when))
    for n in range(30):
        fetches.append(FetchItem(url=f"{EXTERNAL}/listing/{n}", kind="external", method="HEAD",
                                 status=403 if n == 3 else 404 if n == 4 else 200,
                                 fetched_at=when))
    _write(crawl / "fetches.jsonl", fetches)
    _write(crawl / "pages.jsonl", page_items)
    _write(crawl / "links.jsonl", links)
    _write(crawl / "sitemap.jsonl", sitemap)
    manifest = {"tool": "local-seo-audit", "version": "test", "start_url": ORIGIN + "/",
                "started": when, "finished": "2026-01-15T10:41:12+00:00", "duration_s": 2472.0,
                "robots_obeyed": True, "external_checked": True, "max_pages": 0, "max_depth": 0,
                "interrupted": False, "profile": None, "crawl_exit": 0}
    (crawl / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return Path(out)


@dataclass
class BuiltReport:
    """A fabricated crawl with its reports written, and how long writing them took."""

    out: Path
    summary: dict[str, Any]
    seconds: float


BIG_PAGES = 10_000
_built: dict[int, BuiltReport] = {}


def built_report(factory: Any, pages: int = BIG_PAGES) -> BuiltReport:
    """The crawl of ``pages`` pages, fabricated and reported once per test session (the 10,000
    page one takes ~20 s, and both the size test and the browser test need it)."""
    if pages not in _built:
        from audit.cli import build_reports

        out = fabricate_crawl(factory.mktemp(f"fabricated-{pages}"), pages=pages)
        started = time.monotonic()
        summary = build_reports(out)
        _built[pages] = BuiltReport(out, summary, time.monotonic() - started)
    return _built[pages]
