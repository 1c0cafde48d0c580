"""Load a crawl folder into pandas frames with a fixed schema (crawl once, audit many times).

Reads OUT/crawl/*.jsonl as written by the spider. A crawl killed mid-write may leave a torn last
line: it is skipped, everything before it is kept. Redirect chains, loops, final statuses and
click depth are derived here from the one-hop fetch records, so the crawl stays a plain record
of what the server said.

A 10,000-page crawl has some 300,000 link records, so records are read straight into columns
(never kept as a list of dicts) and a link's text columns (the page a link is on, its target,
"a", "https") are numbers naming distinct values: links recorded twice, inlink counts and click
depths are worked out on those numbers. Columns no check or report reads are not kept: the raw
JSON-LD text, and the pages' NAP facts and place counts once they are tables of their own
(``nap`` and ``places``).

Whatever can be worked out one record at a time is, as the record is read (while the crawl
runs, see CrawlReader): each link target's site, each page's main headings. What is left for
the end is what needs every record: redirects, link states, inlinks and click depths.
"""

from __future__ import annotations

import ctypes
import json
from array import array
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
PAGE_FACTS_DROPPED = ("jsonld", "nap", "places", "us_places")
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


def release_freed_memory() -> None:
    """Hand the memory freed so far back to the system (glibc's malloc_trim; elsewhere
    nothing). The C heap keeps what numpy and pandas free for reuse, some 30 MB once the
    frames are built from the records; a forked child (reports.write) counts every page its
    parent holds as its own."""
    if glibc := _glibc():
        glibc.malloc_trim(0)


# glibc's mallopt parameter, and the size from which a block gets pages of its own. The
# columns of a large links frame are megabytes each; a lower size (glibc's own start is 128 KB)
# also maps the many smaller arrays the checks make and drop, whose fresh pages cost system
# time (a 700,000-link report: 256 KB held 7 MB less at its peak than 4 MB, for 1 s more of
# system time).
_M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 4 << 20


def map_large_blocks() -> None:
    """Have every block of LARGE_BLOCK bytes or more (a column of the links frame, a mask, a
    sort's buffer) mapped on its own, so that its pages go back to the system as soon as it
    is freed (glibc; elsewhere nothing). By default glibc raises that size to the largest
    block freed so far: once the first column of a 700,000-link frame is freed, later ones
    come from the heap, and what the checks free there stayed in the process (45 MB of a
    10,000-page site's by the end of the checks). Setting the size keeps it fixed."""
    if glibc := _glibc():
        glibc.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)


def _glibc() -> Any:
    """The C library when it is glibc (malloc_trim and mallopt are its own), else None."""
    global _libc
    if _libc is None:
        try:
            libc = ctypes.CDLL(None)
        except OSError:  # Windows
            libc = None
        # not glibc (macOS, musl): neither is there
        _libc = libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else False
    return _libc or None


_libc: Any = None


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object file, or {} when it is absent (a killed crawl writes no state) or torn."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


