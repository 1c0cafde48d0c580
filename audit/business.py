"""The practice's canonical business record, and every NAP fact of the crawl judged against it.

The record comes from the profile; a field the profile leaves out is inferred as the value most
pages agree on (JSON-LD included), and marked as inferred so the report can say so.

Judging follows the false-positive policy of shared/domain/local-seo.md §9: facts are compared
as normalised entities, never as strings; crisis lines, fax and toll-free numbers are not the
practice's phone; in a page's running text, where therapists cite other clinics and hotlines, a
different number or address only counts when it is a near miss of the practice's own (a
transposed digit, the right street with the wrong suite). Everything else is kept in nap.csv
with the verdict ``other`` and never reported as a problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pandas as pd

from audit.nap import (
    GENERIC_LICENSE_TYPES,
    address_key,
    compare_addresses,
    is_local_business,
    names_match,
    normalize_name,
)
from audit.profile import Profile

FIELDS = ("name", "phone", "license", "address")
SCHEMA_SOURCES = ("jsonld", "microdata", "rdfa")
NAP_ZONES = ("header", "footer", "title", "head", "schema")
NOT_THE_PRACTICE_PHONE = ("crisis", "fax", "tollfree")
NAP_TABLE_COLUMNS = ["url", "field", "source", "zone", "raw", "normalized", "expected",
                     "verdict", "role", "context", "anchor_normalized", "schema_type"]
# Words too common in practice names to show that a title suffix means the practice.
_GENERIC_NAME_WORDS = frozenset({"the", "and", "of", "group", "center", "centre", "therapy",
                                 "counseling", "counselling", "wellness", "health", "services",
                                 "psychology", "psychological", "practice", "clinic", "dr"})
_CONTACT_PAGE = re.compile(r"contact|location|directions|find-us|visit", re.IGNORECASE)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone.split(";")[0])


def _near_miss(a: str, b: str, max_edits: int = 2) -> bool:
    """True when two digit strings of equal length differ in at most max_edits places, or
    by one swap of neighbours (the typical transposed digit)."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diffs) <= max_edits


def _eligible(facts: pd.DataFrame, field: str) -> pd.DataFrame:
    rows = facts[(facts["field"] == field) & facts["normalized"].astype(bool)]
    if field == "phone":
        rows = rows[rows["role"] == "business"]
    elif field == "license":
        rows = rows[rows["role"] == "high"]
    elif field == "name":
        rows = rows[rows["source"].isin(("jsonld", "microdata", "rdfa", "og", "copyright",
                                         "title"))]
    return rows


def _key(field: str, value: str) -> Any:
    if field == "phone":
        return value.split(";")[0]
    if field == "name":
        return normalize_name(value)
    if field == "address":
        return address_key(value) or value
    return value


MIN_PAGES_TO_INFER = 2


def infer_value(facts: pd.DataFrame, field: str) -> str | None:
    """The value of a field that the most pages agree on (each page counts once).

    One page is not a consensus: on a site of several pages, a value seen on a single page (a
    tagline after the title's dash, one footer) is not taken as the practice's record.
    """
    rows = _eligible(facts, field)
    if rows.empty:
        return None
    keys = [_key(field, v) for v in rows["normalized"]]
    pages_per_key = Counter(dict.fromkeys(zip(keys, rows["url"], strict=True)).keys())
    votes = Counter(key for key, _url in pages_per_key)
    best = max(votes, key=lambda k: (votes[k], str(k)))
    if votes[best] < MIN_PAGES_TO_INFER and facts["url"].nunique() >= MIN_PAGES_TO_INFER:
        return None
    # Show the most common spelling of the winning entity.
    spellings = Counter(v for v, k in zip(rows["normalized"], keys, strict=True) if k == best)
    return spellings.most_common(1)[0][0]


def canonical_record(facts: pd.DataFrame, profile: Profile) -> dict[str, dict[str, Any]]:
    """{field: {"value": str | None, "inferred": bool}} for name, phone, license, address."""
    record = {}
    for field in FIELDS:
        given = getattr(profile, field)
        if given:
            record[field] = {"value": given, "inferred": False}
        else:
            record[field] = {"value": infer_value(facts, field), "inferred": True}
    return record


