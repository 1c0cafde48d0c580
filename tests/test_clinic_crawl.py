"""End to end on the clinic fixture site: every planted defect is reported on the right URL with
the right id, and none of the look-alikes is (alt="", a single 301, a #fragment, a PDF, a page
behind robots.txt, HEAD 405 with GET 200, links that only resolve against <base href>)."""

from __future__ import annotations

import json

import pytest


def test_every_url_gets_one_fetch_record(clinic):
    fetches = [json.loads(line) for line in
               (clinic.out / "crawl" / "fetches.jsonl").read_text().splitlines()]
    urls = [f["url"] for f in fetches]
    assert len(urls) == len(set(urls)), "a URL was requested twice"
    by_url = {f["url"]: f for f in fetches}
    assert by_url[clinic.url("/missing/")]["status"] == 404
    assert by_url[clinic.url("/old-services/")]["status"] == 301
    assert by_url[clinic.url("/old-services/")]["location"] == clinic.url("/services/")
    private = by_url[clinic.url("/private/")]
    assert private["blocked_by_robots"] and private["status"] is None
    assert by_url[clinic.external + "/head405"]["status"] == 200
    assert by_url[clinic.external + "/head405"]["method"] == "GET"
    assert by_url[clinic.external + "/profile"]["method"] == "HEAD"
    # mailto:, tel:, javascript: are recorded as links but never fetched
    assert not [u for u in urls if u.startswith(("mailto:", "tel:", "javascript:"))]
    assert all("#" not in u for u in urls)


def test_pages_csv_columns_and_values(clinic):
    pages = clinic.csv("pages.csv").set_index("url")
    for column in ("status", "content_type", "depth", "title", "title_length",
                   "meta_description", "meta_description_length", "h1", "h1_count",
                   "word_count", "canonical", "indexable", "response_ms"):
        assert column in pages.columns
    home = pages.loc[clinic.url("/")]
    assert home["status"] == "200" and home["depth"] == "0" and home["indexable"] == "True"
    assert pages.loc[clinic.url("/services/"), "depth"] == "1"
    assert pages.loc[clinic.url("/two-h1/"), "h1"] == "Couples therapy | Premarital counselling"
    assert pages.loc[clinic.url("/two-h1/"), "h1_count"] == "2"
    assert pages.loc[clinic.url("/brochure.pdf"), "content_type"] == "application/pdf"
    assert pages.loc[clinic.url("/thank-you/"), "indexable"] == "False"
    # decoded by the HTTP charset: the curly quotes and en dash survive
    assert pages.loc[clinic.url("/cp1252/"), "title"] == \
        "Our \u201cwhole person\u201d approach \u2013 Example Therapy"
    # the orphan is found through the sitemap although no link reaches it
    assert clinic.url("/orphan/") in pages.index


def test_links_csv(clinic):
    links = clinic.csv("links.csv")
    home = links[links["source_url"] == clinic.url("/")]
    by_target = home.set_index("target_url")
    assert by_target.loc[clinic.url("/missing/"), "broken"] == "True"
    assert by_target.loc[clinic.url("/old-services/"), "redirect_hops"] == "1"
    assert by_target.loc[clinic.url("/old-services/"), "final_url"] == clinic.url("/services/")
    assert by_target.loc[clinic.url("/chain-start/"), "redirect_hops"] == "2"
    assert by_target.loc["mailto:hello@example.com", "kind"] == "other"
    assert by_target.loc["mailto:hello@example.com", "broken"] == "False"
    assert by_target.loc[clinic.external + "/gone", "kind"] == "external"
    assert by_target.loc[clinic.url("/images/missing.png"), "element"] == "img"
    # a link that only resolves against <base href>
    base = links[links["source_url"] == clinic.url("/base/")].set_index("target_url")
    assert base.loc[clinic.url("/docs/guide.html"), "broken"] == "False"


EXPECTED = {
    "title-missing": {"/about/"},
    "title-duplicate": {"/services/", "/services-copy/"},
    "title-too-long": {"/long-title/"},
    "title-too-short": {"/short/"},
    "meta-description-missing": {"/no-desc/"},
    "meta-description-duplicate": {"/services/", "/services-copy/"},
    "meta-description-too-long": {"/long-title/"},
    "meta-description-too-short": {"/short/"},
    "h1-missing": {"/no-desc/"},
    "h1-multiple": {"/two-h1/"},
    "heading-skipped-level": {"/skip/"},
    "thin-content": {"/short/"},
    "image-missing-alt": {"/about/"},
    "noindex": {"/thank-you/", "/header-noindex/"},
    "page-error": {"/missing/"},
    "orphan-page": {"/orphan/"},
    "redirect-loop": {"/loop-a/"},
    "page-unreachable": {"/dropped/"},
    "schema-localbusiness-missing": {"/", "/contact/"},
    "schema-required-missing": {"/partners/"},
}


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_check_flags_exactly_the_planted_pages(clinic, check):
    assert clinic.flagged(check) == EXPECTED[check]