class _Columns:
    """Records appended column by column."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.columns: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, records: list[dict[str, Any]]) -> None:
        for name, values in self.columns.items():
            values.extend([record.get(name) for record in records])

    def frame(self) -> pd.DataFrame:
        """The records as a frame; the lists are let go (they are copied into the frame)."""
        columns, self.columns = self.columns, {}
        return _table(columns, self.names)


class _LinkColumns:
    """links.jsonl as columns. The text columns (LINK_TEXT_COLUMNS) are kept as int32 codes
    into one table of distinct values (-1 for None): 300,000 links name a few thousand URLs,
    so a link's text costs 4 bytes a column, links recorded twice are found by comparing
    numbers, and the inlink counts and click depths are worked out on them (``frame``). Each
    distinct target's site is worked out as the target first appears: while the crawl runs."""

    def __init__(self) -> None:
        self.names = _names(LinkItem)
        self.codes: dict[str, array] = {name: array("i") for name in LINK_TEXT_COLUMNS}
        self.other: dict[str, list[Any]] = {name: [] for name in self.names
                                            if name not in LINK_TEXT_COLUMNS}
        self.values: list[Any] = []  # code -> value
        # text -> code (and None -> -1); any other value gets a code of its own
        self.pool: dict[str | None, int] = {None: -1}
        self.mixed: set[str] = set()  # text columns that met a value other than text or None
        self.sites: dict[int, str] = {}  # target code -> site_key(target)

    def add(self, records: list[dict[str, Any]]) -> None:
        get = self.pool.get
        for name, codes in self.codes.items():
            try:  # -2: not text seen before, nor None (coded one by one below)
                coded = [get(record.get(name), -2) for record in records]
            except TypeError:  # a value that cannot be a dict key (a list)
                coded = [-2] * len(records)
            if -2 in coded:
                self._code_new(name, [record.get(name) for record in records], coded)
            codes.extend(coded)
            if name == "target_url":
                self._add_sites(coded)
        for name, values in self.other.items():
            values.extend([record.get(name) for record in records])

    def _code_new(self, name: str, got: list[Any], coded: list[int]) -> None:
        pool, values = self.pool, self.values
        for i, code in enumerate(coded):
            if code != -2:
                continue
            value = got[i]
            if value is None:
                code = -1
            elif type(value) is str:
                code = pool.get(value, -2)
                if code == -2:
                    code = pool[value] = len(values)
                    values.append(value)
            else:
                # 1, 1.0 and True are one key to a dict but not one value: never pooled
                self.mixed.add(name)
                code = len(values)
                values.append(value)
            coded[i] = code

    def _add_sites(self, coded: list[int]) -> None:
        sites, values = self.sites, self.values
        for code in set(coded).difference(sites):  # the targets not seen before
            value = values[code] if code >= 0 else None
            if type(value) is str:
                try:
                    sites[code] = site_key(value)
                except ValueError:
                    pass  # not a URL: left to _target_facts, which meets it as before

    def frame(self, resolved: dict[str, Resolution],
              site: str) -> tuple[pd.DataFrame, _LinkGraph]:
        """The links frame (links recorded twice dropped, each joined with what became of its
        target), and the <a> links as codes for the inlink counts and click depths. Once: the
        columns are let go."""
        codes = {name: np.frombuffer(column, dtype=np.int32) if len(column)
                 else np.empty(0, dtype=np.int32) for name, column in self.codes.items()}
        # A resumed crawl may have recorded a page's links twice (killed before its fetch
        # record): the first of each (page, target, element) counts.
        size = len(self.values) + 1
        element, _ = pd.factorize(codes["element"])  # 0, 1, ...: "a", "img", ...
        # ((source + 1) * size + target + 1) * elements + element, worked out in place
        key = codes["source_url"].astype(np.int64)
        key += 1
        key *= size
        key += codes["target_url"]
        key += 1
        key *= max(int(element.max(initial=0)) + 1, 1)
        key += element
        repeated = pd.Series(key).duplicated().to_numpy()
        del key, element
        values = np.fromiter(self.values + [None], dtype=object, count=size)
        # A column of text and None is a categorical of its distinct texts (None as NaN, as
        # pandas' "str" has it): a link's text costs two or four bytes, not an eight-byte
        # pointer (a 700,000-link crawl's text columns took some 40 MB more). A column only
        # of None stays object, and one with other values is inferred from them as a list.
        columns: dict[str, Any] = {}
        for name in self.names:
            if name not in codes:
                columns[name] = self.other[name]
            elif name in self.mixed:
                columns[name] = values[codes[name]].tolist()  # code -1 picks the last: None
            elif (codes[name] >= 0).any():
                columns[name] = _categorical(codes[name], self.values)
            else:
                columns[name] = values[codes[name]]
        # the codes still read: the rest (and their arrays) are let go
        codes = {name: codes[name] for name in ("source_url", "target_url", "element", "scheme")}
        pool, sites = self.pool, self.sites
        self.codes, self.other, self.values, self.pool, self.sites = {}, {}, [], {}, {}
        # dtypes inferred over every record, as before any is dropped
        links = _table(columns, self.names)
        del columns
        for name in links.columns.difference(list(LINK_TEXT_COLUMNS)):  # the count
            links[name] = _narrowest(links[name])
        if repeated.any():
            links = links[~repeated]
            codes = {name: column[~repeated] for name, column in codes.items()}
        # Resolved once per distinct target and joined: a site has far fewer targets than
        # links (every page repeats the menu), and no per-link dicts are built.
        target = codes["target_url"]
        first = np.flatnonzero(~pd.Series(target).duplicated().to_numpy())  # each target's
        target_codes = target[first]  # first link, in the order they appear
        targets = values[target_codes].tolist()
        schemes = values[codes["scheme"][first]].tolist()
        facts = pd.DataFrame.from_records(
            [_target_facts(t, s, resolved, site, sites.get(c))
             for t, s, c in zip(targets, schemes, target_codes.tolist(), strict=True)],
            columns=_TARGET_COLUMNS, index=pd.Index(targets, name="target_url"))
        row_of = np.zeros(size, dtype=np.int32)  # a target's code (-1: the last) -> its row
        row_of[target_codes] = np.arange(len(target_codes))
        # Typed per target, then repeated per link column by column (no frame of every link's
        # facts to copy again).
        typed = _with_bool_dtypes(facts.assign(
            status=_narrowest(facts["status"].astype("Int64")),
            final_status=_narrowest(facts["final_status"].astype("Int64")),
            redirect_hops=_narrowest(facts["redirect_hops"].fillna(0).astype(int))), _LINK_FLAGS)
        rows = row_of[target]
        frame = links.reset_index(drop=True)
        for name in _TARGET_COLUMNS:
            frame[name] = _repeated(typed[name], rows)
        del typed, rows
        # Where each followed link leads, as codes: final URLs no link names get codes too.
        finals = facts["final_url"].tolist()
        internal = (facts["kind"] == "internal").to_numpy(dtype=bool)
        dest = np.full(size, -1, dtype=np.int32)  # code -> final URL's code (-1: none)
        lead = np.full(size, -1, dtype=np.int32)  # code -> code of ``final_url or target``
        for code, name, final in zip(target_codes.tolist(), targets, finals, strict=True):
            if isinstance(final, str):
                dest[code] = pool.setdefault(final, len(pool) + size)
            # the click-depth walk follows ``final_url or target``: a missing final URL (NaN)
            # leads nowhere, an empty one to the target
            led = final or name
            if isinstance(led, str):
                lead[code] = pool.setdefault(led, len(pool) + size)
        is_a = codes["element"] == pool.get("a", -2)
        named = target[is_a]
        graph = _LinkGraph(
            pool=pool, size=len(pool) + size, sources=codes["source_url"][is_a],
            targets=named, finals=dest[named], leads=lead[named], internal=internal[row_of[named]])
        return frame, graph


