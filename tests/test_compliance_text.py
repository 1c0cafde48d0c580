"""What audit.compliance reads in a page's text, title, headings and markup: the facts the
patient-trust and compliance checks judge (tests/test_compliance.py crawls served sites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit import compliance
from spiders.extract import extract_page

HTML = Path(__file__).parent / "html"


@pytest.mark.parametrize(("text", "signal"), [
    ("You have the right to receive a Good Faith Estimate explaining how much care will cost.",
     "gfe"),
    ("good-faith estimate", "gfe"),
    ("THIS NOTICE DESCRIBES HOW MEDICAL INFORMATION ABOUT YOU MAY BE USED AND DISCLOSED",
     "privacy_notice"),
    ("This notice describes how mental health information about you may be used and disclosed",
     "privacy_notice"),
    ("Read our Privacy Policy.", "privacy_policy"),
    ("Telehealth sessions are available.", "telehealth"),
    ("I offer online therapy for adults.", "telehealth"),
    ("we offer in-person, telephone & virtual meetings 7 days a week", "telehealth"),
    ("Sessions are also available by video.", "telehealth"),
    ("Video sessions are available to clients located in California.", "jurisdiction"),
    ("Clients must be physically located in California during sessions.", "jurisdiction"),
    ("I am licensed to practice in the State of California.", "jurisdiction"),
    ("A California-licensed psychologist.", "jurisdiction"),
    ("Open to residents of New York.", "jurisdiction"),
    ("Licensed by the California Board of Psychology.", "jurisdiction"),
    ("Individual therapy for anxiety.", "therapy"),
    ("Couples counseling in Pasadena.", "therapy"),
])
def test_text_signals_finds(text: str, signal: str) -> None:
    assert signal in compliance.text_signals(text)


@pytest.mark.parametrize(("text", "signal"), [
    # naming the notice is not posting it
    ("Our Notice of Privacy Practices is given to you at the first appointment.",
     "privacy_notice"),
    ("Our privacy practices are described below.", "privacy_notice"),
    ("In-person sessions only.", "telehealth"),
    ("We answer the phone during office hours.", "telehealth"),
    ("Our office is in California.", "jurisdiction"),
    ("Telehealth therapy in California", "jurisdiction"),
    ("Physical therapy and massage therapist services.", "therapy"),
    ("Financial counseling for new patients.", "therapy"),
    ("Fluoride and laser therapy for healthy teeth.", "therapy"),
    ("Ask us about the cost of care.", "gfe"),
])
def test_text_signals_ignores_look_alikes(text: str, signal: str) -> None:
    assert signal not in compliance.text_signals(text)


def test_title_notices_reads_a_page_that_is_the_notice() -> None:
    assert compliance.title_notices("Notice of Privacy Practices | Doe Therapy", []) == [
        "privacy_notice"]
    assert compliance.title_notices("Policies", [[1, "HIPAA Notice"]]) == ["privacy_notice"]
    assert compliance.title_notices("Privacy Policy", [[1, "Privacy policy"]]) == []
    # a mention deep in the page is no title
    assert compliance.title_notices("Fees", [[4, "Notice of Privacy Practices"]]) == []


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("Good Faith Estimate (PDF)", "https://x.example/docs/a.pdf", ["gfe"]),
    ("Download", "https://x.example/docs/good-faith-estimate.pdf", ["gfe"]),
    ("Our notice", "https://x.example/gfe.pdf", ["gfe"]),
    ("Notice of Privacy Practices", "https://x.example/docs/a.pdf", ["privacy_notice"]),
    ("Download", "https://x.example/docs/npp.pdf", ["privacy_notice"]),
    ("HIPAA Notice", "https://x.example/p/", ["privacy_notice"]),
    ("Privacy Policy", "https://x.example/privacy/", ["privacy_policy"]),
    # look-alikes
    ("HIPAA-compliant video sessions", "https://x.example/telehealth/", []),
    ("Refugee support", "https://x.example/refugee/", []),
    ("Snapp", "https://x.example/snapp/", []),
    # the host is not the path: a site called gfe-clinic.example names no notice
    ("Home", "https://gfe-clinic.example/", []),
])
def test_link_notices(text: str, url: str, expected: list[str]) -> None:
    assert compliance.link_notices(text, url) == expected


@pytest.mark.parametrize(("text", "family", "name"), [
    ("Jane Doe, Psychologist", "psy", "Jane Doe"),
    ("Meet Dr. Sam Park, Psychologist", "psy", "Sam Park"),
    ("Jane Doe, LMFT | Couples Therapy in Los Angeles", "lmft", "Jane Doe"),
    ("Alex Kim, Registered Associate Marriage and Family Therapist", "amft", "Alex Kim"),
    ("Licensed Clinical Social Worker Maria Lopez", "lcsw", "Maria Lopez"),
    ("Dr. Lee, Psychiatrist", "physician", "Lee"),
])
def test_claims_pair_a_title_with_the_name_beside_it(text: str, family: str, name: str) -> None:
    from audit.checks.compliance import _claims

    assert (family, name) in list(_claims(text))


@pytest.mark.parametrize("text", [
    "The Psychology of Burnout",
    "Psychological Safety at Work",
    "Looking for a Local Psychologist?",
    "Santa Monica Psychologist | Blair Wellness Group",
    "Blair Psychological Services",
    "When to See a Psychologist",
    "School Psychologist Services",
])
def test_no_claim_without_a_person(text: str) -> None:
    from audit.checks.compliance import _claims

    assert list(_claims(text)) == []


def test_licensed_names_pairs_a_number_with_the_name_printed_with_it() -> None:
    text = ("Dr. Cassidy Blair, Psy.D. Licensed Clinical Psychologist | PSY 22022\n"
            "Dr. Sam Park, Psychologist\n\nLicense PSY 12345\n"
            "Our office: 9454 Wilshire Blvd, Suite 201 · LMFT 54321")
    assert compliance.licensed_names(text) == [["Cassidy Blair", "PSY 22022"],
                                               ["Sam Park", "PSY 12345"]]


@pytest.mark.parametrize(("text", "expected"), [
    ("License #98765", ["License #98765"]),
    ("Jane Doe\nLic. No. 98765", ["Lic. No. 98765"]),
    # the type is on the same line
    ("Licensed Marriage and Family Therapist, License No. 54321", []),
    ("PSY License #22022", []),
    ("Psychologist, License #22022", []),
    # not a license number
    ("Business license required for parking", []),
    ("Call 310-555-0100", []),
])
def test_untyped_licenses(text: str, expected: list[str]) -> None:
    assert compliance.untyped_licenses(text) == expected


def test_licensed_title() -> None:
    assert compliance.licensed_title("Dr. Ann Lee, Licensed Clinical Psychologist") == (
        "Licensed Clinical Psychologist")
    assert compliance.licensed_title("Jane Doe, LMFT") == "LMFT"
    assert compliance.licensed_title("licensed and insured") is None
    assert compliance.licensed_title("Psychology of burnout") is None


def test_registrants() -> None:
    found = compliance.registrants("Alex Kim, AMFT 123456, sees teens.")
    assert found is not None
    assert found["types"] == ["AMFT"] and found["full"] == []
    assert "Alex Kim" in found["excerpt"]
    assert not compliance.mentions_supervision("Alex Kim, AMFT 123456, sees teens.")
    full = compliance.registrants(
        "Alex Kim, Registered Associate Marriage and Family Therapist, AMFT 123456, "
        "supervised by Jane Doe, LMFT 54321")
    assert full is not None and full["types"] == ["AMFT"] and full["full"] == ["AMFT"]
    assert compliance.mentions_supervision("She works under the supervision of Dr. Blair.")
    psb = compliance.registrants("Registered Psychological Associate Lee (PSB 94021810)")
    assert psb is not None and psb["types"] == ["PSB"] and psb["full"] == ["PSB"]
    # look-alikes: supervising former associates, "asw" in lower case, "ASWB" (the exam board)
    assert compliance.registrants("I have supervised many associates over the years.") is None
    assert compliance.registrants("a sword, aswell") is None
    assert compliance.registrants("Passed the ASWB exam") is None


def test_place_run_counts_distinct_places_close_together() -> None:
    long_list = ("We serve Beverly Hills, Century City, West Hollywood, Santa Monica, Brentwood, "
                 "Westwood, Bel Air, Culver City, Pacific Palisades, Malibu and Venice.")
    run = compliance.place_run(long_list)
    assert run is not None and run[0] >= 10
    assert "Beverly Hills" in run[1]
    assert compliance.place_run("We serve Santa Monica, Venice and Culver City.") is None
    # the same few names repeated are not a list of many places
    assert compliance.place_run("Santa Monica, Venice. " * 20) is None
    # far apart: never more than the window holds
    spread = ("Beverly Hills. " + "x " * 200 + "Santa Monica. " + "x " * 200 + "Venice. "
              + "x " * 200 + "Malibu. " + "x " * 200 + "Brentwood.")
    assert compliance.place_run(spread) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://connect.facebook.net/en_US/fbevents.js", "Meta Pixel"),
    ("https://www.facebook.com/tr?id=1&ev=PageView&noscript=1", "Meta Pixel"),
    ("//connect.facebook.net/en_US/fbevents.js", "Meta Pixel"),
    ("https://www.googletagmanager.com/gtag/js?id=G-XYZ", "Google Analytics / Google tag"),
    ("https://S.PINIMG.COM/ct/core.js", "Pinterest Tag"),
    # look-alikes: a booking portal, a share link, a look-alike host, a relative address
    ("https://doe.clientsecure.me/widget", None),
    ("https://widget-cdn.simplepractice.com/assets/integration-1.0.js", None),
    ("https://www.facebook.com/sharer/sharer.php", None),
    ("https://www.facebook.com/travel/", None),
    ("https://notfacebook.com/tr", None),
    ("https://example.com/myhotjar.com.html", None),
    ("/js/facebook.com/tr.js", None),
])
def test_tracker_of(url: str, expected: str | None) -> None:
    assert compliance.tracker_of(url) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("(function(h,o,t,j){h._hjSettings={hjid:1};a.src='https://static.hotjar.com/c/hotjar-'",
     ["Hotjar"]),
    ('(function(c,l,a,r,i,t,y){t.src="https://www.clarity.ms/tag/"+i;})', ["Microsoft Clarity"]),
    ("t.src='https://connect.facebook.net/en_US/fbevents.js'; "
     "j.src='https://www.googletagmanager.com/gtm.js?id='+i",
     ["Meta Pixel", "Google Analytics / Google tag"]),
    ("var url = 'https://notfacebook.com/tr';", []),
])
def test_trackers_in_inline_code(code: str, expected: list[str]) -> None:
    assert compliance.trackers_in(code) == expected


def test_form_purpose() -> None:
    assert compliance.form_purpose([("input", "text", "name"), ("input", "email", "email"),
                                    ("textarea", "", "message")]) == "personal"
    assert compliance.form_purpose([("input", "email", "newsletter")]) == "personal"
    assert compliance.form_purpose([("input", "search", "s")]) == "search"
    assert compliance.form_purpose([("input", "text", "s"), ("input", "submit", "")]) == "search"
    assert compliance.form_purpose([("input", "text", "q")], role="search") == "search"
    assert compliance.form_purpose([("select", "", "language")]) == "other"


def test_extraction_records_what_the_checks_read() -> None:
    html = """<!doctype html><html lang="en"><head><title>Contact | Doe Family Therapy</title>
    <script>!function(f,b,e,v,n,t,s){t=b.createElement(e);
    t.src='https://connect.facebook.net/en_US/fbevents.js'}(window,document,'script');</script>
    </head><body><main><h1>Jane Doe, Psychologist</h1>
    <form method="post" action="/send"><input name="full_name"><input type="email" name="email">
    <textarea name="message"></textarea><button>Send</button></form>
    <form role="search" action="/"><input type="search" name="s"></form>
    <noscript><img height="1" width="1" style="display:none"
     src="https://www.facebook.com/tr?id=1&ev=PageView&noscript=1"/></noscript>
    <img src="/photo.jpg"></main>
    <footer><p>Doe Family Therapy · Jane Doe, LMFT<br>3140 Sunset Blvd, Los Angeles, CA 90026</p>
    <p>Jane Doe, LMFT #54321</p></footer></body></html>"""
    page = extract_page("https://doe.example/contact/", html)
    facts = page["compliance"]
    assert facts["trackers"] == [["Meta Pixel", "https://www.facebook.com/tr?id=1&ev=PageView&"
                                                "noscript=1"]]
    assert ["h1", "Jane Doe, Psychologist"] in facts["identity"]
    assert ["Jane Doe", "LMFT 54321"] in facts["licensed_names"]
    assert [form[2] for form in page["forms"]] == ["personal", "search"]
    # the tracker's hidden pixel is neither a content image nor a link to check
    assert [image["src"] for image in page["images"]] == ["/photo.jpg"]
    assert not any("facebook.com" in link["target_url"] for link in page["links"])


