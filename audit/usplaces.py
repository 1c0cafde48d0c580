"""US places anywhere: city, town and county names with coordinates, and the state names.

Los Angeles has its own, richer gazetteer (audit.places: neighbourhoods, aliases, regions).
Everywhere else the names come from the US ZIP code table of the ``zipcodes`` package (see
data/us_zips.SOURCE.md): every ZIP code with its postal place name (and the other names USPS
accepts for it), its county, state and coordinates. From it:

* the names a page may use for a place: city and town names, the postal names inside cities
  ("Roslindale" is a Boston ZIP code's own name), county names and state names;
* where each (name, state) is: the mean of its ZIP codes' coordinates, so "nearby" is a
  distance, and where a name repeats across states the one near the practice wins.

Page text is matched at crawl time without knowing where the practice is (``find_us_places``):
every name written as a name (each word capitalised, or ALL CAPS, so Spanish "como" is not
Como, Texas), as whole words. The report step keeps only the names of places near the
practice (``local_keys``), which is what takes the noise out ("Hope" at the start of a
sentence is Hope, Arkansas, far from a Boston practice).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
from scourgify.address_constants import STATE_ABBREVIATIONS

from audit.nap import states

DATA_FILE = Path(__file__).parent / "data" / "us_zips.csv.gz"
DATA_COLUMNS = ["zip", "city", "state", "county", "lat", "lon", "other_names"]
# A practice's "nearby" places: within this many miles of its city (or ZIP code). Forty miles
# takes in a metro area's ring of suburbs (Dallas to Fort Worth is 31, Boston to Lowell 25) and
# not the next metro area (Los Angeles to San Diego is 112).
DEFAULT_RADIUS_MILES = 40.0
_EARTH_RADIUS_MILES = 3958.8

# Lower-case words that may sit inside a place name written as a name ("Isle of Palms",
# "Cañon de los Alamos").
_CONNECTORS = frozenset({"of", "de", "del", "la", "las", "los", "el", "the", "on", "upon",
                         "du", "des", "le", "y", "au", "aux", "in", "by", "at", "and"})
# After an honorific a town's name is a person's: "Dr. Allen" and "Mrs. Murphy" are people
# (Allen and Murphy are Texas towns).
_HONORIFIC_BEFORE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|St)\.?\s+$")
# "Dallas Pkwy", "Boston Ave": a street, not a statement about where the page's practice is.
_STREET_AFTER = re.compile(
    r"[\s\-]+(?i:blvd|boulevard|ave|avenue|st|street|dr|drive|rd|road|way|pl|place|ln|lane"
    r"|fwy|freeway|pkwy|parkway|ct|court|hwy|highway|turnpike|tpke|expy|expressway)\b")


@dataclass(frozen=True)
class UsPlace:
    """One named place: a city or town, a county or a state, in one state."""

    name: str  # as shown: "Roslindale", "Suffolk County", "Massachusetts"
    state: str  # USPS abbreviation
    kind: str  # city | county | state
    lat: float | None  # None for a state
    lon: float | None
    zips: int  # how many ZIP codes carry the name: the larger of two namesakes


# Abbreviations inside place names, written out in lookup keys: "Ft Worth" is Fort Worth.
_ABBREVIATED = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}
_WRITTEN_SHORT = {full: short for short, full in _ABBREVIATED.items()}


def fold(text: str) -> str:
    """The lookup key of a name: lower case, accents and punctuation folded to single spaces,
    abbreviations written out ("Winston-Salem" = "winston salem", "Cañon City" = "canon
    city", "Ft. Worth" = "fort worth")."""
    words = text.translate(_fold_table()).split()
    if len(words) > 1:
        words = [_ABBREVIATED.get(w, w) for w in words]
    return " ".join(words)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    # One character for one character, so offsets in folded text are offsets in the text.
    table: dict[int, str] = {}
    for code in range(0x250):
        char = chr(code)
        if char.isascii():
            table[code] = char.lower() if char.isalnum() else " "
        elif char.isalpha():
            base = unicodedata.normalize("NFKD", char)[0]
            table[code] = base.lower() if base.isascii() and base.isalpha() else char.lower()
        else:
            table[code] = " "  # no-break space, the Latin-1 signs and punctuation
    for code in range(0x2000, 0x2070):  # general punctuation: dashes, quotes, bullets, spaces
        table[code] = " "
    return table


def _display(name: str) -> str:
    # The ZIP table writes a few names in lower case after a hyphen ("Winston-salem") and
    # "Mc" names with one capital ("Mckinney").
    name = re.sub(r"(?<=[\s\-])([a-z])(?=[a-z]{2})", lambda m: m.group(1).upper(), name)
    return re.sub(r"\bMc([a-z])", lambda m: "Mc" + m.group(1).upper(), name)


def state_names() -> dict[str, str]:
    """USPS abbreviation -> the state's name ("MA" -> "Massachusetts")."""
    return dict(_state_names())


@lru_cache(maxsize=1)
def _state_names() -> tuple[tuple[str, str], ...]:
    return tuple((code, states.display_name(code)) for code in states.STATE_NAMES)


def state_abbreviation(text: str) -> str | None:
    """"TX", "Tex.", "Texas" -> "TX"; None for anything else."""
    key = fold(text).upper()
    if key in states.STATE_NAMES:
        return key
    return STATE_ABBREVIATIONS.get(key)


def _rows() -> Iterator[tuple[str, ...]]:
    """The data file's rows, read afresh each time: the crawl's extraction processes need
    only the names (_name_sizes), the report step the coordinates (_places), and holding the
    42,000 rows would cost every process some 25 MB."""
    with gzip.open(DATA_FILE, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != DATA_COLUMNS:
            raise ValueError(f"{DATA_FILE.name}: unexpected columns {header}")
        for row in reader:
            yield tuple(row)


# The size given to a county's or a state's name in _name_sizes: larger than any city's
_REGION_SIZE = 10**6


@lru_cache(maxsize=1)
def _name_sizes() -> dict[str, int]:
    """Every lookup key of the data file and the state list -> the number of ZIP codes of the
    largest city of that name (_REGION_SIZE for a county or a state). What the crawl needs:
    which names are places (_automaton, names_a_place), and how big."""
    sizes: dict[str, int] = {}
    folded: dict[str, str] = {}
    city_zips: dict[tuple[str, str], int] = {}
    for _zip, city, state, county, _lat, _lon, others in _rows():
        for name in (city, *(others.split(";") if others else ())):
            key = folded.get(name)
            if key is None:
                key = folded[name] = fold(name)
            city_zips[key, state] = city_zips.get((key, state), 0) + 1
        if county:
            key = folded.get(county)
            if key is None:
                key = folded[county] = fold(county)
            sizes[key] = _REGION_SIZE
    for (key, _state), count in city_zips.items():
        if sizes.get(key, 0) < count:
            sizes[key] = count
    for _, name in _state_names():
        sizes[fold(name)] = _REGION_SIZE
    return sizes


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[UsPlace, ...]]:
    """Lookup key -> every place of that name (several states may have one)."""
    keys: dict[str, str] = {}
    sums: dict[tuple[str, str, str], list[Any]] = {}

    def add(name: str, state: str, kind: str, lat: float, lon: float) -> None:
        key = keys.get(name)
        if key is None:
            key = keys[name] = fold(name)
        entry = sums.get((key, state, kind))
        if entry is None:
            entry = sums[key, state, kind] = [_display(name), 0.0, 0.0, 0]
        entry[1] += lat
        entry[2] += lon
        entry[3] += 1

    for _zip, city, state, county, lat_s, lon_s, others in _rows():
        lat, lon = float(lat_s), float(lon_s)
        add(city, state, "city", lat, lon)
        if others:
            for name in others.split(";"):
                add(name, state, "city", lat, lon)
        if county:
            add(county, state, "county", lat, lon)
    table: dict[str, list[UsPlace]] = {}
    for (key, state, kind), (name, lat, lon, count) in sums.items():
        table.setdefault(key, []).append(
            UsPlace(name, state, kind, lat / count, lon / count, count))
    for abbr, name in _state_names():
        table.setdefault(fold(name), []).append(UsPlace(name, abbr, "state", None, None, 0))
    return {key: tuple(sorted(found, key=lambda p: (-p.zips, p.state, p.kind)))
            for key, found in table.items()}


def lookup(name: str, state: str | None = None) -> tuple[UsPlace, ...]:
    """Every place called ``name`` (in ``state`` only, when given), the largest first."""
    found = _places().get(fold(name), ())
    if state:
        found = tuple(p for p in found if p.state == state)
    return found


@dataclass(frozen=True)
class ZipArea:
    zip: str
    city: str  # its postal place name: "Roslindale"
    state: str
    county: str
    lat: float
    lon: float
    other_names: tuple[str, ...]  # the other names USPS accepts for it: "Boston"

    @property
    def town(self) -> str:
        """The city the ZIP code is in: a postal name inside a larger city ("Roslindale")
        gives that city ("Boston"), the one of the names with the most ZIP codes."""
        best, most = self.city, _zip_count(self.city, self.state)
        for name in self.other_names:
            count = _zip_count(name, self.state)
            if count > most:
                best, most = name, count
        return best


def _zip_count(name: str, state: str) -> int:
    return max((p.zips for p in lookup(name, state) if p.kind == "city"), default=0)


@lru_cache(maxsize=64)
def zip_area(zip_code: str) -> ZipArea | None:
    """The postal place of a ZIP code ("02131" -> Roslindale, MA), None when unknown."""
    wanted = zip_code[:5]
    row = next((r for r in _rows() if r[0] == wanted), None)  # a practice has one or two
    if row is None:
        return None
    return ZipArea(row[0], _display(row[1]), row[2], row[3], float(row[4]), float(row[5]),
                   tuple(_display(n) for n in row[6].split(";") if n))


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, a)))


