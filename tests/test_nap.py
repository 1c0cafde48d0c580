"""audit.nap: every extractor finds what it must and leaves the look-alikes alone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import nap
from audit.nap import (
    LOCAL_BUSINESS_TYPES,
    NapSources,
    address_key,
    canonical_address,
    compare_addresses,
    find_licenses,
    is_local_business,
    missing_required,
    names_match,
    nap_facts,
    normalize_license,
    normalize_name,
    normalize_phone,
    parse_jsonld_blocks,
    phone_role,
    walk_nodes,
)

MAIN = "+13109994996"
# A copy of shared/seeds/: the real page of the kind of site we audit.
SEED_DIR = Path(__file__).parent / "html"
SEED_TITLE = "Dr. Cassidy Blair, Psy.D. Licensed Clinical Psychologist | PSY 22022"


def facts_of(field: str, facts: list[dict], **match: str) -> list[dict]:
    return [f for f in facts if f["field"] == field and all(f[k] == v for k, v in match.items())]


def page(**kw) -> NapSources:
    kw.setdefault("url", "https://example.test/")
    return NapSources(**kw)


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "written",
    ["310-999-4996", "(310) 999-4996", "310.999.4996", "+1 310 999 4996", "3109994996",
     "+1 (310) 999-4996", "tel:+13109994996", "tel:+1-310-999-4996"],
)
def test_phone_written_many_ways_is_one_number(written: str) -> None:
    assert normalize_phone(written) == MAIN


def test_phone_extension_kept_after_e164() -> None:
    assert normalize_phone("310 999 4996 ext. 3") == MAIN + ";ext=3"
    assert normalize_phone("tel:+1-310-999-4996;ext=3") == MAIN + ";ext=3"


@pytest.mark.parametrize("junk", ["", "   ", "Call us", "555-1234", "tel:"])
def test_phone_unparseable_is_none(junk: str) -> None:
    assert normalize_phone(junk) is None


def test_short_codes_have_no_e164_and_stay_digits() -> None:
    assert normalize_phone("tel:988") == "988"
    assert normalize_phone("911") == "911"


def test_six_written_forms_in_text_and_tel_link_agree() -> None:
    text = ("Call 310-999-4996 or (310) 999-4996, 310.999.4996, +1 310 999 4996, 3109994996 "
            "or 310 999 4996 ext. 3.")
    facts = nap_facts(page(main_text=text, tel_links=[("tel:+13109994996", "310-999-4996")]))
    phones = facts_of("phone", facts)
    assert len(phones) == 7
    assert {f["normalized"].split(";")[0] for f in phones} == {MAIN}
    assert {f["role"] for f in phones} == {"business"}
    assert facts_of("phone", facts, raw="310 999 4996 ext. 3")[0]["normalized"] == MAIN + ";ext=3"


@pytest.mark.parametrize(
    "text, raw",
    [("If you are in crisis, call or text 988.", "988"),
     ("988 Suicide & Crisis Lifeline", "988"),
     ("In an emergency, call 911 right away.", "911"),
     ("National Suicide Prevention Lifeline: 1-800-273-8255", "1-800-273-8255"),
     ("L.A. County help line 800-854-7771", "800-854-7771")],
)
def test_crisis_lines_get_role_crisis(text: str, raw: str) -> None:
    phones = facts_of("phone", nap_facts(page(main_text=text)))
    assert [(f["raw"], f["role"]) for f in phones] == [(raw, "crisis")]


@pytest.mark.parametrize(
    "text",
    ["Suite 911, Beverly Hills", "Remembering 9/11 today", "We saw 988 clients last year",
     "Room 211 on the second floor", "PSY 22022", "2010-2024", "ZIP 90025-1234",
     "Psy.D. 2004"],
)
def test_short_code_and_phone_look_alikes_are_not_phones(text: str) -> None:
    assert facts_of("phone", nap_facts(page(main_text=text))) == []


def test_fax_tollfree_and_business_roles() -> None:
    text = "Phone: (310) 999-4996 Fax: (310) 999-4997 Toll-free: 1-877-555-0100"
    roles = {f["raw"]: f["role"] for f in facts_of("phone", nap_facts(page(footer_text=text)))}
    assert roles == {"(310) 999-4996": "business", "(310) 999-4997": "fax",
                     "1-877-555-0100": "tollfree"}


def test_fax_label_after_number_and_f_colon() -> None:
    assert phone_role("+13109994997", "", " (fax)") == "fax"
    assert phone_role("+13109994997", "P: 310-999-4996 F: ", "") == "fax"
    assert phone_role("+13109994996", "Office ", "") == "business"


def test_tel_link_carries_anchor_number_to_catch_mismatch() -> None:
    facts = nap_facts(page(
        footer_text="Call (310) 999-4996",
        tel_links=[("tel:+13109990000", "(310) 999-4996"), ("tel:+13109994996", "Call us"),
                   ("tel:988", "988")],
    ))
    tels = facts_of("phone", facts, source="tel")
    assert [(t["normalized"], t["anchor_normalized"]) for t in tels] == [
        ("+13109990000", MAIN), (MAIN, ""), ("988", "988")]
    assert tels[0]["zone"] == "footer"
    assert tels[2]["role"] == "crisis"


def test_tel_link_explicit_zone_and_unparseable_href() -> None:
    facts = nap_facts(page(tel_links=[("tel:123", "123", "header")]))  # type: ignore[list-item]
    (tel,) = facts_of("phone", facts, source="tel")
    assert tel["zone"] == "header" and tel["normalized"] == "" and tel["raw"] == "tel:123"


# --------------------------------------------------------------------------- licenses

LICENSE_VARIANTS = [
    "PSY 22022", "PSY22022", "Psy 22022", "PSY# 22022", "PSY-22022", "License #PSY 22022",
    "Lic. PSY-22022", "CA License No. PSY22022.", "PSY\u00a022022",
    "Licensed Clinical Psychologist | PSY 22022",
    "Dr. Cassidy Blair, Psy.D., PSY 22022, 310-999-4996",
]


@pytest.mark.parametrize("written", LICENSE_VARIANTS)
def test_license_variants_normalise_to_one(written: str) -> None:
    assert normalize_license(written) == "PSY 22022"
    hits = [h for h in find_licenses(written) if h["kind"] != "untyped"]
    assert [(h["normalized"], h["confidence"]) for h in hits] == [("PSY 22022", "high")]


@pytest.mark.parametrize(
    "written, expected",
    [("MFT, Lic. No. 99999", "MFT 99999"), ("LMFT, License #119841", "LMFT 119841"),
     ("LMFT #119841", "LMFT 119841"), ("LCSW\u00a012345", "LCSW 12345"),
     ("20A12345", "20A 12345"), ("Medical License A123456", "A 123456"),
     ("Lic. G12345", "G 12345"), ("Certificate No. C 54321", "C 54321")],
)
def test_other_license_types(written: str, expected: str) -> None:
    assert normalize_license(written) == expected


def test_two_licenses_in_one_sentence() -> None:
    hits = find_licenses("AMFT 123456 supervised by LMFT 54321")
    assert [h["normalized"] for h in hits] == ["AMFT 123456", "LMFT 54321"]


@pytest.mark.parametrize(
    "text",
    ["Psy.D.", "PsyD", "Ph.D.", "Dr. Cassidy Blair, Psy.D.", "Psy.D. 2004", "PSYCHOLOGY 101",
     "MFT, 310-999-4996", "LMFT 310 999 4996", "form PSB 100 (rev. 10/16)", "PSY 22,022",
     "Suite 200, Los Angeles, CA 90025", "A 90025", "Type A licensee", "vitamin A12345"],
)
def test_license_look_alikes_give_nothing(text: str) -> None:
    assert normalize_license(text) is None
    assert [h for h in find_licenses(text) if h["kind"] != "untyped"] == []


@pytest.mark.parametrize(
    "text", ["PSY 220: Developmental Psychology", "PSY 2012 Intro to Psychology"]
)
def test_course_codes_are_low_confidence(text: str) -> None:
    (hit,) = find_licenses(text)
    assert hit["confidence"] == "low"
    (fact,) = facts_of("license", nap_facts(page(main_text=text)))
    assert fact["role"] == "low"


def test_number_without_license_type_is_untyped_and_not_a_fact() -> None:
    (hit,) = find_licenses("License # 22022")
    assert hit["kind"] == "untyped" and hit["normalized"] == "22022"
    assert facts_of("license", nap_facts(page(main_text="License # 22022"))) == []


# A license type and its number are on one line, and a street number, suite number, ZIP code
# or phone number is never a license number (a contact card read "Jane Doe, LMFT" above
# "3140 Sunset Blvd" and was reported as license "LMFT 3140").
@pytest.mark.parametrize(
    "text",
    ["Jane Doe, LMFT\n3140 Sunset Blvd", "Jane Doe, LMFT\n#54321", "Jane Doe, PSY\n90025",
     "Jane Doe, LCSW\nSuite 200", "Medical License\nA 12345", "License #\n22022",
     "LMFT\r54321", "LMFT\u2028#54321",
     "LMFT 3140 Sunset Blvd", "LMFT, 12345 Ventura Blvd, Suite 200", "LMFT\u00a03140 SUNSET BLVD",
     "LMFT 12345 Santa Monica Blvd.", "LMFT 3140 West Sunset Boulevard", "LMFT 3140 W. Sunset",
     "LMFT 1234 W 3rd St", "License No. A 1234 Main St",
     "License # 3140 Sunset Blvd",
     "LCSW Suite 200", "LMFT, Ste. 200", "LMFT Unit 2000",
     "Jane Doe, PSY 90025\nLos Angeles, CA 90025", "PSY 90025 \u00b7 Los Angeles, California 90025",
     "LCSW 999-4996", "LMFT, (310) 999-4996", "LMFT 310.999.4996"],
)
def test_address_and_next_line_look_alikes_are_no_license(text: str) -> None:
    assert normalize_license(text) is None
    assert find_licenses(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [("PSY 22022", ["PSY 22022"]), ("LMFT #119841", ["LMFT 119841"]),
     ("License #PSY 22022", ["PSY 22022"]),
     ("Licensed Clinical Psychologist | PSY 22022", ["PSY 22022"]),
     ("AMFT 123456 supervised by LMFT 54321", ["AMFT 123456", "LMFT 54321"]),
     ("MFT, Lic. No. 99999", ["MFT 99999"]),
     ("LMFT 54321 \u00b7 3140 Sunset Blvd", ["LMFT 54321"]),
     ("LMFT 54321, 3140 Sunset Blvd", ["LMFT 54321"]),
     ("Jane Doe, LMFT 54321\n3140 Sunset Blvd\nLos Angeles, CA 90025", ["LMFT 54321"]),
     ("Medical\nLicense A12345", ["A 12345"]),
     # a town after the number is no street, in the gazetteer or not
     ("LMFT 54321 Beverly Hills", ["LMFT 54321"]), ("PSY 22022 W. Hollywood", ["PSY 22022"]),
     ("LMFT 54321 North Hollywood", ["LMFT 54321"]), ("LMFT 54321 Palm Springs", ["LMFT 54321"]),
     # nor is a practice's name
     ("LMFT 54321 Westside Counseling Center", ["LMFT 54321"]),
     # a ZIP-shaped number is a ZIP only when the text gives it after the state
     ("PSY 90025", ["PSY 90025"]), ("LMFT 90025\nLos Angeles, CA 90026", ["LMFT 90025"])],
)
def test_license_beside_an_address_is_still_read(text: str, expected: list[str]) -> None:
    assert [h["normalized"] for h in find_licenses(text) if h["kind"] != "untyped"] == expected


def test_contact_card_gives_the_address_and_no_license() -> None:
    card = "Jane Doe, LMFT\n3140 Sunset Blvd\nLos Angeles, CA 90026"
    facts = nap_facts(page(main_text=card, footer_text=card))
    assert facts_of("license", facts) == []
    assert {f["normalized"] for f in facts_of("address", facts)} == {
        "3140 SUNSET BLVD, LOS ANGELES, CA 90026"}


# --------------------------------------------------------------------------- addresses

OFFICE = "9454 Wilshire Blvd, Ste. 201, Beverly Hills, CA 90212"


@pytest.mark.parametrize(
    "other",
    ["9454 Wilshire Boulevard, Suite #201, Beverly Hills, California 90212-1234",
     "9454 Wilshire Blvd # 201 Beverly Hills CA 90212",
     "9454 Wilshire Blvd., Suite 201, Los Angeles, CA 90212",  # city is a soft field
     "9454 Wilshire Blvd, Beverly Hills, CA 90212",  # suite missing on one side: no conflict
     {"@type": "PostalAddress", "streetAddress": "9454 Wilshire Blvd Suite 201",
      "addressLocality": "Beverly Hills", "addressRegion": "CA", "postalCode": "90212"}],
)
def test_address_style_variants_match(other: str | dict) -> None:
    assert compare_addresses(OFFICE, other) == "match"


@pytest.mark.parametrize(
    "other",
    ["9454 Wilshire Blvd, Suite 202, Beverly Hills, CA 90212",
     "9454 Wilshire Blvd, Suite 201, Beverly Hills, CA 90211",
     "9455 Wilshire Blvd, Suite 201, Beverly Hills, CA 90212",
     "9454 Olympic Blvd, Suite 201, Beverly Hills, CA 90212"],
)
def test_different_suite_zip_number_or_street_is_mismatch(other: str) -> None:
    assert compare_addresses(OFFICE, other) == "mismatch"


def test_boulevard_spelled_out_matches() -> None:
    assert compare_addresses("9454 Wilshire Boulevard", "9454 Wilshire Blvd") == "match"


@pytest.mark.parametrize(
    "bad", ["Beverly Hills, CA", "", None, "PO Box 123, Los Angeles, CA 90001"]
)
def test_unparseable_address_is_unknown_never_mismatch(bad: str | None) -> None:
    assert address_key(bad) is None
    assert compare_addresses(OFFICE, bad) == "unknown"


def test_address_key_folds_designators() -> None:
    keys = {address_key(a) for a in (
        "9454 Wilshire Blvd Ste. 201, Beverly Hills, CA 90212",
        "9454 Wilshire Blvd Suite #201, Beverly Hills, CA 90212",
        "9454 Wilshire Blvd # 201, Beverly Hills, CA 90212",
        "9454 Wilshire Blvd Unit 201, Beverly Hills, CA 90212")}
    assert keys == {("9454", "", "WILSHIRE", "BLVD", "201", "90212")}
    assert address_key("11600 West Olympic Blvd., 2nd Floor, Los Angeles, CA 90064") == (
        "11600", "W", "OLYMPIC", "BLVD", "FL 2", "90064")


def test_canonical_address_is_usps_style() -> None:
    assert canonical_address("9454 Wilshire Boulevard, Suite #201, Beverly Hills, California "
                             "90212") == "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"


def test_footer_address_found_and_false_windows_skipped() -> None:
    footer = ("Blair Wellness Group\nOpen 7 days a week.\n9454 Wilshire Blvd, Suite 201\n"
              "Beverly Hills, CA 90212\nPhone (310) 999-4996")
    (addr,) = facts_of("address", nap_facts(page(footer_text=footer)))
    assert addr["zone"] == "footer" and addr["source"] == "text"
    assert addr["normalized"] == "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"


@pytest.mark.parametrize(
    "text",
    ["We saw 272 patients in 2020 in Los Angeles 90025.", "Our ZIP is 90025.",
     "Call 310-999-4996 about Beverly Hills, CA 90212"],
)
def test_no_address_from_numbers_near_a_zip(text: str) -> None:
    assert facts_of("address", nap_facts(page(main_text=text))) == []


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "a", ["BLAIR WELLNESS GROUP", "Blair Wellness Group, Inc.", "Blair Wellness Group LLC",
          "Blair Wellness Group\u2122", "The Blair Wellness Group",
          "Blair Wellness Group, A Psychological Corporation", "  blair  wellness group  "],
)
def test_name_variants_match(a: str) -> None:
    assert names_match(a, "Blair Wellness Group")


@pytest.mark.parametrize("a", ["Blair Wellness Center", "Blair Therapy Group", "", "Inc."])
def test_different_names_do_not_match(a: str) -> None:
    assert not names_match(a, "Blair Wellness Group")


def test_normalize_name_drops_honorifics_and_credentials() -> None:
    assert normalize_name("Dr. Cassidy Blair, Psy.D.") == "cassidy blair"
    assert names_match("Dr. Cassidy Blair, Psy.D.", "Cassidy Blair, PsyD")
    assert normalize_name("James & Sons") == normalize_name("James and Sons") == "james and sons"


@pytest.mark.parametrize(
    "title, expected",
    [("About | Blair Wellness Group", "Blair Wellness Group"),
     ("Home \u2013 Blair Wellness Group", "Blair Wellness Group"),
     ("Anxiety Therapy - Blair Wellness Group", "Blair Wellness Group"),
     (SEED_TITLE, None),
     ("Anxiety Therapy | Los Angeles", None),
     ("Therapy - Beverly Hills, CA", None),
     ("Contact | (310) 999-4996", None),
     ("Blair Wellness Group", None),
     ("Blair Wellness Group | Blog", None)],
)
def test_name_from_title_suffix(title: str, expected: str | None) -> None:
    names = facts_of("name", nap_facts(page(title=title)), source="title")
    assert [n["normalized"] for n in names] == ([expected] if expected else [])


@pytest.mark.parametrize(
    "footer, expected",
    [("\u00a9 2024 Blair Wellness Group. All rights reserved", "Blair Wellness Group"),
     ("Copyright \u00a9 2019-2024 Blair Wellness Group, Inc. All Rights Reserved | Privacy",
      "Blair Wellness Group, Inc."),
     ("(c) Blair Wellness Group 2024", "Blair Wellness Group"),
     ("\u00a92024 Blair Wellness Group | Powered by WordPress", "Blair Wellness Group"),
     ("Copyright laws protect creative work.", None),
     ("\u00a9 2024", None)],
)
def test_name_from_copyright_line(footer: str, expected: str | None) -> None:
    names = facts_of("name", nap_facts(page(footer_text=footer)), source="copyright")
    assert [n["normalized"] for n in names] == ([expected] if expected else [])


def test_og_site_name_is_a_name_fact() -> None:
    (fact,) = facts_of("name", nap_facts(page(og_site_name=" Blair Wellness Group ")))
    assert (fact["source"], fact["zone"], fact["normalized"]) == ("og", "head",
                                                                  "Blair Wellness Group")


# --------------------------------------------------------------------------- schema.org

BUSINESS = {
    "@context": "https://schema.org",
    "@type": ["Psychologist", "MedicalBusiness"],
    "name": "Blair Wellness Group",
    "telephone": "+1-310-999-4996",
    "address": {"@type": "PostalAddress", "streetAddress": "9454 Wilshire Blvd Suite 201",
                "addressLocality": "Beverly Hills", "addressRegion": "CA",
                "postalCode": "90212"},
}


def test_malformed_block_never_hides_the_good_one() -> None:
    bad = '{"@context": "https://schema.org", "@type": "LocalBusiness" "name": "Other"}'
    nodes, errors = parse_jsonld_blocks([bad, json.dumps(BUSINESS)])
    assert [e["block"] for e in errors] == [0] and errors[0]["error"]
    assert [n["name"] for n in nodes] == ["Blair Wellness Group"]
    facts = nap_facts(page(jsonld_blocks=[bad, json.dumps(BUSINESS)]))
    schema = [f for f in facts if f["source"] == "jsonld"]
    assert {(f["field"], f["normalized"]) for f in schema} == {
        ("name", "Blair Wellness Group"), ("phone", MAIN),
        ("address", "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212")}
    assert {f["role"] for f in schema if f["field"] == "phone"} == {"business"}
    assert all(f["zone"] == "schema" and f["block"] == 1 for f in schema)


def test_lenient_json_is_parsed_and_marked() -> None:
    block = '{"@type": "Organization", // the practice\n "name": "Blair Wellness Group",}'
    nodes, errors = parse_jsonld_blocks([block, "  ", "[]"])
    assert [n["name"] for n in nodes] == ["Blair Wellness Group"]
    assert nodes[0]["_nonstrict"] is True
    assert [e["block"] for e in errors] == [1, 2]


def test_cdata_wrapped_block() -> None:
    nodes, errors = parse_jsonld_blocks(["/*<![CDATA[*/" + json.dumps(BUSINESS) + "/*]]>*/"])
    assert errors == [] and nodes[0]["name"] == "Blair Wellness Group"


def test_graph_flattening_references_and_credentials() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "#site", "name": "Blair Blog"},
        {"@type": "MedicalBusiness", "@id": "#biz", "name": "Blair Wellness Group",
         "address": {"@id": "#addr"}, "employee": {"@id": "#cb"}},
        {"@type": "PostalAddress", "@id": "#addr", "streetAddress": "9454 Wilshire Blvd #201",
         "addressLocality": "Beverly Hills", "postalCode": "90212"},
        {"@type": "Person", "@id": "#cb", "name": "Cassidy Blair",
         "hasCredential": {"@type": "EducationalOccupationalCredential",
                           "identifier": {"@type": "PropertyValue", "value": "PSY22022"}}},
    ]}
    nodes, errors = parse_jsonld_blocks([json.dumps(graph)])
    assert errors == []
    assert [n["@type"] for n in nodes] == ["WebSite", "MedicalBusiness", "PostalAddress", "Person"]
    facts = nap_facts(page(jsonld_blocks=[json.dumps(graph)]))
    assert [f["normalized"] for f in facts_of("license", facts)] == ["PSY 22022"]
    assert [f["normalized"] for f in facts_of("address", facts)] == [
        "9454 WILSHIRE BLVD # 201, BEVERLY HILLS, 90212"]
    # WebSite and Person names are not business names
    assert [f["normalized"] for f in facts_of("name", facts)] == ["Blair Wellness Group"]


def test_nested_business_is_walked() -> None:
    nodes, _ = parse_jsonld_blocks([json.dumps(
        {"@context": "https://schema.org", "@type": "WebPage", "about": BUSINESS})])
    assert [n for n in walk_nodes(nodes) if is_local_business(n)][0]["name"] == (
        "Blair Wellness Group")


def test_local_business_types_and_required_properties() -> None:
    assert {"LocalBusiness", "MedicalBusiness", "MedicalClinic", "Physician", "Dentist",
            "Optician", "Psychiatric", "MedicalOrganization"} <= LOCAL_BUSINESS_TYPES
    assert is_local_business({"@type": ["Psychologist", "MedicalBusiness"]})
    assert is_local_business({"@type": "https://schema.org/Dentist"})
    assert not is_local_business({"@type": "WebSite"})
    assert not is_local_business({"@type": "Person"})
    assert missing_required(BUSINESS) == []
    assert missing_required({"@type": "MedicalBusiness", "name": " "}) == ["name", "address"]


def test_microdata_and_rdfa_nodes() -> None:
    micro = {"@type": "MedicalBusiness", "@context": "https://schema.org",
             "name": "Blair Wellness Group", "telephone": "310-999-4996"}
    rdfa = [
        {"@id": "https://example.test/",
         "http://www.w3.org/ns/rdfa#usesVocabulary": [{"@id": "https://schema.org/"}]},
        {"@id": "_:b0", "@type": ["https://schema.org/LocalBusiness"],
         "https://schema.org/name": [{"@value": "Blair Wellness Group"}],
         "https://schema.org/address": [{"@id": "_:b1"}]},
        {"@id": "_:b1", "@type": ["https://schema.org/PostalAddress"],
         "https://schema.org/streetAddress": [{"@value": "9454 Wilshire Blvd Ste 201"}],
         "https://schema.org/postalCode": [{"@value": "90212"}]},
    ]
    facts = nap_facts(page(schema_nodes=[micro, *rdfa]))
    got = {(f["source"], f["field"], f["normalized"]) for f in facts}
    assert got == {("microdata", "name", "Blair Wellness Group"), ("microdata", "phone", MAIN),
                   ("rdfa", "name", "Blair Wellness Group"),
                   ("rdfa", "address", "9454 WILSHIRE BLVD STE 201, 90212")}


# --------------------------------------------------------------------------- the seed page

SEED_EXCERPT = (
    "During COVID-19 pandemic, we offer in-person, telephone & virtual meetings 7 days a week.\n"
    + SEED_TITLE + "\nDiscover how it can help any professional in the Los Angeles area.\n"
    "Call us today at 310-999-4996 to discuss how Blair Wellness Group can help you overcome\n"
    "depression, anxiety, relationship issues, and other disorders."
)


def _check_seed(text: str) -> None:
    facts = nap_facts(page(title=SEED_TITLE, main_text=text))
    licenses = facts_of("license", facts)
    assert licenses and {f["normalized"] for f in licenses} == {"PSY 22022"}
    assert {f["role"] for f in licenses} == {"high"}
    phones = facts_of("phone", facts)
    assert [(f["normalized"], f["role"]) for f in phones] == [(MAIN, "business")]
    assert facts_of("name", facts, source="title") == []  # "| PSY 22022" is not a name
    assert facts_of("address", facts) == []


def test_seed_excerpt() -> None:
    _check_seed(SEED_EXCERPT)


def test_seed_pages_from_shared_folder() -> None:
    seeds = sorted(SEED_DIR.glob("seed_*.txt"))
    assert seeds, "the seed page copy is missing from tests/html"
    for path in seeds:
        _check_seed(path.read_text(encoding="utf-8"))


def test_fact_shape() -> None:
    facts = nap_facts(page(title="About | Blair Wellness Group", main_text=SEED_EXCERPT,
                           tel_links=[("tel:+13109994996", "310-999-4996")],
                           jsonld_blocks=[json.dumps(BUSINESS)]))
    base = {"field", "source", "zone", "raw", "normalized", "role", "context"}
    for f in facts:
        assert base <= set(f)
        assert f["field"] in {"name", "phone", "license", "address"}
        assert f["source"] in {"text", "tel", "jsonld", "microdata", "rdfa", "title",
                               "copyright", "og"}
        assert f["zone"] in {"header", "main", "footer", "title", "head", "schema"}
        assert len(f["context"]) <= 120
        if f["source"] == "tel":
            assert "anchor_normalized" in f


# --------------------------------------------------------------------------- fast scans
# The license, copyright, short-code and ZIP regexes run only where a match can start (found
# with str.find / bytes.find); they must give exactly what finditer over the whole text gives.

SCAN_FRAGMENTS = [
    *LICENSE_VARIANTS, "PSY", "psy", "LMFT", "lmft", "Lcsw", "LCS", "MFC", "IMF", "ASW", "LEP",
    "20A", "PSB", "PCCI", "APCC", "LPCC", "AMFT", " ", "  ", "#", ":", ".", ",", "-", "\u2013",
    "\u2014", "\n", "No", "No.", "Nos", "Number", "Lic", "Lic.", "License", "LICENCE", "Reg",
    "Registration", "22022", "2012", "123456", "22,022", "(rev", "Medical", "Certificate",
    "Cert.", "A", "C", "G", "licensed", "psychology", "publication", "\u00a9", "(c)", "(C)",
    "&copy;", "Copyright", "COPYRIGHT", "2024", "Blair Wellness Group", "All rights reserved",
    "|", "988", "911", "211", "741741", "11", "call ", "text ", "Suite ", "$", "/", "1911",
    "90212", "90212-1234", "-90212", "190212", "96001", "Beverly Hills, CA ", "(310) 999-4996",
    "\u00e9", "\u00a0", "\u0662\u0662\u0660\u0662\u0662", "\u0130", "\u0131", "\u017f", "\u212a",
    "p\u017fy", "L\u0131c", "\ud800", "_", "x", "9", "\r", "\u2028", "\x85", " Sunset Blvd",
]
_OLD_ZIP_RE = re.compile(r"(?<![\d\-])9[0-6]\d{3}(?:-\d{4})?(?!\d)")


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def _assert_fast_scans_match(text: str) -> None:
    fast, plain = nap._license_matches(text), nap._license_matches(text, fast=False)
    for f, p in zip(fast, plain, strict=True):
        assert _spans(f) == _spans(p)
    assert _spans(nap._copyright_matches(text)) == _spans(
        nap._copyright_matches(text, fast=False))
    assert _spans(nap._short_code_matches(text)) == _spans(
        nap._short_code_matches(text, fast=False))
    assert _spans(nap._ZIP_RE.finditer(text)) == _spans(_OLD_ZIP_RE.finditer(text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(SCAN_FRAGMENTS), st.text(max_size=5)), max_size=30))
def test_fast_scans_give_the_finditer_matches(parts: list[str]) -> None:
    _assert_fast_scans_match("".join(parts))


@pytest.mark.parametrize(
    "text",
    ["PSY 22022", "\u00e9PSY 22022 \u2014 Lic. No. LMFT 54321, Medical License A123456",
     "License # 22022 and licensed since 2012", "\u00a9 2024 Blair Wellness Group. All",
     "Copyright \u00a9 2024 Blair", "p\u017fy 22022", "L\u0131c. G12345", "\u212a PSY 123",
     "call 988, text HOME to 741741, or dial 211", "1911 911 #911 $988", "CA 90212-1234",
     "-90212 190212 90212", "9", "", "caf\u00e9 PSY\u00a022022 \ud800 LCSW 12345",
     "LicenseNumber 22022, LicenceNo. 12345, CertificateA 12345, Lic.#54321",
     "Jane Doe, LMFT\n3140 Sunset Blvd",
     "Medical\nLicense A12345, Lic. #\r54321\u2028PSY\x8522022"],
)
def test_fast_scan_edge_cases(text: str) -> None:
    _assert_fast_scans_match(text)


def test_ascii_lookalikes_are_all_listed() -> None:
    # The case-insensitive fast scans rely on these being the only non-ASCII characters that
    # case-insensitive regex matching treats as equal to an ASCII letter or digit.
    every_char = "".join(map(chr, range(0x110000)))
    found = {c for c in re.findall(r"(?i)[a-z0-9]", every_char) if not c.isascii()}
    assert found == set(nap._ASCII_LOOKALIKES)


def test_license_scan_on_typical_prose() -> None:
    # Speed is measured by `make bench`, not asserted: timed tests fail on a busy machine.
    prose = ("Psychodynamic therapy focuses on unconscious processes \u2014 a licensed "
             "psychologist helps you notice patterns. Sessions are weekly. ")
    text = prose * 150 + "Dr. Cassidy Blair, Psy.D., PSY 22022, (310) 999-4996"

    def run(fast: bool) -> list[list[tuple[int, int]]]:
        return [_spans(it) for it in nap._license_matches(text, fast=fast)]

    assert run(True) == run(False)


# The phone matcher runs only on the stretches of text dense enough in digits to hold a number
# (nap._phone_stretches); it must find exactly what it finds over the whole text.
PHONE_FRAGMENTS = [
    "(310) 999-4996", "310-999-4996", "310.999.4996", "+1 310 999 4996", "1-800-273-8255",
    "+44 20 7946 0958", "+43 1234", "+431234", " ext. 12", " extension 34", " EXTENSION 5",
    " x 7", "x12", " int 3", " anexo 9", ",ext=4", " #12#", "tension", "telephone", "Phone:",
    "call", "\n", " ", "  ", "-", ".", "(", ")", "+", "/", "2021", "12", "3", "988",
    "abcdefghij", "Xylophones", "Telephone", "Tel", "\u0663\u0661\u0660", "\uff13\uff11\uff10",
    "\u00a0", "$", "%", "\u2014", "555-0142", "4996", "90212", "Suite 200", "PSY 22022",
    "Fax: (310) 999-4997", "a", "e", "x", "t", "n", "word " * 45,
]


def _phones(text: str, fast: bool) -> list[tuple[int, int, str, str]]:
    return [(s, e, raw, nap._e164(n)) for s, e, raw, n in nap._phone_matches(text, fast=fast)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PHONE_FRAGMENTS), st.text(max_size=4)), max_size=40))
def test_phone_stretches_give_the_whole_text_matches(parts: list[str]) -> None:
    text = "".join(parts)
    assert _phones(text, True) == _phones(text, False)


@pytest.mark.parametrize(("text", "numbers"), [
    ("word " * 60 + "(310) 999-4996 extension 12" + " word" * 60, 1),
    ("Telephone3105550142", 0),  # glued to a word: not a number, in either case
    ("call 2021 2022 2023 or (310) 999-4996", 1),
    ("2021\n310-999-4996 x 7\n", 1),
    ("+49 30 1234 and +49 30 5678", 2),
    ("Pricing: $150 per session, 50 minutes. " * 20 + "Call (310) 999-4996.", 1),
])
def test_phone_stretch_edge_cases(text: str, numbers: int) -> None:
    assert _phones(text, True) == _phones(text, False)
    assert len(_phones(text, False)) == numbers
