"""Load a crawl folder into pandas frames with a fixed schema (crawl once, audit many times).

Reads OUT/crawl/*.jsonl as written by the spider. A crawl killed mid-write may leave a torn last
line: it is skipped, everything before it is kept. Redirect chains, loops, final statuses and
click depth are derived here from the one-hop fetch records, so the crawl stays a plain record
of what the server said.

A 10,000-page crawl has some 300,000 link records, so records are read straight into columns
(never kept as a list of dicts) and every repeated string of a link column (the page a link is
on, its target, "a", "https") is one shared object. Columns no check or report reads are not
kept: the raw JSON-LD text, and the pages' NAP facts and place counts once they are tables of
their own (``nap`` and ``places``).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import pandas as pd

from audit.directives import header_canonicals, indexing_block
from spiders.extract import is_html, safe_join, site_key
from spiders.items import FetchItem, LinkItem, PageItem, SitemapItem

CRAWL_SUBDIR = "crawl"
MAX_REDIRECT_HOPS = 20
# External hosts that answer bots with these statuses are not saying the page is gone.
UNVERIFIED_STATUSES = frozenset({401, 403, 429, 999})
PAGE_KINDS = ("page", "resource")
# Page facts kept out of the pages frame: the raw JSON-LD text (nothing reads it; ``schema``
# holds what was parsed from it), and nap and places, which become frames of their own.
PAGE_FACTS_DROPPED = ("jsonld", "nap", "places")
LINK_TEXT_COLUMNS = ("source_url", "target_url", "element", "scheme", "anchor_text", "rel",
                     "alt")


def _parse(line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    # What orjson refuses but the json module reads (NaN, lone surrogates, bytes that are not
    # UTF-8) is still a record; only a torn line is not. (orjson reads an integer beyond 64
    # bits as a float; no field of a crawl record gets near that.)
    try:
        return json.loads(line.decode("utf-8", errors="replace"))
    except ValueError:
        return None


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines file; a torn or corrupt line (from a killed crawl) is skipped."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        yield from _records(handle)


def _records(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The records among JSON Lines; blank, torn or corrupt lines are skipped."""
    for line in lines:
        line = line.strip()
        if line and isinstance(record := _parse(line), dict):
            yield record


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object file, or {} when it is absent (a killed crawl writes no state) or torn."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


class _Columns:
    """Records appended column by column. Values of the ``shared`` columns are made one object
    per distinct string: 300,000 links name a few thousand URLs."""

    def __init__(self, names: list[str], shared: Iterable[str] = ()) -> None:
        self.names = names
        self.columns: dict[str, list[Any]] = {name: [] for name in names}
        self.pool: dict[str, str] = {}
        self.shared = set(shared)

    def add(self, records: list[dict[str, Any]]) -> None:
        for name, values in self.columns.items():
            got = [record.get(name) for record in records]
            if name in self.shared:
                keep = self.pool.setdefault
                got = [keep(value, value) if type(value) is str else value for value in got]
            values.extend(got)

    def frame(self) -> pd.DataFrame:
        """The records as a frame; the lists are let go (they are copied into the frame)."""
        columns, self.columns, self.pool = self.columns, {}, {}
        return _table(columns, self.names)


def _names(item_class: type) -> list[str]:
    return [f.name for f in fields(item_class)]


def _table(columns: dict[str, list[Any]], names: list[str]) -> pd.DataFrame:
    """One DataFrame from whole columns: pandas infers each column's dtype once, over all
    rows, as DataFrame.from_records over every record did."""
    if not any(columns.values()):
        # no rows: object columns (a DataFrame of empty lists would make them float)
        return pd.DataFrame.from_records([], columns=names)
    return pd.DataFrame(columns, columns=names)


@dataclass
class Resolution:
    final_url: str
    final_status: int | None
    hops: list[list[Any]]  # [[url, status], ...] for each redirect answered on the way
    loop: bool
    error: str | None
    blocked_by_robots: bool
    fetched: bool
    challenged: bool = False