def local_keys(lat: float, lon: float, state: str,
               radius_miles: float = DEFAULT_RADIUS_MILES) -> dict[str, str]:
    """Lookup key -> name shown, of every place near (lat, lon): the cities, towns and
    counties within ``radius_miles``, and the practice's state."""
    keys: dict[str, str] = {}
    for key, found in _places().items():
        for place in found:
            if place.kind == "state":
                if place.state == state:
                    keys[key] = place.name
            elif miles_between(lat, lon, place.lat, place.lon) <= radius_miles:  # type: ignore[arg-type]
                keys[key] = place.name
                break
    return keys


# ---------------------------------------------------------------------------- page text


@lru_cache(maxsize=1)
def _automaton() -> Any:
    """Every name as it is written as a name, over text in the form of _page_form."""
    automaton = ahocorasick.Automaton()
    left_out = read_by_los_angeles()
    for key in sorted(_known_keys().keys() | left_out):
        # a place the Los Angeles table records is found (so "Long Beach" is not Beach,
        # North Dakota) but not recorded: its value's key is None
        value_key = None if key in left_out else key
        for spelling in _spellings(key):
            for written in _written_forms(spelling):
                automaton.add_word(f" {written} ", (value_key, len(written)))
    automaton.make_automaton()
    return automaton


