"""Street addresses in page text and schema.org PostalAddress values (domain notes 2.3).

Reads one-line addresses, PostalAddress dicts and visible text (a window from a house number
to a California ZIP) with usaddress, and gives a comparison key and a USPS-style canonical
form, so that style differences (Blvd/Boulevard, Suite/Ste./#, ZIP+4/ZIP5, CA/California)
never count as a mismatch while another street number, street, unit or ZIP does. Anything that
cannot be parsed is "unknown", never a mismatch. The same footer address comes back on every
page of a site, so the tagger's answers are remembered.
"""

from __future__ import annotations

import re
from functools import lru_cache

import usaddress
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STATE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from audit.nap.phones import _OCCUPANCY_BEFORE, _phone_matches
from audit.nap.text import _squash, _text_value

_OCC_ABBR_VALUES = frozenset(OCCUPANCY_TYPE_ABBREVIATIONS.values())
_DIR_VALUES = frozenset(DIRECTIONAL_REPLACEMENTS.values())
_STATE_VALUES = frozenset(STATE_ABBREVIATIONS.values())
# Designators that all mean "this unit": Suite 201 = Ste. 201 = # 201 = Unit 201.
_UNIT_DESIGNATORS = frozenset({"STE", "#", "UNIT", "APT", "RM", "OFC", "SPC", ""})
_ORDINAL_WORDS = {
    "FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH",
    "SIXTH": "6TH", "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH",
    "ELEVENTH": "11TH", "TWELFTH": "12TH",
}
_ALLOWED_LABELS = frozenset(
    {
        "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix",
        "StreetNamePreModifier", "StreetNamePreDirectional", "StreetNamePreType",
        "StreetName", "StreetNamePostType", "StreetNamePostDirectional",
        "StreetNamePostModifier", "OccupancyType", "OccupancyIdentifier",
        "SubaddressType", "SubaddressIdentifier", "BuildingName", "PlaceName",
        "StateName", "ZipCode", "CountryName",
    }
)
# California ZIPs. "9(?<![\d\-]9)" is "(?<![\d\-])9" written so that the regex engine can
# scan for the literal "9" instead of trying the lookbehind at every character.
_ZIP_RE = re.compile(r"9(?<![\d\-]9)[0-6]\d{3}(?:-\d{4})?(?!\d)")
_HOUSE_RE = re.compile(r"(?<![\w#/.\-$,:])\d{1,6}(?:-?[A-Z])?(?=[ \t]+[A-Za-z0-9])")


def _clean_token(s: str) -> str:
    return _squash(s.replace(".", " ").replace(",", " ")).upper()


@lru_cache(maxsize=4096)
def _tag(s: str) -> tuple[tuple[str, str], ...] | None:
    # Cached: the same footer address is parsed on every page of a site.
    try:
        tagged, kind = usaddress.tag(s)
    except usaddress.RepeatedLabelError:
        # Messy strings ("Suite 2 Suite 2"): say "not parseable", never "mismatch".
        return None
    except Exception:  # the CRF tagger can fail on odd input; treat as unparseable
        return None
    if kind != "Street Address":
        return None
    return tuple(tagged.items())


def _parse(s: str) -> dict[str, str] | None:
    s = _squash(s.replace("\n", ", "))
    if not s:
        return None
    t = _tag(s)
    if t is None:
        return None
    d = dict(t)
    if not d.get("AddressNumber") or not d.get("StreetName"):
        return None
    return d


def _street_type(s: str) -> str:
    u = _clean_token(s)
    return STREET_TYPE_ABBREVIATIONS.get(u, u)


def _direction(s: str) -> str:
    u = _clean_token(s).replace(" ", "")
    return DIRECTIONAL_REPLACEMENTS.get(u, u) if u not in _DIR_VALUES else u


def _occupancy(s: str) -> str:
    u = _clean_token(s)
    if u in _OCC_ABBR_VALUES:
        return u
    return OCCUPANCY_TYPE_ABBREVIATIONS.get(u, u)


def _unit_id(s: str) -> str:
    u = _clean_token(s).replace("#", "").replace(" ", "")
    # "2nd" floor -> "2"
    return re.sub(r"^(\d+)(?:ST|ND|RD|TH)$", r"\1", u)


def _state(s: str) -> str:
    u = _clean_token(s)
    if u in _STATE_VALUES:
        return u
    return STATE_ABBREVIATIONS.get(u, u)


def _street_name(s: str) -> str:
    u = _clean_token(s)
    return " ".join(_ORDINAL_WORDS.get(w, w) for w in u.split())


def _unit_key(d: dict[str, str]) -> str:
    ident = d.get("OccupancyIdentifier", "")
    if not ident:
        return ""
    designator = _occupancy(d.get("OccupancyType", "")) if d.get("OccupancyType") else "#"
    uid = _unit_id(ident)
    if designator in _UNIT_DESIGNATORS:
        return uid
    return f"{designator} {uid}"  # "FL 2" is not the same place as "STE 2"


def _key_of(d: dict[str, str]) -> tuple[str, str, str, str, str, str]:
    zip_m = re.match(r"\d{5}", d.get("ZipCode", "").strip())
    return (
        _clean_token(d.get("AddressNumber", "")).replace(" ", ""),
        _direction(d["StreetNamePreDirectional"]) if d.get("StreetNamePreDirectional") else "",
        _street_name(d.get("StreetName", "")),
        _street_type(d["StreetNamePostType"]) if d.get("StreetNamePostType") else "",
        _unit_key(d),
        zip_m.group(0) if zip_m else "",
    )


