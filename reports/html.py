"""report.html: one self-contained page for the practice owner (inline CSS and SVG, no network).

Everything that came from a crawled page passes through Jinja2's autoescaping, and only http(s)
URLs ever become live links: a ``javascript:`` href found on a site is shown as text. The page's
own Content-Security-Policy allows exactly our inline stylesheet and script (by hash) and nothing
else, so even an escaping mistake could not run a script or fetch anything. The small script only
sorts, filters and opens sections for printing; it reads the DOM as text and never writes HTML.

Long lists are capped so the report of a 10,000-page site stays small and fast; every cap says
where the full list is (the CSV files and audit.xlsx beside the report).
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from audit.changes import NAP_JOIN

# Checks of this category (notices and wording that federal and California rules, or good
# practice, ask of a health practice's website) get their own section, not "What to fix".
from audit.checks.compliance import CATEGORY as COMPLIANCE_CATEGORY
from audit.checks.render import render_suggestion
from audit.registry import SEVERITIES, SEVERITY_RANK, catalogue, records
from reports.cells import FACTORIZE_SIZE_HINT
from reports.csv import atomic_open

MAX_ROWS_PER_CHECK = 200  # the full list is always in issues.csv
MAX_PAGE_ROWS = 1000  # the page table; every page is in pages.csv
MAX_COVERAGE_PAGES = 60  # rows of the location grid; every page is in keywords.csv
MAX_COVERAGE_TERMS = 8  # columns of the location grid
MAX_VARIANT_PAGES = 12  # pages listed under one business-detail variant
MAX_EVIDENCE_CHARS = 300  # a JSON-LD blob can be kilobytes; the CSV keeps all of it
MAX_CHANGE_ROWS = 50  # rows of each "since the last audit" list; changes.csv has every one
MAX_CHANGE_PAGES = 8  # pages named under one check that was fixed or is new
# The topic chart leaves 150 px for a label: a longer category name gets a short one there.
CHART_LABELS = {COMPLIANCE_CATEGORY: "Trust & compliance"}

SCORE_FORMULA = (
    "Score = 100 × (pages with no errors or warnings + ½ × pages with warnings but no errors) "
    "÷ pages checked, rounded down. Notices do not lower the score. Pages checked are the "
    "site's HTML pages that were read, plus any other address of the site with a finding (such "
    "as a page that answers 404); a finding about the whole site rather than one page counts as "
    "one more page."
)
SCORE_LABELS = ((90, "good", "In good shape"), (70, "fair", "Some fixes needed"),
                (0, "poor", "Needs attention"))

FIELD_LABELS = {"name": "Practice name", "phone": "Phone", "license": "License",
                "address": "Address"}
# Only these verdicts concern the practice's own details; "other" (a referral, another
# clinician), "ignored" (crisis lines, fax) and "unparsed" stay in nap.csv.
OWN_VERDICTS = {"mismatch": 0, "variant": 1, "match": 2}
SOURCE_WORDS = {"text": "page text", "tel": "click-to-call link", "copyright": "copyright line",
                "title": "page title", "og": "social sharing tag", "jsonld": "structured data",
                "microdata": "structured data", "rdfa": "structured data"}
COVERAGE_PARTS = (("in_title", "title"), ("in_h1", "main heading"),
                  ("in_meta_description", "description"), ("body_count", "body text"))
STATUS_GROUPS = {2: "ok", 3: "redirect", 4: "error", 5: "error"}
PAGE_TABLE_COLUMNS = ("url", "title", "extracted", "status", "error", "word_count",
                      "link_depth", "inlinks", "in_sitemap", "response_ms")


def safe_href(url: Any) -> str | None:
    """The URL when it is safe to make clickable (http or https), else None."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _text(value: Any) -> str:
    """A cell as display text: missing values (None, NaN, NA) become ""."""
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return ""
    return str(value)


def _texts(values: list[Any]) -> list[str]:
    """_text of each value; a column of text, the usual one, as it is."""
    if all(type(value) is str for value in values):
        return values
    return [_text(value) for value in values]


