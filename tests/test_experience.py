"""Mobile, language, speed and address checks on the plain fixture site, served from a copy to
which the experience_plain_site fixture (tests/technical_sites.py) adds a 300 KB photo (too big
to keep in the repository), and on hand-built values. Every planted finding is reported where
it was planted and none of the look-alikes is."""

from __future__ import annotations

import pandas as pd
import pytest

from audit.checks.experience import url_problems, viewport_sets_size
from audit.load import Frames, read_jsonl
from audit.registry import AuditContext, run_checks
from tests.conftest import Crawl
from tests.technical_sites import HEAVY_BYTES

EXPERIENCE_CHECKS = ("viewport-missing", "lang-missing", "page-slow", "image-heavy",
                     "url-unfriendly")
LONG_PATH = ("/articles/what-to-expect-in-your-first-therapy-session-with-a-licensed-"
             "psychologist-in-beverly-hills-and-los-angeles-california/")


PLANTED = {
    "viewport-missing": {"/no-viewport/", "/viewport-no-size/"},
    "lang-missing": {"/no-lang/", "/lang-english/", "/lang-empty/"},
    "page-slow": {"/slow/"},
    "image-heavy": {"/gallery/"},
    "url-unfriendly": {"/Services/Anxiety/", "/anxiety_therapy/", "/our%20team/", LONG_PATH},
}


@pytest.mark.parametrize("check", EXPERIENCE_CHECKS)
def test_planted_findings_exactly(experience_plain_site: Crawl, check: str) -> None:
    assert experience_plain_site.flagged(check) == PLANTED[check]


def test_the_look_alikes_were_crawled(experience_plain_site: Crawl) -> None:
    pages = experience_plain_site.csv("pages.csv")
    urls = {u.replace(experience_plain_site.origin, "") for u in pages["url"]}
    assert {"/viewport-width-only/", "/viewport-scale-only/", "/about/",
            "/terapia-en-espa%C3%B1ol/", "/articles/how-to-choose-a-therapist-who-fits-you/",
            "/search/?Topic=Grief_Support", "/downloads/", "/images/big.jpg",
            "/images/office-full-size.jpg", "/images/small.png"} <= urls


def test_viewport_messages(experience_plain_site: Crawl) -> None:
    rows = experience_plain_site.issues("viewport-missing").set_index("url")
    assert rows.loc[experience_plain_site.url("/no-viewport/"), "message"] == (
        "The page has no meta viewport tag.")
    assert rows.loc[experience_plain_site.url("/viewport-no-size/"), "message"] == (
        "The page's meta viewport sets neither a width nor an initial-scale.")
    assert rows.loc[experience_plain_site.url("/viewport-no-size/"), "detail"] == (
        'content="user-scalable=no"')
    assert set(rows["severity"]) == {"warning"}


def test_lang_messages(experience_plain_site: Crawl) -> None:
    rows = experience_plain_site.issues("lang-missing").set_index("url")
    assert rows.loc[experience_plain_site.url("/no-lang/"), "message"] == (
        "The page does not declare its language (no lang on <html>).")
    assert rows.loc[experience_plain_site.url("/lang-empty/"), "message"] == (
        "The page does not declare its language (no lang on <html>).")
    assert rows.loc[experience_plain_site.url("/lang-english/"), "message"] == (
        'The page declares its language as "English", which is not a language code (such as '
        '"en" or "en-US").')
    assert set(rows["severity"]) == {"notice"}


def test_a_slow_page_says_how_slow(experience_plain_site: Crawl) -> None:
    row = experience_plain_site.issues("page-slow").iloc[0]
    assert row["message"].startswith("The server took ")
    took = int(row["message"].split()[3].replace(",", ""))
    assert 1200 <= took < 5000
    assert row["message"].endswith(" ms to answer (more than 1,000 ms).")


def test_a_heavy_image_is_reported_on_the_page_that_shows_it_however_it_is_reached(
        experience_plain_site: Crawl) -> None:
    rows = experience_plain_site.issues("image-heavy")
    # shown directly and through an old address that redirects to it; the small image and the
    # heavy photo on another site are not reported, nor the page that only links to it
    assert set(rows["target"]) == {experience_plain_site.url("/images/big.jpg"),
                                   experience_plain_site.url("/old-photo.jpg")}
    assert set(rows["detail"]) == {experience_plain_site.url("/images/big.jpg")}
    assert set(rows["message"]) == {"An image on this page weighs 300 KB (more than 200 KB)."}


def test_the_heavy_image_was_weighed_with_head_not_downloaded(experience_plain_site: Crawl) -> None:
    fetches = [record for record
               in read_jsonl(experience_plain_site.out / "crawl" / "fetches.jsonl")
               if record["url"] == experience_plain_site.url("/images/big.jpg")]
    assert [(f["kind"], f["method"], f["size"]) for f in fetches] == [
        ("resource", "HEAD", HEAVY_BYTES)]


