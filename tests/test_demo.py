"""The bundled demo: `seo-audit demo` reports exactly the defects planted in
audit/demo_site/PLANTED.md, on the right pages, and none of its look-alikes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tests.conftest import run_cli

PLANTED = {
    "broken-link": {"/blog/causes-of-anxiety/", "/blog/what-is-psychodynamic-therapy/",
                    "/services/"},
    "h1-missing": {"/services/couples-therapy/"},
    "h1-multiple": {"/blog/"},
    "heading-skipped-level": {"/services/psychodynamic-therapy/"},
    "image-missing-alt": {"/about/", "/blog/what-is-psychodynamic-therapy/"},
    "link-to-redirect": {"/blog/what-is-psychodynamic-therapy/"},
    "meta-description-missing": {"/blog/causes-of-anxiety/"},
    "meta-description-too-long": {"/about/"},
    "nap-address-mismatch": {"/blog/causes-of-anxiety/"},
    "nap-license-mismatch": {"/services/executive-burnout/"},
    "nap-name-mismatch": {"/faq/"},
    "nap-phone-mismatch": {"/fees/", "/services/depression-therapy/"},
    "noindex": {"/thank-you/"},
    "orphan-page": {"/services/eating-disorders/"},
    "page-error": {"/services/trauma-therapy/"},
    "redirect-chain": {"/fees/"},
    "schema-nap-mismatch": {"/contact/"},
    "thin-content": {"/telehealth/"},
    "title-duplicate": {"/services/anxiety-therapy/", "/services/depression-therapy/"},
    "title-missing": {"/blog/when-to-seek-help/"},
    "title-too-long": {"/services/executive-burnout/"},
    "canonical-to-homepage": {"/services/"},
    "sitemap-bad-url": {"/services/"},
    "robots-blocks-linked": {"/privacy/"},
    "https-missing": {"/"},
    "form-insecure": {"/contact/"},
    # Patient trust and compliance (PLANTED.md C1-C9): the site-wide ones report on "/"
    "gfe-notice-missing": {"/"},
    "privacy-notice-missing": {"/"},
    "crisis-notice-missing": {"/"},
    "license-title-mismatch": {"/about/"},
    "associate-disclosure-missing": {"/about/"},
    "license-type-missing": {"/fees/"},
    "telehealth-jurisdiction-missing": {"/"},
    "form-tracker": {"/contact/"},
    "location-stuffing": {"/services/"},
}
COMPLIANCE = ("gfe-notice-missing", "privacy-notice-missing", "crisis-notice-missing",
              "license-title-mismatch", "associate-disclosure-missing", "license-type-missing",
              "telehealth-jurisdiction-missing", "form-tracker", "location-stuffing")
# Crisis lines the site gives instead of 988 and 911: never a wrong business phone (PLANTED.md)
CRISIS_LINES = {"+18002738255", "+18008547771"}


def test_demo_reports_exactly_the_planted_defects(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run_cli("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str((out / "report.html").resolve())
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str,
                         keep_default_na=False)
    issues["path"] = issues["url"].map(lambda u: re.sub(r"^http://127\.0\.0\.1:\d+", "", u))
    found = {check: set(rows["path"]) for check, rows in issues.groupby("check")}
    assert found == PLANTED
    # one finding each: the plants, not their look-alikes (Riley Chen's AMFT heading, the
    # pixel on /thank-you/, "License No. 22022" beside PSY 22022 ...)
    counts = issues["check"].value_counts()
    assert {check: counts[check] for check in COMPLIANCE} == dict.fromkeys(COMPLIANCE, 1)
    nap = pd.read_csv(out / "nap.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    phones = nap[nap["field"] == "phone"]
    crisis = phones[phones["normalized"].str.lstrip("'").isin(CRISIS_LINES)]
    assert len(crisis) > 0
    assert set(crisis["role"]) == {"crisis"} and set(crisis["verdict"]) == {"ignored"}
    assert not phones["normalized"].isin(["988", "911"]).any()
    for name in ("pages.csv", "links.csv", "nap.csv", "keywords.csv", "audit.xlsx"):
        assert (out / name).stat().st_size > 0
