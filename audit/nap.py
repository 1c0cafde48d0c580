"""NAP (name, address, phone) and license facts of one HTML page.

Pure functions, no Scrapy: the spider hands over a ``NapSources`` per page and the checks
compare the facts across pages, schema and the practice roster. The rules behind every
choice are in the domain notes (/work/shared/domain/local-seo.md sections 1-3 and 9):
compare entities after normalisation, never raw strings, and keep crisis lines, fax
numbers, course codes and form numbers out of the NAP.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jstyleson
import phonenumbers
import usaddress
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STATE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from audit import places

__all__ = [
    "LOCAL_BUSINESS_TYPES",
    "ORGANIZATION_TYPES",
    "NapSources",
    "address_key",
    "canonical_address",
    "compare_addresses",
    "find_licenses",
    "is_local_business",
    "missing_required",
    "names_match",
    "nap_facts",
    "node_types",
    "normalize_license",
    "normalize_name",
    "normalize_phone",
    "parse_jsonld_blocks",
    "phone_role",
    "walk_nodes",
]


@dataclass
class NapSources:
    """What one HTML page offers for NAP extraction (visible text split by zone)."""

    url: str
    title: str = ""
    header_text: str = ""
    main_text: str = ""
    footer_text: str = ""  # includes <footer> and [role=contentinfo]
    # (href, anchor text); a third item, when present, is taken as the zone of the link.
    tel_links: list[tuple[str, str]] = field(default_factory=list)
    jsonld_blocks: list[str] = field(default_factory=list)  # raw <script ld+json> texts
    # the blocks already decoded by parse_jsonld_blocks, when the caller has them (saves
    # decoding every block twice per page)
    jsonld_nodes: list[dict] | None = None
    schema_nodes: list[dict] = field(default_factory=list)  # extruct microdata/RDFa, uniform
    og_site_name: str | None = None


# ---------------------------------------------------------------------------------------
# small helpers

_WS = re.compile(r"\s+")


def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    # ~60 characters around the hit is enough for a reviewer to see why it was classified.
    return _squash(text[max(0, start - width) : end + width])


# Fast path for the regexes that finditer would try at every character of a page (they were
# the crawl's hot spot): every match of them starts with a known string (a board prefix,
# "lic", "copyright", "988", ...), which str.find / bytes.find locate at C speed, and the regex
# runs only there. _finditer_from gives exactly the matches of finditer.
#
# Characters that case-insensitive regex matching treats as equal to an ASCII letter (dotted
# and dotless i, long s, Kelvin sign): "p\u017fy" matches PSY. A text with any of them is
# searched with plain finditer, so the case-insensitive fast paths can rely on ASCII folding.
_ASCII_LOOKALIKES = ("\u0130", "\u0131", "\u017f", "\u212a")


def _has_lookalike(text: str) -> bool:
    return any(c in text for c in _ASCII_LOOKALIKES)


def _find_all(hay: Any, needles: Iterable[tuple[Any, int]]) -> list[int]:
    """Sorted offsets ``i - back`` of every occurrence i of each (needle, back) in ``hay``."""
    found: set[int] = set()
    for needle, back in needles:
        i = hay.find(needle)
        while i >= 0:
            if i >= back:
                found.add(i - back)
            i = hay.find(needle, i + 1)
    return sorted(found)


def _char_offsets(raw: bytes, text: str, offsets: list[int]) -> list[int]:
    """Offsets into ``raw`` (text's UTF-8, sorted, each at a character start) as text offsets."""
    if len(raw) == len(text):
        return offsets
    out: list[int] = []
    prev_b = prev_c = 0
    for b in offsets:
        prev_c += len(raw[prev_b:b].decode("utf-8", "surrogatepass"))
        prev_b = b
        out.append(prev_c)
    return out


def _finditer_from(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """rx.finditer(text) when ``starts`` holds every offset where a match of rx can begin.

    Replays finditer: candidates in text order, a match consumes the text up to its end (the
    regexes used here never match the empty string).
    """
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = rx.match(text, s)
        if m is not None:
            yield m
            pos = m.end()


def _fact(field_: str, source: str, zone: str, raw: str, normalized: str, role: str,
          context: str, **extra: Any) -> dict:
    fact = {
        "field": field_,
        "source": source,
        "zone": zone,
        "raw": raw,
        "normalized": normalized,
        "role": role,
        "context": context,
    }
    fact.update(extra)
    return fact


# ---------------------------------------------------------------------------------------
# phones

# N11 service codes and 988 are dialled as-is; they have no E.164 form, so they are kept
# as bare digits. 741741 is the Crisis Text Line ("text HOME to 741741").
SHORT_CODES = frozenset({"211", "311", "411", "511", "611", "711", "811", "911", "988", "741741"})

# National and L.A. County hotlines that therapy sites list on purpose; they must never be
# read as a second business number (domain notes 2.2).
CRISIS_NUMBERS = frozenset(
    {
        "+18002738255",  # National Suicide Prevention Lifeline (pre-988), Veterans Crisis Line
        "+18008547771",  # L.A. County Dept. of Mental Health 24/7 help line
        "+18007997233",  # National Domestic Violence Hotline
        "+18006624357",  # SAMHSA National Helpline
        "+18006564673",  # RAINN
        "+18664887386",  # The Trevor Project
        "+18775658860",  # Trans Lifeline
        "+18009506264",  # NAMI HelpLine
        "+18004224453",  # Childhelp
        "+18009855990",  # Disaster Distress Helpline
    }
)
TOLL_FREE_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})

