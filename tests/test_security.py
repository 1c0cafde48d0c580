"""Security checks on served sites: the secure fixture site over real HTTPS (a certificate the
crawl trusts, then an expired and a self-signed one), the plain-http fixture site, and the clean
site (HTTPS without HSTS). Every planted finding is reported where it was planted and none of the
look-alikes is."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from audit.checks.security import hsts_max_age
from audit.load import Frames
from audit.registry import AuditContext, run_checks
from spiders.tls import CHAIN_PROBLEM
from tests.conftest import Crawl

SECURITY_CHECKS = ("https-missing", "https-certificate-invalid", "mixed-content",
                   "form-insecure", "hsts-missing")


# --- the secure site: HTTPS with a trusted certificate and HSTS ------------------------------


SECURE_PLANTED = {
    "https-missing": set(),
    "https-certificate-invalid": set(),
    "mixed-content": {"/mixed/"},
    "form-insecure": {"/intake/"},
    "hsts-missing": set(),
}


@pytest.mark.parametrize("check", SECURITY_CHECKS)
def test_secure_site_findings_exactly(secure_site: Crawl, check: str) -> None:
    assert secure_site.flagged(check) == SECURE_PLANTED[check]


def test_the_secure_site_was_crawled_over_https_and_its_certificate_checked(
        secure_site: Crawl) -> None:
    assert secure_site.origin.startswith("https://")
    # the look-alike means something only if the certificate was really judged, and passed
    state = json.loads((secure_site.out / "crawl" / "spider_state.json").read_text("utf-8"))
    assert state["certificates"] == {secure_site.origin: {"checked": True, "problem": None}}
    pages = secure_site.csv("pages.csv")
    assert {"/", "/mixed/", "/links-out/", "/intake/", "/contact/"} <= {
        u.replace(secure_site.origin, "") for u in pages["url"]}


def test_mixed_content_names_each_insecure_file(secure_site: Crawl) -> None:
    rows = secure_site.issues("mixed-content")
    external = secure_site.external
    assert set(rows["target"]) == {f"{external}/photos/office.jpg",
                                   f"{external}/widgets/booking.js",
                                   f"{external}/themes/calm.css", f"{external}/maps/office/"}
    assert set(rows["message"]) == {
        "The secure page loads an image over plain http.",
        "The secure page loads a script over plain http.",
        "The secure page loads a stylesheet or icon over plain http.",
        "The secure page loads an embedded frame over plain http."}
    assert set(rows["severity"]) == {"warning"}


def test_a_form_posting_to_http_is_an_error(secure_site: Crawl) -> None:
    rows = secure_site.issues("form-insecure")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["severity"] == "error"
    assert row["target"] == f"{secure_site.external}/intake"
    assert row["message"] == "A form sends its data (POST) to a plain http address."


# --- certificates that browsers reject -------------------------------------------------------


def test_an_expired_certificate_is_reported_once_for_the_site(secure_expired: Crawl) -> None:
    rows = secure_expired.issues("https-certificate-invalid")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["url"] == secure_expired.url("/")
    assert row["severity"] == "error"
    assert row["target"] == secure_expired.origin
    assert row["message"] == ("Browsers reject the site's certificate and warn patients "
                              "away: the certificate has expired.")
    assert row["detail"] == "the certificate has expired (certificate has expired)"


def test_a_self_signed_certificate_is_reported(secure_self_signed: Crawl) -> None:
    rows = secure_self_signed.issues("https-certificate-invalid")
    assert len(rows) == 1
    assert rows.iloc[0]["url"] == secure_self_signed.url("/")
    assert rows.iloc[0]["message"] == ("Browsers reject the site's certificate and warn "
                                       "patients away: the certificate is self-signed.")


# --- the plain-http site ---------------------------------------------------------------------


PLAIN_PLANTED = {
    "https-missing": {"/"},
    "https-certificate-invalid": set(),
    "mixed-content": set(),  # an http page loading http files is not "mixed"
    "form-insecure": {"/contact/"},
    "hsts-missing": set(),  # never for an http-only site: https-missing says it
}


@pytest.mark.parametrize("check", SECURITY_CHECKS)
def test_plain_site_findings_exactly(security_plain_site: Crawl, check: str) -> None:
    assert security_plain_site.flagged(check) == PLAIN_PLANTED[check]


def test_https_missing_is_one_error_for_the_site_and_counts_its_pages(
        security_plain_site: Crawl) -> None:
    rows = security_plain_site.issues("https-missing")
    assert len(rows) == 1
    pages = security_plain_site.csv("pages.csv")
    html_ok = pages[(pages["status"] == "200") & pages["content_type"].str.contains("html")]
    count = html_ok["url"].str.startswith("http:").sum()
    assert count >= 15
    assert rows.iloc[0]["severity"] == "error"
    assert rows.iloc[0]["message"] == (f"All {count} page(s) of the site are served over plain "
                                       "http; browsers mark them \"Not secure\".")


def test_a_form_on_an_http_page_is_an_error(security_plain_site: Crawl) -> None:
    row = security_plain_site.issues("form-insecure").iloc[0]
    assert row["message"] == ("A form on this plain-http page sends its data (POST) without "
                              "encryption.")
    assert row["target"] == security_plain_site.url("/send/")


# --- the clean site: HTTPS with a trusted certificate, but no HSTS ---------------------------


def test_an_https_site_without_hsts_gets_one_notice(clean: Crawl) -> None:
    rows = clean.issues("hsts-missing")
    assert len(rows) == 1
    assert rows.iloc[0]["url"] == clean.url("/")
    assert rows.iloc[0]["severity"] == "notice"
    assert rows.iloc[0]["message"].startswith("None of the site's ")
    for check in ("https-missing", "https-certificate-invalid", "mixed-content",
                  "form-insecure"):
        assert clean.issues(check).empty, check
    state = json.loads((clean.out / "crawl" / "spider_state.json").read_text("utf-8"))
    assert state["certificates"] == {clean.origin: {"checked": True, "problem": None}}


# --- on hand-built frames --------------------------------------------------------------------


def _pages(rows: list[dict]) -> pd.DataFrame:
    defaults = {"kind": "page", "status": 200, "ok": True, "extracted": True, "is_html": True,
                "hsts": None, "forms": [], "insecure_resources": []}
    return pd.DataFrame([{**defaults, **row} for row in rows])


def _run(pages: pd.DataFrame, start_url: str, crawl_state: dict | None = None,
         only: str = "") -> pd.DataFrame:
    frames = Frames(pages=pages, start_url=start_url, crawl_state=crawl_state or {})
    return run_checks(AuditContext(frames=frames), only={only} if only else None)


def test_a_site_that_redirects_http_to_https_is_served_over_https() -> None:
    pages = _pages([
        {"url": "http://practice.example/", "status": 301, "ok": False, "extracted": False,
         "is_html": False},
        {"url": "https://practice.example/", "hsts": "max-age=63072000; includeSubDomains"},
        {"url": "https://practice.example/about/"}])
    found = _run(pages, "http://practice.example/")
    assert not set(found["check"]) & set(SECURITY_CHECKS)


def test_some_pages_over_http_are_counted_among_all() -> None:
    pages = _pages([{"url": "https://practice.example/", "hsts": "max-age=300"},
                    {"url": "http://practice.example/old-page/"},
                    {"url": "http://practice.example/gone/", "status": 404, "ok": False}])
    found = _run(pages, "https://practice.example/", only="https-missing")
    assert found["message"].tolist() == [
        "1 of 2 page(s) of the site are served over plain http; browsers mark them "
        "\"Not secure\"."]
    assert found["url"].tolist() == ["https://practice.example/"]


def test_a_certificate_check_that_could_not_run_is_no_finding() -> None:
    state = {"certificates": {"https://practice.example": {"checked": False, "problem": None},
                              "https://www.practice.example": {"checked": True,
                                                               "problem": None}}}
    pages = _pages([{"url": "https://practice.example/", "hsts": "max-age=300"}])
    assert _run(pages, "https://practice.example/", state,
                only="https-certificate-invalid").empty


def test_a_chain_that_leads_to_no_trusted_authority_may_be_refused() -> None:
    # "unable to get local issuer certificate" is also what a server that leaves out its
    # intermediate certificate gets: some browsers fetch it themselves, so "may", not "do"
    state = {"certificates": {"https://practice.example": {
        "checked": True,
        "problem": CHAIN_PROBLEM + " (unable to get local issuer certificate)"}}}
    pages = _pages([{"url": "https://practice.example/", "hsts": "max-age=300"}])
    found = _run(pages, "https://practice.example/", state, only="https-certificate-invalid")
    assert found["message"].tolist() == [
        "Browsers may refuse the site's certificate and warn patients away: " + CHAIN_PROBLEM
        + "."]


def test_a_form_to_https_on_an_http_page_is_insecure() -> None:
    pages = _pages([{"url": "http://practice.example/contact/",
                     "forms": [["https://forms.example/intake", "post"]]}])
    found = _run(pages, "http://practice.example/", only="form-insecure")
    assert found["url"].tolist() == ["http://practice.example/contact/"]
    assert found["message"].iloc[0].startswith("A form is on a page served over plain http:")


def test_a_get_form_to_http_is_insecure_too_but_mailto_and_https_are_not() -> None:
    pages = _pages([{"url": "https://practice.example/", "hsts": "max-age=300", "forms": [
        ["http://search.example/find", "get"], ["mailto:office@practice.example", "post"],
        ["https://forms.example/intake", "post"]]}])
    found = _run(pages, "https://practice.example/", only="form-insecure")
    assert found["target"].tolist() == ["http://search.example/find"]
    assert found["message"].tolist() == ["A form sends its data (GET) to a plain http address."]


@pytest.mark.parametrize("values, expected", [
    ([None, None], "None of the site's 2 https page(s) sends a Strict-Transport-Security "
                   "header."),
    (["max-age=0", None], "The site's Strict-Transport-Security header says max-age=0, which "
                          "tells browsers to stop insisting on https."),
    (["includeSubDomains", None], "The site's Strict-Transport-Security header has no valid "
                                  "max-age, so browsers ignore it."),
    ([None, "max-age=31536000"], None),  # one response is enough: browsers remember the host
])
def test_hsts_judged_over_the_sites_https_pages(values: list, expected: str | None) -> None:
    pages = _pages([{"url": "https://practice.example/", "hsts": values[0]},
                    {"url": "https://practice.example/about/", "hsts": values[1]},
                    {"url": "http://practice.example/legacy/", "hsts": "max-age=31536000"}])
    found = _run(pages, "https://practice.example/", only="hsts-missing")
    assert found["message"].tolist() == ([expected] if expected else [])


@pytest.mark.parametrize("value, age", [
    ("max-age=31536000", 31536000), ("max-age=31536000; includeSubDomains; preload", 31536000),
    ('includeSubDomains; Max-Age="600"', 600), ("max-age=0", 0), ("includeSubDomains", None),
    ("max-age=abc", None), ("max-age=600, max-age=0", 600), (None, None), ("", None)])
def test_hsts_max_age(value: object, age: int | None) -> None:
    assert hsts_max_age(value) == age
