"""License numbers in page text (domain notes 1.2-1.4).

Reads visible text, titles and schema hasCredential values for license numbers, so the checks
can compare the practice's license across pages and with the roster. Each reading is
normalized to "<TYPE> <number>": TYPE is one upper-case token without spaces, and the number
keeps its digits as written (leading zeros too). audit.business.judge compares the TYPE, the
part before the first space, and the number: the same TYPE with another number in a NAP zone
is a mismatch; another TYPE is another clinician's license.

California (the boards of the domain notes):

* a board prefix (kind "board"): "PSY 22022", "LMFT 119841", "LCSW 12345", ...;
* a Medical Board A/C/G number after a license keyword (kind "medical"): "License No. A 12345"
  -> "A 12345";
* a number without a type (kind "untyped", confidence "low", never a fact): "License # 22022"
  -> "22022".

Other US states, with a type written beside the number (kind "board"):

* "LPC" (Texas), "LMHC" (New York, Massachusetts), "LICSW" (Massachusetts), "LCPC"
  (Illinois); Texas, New York and Massachusetts LMFT and LCSW numbers are read by the
  California prefixes. A Texas supervisor holds the same license: "LPC-S 12345",
  "LMFT-S 12345" and "LCSW-S 12345" give "LPC 12345", "LMFT 12345" and "LCSW 12345".
  "Licensed Professional Counselor (LPC) #76543" gives "LPC 76543".
* An Illinois number, three digits (the profession), a dot and six digits, keeps its dot:
  "LCPC 180.012345", "LCSW 149.012345".
* Florida and Washington numbers carry their board's letters, which are the TYPE (upper case
  only): Florida "MH12345" or "MH 12345" (mental health counselor), "SW1234" (clinical social
  worker), "PY1234" (psychologist), with 4-5 digits; Washington "LH60123456" (LMHC),
  "LW60123456" (LICSW), "PY60123456", with 8 digits. They give "MH 12345", "SW 1234",
  "PY 1234", "LH 60123456", "LW 60123456", "PY 60123456", so a Florida LMHC's "MH 12345" is
  another license than a Massachusetts "LMHC 10234", never a mismatch with it.

Other US states, typed by the state named near the number (kind "state"):

* a psychologist written without a board prefix ("Licensed Psychologist #12345", "Texas
  Licensed Psychologist No. 34567", "Licensed Psychologist, License No. 12345") ->
  "PSYCHOLOGIST 12345" (the PSYCHOLOGIST constant);
* "License No. 12345" -> "<TYPE> 12345" with the one credential written before it on its line
  (LPC, LMHC, LICSW, LCPC, LMFT, LCSW or "Psychologist": "Jane Quinn, LMHC, Massachusetts
  License #10234" -> "LMHC 10234"); else, for an Illinois number, the type its profession
  prefix says ("License No. 180.012345" -> "LCPC 180.012345", with or without a state);
  else the state's USPS code ("Texas License No. 12345" -> "TX 12345"; STATE_LICENSE_TYPES
  lists these types).

These types name no board (GENERIC_LICENSE_TYPES): judge compares one with another type by
the number alone ("TX 76543" is the practice's "LPC 76543"; "TX 76544" another license, never
a mismatch).

The state-nearby rule (_state_near): a state named on the number's line within
_STATE_BEFORE_REACH (100) characters before it or _STATE_AFTER_REACH (60) after it, or on a
neighbouring line within _STATE_OTHER_LINE_REACH (40) characters. The state named nearest
wins; when it is California (or no state is named) the number stays as it always was:
"License # 22022" untyped, "Licensed Psychologist #22022" not read. What counts as a state
(_state_code): a full name in title case or capitals ("Texas", "NEW YORK"), but not before a
street type ("Vermont Ave", "Washington Blvd"), "City" or "County" ("Nevada City"), nor, for
names that are also people's names, beside another name ("Virginia Satir", "Keisha
Washington"); an abbreviation in capitals ("TX", "NY", "FL", "IL", "WA", ...), except those
that are also degrees, titles or words ("MA", "MD", "MS", "PA", "LA", "IN", "OR", "OK", ...),
which count only before a ZIP of their state ("Boston, MA 02116") or, except _DEGREE_ABBRS
("Jane Doe, MD License # 22022"), right before "License" ("MA License #10234").
normalize_license reads a profile's value, the practice's own license, as if a state were
named beside it.

Other countries: an Australian AHPRA registration number, a profession code and ten digits in
capitals ("PSY0001717545", "MED0001234567", "Registration number: PSY0001717545") ->
"AHPRA PSY0001717545" (kind "ahpra"): its TYPE "AHPRA" is never a US license's.

Look-alikes are left out: California course codes and years get low confidence, other types'
are not read ("LPC 2020", "MH 101", "PY 2020", "LH 60 minutes"); phone digits, form numbers
("PSB 100 (rev. 10/16)", "Form LPC 2020"), street numbers ("LPC, 1234 Main St"), suite
numbers and ZIP codes (a number the text also gives after a state: "PSY 90025" beside
"Los Angeles, CA 90025", "LPC 75201" beside "Dallas, TX 75201") are never read as a license.
A license type and its number are on one line of text. The regexes run only where a gate says
a match can start (_license_matches).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    STREET_TYPE_ABBREVIATIONS,
)

from audit import places
from audit.nap.phones import _phones_in_text
from audit.nap.states import STATE_NAMES, ZIP_AREAS
from audit.nap.text import (
    _finditer_from,
    _has_lookalike,
    _squash,
    ascii_bytes,
    digit_lines,
    digit_marks,
)

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
# "License # 22022" with no type: reported separately as "number without license type",
# unless a state other than California is named nearby (_state_typed). An Illinois number
# ("180.012345") is read too: its shape says the state.
_NUMONLY_RE = re.compile(
    (r"(?:License|Licence|Lic\b\.?)\s*(?:No\b\.?|Number|#)\s*[:#]?\s*"
     r"(?P<num>\d{3}\.\d{6}|\d{4,6})(?!\d)").replace(r"\s", _BLANK),
    re.IGNORECASE,
)
# What may follow a number for it to be a license number, not a count ("22,022") or part of
# a phone number ("LPC 214-555-0142", "LPC, 214.555.0142").
_NUM_END = (r"(?!\d)(?!,\d)(?![\s\-.)]*\d{3}[\s\-.]*\d{4}\b)(?!\s*[-.)]\s*\d{3})")
# _SEP that gives nothing back: a separator is never a digit, so when the number does not
# follow the separators, fewer of them would not help; failing at once halves the time a
# frequent near-miss ("Psychologist, License PSY 22022") costs.
_SEP_POSSESSIVE = _SEP + "+"
# An Illinois number: three digits (the profession), a dot, six digits.
_ILLINOIS_NUM = r"\d{3}\.\d{6}"
# Other states' board prefixes. LMFT and LCSW are read by _BOARD_RE; here only as a Texas
# supervisor's "-S" license or with an Illinois number (which _BOARD_RE cannot read). A
# closing parenthesis may follow the prefix: "Licensed Professional Counselor (LPC) #76543".
_US_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>LPC-S\b|LMFT-S\b|LCSW-S\b|LPC|LMHC|LICSW|LCPC|LCSW|LMFT)\)?"
    + _SEP_POSSESSIVE + r"(?P<num>" + _ILLINOIS_NUM + r"|\d{4,8})" + _NUM_END,
    re.IGNORECASE,
)
# Florida's and Washington's numbers carry their board's letters (upper case only: "sw" and
# "py" are too common in lower case). The lengths are checked after the match (_CODE_LENGTHS).
_CODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>MH|SW|PY|LH|LW)(?:-|" + _BLANK + r")?(?P<num>\d{4,8})"
    r"(?![A-Za-z])" + _NUM_END
)
_CODE_LENGTHS = {"MH": (4, 5), "SW": (4, 5), "PY": (4, 5, 8), "LH": (8,), "LW": (8,)}
# A psychologist with no board prefix; read only with a state nearby (or an Illinois number).
_PSYCH_RE = re.compile(
    r"(?<![A-Za-z0-9])Psychologist\)?" + _SEP_POSSESSIVE
    + r"(?P<num>" + _ILLINOIS_NUM + r"|\d{4,8})" + _NUM_END,
    re.IGNORECASE,
)
PSYCHOLOGIST = "PSYCHOLOGIST"
# AHPRA's profession codes (Psychology PSY and Medical MED are the ones seen on practice sites;
# the others are AHPRA's other boards' codes, unsourced here) and ten digits.
_AHPRA_CODES = ("ATS", "CHI", "CMR", "DEN", "MED", "MRP", "NMW", "OCC", "OPT", "OST", "PHA",
                "PHY", "PMD", "POD", "PSY")
_AHPRA_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>" + "|".join(_AHPRA_CODES) + r")(?P<num>[0-9]{10})"
    r"(?![A-Za-z0-9])"
)
# Illinois's profession prefixes: 180 LCPC and 149 LCSW; 178 LPC, 168 LMFT and 071 clinical
# psychologist (these three unsourced).
_ILLINOIS_TYPES = {"180": "LCPC", "149": "LCSW", "178": "LPC", "168": "LMFT",
                   "071": PSYCHOLOGIST}
# The credential written before "License No. 12345" on its line, which types the number.
_CREDENTIAL = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<abbr>LPC-S|LPC|LMHC|LICSW|LCPC|LMFT-S|LMFT|LCSW-S|LCSW)"
    r"|(?P<psych>[Pp]sychologist|PSYCHOLOGIST))(?![A-Za-z0-9])"
)
_CREDENTIAL_REACH = 100  # characters before the number, on its line
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what _BLANK leaves out of \s
_LINE_BREAK = re.compile("[" + _LINE_BREAKS + "]")
_FORM_BEFORE = re.compile(r"(?<![A-Za-z])(?i:form)" + _BLANK + r"*(?:[#:.]" + _BLANK + r"*)?$")
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

# --- the states other than California (the state-nearby rule of the module docstring) ---
# Each state's full name by its USPS code, and the first digit of its ZIP codes: "MA 75201"
# is no address. The territories are left out: "AS" and "PR" are words and titles here.
_STATE_NAMES = STATE_NAMES
_ZIP_AREAS = {code: ZIP_AREAS[code] for code in STATE_NAMES}
# The types a license typed by its state alone can have ("TX 12345"): every state but
# California, whose untyped numbers stay untyped.
STATE_LICENSE_TYPES = frozenset(_STATE_NAMES) - {"CA"}
# The types that name no board, so no number space: a state's, and a psychologist's without a
# board prefix. audit.business.judge compares them with another type by the number alone.
GENERIC_LICENSE_TYPES = STATE_LICENSE_TYPES | {PSYCHOLOGIST}
# Abbreviations that are also degrees, titles, words or places ("Jane Doe, MA", "MD", "LA",
# "CALL OR TEXT"): a state only before a ZIP of that state, or (not _DEGREE_ABBRS) "License".
_AMBIGUOUS_ABBRS = frozenset({"AL", "AR", "CO", "CT", "DC", "DE", "GA", "HI", "ID", "IN", "LA",
                              "MA", "MD", "ME", "MI", "MO", "MS", "MT", "NE", "OH", "OK", "OR",
                              "PA", "SC", "VA"})
_DEGREE_ABBRS = frozenset({"CO", "DC", "LA", "MD", "MS", "MT", "PA"})
# Full names that are also people's names ("Virginia Satir", "Joe Montana", "Keisha Washington").
_PERSON_STATES = frozenset({"VA", "GA", "WA", "MT", "TN", "IN"})
# Capitalised words that may follow such a name when it is the state ("Washington State",
# "Virginia Licensed Professional Counselor").
_STATE_WORD_AFTER = frozenset({"License", "Licensed", "Licence", "Licenced", "State", "Board",
                               "Department", "Psychologist", "Psychologists"})


def _name_forms(name: str) -> list[str]:
    """Regex alternatives of a state's full name: title case and capitals, words on one line."""
    words = name.split()
    title = [w.lower() if w == "OF" else w.capitalize() for w in words]
    return [(_BLANK + "+").join(map(re.escape, form)) for form in (title, words)]


