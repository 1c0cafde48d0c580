"""Business and practitioner names (domain notes 2.4).

Reads the name in copyright lines ("\u00a9 2024 Blair Wellness Group. All rights reserved") and
in the last part of a <title> ("Anxiety Therapy | Blair Wellness Group"), and gives the
comparison form of any name: names are compared after normalisation (case, punctuation,
legal suffixes, honorifics and credentials dropped), never as raw strings. A title suffix that
is a license, a phone number or a place is not a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from audit import places, usplaces
from audit.nap.licenses import find_licenses, normalize_license
from audit.nap.phones import _first_phone
from audit.nap.text import _find_all, _finditer_from, _has_lookalike, _squash, ascii_bytes

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


# A _COPYRIGHT_RE match starts with "\u00a9", "(c)", "&copy;" or "copyright"; the ASCII ones
# are found, lower-cased, by these: "copy" is the start of "copyright" and one character after
# the start of "&copy;". See _finditer_from.
_COPYRIGHT_WORDS = ((b"(c)", 0), (b"copy", 0))


def _copyright_matches(text: str, fast: bool = True) -> Iterator[re.Match[str]]:
    """_COPYRIGHT_RE.finditer(text) (fast=False: the plain way)."""
    if not fast or _has_lookalike(text):
        return _COPYRIGHT_RE.finditer(text)
    # In the text's ASCII bytes (one byte per character, shared with the digit and license
    # scans) the offsets found are the text's; the sign, not ASCII, is looked for in the text.
    lower = ascii_bytes(text).lower()
    at = _find_all(lower, _COPYRIGHT_WORDS)
    more = [i - 1 for i in at if i and lower[i - 1] == 0x26]  # the "&" of "&copy;"
    if "\u00a9" in text:
        more += _find_all(text, (("\u00a9", 0),))
    if more:
        at = sorted({*at, *more})
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
    if places.lookup(suffix) or places.find_places(suffix) or usplaces.names_a_place(suffix):
        return None  # "Therapy | Los Angeles, CA" or "| Dallas, Texas" is a location
    if re.fullmatch(r"[A-Za-z .'-]+,\s*(?:CA|Calif\.?|California)", suffix):
        return None
    return suffix
