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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str]]:
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

    def build(spellings: set[str], flags: int) -> re.Pattern[str] | None:
        if not spellings:
            return None
        pats = {_pattern(s) for s in spellings if s not in la_mixed}
        pats |= {_pattern(s, la_only=True) for s in spellings if s in la_mixed}
        # Longest alternatives first so that at one position the longest name wins.
        alts = sorted(pats, key=lambda p: (-len(p), p))
        body = "|".join(alts)
        return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)" + _STREET_SUFFIX, flags)

    return build(ci, re.IGNORECASE), build(cs | la_mixed, 0), canon


def find_place_spans(text: str) -> list[PlaceMatch]:
    """Every place mention with its position, overlaps resolved (longest match wins).

    Positions let a check look for stuffed lists (many names within a few hundred chars).
    """
    if not text:
        return []
    ci_re, cs_re, canon = _matchers()
    found: list[PlaceMatch] = []
    for rx in (ci_re, cs_re):
        if rx is None:
            continue
        for m in rx.finditer(text):
            raw = m.group(0)
            if raw == "LA" and (
                _LA_NEXT_CAPS.match(text, m.end()) or _LA_NEXT_ZIP.match(text, m.end())
            ):
                continue
            name = canon.get(_key(raw))
            if name:
                found.append(PlaceMatch(m.start(), m.end(), raw, name))
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