# State names are found from the capitalised words of a short window (_states_in): a word
# that is an abbreviation, or the first word of a name, which a regex of the names beginning
# with it then reads whole. One alternation of every name tried at every character was ten
# times slower.
_CAPITAL_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]+(?![0-9])")
_NAMES_BY_FIRST_WORD: dict[str, re.Pattern[str]] = {
    first: re.compile(
        "|".join(sorted((f for n in _STATE_NAMES.values() if n.split()[0] == first
                         for f in _name_forms(n)), key=len, reverse=True))
        + r"(?![A-Za-z0-9])")
    for first in {n.split()[0] for n in _STATE_NAMES.values()}
}
_NAME_CODE = {n.upper(): c for c, n in _STATE_NAMES.items()} | {"CALIF": "CA"}


def _states_in(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, code, is_abbreviation) of every state name or capital abbreviation that
    starts in text[lo:hi], before the checks of _state_code."""
    after = lo
    # read a little past hi, so that a word is not cut short by the end of the window
    for w in _CAPITAL_WORD.finditer(text, lo, min(len(text), hi + 20)):
        start, word = w.start(), w.group()
        if start >= hi:
            break
        if start < after:
            continue  # "Virginia" of "West Virginia"
        if len(word) == 2:
            if word in _ZIP_AREAS:
                yield start, w.end(), word, True
                after = w.end()
            continue
        if word == "Calif":
            yield start, w.end(), "CA", False
            continue
        rx = _NAMES_BY_FIRST_WORD.get(word.upper())
        m = rx.match(text, start) if rx is not None else None
        if m is not None:
            yield start, m.end(), _NAME_CODE[_squash(m.group()).upper()], False
            after = m.end()


_ZIP_AFTER = re.compile(",?" + _BLANK + r"+(?P<zip>\d{5})(?:-\d{4})?(?!\d)")
_LICENSE_AFTER = re.compile(_BLANK + r"+(?i:licen[sc]ed?|lic\b)")
_CITY_AFTER = re.compile(_BLANK + r"+(?:City|County|CITY|COUNTY)(?![A-Za-z])")
_DC_AFTER = re.compile(r",?" + _BLANK + r"*D\.?C\.?(?![A-Za-z])")
_STREET_TYPE_AFTER = re.compile(
    _BLANK + r"+(?i:" + "|".join(_STREET_TYPES) + r")\.?(?![A-Za-z0-9])")
_WORD_BEFORE = re.compile(r"[A-Z][a-z]+" + _BLANK + r"+$")
_WORD_AFTER = re.compile(_BLANK + r"+(?P<word>[A-Z][a-z]+)")


def _state_code(text: str, start: int, end: int, code: str, abbreviation: bool) -> str | None:
    """The state that text[start:end] names (code and abbreviation from _states_in), or None
    where it is no state ("Vermont Ave", "Jane Doe, MA")."""
    if abbreviation:
        if code not in _AMBIGUOUS_ABBRS:
            return code
        z = _ZIP_AFTER.match(text, end)
        if z is not None and z.group("zip")[0] in _ZIP_AREAS[code]:
            return code  # "Boston, MA 02116"
        if code not in _DEGREE_ABBRS and _LICENSE_AFTER.match(text, end):
            return code  # "MA License #10234"
        return None
    if _STREET_TYPE_AFTER.match(text, end) or _CITY_AFTER.match(text, end):
        return None  # "Vermont Ave", "Washington Blvd", "Nevada City", "Orange County"
    if code == "WA" and _DC_AFTER.match(text, end):
        return "DC"
    if code in _PERSON_STATES:
        after = _WORD_AFTER.match(text, end)
        if (_WORD_BEFORE.search(text, max(0, start - 30), start)
                or (after is not None and after.group("word") not in _STATE_WORD_AFTER)):
            return None  # "Keisha Washington", "Virginia Satir"
    return code


_STATE_BEFORE_REACH = 100  # characters before a number, on its line
_STATE_AFTER_REACH = 60  # characters after it, on its line
_STATE_OTHER_LINE_REACH = 40  # characters either side, across a line break


def _state_near(text: str, start: int, end: int) -> str | None:
    """The code of the state named nearest to text[start:end] ("CA" for California), or None.

    Runs once per license candidate that needs a state: never on the hot path of a page.
    """
    lo = max(0, start - _STATE_BEFORE_REACH)
    hi = min(len(text), end + _STATE_AFTER_REACH)
    best: tuple[int, str] | None = None
    for s, e, code, abbreviation in _states_in(text, lo, hi):
        if e <= start:
            gap = text[e:start]
        elif s >= end:
            gap = text[end:s]
        else:
            continue
        if _LINE_BREAK.search(gap) and len(gap) > _STATE_OTHER_LINE_REACH:
            continue
        if best is not None and len(gap) >= best[0]:
            continue
        state = _state_code(text, s, e, code, abbreviation)
        if state is not None:
            best = (len(gap), state)
    return best[1] if best else None


# The words a state's name or abbreviation can end with.
_LAST_WORDS = frozenset(n.split()[-1] for n in _STATE_NAMES.values()) | set(_ZIP_AREAS)
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _word_before(text: str, i: int) -> str:
    """The word before text[i], across blanks and a comma or period ("TX" of "TX, 75201")."""
    j = i
    while j > 0 and text[j - 1].isspace() and text[j - 1] not in _LINE_BREAKS:
        j -= 1
    if j == i:
        return ""
    if j > 0 and text[j - 1] in ",.":
        j -= 1
    k = j
    while k > 0 and text[k - 1] in _ASCII_LETTERS and j - k < 16:
        k -= 1
    return text[k:j]


def _other_state_zip(text: str, start: int, num: str) -> bool:
    """True when the 5-digit num is also given elsewhere in text as a ZIP after a state other
    than California, whose ZIPs it may be ("LPC 75201" beside "Dallas, TX 75201")."""
    return any(i != start for i in _other_state_zips(text, num))


@lru_cache(maxsize=16)  # a text repeating one number 200 times is looked at once, not 200
def _other_state_zips(text: str, num: str) -> tuple[int, ...]:
    """Where text gives num as a ZIP after a state other than California."""
    found = []
    i = text.find(num)
    while i >= 0:
        if not text[i - 1 : i].isdigit() and not text[i + 5 : i + 6].isdigit():
            # the last state named in the 24 characters before it, right before it (first a
            # quick look at the word before it: "PSY 22022" again is no ZIP)
            states = (list(_states_in(text, max(0, i - 24), i))
                      if _word_before(text, i).upper() in _LAST_WORDS else [])
            if states:
                _s, e, code, _abbreviation = states[-1]
                if (code != "CA" and num[0] in _ZIP_AREAS[code]
                        and _ZIP_AFTER.fullmatch(text, e, i + 5)):
                    found.append(i)
        i = text.find(num, i + 1)
    return tuple(found)


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
    if len(num) == 5 and num.isdigit() and _other_state_zip(text, start, num):
        return True
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
def _trie(words: Iterable[str]) -> str:
    """A regex of words as a tree of their shared beginnings ("l(?:mft|pc(?:c)?)"), which
    prefers the longer of two words: each letter of the text is tried once, not once per word.
    The alternation of 25 prefixes took a quarter more time to scan a page."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: dict[str, dict]) -> str:
        alternatives = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alternatives:
            return ""
        body = (alternatives[0] if len(alternatives) == 1
                else "(?:" + "|".join(alternatives) + ")")
        return "(?:" + body + ")?" if "" in node else body

    return build(tree)