def test_the_seed_page_claims_nothing_wrong() -> None:
    """The real psychologist's blog post: "Dr. Cassidy Blair, Psy.D. Licensed Clinical
    Psychologist | PSY 22022" pairs the title with its own license."""
    page = extract_page("https://blair.example/blog/", (HTML / "seed_blog_post.html").read_text(
        "utf-8"))
    facts = page["compliance"]
    assert "therapy" in facts["signals"]
    assert facts.get("licensed_title") == "Licensed Clinical Psychologist"
    assert "untyped_licenses" not in facts and "registrants" not in facts
    assert "trackers" not in facts


def test_page_text_reads_words_whatever_surrounds_them() -> None:
    """Gate words are found at word starts after non-ASCII punctuation and letters alike, and
    never inside a word ("public", "clinic", "deliver")."""
    text = ("Zoë’s “Telehealth” sessions — for clients located in California. "
            "Public clinic; we deliver care. Zoë, License #22022.")
    page = compliance.PageText(text)
    assert [text[at:at + 4] for at in page.starts("tele")] == ["Tele"]
    assert list(page.starts("liv")) == []
    assert [text[at:at + 7] for at in page.starts("license ")] == ["License"]
    assert compliance.text_signals(page) == ["jurisdiction", "telehealth"]
    assert compliance.untyped_licenses(page) == ["License #22022"]


def test_a_statement_after_a_phrase_the_page_repeats_is_still_read() -> None:
    text = ("Licensed Clinical Psychologist in Beverly Hills. " * 50
            + "I am licensed to practice in the State of California.")
    assert "jurisdiction" in compliance.text_signals(text)
    # and a page that repeats a phrase that is no statement says nothing
    assert "jurisdiction" not in compliance.text_signals(
        "Licensed Clinical Psychologist in Beverly Hills. " * 50)
