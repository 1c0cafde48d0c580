"""Practices outside Los Angeles, end to end: a Boston and a Dallas fixture site (tests/sites/
boston, tests/sites/dallas), each crawled with and without its profile.

Planted in both: pages whose title, H1 or description name the city, a neighbourhood, a nearby
town or the state (never local-keyword-missing); pages naming no place (always flagged),
one of them with a town that is also a word in lower case ("combine": Combine, Texas) or a
person named like a town ("Dr. Allen": Allen, Texas); one footer with a wrong license number
(nap-license-mismatch). Dallas's titles end in "| Dallas, Texas", never the practice's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import PROFILES, Crawl, crawl_site, run_cli

BOSTON_UNLOCAL = {"/services/couples/", "/espanol/", "/contact/"}
DALLAS_UNLOCAL = {"/services/approach/", "/services/families/"}


def _crawl(tmp_path_factory: pytest.TempPathFactory, site: str, profile: str | None) -> Crawl:
    extra = ("--profile", str(PROFILES / profile)) if profile else ()
    return crawl_site(tmp_path_factory.mktemp("crawls"), site, *extra, external=None)


@pytest.fixture(scope="module", params=["profile", "inferred"])
def boston(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    yield _crawl(tmp_path_factory, "boston",
                 "boston.toml" if request.param == "profile" else None)


@pytest.fixture(scope="module", params=["profile", "inferred"])
def dallas(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    yield _crawl(tmp_path_factory, "dallas",
                 "dallas.toml" if request.param == "profile" else None)


def _practice_location(crawl: Crawl) -> str:
    html = (crawl.out / "report.html").read_text("utf-8")
    found = re.search(r'id="practice-location">([^<]*)<', html)
    assert found, "the report names the practice's location"
    return found.group(1)


def test_boston_pages_naming_the_city_a_neighbourhood_or_a_nearby_town_are_local(
        boston: Crawl) -> None:
    assert boston.flagged("local-keyword-missing") == BOSTON_UNLOCAL
    keywords = boston.csv("keywords.csv")
    titled = {(u.replace(boston.origin, ""), t) for u, t, on in zip(
        keywords["url"], keywords["term"], keywords["in_title"], strict=True) if on == "True"}
    assert ("/about/", "Boston") in titled  # "About Counseling in Boston"
    assert {("/services/neighborhoods/", "Roslindale"),
            ("/services/neighborhoods/", "Jamaica Plain"),
            ("/services/nearby/", "Brookline"), ("/services/nearby/", "Newton")} <= titled
    assert "Boston, MA" in _practice_location(boston)


def test_dallas_words_and_people_named_like_towns_are_no_places(dallas: Crawl) -> None:
    assert dallas.flagged("local-keyword-missing") == DALLAS_UNLOCAL
    terms = set(dallas.csv("keywords.csv")["term"])
    assert {"Dallas", "Texas", "Plano", "Richardson", "McKinney"} <= terms
    assert not {"Combine", "Allen", "Como"} & terms
    assert "Dallas, TX" in _practice_location(dallas)


def test_the_location_comes_from_the_profile_or_the_address(boston: Crawl,
                                                            dallas: Crawl) -> None:
    for crawl in (boston, dallas):
        with_profile = (crawl.out / "crawl" / "profile.toml").exists()
        said = _practice_location(crawl)
        assert ("profile" in said) == with_profile and ("address" in said) != with_profile


def test_a_place_in_the_title_is_never_the_practice_name(dallas: Crawl) -> None:
    # "Family Counseling | Dallas, Texas" on most pages: the name is the copyright line's
    assert dallas.issues("nap-name-mismatch").empty
    names = dallas.csv("nap.csv")
    names = names[names["field"] == "name"]
    assert set(names["expected"]) == {"Reyes Family Counseling"}
    assert "Dallas, Texas" not in set(names["normalized"])


def test_license_numbers_of_other_states_are_read_and_compared(boston: Crawl,
                                                               dallas: Crawl) -> None:
    for crawl, right, wrong, page in ((boston, "LMHC 10234", "LMHC 10243", "/services/teens/"),
                                      (dallas, "LPC 76543", "LPC 76534", "/team/")):
        nap = crawl.csv("nap.csv")
        licenses = nap[nap["field"] == "license"]
        assert right in set(licenses["normalized"]) and wrong in set(licenses["normalized"])
        assert set(licenses["expected"]) == {right}
        assert crawl.flagged("nap-license-mismatch") == {page}
        # California's board rules stay in California
        for check in ("license-type-missing", "associate-disclosure-missing",
                      "license-title-mismatch"):
            assert crawl.issues(check).empty, check


def test_service_areas_are_looked_for_as_given(boston: Crawl, dallas: Crawl) -> None:
    """The profile's areas, neighbourhoods no gazetteer knows among them (Back Bay, Deep
    Ellum, Uptown), are found in the body text; the one never named is reported."""
    for crawl, missing in ((boston, "Beacon Hill"), (dallas, "Lake Highlands")):
        unmentioned = set(crawl.issues("local-area-unmentioned")["target"])
        if (crawl.out / "crawl" / "profile.toml").exists():
            assert unmentioned == {missing}
        else:
            assert unmentioned == set()
    if (boston.out / "crawl" / "profile.toml").exists():
        assert "Back Bay" in set(boston.csv("keywords.csv")["term"])


def test_a_crawl_made_with_a_los_angeles_profile_reports_for_boston_from_its_headlines(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A profile that says Los Angeles skips the US names' scan in the crawl; checked later
    against the Boston profile, titles, H1s and descriptions are read again in the report
    step, and areas the crawl never looked for are not said to be missing."""
    crawl = _crawl(tmp_path_factory, "boston", "blair.toml")
    assert crawl.flagged("local-keyword-missing") == {
        "/", "/about/", "/contact/", "/espanol/", "/services/couples/", "/services/nearby/",
        "/services/neighborhoods/", "/services/teens/"}  # no Boston area is local for LA
    result = run_cli("report", str(crawl.out), "--profile", str(PROFILES / "boston.toml"))
    assert result.returncode == 0, result.stderr
    assert crawl.flagged("local-keyword-missing") == BOSTON_UNLOCAL
    assert crawl.issues("local-area-unmentioned").empty
    assert "Boston, MA" in _practice_location(crawl)