def _spellings(key: str) -> Iterable[str]:
    """The key as pages write it: "saint louis" is also "st louis" and, its dot being a
    second space in _page_form, "st  louis"."""
    words = key.split(" ")
    options = [[w] if (w not in _WRITTEN_SHORT or len(words) == 1)
               else [w, _WRITTEN_SHORT[w], _WRITTEN_SHORT[w] + " "] for w in words]
    spelled = [""]
    for choice in options:
        spelled = [f"{head} {w}" if head else w for head in spelled for w in choice]
    return list(dict.fromkeys(s.rstrip() for s in spelled))


# Names whose words are written with a capital inside: "McKinney", "DeSoto", "LaGrange".
_INNER_CAPITAL = re.compile(r"^(mc|mac|de|la|le|di|du|van)([a-z]{3,})$")


def _written_forms(spelling: str) -> set[str]:
    """A name's spelling (lower case) as a page writes a name: each word capitalised, with
    the connectors in lower case or not ("Isle of Palms", "Isle Of Palms"), the names with a
    capital inside ("McKinney"), and in capitals ("DALLAS")."""
    words = spelling.split(" ")  # "st  louis" keeps its empty word: the doubled space
    capitalised = [w.capitalize() for w in words]
    forms = {" ".join(capitalised), spelling.upper(),
             " ".join(w if i and w in _CONNECTORS else c
                      for i, (w, c) in enumerate(zip(words, capitalised, strict=True)))}
    inner = [_INNER_CAPITAL.sub(lambda m: m.group(1).capitalize() + m.group(2).capitalize(), w)
             for w in words]
    if inner != words:
        forms.add(" ".join(inner))
    return forms