# In the space-padded _ALNUM_BYTES form: a prefix of _BOARD_RE, _US_RE or _CODE_RE, or
# _PSYCH_RE's "psychologist", not preceded by an ASCII letter or digit and followed by what
# can follow it in the regexes (a separator, "No...", "Lic...", "Reg..." or a digit; after
# "psychologist", whose prose is frequent, the first of these that is not a separator). The
# leading space is a literal prefix for the regex engine. One gate for the four regexes: one
# pass over the lines; _GATE_TARGETS says which regexes each prefix found can start.
_US_PREFIXES = ("lpc", "lmhc", "licsw", "lcpc", "lcsw", "lmft")
_GATE_WORDS = {**{p.lower(): (0,) for p in _BOARD_PREFIX_LIST},
               **{c.lower(): (2,) for c in _CODE_LENGTHS}, "psychologist": (3,)}
for _p in _US_PREFIXES:
    _GATE_WORDS[_p] = (*_GATE_WORDS.get(_p, ()), 1)
# Which of _BOARD_RE (0), _US_RE (1), _CODE_RE (2) and _PSYCH_RE (3) can start at each prefix
# _PREFIX_GATE finds (as it finds it: with the space before it).
_GATE_TARGETS = {f" {p}".encode(): targets for p, targets in _GATE_WORDS.items()}
_PREFIX_GATE = re.compile(
    (" " + _trie(_GATE_WORDS).replace("chologist", "chologist(?= *[0-9nlr])")
     + "(?=[ 0-9nlr])").encode()
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
_GATE_REACH = 16  # bytes past a line's end that a gate starting on it may read
# An AHPRA number holds ten digits in a row: found in the digit marks of the lines with three
# digits, where such runs are rare, instead of looking for its letters. (Not in the whole
# text's marks: bytes.find of a needle of one repeated byte is slow on a long text.)
_TEN_DIGITS = b"0" * 10
_NOT_DIGIT_MARK = re.compile(rb"[^0]")


def _ahpra_starts(marks: bytes, lines: tuple[tuple[int, int], ...]) -> list[int]:
    """Every offset where an _AHPRA_RE match can start: three characters before the start of
    each run of ten or more digit marks (on the lines given: those with three digits)."""
    out: list[int] = []
    for start, end in lines:
        i = marks.find(_TEN_DIGITS, start, end)
        while i >= 0:
            if i >= 3:
                out.append(i - 3)
            run_end = _NOT_DIGIT_MARK.search(marks, i + 10, end)
            if run_end is None:
                break
            i = marks.find(_TEN_DIGITS, run_end.end(), end)
    return out


_REGEXES = (_BOARD_RE, _MD_RE, _NUMONLY_RE, _US_RE, _CODE_RE, _PSYCH_RE, _AHPRA_RE)
# What _license_matches gives for a text with no line of three digits (most titles, headers
# and footers): one empty iterator for every regex.
_NO_MATCH: Iterator[re.Match[str]] = iter(())
_NO_MATCHES = (_NO_MATCH,) * len(_REGEXES)


def _license_matches(text: str, fast: bool = True) -> tuple[Iterator[re.Match[str]], ...]:
    """finditer of _BOARD_RE, _MD_RE, _NUMONLY_RE, _US_RE, _CODE_RE, _PSYCH_RE and _AHPRA_RE
    over text (fast=False: the plain way)."""
    if not fast or _has_lookalike(text):
        return tuple(rx.finditer(text) for rx in _REGEXES)
    # Every match holds at least three digits on the line where it starts (the type, or the
    # keyword, and the number are on one line): the gates run on those lines only
    # (audit.nap.text.digit_lines, which the short-code scan of the text shares).
    lines = digit_lines(text)
    if not lines:
        return _NO_MATCHES
    # one byte per character ("?" for a non-ASCII one, a space here): offsets in data are
    # text offsets + 1
    data = b" " + ascii_bytes(text).translate(_ALNUM_BYTES)

    def starts(gates: tuple[re.Pattern[bytes], ...], back: int) -> list[int]:
        # a gate may also match just past a line's end: one more candidate, harmless
        return sorted({m.start() - back for start, end in lines for gate in gates
                       for m in gate.finditer(data, start, end + _GATE_REACH)})

    def run(rx: re.Pattern[str], at: list[int]) -> Iterator[re.Match[str]]:
        return _finditer_from(rx, text, at) if at else _NO_MATCH

    # each prefix the gate finds is a start of the regexes that have it (_GATE_TARGETS)
    prefixed: tuple[list[int], ...] = ([], [], [], [])
    for start, end in lines:
        for m in _PREFIX_GATE.finditer(data, start, end + _GATE_REACH):
            for i in _GATE_TARGETS[m.group()]:
                prefixed[i].append(m.start())
    board, us, codes, psych = (sorted(set(at)) if at else at for at in prefixed)
    ahpra = _ahpra_starts(digit_marks(text), lines)
    return (run(_BOARD_RE, board), run(_MD_RE, starts(_MD_GATES, 1)),
            run(_NUMONLY_RE, starts((_NUMONLY_GATE,), 1)), run(_US_RE, us), run(_CODE_RE, codes),
            run(_PSYCH_RE, psych), run(_AHPRA_RE, ahpra))


def _has_context(text: str, start: int, num_start: int) -> bool:
    return bool(_LICENSE_CONTEXT.search(text[max(0, start - 40) : num_start]))


def _credential_before(text: str, start: int) -> str | None:
    """The one license type written before text[start] on its line ("Jane Quinn, LMHC,
    Massachusetts License #10234"): None when there is none, or several."""
    before = text[max(0, start - _CREDENTIAL_REACH) : start]
    breaks = list(_LINE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    types = {PSYCHOLOGIST if m.group("psych") else m.group("abbr").removesuffix("-S")
             for m in _CREDENTIAL.finditer(before)}
    return types.pop() if len(types) == 1 else None


def _state_typed(text: str, m: re.Match[str], assume_state: bool) -> str | None:
    """The normalized license of a _NUMONLY_RE match that a state near it (or an Illinois
    number's shape) types, or None: it stays untyped, as with no state named."""
    num = m.group("num")
    illinois = "." in num
    state = _state_near(text, m.start(), m.end())
    if state == "CA":
        state = None  # California's numbers without a type stay untyped
    if state is None and not illinois and not assume_state:
        return None
    if len(num) == 4 and _YEAR.fullmatch(num):
        return None  # "Texas License # 2015" is more likely a year: untyped, as before
    credential = _credential_before(text, m.start())
    if credential:
        return f"{credential} {num}"
    if illinois and num[:3] in _ILLINOIS_TYPES:
        return f"{_ILLINOIS_TYPES[num[:3]]} {num}"
    return f"{state} {num}" if state else None


def _find_licenses(text: str, phone_spans: list[tuple[int, int]],
                   assume_state: bool = False) -> list[dict]:
    """find_licenses with the phone numbers' spans given. assume_state: read a psychologist
    or a number after a credential as if a state were named (a profile's license value)."""
    matches = _license_matches(text)
    if matches is _NO_MATCHES:
        return []
    out: list[dict] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
        return any(a < e and s < b for a, b in spans)

    def number_ok(m: re.Match[str]) -> bool:
        """Not a phone's digits, a house number or a ZIP, nor inside another license."""
        return not (overlaps(*m.span(), taken) or overlaps(*m.span("num"), phone_spans)
                    or _street_or_zip(text, *m.span("num")))

    def add(m: re.Match[str], normalized: str, confidence: str, kind: str) -> None:
        out.append({"start": m.start(), "end": m.end(), "raw": m.group(0),
                    "normalized": normalized, "confidence": confidence, "kind": kind})
        taken.append(m.span())

    board, medical, numonly, us, codes, psych, ahpra = matches
    for m in board:
        prefix, num = m.group("prefix").upper(), m.group("num")
        s, e = m.span()
        if overlaps(m.start("num"), m.end("num"), phone_spans):
            continue
        if _street_or_zip(text, *m.span("num")):
            continue  # "LMFT, 3140 Sunset Blvd" is an address, "PSY 90025" a ZIP
        if prefix == "PSB" and _FORM_AFTER.match(text, e):
            continue  # "PSB 100 (rev. 10/16)" is a Board of Psychology form number
        has_ctx = _has_context(text, s, m.start("num"))
        if len(num) <= 3:
            if prefix not in ("PSY", "PSB"):
                continue  # hardening: >= 4 digits; "MFT 310" is never a license
            confidence = "low"  # "PSY 220: Developmental Psychology" is a course code
        elif len(num) == 4 and not has_ctx and (prefix in ("PSY", "PSB") or _YEAR.fullmatch(num)):
            confidence = "low"  # "PSY 2012 Intro to ...", "IMF 2024 report"
        else:
            confidence = "high"
        add(m, f"{prefix} {num}", confidence, "board")
    for m in us:
        written, num = m.group("prefix").upper(), m.group("num")
        if written in ("LCSW", "LMFT") and "." not in num:
            continue  # _BOARD_RE's: "LCSW 12345"
        if not number_ok(m) or _FORM_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Form LPC 2020" is a form's number
        if len(num) == 4 and not _has_context(text, m.start(), m.start("num")):
            continue  # "LPC 2020", "LPC 5310" (a course): no license without "#", "No."...
        add(m, f"{written.removesuffix('-S')} {num}", "high", "board")
    for m in codes:
        prefix, num = m.group("prefix"), m.group("num")
        if len(num) not in _CODE_LENGTHS[prefix] or not number_ok(m):
            continue  # "LH 60 minutes", "MH 101"
        if (len(num) == 4 and _YEAR.fullmatch(num)
                and not _has_context(text, m.start(), m.start("num"))):
            continue  # "PY 2020" is a year
        add(m, f"{prefix} {num}", "high", "board")
    for m in ahpra:
        if not overlaps(*m.span(), taken):
            add(m, f"AHPRA {m.group('prefix')}{m.group('num')}", "high", "ahpra")
    for m in medical:
        if number_ok(m):
            add(m, f"{m.group('prefix')} {m.group('num')}", "high", "medical")
    for m in psych:
        num = m.group("num")
        if not number_ok(m):
            continue
        if "." not in num and not assume_state and _state_near(
                text, m.start(), m.end()) in (None, "CA"):
            continue  # a psychologist's number is typed only by a state other than California
        if (len(num) == 4 and _YEAR.fullmatch(num)
                and not _has_context(text, m.start(), m.start("num"))):
            continue
        add(m, f"{PSYCHOLOGIST} {num}", "high", "state")
    for m in numonly:
        if not number_ok(m):
            continue
        typed = _state_typed(text, m, assume_state)
        if typed:
            add(m, typed, "high", "state")
        else:
            out.append({"start": m.start(), "end": m.end(), "raw": m.group(0),
                        "normalized": m.group("num"), "confidence": "low", "kind": "untyped"})
    out.sort(key=lambda d: d["start"])
    return out


def find_licenses(text: str) -> list[dict]:
    """License-number mentions in text.

    Each dict: start, end, raw, normalized ("PSY 22022"), confidence ("high"/"low") and kind:
    "board" (a type written with the number: PSY/LMFT/LPC/LMHC/..., Florida's MH/SW/PY,
    Washington's LH/LW), "medical" (A/C/G after a license keyword), "state" (typed by the
    state named nearby: "PSYCHOLOGIST 34567", "LMHC 10234", "TX 12345"), "ahpra" (an
    Australian registration, "AHPRA PSY0001717545") or "untyped" ("License # 22022": a number
    without a license type; normalized is just the digits). See the module docstring.
    """
    if not text:
        return []
    spans = [(s, e) for s, e, _, _ in _phones_in_text(text)]
    return _find_licenses(text, spans)


def normalize_license(s: str | None) -> str | None:
    """Canonical "<TYPE> <number>" ("PSY 22022", "LPC 76543") of the first typed license in s,
    or None.

    s is a license as the practice states it (its profile), so a psychologist's number or a
    number after a credential needs no state named beside it: "Licensed Psychologist #12345"
    gives "PSYCHOLOGIST 12345" and "LMHC, License #10234" "LMHC 10234".
    """
    if not s:
        return None
    spans = [(a, b) for a, b, _, _ in _phones_in_text(s)]
    for hit in _find_licenses(s, spans, assume_state=True):
        if hit["kind"] != "untyped":
            return hit["normalized"]
    return None
