"""NAP checks: the practice's name, address, phone and license, page by page.

They read ``nap_table`` (audit.business): every fact found on the crawl with the canonical value
it was compared with and the verdict. Only ``mismatch`` verdicts are reported; crisis lines,
referrals in running text and other clinicians' licenses stay in nap.csv as ``ignored`` or
``other`` and never become findings.
"""

from __future__ import annotations

import pandas as pd

from audit.business import display
from audit.checks.onpage import html_pages
from audit.registry import AuditContext, check, findings, records

SCHEMA_SOURCES = ("jsonld", "microdata", "rdfa")
SOURCE_WORDS = {"text": "the page text", "tel": "a click-to-call (tel:) link",
                "copyright": "the copyright line", "title": "the page title",
                "og": "the og:site_name tag", "jsonld": "JSON-LD", "microdata": "microdata",
                "rdfa": "RDFa"}


def _where(row: pd.Series) -> str:
    zone = row["zone"] if row["zone"] in ("header", "footer") else ""
    return SOURCE_WORDS.get(row["source"], row["source"]) + (f" ({zone})" if zone else "")


def _mismatches(ctx: AuditContext, field: str, schema: bool) -> pd.DataFrame:
    table = ctx.frames.nap_table
    rows = table[(table["field"] == field) & (table["verdict"] == "mismatch")]
    in_schema = rows["source"].isin(SCHEMA_SOURCES)
    rows = rows[in_schema] if schema else rows[~in_schema]
    return rows.drop_duplicates(["url", "source", "normalized"])


def _shown(row: pd.Series) -> str:
    # Addresses read best as written; names, phones and licenses in their clean form.
    if row["field"] == "address":
        return str(row["raw"])
    return display(row["field"], row["normalized"])


def _report(rows: pd.DataFrame, label: str) -> pd.DataFrame:
    return findings([{
        "url": row["url"],
        "message": f"{label} {_shown(row)} in {_where(row)} "
                   f"differs from {display(row['field'], row['expected'])}.",
        "detail": f"found \"{row['raw']}\" in \"{row['context']}\"",
        "target": _shown(row),  # the wrong value: what the finding is about
    } for row in records(rows)])


@check("nap-phone-mismatch", "error", "Wrong phone number on the page", "Business details",
       needs=("nap_table",))
def nap_phone_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """The page shows a phone number, or has a click-to-call link, that is not the practice's
    number, or a click-to-call link dials a different number from the one printed on it. A
    transposed digit in a footer loses calls from new clients. Crisis lines (988, 911, hotlines),
    fax and toll-free numbers are not counted. How to fix: correct the number in the page or
    template shown, and make every tel: link dial exactly the number it displays."""
    table = ctx.frames.nap_table
    shows = table["anchor_normalized"].fillna("").astype(str)
    tel = table[(table["source"] == "tel") & (shows != "") & (shows != table["normalized"])
                & (table["verdict"] != "ignored")]
    dials = findings([{
        "url": row["url"],
        "message": f"A click-to-call link shows {display('phone', row['anchor_normalized'])} "
                   f"but dials {display('phone', row['normalized'])}.",
        "detail": f"href \"{row['raw']}\", link text \"{row['context']}\"",
        "target": display("phone", row["normalized"]),
    } for row in records(tel)])
    # a tel: link already reported as dialling another number than it shows is one finding
    wrong = _mismatches(ctx, "phone", schema=False)
    wrong = wrong[~(wrong["source"].eq("tel") & wrong["url"].isin(set(tel["url"].tolist()))
                    & wrong["raw"].isin(set(tel["raw"].tolist())))]
    return pd.concat([_report(wrong, "Phone"), dials], ignore_index=True)


@check("nap-phone-missing", "warning", "Practice phone number not on the page",
       "Business details", needs=("nap_table", "pages"))
def nap_phone_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page never shows the practice's phone number: not in the text, not as a
    click-to-call link, not in its structured data. Visitors who decide on this page must go
    looking for how to call. How to fix: put the phone number, as a tel: link, in the site's
    header or footer so every page carries it."""
    return _missing(ctx, "phone", "The practice phone number")


@check("nap-license-mismatch", "error", "Different license number on the page",
       "Business details", needs=("nap_table",))
def nap_license_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """The page shows a license number of the practice's license type that differs from the
    practice's license (for example PSY 22202 instead of PSY 22022). A wrong number can make
    the license impossible to verify and may be a compliance problem. Credentials such as
    "Psy.D." and other clinicians' licenses are not counted. How to fix: correct the number so
    it matches the license on file with the board."""
    return _report(_mismatches(ctx, "license", schema=False), "License")


@check("nap-license-missing", "notice", "License number not on the page", "Business details",
       needs=("nap_table", "pages"))
def nap_license_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page does not show the practitioner's license number. California's BBS requires it
    in advertising for LMFT, LCSW, LPCC and LEP licensees; for psychologists it is a strong
    trust signal. How to fix: add the license type and number (e.g. "PSY 22022") to the footer
    so it appears on every page."""
    return _missing(ctx, "license", "The license number")


@check("nap-name-mismatch", "error", "Different business name on the page",
       "Business details", needs=("nap_table",))
def nap_name_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """The page names the practice differently, in its copyright line, title or site name tag
    (e.g. "Blair Wellness Center" for "Blair Wellness Group"). Google and patients read a
    different name as a different business. Capitals, punctuation, "&"/"and" and "Inc." do not
    count. How to fix: use the practice's exact registered name everywhere."""
    return _report(_mismatches(ctx, "name", schema=False), "Name")


@check("nap-address-mismatch", "error", "Different address on the page", "Business details",
       needs=("nap_table",))
def nap_address_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """The page shows the practice address with a different street number, street, suite or
    ZIP code. Patients go to the wrong door and search engines doubt the listing. Writing
    "Blvd" or "Boulevard", "Ste." or "Suite #" does not count. How to fix: correct the address
    on the page or in the template shown."""
    return _report(_mismatches(ctx, "address", schema=False), "Address")


def _missing(ctx: AuditContext, field: str, label: str) -> pd.DataFrame:
    table = ctx.frames.nap_table
    business = ctx.frames.get("business") or {}
    expected = (business.get(field) or {}).get("value")
    if not expected:
        return findings([])
    pages = html_pages(ctx)
    pages = pages[pages["kind"] == "page"]
    shown = set(table.loc[(table["field"] == field) & (table["verdict"] == "match"),
                          "url"].tolist())
    absent = pages[~pages["url"].isin(shown)]
    return findings({"url": absent["url"],
                     "message": f"{label} {display(field, expected)} is not on the page."})
