"""Where the practice is, and which place names on its pages count as local.

A practice in Los Angeles (its city one of the Los Angeles gazetteer's places, audit.places) is
checked against that gazetteer, exactly as before this module existed. Anywhere else, its
local terms are the places within a radius of it (audit.usplaces): its city, the towns and
counties around it, the postal names inside its city, and its state.

Where the practice is comes from, in order: the profile's ``[location] city``; the profile's
address; the address most pages agree on; the address in the site's structured data
(JSON-LD ``addressLocality``, microdata, RDFa); and only when none is found, Los Angeles (the
report says which one it used).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from audit import places as la_places
from audit import usplaces
from audit.profile import Profile

DEFAULT_CITY = "Los Angeles"
DEFAULT_STATE = "CA"
# "..., BOSTON, MA 02131" (audit.nap.canonical_address): the city, state and ZIP at the end
_CITY_STATE_ZIP = re.compile(
    r"(?:^|,)\s*([^,]+?),\s*([A-Z]{2})(?:\s+(\d{5})(?:-\d{4})?)?\s*$")
_CITY_STATE = re.compile(r"^\s*(.+?)\s*,\s*([A-Za-z .]+?)\s*$")
_SCHEMA_SOURCES = ("jsonld", "microdata", "rdfa")


@dataclass
class Locale:
    """The practice's place, as the local checks use it."""

    city: str
    state: str | None
    source: str  # profile | address | default
    los_angeles: bool  # checked against the Los Angeles gazetteer
    lat: float | None = None
    lon: float | None = None
    radius_miles: float = usplaces.DEFAULT_RADIUS_MILES
    # lookup key -> name shown: the place names that count as local (outside Los Angeles)
    terms: dict[str, str] = field(default_factory=dict)
    address: str | None = None  # the address the place came from, if one did

    @property
    def state_name(self) -> str | None:
        return usplaces.state_names().get(self.state or "")

    @property
    def place(self) -> str:
        return f"{self.city}, {self.state}" if self.state else self.city

    def summary(self) -> dict[str, Any]:
        """What the report shows of it (reports.write puts it in the summary)."""
        if self.los_angeles:
            near = "Los Angeles County places (the city, its neighbourhoods and cities)"
        else:
            near = f"places within {self.radius_miles:g} miles of {self.place}"
        return {"place": self.place, "source": self.source, "describe": self.describe(),
                "near": near}

    def describe(self) -> str:
        """One line for the report: which place the local checks used, and why."""
        where = self.place
        if self.source == "profile":
            why = "from the practice profile"
        elif self.source == "address":
            why = "from the practice's address"
        else:
            why = ("no address found on the site and none given in a profile, so the default "
                   "was used")
        return f"{where} ({why})"


def resolve_locale(profile: Profile, business: dict[str, dict[str, Any]] | None,
                   nap: pd.DataFrame | None) -> Locale:
    """The practice's place (see the module docstring for the order)."""
    radius = profile.radius_miles or usplaces.DEFAULT_RADIUS_MILES
    if profile.city:
        parts = _address_parts(profile.address)
        return _from_city(profile.city, profile.state or (parts[1] if parts else None),
                          "profile", radius, zip_code=parts[2] if parts else None)
    for address in _addresses(profile, business, nap):
        found = _from_address(address, radius)
        if found is not None:
            return found
    return Locale(DEFAULT_CITY, DEFAULT_STATE, "default", True, radius_miles=radius)


def _addresses(profile: Profile, business: dict[str, dict[str, Any]] | None,
               nap: pd.DataFrame | None) -> list[str]:
    found = []
    if profile.address:
        found.append(profile.address)
    value = ((business or {}).get("address") or {}).get("value")
    if value:
        found.append(value)
    if nap is not None and len(nap) and "field" in nap:
        rows = nap[(nap["field"] == "address") & nap["source"].isin(_SCHEMA_SOURCES)]
        values = [v for v in rows["normalized"].tolist() if isinstance(v, str) and v]
        found.extend(v for v, _ in Counter(values).most_common())
    return found


def _from_address(address: str, radius: float) -> Locale | None:
    parts = _address_parts(address)
    if parts is None:
        return None
    city, state, zip_code = parts
    if state == "CA" and (place := la_places.lookup(city)) is not None:
        return Locale(place.name, state, "address", True, address=address, radius_miles=radius)
    if usplaces.state_names().get(state) is None:
        return None  # not a US state: not an address this can place
    area = usplaces.zip_area(zip_code) if zip_code else None
    if area is not None and area.state == state and usplaces.fold(city) in (
            usplaces.fold(n) for n in (area.city, *area.other_names)):
        city = area.town  # "Roslindale, MA 02131" is in Boston
    found = usplaces.lookup(city, state)
    name = found[0].name if found else (area.city if area else city)
    if area is not None:
        return _near(name, state, "address", area.lat, area.lon, radius, address=address)
    if found:
        return _near(name, state, "address", found[0].lat, found[0].lon, radius,  # type: ignore[arg-type]
                     address=address)
    return Locale(name, state, "address", False, radius_miles=radius, address=address,
                  terms={usplaces.fold(name): name})


