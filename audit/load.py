"""Load a crawl folder into pandas frames with a fixed schema (crawl once, audit many times).

Reads OUT/crawl/*.jsonl as written by the spider. A crawl killed mid-write may leave a torn last
line: it is skipped, everything before it is kept. Redirect chains, loops, final statuses and
click depth are derived here from the one-hop fetch records, so the crawl stays a plain record
of what the server said.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from spiders.extract import is_html, site_key
from spiders.items import FetchItem, LinkItem, PageItem, SitemapItem

CRAWL_SUBDIR = "crawl"
MAX_REDIRECT_HOPS = 20
# External hosts that answer bots with these statuses are not saying the page is gone.
UNVERIFIED_STATUSES = frozenset({401, 403, 429, 999})
PAGE_KINDS = ("page", "resource")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines file; a torn or corrupt line (from a killed crawl) is skipped."""
    if not path.exists():
        return
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object file, or {} when it is absent (a killed crawl writes no state) or torn."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _frame(path: Path, item_class: type) -> pd.DataFrame:
    columns = [f.name for f in fields(item_class)]
    return pd.DataFrame.from_records(list(read_jsonl(path)), columns=columns)


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
    for record in fetches.astype(object).where(fetches.notna(), None).to_dict("records"):
        by_url.setdefault(record["url"], record)
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


def load(out_dir: Path) -> Frames:
    """Read OUT/crawl into the audit's frames: pages, links, sitemap, nap, places, fetches."""
    crawl = Path(out_dir) / CRAWL_SUBDIR
    manifest = read_json(crawl / "manifest.json")
    crawl_state = read_json(crawl / "spider_state.json")
    fetches = _frame(crawl / "fetches.jsonl", FetchItem)
    page_facts = _frame(crawl / "pages.jsonl", PageItem).drop_duplicates("url")
    # A resumed crawl may have recorded a page's links twice (killed before its fetch record).
    links = _frame(crawl / "links.jsonl", LinkItem).drop_duplicates(
        ["source_url", "target_url", "element"])
    sitemap = _frame(crawl / "sitemap.jsonl", SitemapItem).drop_duplicates()
    resolved = resolve_all(fetches)
    start_url = manifest.get("start_url") or (fetches["url"].iloc[0] if len(fetches) else "")

    site = site_key(start_url) if start_url else ""
    links = _links_frame(links, resolved, site)
    pages = _pages_frame(fetches, page_facts, links, sitemap, resolved, start_url)
    return Frames(
        manifest=manifest, crawl_state=crawl_state, fetches=fetches, pages=pages, links=links,
        sitemap=sitemap,
        nap=_explode_nap(page_facts), places=_explode_places(page_facts),
        start_url=start_url, site=site)


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
    for source, final_url, target in links.loc[
            (links["element"] == "a") & (links["kind"] == "internal"),
            ["source_url", "final_url", "target_url"]].itertuples(index=False):
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
    pages["noindex"] = [
        _says_noindex(meta) or _says_noindex(header)
        for meta, header in zip(pages["meta_robots"], pages["x_robots_tag"], strict=True)]
    pages["canonical_elsewhere"] = [
        isinstance(canonical, str) and _norm(canonical) != _norm(url)
        for canonical, url in zip(pages["canonical"], pages["url"], strict=True)]
    pages["indexable"] = (pages["ok"] & pages["extracted"] & ~pages["noindex"]
                          & ~pages["canonical_elsewhere"])
    pages["in_sitemap"] = pages["url"].isin(set(sitemap["url"]))
    inbound = links[(links["element"] == "a") & (links["source_url"] != links["target_url"])]
    # A link counts for the address it names and for the page its redirects end on.
    linked = pd.concat([
        inbound[["source_url", "target_url"]].rename(columns={"target_url": "url"}),
        inbound[["source_url", "final_url"]].rename(columns={"final_url": "url"}).dropna(),
    ]).drop_duplicates()
    pages["inlinks"] = pages["url"].map(linked["url"].value_counts()).fillna(0).astype(int)
    depths = _click_depths(links, start_url, resolved)
    pages["link_depth"] = pages["url"].map(depths).astype("Int64")
    pages["final_url"] = pages["url"].map(lambda u: resolved[u].final_url if u in resolved else u)
    pages["redirect_hops"] = pages["url"].map(lambda u: len(resolved[u].hops)
                                              if u in resolved else 0)
    return _with_bool_dtypes(pages.reset_index(drop=True), _PAGE_FLAGS)


_PAGE_FLAGS = ("extracted", "is_html", "ok", "noindex", "canonical_elsewhere", "indexable",
               "in_sitemap", "blocked_by_robots", "challenged")
_LINK_FLAGS = ("redirect_loop", "checked", "broken", "unverified")


def _with_bool_dtypes(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Flags as real booleans, so that masks select rows even when a frame is empty (an
    empty object-typed mask would select columns instead)."""
    for column in columns:
        frame[column] = frame[column].fillna(False).astype(bool)
    return frame


def _says_noindex(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    directives = {d.strip().lower() for d in value.replace(";", ",").split(",")}
    # "googlebot: noindex" in an X-Robots-Tag header names the bot before the rule
    directives |= {d.split(":")[-1].strip() for d in directives}
    return bool(directives & {"noindex", "none"})


def _norm(url: str) -> str:
    return url.rstrip("/") or url


def _explode_nap(facts: pd.DataFrame) -> pd.DataFrame:
    rows = [dict(fact, url=url) for url, nap in zip(facts["url"], facts["nap"], strict=True)
            if isinstance(nap, list) for fact in nap]
    columns = ["url", "field", "source", "zone", "raw", "normalized", "role", "context"]
    frame = pd.DataFrame.from_records(rows)
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame


def _explode_places(facts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for url, places in zip(facts["url"], facts["places"], strict=True):
        if not isinstance(places, dict):
            continue
        terms: set[str] = set()
        for counts in places.values():
            terms.update(counts)
        for term in sorted(terms):
            rows.append({
                "url": url, "term": term,
                "in_title": places.get("title", {}).get(term, 0) > 0,
                "in_h1": places.get("h1", {}).get(term, 0) > 0,
                "in_meta_description": places.get("meta_description", {}).get(term, 0) > 0,
                "body_count": places.get("body", {}).get(term, 0),
            })
    return pd.DataFrame.from_records(
        rows, columns=["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"])