# A page's text as the automaton reads it: one byte per character (so offsets are the
# text's), ASCII letters and digits kept, everything else a space. Accented letters are
# spaces too: the ZIP code table writes its names in ASCII ("Canon City").
_PAGE_BYTES = bytes(b if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else 0x20
                    for b in range(256))


def _page_form(text: str) -> str:
    return (b" " + text.encode("ascii", "replace").translate(_PAGE_BYTES)
            + b" ").decode("ascii")


def find_us_place_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lookup key) of every US place name written as a name in ``text``, the
    longest where two overlap, in text order."""
    if not text:
        return []
    hits = [(last - length - 1, last - 1, key)  # _page_form offsets are text offsets + 1
            for last, (key, length) in _automaton().iter(_page_form(text))]
    if not hits:
        return []
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    found: list[tuple[int, int, str]] = []
    floor = 0
    for start, end, key in hits:
        if start < floor:
            continue  # inside a longer name already taken ("Fort Worth" holds "Worth")
        if key is None:  # a place of the Los Angeles table: recorded there
            floor = end
            continue
        if (start > 2 and text[start - 1] == " " and " " not in key
                and _HONORIFIC_BEFORE.search(text, max(0, start - 6), start)):
            continue
        if text[end:end + 1] in (" ", "-"):
            street = _STREET_AFTER.match(text, end)
            if street is not None:
                floor = street.end()  # "Boston Avenue": neither Boston nor Avenue, Maryland
                continue
        found.append((start, end, key))
        floor = end
    return found


def find_us_places(text: str) -> dict[str, int]:
    """Lookup key -> number of mentions in ``text``."""
    counts: dict[str, int] = {}
    for _, _, key in find_us_place_spans(text):
        counts[key] = counts.get(key, 0) + 1
    return counts


# _fold_table for ASCII text, as a bytes table (str.translate with a dict reads a dict per
# character: ten times slower on a long page).
_FOLD_BYTES = bytes(b + 32 if 65 <= b <= 90 else b if (48 <= b <= 57 or 97 <= b <= 122)
                    else 0x20 for b in range(128)) + bytes(128)


def is_known_name(name: str) -> bool:
    """Whether the ZIP code table (or the state list) has a place of this name."""
    return fold(name) in _known_keys()


# "0" when the crawl's profile places the practice in Los Angeles (audit.locale.
# profile_says_los_angeles): US place names are then not looked for in its pages (set by
# spiders.run, read by the extraction processes).
US_PLACES_ENVIRONMENT = "SEO_AUDIT_US_PLACES"


@lru_cache(maxsize=1)
def us_places_wanted() -> bool:
    """Whether the crawl looks for US place names in its pages (US_PLACES_ENVIRONMENT)."""
    return os.environ.get(US_PLACES_ENVIRONMENT) != "0"


# The profile's [location] areas, for the crawl's extraction processes (set by spiders.run):
# a neighbourhood that no gazetteer knows ("Back Bay", "Deep Ellum") is looked for as given.
AREAS_ENVIRONMENT = "SEO_AUDIT_AREAS"


@lru_cache(maxsize=1)
def _profile_areas() -> tuple[tuple[str, re.Pattern[str]], ...]:
    try:
        areas = json.loads(os.environ.get(AREAS_ENVIRONMENT) or "[]")
    except ValueError:
        return ()
    found = []
    for area in areas if isinstance(areas, list) else []:
        words = fold(area).split() if isinstance(area, str) else []
        if words:
            pattern = r"(?<![a-z0-9])" + r"\s+".join(map(re.escape, words)) + r"(?![a-z0-9])"
            found.append((" ".join(words), re.compile(pattern)))
    return tuple(found)


def profile_area_counts(text: str) -> dict[str, int]:
    """Lookup key -> mentions in ``text`` of each of the profile's areas (any case, accents
    and punctuation folded); {} when the crawl was given none."""
    areas = _profile_areas()
    if not areas or not text:
        return {}
    folded = (text.encode("ascii").translate(_FOLD_BYTES).decode("ascii") if text.isascii()
              else text.translate(_fold_table()))
    counts = {}
    for key, pattern in areas:
        n = len(pattern.findall(folded))
        if n:
            counts[key] = n
    return counts


@lru_cache(maxsize=1)
def read_by_los_angeles() -> frozenset[str]:
    """Keys of the names the Los Angeles gazetteer (audit.places) finds on their own, its
    generic names (and "LA") aside: the crawl records their mentions there (audit.locale reads
    them from that table for a practice elsewhere), so the US names' scan finds them, to keep
    "Echo Park" from being Echo, Utah and Park, Kansas, but does not record them."""
    from audit import places

    return frozenset(fold(spelling) for place in places.load_places()
                     for spelling in (place.name, *place.aliases)
                     if spelling not in places.CONTEXT_ONLY and len(spelling) > 2)


def _known_keys() -> dict[str, int]:
    return _name_sizes()


# Words before a place name that keep it a place: "North Dallas", "Greater Boston".
_PLACE_QUALIFIER = re.compile(r"^(?:north|south|east|west|northeast|northwest|southeast"
                              r"|southwest|downtown|uptown|midtown|greater|metro|central)\s+")
# A town named like a word ("Harmony", "Hope", "Aurora", "Meridian") may well be a practice's
# name; a title segment that is one one-word place name alone is taken for a place only when
# the place is a large city (Boston has 55 ZIP codes, Dallas 121, Aurora, Colorado 18), a
# county or a state, or when a state follows it ("Aurora, CO").
_CITY_ZIPS_ALONE = 20


def _names_a_state(text: str) -> bool:
    """"Texas", "TEXAS", "TX": a state; "In", "Me", "Ok" are words."""
    letters = text.replace(".", "").strip()
    return state_abbreviation(text) is not None and (len(letters) > 3 or letters.isupper())


@lru_cache(maxsize=1024)
def names_a_place(text: str) -> bool:
    """True when ``text`` is nothing but US place names: "Dallas, Texas", "Boston, MA",
    "Dallas & Fort Worth", "North Dallas", "Texas". A title segment like that is a location,
    never a practice's name."""
    parts = [p for p in re.split(r"\s*(?:,|&|/|\||\band\b|\+)\s*", text.strip()) if p]
    if not parts:
        return False
    # "Dallas TX": a trailing state abbreviation without its comma
    last = parts[-1].rsplit(" ", 1)
    if len(last) == 2 and _names_a_state(last[1]):
        parts[-1:] = last
    places = []
    has_state = False
    for part in parts:
        if _names_a_state(part):
            has_state = True
            continue
        key = _PLACE_QUALIFIER.sub("", fold(part))
        if not key or key not in _known_keys():
            return False
        places.append(key)
    if has_state or len(places) != 1 or " " in places[0]:
        return True  # "Jamaica Plain" alone is a place; "Harmony" alone may be a name
    return _known_keys()[places[0]] >= _CITY_ZIPS_ALONE