def _categorical(codes: np.ndarray, values: list[Any]) -> pd.Categorical:
    """Codes into ``values`` (-1: None) as a categorical of the texts they name, sorted (so
    that it sorts, and groups, as the texts do)."""
    used = np.flatnonzero(np.bincount(codes + 1, minlength=len(values) + 1)[1:])
    texts = [values[code] for code in used.tolist()]
    order = sorted(range(len(texts)), key=texts.__getitem__)
    renumbered = np.full(len(values) + 1, -1, dtype=np.int32)  # the last slot: code -1
    renumbered[used[order]] = np.arange(len(order), dtype=np.int32)
    categories = pd.Index([texts[i] for i in order], dtype="str")
    return pd.Categorical.from_codes(renumbered[codes], dtype=pd.CategoricalDtype(categories))


def _narrowest(column: pd.Series) -> pd.Series:
    """An integer column (NumPy's or pandas' nullable) in the smallest signed type that holds
    its values: a link's count, statuses and redirect hops take a byte or two each, not eight
    (their values read the same; sums are taken in 64 bits)."""
    if not pd.api.types.is_integer_dtype(column.dtype) or column.isna().all():
        return column
    low, high = column.min(), column.max()
    masked = isinstance(column.dtype, pd.api.extensions.ExtensionDtype)
    for kind in (np.int8, np.int16, np.int32):
        if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
            return column.astype(kind.__name__.capitalize() if masked else kind)
    return column


def _repeated(column: pd.Series, rows: np.ndarray) -> Any:
    """A column of the link targets' facts, one row per link (``rows``: each link's target's
    row). Text is a categorical, as the links' own text columns are (see _categorical)."""
    if isinstance(column.dtype, pd.StringDtype):
        column = column.astype("category")  # sorted categories
        return pd.Categorical.from_codes(column.cat.codes.to_numpy()[rows], dtype=column.dtype)
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return column.array.take(rows)
    return column.to_numpy()[rows]


@dataclass
class _LinkGraph:
    """The <a> links as codes (LinkColumns.pool names them; -1: none): where each is, the
    address it names, where its redirects end, where the click-depth walk goes, and whether
    its target is of the site."""

    pool: dict[str | None, int]
    size: int  # more than any code
    sources: np.ndarray
    targets: np.ndarray
    finals: np.ndarray
    leads: np.ndarray
    internal: np.ndarray

    def code(self, url: Any) -> int:
        return self.pool.get(url, -1) if type(url) is str else -1


