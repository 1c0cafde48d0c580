"""License numbers of US states other than California, and Australian AHPRA registrations.

audit.nap.licenses reads them the way it reads California's: a type and a number on one line,
normalized to "<TYPE> <number>", look-alikes left out; a number without a type is typed only
by a state other than California named near it. judge() compares them by type and number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import audit.nap as nap
from audit.business import judge
from audit.nap import NapSources, find_licenses, nap_facts, normalize_license


def typed(text: str) -> list[str]:
    """The normalized value of every typed license read in text."""
    return [h["normalized"] for h in find_licenses(text) if h["kind"] != "untyped"]


def footer_licenses(text: str) -> list[dict]:
    facts = nap_facts(NapSources(url="https://example.com/about/", footer_text=text))
    return [f for f in facts if f["field"] == "license"]


# ------------------------------------------------------------------ the fixture sites' strings

FIXTURE_LINES = [
    ("Jane Quinn, LMHC, Massachusetts License #10234", "LMHC 10234"),
    ("Marcus Reyes, LPC-S, Texas LPC #76543", "LPC 76543"),
    ("Licensed Professional Counselor (LPC) #76543", "LPC 76543"),
    ("Texas Licensed Psychologist #34567", "PSYCHOLOGIST 34567"),
    ("AHPRA registration PSY0001717545", "AHPRA PSY0001717545"),
]


@pytest.mark.parametrize("text, expected", FIXTURE_LINES)
def test_fixture_lines_are_read_typed_and_high(text: str, expected: str) -> None:
    (hit,) = find_licenses(text)
    assert hit["normalized"] == expected
    assert hit["kind"] != "untyped" and hit["confidence"] == "high"
    (fact,) = footer_licenses(text)
    assert (fact["normalized"], fact["role"], fact["zone"]) == (expected, "high", "footer")


@pytest.mark.parametrize("text, expected", FIXTURE_LINES)
def test_fixture_lines_in_a_footer_card(text: str, expected: str) -> None:
    card = f"Quinn Counseling\n{text}\n1200 Main St, Suite 300\n(617) 555-0142"
    assert [f["normalized"] for f in footer_licenses(card)] == [expected]


# ------------------------------------------------------------------ each new form

@pytest.mark.parametrize(
    "text, expected",
    [
        # Texas
        ("LPC 76543", "LPC 76543"), ("LPC #76543", "LPC 76543"), ("LPC-S 76543", "LPC 76543"),
        ("Marcus Reyes, LPC-S #76543", "LPC 76543"), ("LMFT-S 12345", "LMFT 12345"),
        ("LCSW-S 54321", "LCSW 54321"), ("Texas LMFT #12345", "LMFT 12345"),
        ("Texas LCSW No. 54321", "LCSW 54321"),
        ("Licensed Psychologist #12345, Austin, Texas", "PSYCHOLOGIST 12345"),
        ("Texas Licensed Psychologist No. 34567", "PSYCHOLOGIST 34567"),
        # New York and Massachusetts
        ("LMHC #001234", "LMHC 001234"), ("LMHC 10234", "LMHC 10234"),
        ("LICSW 123456", "LICSW 123456"), ("Jane Doe, LICSW, License #12345", "LICSW 12345"),
        ("New York Licensed Psychologist #012345", "PSYCHOLOGIST 012345"),
        ("Jane Doe, LMFT, New York License #012345", "LMFT 012345"),
        ("Jane Quinn, LMHC, MA License #10234", "LMHC 10234"),
        # Florida
        ("MH12345", "MH 12345"), ("MH 12345", "MH 12345"), ("LMHC #MH12345", "MH 12345"),
        ("SW1234", "SW 1234"), ("LCSW, SW12345", "SW 12345"), ("PY1234", "PY 1234"),
        ("Licensed Psychologist PY5678", "PY 5678"),
        # Illinois
        ("LCPC 180.012345", "LCPC 180.012345"), ("LCSW 149.012345", "LCSW 149.012345"),
        ("Illinois License No. 180.012345", "LCPC 180.012345"),
        ("License No. 149.012345", "LCSW 149.012345"),
        # Washington
        ("LMHC LH60123456", "LH 60123456"), ("LH60123456", "LH 60123456"),
        ("LICSW LW60123456", "LW 60123456"), ("PY60123456", "PY 60123456"),
        # a number typed by the state named near it
        ("Texas License No. 12345", "TX 12345"), ("TX License # 12345", "TX 12345"),
        ("Licensed in New York. License No. 012345", "NY 012345"),
        ("Licensed Psychologist, License No. 12345 (Massachusetts)", "PSYCHOLOGIST 12345"),
        ("Dr. Ann Lee, Psychologist \u00b7 Texas License No. 34567", "PSYCHOLOGIST 34567"),
        ("License # 12345\nDallas, TX 75201", "TX 12345"),
        ("Boston, MA 02116 \u00b7 License # 12345", "MA 12345"),
        # Australia
        ("Registration number: PSY0001717545", "AHPRA PSY0001717545"),
        ("MED0001234567", "AHPRA MED0001234567"),
    ],
)
def test_new_forms_are_read(text: str, expected: str) -> None:
    assert typed(text) == [expected]
    assert normalize_license(text) == expected


def test_a_footer_with_two_states_reads_each_license() -> None:
    text = ("Jane Quinn, LMHC \u00b7 Massachusetts License #10234 \u00b7 Florida MH12345 "
            "\u00b7 AHPRA PSY0001717545")
    assert typed(text) == ["LMHC 10234", "MH 12345", "AHPRA PSY0001717545"]


# ------------------------------------------------------------------ the same license

@pytest.mark.parametrize(
    "forms",
    [["LPC-S 12345", "LPC 12345", "LPC #12345", "Licensed Professional Counselor (LPC) 12345",
      "Texas LPC-S No. 12345", "Jane Doe, LPC-S, Texas License #12345"],
     ["LMFT-S 12345", "LMFT 12345", "LMFT #12345"],
     ["LCSW-S 12345", "LCSW 12345"],
     ["MH12345", "MH 12345", "MH-12345", "LMHC MH12345"],
     ["LH60123456", "LH 60123456", "LMHC, LH60123456"],
     ["Texas Licensed Psychologist #34567", "Licensed Psychologist, License No. 34567",
      "Psychologist License 34567"],
     ["PSY0001717545", "AHPRA registration PSY0001717545"]],
)
def test_forms_of_one_license_normalize_equal(forms: list[str]) -> None:
    assert len({normalize_license(f) for f in forms}) == 1
    assert normalize_license(forms[0]) is not None


def test_supervisor_status_is_the_same_license() -> None:
    assert normalize_license("LPC-S 12345") == normalize_license("LPC 12345") == "LPC 12345"
    assert typed("Marcus Reyes, LPC-S 76543") == typed("Marcus Reyes, LPC 76543")


def test_california_lpcc_is_not_an_lpc() -> None:
    assert typed("LPCC 12345") == ["LPCC 12345"]
    assert normalize_license("LPCC 12345") != normalize_license("LPC 12345")


def test_leading_zeros_are_kept() -> None:
    assert typed("LMHC #001234") == ["LMHC 001234"]
    assert normalize_license("LMHC #001234") != normalize_license("LMHC #1234")


# ------------------------------------------------------------------ the profile's value

@pytest.mark.parametrize(
    "value, expected",
    [("LPC 76543", "LPC 76543"), ("LPC-S 76543", "LPC 76543"), ("LMHC #001234", "LMHC 001234"),
     ("LICSW 12345", "LICSW 12345"), ("LCPC 180.012345", "LCPC 180.012345"),
     ("LCSW 149.012345", "LCSW 149.012345"), ("MH12345", "MH 12345"), ("SW1234", "SW 1234"),
     ("PY1234", "PY 1234"), ("LH60123456", "LH 60123456"), ("LW60123456", "LW 60123456"),
     ("Licensed Psychologist #12345", "PSYCHOLOGIST 12345"),
     ("Licensed Psychologist, License No. 12345", "PSYCHOLOGIST 12345"),
     ("Texas Licensed Psychologist No. 34567", "PSYCHOLOGIST 34567"),
     ("Texas License No. 12345", "TX 12345"), ("LMHC, License #10234", "LMHC 10234"),
     ("PSY0001717545", "AHPRA PSY0001717545"),
     ("Registration number: PSY0001717545", "AHPRA PSY0001717545"),
     # California's, unchanged
     ("PSY 22022", "PSY 22022"), ("LMFT #119841", "LMFT 119841"), ("A 12345", None),
     ("License No. A 12345", "A 12345"), ("License # 22022", None)],
)
def test_normalize_license_accepts_each_form(value: str, expected: str | None) -> None:
    assert normalize_license(value) == expected


# ------------------------------------------------------------------ look-alikes

@pytest.mark.parametrize(
    "text",
    [
        # ZIP codes, in California and elsewhere
        "Dallas, TX 75201\nLPC 75201", "LPC 75201 \u00b7 Dallas, TX 75201",
        "LMHC 02116, Boston, Massachusetts 02116", "MH 33101 \u00b7 Miami, FL 33101",
        "License # 75201 \u00b7 Dallas, TX 75201",
        # street and suite numbers
        "LPC, 1234 Main St", "LPC 1234 Main Street", "LMHC 4500 W. Broadway", "LPC Suite 200",
        "SW 1234 Coral Way", "SW 1st Ave",
        # form numbers, course codes, years, degrees, minutes
        "Form LPC 2020", "form LPC 1234", "LPC 2020", "M.A., LPC", "Jane Doe, M.A., LPC",
        "LPC 5310 Counseling Theories", "MH 101", "MH 101: Intro to Mental Health", "PY 2020",
        "PY2021", "LH 60 minutes", "LW 90",
        # phone numbers
        "LPC 214-555-0142", "LPC, (214) 555-0142", "LMHC 617.555.0142", "MH 305-555-0142",
        # no state near a psychologist's number, or California's
        "Licensed Psychologist #12345", "Licensed Clinical Psychologist, License # 22022",
        "Psychologist #22022, Los Angeles, California",
        # other lines
        "Jane Doe, LPC\n76543 Main St", "Texas\n\n\n\n\n" + " " * 60 + "\nLicense # 12345",
        # lower case codes, and AHPRA look-alikes
        "mh12345", "sw 1234", "PSY000171754", "PSY00017175451", "XYZ0001717545",
        "APSY0001717545",
    ],
)
def test_look_alikes_are_not_typed_licenses(text: str) -> None:
    assert typed(text) == []


@pytest.mark.parametrize(
    "text",
    ["Dallas, TX 75201\nLPC 75201", "LPC, 1234 Main St", "Form LPC 2020", "M.A., LPC", "MH 101",
     "SW 1st Ave", "PY 2020", "LH 60 minutes", "LPC 214-555-0142"],
)
def test_look_alikes_give_no_fact(text: str) -> None:
    assert footer_licenses(text) == []
    assert normalize_license(text) is None


# ------------------------------------------------------------------ untyped, as before

@pytest.mark.parametrize(
    "text",
    ["License # 22022", "CA License # 22022", "California License # 22022",
     "Los Angeles, CA 90025 \u00b7 License # 22022", "Jane Doe, MA, License # 22022",
     "Jane Doe, MA\nLicense # 22022", "Jane Doe, MD License # 22022",
     "Jane Doe, MS, PA License # 22022", "Virginia Satir, License # 22022",
     "Dr. Keisha Washington, License # 22022", "10000 Washington Blvd, License # 22022",
     "4000 Vermont Ave \u00b7 License # 22022", "Nevada City \u00b7 License # 22022",
     "CALL OR TEXT \u00b7 License # 22022",
     "Licensed in Texas and California. California License # 22022",
     "Texas" + "." * 120 + "License # 22022", "Texas License # 2015"],
)
def test_number_without_a_type_and_no_other_state_stays_untyped(text: str) -> None:
    hits = find_licenses(text)
    assert [(h["normalized"], h["kind"], h["confidence"]) for h in hits] == [
        (hits[0]["normalized"], "untyped", "low")]
    assert hits[0]["normalized"] in ("22022", "2015")
    assert footer_licenses(text) == []


def test_untyped_license_is_exactly_as_before() -> None:
    (hit,) = find_licenses("License # 22022")
    assert hit == {"start": 0, "end": 15, "raw": "License # 22022", "normalized": "22022",
                   "confidence": "low", "kind": "untyped"}


@pytest.mark.parametrize(
    "text, expected",
    [("Dallas, Texas. License # 12345", "TX 12345"),  # the state just before
     ("License # 12345, Seattle, Washington", "WA 12345"),  # on its line, after it
     ("Washington, DC License # 12345", "DC 12345"),
     ("Washington State License # 12345", "WA 12345"),
     ("Texas\nLicense # 12345", "TX 12345"),  # the next line, close by
     ("License # 12345 (New York); licensed in California too", "NY 12345")],  # the nearest
)
def test_the_state_nearby(text: str, expected: str) -> None:
    assert typed(text) == [expected]


# ------------------------------------------------------------------ fast scans

# The new regexes run only where _PREFIX_GATE (or, for AHPRA, ten digits) says a match can
# start: they must give exactly what finditer over the whole text gives.
STATE_FRAGMENTS = [
    *(text for text, _ in FIXTURE_LINES), "LPC", "lpc", "LPC-S", "LPC-", "-S", "LMHC", "LICSW",
    "LCPC", "LCSW", "LMFT", "LMFT-S", "lcsw-s", "(LPC)", ")", "(", "Psychologist",
    "psychologist", "PSYCHOLOGIST", "Psychologists", "MH", "SW", "PY", "LH", "LW", "mh", "Py",
    "PSY", "MED", "AHPRA", "0001717545", "60123456", "180.012345", "149.", "012345", ".", "#",
    " ", "  ", "\n", "-", ",", "No.", "License", "Lic", "Reg", "Registration", "12345", "2020",
    "001234", "Texas", "TX", "Massachusetts", "New York", "NY", "CA", "\u00a0", "\u2014", "\u00e9",
    "1234 Main St", "Dallas, TX 75201", "(214) 555-0142", "9", "x", "\u0131", "\u0663\u0661\u0660",
]


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def _assert_fast_scan_matches(text: str) -> None:
    fast, plain = nap._license_matches(text), nap._license_matches(text, fast=False)
    for f, p in zip(fast, plain, strict=True):
        assert _spans(f) == _spans(p)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(STATE_FRAGMENTS), st.text(max_size=5)), max_size=30))
def test_fast_scans_give_the_finditer_matches(parts: list[str]) -> None:
    _assert_fast_scan_matches("".join(parts))


@pytest.mark.parametrize(
    "text",
    [*(text for text, _ in FIXTURE_LINES), "PSY0001717545PSY0001717545 MED0001234567",
     "x" * 50 + "\n" + "LPC 12345\n" + "y" * 50 + "\nMH12345", "Psychologist\n12345",
     "Licensed Psychologist, License No. 12345\nLH60123456 LW 60123456 PY1234",
     "\u00e9LPC 12345 \u00e9MH 12345 \u00e9PSY0001717545", "LCSW-S 12345 LMFT 149.012345",
     "psychologist " * 40 + "12345"],
)
def test_fast_scan_edge_cases(text: str) -> None:
    _assert_fast_scan_matches(text)


def test_every_new_regex_finds_its_match() -> None:
    text = ("Texas Licensed Psychologist #34567 \u00b7 LPC 76543 \u00b7 MH12345 \u00b7 "
            "PSY0001717545 \u00b7 License # 22022")
    found = [_spans(it) for it in nap._license_matches(text)]
    assert all(len(found[i]) == 1 for i in (2, 3, 4, 5, 6))  # numonly, US, code, psych, AHPRA


# ------------------------------------------------------------------ judge()

def _license_fact(value: str, zone: str = "footer", url: str = "https://example.com/about/",
                  role: str = "high") -> dict:
    return {"field": "license", "normalized": value, "zone": zone, "url": url, "role": role,
            "source": "text"}


def _record(license_: str) -> dict:
    return {"license": {"value": license_, "inferred": False}}


@pytest.mark.parametrize(
    "page, practice, verdict",
    [
        # a wrong number of the same type in the footer
        ("LPC 76544", "LPC 76543", "mismatch"), ("LMHC 10243", "LMHC 10234", "mismatch"),
        ("PSYCHOLOGIST 34568", "PSYCHOLOGIST 34567", "mismatch"),
        ("MH 12346", "MH 12345", "mismatch"),
        ("AHPRA PSY0001717546", "AHPRA PSY0001717545", "mismatch"),
        # the same license
        ("LPC 76543", normalize_license("LPC-S 76543"), "match"),
        ("LMHC 10234", "LMHC 10234", "match"),
        # another type: another clinician's license, never a mismatch
        ("AHPRA PSY0001717545", "PSY 22022", "other"),
        ("AHPRA PSY0001717545", "LPC 76543", "other"),
        ("PSY 22022", "AHPRA PSY0001717545", "other"),
        ("AHPRA MED0001234567", "AHPRA PSY0001717545", "other"),
        ("MH 12345", "LMHC 10234", "other"), ("LMHC 10234", "LICSW 10234", "other"),
        # a type naming no board (a state's, a psychologist's): the number says whether it
        # is the practice's, never that it is wrong
        ("TX 76543", "LPC 76543", "match"), ("LPC 76543", "TX 76543", "match"),
        ("TX 76544", "LPC 76543", "other"), ("TX 76544", "TX 76543", "mismatch"),
        ("PSYCHOLOGIST 22022", "PSY 22022", "match"), ("PSY 22022", "PSYCHOLOGIST 22022", "match"),
        ("PSYCHOLOGIST 22023", "PSY 22022", "other"),
    ],
)
def test_judge_license(page: str, practice: str, verdict: str) -> None:
    assert judge(_license_fact(page), _record(practice), None) == verdict


def test_judge_other_type_in_running_text_and_near_miss() -> None:
    # in the running text only a near miss of the same type is a mismatch
    record = _record("LPC 76543")
    assert judge(_license_fact("LPC 76534", zone="main"), record, None) == "mismatch"
    assert judge(_license_fact("LPC 12345", zone="main"), record, None) == "other"
    assert judge(_license_fact("AHPRA PSY0001717545", zone="main"), record, None) == "other"


def test_footer_facts_judged_against_the_profile() -> None:
    profile_license = normalize_license("Marcus Reyes, LPC-S, Texas License #76543")
    assert profile_license == "LPC 76543"
    footer = "Marcus Reyes, LPC-S, Texas LPC #76545\nAHPRA registration PSY0001717545"
    facts = footer_licenses(footer)
    verdicts = {f["normalized"]: judge(dict(f, url="https://example.com/"),
                                       _record(profile_license), None) for f in facts}
    assert verdicts == {"LPC 76545": "mismatch", "AHPRA PSY0001717545": "other"}
