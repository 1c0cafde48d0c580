"""Phone numbers in page text and tel: links (domain notes 2.2).

Reads visible text (and tel: hrefs and their anchors) for every phone number phonenumbers can
validate, in E.164, and for the crisis short codes (988, 911, N11, 741741) that have no E.164
form; phone_role then tells the practice's own number from fax numbers, toll-free lines and
the crisis hotlines that therapy sites list on purpose, so that none of those is ever read as
a second business number. phonenumbers is most of the cost, so it only gets the stretches of
text dense enough in digits to hold a number, and its matches are remembered per stretch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from audit.nap.text import (
    _find_all,
    _finditer_from,
    _squash,
    ascii_bytes,
    digit_lines,
    digit_marks,
    lines_with,
)

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
_SHORT_CODE_AT = ((b"988", 0), (b"741741", 0), (b"11", 1))
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
    return _normalize_phone(s)


@lru_cache(maxsize=1024)  # a site's tel: links are the same on every page: parsed once
def _normalize_phone(s: str) -> str | None:
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
    # A match is three or six ASCII digits in a row: it lies on one of the text's lines with
    # three digits (audit.nap.text.digit_lines, which the license scan shares), about a fifth
    # of a page, so only those are searched, in the text's ASCII bytes. The lines are in
    # order and apart, so the offsets found come in order.
    raw = ascii_bytes(text)
    at = [i for start, end in digit_lines(text) for i in _find_all(raw, _SHORT_CODE_AT, start, end)]
    return _finditer_from(_SHORT_CODE_RE, text, at)


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


# _PHONE_DENSE over the text's digit marks (audit.nap.text.digit_marks), where any character
# that may be a digit is one: it matches on every line where _PHONE_DENSE does (and a few
# more), so _PHONE_DENSE runs on those lines only, at a fraction of the cost of its \d test
# at every character of the page.
_PHONE_DENSE_MARKS = re.compile(rb"0(?:[^0\n]{0,4}0){5}")


def _dense_runs(text: str) -> Iterator[re.Match[str]]:
    """_PHONE_DENSE.finditer(text): its matches never span a line break."""
    for start, end in lines_with(digit_marks(text), _PHONE_DENSE_MARKS):
        yield from _PHONE_DENSE.finditer(text, start, end)


def _phone_stretches(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) stretches of text around every place dense enough in digits."""
    stretches: list[tuple[int, int]] = []
    for m in _dense_runs(text):
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


@lru_cache(maxsize=1024)  # a site's tel: anchors and title suffixes repeat on every page
def _first_phone(text: str) -> str:
    bare = _squash(text or "")
    if bare in SHORT_CODES:
        return bare  # an anchor reading just "988" needs no "call" before it
    for _, _, _, norm in _phones_in_text(bare):
        return norm
    return ""