_FAX_BEFORE = re.compile(r"\b(?:e-?fax|fax)\b|(?<![A-Za-z])F\s*:\s*$", re.IGNORECASE)
# A label after the number counts only in brackets or when no other number follows it:
# in "Phone: 310-999-4996 Fax: 310-999-4997" the "Fax:" belongs to the second number.
_FAX_AFTER = re.compile(
    r"\s*(?:[(\[]\s*(?:e-?fax|fax)\b"
    r"|[-\u2013,]?\s*(?:e-?fax|fax)\b(?!\s*(?:number|no\.?|#)?\s*[:.]?\s*[+(\d]))",
    re.IGNORECASE,
)
_CRISIS_WORDS = re.compile(
    r"\b(?:crisis|suicide|suicidal|lifeline|hotline|helpline|emergenc\w*|988)\b", re.IGNORECASE
)
_SHORT_CODE_RE = re.compile(r"(?<![\w$#./\-])(988|911|[2-8]11|741741)(?![\w/\-]|[.,:]\d)")
# A _SHORT_CODE_RE match starts at "988", "741741" or one character before "11".
_SHORT_CODE_AT = (("988", 0), ("741741", 0), ("11", 1))
_DIAL_WORDS = re.compile(r"\b(?:call|dial|text|txt)\b[^.\n]{0,12}$", re.IGNORECASE)
_OCCUPANCY_BEFORE = re.compile(
    r"(?:\b(?:suite|ste|unit|apt|room|rm|floor|fl|bldg|building|no|box|hwy|route)\.?|#)\s*$",
    re.IGNORECASE,
)


def _e164(n: phonenumbers.PhoneNumber) -> str:
    out = phonenumbers.format_number(n, PhoneNumberFormat.E164)
    if n.extension:
        out += f";ext={n.extension}"
    return out