def resolve_all(fetches: pd.DataFrame) -> dict[str, Resolution]:
    """Follow every URL's redirects through the fetch records to where it ends."""
    by_url: dict[str, dict[str, Any]] = {}
    names = ["url", "location", "status", "error", "blocked_by_robots", "challenged"]
    values = [[None if _missing(v) else v for v in fetches[name].tolist()] for name in names]
    for row in zip(*values, strict=True):
        if row[0] not in by_url:
            by_url[row[0]] = dict(zip(names, row, strict=True))
    resolved: dict[str, Resolution] = {}
    for start in by_url:
        hops: list[list[Any]] = []
        seen = {start}
        url = start
        loop = False
        while True:
            record = by_url.get(url)
            location = record.get("location") if record else None
            if not record or not location or len(hops) >= MAX_REDIRECT_HOPS:
                break
            hops.append([url, _int(record.get("status"))])
            if location in seen:
                loop = True
                url = location
                break
            seen.add(location)
            url = location
        record = by_url.get(url) or {}
        resolved[start] = Resolution(
            final_url=url,
            final_status=None if loop else _int(record.get("status")),
            hops=hops, loop=loop,
            error="redirect loop" if loop else record.get("error"),
            blocked_by_robots=bool(record.get("blocked_by_robots")),
            fetched=bool(record), challenged=bool(record.get("challenged")))
    return resolved


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _int(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)


def link_state(res: Resolution | None, internal: bool) -> tuple[bool, bool]:
    """(broken, unverified) for a link target, from where its redirects end."""
    if res is None or not res.fetched:
        return False, False
    if res.loop:
        return True, False
    if res.blocked_by_robots:
        # The site's own robots.txt forbids it: the owner's choice, nothing to report.
        # (External checks never consult robots.txt.)
        return False, False
    status = res.final_status
    if status is None:
        if not internal and (res.error or "").startswith("timed out"):
            return False, True  # a slow host is not a missing page
        # No answer at all: DNS failure, refused connection, a page of the site timing out.
        return True, False
    if res.challenged or status in (429, 999) or (not internal and status in UNVERIFIED_STATUSES):
        # A bot challenge or rate limit, even from the site itself, says nothing of the page.
        return False, True
    return status >= 400, False


class Frames(dict):
    """The named frames of one audit; ``frames.pages`` etc. for reading, None when absent."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


class CrawlReader:
    """OUT/crawl's record files, read into columns as they grow; ``frames()`` ends the load.

    While a crawl runs, ``poll()`` takes in the complete lines written since the last call, so
    most of the reading is done by the time the crawl ends (seo-audit crawl does this on a
    low-priority thread). ``frames()`` reads the rest, a torn last line included, and builds
    the frames: the same result as reading the finished files in one go (``load``).

    Appending only: a file must not be rewritten while it is read. A new crawl's files are
    removed before it starts (``spiders.items.RECORD_FILES``); a resumed crawl appends to them.
    """

    CHUNK = 1 << 20  # bytes read at a time: a bounded number of parsed records alive

    def __init__(self, out_dir: Path) -> None:
        self.crawl = Path(out_dir) / CRAWL_SUBDIR
        self._fetches = _Columns(_names(FetchItem))
        self._links = _Columns(_names(LinkItem), shared=LINK_TEXT_COLUMNS)
        self._sitemap = _Columns(_names(SitemapItem))
        self._pages = _PageReader()
        self._sinks: dict[str, Callable[[list[dict[str, Any]]], None]] = {
            "fetches.jsonl": self._fetches.add, "pages.jsonl": self._pages.add_all,
            "links.jsonl": self._links.add, "sitemap.jsonl": self._sitemap.add}
        self._handles: dict[str, IO[bytes]] = {}
        self._partial: dict[str, bytes] = {}  # the start of a line not yet written in full

    def poll(self) -> None:
        """Take in every complete line written since the last call."""
        for name in self._sinks:
            self._read(name)

    def _read(self, name: str, final: bool = False) -> None:
        handle = self._handles.get(name)
        if handle is None:
            try:
                handle = self._handles[name] = (self.crawl / name).open("rb")
            except FileNotFoundError:
                return
        while chunk := handle.read(self.CHUNK):
            data = self._partial.pop(name, b"") + chunk
            end = data.rfind(b"\n") + 1
            if end < len(data):
                self._partial[name] = data[end:]
            self._take(name, data[:end].split(b"\n"))
        if final:
            # The last line without its newline: a crawl killed mid-write (skipped when torn).
            self._take(name, [self._partial.pop(name, b"")])
            handle.close()

    def _take(self, name: str, lines: list[bytes]) -> None:
        records = list(_records(lines))
        if records:
            self._sinks[name](records)

    def frames(self) -> Frames:
        """Read the rest and build the frames (once: the records are let go as they become
        frames)."""
        for name in self._sinks:
            self._read(name, final=True)
        crawl = self.crawl
        manifest = read_json(crawl / "manifest.json")
        crawl_state = read_json(crawl / "spider_state.json")
        fetches = self._fetches.frame()
        page_facts, nap, places = self._pages.frames()
        # A resumed crawl may have recorded a page's links twice (killed before its fetch
        # record).
        links = self._links.frame().drop_duplicates(["source_url", "target_url", "element"])
        sitemap = self._sitemap.frame().drop_duplicates(["sitemap_url", "url"])
        resolved = resolve_all(fetches)
        start_url = manifest.get("start_url") or (fetches["url"].iloc[0] if len(fetches) else "")

        site = site_key(start_url) if start_url else ""
        links = _links_frame(links, resolved, site)
        pages = _pages_frame(fetches, page_facts, links, sitemap, resolved, start_url)
        return Frames(
            manifest=manifest, crawl_state=crawl_state, fetches=fetches, pages=pages,
            links=links, sitemap=sitemap, nap=nap, places=places, start_url=start_url,
            site=site, resolved=resolved, robots_txt=_robots_txt(crawl, fetches, resolved))


def _robots_txt(crawl: Path, fetches: pd.DataFrame,
                resolved: dict[str, Resolution]) -> dict[str, Any] | None:
    """The site's robots.txt as the crawl found it, its redirects followed (http to https): its
    URL, final status, error, whether bot protection answered instead, and text (the spider
    keeps the body of a 200 answer); None when it was never asked for."""
    robots = fetches.loc[fetches["kind"] == "robots", "url"].tolist()
    if not robots:
        return None
    answer = resolved.get(robots[0])
    if answer is None:
        return None
    text = None
    if answer.final_status == 200:
        try:
            text = (crawl / "robots.txt").read_bytes().decode("utf-8", "replace")
        except OSError:
            text = None
    return {"url": robots[0], "status": answer.final_status, "error": answer.error,
            "challenged": answer.challenged, "text": text}


def load(out_dir: Path) -> Frames:
    """Read OUT/crawl into the audit's frames: pages, links, sitemap, nap, places, fetches."""
    return CrawlReader(out_dir).frames()