def _canonical_of(d: dict[str, str]) -> str:
    line1 = [d.get("AddressNumber", "")]
    if d.get("StreetNamePreDirectional"):
        line1.append(_direction(d["StreetNamePreDirectional"]))
    if d.get("StreetNamePreType"):
        line1.append(_street_type(d["StreetNamePreType"]))
    line1.append(_street_name(d.get("StreetName", "")))
    if d.get("StreetNamePostType"):
        line1.append(_street_type(d["StreetNamePostType"]))
    if d.get("StreetNamePostDirectional"):
        line1.append(_direction(d["StreetNamePostDirectional"]))
    if d.get("OccupancyIdentifier"):
        designator = _occupancy(d["OccupancyType"]) if d.get("OccupancyType") else "#"
        line1 += [designator, _unit_id(d["OccupancyIdentifier"])]
    parts = [_squash(" ".join(p for p in line1 if p)).upper()]
    if d.get("PlaceName"):
        parts.append(_clean_token(d["PlaceName"]))
    tail = " ".join(
        p for p in (_state(d.get("StateName", "")), d.get("ZipCode", "").strip()) if p
    )
    if tail:
        parts.append(tail)
    return ", ".join(p for p in parts if p)


def _postal_to_string(d: dict) -> str:
    street = d.get("streetAddress")
    street_s = ", ".join(_text_value(x) for x in street) if isinstance(street, list) \
        else _text_value(street)
    locality = _text_value(d.get("addressLocality"))
    region = _text_value(d.get("addressRegion"))
    postal = _text_value(d.get("postalCode"))
    return ", ".join(p for p in (street_s, locality, " ".join(x for x in (region, postal) if x))
                     if p)


def _parse_any(a: str | dict | None) -> dict[str, str] | None:
    if isinstance(a, dict):
        d = _parse(_postal_to_string(a))
        if d is None:
            # Fall back to the street line alone; the ZIP comes from its own field.
            d = _parse(_text_value(a.get("streetAddress")))
            if d is not None and _text_value(a.get("postalCode")):
                d["ZipCode"] = _text_value(a.get("postalCode"))
        return d
    if isinstance(a, str):
        return _parse(a)
    return None


def address_key(a: str | dict | None) -> tuple[str, str, str, str, str, str] | None:
    """Comparison key (number, predirectional, STREET NAME, USPS suffix, unit id, ZIP5).

    Accepts a one-line address or a schema.org PostalAddress dict. Unit designators are
    folded (Suite 201 = Ste. 201 = # 201 -> "201"); missing parts are "". None when the
    address cannot be parsed as a street address.
    """
    d = _parse_any(a)
    return _key_of(d) if d is not None else None


def canonical_address(a: str | dict | None) -> str | None:
    """One-line USPS-style string, e.g. "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"."""
    d = _parse_any(a)
    return _canonical_of(d) if d is not None else None


def compare_addresses(a: str | dict | None, b: str | dict | None) -> str:
    """"match" | "mismatch" | "unknown".

    A different street number, street name, suffix, direction, unit or ZIP5 is a mismatch
    when both sides have that part; style differences (Blvd/Boulevard, Ste./Suite/#,
    ZIP+4/ZIP5, CA/California) are not. A part missing on one side is not a conflict.
    Unparseable input gives "unknown", never a mismatch (false-positive policy).
    """
    ka, kb = address_key(a), address_key(b)
    if ka is None or kb is None:
        return "unknown"
    for i, (x, y) in enumerate(zip(ka, kb, strict=True)):
        if i in (0, 2):  # number and street name are always present
            if x != y:
                return "mismatch"
        elif x and y and x != y:
            return "mismatch"
    return "match"


def _addresses_in_text(text: str) -> list[tuple[int, int, str, dict[str, str]]]:
    """Street addresses in visible text: a window from a house number to a CA ZIP."""
    out: list[tuple[int, int, str, dict[str, str]]] = []
    floor = 0
    for z in _ZIP_RE.finditer(text):
        lo = max(floor, z.start() - 160)
        starts = [m.start() for m in _HOUSE_RE.finditer(text, lo, z.start())]
        best: tuple[int, dict[str, str]] | None = None
        fallback: tuple[int, dict[str, str]] | None = None
        # Nearest house number first: it carries the least unrelated text before it.
        for s in reversed(starts):
            if _OCCUPANCY_BEFORE.search(text[max(0, s - 12) : s]):
                continue  # "Suite 201 Beverly Hills" does not start an address
            window = text[s : z.end()]
            if window.count("\n") > 3 or _phones_in_window(window):
                continue
            d = _parse(window)
            if d is None or not set(d) <= _ALLOWED_LABELS or not d.get("ZipCode"):
                continue
            if d.get("AddressNumber", "").replace(" ", "") != text[s:].split()[0].rstrip(","):
                continue
            if d.get("StateName") and _state(d["StateName"]) != "CA":
                continue  # "2020 in Los Angeles 90025" tags "Angeles" as the state
            if d.get("StreetNamePostType") or d.get("StreetNamePreType"):
                best = (s, d)
                break
            # No street type ("100 Broadway"): only a capitalised street name will do.
            if fallback is None and re.match(r"[A-Z0-9]", d["StreetName"]):
                fallback = (s, d)
        chosen = best or fallback
        if chosen is not None:
            s, d = chosen
            out.append((s, z.end(), text[s : z.end()], d))
            floor = z.end()
    return out


def _phones_in_window(window: str) -> bool:
    return any(True for _ in _phone_matches(window))