def normalize_phone(s: str | None) -> str | None:
    """E.164 ("+13109994996", plus ";ext=3" when there is an extension), or None.

    Accepts display text and tel:/callto: hrefs. Short codes (988, 911, N11) come back as
    bare digits because they have no E.164 form. Letters are converted by phonenumbers
    ("1-800-FLOWERS"), so only feed it text that is meant to be a number.
    """
    if not s or not s.strip():
        return None
    t = re.sub(r"^\s*(?:tel|callto|sms):(?://)?", "", s.strip(), flags=re.IGNORECASE)
    bare = re.sub(r"[\s().\-\u2013]", "", t)
    if bare in SHORT_CODES:
        return bare
    try:
        n = phonenumbers.parse(t, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(n):
        return None
    # A 7-digit local number is "possible" but has no area code: it cannot be compared.
    if n.country_code == 1 and len(str(n.national_number)) != 10:
        return None
    return _e164(n)


def phone_role(normalized: str, before: str = "", after: str = "") -> str:
    """business | crisis | tollfree | fax for a normalized number and the text around it."""
    base = normalized.split(";", 1)[0]
    if base in SHORT_CODES or base in CRISIS_NUMBERS:
        return "crisis"
    if _FAX_BEFORE.search(before[-15:]) or _FAX_AFTER.match(after):
        return "fax"
    if base.startswith("+1") and base[2:5] in TOLL_FREE_CODES:
        # A toll-free number next to crisis wording is a hotline, not the practice.
        if _CRISIS_WORDS.search(before[-45:]) or _CRISIS_WORDS.search(after[:45]):
            return "crisis"
        return "tollfree"
    return "business"


def _short_code_matches(text: str, fast: bool = True) -> Iterator[re.Match[str]]:
    """_SHORT_CODE_RE.finditer(text) (fast=False: the plain way)."""
    if not fast:
        return _SHORT_CODE_RE.finditer(text)
    return _finditer_from(_SHORT_CODE_RE, text, _find_all(text, _SHORT_CODE_AT))


# phonenumbers' matcher parses every run of digits it meets (years, prices, dates) and that is
# most of its cost, so it only gets the stretches of text that can hold a valid number:
# - a valid number has at least 6 digits (country code and national number: +43 and 4 digits
#   is the shortest in its metadata) on one line, at most 4 punctuation characters apart (the
#   separator of its candidate pattern): a line without 6 digits that close together has none;
# - the matcher looks at one character on either side of a candidate, and a candidate never
#   spans a line break or a word of 6 ASCII letters without an "x" (after the digits only "x"
#   and extension words may follow: "ext", "extension", "anexo", "int"; "extension" has its x,
#   the others are too short). So text can be cut at line breaks and in the middle of such
#   words without changing what is found.
_PHONE_DENSE = re.compile(r"\d(?:[^\d\n]{0,4}\d){5}")
_PHONE_CUT = re.compile(r"(?<![A-Za-z])[A-WYZa-wyz]{6,}")
_PHONE_STRETCH = 200  # a longer line is cut at such words this far around the digits


def _phone_stretches(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) stretches of text around every place dense enough in digits."""
    stretches: list[tuple[int, int]] = []
    for m in _PHONE_DENSE.finditer(text):
        s, e = m.span()
        a = text.rfind("\n", 0, s) + 1
        b = text.find("\n", e)
        b = len(text) if b < 0 else b
        if s - a > _PHONE_STRETCH:
            cuts = list(_PHONE_CUT.finditer(text, s - _PHONE_STRETCH, s))
            if cuts:
                a = cuts[-1].start() + 3
        if b - e > _PHONE_STRETCH:
            cut = _PHONE_CUT.search(text, e, e + _PHONE_STRETCH)
            if cut is not None:
                b = cut.start() + 3
        if stretches and a <= stretches[-1][1]:
            a0, b0 = stretches.pop()
            a, b = a0, max(b0, b)
        stretches.append((a, b))
    return stretches


def _phone_matches(text: str, fast: bool = True) -> Iterator[tuple[int, int, str, Any]]:
    """(start, end, raw, PhoneNumber) of each valid number phonenumbers finds in text
    (fast=False: the matcher over the whole text)."""
    stretches = _phone_stretches(text) if fast else [(0, len(text))]
    for a, b in stretches:
        for s, e, raw, number in _numbers_in(text[a:b]):
            yield a + s, a + e, raw, number


@lru_cache(maxsize=4096)
def _numbers_in(text: str) -> tuple[tuple[int, int, str, Any], ...]:
    """phonenumbers' matches in text, remembered: a site repeats its footer and header on
    every page, and parsing the same number again is most of what is left of the cost."""
    return tuple((m.start, m.end, m.raw_string, m.number)
                 for m in PhoneNumberMatcher(text, "US", leniency=Leniency.VALID))


def _phones_in_text(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, raw, normalized) for every phone and crisis short code in text."""
    hits: list[tuple[int, int, str, str]] = []
    for s, e, raw, number in _phone_matches(text):
        hits.append((s, e, raw, _e164(number)))
    for m in _short_code_matches(text):
        s, e = m.span()
        if any(hs < e and s < he for hs, he, _, _ in hits):
            continue
        before = text[max(0, s - 40) : s]
        if _OCCUPANCY_BEFORE.search(before):
            continue
        code = m.group(1)
        if code in ("988", "911"):
            # "call or text 988", "988 Suicide & Crisis Lifeline", "in an emergency call 911"
            ok = bool(_DIAL_WORDS.search(before) or _CRISIS_WORDS.search(before)
                      or _CRISIS_WORDS.search(text[e : e + 40]))
        else:
            ok = bool(_DIAL_WORDS.search(before))
        if ok:
            hits.append((s, e, code, code))
    hits.sort()
    return hits


def _first_phone(text: str) -> str:
    bare = _squash(text or "")
    if bare in SHORT_CODES:
        return bare  # an anchor reading just "988" needs no "call" before it
    for _, _, _, norm in _phones_in_text(bare):
        return norm
    return ""


# ---------------------------------------------------------------------------------------
# licenses (domain notes 1.2-1.4)

_BOARD_PREFIX_LIST = ("LMFT", "AMFT", "LCSW", "LPCC", "APCC", "PCCI", "PSY", "PSB", "MFT", "MFC",
                      "IMF", "LCS", "ASW", "LEP", "20A")
_BOARD_PREFIXES = r"(?:" + "|".join(_BOARD_PREFIX_LIST) + ")"
# One separator character or keyword per repetition (never a nested "+" inside "*"), so the
# regex cannot backtrack catastrophically on long runs of spaces or dashes.
# Keywords do not take their own dot (the character class does), so each input has one
# way to match.
_SEP = (r"(?:[\s#:.,\-\u2013\u2014]|Nos?\b|Number|Lic\b|License|Licence|Reg\b"
        r"|Registration){0,16}")
_BOARD_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>" + _BOARD_PREFIXES + r")" + _SEP
    + r"(?P<num>\d{3,8})(?!\d)(?!,\d)"  # "22,022" is a count, not a license
    + r"(?![\s\-.)]*\d{3}[\s\-.]*\d{4}\b)"  # "MFT, 310-999-4996" is a phone, not MFT 310
    + r"(?!\s*[-.)]\s*\d{3})",
    re.IGNORECASE,
)
# Medical Board A/C/G: a single letter is too ambiguous without a license keyword before it.
_MD_RE = re.compile(
    r"(?i:(?:Medical\s+)?(?:License|Licence|Lic\b\.?|Certificate|Cert\b\.?)\s*"
    r"(?:No\b\.?|Number|#)?\s*[:#]?\s*)(?P<prefix>[ACG])\s*-?\s*(?P<num>\d{4,6})(?!\d)"
)
# "License # 22022" with no type: reported separately as "number without license type".
_NUMONLY_RE = re.compile(
    r"(?:License|Licence|Lic\b\.?)\s*(?:No\b\.?|Number|#)\s*[:#]?\s*(?P<num>\d{4,6})(?!\d)",
    re.IGNORECASE,
)
_LICENSE_CONTEXT = re.compile(
    r"licen[sc]e|\blic\b|psycholog|psy\.?\s?d|ph\.?\s?d|#|\bno\.", re.IGNORECASE
)
_FORM_AFTER = re.compile(r"\s*\(\s*rev", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")

# Where each license regex can start (see _finditer_from): a _BOARD_RE match at a board prefix,
# a _NUMONLY_RE match at "lic...", an _MD_RE match there too or at "cert..." or "medical". They
# are looked for in the text's UTF-8 bytes with ASCII letters lowered and every byte that is
# not an ASCII letter or digit (spaces, punctuation, the bytes of non-ASCII characters) turned
# into a space.
_ALNUM_BYTES = bytes(
    b + 32 if 65 <= b <= 90 else b if (48 <= b <= 57 or 97 <= b <= 122) else 0x20
    for b in range(256)
)
# In the space-padded _ALNUM_BYTES form: a board prefix that is not preceded by an ASCII
# letter or digit and is followed by what can follow it in _BOARD_RE (a separator, "No...",
# "Lic...", "Reg..." or a digit). The leading space is a literal prefix for the regex engine.
_BOARD_GATE = re.compile(
    (" (?:" + "|".join(p.lower() for p in _BOARD_PREFIX_LIST) + ")(?=[ 0-9nlr])").encode()
)
# Where _MD_RE and _NUMONLY_RE can start, in the same form: a keyword ("lic", "cert",
# "medical") followed by what must come after it for the regex to have a chance (a space,
# "No"/"Number", "#", ":" or, for _MD_RE only, the letter A, C or G), so "licensed",
# "licensure" and "publication" are skipped without running the regex. No match of a gate
# holds another keyword after its first letter, so scanning with finditer finds every one.
# One regex per keyword: each starts with a literal the regex engine jumps to (an alternation
# of them is tried at every byte, several times slower).
_MD_GATES = (re.compile(rb"lic(?:en[sc]e)?(?=[ nacg])"),
             re.compile(rb"cert(?:ificate)?(?=[ nacg])"), re.compile(rb"medical "))
_NUMONLY_GATE = re.compile(rb"lic(?:en[sc]e)?(?=[ n])")


def _license_matches(text: str, fast: bool = True) -> tuple[Iterator[re.Match[str]], ...]:
    """finditer of _BOARD_RE, _MD_RE and _NUMONLY_RE over text (fast=False: the plain way)."""
    if not fast or _has_lookalike(text):
        return _BOARD_RE.finditer(text), _MD_RE.finditer(text), _NUMONLY_RE.finditer(text)
    raw = text.encode("utf-8", "surrogatepass")
    data = b" " + raw.translate(_ALNUM_BYTES)  # offsets in data are raw offsets + 1
    board_at = _char_offsets(raw, text, [m.start() for m in _BOARD_GATE.finditer(data)])
    md_at = _char_offsets(raw, text, sorted(
        m.start() - 1 for gate in _MD_GATES for m in gate.finditer(data)))
    lic_at = _char_offsets(raw, text, [m.start() - 1 for m in _NUMONLY_GATE.finditer(data)])
    return (_finditer_from(_BOARD_RE, text, board_at), _finditer_from(_MD_RE, text, md_at),
            _finditer_from(_NUMONLY_RE, text, lic_at))


def _find_licenses(text: str, phone_spans: list[tuple[int, int]]) -> list[dict]:
    out: list[dict] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
        return any(a < e and s < b for a, b in spans)

    board, medical, numonly = _license_matches(text)
    for m in board:
        prefix, num = m.group("prefix").upper(), m.group("num")
        s, e = m.span()
        if overlaps(m.start("num"), m.end("num"), phone_spans):
            continue
        if prefix == "PSB" and _FORM_AFTER.match(text, e):
            continue  # "PSB 100 (rev. 10/16)" is a Board of Psychology form number
        has_ctx = bool(_LICENSE_CONTEXT.search(text[max(0, s - 40) : m.start("num")]))
        if len(num) <= 3:
            if prefix not in ("PSY", "PSB"):
                continue  # hardening: >= 4 digits; "MFT 310" is never a license
            confidence = "low"  # "PSY 220: Developmental Psychology" is a course code
        elif len(num) == 4 and not has_ctx and (prefix in ("PSY", "PSB") or _YEAR.fullmatch(num)):
            confidence = "low"  # "PSY 2012 Intro to ...", "IMF 2024 report"
        else:
            confidence = "high"
        out.append({"start": s, "end": e, "raw": m.group(0), "normalized": f"{prefix} {num}",
                    "confidence": confidence, "kind": "board"})
        taken.append((s, e))
    for m in medical:
        if overlaps(*m.span(), taken) or overlaps(*m.span("num"), phone_spans):
            continue
        out.append({"start": m.start(), "end": m.end(), "raw": m.group(0),
                    "normalized": f"{m.group('prefix')} {m.group('num')}",
                    "confidence": "high", "kind": "medical"})
        taken.append(m.span())
    for m in numonly:
        if overlaps(*m.span(), taken) or overlaps(*m.span("num"), phone_spans):
            continue
        out.append({"start": m.start(), "end": m.end(), "raw": m.group(0),
                    "normalized": m.group("num"), "confidence": "low", "kind": "untyped"})
    out.sort(key=lambda d: d["start"])
    return out


def find_licenses(text: str) -> list[dict]:
    """License-number mentions in text.

    Each dict: start, end, raw, normalized ("PSY 22022"), confidence ("high"/"low") and kind:
    "board" (PSY/LMFT/... prefixes), "medical" (A/C/G after a license keyword) or "untyped"
    ("License # 22022": a number without a license type; normalized is just the digits).
    """
    if not text:
        return []
    spans = [(s, e) for s, e, _, _ in _phones_in_text(text)]
    return _find_licenses(text, spans)


def normalize_license(s: str | None) -> str | None:
    """Canonical "<PREFIX> <digits>" ("PSY 22022") of the first typed license in s, or None."""
    if not s:
        return None
    for hit in find_licenses(s):
        if hit["kind"] != "untyped":
            return hit["normalized"]
    return None


# ---------------------------------------------------------------------------------------
# addresses (domain notes 2.3)

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


def _text_value(v: Any) -> str:
    """A plain string from a schema value: str, number, {"@value": ..}, or a 1-item list."""
    if isinstance(v, list):
        return _text_value(v[0]) if v else ""
    if isinstance(v, dict):
        return _text_value(v.get("@value", "")) if "@value" in v else ""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return str(v).strip()
    return ""


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


# ---------------------------------------------------------------------------------------
# names (domain notes 2.4)

_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "llp", "pllc", "pc", "apc", "corp", "corporation", "co",
     "ltd", "psyc"}
)
_CREDENTIALS = frozenset(
    {"psyd", "phd", "edd", "md", "do", "ma", "ms", "msw", "mft", "lmft", "lcsw", "lpcc", "lep",
     "amft", "asw", "apcc", "lpc", "lmhc", "rn", "np", "pmhnp", "dnp", "bcba", "psy", "psychd",
     "jd", "esq", "mba", "mph", "mfa"}
)
_HONORIFICS = frozenset({"dr", "doctor", "mr", "mrs", "ms", "mx", "the"})
_CORP_PHRASE = re.compile(
    r"\ba (?:psychological|professional|medical|nursing|marriage and family therapy"
    r"|licensed clinical social work(?:er)?) corporation\b"
)