_TARGET_COLUMNS = ["kind", "status", "final_url", "final_status", "redirect_hops",
                   "redirect_chain", "redirect_loop", "error", "checked", "broken", "unverified"]


def _target_facts(target: str, scheme: str, resolved: dict[str, Resolution],
                  site: str) -> dict[str, Any]:
    """What became of one link target: where its redirects end, broken or unverified."""
    if scheme not in ("http", "https"):
        return {"kind": "other", "status": None, "final_url": None, "final_status": None,
                "redirect_hops": 0, "redirect_chain": [], "redirect_loop": False,
                "error": None, "checked": False, "broken": False, "unverified": False}
    internal = site_key(target) == site
    res = resolved.get(target)
    broken, unverified = link_state(res, internal)
    return {
        "kind": "internal" if internal else "external",
        "status": res.hops[0][1] if res and res.hops else (res.final_status if res else None),
        "final_url": res.final_url if res else None,
        "final_status": res.final_status if res else None,
        "redirect_hops": len(res.hops) if res else 0,
        "redirect_chain": res.hops if res else [],
        "redirect_loop": bool(res and res.loop),
        "error": res.error if res else None,
        "checked": bool(res and res.fetched),
        "broken": broken,
        "unverified": unverified,
    }


def _links_frame(links: pd.DataFrame, resolved: dict[str, Resolution],
                 site: str) -> pd.DataFrame:
    # Resolved once per distinct target and joined: a site has far fewer targets than links
    # (every page repeats the menu), and no per-link dicts are built.
    targets = links[["target_url", "scheme"]].drop_duplicates("target_url")
    facts = pd.DataFrame.from_records(
        [_target_facts(t, s, resolved, site) for t, s in targets.itertuples(index=False)],
        columns=_TARGET_COLUMNS, index=pd.Index(targets["target_url"], name="target_url"))
    frame = links.join(facts, on="target_url")
    frame["status"] = frame["status"].astype("Int64")
    frame["final_status"] = frame["final_status"].astype("Int64")
    frame["redirect_hops"] = frame["redirect_hops"].fillna(0).astype(int)
    return _with_bool_dtypes(frame.reset_index(drop=True), _LINK_FLAGS)