def test_url_messages_name_the_rule(experience_plain_site: Crawl) -> None:
    rows = experience_plain_site.issues("url-unfriendly").set_index("url")
    assert rows.loc[experience_plain_site.url("/Services/Anxiety/"), "message"] == (
        "The address has capital letters in its path.")
    assert rows.loc[experience_plain_site.url("/anxiety_therapy/"), "message"] == (
        "The address has underscores in its path.")
    assert rows.loc[experience_plain_site.url("/our%20team/"), "message"] == (
        "The address has spaces in its path.")
    long_url = experience_plain_site.url(LONG_PATH)
    assert rows.loc[long_url, "message"] == (
        f"The address is {len(long_url)} characters long (more than 115).")


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("content, sets_size", [
    ("width=device-width, initial-scale=1", True), ("width=device-width", True),
    ("initial-scale=1.0; maximum-scale=5", True), (" WIDTH = 640 ", True),
    ("user-scalable=no", False), ("width=", False), ("", False), (None, False),
    ("maximum-scale=1, minimum-scale=1", False)])
def test_viewport_sets_size(content: str | None, sets_size: bool) -> None:
    assert viewport_sets_size(content) is sets_size


@pytest.mark.parametrize("url, problems", [
    ("https://practice.example/anxiety-therapy/", []),
    ("https://Blair-Wellness.EXAMPLE/about/", []),  # the host never counts
    ("https://practice.example/caf%C3%A9/", []),  # percent-encoding's capitals are not letters
    ("https://practice.example/search/?Topic=Grief_Support%20Group", []),
    ("https://practice.example/%C3%89quipe/", ["has capital letters in its path"]),
    ("https://practice.example/About_Us/", ["has capital letters in its path",
                                            "has underscores in its path"]),
    ("https://practice.example/our%20team/", ["has spaces in its path"]),
    ("https://practice.example/" + "a" * 90, []),  # 115 characters: at the limit
    ("https://practice.example/" + "a" * 91, ["is 116 characters long (more than 115)"]),
    ("https://practice.example/a?" + "q" * 120, ["is 147 characters long (more than 115)"]),
    ("https://a-very-long-host-name-for-a-practice-in-beverly-hills-california.example/"
     + "b" * 41, ["is 122 characters long (more than 115)"]),
])
def test_url_problems(url: str, problems: list[str]) -> None:
    assert url_problems(url) == problems


def test_url_length_threshold_can_be_set() -> None:
    assert url_problems("https://practice.example/anxiety-therapy/", max_length=40) == [
        "is 41 characters long (more than 40)"]


# --- on hand-built frames --------------------------------------------------------------------


def _pages(rows: list[dict]) -> pd.DataFrame:
    defaults = {"kind": "page", "status": 200, "ok": True, "extracted": True, "is_html": True,
                "response_ms": 100.0, "size": 5000, "lang": "en",
                "viewport": "width=device-width"}
    return pd.DataFrame([{**defaults, **row} for row in rows])


def _run(pages: pd.DataFrame, only: str, links: pd.DataFrame | None = None,
         thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    frames = Frames(pages=pages, links=links, start_url=pages["url"].iloc[0])
    return run_checks(AuditContext(frames=frames, thresholds=thresholds or {}), only={only})


def test_only_answered_html_pages_are_judged() -> None:
    pages = _pages([
        {"url": "https://practice.example/"},
        {"url": "https://practice.example/Old_Page/", "status": 301, "ok": False,
         "extracted": False, "response_ms": 3000.0, "lang": None, "viewport": None},
        {"url": "https://practice.example/Missing/", "status": 404, "ok": False,
         "extracted": False, "response_ms": 3000.0, "lang": None, "viewport": None},
        {"url": "https://practice.example/Brochure.pdf", "extracted": False, "is_html": False,
         "response_ms": 3000.0, "lang": None, "viewport": None}])
    for check in EXPERIENCE_CHECKS[:3] + ("url-unfriendly",):
        assert _run(pages, check).empty, check


def test_the_slow_threshold_can_be_set() -> None:
    pages = _pages([{"url": "https://practice.example/", "response_ms": 600.0}])
    assert _run(pages, "page-slow").empty
    found = _run(pages, "page-slow", thresholds={"page_slow_ms": 500})
    assert found["message"].tolist() == ["The server took 600 ms to answer (more than 500 ms)."]


def test_a_lang_with_a_registered_variant_is_fine() -> None:
    pages = _pages([{"url": "https://practice.example/", "lang": "de-CH-1996"},
                    {"url": "https://practice.example/en/", "lang": "en_US"}])
    assert _run(pages, "lang-missing")["url"].tolist() == ["https://practice.example/en/"]


def test_an_image_that_is_no_image_or_failed_is_not_weighed() -> None:
    pages = _pages([
        {"url": "https://practice.example/"},
        {"url": "https://practice.example/photo.jpg", "kind": "resource", "extracted": False,
         "is_html": False, "size": 0},  # HEAD without Content-Length: size unknown
        {"url": "https://practice.example/broken.jpg", "kind": "resource", "extracted": False,
         "is_html": False, "status": 500, "ok": False, "size": 900_000},
        {"url": "https://practice.example/page/", "size": 900_000}])
    links = pd.DataFrame([
        {"source_url": "https://practice.example/", "target_url": target, "final_url": target,
         "element": "img", "kind": "internal"}
        for target in ("https://practice.example/photo.jpg",
                       "https://practice.example/broken.jpg",
                       "https://practice.example/page/")])
    assert _run(pages, "image-heavy", links=links).empty