def _is_contact_page(url: str) -> bool:
    return bool(_CONTACT_PAGE.search(url.rsplit("/", 2)[-2] if "/" in url else url))


def _judged_on(fact: dict[str, Any]) -> tuple[Any, ...]:
    """Everything judge() reads of a fact (the URL only as "is it a contact page"): facts
    with the same key get the same verdict. Keep the two in step."""
    return (fact["field"], fact.get("normalized") or "", fact["zone"],
            _is_contact_page(fact["url"]), fact.get("role"), fact["source"],
            fact.get("schema_type"))


def judge(fact: dict[str, Any], record: dict[str, dict[str, Any]],
          practitioner: str | None) -> str:
    """The verdict on one fact against the canonical record: match; mismatch; variant (a
    shortened name); other (not the practice's: a referral, another clinician's license);
    ignored (crisis line, fax, course code); unparsed (found but not understood)."""
    field, value = fact["field"], fact.get("normalized") or ""
    expected = record[field]["value"]
    if not value:
        return "unparsed"
    in_nap_zone = fact["zone"] in NAP_ZONES or _is_contact_page(fact["url"])
    if field == "phone":
        if fact["role"] in NOT_THE_PRACTICE_PHONE or fact["role"] != "business":
            return "ignored"
        if not expected:
            return "other"
        if _digits(value) == _digits(expected):
            return "match"
        # A tel: link is always meant as "call us"; running text may cite other numbers.
        if fact["source"] == "tel" or in_nap_zone or _near_miss(_digits(value),
                                                               _digits(expected)):
            return "mismatch"
        return "other"
    if field == "license":
        if fact["role"] != "high":
            return "ignored"
        if not expected:
            return "other"
        if value == expected:
            return "match"
        prefix, _, number = value.partition(" ")
        expected_prefix, _, expected_number = expected.partition(" ")
        if prefix != expected_prefix and GENERIC_LICENSE_TYPES & {prefix, expected_prefix}:
            # "TX 76543" ("Texas License No. 76543") or "PSYCHOLOGIST 22022" names no board:
            # only its number can say it is the practice's "LPC 76543" or "PSY 22022", never
            # that it is wrong
            return "match" if number == expected_number else "other"
        if prefix == "AHPRA" and number[:3] != expected_number[:3]:
            return "other"  # AHPRA "MED..." is a doctor's registration, not a "PSY..." one
        if prefix == expected_prefix and (in_nap_zone or _near_miss(number, expected_number)):
            return "mismatch"
        return "other"  # another clinician's or a supervisor's license
    if field == "address":
        if not expected:
            return "other"
        verdict = compare_addresses(value, expected)
        if verdict != "mismatch":
            return "match" if verdict == "match" else "unparsed"
        if in_nap_zone:
            return "mismatch"
        mine, theirs = address_key(value), address_key(expected)
        # the same building or the same street: it is meant to be our address
        if mine and theirs and (mine[0] == theirs[0] or mine[2] == theirs[2]):
            return "mismatch"
        return "other"
    # name
    if not expected:
        return "other"
    if fact["source"] in SCHEMA_SOURCES and not is_local_business(
            {"@type": (fact.get("schema_type") or "").split(",")}):
        return "other"  # e.g. the licensing board named inside a Person's hasCredential
    if names_match(value, expected) or (practitioner and names_match(value, practitioner)):
        return "match"
    words, expected_words = set(normalize_name(value).split()), set(
        normalize_name(expected).split())
    if words and words < expected_words:
        return "variant"  # "Blair Wellness" for "Blair Wellness Group": shortened, not wrong
    if fact["source"] == "title" and not _shares_distinctive_word(value, expected):
        return "other"  # "Anxiety Therapy | Free Consultation" is a tagline, not a name
    return "mismatch"


def _shares_distinctive_word(a: str, b: str) -> bool:
    words_a = set(normalize_name(a).split()) - _GENERIC_NAME_WORDS
    words_b = set(normalize_name(b).split()) - _GENERIC_NAME_WORDS
    return bool(words_a & words_b)