def _click_depths(links: pd.DataFrame, start_url: str,
                  resolved: dict[str, Resolution]) -> dict[str, int]:
    """Shortest number of clicks from the start page, following internal <a> links."""
    graph: dict[str, list[str]] = {}
    followed = links.loc[(links["element"] == "a") & (links["kind"] == "internal")]
    # Plain lists: iterating pandas' string arrays element by element is slow.
    for source, final_url, target in zip(followed["source_url"].tolist(),
                                         followed["final_url"].tolist(),
                                         followed["target_url"].tolist(), strict=True):
        graph.setdefault(source, []).append(final_url or target)
    start = resolved[start_url].final_url if start_url in resolved else start_url
    depths = {start_url: 0, start: 0}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        for target in graph.get(url, ()):
            if target not in depths:
                depths[target] = depths[url] + 1
                queue.append(target)
    return depths


def _pages_frame(fetches: pd.DataFrame, facts: pd.DataFrame, links: pd.DataFrame,
                 sitemap: pd.DataFrame, resolved: dict[str, Resolution],
                 start_url: str) -> pd.DataFrame:
    pages = fetches[fetches["kind"].isin(PAGE_KINDS)].drop_duplicates("url").copy()
    pages = pages.merge(facts, on="url", how="left")
    pages["status"] = pages["status"].astype("Int64")
    pages["extracted"] = pages["title_count"].notna()
    pages["is_html"] = pages["extracted"] | pages["content_type"].map(
        lambda ct: isinstance(ct, str) and is_html(ct, b""))
    pages["ok"] = pages["status"].fillna(0).between(200, 299)
    pages["title_length"] = pages["title"].map(lambda t: len(t) if isinstance(t, str) else 0)
    pages["meta_description_length"] = pages["meta_description"].map(
        lambda t: len(t) if isinstance(t, str) else 0)
    h1s = pages["headings"].map(
        lambda hs: [text for level, text in hs if level == 1] if isinstance(hs, list) else [])
    pages["h1"] = h1s.map(" | ".join)
    pages["h1_count"] = h1s.map(len)
    now = datetime.now(UTC)
    blocks = [indexing_block(meta, header, now) if isinstance(meta, str)
              or isinstance(header, str) else None
              for meta, header in zip(pages["meta_robots"].tolist(),
                                      pages["x_robots_tag"].tolist(), strict=True)]
    pages["noindex"] = [block is not None for block in blocks]
    pages["noindex_reason"] = [block.describe() if block else None for block in blocks]
    pages["canonical"] = _effective_canonicals(pages)
    pages["canonical_elsewhere"] = [
        isinstance(canonical, str) and _norm(canonical) != _norm(url)
        for canonical, url in zip(pages["canonical"].tolist(), pages["url"].tolist(), strict=True)]
    pages["indexable"] = (pages["ok"] & pages["extracted"] & ~pages["noindex"]
                          & ~pages["canonical_elsewhere"])
    pages["in_sitemap"] = pages["url"].isin(set(sitemap["url"].tolist()))
    pages["inlinks"] = _inlinks(links, pages["url"])
    depths = _click_depths(links, start_url, resolved)
    pages["link_depth"] = pages["url"].map(depths).astype("Int64")
    pages["final_url"] = pages["url"].map(lambda u: resolved[u].final_url if u in resolved else u)
    pages["redirect_hops"] = pages["url"].map(lambda u: len(resolved[u].hops)
                                              if u in resolved else 0)
    return _with_bool_dtypes(pages.reset_index(drop=True), _PAGE_FLAGS)


def _inlinks(links: pd.DataFrame, urls: pd.Series) -> pd.Series:
    """For each URL, how many other pages link to it with <a>. A link counts for the address
    it names and for the page its redirects end on; a page linking twice counts once."""
    a = links.loc[links["element"] == "a", ["source_url", "target_url", "final_url"]]
    a = a[a["source_url"] != a["target_url"]]
    # Pairs of integer codes, not of strings: ~300,000 links on a 10,000-page site.
    codes, uniques = pd.factorize(
        pd.concat([a["source_url"], a["target_url"], a["final_url"]], ignore_index=True))
    count = len(a)
    sources, targets, finals = codes[:count], codes[count:2 * count], codes[2 * count:]
    named = np.concatenate([targets, finals])
    linking = np.concatenate([sources, sources]).astype(np.int64)
    known = named >= 0  # a link without a final URL (not fetched) counts once
    pairs = np.unique(linking[known] * max(len(uniques), 1) + named[known])
    # one more slot, 0, for the URLs no link names (get_indexer's -1 picks it)
    per_url = np.bincount(pairs % max(len(uniques), 1), minlength=len(uniques) + 1)
    per_url[len(uniques):] = 0
    found = pd.Index(uniques).get_indexer(urls)
    return pd.Series(per_url[found], index=urls.index, dtype=int)


