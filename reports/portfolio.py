"""index.html of a batch (``seo-audit batch``): every client on one self-contained page.

Each site shows its latest score, a small inline-SVG chart of its score over its audits, what is
new and fixed since the audit before, and links to its reports. Everything comes from the
history database's rows (audit.history.AuditRow), never from the audit folders: a deleted
folder leaves its audit in the chart and the list, shown as deleted rather than linked.

Site names come from users and URLs from SITES.toml: all of it goes through Jinja2's
autoescaping, only http(s) URLs become links, and the page's Content-Security-Policy allows
nothing but its own stylesheet (by hash). There is no script: the page reads the same with
JavaScript off.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from reports.csv import atomic_open
from reports.html import SCORE_LABELS, _asset, environment, safe_href

PORTFOLIO_TEMPLATE = "portfolio.html.j2"
PORTFOLIO_CSS = "portfolio.css"
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 180, 48, 5
MAX_AUDITS_LISTED = 24  # two years of monthly audits; the chart and portfolio.csv have all


def _when(audited_at: str) -> str:
    """"2026-12-06T13:45:01+00:00" as "6 December 2026, 13:45 UTC"."""
    try:
        moment = datetime.fromisoformat(audited_at).astimezone(UTC)
    except ValueError:
        return audited_at
    return moment.strftime("%-d %B %Y, %H:%M UTC")


def _grade(score: int | None) -> tuple[str, str]:
    if score is None:
        return "none", "No pages could be read"
    return next((grade, label) for floor, grade, label in SCORE_LABELS if score >= floor)


def report_link(out: Path, folder: str) -> str | None:
    """The audit's report.html relative to ``out`` (as a URL path), None when it is gone.
    The history records where the folder was; a batch folder moved or copied as a whole
    still holds it as ``<slug>/<timestamp>`` under ``out``."""
    if not folder:
        return None
    recorded = Path(folder)
    report = recorded / "report.html"
    if not report.is_file():
        report = out.resolve() / recorded.parent.name / recorded.name / "report.html"
        if not report.is_file():
            return None
    relative = os.path.relpath(report, out.resolve())
    return "/".join(quote(part) for part in Path(relative).parts)


def score_chart(scores: list[int | None]) -> dict[str, Any]:
    """The points of a site's score chart (0-100 upwards, oldest audit left); audits without
    a score are left out of the line."""
    width = CHART_WIDTH - 2 * CHART_PAD
    height = CHART_HEIGHT - 2 * CHART_PAD
    step = width / (len(scores) - 1) if len(scores) > 1 else 0
    points = []
    for index, score in enumerate(scores):
        if score is None:
            continue
        x = CHART_PAD + (index * step if len(scores) > 1 else width / 2)
        y = CHART_PAD + height * (100 - score) / 100
        points.append({"x": round(x, 1), "y": round(y, 1), "score": score})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "points": points,
            "line": " ".join(f"{p['x']},{p['y']}" for p in points),
            "grid": [{"y": round(CHART_PAD + height * (100 - level) / 100, 1), "level": level}
                     for level in (100, 50, 0)]}


def portfolio_context(out: Path, rows: list[Any], failed: list[dict[str, str]],
                      urls: dict[str, str]) -> dict[str, Any]:
    """What index.html shows: one entry per site of the history (in ``rows``' order), with
    its audits oldest first, and the sites that failed in this run."""
    from audit.changes import site_of

    by_site: dict[str, list[Any]] = {}
    for row in rows:
        by_site.setdefault(row.site, []).append(row)
    failed_by_site = {site_of(item["url"]): item for item in failed}
    clients = []
    for site, audits in by_site.items():
        listed = [{"date": _when(row.audited_at), "score": row.score, "new": row.new,
                   "fixed": row.fixed, "pages": row.pages, "errors": row.errors,
                   "warnings": row.warnings, "notices": row.notices,
                   "href": report_link(out, row.folder)} for row in audits]
        latest, previous = listed[-1], (listed[-2] if len(listed) > 1 else None)
        grade, label = _grade(latest["score"])
        url = urls.get(site) or audits[-1].start_url
        clients.append({
            "name": audits[-1].name, "url": url, "href": safe_href(url),
            "latest": latest, "grade": grade, "label": label,
            "delta": (latest["score"] - previous["score"]
                      if previous and latest["score"] is not None
                      and previous["score"] is not None else None),
            "chart": score_chart([row.score for row in audits]),
            "audits": list(reversed(listed))[:MAX_AUDITS_LISTED],
            "more_audits": max(len(listed) - MAX_AUDITS_LISTED, 0),
            "count": len(listed),
            "failed": failed_by_site.get(site),
        })
    return {"clients": clients,
            "failed": [{**item, "href": safe_href(item["url"])} for item in failed],
            "generated": datetime.now(UTC).strftime("%-d %B %Y, %H:%M UTC")}


def render_index(out: Path, rows: list[Any], failed: list[dict[str, str]],
                 urls: dict[str, str]) -> str:
    """index.html as one string."""
    env = environment()
    style, style_hash = _asset(env, PORTFOLIO_CSS)
    # Our stylesheet and nothing else: no script, no request of any kind.
    csp = (f"default-src 'none'; style-src {style_hash}; img-src data:; base-uri 'none'; "
           "form-action 'none'")
    return env.get_template(PORTFOLIO_TEMPLATE).render(
        **portfolio_context(out, rows, failed, urls), style=style, csp=csp)


def write_index(path: Path, rows: list[Any], failed: list[dict[str, str]],
                urls: dict[str, str]) -> Path:
    """Write index.html (``path``) for the audits of the history ``rows``."""
    html = render_index(path.parent, rows, failed, urls)
    with atomic_open(path) as handle:
        handle.write(html)
    return path
