"""Street addresses of practices in every US state, read from visible text (audit.nap).

Outside California a ZIP is read only with its state written directly before it, as in every
real postal address; a bare 5-digit number (a license, a price, a count) never is. California
addresses are read exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.nap import NapSources, address_key, canonical_address, compare_addresses, nap_facts
from audit.nap.addresses import _ZIP5_AT_RE, _ZIP_RE, _addresses_in_text, _five_digit_starts
from audit.nap.text import _finditer_from


def addresses(text: str, zone: str = "footer") -> list[dict]:
    """The address facts nap_facts gives for a page with this text in one zone."""
    src = NapSources(url="https://example.test/", **{f"{zone}_text": text})
    return [f for f in nap_facts(src) if f["field"] == "address"]


def normalized(text: str, zone: str = "main") -> list[str]:
    return [f["normalized"] for f in addresses(text, zone)]


# --------------------------------------------------------------------------- footers

FOOTERS = {
    "boston": ("Roslindale Family Counseling\n1208 Centre St, Suite 4\nRoslindale, MA 02131\n"
               "Phone (617) 555-0142 · Fax (617) 555-0143",
               "1208 CENTRE ST STE 4, ROSLINDALE, MA 02131"),
    "dallas": ("Cole Avenue Therapy · 2626 Cole Ave, Suite 300, Dallas, TX 75204 · "
               "(214) 555-0187",
               "2626 COLE AVE STE 300, DALLAS, TX 75204"),
    "new_york": ("Midtown Psychotherapy\n350 Fifth Avenue, 21st Floor\nNew York, NY 10118\n"
                 "© 2025 Midtown Psychotherapy PLLC",
                 "350 5TH AVE FL 21, NEW YORK, NY 10118"),
    "chicago": ("Visit us: 233 S. Wacker Drive, Suite 8400, Chicago, Illinois 60606",
                "233 S WACKER DR STE 8400, CHICAGO, IL 60606"),
    "seattle": ("Olive Way Counseling\n1100 Olive Way Ste 1500\nSeattle, WA 98101-1827\n"
                "Open Monday to Friday",
                "1100 OLIVE WAY STE 1500, SEATTLE, WA 98101-1827"),
    "miami": ("Brickell Wellness — 1428 Brickell Avenue, Suite 600, Miami, FL 33131. "
              "Se habla español.",
              "1428 BRICKELL AVE STE 600, MIAMI, FL 33131"),
}


@pytest.mark.parametrize("city", sorted(FOOTERS))
def test_footer_address_outside_california_is_read_and_canonical(city: str) -> None:
    footer, expected = FOOTERS[city]
    (fact,) = addresses(footer)
    assert (fact["source"], fact["zone"], fact["normalized"]) == ("text", "footer", expected)
    # the raw text is the address itself: from the house number to the ZIP
    assert fact["raw"].split()[0] == expected.split()[0]
    assert re.search(r"\d{5}(?:-\d{4})?$", fact["raw"])


def test_address_in_main_text_is_read_too() -> None:
    text = ("Our office is at 4238 Washington St, Suite 2, Roslindale, MA 02131, a short walk "
            "from the commuter rail. Parking is free.")
    assert normalized(text) == ["4238 WASHINGTON ST STE 2, ROSLINDALE, MA 02131"]


# --------------------------------------------------------------------------- one address

def test_state_written_out_or_abbreviated_is_the_same_address() -> None:
    spelled = normalized("2626 Cole Ave, Suite 300, Dallas, Texas 75204")
    short = normalized("2626 Cole Ave, Suite 300, Dallas, TX 75204")
    assert spelled == short == ["2626 COLE AVE STE 300, DALLAS, TX 75204"]
    assert compare_addresses("2626 Cole Ave, Suite 300, Dallas, Texas 75204",
                             "2626 Cole Avenue Ste. 300, Dallas, TX 75204") == "match"


def test_zip4_and_zip5_are_no_mismatch() -> None:
    (plus4,) = addresses("1100 Olive Way, Suite 1500, Seattle, WA 98101-1827")
    (zip5,) = addresses("1100 Olive Way, Suite 1500, Seattle, WA 98101")
    assert compare_addresses(plus4["raw"], zip5["raw"]) == "match"
    assert address_key(plus4["raw"]) == address_key(zip5["raw"]) == (
        "1100", "", "OLIVE", "WAY", "1500", "98101")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1208 Centre St, Roslindale, Mass. 02131", "1208 CENTRE ST, ROSLINDALE, MA 02131"),
     ("100 Broadway, New York, N.Y. 10005", "100 BROADWAY, NEW YORK, NY 10005"),
     ("1600 Pennsylvania Ave NW, Washington, D.C. 20500",
      "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500"),
     ("1600 Pennsylvania Ave NW, Washington, DC 20500",
      "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500"),
     ("1 Main St, Washington, District of Columbia 20001", "1 MAIN ST, WASHINGTON, DC 20001"),
     ("405 Capitol St, Charleston, West Virginia 25301", "405 CAPITOL ST, CHARLESTON, WV 25301"),
     ("1 Avenue of the Americas, New York, NY 10020",
      "1 AVE OF THE AMERICAS, NEW YORK, NY 10020"),
     # 9xxxx ZIPs of other states: the state before them says they are not California's
     ("1500 Ala Moana Blvd, Honolulu, HI 96814", "1500 ALA MOANA BLVD, HONOLULU, HI 96814"),
     ("1211 SW 5th Ave, Portland, OR 97204", "1211 SW 5TH AVE, PORTLAND, OR 97204"),
     # El Paso's 885xx ZIPs are Texas's too
     ("100 N Stanton St, El Paso, TX 88510", "100 N STANTON ST, EL PASO, TX 88510"),
     ("1100 Olive Way, Seattle,WA 98101", "1100 OLIVE WAY, SEATTLE, WA 98101")],
)
def test_state_spellings_give_the_usps_code(text: str, expected: str) -> None:
    assert normalized(text) == [expected]
    assert canonical_address(text) == expected


def test_text_address_compares_with_the_schema_address() -> None:
    (fact,) = addresses(FOOTERS["dallas"][0])
    schema = {"@type": "PostalAddress", "streetAddress": "2626 Cole Avenue, Ste 300",
              "addressLocality": "Dallas", "addressRegion": "Texas", "postalCode": "75204"}
    assert compare_addresses(fact["raw"], schema) == "match"
    moved = dict(schema, streetAddress="2626 Cole Avenue, Ste 310")
    assert compare_addresses(fact["raw"], moved) == "mismatch"


# --------------------------------------------------------------------------- look-alikes

@pytest.mark.parametrize(
    "text",
    [
        "Call (214) 555-0187 or text 214.555.0199, fax 214-555-0100 ext. 75204",
        "Jane Doe, MA, LPC 75204",
        "Licensed Professional Counselor, Texas LPC #75204",
        "Licensed in TX 75204 and OK 74103",
        "Serving clients since 1998 in 20 states",
        "In practice 2010-2024 and 1998–2024 in Dallas, TX",
        "Individual sessions $150, couples $175 (intake code 75204)",
        "We charge $150 for 50 minutes in 75204",
        "1208 Centre St 02131",  # no state before a ZIP outside California
        "1208 Centre St, Roslindale 02131",
        "2626 Cole Ave, Suite 300, Dallas 75204",
        "2626 Cole Ave, Dallas, MA 75204",  # a Texas ZIP cannot be in Massachusetts
        "2626 Cole Ave, Dallas, tx 75204",  # USPS codes are capitals: "in", "or" are words
        "2626 Cole Ave, Suite 300 in 75204",
        "12 clinicians in Dallas, TX 75204",  # prose the tagger would read as a street
        "We have 3 offices in Austin, TX 78701 and 2 in Houston, TX 77002",
        "2626 Cole Ave, Suite 300. Licensed in TX 75204",
        "Ticket 2626 Cole 5TX 75204",
    ],
)
def test_look_alikes_are_no_address(text: str) -> None:
    assert addresses(text, "main") == []
    assert _addresses_in_text(text) == []


@pytest.mark.parametrize(
    "text", ["PO Box 123, Boston, MA 02131", "P.O. Box 4521, Dallas, TX 75204",
             "PO Box 123, Los Angeles, CA 90001"],
)
def test_po_box_without_a_street_is_skipped_as_in_california(text: str) -> None:
    assert addresses(text, "main") == []


def test_two_addresses_in_one_text_give_both_in_text_order() -> None:
    text = ("Two offices: 1208 Centre St, Suite 4, Roslindale, MA 02131 and "
            "2626 Cole Ave, Suite 300, Dallas, TX 75204. Call (617) 555-0142.")
    assert normalized(text) == ["1208 CENTRE ST STE 4, ROSLINDALE, MA 02131",
                                "2626 COLE AVE STE 300, DALLAS, TX 75204"]


def test_california_and_another_state_in_one_text_give_both() -> None:
    text = ("Boston office\n1208 Centre St, Roslindale, MA 02131\n\nLos Angeles office\n"
            "9454 Wilshire Blvd, Suite 201\nBeverly Hills, CA 90212\n(310) 999-4996")
    assert normalized(text) == ["1208 CENTRE ST, ROSLINDALE, MA 02131",
                                "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"]


# --------------------------------------------------------------------------- California

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Blair Wellness Group\nOpen 7 days a week.\n9454 Wilshire Blvd, Suite 201\n"
      "Beverly Hills, CA 90212\nPhone (310) 999-4996",
      ["9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"]),
     ("Jane Doe, LMFT\n3140 Sunset Blvd\nLos Angeles, CA 90026",
      ["3140 SUNSET BLVD, LOS ANGELES, CA 90026"]),
     # a California ZIP needs no state before it, as before
     ("9454 Wilshire Blvd, Beverly Hills 90212", ["9454 WILSHIRE BLVD, BEVERLY HILLS, 90212"]),
     ("9454 Wilshire Boulevard, Suite #201, Beverly Hills, California 90212-1234",
      ["9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212-1234"]),
     ("We saw 272 patients in 2020 in Los Angeles 90025.", []),
     ("Call 310-999-4996 about Beverly Hills, CA 90212", []),
     ("License PSY 22022. Our ZIP is 90025.", [])],
)
def test_california_text_addresses_are_read_as_before(text: str, expected: list[str]) -> None:
    assert normalized(text) == expected


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


ZIP_FRAGMENTS = [
    "90212", "90212-1234", "-90212", "190212", "75204", "02131", "0213", "123456", "9", "0",
    "1", "-", "?", " ", "\n", ",", "CA ", "TX ", "MA, ", "\u0663", "\u0669\u0660", "\u00e9",
    "\u00a0", "\ud800", "Suite 201 ", "Dallas, ", "(214) 555-0187",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(ZIP_FRAGMENTS), st.text(max_size=4)), max_size=30))
def test_five_digit_scan_gives_the_finditer_matches(parts: list[str]) -> None:
    # The ZIP readers run only at the offsets the digit-mark scan gives; they must find
    # exactly what the plain regexes find, so California behaviour cannot drift.
    text = "".join(parts)
    starts = _five_digit_starts(text)
    assert _spans(_finditer_from(_ZIP_RE, text, starts)) == _spans(_ZIP_RE.finditer(text))
    assert _spans(_finditer_from(_ZIP5_AT_RE, text, starts)) == _spans(
        _ZIP5_AT_RE.finditer(text))