def profile_says_los_angeles(profile: Profile) -> bool:
    """Whether the profile's city alone makes this a Los Angeles practice (resolve_locale
    would say so whatever the pages hold): the crawl then records no other US places."""
    if not profile.city:
        return False
    city, state = _city_and_state(profile.city, profile.state or _state_of(profile.address))
    return la_places.lookup(city) is not None and state in (None, "CA")


def _city_and_state(city: str, state: str | None) -> tuple[str, str | None]:
    """"Portland, ME" -> ("Portland", "ME"); a state given apart is kept otherwise."""
    m = _CITY_STATE.match(city)
    if m and usplaces.state_abbreviation(m.group(2)):
        return m.group(1), usplaces.state_abbreviation(m.group(2))
    return city, state


def _from_city(city: str, state: str | None, source: str, radius: float,
               zip_code: str | None = None) -> Locale:
    city, state = _city_and_state(city, state)
    place = la_places.lookup(city)
    if place is not None and state in (None, "CA"):
        return Locale(place.name, "CA", source, True, radius_miles=radius)
    found = [p for p in usplaces.lookup(city, state) if p.kind == "city"]
    if not found:
        # not a US city the ZIP table knows (a foreign city, a new town): its own name only
        return Locale(city.strip(), state, source, False, radius_miles=radius,
                      terms={usplaces.fold(city): city.strip()})
    best = found[0]
    area = usplaces.zip_area(zip_code) if zip_code else None
    if area is not None and area.state == best.state:
        return _near(best.name, best.state, source, area.lat, area.lon, radius)
    return _near(best.name, best.state, source, best.lat, best.lon, radius)  # type: ignore[arg-type]


def _near(city: str, state: str, source: str, lat: float, lon: float, radius: float,
          address: str | None = None) -> Locale:
    terms = usplaces.local_keys(lat, lon, state, radius)
    terms.setdefault(usplaces.fold(city), city)
    return Locale(city, state, source, False, lat, lon, radius, terms, address)


def _address_parts(address: str | None) -> tuple[str, str, str | None] | None:
    """(city, state, ZIP or None) at the end of an address in its canonical form."""
    if not address:
        return None
    from audit.nap import canonical_address

    m = _CITY_STATE_ZIP.search(canonical_address(address) or address)
    return (m.group(1).strip().title(), m.group(2), m.group(3)) if m else None


def _state_of(address: str | None) -> str | None:
    parts = _address_parts(address)
    return parts[1] if parts else None


def headline_places(pages: pd.DataFrame) -> pd.DataFrame:
    """US place mentions in the pages' titles, H1s and meta descriptions (body counts 0),
    from the pages frame: for a crawl that recorded none (its profile said Los Angeles) now
    checked against a practice elsewhere (``report DIR --profile OTHER``)."""
    rows: dict[str, list[Any]] = {name: [] for name in
                                  ("url", "term", "in_title", "in_h1", "in_meta_description",
                                   "body_count")}
    for url, title, h1, description in zip(
            pages["url"].tolist(), pages["title"].tolist(), pages["h1"].tolist(),
            pages["meta_description"].tolist(), strict=True):
        zones = [usplaces.find_us_places(text) if isinstance(text, str) and text else {}
                 for text in (title, h1, description)]
        for term in sorted(set().union(*zones)):
            for name, value in zip(rows, (url, term, term in zones[0], term in zones[1],
                                          term in zones[2], 0), strict=True):
                rows[name].append(value)
    return pd.DataFrame(rows)


def local_places(locale: Locale, la_frame: pd.DataFrame, us_frame: pd.DataFrame,
                 areas: list[str]) -> pd.DataFrame:
    """The place mentions that count for this practice, one row per page and term (columns of
    audit.load.PLACES_COLUMNS): the Los Angeles gazetteer's in Los Angeles, the local US
    places' elsewhere, and in both the profile's own areas that neither gazetteer knows."""
    wanted: dict[str, str] = {}
    if not locale.los_angeles:
        wanted.update(locale.terms)
    la_names = {p.name for p in la_places.load_places()}
    for area in areas:
        if locale.los_angeles and area in la_names:
            continue  # the Los Angeles frame has it
        wanted[usplaces.fold(area)] = area  # as the profile spells it, as the report lists it
    parts = [la_frame] if locale.los_angeles else []
    if wanted and not locale.los_angeles and len(la_frame):
        # the places both gazetteers know are recorded by the Los Angeles one only
        # (usplaces.read_by_los_angeles): "Santa Monica" for a practice in Irvine
        keys = la_frame["term"].map(usplaces.fold)
        rows = la_frame[keys.isin(wanted.keys())].copy()
        rows["term"] = keys[rows.index].map(wanted)
        parts.append(rows)
    if wanted and len(us_frame):
        rows = us_frame[us_frame["term"].isin(wanted.keys())].copy()
        rows["term"] = rows["term"].map(wanted)
        parts.append(rows)
    if not parts:
        return la_frame.iloc[0:0]
    if len(parts) == 1:
        return parts[0]
    merged = pd.concat(parts, ignore_index=True)
    if not merged.duplicated(["url", "term"]).any():
        return merged
    # an area named by both frames: one row per page and term
    return (merged.groupby(["url", "term"], as_index=False, sort=False)
            .agg({"in_title": "max", "in_h1": "max", "in_meta_description": "max",
                  "body_count": "max"}))
