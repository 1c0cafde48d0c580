"""Patient-trust and compliance checks (audit.checks.compliance) on served fixture sites.

- tests/sites/compliance: Doe Family Therapy, an LMFT's practice with every defect planted beside
  a look-alike, crawled with tests/profiles/doe.toml and re-checked with doe_exempt.toml;
- tests/sites/compliance_clean: the same practice done right (no finding of the nine checks);
- tests/sites/compliance_minimal: a psychologist's site with a title but no license number;
- tests/sites/compliance_dental: a dental practice (no crisis line expected).

The crawls are session fixtures (tests/compliance_sites.py). Site-level findings are reported
once, on the crawl's start URL (the home page).
"""

from __future__ import annotations

import pytest

from tests.conftest import Crawl

COMPLIANCE_CHECKS = (
    "gfe-notice-missing", "privacy-notice-missing", "crisis-notice-missing",
    "license-title-mismatch", "associate-disclosure-missing", "license-type-missing",
    "telehealth-jurisdiction-missing", "form-tracker", "location-stuffing",
)
SEVERITY = {
    "gfe-notice-missing": "warning", "privacy-notice-missing": "warning",
    "crisis-notice-missing": "notice", "license-title-mismatch": "error",
    "associate-disclosure-missing": "error", "license-type-missing": "warning",
    "telehealth-jurisdiction-missing": "notice", "form-tracker": "warning",
    "location-stuffing": "warning",
}

# Where each check fires on the "compliance" site (paths), and nowhere else.
PLANTED = {
    "gfe-notice-missing": {"/"},
    "privacy-notice-missing": {"/"},
    "crisis-notice-missing": {"/"},
    # H1 "Jane Doe, Psychologist" while her license is LMFT; not /team/'s "Dr. Sam Park,
    # Psychologist" (PSY 12345 printed with his name), not the blog's "The Psychology of Burnout"
    "license-title-mismatch": {"/about/"},
    # "Alex Kim, AMFT" with no registered wording, no supervision statement
    "associate-disclosure-missing": {"/team/"},
    # "License #98765" with no type; not /about/'s "LMFT #54321"
    "license-type-missing": {"/fees/"},
    # "Online therapy by video for couples", and nowhere a word of where clients must be
    "telehealth-jurisdiction-missing": {"/"},
    # the contact form and the Meta Pixel
    "form-tracker": {"/contact/"},
    # fourteen places in one sentence; "Therapist Near Me" in the title
    "location-stuffing": {"/areas/", "/near-me/"},
}


# --- the site full of defects ------------------------------------------------------------------


def test_the_compliance_site_was_crawled_whole(compliance_site: Crawl) -> None:
    pages = {u.replace(compliance_site.origin, "")
             for u in compliance_site.csv("pages.csv")["url"]}
    assert {"/", "/about/", "/team/", "/contact/", "/fees/", "/areas/", "/near-me/",
            "/telehealth/", "/blog/psychology-of-burnout/", "/privacy/"} <= pages


@pytest.mark.parametrize("check", COMPLIANCE_CHECKS)
def test_compliance_site_findings_exactly(compliance_site: Crawl, check: str) -> None:
    assert compliance_site.flagged(check) == PLANTED[check]


@pytest.mark.parametrize("check", COMPLIANCE_CHECKS)
def test_compliance_severities(compliance_site: Crawl, check: str) -> None:
    assert set(compliance_site.issues(check)["severity"]) == {SEVERITY[check]}


@pytest.mark.parametrize("check", ["gfe-notice-missing", "privacy-notice-missing",
                                   "crisis-notice-missing", "telehealth-jurisdiction-missing"])
def test_site_level_checks_report_once_on_the_start_url(compliance_site: Crawl,
                                                        check: str) -> None:
    rows = compliance_site.issues(check)
    assert list(rows["url"]) == [compliance_site.url("/")]


def test_a_web_privacy_policy_is_not_the_hipaa_notice(compliance_site: Crawl) -> None:
    # every page links "Privacy Policy" (/privacy/, about cookies): the finding says only a
    # website privacy policy was found
    rows = compliance_site.issues("privacy-notice-missing")
    assert len(rows) == 1
    assert "privacy policy" in rows.iloc[0]["detail"].lower()


def test_a_title_the_license_does_not_allow_is_one_finding_naming_both(
        compliance_site: Crawl) -> None:
    # /about/ says "Jane Doe, Psychologist" in its title and its H1: one finding for the page
    # and the person/title, naming the title and her license (LMFT)
    rows = compliance_site.issues("license-title-mismatch")
    assert list(rows["url"]) == [compliance_site.url("/about/")]
    message = rows.iloc[0]["message"]
    assert "psychologist" in message.lower()
    assert "LMFT" in message


def test_a_colleague_with_his_own_license_and_topical_headings_are_not_mismatches(
        compliance_site: Crawl) -> None:
    flagged = compliance_site.flagged("license-title-mismatch")
    assert "/team/" not in flagged  # "Dr. Sam Park, Psychologist" ... "Dr. Sam Park, PSY 12345"
    assert "/blog/psychology-of-burnout/" not in flagged  # "The Psychology of Burnout"