def _names(item_class: type) -> list[str]:
    return [f.name for f in fields(item_class)]


def _table(columns: dict[str, Any], names: list[str]) -> pd.DataFrame:
    """One DataFrame from whole columns (lists, or arrays made for it): pandas infers each
    column's dtype once, over all rows, as DataFrame.from_records over every record did."""
    if not any(len(values) for values in columns.values()):
        # no rows: object columns (a DataFrame of empty lists would make them float)
        return pd.DataFrame.from_records([], columns=names)
    # an array is taken as it is, not copied: nothing else holds it
    return pd.DataFrame(columns, columns=names, copy=False)


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
        map_large_blocks()  # the process that reads a crawl builds and drops large arrays
        self.crawl = Path(out_dir) / CRAWL_SUBDIR
        self._fetches = _Columns(_names(FetchItem))
        self._links = _LinkColumns()
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
        release_freed_memory()  # the records read: the frames are built on top of what is left
        crawl = self.crawl
        manifest = read_json(crawl / "manifest.json")
        crawl_state = read_json(crawl / "spider_state.json")
        fetches = self._fetches.frame()
        page_facts, nap, places, us_places = self._pages.frames()
        sitemap = self._sitemap.frame().drop_duplicates(["sitemap_url", "url"])
        resolved = resolve_all(fetches)
        start_url = manifest.get("start_url") or (fetches["url"].iloc[0] if len(fetches) else "")

        site = site_key(start_url) if start_url else ""
        links, graph = self._links.frame(resolved, site)
        pages = _pages_frame(fetches, page_facts, graph, sitemap, resolved, start_url)
        frames = Frames(
            manifest=manifest, crawl_state=crawl_state, fetches=fetches, pages=pages,
            links=links, sitemap=sitemap, nap=nap, places=places, us_places=us_places,
            start_url=start_url,
            site=site, resolved=resolved, robots_txt=_robots_txt(crawl, fetches, resolved))
        release_freed_memory()  # the records' lists and the building's intermediates
        return frames


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
                  site: str, target_site: str | None = None) -> dict[str, Any]:
    """What became of one link target: where its redirects end, broken or unverified.
    ``target_site``: site_key(target) when already worked out."""
    if scheme not in ("http", "https"):
        return {"kind": "other", "status": None, "final_url": None, "final_status": None,
                "redirect_hops": 0, "redirect_chain": [], "redirect_loop": False,
                "error": None, "checked": False, "broken": False, "unverified": False}
    internal = (target_site if target_site is not None else site_key(target)) == site
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


def _click_depths(graph: _LinkGraph, start_url: str, resolved: dict[str, Resolution],
                  urls: list[Any]) -> pd.Series:
    """Shortest number of clicks from the start page to each of ``urls``, following internal
    <a> links (to where their redirects end); NA where no link path leads."""
    start = resolved[start_url].final_url if start_url in resolved else start_url
    size = graph.size
    followed = graph.internal & (graph.leads >= 0)
    sources, leads = graph.sources[followed], graph.leads[followed]
    depth = np.full(size + 1, -1, dtype=np.int64)  # one more slot for -1: no code
    depth[graph.code(start_url)] = 0  # reached, never walked from (it redirects to start)
    depth[size] = -1  # (the slot of no code, set just above if start_url has none)
    begin = graph.code(start)
    if begin >= 0:
        # Breadth first, a whole level at a time: the links as one sorted edge list, each
        # level's targets gathered by index.
        order = np.argsort(sources, kind="stable")
        sources, leads = sources[order], leads[order]
        offsets = np.searchsorted(sources, np.arange(size + 1))
        depth[begin] = 0
        level, frontier = 0, np.array([begin])
        while frontier.size:
            low, counts = offsets[frontier], offsets[frontier + 1] - offsets[frontier]
            total = int(counts.sum())
            if not total:
                break
            ends = np.cumsum(counts)
            reached = leads[np.repeat(low - ends + counts, counts) + np.arange(total)]
            reached = np.unique(reached)
            frontier = reached[depth[reached] < 0]
            level += 1
            depth[frontier] = level
    found = depth[[graph.code(url) for url in urls]]
    result = pd.array(np.where(found < 0, 0, found), dtype="Int64")
    result[found < 0] = pd.NA
    result[[url in (start_url, start) for url in urls]] = 0
    return result


