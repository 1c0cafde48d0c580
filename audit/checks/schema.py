"""Structured data checks: the LocalBusiness markup Google reads for the practice."""

from __future__ import annotations

import pandas as pd

from audit.business import display
from audit.checks.nap_consistency import _mismatches, _where
from audit.checks.onpage import html_pages
from audit.registry import AuditContext, by_detail, check, findings, records

CONTACT_PATHS = ("contact", "location", "directions", "find-us", "visit")


@check("schema-nap-mismatch", "error", "Structured data disagrees with the business details",
       "Structured data", needs=("nap_table",))
def schema_nap_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """The page's structured data (JSON-LD, microdata or RDFa, which people do not see but
    Google reads) gives a telephone, address, name or license that differs from the practice's,
    even where the visible text is right. Google may show the wrong number in search results
    and distrusts markup that disagrees with the page. How to fix: correct the value in the
    markup (often a theme or SEO plugin setting) to match the business details."""
    rows = pd.concat([_mismatches(ctx, field, schema=True)
                      for field in ("phone", "address", "name", "license")])
    return findings([{
        "url": row["url"],
        "message": f"{_where(row)} {row['field']} {display(row['field'], row['normalized'])} "
                   f"differs from {display(row['field'], row['expected'])}.",
        "detail": f"{row['context']}: \"{row['raw']}\"",
        "target": display(row["field"], row["normalized"]),
    } for row in records(rows)])


def _schema_nodes(pages: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for url, schema in pages[["url", "schema"]].itertuples(index=False):
        for node in (schema or {}).get("nodes", []) if isinstance(schema, dict) else []:
            rows.append({"url": url, **node})
    return pd.DataFrame.from_records(
        rows, columns=["url", "syntax", "types", "local_business", "missing"])


def _key_pages(ctx: AuditContext) -> pd.DataFrame:
    pages = html_pages(ctx)
    start = ctx.frames.get("start_url") or ""
    home = pages["url"].isin({start, start.rstrip("/"), start.rstrip("/") + "/"})
    slug = pages["url"].str.rstrip("/").str.rsplit("/", n=1).str[-1].str.lower()
    contact = slug.map(lambda s: any(word in s for word in CONTACT_PATHS))
    return pages[home | contact]


@check("schema-localbusiness-missing", "warning", "No LocalBusiness structured data",
       "Structured data", needs=("pages",))
def schema_localbusiness_missing(ctx: AuditContext) -> pd.DataFrame:
    """Neither the home page nor the contact page carries LocalBusiness markup (such as
    MedicalBusiness or Physician) telling Google the practice's name, address and phone in a
    form it can read reliably. How to fix: add a JSON-LD block of type MedicalBusiness with
    name, address, telephone and url to the home and contact pages."""
    key = _key_pages(ctx)
    if key.empty:
        return findings([])
    nodes = _schema_nodes(key)
    if nodes["local_business"].astype(bool).any():
        return findings([])
    return findings({"url": key["url"], "message": "No LocalBusiness-family markup on this "
                                                   "key page (home or contact)."})


@check("schema-required-missing", "warning", "Business markup lacks a required property",
       "Structured data", needs=("pages",), subject=by_detail)
def schema_required_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page has LocalBusiness markup without a property Google requires for it (name or
    address), so it cannot be used for the practice's rich result. How to fix: add the
    missing property to the markup."""
    # Only the business nodes that lack something become rows: a theme's microdata gives
    # every page twenty nodes, and a frame of them all was 35 MB for a moment.
    rows = []
    for url, schema in html_pages(ctx)[["url", "schema"]].itertuples(index=False):
        for node in (schema or {}).get("nodes", []) if isinstance(schema, dict) else []:
            if node.get("local_business") and node.get("missing"):
                types = "/".join(node.get("types") or [])
                rows.append({"url": url,
                             "message": f"{types} markup has no "
                                        f"{' or '.join(node['missing'])}.",
                             "detail": f"{node.get('syntax')} {types}"})
    return findings(rows)


@check("schema-jsonld-invalid", "warning", "JSON-LD block cannot be read", "Structured data",
       needs=("pages",))
def schema_jsonld_invalid(ctx: AuditContext) -> pd.DataFrame:
    """A JSON-LD block on the page is not valid JSON, so search engines ignore everything in
    it. The other blocks on the page are still read. How to fix: validate the block (for
    example with Google's Rich Results Test) and correct the syntax error shown."""
    rows = []
    for url, schema in html_pages(ctx)[["url", "schema"]].itertuples(index=False):
        for error in (schema or {}).get("jsonld_errors", []) if isinstance(schema, dict) else []:
            rows.append({"url": url, "message": f"JSON-LD block #{error['block'] + 1} is "
                                                "invalid.", "detail": error["error"]})
    return findings(rows)