def test_the_tracker_on_a_form_page_is_named(compliance_site: Crawl) -> None:
    rows = compliance_site.issues("form-tracker")
    assert list(rows["url"]) == [compliance_site.url("/contact/")]
    assert "Meta Pixel" in rows.iloc[0]["message"]


def test_a_trackers_hidden_pixel_is_no_image(compliance_site: Crawl) -> None:
    # <noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?..">
    assert "/contact/" not in compliance_site.flagged("image-missing-alt")
    links = compliance_site.csv("links.csv")
    pixel = links[links["target_url"].str.contains("facebook.com/tr", regex=False)]
    assert pixel[pixel["element"] == "img"].empty
    broken = compliance_site.issues("broken-link")
    assert not broken["target"].str.contains("facebook.com/tr", regex=False).any()


@pytest.mark.parametrize("site", ["compliance_site", "compliance_clean_site"])
def test_a_licensed_title_beside_an_address_is_no_license_number(
        site: str, request: pytest.FixtureRequest) -> None:
    # the footer card: "... Jane Doe, LMFT" then on the next line "3140 Sunset Blvd"
    nap = request.getfixturevalue(site).csv("nap.csv")
    licenses = set(nap.loc[nap["field"] == "license", "normalized"])
    assert "LMFT 3140" not in licenses
    assert "LMFT 54321" in licenses


# --- the same crawl, re-checked for a practice the two federal notices do not bind ----------


def test_an_exempt_practice_gets_no_gfe_or_privacy_notice_finding(
        compliance_exempt: Crawl) -> None:
    assert compliance_exempt.flagged("gfe-notice-missing") == set()
    assert compliance_exempt.flagged("privacy-notice-missing") == set()


def test_the_exemptions_leave_every_other_compliance_finding_unchanged(
        compliance_site: Crawl, compliance_exempt: Crawl) -> None:
    def findings(crawl: Crawl) -> set[tuple[str, str, str]]:
        issues = crawl.csv("issues.csv")
        kept = issues[issues["check"].isin(COMPLIANCE_CHECKS)
                      & ~issues["check"].isin(["gfe-notice-missing", "privacy-notice-missing"])]
        return set(zip(kept["url"], kept["check"], kept["message"], strict=True))

    before = findings(compliance_site)
    assert before  # the comparison means something only with findings to compare
    assert findings(compliance_exempt) == before


# --- the same practice done right ----------------------------------------------------------


def test_the_clean_site_was_crawled_whole_pdfs_included(compliance_clean_site: Crawl) -> None:
    pages = compliance_clean_site.csv("pages.csv")
    paths = {u.replace(compliance_clean_site.origin, ""): t
             for u, t in zip(pages["url"], pages["content_type"], strict=True)}
    assert {"/", "/about/", "/team/", "/contact/", "/fees/", "/telehealth/", "/search/",
            "/blog/psychology-of-burnout/", "/privacy/"} <= set(paths)
    assert paths["/docs/npp.pdf"].startswith("application/pdf")
    assert paths["/docs/good-faith-estimate.pdf"].startswith("application/pdf")


@pytest.mark.parametrize("check", COMPLIANCE_CHECKS)
def test_the_clean_site_has_no_compliance_finding(compliance_clean_site: Crawl,
                                                  check: str) -> None:
    # the GFE and NPP linked as PDFs, the 988 line in the footer, clients located in California,
    # the associate's full disclosure, the license type beside its number, "Psychological
    # Safety" and "a therapist near me?" in prose, three areas, a search form beside the Google
    # tag, a booking portal's frame beside the contact form
    assert compliance_clean_site.issues(check).empty, compliance_clean_site.issues(check)


# --- a psychologist's title with no license number anywhere ---------------------------------


def test_a_licensed_title_without_any_number_is_reported_once(
        compliance_minimal_site: Crawl) -> None:
    # "Dr. Ann Lee, Licensed Clinical Psychologist" on every page, no number on any
    rows = compliance_minimal_site.issues("license-type-missing")
    assert list(rows["url"]) == [compliance_minimal_site.url("/")]
    assert set(rows["severity"]) == {"warning"}


@pytest.mark.parametrize("check", ["gfe-notice-missing", "privacy-notice-missing",
                                   "crisis-notice-missing", "license-title-mismatch"])
def test_the_minimal_site_has_its_notices(compliance_minimal_site: Crawl, check: str) -> None:
    # a GFE sentence on /fees/, an NPP page linked from the footer, a 988 line; a psychologist
    # whose license is unknown is never a title mismatch
    assert compliance_minimal_site.issues(check).empty


# --- a dental practice ------------------------------------------------------------------------


def test_a_dental_practice_needs_no_crisis_line(compliance_dental_site: Crawl) -> None:
    assert compliance_dental_site.issues("crisis-notice-missing").empty


def test_the_federal_notices_apply_to_a_dental_practice(compliance_dental_site: Crawl) -> None:
    home = compliance_dental_site.url("/")
    assert list(compliance_dental_site.issues("gfe-notice-missing")["url"]) == [home]
    rows = compliance_dental_site.issues("privacy-notice-missing")
    assert list(rows["url"]) == [home]
    assert "privacy policy" in rows.iloc[0]["detail"].lower()
