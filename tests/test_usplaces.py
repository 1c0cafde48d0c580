"""US places outside Los Angeles (audit.usplaces) and where the practice is (audit.locale)."""

from __future__ import annotations

import pandas as pd
import pytest

from audit import usplaces
from audit.locale import local_places, resolve_locale
from audit.profile import Profile, ProfileError, profile_from_dict


def keys(text: str) -> list[str]:
    return [key for _, _, key in usplaces.find_us_place_spans(text)]


# ------------------------------------------------------------------------- the data


def test_names_resolve_to_places_with_coordinates() -> None:
    boston = usplaces.lookup("Boston", "MA")
    assert boston and boston[0].kind == "city" and 42.2 < boston[0].lat < 42.5
    # a name in several states: the largest first, or the one of the state asked for
    assert usplaces.lookup("Portland")[0].state == "OR"
    assert usplaces.lookup("Portland", "ME")[0].state == "ME"
    assert usplaces.lookup("portland", "ME") == usplaces.lookup("PORTLAND", "ME")
    assert usplaces.lookup("Winston-Salem", "NC")[0].name.replace("-", " ") == "Winston Salem"
    assert usplaces.lookup("McKinney", "TX")[0].name == "McKinney"
    assert usplaces.lookup("Massachusetts")[0].kind == "state"
    assert usplaces.lookup("Suffolk County", "MA")[0].kind == "county"
    assert usplaces.lookup("Nowhereville") == ()


def test_a_zip_code_gives_its_postal_name_and_its_city() -> None:
    area = usplaces.zip_area("02131")
    assert area is not None and (area.city, area.state) == ("Roslindale", "MA")
    assert area.town == "Boston"
    assert usplaces.zip_area("75204").town == "Dallas"  # type: ignore[union-attr]
    assert usplaces.zip_area("00000") is None


def test_nearby_places_are_within_the_radius() -> None:
    boston = usplaces.lookup("Boston", "MA")[0]
    near = usplaces.local_keys(boston.lat, boston.lon, "MA")  # type: ignore[arg-type]
    for name in ("boston", "roslindale", "jamaica plain", "brookline", "cambridge", "lowell",
                 "massachusetts", "suffolk county"):
        assert name in near, name
    for far in ("springfield", "dallas", "hope", "texas"):
        assert far not in near, far
    assert usplaces.miles_between(32.78, -96.80, 32.78, -96.80) == 0
    # Dallas to Fort Worth is about 30 miles: inside the default radius, not inside 20
    dallas = usplaces.lookup("Dallas", "TX")[0]
    assert "fort worth" in usplaces.local_keys(dallas.lat, dallas.lon, "TX")  # type: ignore[arg-type]
    assert "fort worth" not in usplaces.local_keys(dallas.lat, dallas.lon, "TX", 20)  # type: ignore[arg-type]


def test_the_shipped_data_is_what_the_zipcodes_package_gives() -> None:
    """zipcodes is a test extra, pinned: after an upgrade, rebuild the file
    (python -m audit.usplaces) and review the diff of the local checks' findings."""
    assert [list(row) for row in usplaces._rows()] == usplaces.rebuild_rows()


# ----------------------------------------------------------------------- page text


def test_place_names_written_as_names_are_found_as_whole_words() -> None:
    assert keys("Counseling in Boston and Jamaica Plain") == ["boston", "jamaica plain"]
    assert keys("ANXIETY COUNSELING IN DALLAS") == ["dallas"]
    assert keys("Families in Plano, Richardson and McKinney") == ["plano", "richardson",
                                                                 "mckinney"]
    assert keys("near St. Louis, Ft. Worth and Winston-Salem") == [
        "saint louis", "fort worth", "winston salem"]
    # the longest name wins: Fort Worth is not also Worth
    assert keys("Fort Worth") == ["fort worth"]
    assert keys("Bostonian architecture") == []


def test_a_name_that_is_a_word_counts_only_when_written_as_a_name() -> None:
    # Combine, Texas is 16 miles from Dallas; Como, Texas is a town too
    assert keys("We combine talk therapy with practical tools.") == []
    assert keys("Hablamos de como se siente.") == []
    assert keys("Clients from Combine and Forney") == ["combine", "forney"]
    assert keys("boston and dallas in lower case") == []


def test_people_and_streets_named_like_towns_are_not_places() -> None:
    assert keys("Dr. Allen sees children.") == []
    assert keys("Mrs. Murphy will call you back.") == []
    assert keys("2626 Dallas Pkwy, Suite 300") == []
    assert keys("Office on Boston Avenue") == []
    assert keys("Allen is 20 minutes away") == ["allen"]


def test_a_title_segment_naming_a_place_is_recognised() -> None:
    for place in ("Dallas, Texas", "Dallas TX", "Boston, MA", "Dallas & Fort Worth",
                  "North Dallas", "Texas", "Jamaica Plain", "Boston", "Aurora, CO"):
        assert usplaces.names_a_place(place), place
    # a practice may be named like a small town, or name its city
    for name in ("Harmony", "Hope", "Aurora", "Meridian", "In", "Me", "Blair Wellness Group",
                 "Dallas Counseling Center",
                 "Reyes Family Counseling"):
        assert not usplaces.names_a_place(name), name