def normalize_name(s: str | None) -> str:
    """Comparison form of a business or practitioner name.

    casefold, & -> and, no punctuation or trademark signs, no legal suffixes (Inc, LLC, PC,
    APC, "A Psychological Corporation") and no honorifics/credentials (Dr, Psy.D., PhD,
    LMFT...). "Dr. Cassidy Blair, Psy.D." -> "cassidy blair".
    """
    if not s:
        return ""
    # Trademark signs go first: NFKC would turn "\u2122" into the letters "TM".
    t = re.sub(r"[\u2122\u00ae\u00a9\u2120]", " ", s)
    t = unicodedata.normalize("NFKC", t).casefold()
    t = t.replace("&", " and ").replace("+", " and ")
    # Dots and apostrophes join ("Psy.D." -> "psyd", "Blair's" -> "blairs"); other
    # punctuation separates words.
    t = re.sub(r"[.'\u2019`]", "", t)
    t = re.sub(r"[^\w\s]|_", " ", t)
    t = _squash(t)
    t = _squash(_CORP_PHRASE.sub(" ", t))
    words = t.split()
    while words and (words[-1] in _LEGAL_SUFFIXES or words[-1] in _CREDENTIALS):
        words.pop()
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    return " ".join(words)


def names_match(a: str | None, b: str | None) -> bool:
    """Same entity after normalisation ("BLAIR WELLNESS GROUP, Inc." = "Blair Wellness Group")."""
    na, nb = normalize_name(a), normalize_name(b)
    return bool(na) and na == nb


