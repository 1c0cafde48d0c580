"""Los Angeles gazetteer: find L.A. place names in page text.

The names come from the LA Times "Mapping L.A." v6 data (see data/la_places.SOURCE.md):
the City of Los Angeles, its 114 neighbourhoods, the 87 standalone cities of L.A. County,
the unincorporated areas most likely to appear in therapy copy, plus regional terms and a
local alias table (DTLA, WeHo, NoHo, ...).

Matching policy (domain notes section 4.1, false-positive policy section 9):

* One compiled case-insensitive regex plus one case-sensitive regex over the whole text,
  never a loop of hundreds of regexes per page.
* Names that are also ordinary English words (Venice, Hollywood, Watts, South Bay, ...) are
  matched case-sensitively (as written, or in ALL CAPS for headings).
* The most generic names (Industry, Commerce, Downtown, Bell, Palms, ...) are never matched
  on their own; only their context aliases count ("City of Industry", "Downtown LA", "DTLA").
* "LA" counts only as an upper-case standalone token (not "LAUSD", not Spanish "la").
* The longest match wins and overlapping matches are not double counted, so
  "East Los Angeles" counts for East Los Angeles and not also for the city.
* A name directly followed by a street suffix ("Santa Monica Blvd", "Venice Blvd") is a
  street, not a statement about the page's location, so it does not count.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

DATA_FILE = Path(__file__).parent / "data" / "la_places.csv"

# Canonical names that are too generic to match on their own (section 4.1): only the
# aliases listed for them in the CSV ("City of Industry", "Downtown LA", ...) count.
CONTEXT_ONLY = frozenset(
    {
        "Industry",
        "Commerce",
        "Downtown",
        "Bell",
        "Palms",
        "Walnut",
        "Paramount",
        "Florence",
        "Vernon",
        "Avalon",
        "Artesia",
        "Carson",
    }
)

# Names (or aliases) that are ordinary words or common phrases in lower case, or common
# given names: matching them case-insensitively would turn "rolling hills" or "100 watts"
# into a location. They match as written (title case) or in ALL CAPS only.
CASE_SENSITIVE = frozenset(
    {
        "LA",
        "L.A.",
        "SaMo",
        "the Palisades",
        "Venice",
        "Hollywood",
        "Watts",
        "Fairfax",
        "Westwood",
        "Brentwood",
        "Westlake",
        "Larchmont",
        "Chinatown",
        "Mid-City",
        "Del Rey",
        "Eagle Rock",
        "Echo Park",
        "Highland Park",
        "Hyde Park",
        "South Park",
        "University Park",
        "Exposition Park",
        "Griffith Park",
        "Elysian Park",
        "Jefferson Park",
        "Harvard Park",
        "Gramercy Park",
        "Cypress Park",
        "Green Meadows",
        "Sun Valley",
        "Mission Hills",
        "North Hills",
        "West Hills",
        "Shadow Hills",
        "Rolling Hills",
        "Rolling Hills Estates",
        "Hidden Hills",
        "Signal Hill",
        "Diamond Bar",
        "Lake View Terrace",
        "Mount Washington",
        "Sunland",
        "Universal City",
        "Century City",
        "Harbor City",
        "Harbor Gateway",
        "Panorama City",
        "Studio City",
        "Temple City",
        "Lakewood",
        "Hawthorne",
        "Lancaster",
        "Whittier",
        "Compton",
        "Downey",
        "Glendale",
        "Pasadena",
        "Arcadia",
        "Westchester",
        "Wilmington",
        "Claremont",
        "Norwalk",
        "Bellflower",
        "Maywood",
        "Lynwood",
        "Duarte",
        "Malibu",
        "Crenshaw",
        "Eastside",
        "Westside",
        "South Bay",
        "South Central",
        "Miracle Mile",
        "Arts District",
    }
)

# Separators allowed inside multi-word names: "Mid-City" = "Mid City", "Pico Union".
_SEP_CLASS = r"[\s\-\u2013/]+"
_SEP_RE = re.compile(_SEP_CLASS)
# Street suffixes: "Santa Monica Blvd" names a street, not the page's area.
_STREET_SUFFIX = (
    r"(?![\s\-]+(?i:blvd|boulevard|ave|avenue|st|street|dr|drive|rd|road|way|pl|place|ln|lane"
    r"|fwy|freeway|pkwy|parkway|ct|court)\b)"
)
# "LA" followed by another ALL-CAPS word is likely Spanish in a heading ("LA CASA"), and
# "LA 70801" is Louisiana in an address; neither is Los Angeles.
_LA_NEXT_CAPS = re.compile(r"\s+[A-ZÁÉÍÓÚÑ]{2,}\b")
_LA_NEXT_ZIP = re.compile(r",?\s*\d{5}\b")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # city | segment-of-a-city | standalone-city | unincorporated-area | region | county
    region: str  # Mapping L.A. region slug, e.g. "westside"; "" for city-wide/county terms
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    start: int
    end: int
    text: str  # as written on the page
    name: str  # canonical place name


def _key(s: str) -> str:
    # One lookup key for every spelling: "Mid City" / "mid-city" / "MID-CITY" -> "mid city".
    return _SEP_RE.sub(" ", s.strip()).casefold()


@lru_cache(maxsize=1)
def _places() -> tuple[Place, ...]:
    rows: list[Place] = []
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
            rows.append(
                Place(row["name"].strip(), row["kind"].strip(), row["region"].strip(), aliases)
            )
    return tuple(rows)


def load_places() -> list[Place]:
    """All gazetteer entries (cached; the returned list is a fresh copy)."""
    return list(_places())


@lru_cache(maxsize=1)
def _lookup_table() -> dict[str, Place]:
    table: dict[str, Place] = {}
    for place in _places():
        for spelling in (place.name, *place.aliases):
            table.setdefault(_key(spelling), place)
    return table


def lookup(name: str) -> Place | None:
    """Resolve a name or alias (case-insensitive), e.g. a profile's service area.

    Unlike text matching, generic names such as "Industry" resolve here too: a profile entry
    is an explicit claim, not incidental body text.
    """
    if not name or not name.strip():
        return None
    return _lookup_table().get(_key(name.strip().rstrip(",")))


_LA_TOKEN = re.compile(r"L\.?A\.?")


def _pattern(spelling: str, la_only: bool = False) -> str:
    # la_only: the spelling contains the token "LA", which must stay upper case, while the
    # other words may be in any case ("downtown LA").
    parts = []
    for p in _SEP_RE.split(spelling.strip()):
        if not p:
            continue
        if la_only and not _LA_TOKEN.fullmatch(p):
            parts.append("(?i:" + re.escape(p) + ")")
        else:
            parts.append(re.escape(p))
    return _SEP_CLASS.join(parts)


def _spellings() -> tuple[set[str], set[str], set[str], dict[str, str]]:
    ci: set[str] = set()
    cs: set[str] = set()
    la_mixed: set[str] = set()
    canon: dict[str, str] = {}
    for place in _places():
        spellings = list(place.aliases)
        if place.name not in CONTEXT_ONLY:
            spellings.append(place.name)
        for s in spellings:
            canon.setdefault(_key(s), place.name)
            if s in CASE_SENSITIVE:
                cs.add(s)
                cs.add(s.upper())
            elif any(_LA_TOKEN.fullmatch(p) for p in _SEP_RE.split(s)):
                # "East LA", "Downtown L.A.": the LA token stays case-sensitive.
                la_mixed.add(s)
            else:
                ci.add(s)
    return ci, cs | la_mixed, la_mixed, canon


def _regex_of(alts: Iterable[str], flags: int) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)" + _STREET_SUFFIX, flags)


# Characters that Python's case-insensitive regex matching treats as equal to an ASCII letter
# (dotted and dotless i, long s, Kelvin sign). A name's first word must not hold one of them
# for the fast path below (see _Matcher); text may: its non-ASCII words take the full regex.
_ASCII_LOOKALIKES = ("\u0130", "\u0131", "\u017f", "\u212a")
_WORD_RUN = re.compile(r"\w+")
_LEADING_WORD = re.compile(r"\w*")
_NON_ASCII = 0x80
# A text's bytes as _word_starts makes them (one per character, "?" standing for a non-ASCII
# character), translated: ASCII letters lowered, every other character that is not a word
# character (space, punctuation) turned into a space, and "?" into 0x80. So " word " is an
# ASCII word of the text, and a run of non-space bytes holding 0x80 is a word (or a few words)
# with non-ASCII characters in it.
_WORD_BYTES = bytes(
    b + 32 if 65 <= b <= 90
    else b if (48 <= b <= 57 or 97 <= b <= 122 or b == 0x5F)
    else _NON_ASCII if b == 0x3F
    else 0x20
    for b in range(256)
)


def _has_lookalike(text: str) -> bool:
    return any(c in text for c in _ASCII_LOOKALIKES)


class _Matcher:
    r"""One of the two place regexes plus, per first word, a regex of only its alternatives.

    Every alternative starts with a word (W, its leading run of word characters) that must be
    a whole word of the text: it is preceded by (?<!\w) and followed by a separator, a
    punctuation character of the name ("L.A.") or (?!\w). So at a position where the text's
    word is w, only the alternatives whose W equals w (ASCII case-insensitively) can match,
    and the regex of just those, in the same order, gives exactly the match the full
    alternation gives there. A non-ASCII word can only equal a non-ASCII W, unless it holds
    an ASCII look-alike (then the full regex is used).
    """

    def __init__(self, spellings: set[str], la_mixed: set[str], flags: int) -> None:
        by_pattern: dict[str, str] = {}
        self.safe = True
        for s in spellings:
            pat = _pattern(s, la_only=s in la_mixed)
            first = next(p for p in _SEP_RE.split(s.strip()) if p)
            word = _LEADING_WORD.match(first).group()  # type: ignore[union-attr]
            if (not word or _has_lookalike(word)
                    or (len(word) < len(first) and not first[len(word)].isascii())):
                self.safe = False  # cannot be dispatched on its first word: plain regex only
            by_pattern[pat] = word.lower() if word.isascii() else ""
        # Longest alternatives first so that at one position the longest name wins.
        alts = sorted(by_pattern, key=lambda p: (-len(p), p))
        self.flags = flags
        self.regex = _regex_of(alts, flags) if alts else None
        self.alts = [(p, by_pattern[p]) for p in alts]
        self.keys = frozenset(k for _, k in self.alts if k)
        self._by_key: dict[str, re.Pattern[str] | None] = {}

    def for_word(self, key: str) -> re.Pattern[str] | None:
        """The regex of the alternatives whose first word is ``key`` (lower-case ASCII), or
        for key "" of those whose first word is not ASCII; None when there are none."""
        try:
            return self._by_key[key]
        except KeyError:
            alts = [p for p, k in self.alts if k == key]
            rx = _regex_of(alts, self.flags) if alts else None
            self._by_key[key] = rx
            return rx


@lru_cache(maxsize=1)
def _tables() -> tuple[_Matcher, _Matcher, dict[str, str]]:
    ci, cs, la_mixed, canon = _spellings()
    return _Matcher(ci, la_mixed, re.IGNORECASE), _Matcher(cs, la_mixed, 0), canon


def _matchers() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str]]:
    ci, cs, canon = _tables()
    return ci.regex, cs.regex, canon


@lru_cache(maxsize=1)
def _first_words() -> tuple[frozenset[str], Any]:
    ci, cs, _ = _tables()
    keys = ci.keys | cs.keys
    # In the padded _WORD_BYTES form of a text: " key " is an ASCII word that starts a name.
    # An Aho-Corasick automaton finds every one in a single pass over the text (a regex of
    # the keys stops at every space and tries them there).
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(f" {key} ", key)
    automaton.make_automaton()
    return keys, automaton


def _word_starts(text: str) -> list[tuple[int, str | None]]:
    r"""(offset, key) of every word of ``text`` that may start a place name, in text order.

    A word is a maximal run of word characters (\w). The key is the lower-case word when it
    is ASCII, "" for other words, and None for words with an ASCII look-alike (U+0130,
    U+0131, U+017F, U+212A), which are tried with the full regex.
    """
    keys, finder = _first_words()
    # One byte per character, so offsets in the bytes are offsets in the text: every
    # non-ASCII character becomes "?" (and a real "?", not a word character, a space first).
    raw = text.replace("?", " ").encode("ascii", "replace")
    data = b" " + raw.translate(_WORD_BYTES) + b" "  # offsets in data are text offsets + 1
    # (the automaton reads text: Latin-1 keeps one character per byte; end is the last one's)
    found: list[tuple[int, str | None]] = [
        (end - len(key) - 1, key) for end, key in finder.iter(data.decode("latin-1"))
    ]
    if text.isascii():
        return found
    # Space-delimited runs holding non-ASCII characters: split into words from the text.
    i = data.find(_NON_ASCII)
    while i >= 0:
        start = data.rfind(b" ", 0, i) + 1
        end = data.find(b" ", i)
        chunk = text[start - 1 : end - 1]
        for m in _WORD_RUN.finditer(chunk):
            w = m.group()
            if not w.isascii():
                found.append((start - 1 + m.start(), None if _has_lookalike(w) else ""))
            elif w.lower() in keys:
                found.append((start - 1 + m.start(), w.lower()))
        i = data.find(_NON_ASCII, end)
    found.sort()
    return found


@lru_cache(maxsize=4096)
def _canonical_cached(raw: str) -> str | None:
    return _tables()[2].get(_key(raw))


def _canonical(raw: str) -> str | None:
    """Canonical name of a matched spelling (the same few come back on every page: cached)."""
    return _canonical_cached(raw) if len(raw) <= 100 else _tables()[2].get(_key(raw))


def _accept(text: str, m: re.Match[str], found: list[PlaceMatch]) -> None:
    raw = m.group(0)
    if raw == "LA" and (_LA_NEXT_CAPS.match(text, m.end()) or _LA_NEXT_ZIP.match(text, m.end())):
        return
    name = _canonical(raw)
    if name:
        found.append(PlaceMatch(m.start(), m.end(), raw, name))


def _plain_spans(text: str) -> list[PlaceMatch]:
    """Every match of the two regexes over the whole text (the reference path)."""
    ci, cs, _ = _tables()
    found: list[PlaceMatch] = []
    for matcher in (ci, cs):
        if matcher.regex is not None:
            for m in matcher.regex.finditer(text):
                _accept(text, m, found)
    return found


def _fast_spans(text: str) -> list[PlaceMatch]:
    """Same result as _plain_spans, but the regexes run only where a name's first word is.

    This replays finditer: candidates in text order, a match consumes up to its end.
    """
    ci, cs, _ = _tables()
    starts = _word_starts(text)
    found: list[PlaceMatch] = []
    for matcher in (ci, cs):
        if matcher.regex is None:
            continue
        if not matcher.safe:
            for m in matcher.regex.finditer(text):
                _accept(text, m, found)
            continue
        pos = 0
        for start, key in starts:
            if start < pos:
                continue
            rx = matcher.regex if key is None else matcher.for_word(key)
            if rx is None:
                continue
            m = rx.match(text, start)
            if m is not None:
                pos = m.end()
                _accept(text, m, found)
    return found


def find_place_spans(text: str) -> list[PlaceMatch]:
    """Every place mention with its position, overlaps resolved (longest match wins).

    Positions let a check look for stuffed lists (many names within a few hundred chars).
    """
    if not text:
        return []
    found = _fast_spans(text)
    # The two regexes can overlap ("East LA" from one, "East" nothing, but e.g. a CS alias
    # inside a longer CI name): keep longest first, then drop anything that overlaps.
    found.sort(key=lambda pm: (-(pm.end - pm.start), pm.start))
    starts: list[int] = []
    kept: list[PlaceMatch] = []
    for pm in found:
        i = bisect.bisect_right(starts, pm.start)
        if i > 0 and kept[i - 1].end > pm.start:
            continue
        if i < len(kept) and kept[i].start < pm.end:
            continue
        starts.insert(i, pm.start)
        kept.insert(i, pm)
    return kept


def find_places(text: str) -> dict[str, int]:
    """Canonical place name -> number of mentions in ``text``."""
    counts: dict[str, int] = {}
    for pm in find_place_spans(text):
        counts[pm.name] = counts.get(pm.name, 0) + 1
    return counts
