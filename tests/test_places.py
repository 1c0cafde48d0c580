"""audit.places: the L.A. gazetteer finds real place mentions and skips look-alikes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import places
from audit.places import DATA_FILE, find_place_spans, find_places, load_places, lookup

# A copy of shared/seeds/: the real page of the kind of site we audit.
SEED_DIR = Path(__file__).parent / "html"


def test_data_file_columns_and_counts() -> None:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["name", "kind", "region", "aliases"]
        rows = list(reader)
    kinds = [r["kind"] for r in rows]
    assert kinds.count("segment-of-a-city") == 114
    assert kinds.count("standalone-city") == 87
    assert kinds.count("city") == 1
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    assert (DATA_FILE.parent / "la_places.SOURCE.md").is_file()


def test_load_places_is_cached_copy() -> None:
    a = load_places()
    a.clear()
    assert len(load_places()) > 200
    la = lookup("Los Angeles")
    assert la is not None and la.kind == "city" and "L.A." in la.aliases


@pytest.mark.parametrize(
    "text, expected",
    [("Discover how it can help any professional in the Los Angeles area.", {"Los Angeles": 1}),
     ("Therapy in LA and L.A. for busy people", {"Los Angeles": 2}),
     ("LA-based psychologist", {"Los Angeles": 1}),
     ("Serving the City of Angels", {"Los Angeles": 1}),
     ("LOS ANGELES, CA", {"Los Angeles": 1}),
     ("Offices in Santa Monica and Sherman Oaks", {"Santa Monica": 1, "Sherman Oaks": 1}),
     ("Near Mid City and Pico Union", {"Mid-City": 1, "Pico-Union": 1})],
)
def test_finds_places(text: str, expected: dict[str, int]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    "alias, canonical",
    [("DTLA", "Downtown"), ("Downtown LA", "Downtown"), ("downtown Los Angeles", "Downtown"),
     ("WeHo", "West Hollywood"), ("K-Town", "Koreatown"), ("NoHo", "North Hollywood"),
     ("Silverlake", "Silver Lake"), ("SaMo", "Santa Monica"), ("West LA", "West Los Angeles"),
     ("Miracle Mile", "Mid-Wilshire"), ("City of Industry", "Industry"),
     ("La Ca\u00f1ada Flintridge", "La Canada Flintridge"), ("the Westside", "Westside"),
     ("South Bay", "South Bay"), ("San Fernando Valley", "San Fernando Valley")],
)
def test_alias_counts_for_canonical(alias: str, canonical: str) -> None:
    assert find_places(f"Therapy near {alias} today.") == {canonical: 1}


@pytest.mark.parametrize(
    "text",
    ["Our LAUSD teachers program", "Vamos a la casa de la playa", "LA CASA DE LA PAZ",
     "Baton Rouge, LA 70801", "Mental health is an industry and commerce topic.",
     "Downtown parking is free", "The rolling hills of Tuscany", "He rang the bell",
     "We love walnut trees", "Florence Nightingale", "UCLA and USC research",
     "venice is sinking", "Exit at Santa Monica Blvd", "Take Venice Boulevard west",
     "a 100 watts bulb", "south bay leaves"],
)
def test_look_alikes_are_not_places(text: str) -> None:
    assert find_places(text) == {}


def test_longest_match_wins_without_double_counting() -> None:
    assert find_places("East Los Angeles clinic") == {"East Los Angeles": 1}
    assert find_places("West Los Angeles office") == {"West Los Angeles": 1}
    assert find_places("East LA and West L.A.") == {"East Los Angeles": 1,
                                                    "West Los Angeles": 1}
    assert find_places("Los Angeles County residents") == {"Los Angeles County": 1}
    assert find_places("West Hollywood, Hollywood and Hollywood Hills") == {
        "West Hollywood": 1, "Hollywood": 1, "Hollywood Hills": 1}
    assert find_places("Los Angeles, East Los Angeles, Los Angeles") == {
        "Los Angeles": 2, "East Los Angeles": 1}


def test_spans_do_not_overlap_and_keep_positions() -> None:
    text = "Serving Downtown LA, Koreatown and East Los Angeles."
    spans = find_place_spans(text)
    assert [(s.name, text[s.start:s.end]) for s in spans] == [
        ("Downtown", "Downtown LA"), ("Koreatown", "Koreatown"),
        ("East Los Angeles", "East Los Angeles")]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_case_sensitive_ordinary_words() -> None:
    assert find_places("Venice Beach and Hollywood") == {"Venice": 1, "Hollywood": 1}
    assert find_places("VENICE") == {"Venice": 1}
    assert find_places("hollywood movies") == {}


@pytest.mark.parametrize(
    "name, canonical",
    [("weho", "West Hollywood"), ("  Sherman Oaks ", "Sherman Oaks"), ("la", "Los Angeles"),
     ("Industry", "Industry"), ("mid city", "Mid-City"), ("DTLA", "Downtown")],
)
def test_lookup(name: str, canonical: str) -> None:
    place = lookup(name)
    assert place is not None and place.name == canonical


@pytest.mark.parametrize("name", ["", "Springfield", "Los Angles", "Hollywood Blvd"])
def test_lookup_unknown(name: str) -> None:
    assert lookup(name) is None


def test_regions_present() -> None:
    assert lookup("Beverly Hills").region == "westside"  # type: ignore[union-attr]
    assert lookup("Pasadena").region == "verdugos"  # type: ignore[union-attr]
    assert lookup("Silver Lake").kind == "segment-of-a-city"  # type: ignore[union-attr]


def test_seed_page_finds_los_angeles() -> None:
    seeds = sorted(SEED_DIR.glob("seed_*.txt"))
    assert seeds, "the seed page copy is missing from tests/html"
    for path in seeds:
        assert find_places(path.read_text(encoding="utf-8")).get("Los Angeles", 0) >= 1


def test_long_page_counts_every_mention() -> None:
    text = ("Therapy for professionals in the Los Angeles area, Santa Monica, WeHo and DTLA. "
            "Psychodynamic therapy focuses on unconscious processes and relationships. ") * 400
    counts = find_places(text)
    assert counts["Los Angeles"] == 400 and counts["Downtown"] == 400


# --------------------------------------------------------------------------- fast path
# find_place_spans runs the regexes only where a name's first word is (audit.places._fast_spans);
# it must give exactly what finditer over the whole text gives (_plain_spans).

_SPELLINGS = sorted({s for p in load_places() for s in (p.name, *p.aliases)})
_FRAGMENTS = [*_SPELLINGS, *(s.upper() for s in _SPELLINGS), *(s.lower() for s in _SPELLINGS),
              " ", "  ", "-", "\u2013", "/", ", ", ".", "\n", "_", "x", "9", "'", "\u2019",
              "\u2014", "\u00a0", " Blvd", " Ave", "LA CASA", " 90210", "the ", "City of ",
              "caf\u00e9", "Ca\u00f1ada", "?", "\u00e9?", "\u0130", "\u0131", "\u017f", "\u212a",
              "\ud800"]


def _plain(text: str) -> list:
    return places._plain_spans(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=40))
def test_fast_path_gives_the_plain_regex_matches(parts: list[str]) -> None:
    text = "".join(parts)
    assert places._fast_spans(text) == _plain(text)


@pytest.mark.parametrize(
    "text",
    ["Los Angeles\u2014Santa Monica\u2014WeHo", "caf\u00e9 in Venice, na\u00efve DTLA",
     "La Ca\u00f1ada Flintridge and LA CA\u00d1ADA FLINTRIDGE", "\u017fanta Monica",
     "\u212aoreatown and Koreatown\u212a", "x_Venice Venice_ _Venice", "Mid\u2013City",
     "Santa  Monica", "DTLA/WeHo/NoHo", "\u0130rwindale", "\u00e9Venice Venice\u00e9",
     "Venice", "LA", "Beverly Hills.", "L.A.", "East L.A. County", "LA, 90210 and LA 90210",
     "Culver City\n\nCulver\nCity", "Venice?Venice ?LA caf\u00e9?Venice \u00e9?Encino",
     "Pasadena\ud800Pasadena", "  Encino  "],
)
def test_fast_path_edge_cases(text: str) -> None:
    assert places._fast_spans(text) == _plain(text)
    assert find_place_spans(text) == find_place_spans(text + "")


def test_ascii_lookalikes_are_all_listed() -> None:
    # The fast path relies on these being the only non-ASCII characters that case-insensitive
    # regex matching treats as equal to an ASCII letter, digit or underscore.
    every_char = "".join(map(chr, range(0x110000)))
    found = {c for c in re.findall(r"(?i)[a-z0-9_]", every_char) if not c.isascii()}
    assert found == set(places._ASCII_LOOKALIKES)


def test_fast_path_on_typical_prose() -> None:
    # A typical page: a place name every few sentences, some non-ASCII punctuation. (Speed is
    # measured by `make bench`, not asserted here: timed tests fail on a busy machine.)
    prose = ("Psychodynamic therapy focuses on unconscious processes and relationships \u2014 "
             "patterns that began early in life. Sessions are weekly; progress is gradual. ")
    text = " ".join([prose * 3 + "Our office serves Santa Monica and the Westside.",
                     prose * 3 + "Telehealth is available across Los Angeles County."] * 40)
    assert places._fast_spans(text) == _plain(text)