_COPYRIGHT_RE = re.compile(
    r"(?:\u00a9|\(c\)|&copy;|\bcopyright\b\s*(?:\u00a9|\(c\))?(?=\s*(?:\d{4}|\u00a9)))"
    r"\s*(?:\d{4}(?:\s*[-\u2013\u2014]\s*\d{2,4})?)?\s*[,.]?\s*"
    r"(?P<name>[^\n|\u00a9]{2,100}?)"
    r"\s*(?:[.,|\-\u2013]?\s*all\s+rights\s+reserved"
    r"|(?<!\bdr)(?<!\binc)(?<!\bco)(?<!\bcorp)(?<!\bltd)(?<!\bst)\.(?:\s|$)"
    r"|\||\n|$)",
    re.IGNORECASE,
)
_ABBREV_END = re.compile(r"\b(?:inc|corp|co|ltd|llc|p\.?c|a\.?p\.?c)$", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s*\|\s*|\s+[-\u2013\u2014]\s+")
_GENERIC_TITLE_PARTS = frozenset(
    {"home", "homepage", "blog", "about", "about us", "contact", "contact us", "services",
     "news", "faq", "page not found", "404"}
)


# A _COPYRIGHT_RE match starts with one of these (as lower-case UTF-8); see _finditer_from.
_COPYRIGHT_WORDS = ("\u00a9".encode(), b"(c)", b"&copy;", b"copyright")


def _copyright_matches(text: str, fast: bool = True) -> Iterator[re.Match[str]]:
    """_COPYRIGHT_RE.finditer(text) (fast=False: the plain way)."""
    if not fast or _has_lookalike(text):
        return _COPYRIGHT_RE.finditer(text)
    raw = text.encode("utf-8", "surrogatepass")
    at = _char_offsets(raw, text, _find_all(raw.lower(), ((w, 0) for w in _COPYRIGHT_WORDS)))
    return _finditer_from(_COPYRIGHT_RE, text, at)


def _copyright_names(text: str) -> Iterator[tuple[int, int, str, str]]:
    for m in _copyright_matches(text):
        name = m.group("name").strip(" ,.-\u2013")
        name = re.sub(r"[\s,]+(?:19|20)\d\d(?:\s*[-\u2013]\s*\d{2,4})?$", "", name)  # "Name 2024"
        name = re.sub(r"^(?:by)\s+", "", name, flags=re.IGNORECASE).strip()
        if _ABBREV_END.search(name):
            name += "."
        if not name or not re.match(r"[A-Z0-9]", name) or not re.search(r"[A-Za-z]", name):
            continue
        if len(name) > 80:
            continue
        yield m.start(), m.end(), m.group(0), name


def _title_name(title: str) -> str | None:
    parts = [p for p in _TITLE_SPLIT.split(title.strip()) if p]
    if len(parts) < 2:
        return None
    suffix = _squash(parts[-1])
    if not re.search(r"[A-Za-z]", suffix) or len(suffix) > 60:
        return None
    if suffix.casefold() in _GENERIC_TITLE_PARTS:
        return None
    if normalize_license(suffix) or find_licenses(suffix) or _first_phone(suffix):
        return None  # "... | PSY 22022" is a license, "... | (310) 999-4996" a phone
    if places.lookup(suffix) or places.find_places(suffix):
        return None  # "Therapy | Los Angeles, CA" is a location, not a name
    if re.fullmatch(r"[A-Za-z .'-]+,\s*(?:CA|Calif\.?|California)", suffix):
        return None
    return suffix


# ---------------------------------------------------------------------------------------
# schema.org / JSON-LD (domain notes 3)

LOCAL_BUSINESS_TYPES = frozenset(
    {
        "LocalBusiness",
        "ProfessionalService",  # deprecated (rule S6) but still a LocalBusiness subtype
        "MedicalBusiness",
        "MedicalClinic",
        "CovidTestingFacility",
        "Physician",
        "IndividualPhysician",
        "PhysiciansOffice",
        "Dentist",
        "Optician",
        "Optometric",
        "Psychiatric",
        "Pharmacy",
        "Physiotherapy",
        "CommunityHealth",
        "Dermatology",
        "DietNutrition",
        "Emergency",
        "Geriatric",
        "Gynecologic",
        "Midwifery",
        "Nursing",
        "Obstetric",
        "Oncologic",
        "Otolaryngologic",
        "Pediatric",
        "PlasticSurgery",
        "Podiatric",
        "PrimaryCare",
        "PublicHealth",
        "Hospital",
        "DiagnosticLab",
        "MedicalOrganization",
        "VeterinaryCare",
        "HealthAndBeautyBusiness",
    }
)
ORGANIZATION_TYPES = frozenset(
    {"Organization", "Corporation", "NGO", "MedicalOrganization", "OnlineBusiness"}
)

_SCHEMA_IRI = re.compile(r"^(?:https?://schema\.org/|schema:)")
_HTML_COMMENT_LINE = re.compile(r"^\s*(?://.*|<!--.*-->)")


def node_types(node: dict) -> list[str]:
    """@type as a list of short names ("https://schema.org/Dentist" -> "Dentist")."""
    t = node.get("@type") if isinstance(node, dict) else None
    if t is None and isinstance(node, dict):
        t = node.get("type")  # extruct microdata without uniform=True
    values = t if isinstance(t, list) else [t]
    return [_SCHEMA_IRI.sub("", v).strip() for v in values if isinstance(v, str) and v.strip()]


def is_local_business(node: dict) -> bool:
    """True when any @type is LocalBusiness or one of its medical/health subtypes."""
    return any(t in LOCAL_BUSINESS_TYPES for t in node_types(node))


def _present(v: Any) -> bool:
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return v is not None


def missing_required(node: dict) -> list[str]:
    """Google-required LocalBusiness properties missing from node: subset of [name, address]."""
    return [p for p in ("name", "address") if not _present(node.get(p))]


def _clean_block(raw: str) -> str:
    t = raw.strip()
    # WordPress and some themes wrap JSON-LD in CDATA or HTML comments.
    t = re.sub(r"^(?:/\*\s*)?<!\[CDATA\[(?:\s*\*/)?", "", t)
    t = re.sub(r"(?:/\*\s*)?\]\]>(?:\s*\*/)?$", "", t)
    t = re.sub(r"^<!--", "", t)
    t = re.sub(r"-->$", "", t)
    return t.strip()


def _flatten(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if graph is not None:
            rest = {k: v for k, v in data.items() if k not in ("@graph", "@context")}
            if rest.get("@type"):
                yield {**{"@context": data.get("@context")}, **rest}
            for item in graph if isinstance(graph, list) else [graph]:
                yield from _flatten(item)
        else:
            yield data


def parse_jsonld_blocks(blocks: list[str]) -> tuple[list[dict], list[dict]]:
    """Decode each JSON-LD block on its own and flatten @graph.

    extruct drops all JSON-LD of a page when one block is broken; here a malformed block
    only adds {"block": index, "error": message} and never hides the others. Decoding
    follows extruct: json.loads(strict=False), then jstyleson for trailing commas and
    comments. Every node gets "_block" (its block index); nodes that needed the lenient
    decoder also get "_nonstrict": True (worth an info: Google may reject it).
    """
    nodes: list[dict] = []
    errors: list[dict] = []
    for i, raw in enumerate(blocks):
        text = _clean_block(raw or "")
        if not text:
            errors.append({"block": i, "error": "empty JSON-LD block"})
            continue
        lenient = False
        try:
            data = json.loads(text, strict=False)
        except ValueError as exc:
            try:
                data = jstyleson.loads(_HTML_COMMENT_LINE.sub("", text), strict=False)
                lenient = True
            except Exception:  # jstyleson raises ValueError and friends on real garbage
                errors.append({"block": i, "error": f"invalid JSON: {exc}"})
                continue
        found = list(_flatten(data))
        if not found:
            errors.append({"block": i, "error": "JSON-LD block holds no object"})
            continue
        for node in found:
            node = dict(node)
            node["_block"] = i
            if lenient:
                node["_nonstrict"] = True
            nodes.append(node)
    return nodes, errors


def _id_index(nodes: list[dict]) -> dict[str, dict]:
    index: dict[str, dict] = {}

    def visit(v: Any) -> None:
        if isinstance(v, dict):
            if isinstance(v.get("@id"), str) and len(v) > 1:
                index.setdefault(v["@id"], v)
            for x in v.values():
                visit(x)
        elif isinstance(v, list):
            for x in v:
                visit(x)

    visit(nodes)
    return index


def _resolve(v: Any, index: dict[str, dict]) -> Any:
    # {"@id": "#address"} alone is a reference to a node elsewhere in the page's graph.
    if isinstance(v, dict) and set(v) <= {"@id", "@type"} and isinstance(v.get("@id"), str):
        return index.get(v["@id"], v)
    return v


def walk_nodes(nodes: list[dict]) -> Iterator[dict]:
    """Every typed node, nested ones included, each once, with @id references followed.

    Useful because a LocalBusiness is often nested (WebPage.about, Person.worksFor).
    """
    index = _id_index(nodes)
    seen: set[int] = set()

    def visit(v: Any) -> Iterator[dict]:
        v = _resolve(v, index)
        if isinstance(v, list):
            for x in v:
                yield from visit(x)
        elif isinstance(v, dict):
            if id(v) in seen:
                return
            seen.add(id(v))
            if node_types(v):
                yield v
            for k, x in v.items():
                if k != "@context":
                    yield from visit(x)

    yield from visit(nodes)


def _is_rdfa(node: dict) -> bool:
    return any("://" in k for k in node) or any("://" in t for t in _raw_types(node))


def _raw_types(node: dict) -> list[str]:
    t = node.get("@type")
    return [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def _from_rdfa(nodes: list[dict]) -> list[dict]:
    """extruct RDFa (expanded JSON-LD with full IRIs) -> compact schema.org-like dicts."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    memo: dict[str, dict] = {}

    def conv(n: dict) -> dict:
        nid = n.get("@id")
        if isinstance(nid, str) and nid in memo:
            return memo[nid]
        out: dict[str, Any] = {}
        if isinstance(nid, str):
            memo[nid] = out
            out["@id"] = nid
        for k, v in n.items():
            if k == "@id":
                continue
            if k == "@type":
                out["@type"] = [_SCHEMA_IRI.sub("", t) for t in _raw_types(n)]
                continue
            if not _SCHEMA_IRI.match(k):
                continue  # rdfa#usesVocabulary and other vocabularies
            vals: list[Any] = []
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, dict) and "@value" in item:
                    vals.append(item["@value"])
                elif isinstance(item, dict) and item.get("@id") in by_id:
                    vals.append(conv(by_id[item["@id"]]))
                elif isinstance(item, dict) and "@id" in item:
                    vals.append(item["@id"])
                else:
                    vals.append(item)
            out[_SCHEMA_IRI.sub("", k)] = vals[0] if len(vals) == 1 else vals
        return out

    return [conv(n) for n in nodes if _raw_types(n)]


def _from_plain_microdata(node: dict) -> dict:
    """extruct microdata without uniform=True: {"type", "properties"} -> {"@type", ...}."""
    out: dict[str, Any] = {"@type": node.get("type")}
    for k, v in (node.get("properties") or {}).items():
        if isinstance(v, dict) and "properties" in v:
            out[k] = _from_plain_microdata(v)
        elif isinstance(v, list):
            out[k] = [_from_plain_microdata(x) if isinstance(x, dict) and "properties" in x
                      else x for x in v]
        else:
            out[k] = v
    return out


def _strings(v: Any) -> list[str]:
    vals = v if isinstance(v, list) else [v]
    out = []
    for x in vals:
        s = _text_value(x)
        if s:
            out.append(s)
    return out


def _schema_facts(nodes: list[dict], source: str) -> list[dict]:
    facts: list[dict] = []
    index = _id_index(nodes)
    for node in walk_nodes(nodes):
        types = node_types(node)
        stype = ",".join(types)
        extra = {"schema_type": stype}
        if "_block" in node:
            extra["block"] = node["_block"]
        if is_local_business(node) or any(t in ORGANIZATION_TYPES for t in types):
            for name in _strings(node.get("name")):
                facts.append(_fact("name", source, "schema", name, _squash(name), "",
                                   f"{stype} name", **extra))
        for prop, role in (("telephone", "business"), ("faxNumber", "fax")):
            for tel in _strings(node.get(prop)):
                facts.append(_fact("phone", source, "schema", tel, normalize_phone(tel) or "",
                                   role, f"{stype} {prop}", **extra))
        addresses = node.get("address")
        for addr in addresses if isinstance(addresses, list) else [addresses]:
            addr = _resolve(addr, index)
            if isinstance(addr, dict):
                raw = _postal_to_string(addr)
            else:
                raw = _text_value(addr)
            if not raw:
                continue
            facts.append(_fact("address", source, "schema", raw,
                               canonical_address(addr if isinstance(addr, dict) else raw) or "",
                               "", f"{stype} address", **extra))
        creds = node.get("hasCredential")
        for cred in creds if isinstance(creds, list) else [creds]:
            cred = _resolve(cred, index)
            candidates: list[str] = []
            if isinstance(cred, dict):
                ident = cred.get("identifier")
                for x in ident if isinstance(ident, list) else [ident]:
                    if isinstance(x, dict) and "value" in x:  # PropertyValue
                        candidates.append(_text_value(x["value"]))
                    else:
                        candidates.append(_text_value(x))
                candidates = [c for c in candidates if c] or _strings(cred.get("name"))
            else:
                candidates = _strings(cred)
            for c in candidates:
                norm = normalize_license(c)
                facts.append(_fact("license", source, "schema", c, norm or "",
                                   "high" if norm else "low", f"{stype} hasCredential",
                                   **extra))
    return facts


# ---------------------------------------------------------------------------------------
# the page


@lru_cache(maxsize=256)
def _template_zone_facts(text: str, zone: str) -> tuple[dict, ...]:
    return tuple(_text_zone_facts(text, zone, "text"))


def _text_zone_facts(text: str, zone: str, source: str) -> list[dict]:
    facts: list[dict] = []
    phones = _phones_in_text(text)
    prev_end = 0
    for s, e, raw, norm in phones:
        # Only the text since the previous number can label this one ("Tel ... Fax: ...").
        before = text[max(prev_end, s - 45) : s]
        role = phone_role(norm, before, text[e : e + 45])
        facts.append(_fact("phone", source, zone, raw, norm, role, _context(text, s, e)))
        prev_end = e
    for hit in _find_licenses(text, [(s, e) for s, e, _, _ in phones]):
        if hit["kind"] == "untyped":
            continue
        facts.append(_fact("license", source, zone, hit["raw"], hit["normalized"],
                           hit["confidence"], _context(text, hit["start"], hit["end"])))
    if zone != "title":
        for s, e, raw, d in _addresses_in_text(text):
            facts.append(_fact("address", source, zone, _squash(raw), _canonical_of(d), "",
                               _context(text, s, e)))
        for s, e, raw, name in _copyright_names(text):
            facts.append(_fact("name", "copyright", zone, _squash(raw), name, "",
                               _context(text, s, e)))
    return facts


def _tel_zone(anchor: str, src: NapSources) -> str:
    a = _squash(anchor)
    if a and a in _squash(src.footer_text or ""):
        return "footer"
    if a and a in _squash(src.header_text or ""):
        return "header"
    return "main"


def nap_facts(src: NapSources) -> list[dict]:
    """Every NAP and license fact on the page.

    Each fact: field (name|phone|license|address), source (text|tel|jsonld|microdata|rdfa|
    title|copyright|og), zone (header|main|footer|title|head|schema), raw, normalized,
    role, context. tel facts add anchor_normalized; schema facts add schema_type (and block
    for JSON-LD). normalized is "" when a value was found but could not be normalised.
    """
    facts: list[dict] = []
    if src.title:
        facts += _text_zone_facts(src.title, "title", "title")
        name = _title_name(src.title)
        if name:
            facts.append(_fact("name", "title", "title", src.title.strip(), name, "",
                               _squash(src.title)[:60]))
    for zone, text in (("header", src.header_text), ("main", src.main_text),
                       ("footer", src.footer_text)):
        if text:
            if zone == "main":
                facts += _text_zone_facts(text, zone, "text")
            else:  # the same header and footer on every page: read once
                facts += [dict(f) for f in _template_zone_facts(text, zone)]

    for link in src.tel_links or []:
        href, anchor = link[0] or "", (link[1] if len(link) > 1 else "") or ""
        if not href.strip():
            continue
        zone = link[2] if len(link) > 2 and link[2] else _tel_zone(anchor, src)  # type: ignore[misc]
        norm = normalize_phone(href) or ""
        anchor_norm = _first_phone(anchor)
        role = phone_role(norm, anchor, "") if norm else ""
        facts.append(_fact("phone", "tel", zone, href, norm, role, _squash(anchor)[:60],
                           anchor_normalized=anchor_norm))

    if src.og_site_name and src.og_site_name.strip():
        facts.append(_fact("name", "og", "head", src.og_site_name, _squash(src.og_site_name),
                           "", "og:site_name"))

    nodes = src.jsonld_nodes
    if nodes is None:
        nodes, _errors = parse_jsonld_blocks(src.jsonld_blocks or [])
    facts += _schema_facts(nodes, "jsonld")

    micro: list[dict] = []
    rdfa: list[dict] = []
    for n in src.schema_nodes or []:
        if not isinstance(n, dict):
            continue
        if _is_rdfa(n):
            rdfa.append(n)
        elif "properties" in n and "type" in n:
            micro.append(_from_plain_microdata(n))
        else:
            micro.append(n)
    facts += _schema_facts(micro, "microdata")
    facts += _schema_facts(_from_rdfa(rdfa), "rdfa")
    return facts