def _clip(value: Any, limit: int = MAX_EVIDENCE_CHARS) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return int(value)


def _short_url(url: str, origin: str) -> str:
    """The path of an address on the audited site (easier to read), else the whole URL."""
    if origin and url.startswith(origin) and len(url) > len(origin):
        return url[len(origin):]
    return url


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _display(field: str, value: Any) -> str:
    # audit.business owns how a normalised value reads (phones as "(310) 999-4996").
    from audit.business import display

    return display(field, _text(value) or None)


REPORT_TEMPLATE = "report.html.j2"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The report's template environment, made once per process: it keeps the compiled
    template (seo-audit crawl compiles it while the crawl runs)."""
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["num"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return env


def _asset(env: Environment, name: str) -> tuple[str, str]:
    """An inline asset's text and its CSP hash (our own file: it is trusted, not escaped)."""
    assert env.loader is not None
    text = env.loader.get_source(env, name)[0]
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


# --- the health score ----------------------------------------------------------------------

def health_score(frames: Any, issues: pd.DataFrame) -> dict[str, Any]:
    """The 0-100 score of SCORE_FORMULA with the page counts it was computed from."""
    pages = frames.pages
    # .tolist() before set(): iterating a pandas string column cell by cell is slow.
    checked = set(pages.loc[pages["extracted"].astype(bool), "url"].tolist())
    urls = issues["url"].fillna("").astype(str).replace("", "(whole site)")
    checked |= set(urls.tolist())
    with_error = set(urls[issues["severity"] == "error"].tolist())
    with_warning = set(urls[issues["severity"] == "warning"].tolist()) - with_error
    clean = checked - with_error - with_warning
    result = {"checked": len(checked), "clean": len(clean), "with_warnings": len(with_warning),
              "with_errors": len(with_error), "formula": SCORE_FORMULA}
    if not checked:
        return {**result, "value": None, "grade": "none", "label": "No pages could be read"}
    value = math.floor(100 * (len(clean) + 0.5 * len(with_warning)) / len(checked))
    grade, label = next((g, lab) for floor, g, lab in SCORE_LABELS if value >= floor)
    return {**result, "value": value, "grade": grade, "label": label}


# --- charts (data for inline SVG; the template draws them) ----------------------------------

