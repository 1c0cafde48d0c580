"""Street addresses in page text and schema.org PostalAddress values (domain notes 2.3).

Reads one-line addresses, PostalAddress dicts and visible text with usaddress, and gives a
comparison key and a USPS-style canonical form, so that style differences (Blvd/Boulevard,
Suite/Ste./#, ZIP+4/ZIP5, CA/California, TX/Texas, D.C./DC) never count as a mismatch while
another street number, street, unit or ZIP does. Anything that cannot be parsed is "unknown",
never a mismatch. In visible text an address is a window from a house number to a ZIP: any
California ZIP, or a ZIP of another state or territory when the state is written directly
before it ("Roslindale, MA 02131"), as in every real US postal address; a bare 5-digit number
is too often something else. The same footer address comes back on every page of a site, so
the tagger's answers are remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import usaddress
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STATE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from audit.nap.phones import _OCCUPANCY_BEFORE, _phone_matches
from audit.nap.states import TERRITORY_NAMES, ZIP_AREAS
from audit.nap.text import _finditer_from, _squash, _text_value, digit_marks

_OCC_ABBR_VALUES = frozenset(OCCUPANCY_TYPE_ABBREVIATIONS.values())
_DIR_VALUES = frozenset(DIRECTIONAL_REPLACEMENTS.values())
_STATE_VALUES = frozenset(STATE_ABBREVIATIONS.values())
_STREET_TYPE_VALUES = frozenset(STREET_TYPE_ABBREVIATIONS.values())
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

# Every other state and territory is read only with its state written directly before the ZIP.
# The ZIP's first digit is its USPS national area, so a state with a ZIP from another part of
# the country ("MA 75204") is not an address. California is left out on purpose: its ZIPs
# have their own reader above, whose behaviour is kept as it was.
_STATE_ZIP_AREAS = {code: area for code, area in ZIP_AREAS.items() if code != "CA"}
# Full names and the older abbreviations ("Texas", "Tex.", "Mass.", "W. Va."), cleaned as
# _clean_token cleans them, by USPS code.
_STATE_NAMES = {k: v for k, v in {**STATE_ABBREVIATIONS, **TERRITORY_NAMES}.items()
                if v != "CA"}
# A ZIP of any state: the state reader's candidates among the 5-digit numbers of a text.
_ZIP5_AT_RE = re.compile(r"(?<![\d\-])(\d{5})(?:-\d{4})?(?!\d)")
_STATE_LOOKBACK = 40  # longer than any state token and its comma and spaces
_SEPARATORS = " \t\n\r\f\v\u00a0,"  # between a state and its ZIP


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
    if u in STATE_ABBREVIATIONS or u in TERRITORY_NAMES:
        return STATE_ABBREVIATIONS.get(u) or TERRITORY_NAMES[u]
    # USPS codes written with periods ("D.C.", "N.Y."). Never California: "C.A." was not
    # read as CA before and the California reader must not change.
    joined = u.replace(" ", "")
    return joined if joined in _STATE_ZIP_AREAS else u


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
    """Street addresses in visible text: a window from a house number to a ZIP.

    (start, end, raw, tagged parts) in text order. A California ZIP needs nothing more; any
    other ZIP counts only with its state written directly before it (_state_zip_addresses).
    """
    starts = _five_digit_starts(text)
    if not starts:
        return []  # most pages: no five digits in a row, so no ZIP of any state
    # California first, exactly as it was read before the other states were: the same ZIPs,
    # windows and floor. The other states' addresses then fill in around what it found.
    out: list[tuple[int, int, str, dict[str, str]]] = []
    floor = 0
    for z in _finditer_from(_ZIP_RE, text, starts):
        chosen = _address_before(text, max(floor, z.start() - 160), z.start(), z.end(),
                                 _is_california)
        if chosen is not None:
            s, d = chosen
            out.append((s, z.end(), text[s : z.end()], d))
            floor = z.end()
    others = _state_zip_addresses(text, starts, out)
    if others:
        out = sorted(out + others, key=lambda a: a[0])
    return out


def _five_digit_starts(text: str) -> list[int]:
    """Every offset where five characters that may be digits begin, in order.

    Both ZIP readers run on every page, so instead of a regex tried at every character they
    get these offsets from a C-speed search of the text's digit marks (audit.nap.text), which
    the phone and license scans of the same text have already made. Every match of _ZIP_RE and
    _ZIP5_AT_RE begins at one of them, so _finditer_from gives exactly their finditer matches.
    The search runs backwards: CPython's bytes.rfind skips through text with few digits about
    twice as fast as find (measured on the benchmark's pages), faster than _ZIP_RE alone.
    """
    marks = digit_marks(text)
    out: list[int] = []
    end = len(marks)
    while (i := marks.rfind(b"00000", 0, end)) >= 0:
        # i is the last start in a run of digits that ends at i + 5; find where it begins.
        j = i
        while j > 0 and marks[j - 1] == 48:
            j -= 1
        out.extend(range(i, j - 1, -1))
        end = j - 1  # marks[j - 1] is no digit: the runs before it end before it
        if end < 5:
            break
    out.reverse()
    return out


def _is_california(d: dict[str, str]) -> bool:
    # "2020 in Los Angeles 90025" tags "Angeles" as the state.
    return not (d.get("StateName") and _state(d["StateName"]) != "CA")


def _address_before(
    text: str, lo: int, zip_start: int, zip_end: int, accept: Callable[[dict[str, str]], bool]
) -> tuple[int, dict[str, str]] | None:
    """(start, parts) of the address ending at the ZIP at zip_start..zip_end, if any."""
    starts = [m.start() for m in _HOUSE_RE.finditer(text, lo, zip_start)]
    fallback: tuple[int, dict[str, str]] | None = None
    # Nearest house number first: it carries the least unrelated text before it.
    for s in reversed(starts):
        if _OCCUPANCY_BEFORE.search(text[max(0, s - 12) : s]):
            continue  # "Suite 201 Beverly Hills" does not start an address
        window = text[s:zip_end]
        if window.count("\n") > 3 or _phones_in_window(window):
            continue
        d = _parse(window)
        if d is None or not set(d) <= _ALLOWED_LABELS or not d.get("ZipCode"):
            continue
        if d.get("AddressNumber", "").replace(" ", "") != text[s:].split()[0].rstrip(","):
            continue
        if not accept(d):
            continue
        if d.get("StreetNamePostType") or d.get("StreetNamePreType"):
            return s, d
        # No street type ("100 Broadway"): only a capitalised street name will do.
        if fallback is None and re.match(r"[A-Z0-9]", d["StreetName"]):
            fallback = (s, d)
    return fallback


def _state_zip_addresses(
    text: str, starts: list[int], taken: list[tuple[int, int, str, dict[str, str]]]
) -> list[tuple[int, int, str, dict[str, str]]]:
    """Addresses ending "<state> <ZIP>" outside California, beside the California ones (taken).

    Only a 5-digit number with a state token right before it, in the ZIP area of that state,
    gets the window search and the tagger; on most pages that is none of them (license
    numbers, California ZIPs).
    """
    out: list[tuple[int, int, str, dict[str, str]]] = []
    for z in _finditer_from(_ZIP5_AT_RE, text, starts):
        code = _state_before(text, z.start())
        if code is None or z.group(1)[0] not in _STATE_ZIP_AREAS[code]:
            continue  # not a state (or California), or a ZIP from another part of the country
        found = _state_zip_address(text, z, code, taken + out)
        if found is not None:
            out.append(found)
    return out


def _state_zip_address(
    text: str, z: re.Match[str], code: str, taken: list[tuple[int, int, str, dict[str, str]]]
) -> tuple[int, int, str, dict[str, str]] | None:
    if any(s <= z.start() < e for s, e, _, _ in taken):
        return None  # this ZIP already ends an address (a California one)
    zip5 = z.group(1)
    floor = max((e for _, e, _, _ in taken if e <= z.start()), default=0)

    def accept(d: dict[str, str]) -> bool:
        # The tagger must read the same state and ZIP, or the window is not this address.
        if not (d.get("StateName") and _state(d["StateName"]) == code
                and d["ZipCode"].strip()[:5] == zip5):
            return False
        # Prose the tagger reads as an address ("12 clinicians in Dallas, TX 75204": street
        # "clinicians", type "in"; "Ave, Suite 300. Licensed in TX 75204": city "Licensed
        # in") has a street or city in lower case, or a street type that is no USPS suffix.
        # Real ones are capitalised: "Avenue of the Americas", "Coeur d'Alene".
        if not _has_capital(d["StreetName"]):
            return False
        if d.get("PlaceName") and not _has_capital(d["PlaceName"].split()[-1]):
            return False
        return all(_street_type(d[k]) in _STREET_TYPE_VALUES
                   for k in ("StreetNamePreType", "StreetNamePostType") if d.get(k))

    chosen = _address_before(text, max(floor, z.start() - 160), z.start(), z.end(), accept)
    if chosen is None:
        return None
    s, d = chosen
    if any(s < e and a < z.end() for a, e, _, _ in taken):
        return None  # overlaps an address already read
    return s, z.end(), text[s : z.end()], d


def _has_capital(s: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in s)


def _state_before(text: str, zip_start: int) -> str | None:
    """USPS code of the state written directly before the ZIP at zip_start, or None (and
    never CA): "Dallas, TX 75204", "Texas 75204", "Mass. 02131", "Washington, D.C. 20500".

    Looks at the last one to three words before the comma and spaces, keeping the longest that
    names a state ("West Virginia", not "Virginia"). Every 5-digit number on a page comes here,
    so this is a few string operations, not a regex of a hundred state names.
    """
    lo = max(0, zip_start - _STATE_LOOKBACK)
    before = text[lo:zip_start].rstrip(_SEPARATORS)
    if not before or not (before[-1].isalpha() or before[-1] == "."):
        return None  # "$150 75204", "(75204)", "1998-75204": no word right before
    comma = before.rfind(",")  # a comma ends the state: "Washington, DC", "Seattle,WA"
    tail = before[comma + 1 :]
    words = tail.rsplit(None, 3)
    if comma < 0 and lo > 0 and len(words) < 4 and not tail[:1].isspace():
        words = words[1:]  # the first word may have been cut by the lookback
    code = None
    for n in range(1, min(3, len(words)) + 1):
        if not words[-n].replace(".", "").isalpha():
            break  # "5TX" or "(TX" is no word of a state
        code = _state_token_code(" ".join(words[-n:])) or code
    return code


def _state_token_code(token: str) -> str | None:
    if len(token) == 2:  # the usual "TX": no need to clean it
        return token if token in _STATE_ZIP_AREAS else None
    words = token.replace(".", " ").split()
    key = " ".join(words).upper()
    if len(key) == 2 or (len(key) == 3 and key[1] == " "):
        # USPS codes are written in capitals ("D.C.", "N.Y."): "in", "or", "Oh" are words.
        letters = key.replace(" ", "")
        return letters if letters in _STATE_ZIP_AREAS and token.isupper() else None
    code = _STATE_NAMES.get(key)
    # A state's name is capitalised ("Texas", "TEXAS", "District of Columbia"), never "texas".
    if code is None or not all(w[0].isupper() or w == "of" for w in words):
        return None
    return code


def _phones_in_window(window: str) -> bool:
    return any(True for _ in _phone_matches(window))
