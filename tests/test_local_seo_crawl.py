"""End to end on the practice fixture site: every planted NAP mismatch is reported on its page
with the right id, and none of the look-alikes is (the phone written six ways, the license
written four ways, "Psy.D.", crisis lines, "Ste. 201" against "Suite #201", the name in upper
case, a page with two JSON-LD blocks of which one is malformed)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import PROFILES, run_cli

PLANTED = {
    "nap-phone-mismatch": {"/fees/", "/services/couples/"},
    "nap-name-mismatch": {"/faq/"},
    "nap-license-mismatch": {"/team/"},
    "nap-address-mismatch": {"/parking/"},
    "schema-nap-mismatch": {"/location/"},
    "nap-phone-missing": {"/landing/"},
    "nap-license-missing": {"/landing/", "/team/"},
    "schema-jsonld-invalid": {"/blog/two-jsonld/"},
    "local-area-unmentioned": {"/"},
    "schema-localbusiness-missing": set(),
    "schema-required-missing": set(),
    "local-keyword-missing": set(),
}


@pytest.mark.parametrize("check", sorted(PLANTED))
def test_planted_findings_exactly(practice, check):
    assert practice.flagged(check) == PLANTED[check]


def test_tel_link_dialling_another_number_says_so(practice):
    couples = practice.issues("nap-phone-mismatch")
    couples = couples[couples["url"] == practice.url("/services/couples/")]
    assert len(couples) == 1
    assert couples.iloc[0]["message"] == \
        "A click-to-call link shows (310) 999-4996 but dials (310) 999-4969."


def test_nap_csv_reads_every_variant_as_the_practice(practice):
    nap = practice.csv("nap.csv")
    assert list(nap.columns[:7]) == ["url", "field", "source", "raw", "normalized", "expected",
                                     "verdict"]
    phones = nap[(nap["field"] == "phone") & (nap["verdict"] == "match")]
    for written in ("310-999-4996", "(310) 999-4996", "+1 310 999 4996", "310.999.4996",
                    "3109994996", "(310) 999-4996 ext. 3", "tel:+13109994996"):
        assert written in set(phones["raw"]), written
    licenses = nap[(nap["field"] == "license") & (nap["verdict"] == "match")]
    for written in ("PSY22022", "License #PSY 22022", "Lic. PSY-22022", "PSY 22022"):
        assert any(written in text for text in licenses["context"]), written
    license_rows = nap[nap["field"] == "license"]
    assert not license_rows["raw"].str.contains(r"Psy\.?D|Ph\.?D", regex=True).any()
    addresses = nap[nap["field"] == "address"]
    contact = addresses[addresses["raw"].str.contains("Ste. 201")]
    suite_hash = addresses[addresses["raw"].str.contains("Suite #201")]
    assert set(contact["verdict"]) == {"match"} and set(suite_hash["verdict"]) == {"match"}


def test_crisis_lines_and_referrals_are_not_the_practice_phone(practice):
    nap = practice.csv("nap.csv")
    blog = nap[(nap["url"] == practice.url("/blog/crisis-resources/"))
               & (nap["field"] == "phone") & (nap["source"] == "text")]
    verdicts = dict(zip(blog["normalized"], blog["verdict"], strict=False))
    assert verdicts["988"] == "ignored" and verdicts["911"] == "ignored"
    assert verdicts["+18002738255"] == "ignored" and verdicts["+18008547771"] == "ignored"
    assert verdicts["+14245550188"] == "other"  # a colleague's number in running text
    assert "/blog/crisis-resources/" not in practice.flagged("nap-phone-mismatch")


def test_upper_case_name_and_other_clinicians_license_are_fine(practice):
    nap = practice.csv("nap.csv")
    team = nap[(nap["url"] == practice.url("/team/")) & (nap["field"] == "license")]
    assert dict(zip(team["normalized"], team["verdict"], strict=False))["LMFT 54321"] == "other"
    issues = practice.csv("issues.csv")
    # (the page declares no canonical: a notice that has nothing to do with names)
    issues = issues[issues["check"] != "canonical-missing"]
    assert not issues["url"].eq(practice.url("/services/")).any()


def test_malformed_jsonld_does_not_hide_the_good_block(practice):
    nap = practice.csv("nap.csv")
    schema = nap[(nap["url"] == practice.url("/blog/two-jsonld/")) & (nap["source"] == "jsonld")]
    assert set(schema["field"]) == {"name", "phone", "address"}
    assert set(schema["verdict"]) == {"match"}


def test_keywords_csv(practice):
    keywords = practice.csv("keywords.csv")
    assert list(keywords.columns) == ["url", "term", "in_title", "in_h1",
                                      "in_meta_description", "body_count"]
    home = keywords[keywords["url"] == practice.url("/")].set_index("term")
    assert home.loc["Beverly Hills", "in_title"] == "True"
    assert home.loc["Los Angeles", "in_h1"] == "True"


def test_without_profile_the_record_is_inferred(practice_inferred):
    assert practice_inferred.flagged("nap-phone-mismatch") == {"/fees/", "/services/couples/"}
    assert practice_inferred.flagged("nap-name-mismatch") == {"/faq/"}
    assert practice_inferred.flagged("nap-address-mismatch") == {"/parking/"}
    assert practice_inferred.flagged("local-area-unmentioned") == set()
    nap = practice_inferred.csv("nap.csv")
    assert set(nap.loc[nap["field"] == "phone", "expected"]) == {"+13109994996"}


def test_report_rechecks_an_old_crawl_against_a_new_profile(practice, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(practice.out, out)
    profile = tmp_path / "renamed.toml"
    profile.write_text((PROFILES / "blair.toml").read_text().replace(
        'name = "Blair Wellness Group"', 'name = "Blair Wellness Center"'))
    # The fixture server is gone: a report that tried to fetch anything would fail.
    result = run_cli("report", str(out), "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str,
                         keep_default_na=False)
    names = issues[issues["check"] == "nap-name-mismatch"]
    copyright_lines = names[names["message"].str.contains("copyright line")]
    # the FAQ's "Blair Wellness Center" is now right, and every other copyright line wrong
    assert practice.url("/faq/") not in set(copyright_lines["url"])
    assert practice.url("/") in set(copyright_lines["url"])
    assert "Name Blair Wellness Group in the copyright line (footer) differs from " \
           "Blair Wellness Center." in set(copyright_lines["message"])