def _pages_frame(fetches: pd.DataFrame, facts: pd.DataFrame, graph: _LinkGraph,
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
    # each page's <h1> texts were found as it was read (_PageReader)
    h1, h1_count = pages.pop("_h1"), pages.pop("_h1_count")
    pages["h1"] = h1.fillna("")
    # (no pages: left as the empty object column it is)
    pages["h1_count"] = h1_count.fillna(0).astype(np.int64) if len(pages) else h1_count
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
    urls = pages["url"].tolist()
    per_code = _inlink_counts(graph.sources, graph.targets, graph.finals, graph.size)
    pages["inlinks"] = pd.Series(per_code[[graph.code(url) for url in urls]],
                                 index=pages.index, dtype=int)
    pages["link_depth"] = _click_depths(graph, start_url, resolved, urls)
    pages["final_url"] = pages["url"].map(lambda u: resolved[u].final_url if u in resolved else u)
    pages["redirect_hops"] = pages["url"].map(lambda u: len(resolved[u].hops)
                                              if u in resolved else 0)
    return _with_bool_dtypes(pages.reset_index(drop=True), _PAGE_FLAGS)


def _inlinks(links: pd.DataFrame, urls: pd.Series) -> pd.Series:
    """For each URL, how many other pages link to it with <a>. A link counts for the address
    it names and for the page its redirects end on; a page linking twice counts once. (The
    loader counts on the codes it reads links into; this is the same count on a frame.)"""
    a = links.loc[links["element"] == "a", ["source_url", "target_url", "final_url"]]
    codes, uniques = pd.factorize(
        pd.concat([a["source_url"], a["target_url"], a["final_url"]], ignore_index=True))
    count = len(a)
    per_code = _inlink_counts(codes[:count], codes[count:2 * count], codes[2 * count:],
                              len(uniques))
    found = pd.Index(uniques).get_indexer(urls)
    return pd.Series(per_code[found], index=urls.index, dtype=int)


def _inlink_counts(sources: np.ndarray, targets: np.ndarray, finals: np.ndarray,
                   size: int) -> np.ndarray:
    """Per URL code (0 to size - 1, then 0 for -1: no code), how many distinct other pages'
    <a> links name it or end on it. Pairs of integer codes, not of strings: ~300,000 links on
    a 10,000-page site."""
    other = sources != targets
    sources, targets, finals = sources[other], targets[other], finals[other]
    base = max(size, 1)
    # (page, address named) and (page, where the redirects end) as one number each; a link
    # without a final URL (not fetched) counts once, and so does one whose final URL is the
    # address it names
    named = targets >= 0
    redirected = (finals >= 0) & (finals != targets)
    pairs = np.concatenate([sources[named], sources[redirected]]).astype(np.int64)
    pairs *= base
    pairs += np.concatenate([targets[named], finals[redirected]])
    # the distinct pairs: sorted, each kept where it differs from the one before (a hash
    # table of 300,000 pairs took 12 MB more at once)
    pairs.sort()
    pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] if len(pairs) else pairs
    # one more slot, 0, for the URLs no link names (code -1 picks it)
    per_code = np.bincount(pairs % base, minlength=size + 1)
    per_code[size:] = 0
    return per_code


