"""License numbers in page text (domain notes 1.2-1.4).

Reads visible text, titles and schema hasCredential values for California board license
numbers ("PSY 22022", "LMFT 119841"), Medical Board numbers after a license keyword
("License No. A 12345") and numbers given without a license type ("License # 22022"), so the
checks can compare the practice's license across pages and with the roster. Look-alikes are
left out: course codes and years get low confidence, and phone digits, form numbers, street
numbers, suite numbers and ZIP codes are never read as a license. A license type and its
number are on one line of text. The regexes run only where a gate says a match can start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from scourgify.address_constants import DIRECTIONAL_REPLACEMENTS, STREET_TYPE_ABBREVIATIONS

from audit import places
from audit.nap.phones import _phones_in_text
from audit.nap.text import _finditer_from, _has_lookalike, digit_marks, lines_with

_BOARD_PREFIX_LIST = ("LMFT", "AMFT", "LCSW", "LPCC", "APCC", "PCCI", "PSY", "PSB", "MFT", "MFC",
                      "IMF", "LCS", "ASW", "LEP", "20A")
_BOARD_PREFIXES = r"(?:" + "|".join(_BOARD_PREFIX_LIST) + ")"
# A license type and its number are on one line of text: the page text has "\n" between
# block elements, and "Jane Doe, LMFT" above "3140 Sunset Blvd" is no "LMFT 3140". So the
# space between them is _BLANK, \s without the line breaks of str.splitlines.
_BLANK = r"[^\S\n\r\v\f\x1c-\x1e\x85\u2028\u2029]"
# One separator character or keyword per repetition (never a nested "+" inside "*"), so the
# regex cannot backtrack catastrophically on long runs of spaces or dashes.
# Keywords do not take their own dot (the character class does), so each input has one
# way to match.
_SEP = (r"(?:" + _BLANK + r"|[#:.,\-\u2013\u2014]|Nos?\b|Number|Lic\b|License|Licence|Reg\b"
        r"|Registration){0,16}")
_BOARD_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>" + _BOARD_PREFIXES + r")" + _SEP
    + r"(?P<num>\d{3,8})(?!\d)(?!,\d)"  # "22,022" is a count, not a license
    + r"(?![\s\-.)]*\d{3}[\s\-.]*\d{4}\b)"  # "MFT, 310-999-4996" is a phone, not MFT 310
    + r"(?!\s*[-.)]\s*\d{3})",
    re.IGNORECASE,
)
# Medical Board A/C/G: a single letter is too ambiguous without a license keyword before it.
# In this regex and the next every \s is _BLANK: keyword, type and number on one line.
_MD_RE = re.compile(
    (r"(?i:(?:Medical\s+)?(?:License|Licence|Lic\b\.?|Certificate|Cert\b\.?)\s*"
     r"(?:No\b\.?|Number|#)?\s*[:#]?\s*)(?P<prefix>[ACG])\s*-?\s*(?P<num>\d{4,6})(?!\d)"
     ).replace(r"\s", _BLANK)
)
# "License # 22022" with no type: reported separately as "number without license type".
_NUMONLY_RE = re.compile(
    (r"(?:License|Licence|Lic\b\.?)\s*(?:No\b\.?|Number|#)\s*[:#]?\s*(?P<num>\d{4,6})(?!\d)"
     ).replace(r"\s", _BLANK),
    re.IGNORECASE,
)
_LICENSE_CONTEXT = re.compile(
    r"licen[sc]e|\blic\b|psycholog|psy\.?\s?d|ph\.?\s?d|#|\bno\.", re.IGNORECASE
)
_FORM_AFTER = re.compile(r"\s*\(\s*rev", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")

# A house number, not a license: the number is followed on its line, after nothing but
# spaces, by a street name and a street type ("LMFT 3140 Sunset Blvd", "LMFT, 12345 Ventura
# Blvd, Suite 200") or by an abbreviated direction and a street name ("LMFT 3140 W. Sunset").
# A street name is one to three capitalised words or ordinals. The street types are USPS's
# (scourgify's table, every one-word spelling) less those that are also everyday words of a
# practice's text ("Wellness Center", "Inner Light", "Be Well", "Turning Point", "Est. 2010")
# or end the names of towns ("Beverly Hills", "Simi Valley", "Palm Springs"); a place of the
# gazetteer (audit.places) is never a street either. A suite number never gets here: _SEP
# reads no "Suite", "Ste" or "Unit", so "LCSW Suite 200" has no match to begin with.
_NOT_STREET_TYPES = frozenset(
    {"CTR", "CTRS", "CLB", "HVN", "PATH", "LGT", "LGTS", "KY", "KYS", "SMT", "UN", "UNS", "WL",
     "WLS", "EST", "ESTS", "EXT", "EXTS", "IS", "ISS", "PT", "PTS", "PR", "RST", "DV", "MSN",
     "CMN", "GRN", "BR", "CP", "LF", "FALL", "LAND",
     "BCH", "HL", "HLS", "HTS", "SPG", "SPGS", "VLY", "VLYS", "VLG", "VLGS", "PARK", "GRV",
     "GRVS", "LK", "LKS"}
)
_STREET_TYPES = sorted(
    {t for key, usps in STREET_TYPE_ABBREVIATIONS.items() if usps not in _NOT_STREET_TYPES
     for t in (key, usps) if " " not in t}
    - {"LA", "CR", "CK"},  # Los Angeles; and two short spellings of Creek
    key=lambda t: (-len(t), t))
_STREET_WORD = r"(?:[A-Z][A-Za-z'\u2019\-]*\.?|\d+(?i:st|nd|rd|th))"
_DIRECTIONS = {abbr: word.title() for word, abbr in DIRECTIONAL_REPLACEMENTS.items()}
_STREET_AFTER = re.compile(
    _BLANK + r"+(?:"
    + r"(?P<dir>" + "|".join(sorted(_DIRECTIONS, key=len, reverse=True)) + r")\.?"
    + _BLANK + r"+(?P<name>" + _STREET_WORD + r")(?![A-Za-z0-9])"
    + r"|(?P<words>(?:" + _STREET_WORD + _BLANK + r"+){1,3}"
    + r"(?i:" + "|".join(_STREET_TYPES) + r"))\.?(?![A-Za-z0-9])"
    + r")"
)
# A ZIP, not a license: a California ZIP that the same text gives after the state, as in
# "PSY 90025" beside "Los Angeles, CA 90025".
_CA_ZIP = re.compile(r"9[0-6]\d{3}")
_STATE_BEFORE = re.compile(r"(?:\bCA|\bCalif\.?|\bCalifornia)[,.]?" + _BLANK + r"*$")


def _street_or_zip(text: str, start: int, end: int) -> bool:
    """True when the number text[start:end] is a house number or a ZIP, not a license.

    Runs once per license candidate, which is rare: never on the hot path of a page.
    """
    m = _STREET_AFTER.match(text, end)
    if m is not None:
        # A place is no street: "LMFT 54321 Beverly Hills", "PSY 22022 W. Hollywood".
        if m.group("dir"):
            words = [_DIRECTIONS[m.group("dir")], m.group("name")]
        else:
            words = m.group("words").split()
        if not any(places.lookup(" ".join(words[i:])) for i in range(len(words))):
            return True
    num = text[start:end]
    if _CA_ZIP.fullmatch(num):
        i = text.find(num)
        while i >= 0:
            if (i != start and not text[i - 1 : i].isdigit() and not text[i + 5 : i + 6].isdigit()
                    and _STATE_BEFORE.search(text, max(0, i - 16), i)):
                return True
            i = text.find(num, i + 1)
    return False


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
_GATE_REACH = 12  # bytes past a line's end that a gate starting on it may read
_THREE_DIGITS = re.compile(rb"000")  # in the text's digit marks (audit.nap.text.digit_marks)


def _license_matches(text: str, fast: bool = True) -> tuple[Iterator[re.Match[str]], ...]:
    """finditer of _BOARD_RE, _MD_RE and _NUMONLY_RE over text (fast=False: the plain way)."""
    if not fast or _has_lookalike(text):
        return _BOARD_RE.finditer(text), _MD_RE.finditer(text), _NUMONLY_RE.finditer(text)
    # Every match holds at least three digits on the line where it starts (the type, or the
    # keyword, and the number are on one line): the gates run on those lines only.
    lines = list(lines_with(digit_marks(text), _THREE_DIGITS))
    if not lines:
        empty: list[int] = []
        return (_finditer_from(_BOARD_RE, text, empty), _finditer_from(_MD_RE, text, empty),
                _finditer_from(_NUMONLY_RE, text, empty))
    # one byte per character ("?" for a non-ASCII one, a space here): offsets in data are
    # text offsets + 1
    data = b" " + text.encode("ascii", "replace").translate(_ALNUM_BYTES)

    def starts(gates: tuple[re.Pattern[bytes], ...], back: int) -> list[int]:
        # a gate may also match just past a line's end: one more candidate, harmless
        return sorted({m.start() - back for start, end in lines for gate in gates
                       for m in gate.finditer(data, start, end + _GATE_REACH)})

    return (_finditer_from(_BOARD_RE, text, starts((_BOARD_GATE,), 0)),
            _finditer_from(_MD_RE, text, starts(_MD_GATES, 1)),
            _finditer_from(_NUMONLY_RE, text, starts((_NUMONLY_GATE,), 1)))


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
        if _street_or_zip(text, *m.span("num")):
            continue  # "LMFT, 3140 Sunset Blvd" is an address, "PSY 90025" a ZIP
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
        if (overlaps(*m.span(), taken) or overlaps(*m.span("num"), phone_spans)
                or _street_or_zip(text, *m.span("num"))):
            continue
        out.append({"start": m.start(), "end": m.end(), "raw": m.group(0),
                    "normalized": f"{m.group('prefix')} {m.group('num')}",
                    "confidence": "high", "kind": "medical"})
        taken.append(m.span())
    for m in numonly:
        if (overlaps(*m.span(), taken) or overlaps(*m.span("num"), phone_spans)
                or _street_or_zip(text, *m.span("num"))):
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