_PAGE_FLAGS = ("extracted", "is_html", "ok", "noindex", "canonical_elsewhere", "indexable",
               "in_sitemap", "blocked_by_robots", "challenged")
_LINK_FLAGS = ("redirect_loop", "checked", "broken", "unverified")


def _with_bool_dtypes(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Flags as real booleans, so that masks select rows even when a frame is empty (an
    empty object-typed mask would select columns instead)."""
    for column in columns:
        frame[column] = frame[column].fillna(False).astype(bool)
    return frame


def _effective_canonicals(pages: pd.DataFrame) -> list[Any]:
    """Each page's canonical: its first <head> canonical, else the Link header's."""
    found = pages["canonical"].tolist()
    for i, (canonical, header, url) in enumerate(zip(
            found, pages["link_header"].tolist(), pages["url"].tolist(), strict=True)):
        if not isinstance(canonical, str) and isinstance(header, str):
            declared = header_canonicals(header)
            if declared:
                found[i] = safe_join(url, declared[0])
    return found


def _norm(url: str) -> str:
    return url.rstrip("/") or url


NAP_COLUMNS = ["url", "field", "source", "zone", "raw", "normalized", "role", "context"]
PLACES_COLUMNS = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]


class _PageReader:
    """pages.jsonl as three tables, read in one pass: the pages' own facts, their NAP facts
    (one row each) and their place mentions (one row per page and term).

    Each page's nested NAP facts and place counts become rows as the page is read and are
    then dropped: a 10,000-page crawl holds ~90,000 NAP facts, and as parsed dicts they took
    more memory than all other tables together. Their strings (the practice's phone and the
    footer text around it, on every page) are kept as one object per distinct text.
    """

    def __init__(self) -> None:
        self.names = [f.name for f in fields(PageItem) if f.name not in PAGE_FACTS_DROPPED]
        self.pages: dict[str, list[Any]] = {name: [] for name in self.names}
        # NAP facts' keys vary (tel facts add anchor_normalized, markup adds schema_type): a
        # column per key in order of first appearance, NaN where a fact lacks the key, as
        # DataFrame.from_records made them.
        self.nap: dict[str, list[Any]] = {}
        self.nap_rows = 0
        self.places: dict[str, list[Any]] = {name: [] for name in PLACES_COLUMNS}
        self.pool: dict[str, str] = {}
        self.seen: set[Any] = set()

    def add(self, record: dict[str, Any]) -> None:
        url = record.get("url")
        if url in self.seen:  # a page recorded twice (a resumed crawl): the first one counts
            return
        self.seen.add(url)
        for name, values in self.pages.items():
            values.append(record.get(name))
        nap = record.get("nap")
        if isinstance(nap, list):
            for fact in nap:
                self._add_fact(dict(fact, url=url))
        places = record.get("places")
        if isinstance(places, dict):
            self._add_places(url, places)

    def add_all(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.add(record)

    def _add_fact(self, fact: dict[str, Any]) -> None:
        columns, keep = self.nap, self.pool.setdefault
        if not fact.keys() <= columns.keys():
            for key in fact:
                columns.setdefault(key, [np.nan] * self.nap_rows)
        for key, values in columns.items():
            value = fact.get(key, np.nan)
            values.append(keep(value, value) if type(value) is str else value)
        self.nap_rows += 1

    def _add_places(self, url: str, places: dict[str, Any]) -> None:
        terms: set[str] = set()
        for counts in places.values():
            terms.update(counts)
        title, h1 = places.get("title", {}), places.get("h1", {})
        description, body = places.get("meta_description", {}), places.get("body", {})
        columns = self.places
        for term in sorted(terms):
            columns["url"].append(url)
            columns["term"].append(term)
            columns["in_title"].append(title.get(term, 0) > 0)
            columns["in_h1"].append(h1.get(term, 0) > 0)
            columns["in_meta_description"].append(description.get(term, 0) > 0)
            columns["body_count"].append(body.get(term, 0))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The three tables; each one's lists are let go as soon as it is made."""
        pages = _table(self.pages, self.names)
        self.pages = {}
        nap = _table(self.nap, list(self.nap))
        self.nap, self.pool = {}, {}
        for column in NAP_COLUMNS:
            if column not in nap:
                nap[column] = None
        places = _table(self.places, PLACES_COLUMNS)
        self.places = {}
        return pages, nap, places