_PAGE_FLAGS = ("extracted", "is_html", "ok", "noindex", "canonical_elsewhere", "indexable",
               "in_sitemap", "blocked_by_robots", "challenged", "rendered")
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
# Page facts that are lists of small items, mostly the same on every page: one object each.
_SHARED_ITEMS = ("headings", "images")
# Whole values shared the same way (a dict equal to one read before is that one); nothing may
# change them in place.
_SHARED_WHOLE = ("schema", "compliance")


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
        # a page's <h1> texts, joined, and their number: what the pages frame shows of the
        # headings, found as the page is read (the pages frame moves them to h1, h1_count)
        self.h1: list[str] = []
        self.h1_count: list[int] = []
        # NAP facts' keys vary (tel facts add anchor_normalized, markup adds schema_type): a
        # column per key in order of first appearance, NaN where a fact lacks the key, as
        # DataFrame.from_records made them.
        self.nap: dict[str, list[Any]] = {}
        self.nap_rows = 0
        self.places: dict[str, list[Any]] = {name: [] for name in PLACES_COLUMNS}
        # US place names and profile areas (audit.usplaces): terms are lookup keys, shared
        self.us_places: dict[str, list[Any]] = {name: [] for name in PLACES_COLUMNS}
        self.terms: dict[str, str] = {}
        self.pool: dict[str, str] = {}
        self.items: dict[tuple[Any, ...], Any] = {}  # see _shared
        self.wholes: dict[bytes, Any] = {}  # see _shared_whole
        self.seen: set[Any] = set()

    def add(self, record: dict[str, Any]) -> None:
        url = record.get("url")
        if url in self.seen:  # a page recorded twice (a resumed crawl): the first one counts
            return
        self.seen.add(url)
        for name in _SHARED_ITEMS:
            items = record.get(name)
            if type(items) is list:
                record[name] = self._shared(items)
        for name in _SHARED_WHOLE:
            value = record.get(name)
            if type(value) is dict:
                record[name] = self._shared_whole(value)
        for name, values in self.pages.items():
            values.append(record.get(name))
        headings = record.get("headings")
        h1s = [text for level, text in headings if level == 1] if isinstance(
            headings, list) else []
        self.h1.append(" | ".join(h1s))
        self.h1_count.append(len(h1s))
        nap = record.get("nap")
        if isinstance(nap, list):
            for fact in nap:
                self._add_fact(dict(fact, url=url))
        places = record.get("places")
        if isinstance(places, dict):
            self._add_places(url, places, self.places)
        us_places = record.get("us_places")
        if isinstance(us_places, dict) and us_places:
            self._add_places(url, us_places, self.us_places)

    def add_all(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.add(record)

    def _shared_whole(self, value: dict[str, Any]) -> dict[str, Any]:
        """A page's schema summary or compliance facts, replaced by an equal one read before:
        a theme's microdata gives every page of a kind the same twenty nodes (85 MB of a
        10,000-page WordPress site's records, before they were shared)."""
        try:
            key = orjson.dumps(value)
        except TypeError:  # what orjson cannot write is kept as it is
            return value
        return self.wholes.setdefault(key, value)

    def _shared(self, items: list[Any]) -> list[Any]:
        """A page's headings or images, each one that equals one read before replaced by
        that one: the menu's and footer's come back on every page (98,000 headings of a
        10,000-page site have 7,000 texts, its 35,000 images 500 alt texts)."""
        keep = self.items.setdefault
        shared = []
        for item in items:
            kind = type(item)
            try:  # equal and of the same types (1, 1.0 and True are one key, not one value)
                key = ((kind, *item.items(), *map(type, item.values())) if kind is dict
                       else (kind, *item, *map(type, item)))
                shared.append(keep(key, item))
            except TypeError:  # a value that is no dict key (a list), or no list or dict
                shared.append(item)
        return shared

    def _add_fact(self, fact: dict[str, Any]) -> None:
        columns, keep = self.nap, self.pool.setdefault
        if not fact.keys() <= columns.keys():
            for key in fact:
                columns.setdefault(key, [np.nan] * self.nap_rows)
        for key, values in columns.items():
            value = fact.get(key, np.nan)
            values.append(keep(value, value) if type(value) is str else value)
        self.nap_rows += 1

    def _add_places(self, url: str, places: dict[str, Any],
                    columns: dict[str, list[Any]]) -> None:
        terms: set[str] = set()
        for counts in places.values():
            terms.update(counts)
        title, h1 = places.get("title", {}), places.get("h1", {})
        description, body = places.get("meta_description", {}), places.get("body", {})
        keep = self.terms.setdefault
        for term in sorted(terms):
            columns["url"].append(url)
            columns["term"].append(keep(term, term))
            columns["in_title"].append(title.get(term, 0) > 0)
            columns["in_h1"].append(h1.get(term, 0) > 0)
            columns["in_meta_description"].append(description.get(term, 0) > 0)
            columns["body_count"].append(body.get(term, 0))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The four tables; each one's lists are let go as soon as it is made."""
        pages = _table({**self.pages, "_h1": self.h1, "_h1_count": self.h1_count},
                       [*self.names, "_h1", "_h1_count"])
        self.pages, self.h1, self.h1_count = {}, [], []
        nap = _table(self.nap, list(self.nap))
        self.nap, self.pool, self.items, self.wholes = {}, {}, {}, {}
        for column in NAP_COLUMNS:
            if column not in nap:
                nap[column] = None
        places = _table(self.places, PLACES_COLUMNS)
        self.places = {}
        us_places = _table(self.us_places, PLACES_COLUMNS)
        self.us_places, self.terms = {}, {}
        return pages, nap, places, us_places