def nap_table(facts: pd.DataFrame, record: dict[str, dict[str, Any]],
              profile: Profile) -> pd.DataFrame:
    """One row per NAP fact with the expected value and its verdict (nap.csv).

    Built column by column: a 50,000-page site has half a million facts, and a dict per fact
    held at once took more memory than every other table of the audit. The footer's facts come
    back on every page: each distinct fact (``_judged_on``) is judged once, seen by judge() as
    the dict of its first row.
    """
    if facts.empty:
        return pd.DataFrame(columns=NAP_TABLE_COLUMNS)
    names = list(facts.columns)
    # each column as judge() sees it, missing values as None (a column at a time: a copy of
    # the whole table as objects was some 10 MB more at once)
    columns = {name: facts[name].astype(object).where(facts[name].notna(), None).tolist()
               for name in names}
    columns["normalized"] = [value or "" for value in columns["normalized"]]
    rows = len(columns["url"])
    fields, sources = columns["field"], columns["source"]
    # _judged_on's key of every row, a column at a time (the URL only as "is it a contact
    # page", asked once per page)
    contact = {url: _is_contact_page(url) for url in dict.fromkeys(columns["url"])}
    absent = [None] * rows

    def keys() -> Iterator[tuple[Any, ...]]:
        return zip(fields, columns["normalized"], columns["zone"],
                   [contact[url] for url in columns["url"]], columns.get("role", absent),
                   sources, columns.get("schema_type", absent), strict=True)

    def row(index: int) -> dict[str, Any]:
        return {name: columns[name][index] for name in names}

    first: dict[tuple[Any, ...], int] = {}  # each key's first row
    for index, key in enumerate(keys()):
        first.setdefault(key, index)
    verdict_of = {key: judge(row(index), record, profile.practitioner)
                  if key[0] in record else "ignored" for key, index in first.items()}
    verdicts = [verdict_of[key] for key in keys()]
    values = {field: record[field]["value"] for field in record}
    expected = [values.get(field) if type(field) is str else None for field in fields]
    # the facts from markup, for _other_businesses
    schema_rows = [dict(row(index), verdict=verdicts[index], index=index)
                   for index, (field, source) in enumerate(zip(fields, sources, strict=True))
                   if source in SCHEMA_SOURCES and field in record]
    _other_businesses(schema_rows)
    for fact in schema_rows:
        verdicts[fact["index"]] = fact["verdict"]
    columns["expected"] = expected
    columns["verdict"] = verdicts
    # Each column's dtype inferred from its values, as a frame made from the rows infers it;
    # a column of the facts that is text already is that, and is shared, not copied.
    return pd.DataFrame({column: facts[column].array if _is_text(facts, column)
                         and column != "normalized" else columns.get(column, absent)
                         for column in NAP_TABLE_COLUMNS}, copy=False)


_TEXT = pd.array(["text"]).dtype  # what pandas makes of a column of text


def _is_text(facts: pd.DataFrame, column: str) -> bool:
    """Whether a column of ``facts`` is what a list of its values (None for missing ones)
    makes: text and missing values, some text."""
    return column in facts and facts[column].dtype == _TEXT and bool(facts[column].notna().any())


def _other_businesses(rows: list[dict[str, Any]]) -> None:
    """A markup node none of whose name, phone or address is the practice's describes another
    business (a partner clinic, the building's landlord): its facts are "other", not wrong."""
    nodes: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        if row["source"] in SCHEMA_SOURCES:
            key = (row["url"], row["source"], row.get("block"), row.get("schema_type"))
            nodes.setdefault(key, []).append(row)
    for facts in nodes.values():
        judged = [f for f in facts if f["verdict"] in ("match", "variant", "mismatch")]
        if judged and not any(f["verdict"] in ("match", "variant") for f in judged):
            for fact in judged:
                fact["verdict"] = "other"


def display(field: str, value: str | None) -> str:
    """A value as an owner would write it: phones as (310) 999-4996, others unchanged."""
    if not value:
        return ""
    if field == "phone" and value.startswith("+1") and len(_digits(value)) == 11:
        digits = _digits(value)[1:]
        text = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
        ext = value.partition(";ext=")[2]
        return f"{text} ext. {ext}" if ext else text
    return value