# --------------------------------------------------------------------------- locale


def test_the_profile_city_decides_and_los_angeles_keeps_its_gazetteer() -> None:
    la = resolve_locale(Profile(city="Los Angeles"), None, None)
    assert la.los_angeles and la.source == "profile"
    beverly = resolve_locale(Profile(city="Beverly Hills"), None, None)
    assert beverly.los_angeles and beverly.city == "Beverly Hills"
    boston = resolve_locale(Profile(city="Boston"), None, None)
    assert not boston.los_angeles and boston.state == "MA"
    assert {"boston", "roslindale", "massachusetts"} <= set(boston.terms)
    maine = resolve_locale(Profile(city="Portland, ME"), None, None)
    assert maine.state == "ME" and "south portland" in maine.terms
    assert resolve_locale(Profile(city="Portland"), None, None).state == "OR"
    assert resolve_locale(Profile(city="Portland", state="ME"), None, None).state == "ME"
    # Glendale, Arizona is not the Glendale of Los Angeles County
    assert not resolve_locale(Profile(city="Glendale", state="AZ"), None, None).los_angeles
    # a city the ZIP table does not know (abroad): its own name only
    abroad = resolve_locale(Profile(city="Wollongong"), None, None)
    assert abroad.terms == {"wollongong": "Wollongong"} and not abroad.los_angeles


def test_without_a_city_the_address_decides_and_los_angeles_is_the_last_resort() -> None:
    business = {"address": {"value": "4238 Washington St, Suite 2, Roslindale, MA 02131",
                            "inferred": True}}
    boston = resolve_locale(Profile(), business, None)
    assert (boston.city, boston.state, boston.source) == ("Boston", "MA", "address")
    assert "boston" in boston.describe().lower() and "address" in boston.describe()
    nap = pd.DataFrame([{"url": "u", "field": "address", "source": "jsonld",
                         "normalized": "2626 COLE AVE STE 300, DALLAS, TX 75204"}])
    dallas = resolve_locale(Profile(), {"address": {"value": None}}, nap)
    assert (dallas.city, dallas.state) == ("Dallas", "TX")
    no_zip = resolve_locale(Profile(), {"address": {"value": "2626 Cole Ave, Dallas, TX"}},
                            None)
    assert (no_zip.city, no_zip.state, no_zip.los_angeles) == ("Dallas", "TX", False)
    la = resolve_locale(Profile(), {"address": {
        "value": "9454 Wilshire Blvd, Suite 201, Beverly Hills, CA 90212"}}, None)
    assert la.los_angeles and la.source == "address"
    default = resolve_locale(Profile(), {"address": {"value": None}}, None)
    assert default.los_angeles and default.source == "default"
    assert "default" in default.describe()


def test_local_places_keep_the_los_angeles_frame_as_it_is() -> None:
    columns = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]
    la_frame = pd.DataFrame([["u", "Los Angeles", True, False, False, 1]], columns=columns)
    us_frame = pd.DataFrame([["u", "los angeles", True, False, False, 1],
                             ["u", "boston", True, False, False, 0],
                             ["v", "back bay", False, False, False, 2]], columns=columns)
    la = resolve_locale(Profile(city="Los Angeles"), None, None)
    assert local_places(la, la_frame, us_frame, []) is la_frame
    boston = resolve_locale(Profile(city="Boston"), None, None)
    local = local_places(boston, la_frame, us_frame, ["Back Bay"])
    assert sorted(local["term"]) == ["Back Bay", "Boston"]


def test_a_practice_near_los_angeles_reads_its_gazetteer_for_the_places_both_know() -> None:
    # The crawl records Long Beach in the Los Angeles table only (usplaces.read_by_los_angeles)
    assert keys("Therapy in Long Beach and Irvine") == ["irvine"]
    columns = ["url", "term", "in_title", "in_h1", "in_meta_description", "body_count"]
    la_frame = pd.DataFrame([["u", "Long Beach", True, False, False, 1],
                             ["u", "Malibu", True, False, False, 0]], columns=columns)
    us_frame = pd.DataFrame([["u", "irvine", True, False, False, 1]], columns=columns)
    irvine = resolve_locale(Profile(city="Irvine"), None, None)
    assert not irvine.los_angeles
    local = local_places(irvine, la_frame, us_frame, [])
    assert sorted(local["term"]) == ["Irvine", "Long Beach"]  # Malibu is 50 miles away


def test_profile_location_keys() -> None:
    profile = profile_from_dict({"location": {"city": "Boston", "state": "Massachusetts",
                                              "areas": ["Back Bay", "WeHo"],
                                              "radius_miles": 25}})
    assert (profile.city, profile.state, profile.radius_miles) == ("Boston", "MA", 25.0)
    # a Los Angeles gazetteer alias takes its canonical name; any other area is kept as given
    assert profile.areas == ["Back Bay", "West Hollywood"]
    for bad, message in (({"state": "Atlantis"}, "state"), ({"radius_miles": 0}, "radius"),
                         ({"areas": [""]}, "areas"), ({"zip": "02131"}, "zip")):
        with pytest.raises(ProfileError, match=message):
            profile_from_dict({"location": bad})