def test_broken_links_reported_on_the_source_page(clinic):
    broken = clinic.issues("broken-link")
    found = {(u.replace(clinic.origin, ""), t.replace(clinic.origin, ""))
             for u, t in zip(broken["url"], broken["target"], strict=True)}
    assert found == {
        ("/", "/missing/"),
        ("/", "/images/missing.png"),
        ("/", "/loop-a/"),
        ("/", clinic.external + "/gone"),
        ("/contact/", "/js/missing.js"),
        ("/", "/dropped/"),
    }
    missing = broken[broken["target"] == clinic.url("/missing/")].iloc[0]
    assert "404" in missing["detail"] and "<a>" in missing["detail"]


def test_redirects_reported_on_the_linking_page(clinic):
    one_hop = clinic.issues("link-to-redirect")
    assert set(one_hop["target"]) == {clinic.url("/old-services/")}
    assert set(one_hop["url"]) == {clinic.url("/")}
    chain = clinic.issues("redirect-chain")
    assert set(chain["target"]) == {clinic.url("/chain-start/")}
    assert "(301)" in chain.iloc[0]["detail"] and "(302)" in chain.iloc[0]["detail"]


def test_blocked_external_is_unverified_not_broken(clinic):
    unverified = clinic.issues("link-unverified")
    assert set(unverified["target"]) == {clinic.external + "/forbidden"}


def test_look_alikes_are_not_flagged(clinic):
    issues = clinic.csv("issues.csv")
    # the one finding a page behind robots.txt gets: the home page links to it
    blocked = issues[issues["check"] == "robots-blocks-linked"]
    assert list(zip(blocked["url"], blocked["target"], strict=True)) == [
        (clinic.url("/"), clinic.url("/private/"))]
    # the fixture's pages share one filler text: content-duplicate is true of them all and
    # says nothing about the look-alikes here; canonical-missing likewise
    # and the javascript: link, never fetched, is one search engines cannot follow
    uncrawlable = issues[issues["check"] == "link-uncrawlable"]
    assert list(uncrawlable["target"]) == ["javascript:void(0)"]
    issues = issues[~issues["check"].isin(["robots-blocks-linked", "content-duplicate",
                                           "canonical-missing", "link-uncrawlable"])]
    flagged = " ".join(issues["url"]) + " " + " ".join(issues["target"])
    for path in ("/brochure.pdf", "/private/", "/docs/guide.html", "/images/spacer.gif"):
        assert clinic.url(path) not in flagged, path
    assert clinic.external + "/head405" not in flagged
    assert "mailto:" not in flagged and "tel:" not in flagged and "javascript:" not in flagged


def test_issues_sorted_by_severity_then_check_then_url(clinic):
    issues = clinic.csv("issues.csv")
    rank = issues["severity"].map({"error": 0, "warning": 1, "notice": 2})
    keys = list(zip(rank, issues["check"], issues["url"], strict=True))
    assert keys == sorted(keys)
    assert list(issues.columns[:5]) == ["url", "check", "severity", "message", "detail"]


def test_markup_of_another_business_is_not_a_nap_mismatch(clinic):
    # /partners/ describes a partner clinic: none of its markup is the practice's
    assert clinic.flagged("schema-nap-mismatch") == set()
    nap = clinic.csv("nap.csv")
    partner = nap[(nap["url"] == clinic.url("/partners/")) & (nap["source"] == "jsonld")]
    assert set(partner["verdict"]) == {"other"}


def test_profile_thresholds_override_the_defaults(clinic, tmp_path):
    import shutil

    from tests.conftest import run_cli

    out = tmp_path / "copy"
    shutil.copytree(clinic.out, out)
    profile = tmp_path / "lenient.toml"
    profile.write_text("[thresholds]\ntitle_max_length = 100\nthin_content_words = 10\n")
    result = run_cli("report", str(out), "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    issues = (out / "issues.csv").read_text("utf-8-sig")
    assert ",title-too-long," not in issues  # 89 characters is within 100
    assert ",thin-content," not in issues  # /short/ has 20 words, more than 10
    assert ",title-too-short," in issues  # a threshold left alone keeps its default