def _bars(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top = max((item["count"] for item in items), default=0) or 1
    for item in items:
        item["share"] = item["count"] / top
    return items


def status_chart(frames: Any) -> list[dict[str, Any]]:
    """Internal addresses by response status: one bar per status code, plus "no answer"."""
    statuses = frames.pages["status"]
    counts = Counter(_int(s) for s in statuses.tolist())
    items = []
    for code in sorted(counts, key=lambda c: (c is None, c or 0)):
        if code is None:
            label, group = "No answer (timeout or connection error)", "none"
        else:
            try:
                phrase = HTTPStatus(code).phrase
            except ValueError:
                phrase = "Unknown status"
            label, group = f"{code} {phrase}", STATUS_GROUPS.get(code // 100, "none")
        items.append({"label": label, "group": group, "count": counts[code]})
    return _bars(items)


def _pairs(issues: pd.DataFrame, column: str) -> Counter:
    """The findings counted by (``column``, severity), in the order each pair first comes."""
    return Counter(zip(issues[column].tolist(), issues["severity"].tolist(), strict=True))


def category_chart(issues: pd.DataFrame) -> list[dict[str, Any]]:
    """Findings per category, split by severity (a stacked bar each)."""
    categories: dict[str, Counter] = {}
    # counted per (check, severity) first: a few dozen pairs, not a lookup per finding
    for (check_id, severity), count in _pairs(issues, "check").items():
        meta = catalogue().get(check_id)
        categories.setdefault(meta.category if meta else "Other", Counter())[severity] += count
    items = [{"label": CHART_LABELS.get(name, name), "count": sum(c.values()),
              "parts": [{"severity": s, "count": c[s]} for s in SEVERITIES if c[s]],
              "key": tuple(-c[s] for s in SEVERITIES)}
             for name, c in categories.items()]
    items.sort(key=lambda item: (item["key"], item["label"]))
    _bars(items)
    top = max((item["count"] for item in items), default=0) or 1
    for item in items:
        offset = 0.0
        for part in item["parts"]:
            part["start"], part["share"] = offset, part["count"] / top
            offset += part["share"]
    return items


def location_coverage(frames: Any, wanted: list[str] | None = None) -> dict[str, Any] | None:
    """The pages × Los Angeles areas grid: where each page names each area. ``wanted`` (the
    profile's city and areas) come first; then the areas the most pages name."""
    places = frames.get("keywords")
    if places is None:
        places = frames.get("places")
    if places is None:
        return None
    pages = frames.pages
    # only the columns read: the pages frame also holds every page's headings and images
    pages = pages.loc[pages["extracted"].astype(bool) & (pages["kind"] == "page"),
                      ["url", "link_depth"]]
    pages = pages.assign(_depth=pages["link_depth"].astype("Float64").fillna(1e9))
    pages = pages.sort_values(["_depth", "url"], kind="stable")
    origin = _origin(_text(frames.get("start_url")))
    wanted = [t for t in wanted or [] if t]
    page_counts = _pages_per_term(places).sort_values(ascending=False)
    terms = list(dict.fromkeys([*wanted, *page_counts.index]))
    shown_terms = terms[:MAX_COVERAGE_TERMS]
    shown_pages = pages.head(MAX_COVERAGE_PAGES)
    # Only the grid's own cells are looked up: a large site has ~200,000 (page, term) rows.
    chosen = places[places["term"].isin(shown_terms)]
    near = chosen[chosen["url"].isin(set(shown_pages["url"]))]
    lookup = {(row.url, row.term): row for row in near.itertuples(index=False)}
    columns = []
    for term in shown_terms:
        rows = chosen[chosen["term"] == term]
        columns.append({"term": term, "wanted": term in wanted,
                        "titles": int(rows["in_title"].astype(bool).sum()),
                        "pages": int(rows["url"].nunique())})
    grid = []
    for page in shown_pages.itertuples(index=False):
        cells = []
        for term in shown_terms:
            row = lookup.get((page.url, term))
            flags = [bool(getattr(row, part)) if row is not None else False
                     for part, _ in COVERAGE_PARTS]
            body = int(row.body_count or 0) if row is not None else 0
            said = [word for (part, word), on in zip(COVERAGE_PARTS, flags, strict=True) if on]
            cells.append({"flags": flags, "body": body, "any": any(flags),
                          "title": f"{term} on {_short_url(page.url, origin)}: "
                                   + (", ".join(said) if said else "not mentioned")
                                   + (f" ({body}× in the body text)" if body else "")})
        grid.append({"url": page.url, "path": _short_url(page.url, origin), "cells": cells,
                     "none": not any(c["any"] for c in cells)})
    return {"columns": columns, "rows": grid, "pages_total": len(pages),
            "terms_total": len(terms), "rows_cut": max(len(pages) - MAX_COVERAGE_PAGES, 0),
            "terms_cut": max(len(terms) - MAX_COVERAGE_TERMS, 0)}


def _pages_per_term(places: pd.DataFrame) -> pd.Series:
    """``places.groupby("term")["url"].nunique()``, worked out on codes: pandas' groupby sizes
    its hash tables by the rows, some 17 MB at once for a large site's 200,000 places."""
    def codes(name: str) -> tuple[np.ndarray, np.ndarray]:
        return pd.factorize(places[name].to_numpy(dtype=object, na_value=None),
                            size_hint=FACTORIZE_SIZE_HINT)

    terms, names = codes("term")
    urls, distinct = codes("url")
    known = (terms >= 0) & (urls >= 0)
    base = len(distinct) + 1
    pairs = pd.unique(terms[known].astype(np.int64) * base + urls[known])
    counts = np.bincount(pairs // base, minlength=len(names))
    # as groupby gives it: by term, in sorted order
    return pd.Series(counts, index=pd.Index(names, name="term"), name="url").sort_index()


# --- the sections ----------------------------------------------------------------------------

def business_details(frames: Any, record: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """Each business detail: the canonical value and every variant found, mismatches first."""
    table = frames.get("nap_table")
    if table is None:
        return None
    record = record or {}
    origin = _origin(_text(frames.get("start_url")))
    sections = []
    for field, label in FIELD_LABELS.items():
        canonical = record.get(field) or {}
        rows = table[(table["field"] == field) & table["verdict"].isin(OWN_VERDICTS)]
        keys = rows["normalized"].fillna("").astype(str).where(
            rows["normalized"].fillna("").astype(str) != "", rows["raw"].fillna("").astype(str))
        variants = []
        for _key, group in rows.groupby(keys, sort=False):
            verdict = min(group["verdict"].tolist(), key=OWN_VERDICTS.__getitem__)
            spellings = [s for s, _ in Counter(_texts(group["raw"].tolist())).most_common()
                         if s]
            urls = list(dict.fromkeys(_texts(group["url"].tolist())))
            shown = spellings[0] if field == "address" and spellings else \
                _display(field, group["normalized"].iloc[0])
            if not shown and spellings:
                shown = spellings[0]
            variants.append({
                "value": shown,
                "verdict": verdict,
                "spellings": [_clip(s, 120) for s in spellings[:3]],
                "more_spellings": max(len(spellings) - 3, 0),
                "sources": sorted({SOURCE_WORDS.get(s, s)
                                   for s in _texts(group["source"].unique().tolist())}),
                "pages": [{"url": u, "path": _short_url(u, origin)}
                          for u in urls[:MAX_VARIANT_PAGES]],
                "page_count": len(urls),
                "more_pages": max(len(urls) - MAX_VARIANT_PAGES, 0),
            })
        variants.sort(key=lambda v: (OWN_VERDICTS[v["verdict"]], -v["page_count"]))
        sections.append({
            "field": field, "label": label,
            "value": _display(field, canonical.get("value")),
            "inferred": bool(canonical.get("inferred")),
            "variants": variants,
            "mismatches": sum(v["verdict"] == "mismatch" for v in variants),
        })
    return sections


def issue_groups(issues: pd.DataFrame, origin: str) -> list[dict[str, Any]]:
    """Findings grouped by check: most severe first, then the widest-spread problems."""
    groups = []
    for check_id, rows in issues.groupby("check", sort=False):
        meta = catalogue().get(check_id)
        severity = rows["severity"].iloc[0]
        shown = [{"url": _text(r["url"]), "path": _short_url(_text(r["url"]), origin),
                  "message": _text(r["message"]), "detail": _clip(r["detail"]),
                  "target": _text(r["target"])}
                 for r in records(rows.head(MAX_ROWS_PER_CHECK))]
        groups.append({
            "id": check_id, "severity": severity,
            "title": meta.title if meta else check_id,
            "category": meta.category if meta else "",
            "explanation": meta.explanation if meta else "",
            "fix": meta.fix if meta else "",
            "source": meta.source if meta else "",
            "count": len(rows),
            "pages": int(rows["url"].replace("", pd.NA).nunique()),
            "rows": shown,
            "truncated": max(len(rows) - MAX_ROWS_PER_CHECK, 0),
        })
    groups.sort(key=lambda g: (SEVERITY_RANK.get(g["severity"], 9), -g["pages"], g["id"]))
    return groups


def compliance_section(frames: Any, groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The patient trust and compliance findings (``groups`` of that category), or None when
    there is nothing to say: no such finding, and either no page was read or no check of the
    category exists to have been run (an all-clear would then claim checks never made)."""
    found = [g for g in groups if g["category"] == COMPLIANCE_CATEGORY]
    if not found:
        pages = frames.pages
        read = pages is not None and "extracted" in pages and bool(
            pages["extracted"].fillna(False).astype(bool).any())
        if not read or not any(c.category == COMPLIANCE_CATEGORY
                               for c in catalogue().values()):
            return None
    return {"groups": found,
            "severities": [{"severity": s, "count": n} for s in SEVERITIES
                           if (n := sum(g["count"] for g in found if g["severity"] == s))]}


def page_table(frames: Any, issues: pd.DataFrame, origin: str) -> dict[str, Any]:
    """The site's pages (not images or stylesheets), pages with problems first."""
    pages = frames.pages
    pages = pages[pages["kind"] == "page"]
    per_page: dict[str, Counter] = {}
    for (url, severity), count in _pairs(issues, "url").items():
        per_page.setdefault(url, Counter())[severity] = count
    nothing: Counter = Counter()
    # Only the columns shown: the pages frame also holds every page's headings and images.
    shown = pages[[c for c in PAGE_TABLE_COLUMNS if c in pages]]
    depths = shown["link_depth"].tolist() if "link_depth" in shown else [None] * len(shown)
    ranked = []
    for position, (url, depth) in enumerate(zip(shown["url"].tolist(), depths, strict=True)):
        counts = per_page.get(url, nothing)
        worst = next((s for s in SEVERITIES if counts[s]), "none")
        problems = sum(counts[s] * 10 ** (4 - 2 * i) for i, s in enumerate(SEVERITIES))
        depth = _int(depth)
        key = (SEVERITY_RANK.get(worst, 9), -problems, depth if depth is not None else 10 ** 9,
               url)
        ranked.append((key, position, counts, worst, problems, depth))
    ranked.sort(key=lambda item: item[0])
    # Rows are built for the pages shown only; a large site has thousands more.
    top = ranked[:MAX_PAGE_ROWS]
    rows = [_page_row(page, counts, worst, problems, depth, origin)
            for page, (_, _, counts, worst, problems, depth)
            in zip(records(shown.iloc[[item[1] for item in top]]), top, strict=True)]
    return {"rows": rows, "total": len(ranked),
            "truncated": max(len(ranked) - MAX_PAGE_ROWS, 0),
            "resources": int((frames.pages["kind"] != "page").sum())}


def _page_row(page: dict[str, Any], counts: Counter, worst: str, problems: int,
              depth: int | None, origin: str) -> dict[str, Any]:
    status = _int(page.get("status"))
    return {
        "url": page["url"], "path": _short_url(page["url"], origin),
        # A 404, a redirect or a PDF has no title to show: its address names it.
        "label": _text(page.get("title")) or ("(no title)" if page.get("extracted")
                                              else _short_url(page["url"], origin)),
        "status": status, "status_text": str(status) if status else "no answer",
        "status_group": STATUS_GROUPS.get((status or 0) // 100, "none"),
        "error": _clip(page.get("error"), 120),
        "counts": [{"severity": s, "count": counts[s]} for s in SEVERITIES if counts[s]],
        "problems": problems,
        "worst": worst,
        "words": _int(page.get("word_count")) if page.get("extracted") else None,
        "depth": depth,
        "inlinks": _int(page.get("inlinks")),
        "in_sitemap": bool(page.get("in_sitemap")),
        "ms": _int(page.get("response_ms")),
    }


def since_section(comparison: Any, origin: str) -> dict[str, Any] | None:
    """The "Since the last audit" section: the comparison (audit.changes.Comparison) as the
    template shows it. Business details that changed come first: a phone number right last
    time and wrong now is what the owner must see."""
    if comparison is None:
        return None
    data = comparison.summary()
    then, now = data["score_then"], data["score_now"]

    def grouped(changes: pd.DataFrame) -> list[dict[str, Any]]:
        groups = []
        for check_id, rows in changes.groupby("check", sort=False):
            meta = catalogue().get(check_id)
            groups.append({
                "id": check_id, "severity": rows["severity"].iloc[0],
                "title": meta.title if meta else check_id, "count": len(rows),
                "rows": [{"url": url, "path": _short_url(url, origin), "message": message}
                         for url, message in zip(rows["url"].head(MAX_CHANGE_PAGES).tolist(),
                                                 rows["detail"].head(MAX_CHANGE_PAGES).tolist(),
                                                 strict=True)],
                "truncated": max(len(rows) - MAX_CHANGE_PAGES, 0)})
        groups.sort(key=lambda g: (SEVERITY_RANK.get(g["severity"], 9), -g["count"], g["id"]))
        return groups

    def rows(frame: pd.DataFrame, fields: dict[str, str],
             nap: bool = False) -> list[dict[str, Any]]:
        def shown(field: str, value: str) -> str:
            # NAP values as the business details show them ("(310) 999-4996", not +1310...)
            if not nap or not value:
                return value
            return NAP_JOIN.join(_display(field, part) for part in value.split(NAP_JOIN))

        return [{"url": url, "path": _short_url(url, origin),
                 "field": fields.get(field, field.replace("_", " ")),
                 "old": shown(field, old), "new": shown(field, new)}
                for url, field, old, new in frame.head(MAX_CHANGE_ROWS).itertuples(index=False)]

    pages = data["pages"].sort_values(["url", "field"])
    return {
        "date": _when(_text(data["previous"])),
        "score_then": then, "score_now": now,
        "delta": (now - then) if then is not None and now is not None else None,
        "counts": data["counts"],
        "nap": rows(data["nap"], FIELD_LABELS, nap=True),
        "nap_total": len(data["nap"]),
        "fixed": grouped(data["fixed"]), "new": grouped(data["new"]),
        "pages": rows(pages, {"page": "page", "status": "status"}),
        "pages_total": len(pages),
        "limit": MAX_CHANGE_ROWS,
    }


def _when(started: str) -> str:
    """"2026-11-25 21:52:10 UTC" (or ISO 8601, "2026-11-25T21:52:10+00:00") as
    "25 November 2026"; anything else unchanged."""
    try:
        return datetime.fromisoformat(started.replace(" UTC", "+00:00")).strftime("%-d %B %Y")
    except ValueError:
        return started


def build_context(frames: Any, issues: pd.DataFrame, summary: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, computed from the frames and findings."""
    origin = _origin(_text(summary.get("site") or frames.get("start_url")))
    counts = {s: int((issues["severity"] == s).sum()) for s in SEVERITIES}
    score = summary.get("score") or health_score(frames, issues)
    groups = issue_groups(issues, origin)
    return {
        "summary": summary, "counts": counts, "score": score,
        "date": _when(_text(summary.get("started"))),
        "site_href": safe_href(summary.get("site")),
        "business": business_details(frames, summary.get("business")),
        # "What to fix" lists the search problems; compliance findings have their own section.
        # The counts, the score, the page table and the topic chart still include them.
        "groups": [g for g in groups if g["category"] != COMPLIANCE_CATEGORY],
        "compliance": compliance_section(frames, groups),
        "categories": category_chart(issues),
        "statuses": status_chart(frames),
        "coverage": location_coverage(frames, summary.get("areas")),
        "since": since_section(summary.get("since"), origin),
        "pages": page_table(frames, issues, origin),
        "files": summary.get("files") or ["pages.csv", "links.csv", "issues.csv"],
        "limits": {"rows_per_check": MAX_ROWS_PER_CHECK},
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # a crawl that found almost nothing on a site built by scripts (not a finding)
        "render_hint": render_suggestion(frames),
    }


def render_html(frames: Any, issues: pd.DataFrame, summary: dict[str, Any]) -> str:
    """The report as one HTML string."""
    env = environment()
    style, style_hash = _asset(env, "report.css")
    script, script_hash = _asset(env, "report.js")
    # Nothing but our own stylesheet and script, no requests of any kind: the report opens
    # offline, and a crawled string that slipped through escaping still could not run.
    csp = (f"default-src 'none'; style-src {style_hash}; script-src {script_hash}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    template = env.get_template(REPORT_TEMPLATE)
    return template.render(**build_context(frames, issues, summary), style=style,
                           script=script, csp=csp)


def write_html(path: Path, frames: Any, issues: pd.DataFrame, summary: dict[str, Any]) -> Path:
    html = render_html(frames, issues, summary)
    with atomic_open(path) as handle:
        handle.write(html)
    return path