# ------------------------------------------------------------------------- the data file


def rebuild_rows() -> list[list[str]]:
    """The data file's rows, made afresh from the installed ``zipcodes`` package (a test
    extra): US ZIP codes but military ones, with the names USPS accepts for each."""
    import zipcodes

    rows: list[list[str]] = []
    plain = re.compile(r"[A-Za-z][A-Za-z .'\-]*")
    for z in zipcodes.list_all():
        if z["country"] != "US" or z["zip_code_type"] == "MILITARY":
            continue
        if not plain.fullmatch(z["city"]):
            continue
        others = [n for n in z["acceptable_cities"] if plain.fullmatch(n)] \
            if z["zip_code_type"] in ("STANDARD", "PO BOX") else []
        rows.append([z["zip_code"], z["city"], z["state"], z["county"] or "",
                     z["lat"], z["long"], ";".join(others)])
    rows.sort()
    return rows


def write_data_file(path: Path = DATA_FILE) -> None:
    """Write the data file from ``zipcodes`` (run ``python -m audit.usplaces`` after an
    upgrade of that package). Gzip without a timestamp: the same data gives the same bytes."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(DATA_COLUMNS)
    writer.writerows(rebuild_rows())
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                               filename="") as handle:
        handle.write(text.getvalue().encode("utf-8"))


if __name__ == "__main__":
    write_data_file()
    print(f"wrote {DATA_FILE.name}: {sum(1 for _ in _rows())} ZIP codes")
