"""schema.org microdata and RDFa, read only where a page carries them (spiders.markup).

The speed work of issue 17 must not change a fact: on every saved page, every page of the demo
site and generated pages of both benchmark shapes, the schema facts (types, LocalBusiness
nodes and their missing properties, names, phones, addresses, licenses) drawn from
spiders.markup's nodes are those drawn from extruct's full reading of both syntaxes, as
extraction did it before: ``extruct.extract(html, syntaxes=["microdata", "rdfa"],
uniform=True)`` on every page with an ``itemscope`` or a ``typeof=``.

Two changes are deliberate fixes, and both sides of the comparison have them: RDFa nodes used
to be flattened node by node, so a nested node (the PostalAddress of a LocalBusiness) became
its random blank-node id ("_:Nc0c8...", reported as an unreadable address) and the facts were
labelled microdata; they now go through audit.nap.schema.rdfa_nodes, which puts the nested
node in place (test_rdfa_practice). And a microdata property written as its address
(itemprop="http://schema.org/name") made its node pass for RDFa, losing the node's other
properties; microdata property names are now shortened (spiders.markup.short_names).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import extruct
import pytest

from audit.nap import NapSources, nap_facts
from audit.nap.schema import rdfa_nodes
from spiders.extract import _schema_summary, extract_page, parse_html
from spiders.markup import (
    has_microdata,
    has_rdfa,
    prune_for_rdfa,
    schema_markup_nodes,
    short_names,
)
from tests.conftest import SAVED_PAGES

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MARKUP = TESTS / "html" / "markup"
DEMO_PAGES = sorted((ROOT / "audit" / "demo_site").rglob("*.html"))
URL = "https://practice.example/page/"


def reference_nodes(html: str, base_url: str) -> list[dict[str, Any]]:
    """Extraction's microdata and RDFa nodes before issue 17: extruct reads both syntaxes on
    any page that has an itemscope or a typeof. RDFa nodes are converted as extraction now
    converts them (see the module's docstring)."""
    if "itemscope" not in html and "typeof=" not in html:
        return []
    try:
        data = extruct.extract(html, base_url=base_url, syntaxes=["microdata", "rdfa"],
                               uniform=True, errors="ignore")
    except Exception:  # noqa: BLE001 - as extraction did
        return []
    nodes = [dict(short_names(node), _syntax="microdata") for node in data.get("microdata", [])]
    converted = rdfa_nodes(data.get("rdfa", []))
    for node in converted:
        node["_syntax"] = "rdfa"
    return nodes + converted


def schema_facts(nodes: list[dict[str, Any]]) -> tuple[list, list]:
    """What the crawl tables keep of these nodes: the schema summary and the NAP facts."""
    summary = sorted(repr(sorted(node.items()))
                     for node in _schema_summary([], [], nodes)["nodes"])
    facts = sorted(repr(sorted(f.items())) for f in nap_facts(NapSources(url=URL,
                                                                         schema_nodes=nodes))
                   if f["source"] in ("microdata", "rdfa"))
    return summary, facts


def _generated_pages(tmp: Path, shape: str, count: int = 60) -> list[Path]:
    spec = importlib.util.spec_from_file_location("bench_gen_site", ROOT / "bench" / "gen_site.py")
    assert spec and spec.loader
    gen_site = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_gen_site", gen_site)
    spec.loader.exec_module(gen_site)
    gen_site.generate(tmp / shape, 200, "http://127.0.0.1:8000", ["http://127.0.0.2:8001"],
                      shape=shape)
    pages = sorted((tmp / shape / "www").rglob("index.html"))
    # every page with markup of either kind, and an even spread of the others
    marked = [p for p in pages if re.search(r"itemscope|typeof=|vocab=",
                                            p.read_text("utf-8"))]
    return sorted(set(marked[:count] + pages[::max(1, len(pages) // 20)]))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    tmp = tmp_path_factory.mktemp("generated")
    return {shape: _generated_pages(tmp, shape) for shape in ("practice", "wordpress")}


def _assert_same_facts(path: Path) -> None:
    html = path.read_text("utf-8", errors="replace")
    expected = schema_facts(reference_nodes(html, URL))
    assert schema_facts(schema_markup_nodes(html, URL)) == expected, path.name
    # as extraction calls it: on the tree it parsed already
    assert schema_facts(schema_markup_nodes(html, URL, parse_html(html))) == expected, path.name


@pytest.mark.parametrize("path", SAVED_PAGES + DEMO_PAGES,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_same_schema_facts_on_saved_and_demo_pages(path: Path) -> None:
    _assert_same_facts(path)


@pytest.mark.parametrize("shape", ["practice", "wordpress"])
def test_same_schema_facts_on_generated_pages(generated: dict[str, list[Path]],
                                              shape: str) -> None:
    pages = generated[shape]
    assert len(pages) >= 20
    for path in pages:
        _assert_same_facts(path)
    if shape == "wordpress":  # the sample does exercise both readers
        texts = [p.read_text("utf-8") for p in pages]
        assert sum(has_microdata(t) for t in texts) >= 20
        assert any(has_rdfa(t) for t in texts)


def test_the_equivalence_sees_the_markup_fixtures() -> None:
    """The saved pages include microdata, RDFa and both, so the comparison above is not
    vacuous, and each gives facts."""
    for name in ("wordpress_post.html", "rdfa_practice.html", "mixed_markup.html"):
        html = (MARKUP / name).read_text("utf-8")
        summary, facts = schema_facts(schema_markup_nodes(html, URL))
        assert summary and facts, name


def _page(name: str) -> dict[str, Any]:
    return extract_page(URL, (MARKUP / name).read_text("utf-8"))


def _schema_nap(page: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["source"], f["field"], f["normalized"]) for f in page["nap"]
            if f["source"] in ("microdata", "rdfa")}


def test_wordpress_theme_microdata() -> None:
    page = _page("wordpress_post.html")
    types = {t for node in page["schema"]["nodes"] for t in node["types"]}
    assert {"WebPage", "WPHeader", "Organization", "CreativeWork", "Person", "WPFooter",
            "MedicalBusiness", "PostalAddress", "BreadcrumbList"} <= types
    business = [n for n in page["schema"]["nodes"] if n["local_business"]]
    assert business == [{"syntax": "microdata", "types": ["MedicalBusiness"],
                         "local_business": True, "missing": []}]
    assert _schema_nap(page) == {
        ("microdata", "name", "Blair Wellness Group"),
        ("microdata", "phone", "+13109994996"),
        ("microdata", "address", "9454 WILSHIRE BLVD STE 201, BEVERLY HILLS, CA 90212"),
    }


def test_rdfa_practice() -> None:
    page = _page("rdfa_practice.html")
    assert [n for n in page["schema"]["nodes"] if n["local_business"]] == [
        {"syntax": "rdfa", "types": ["MedicalBusiness"], "local_business": True, "missing": []}]
    assert _schema_nap(page) == {
        ("rdfa", "name", "Westside Family Therapy"),
        ("rdfa", "phone", "+14245550142"),
        ("rdfa", "phone", "+14245550199"),
        ("rdfa", "address", "11600 SANTA MONICA BLVD, LOS ANGELES, CA 90025"),
    }


def test_microdata_with_itemref_iris_and_credentials_beside_rdfa() -> None:
    page = _page("mixed_markup.html")
    got = _schema_nap(page)
    assert ("microdata", "phone", "+16265550110") in got
    assert ("microdata", "license", "PSY 31415") in got
    assert ("microdata", "address", "35 N LAKE AVE STE 710, PASADENA, CA 91101") in got
    # the name holds a comment and a script: read on lxml.html's tree, as extruct reads it
    assert ("microdata", "name", "Pasadena Psychology Associates") in got
    types = {(n["syntax"], t) for n in page["schema"]["nodes"] for t in n["types"]}
    assert {("microdata", "MedicalClinic"), ("microdata", "FAQPage"), ("rdfa", "Person")} <= types


def test_open_graph_alone_is_no_rdfa() -> None:
    html = (MARKUP / "og_with_itemscope.html").read_text("utf-8")
    assert has_microdata(html) and not has_rdfa(html)
    assert schema_markup_nodes(html, URL) == [{"_syntax": "microdata", "value": ""}] * 2
    page = extract_page(URL, html)
    assert page["schema"]["nodes"] == [] and not _schema_nap(page)
    assert page["og"]["og:site_name"] == "Silver Lake Counseling"


@pytest.mark.parametrize(("html", "expected"), [
    ('<body vocab="https://schema.org/" typeof="WebPage">', True),
    ('<div\ttypeof = "LocalBusiness">', True),
    ('<link property="rdf:type" href="https://schema.org/Physician">', True),
    ('<link rel="http://www.w3.org/1999/02/22-rdf-syntax-ns#type" href="x">', True),
    # RDFa that can type no node gives no fact (test_untyped_rdfa_gives_no_node)
    ('<html prefix="og: https://ogp.me/ns#">', False),
    ('<span property="schema:telephone">', False),
    ("<span property='https://schema.org/name'>", False),
    ("<script>if (x.typeof=== 1) {}</script>", False),
    ('<meta property="og:title" content="x"><meta property="article:tag" content="y">', False),
    ("<p>A vocabulary for feelings; typeof checks in JavaScript; a prefix.</p>", False),
    ("<style>a{transition-property: color}</style>", False),
    ("<p>itemscope</p>", False),
])
def test_rdfa_is_recognised_by_its_attributes(html: str, expected: bool) -> None:
    assert has_rdfa(html) is expected


def test_a_page_without_markup_pays_nothing() -> None:
    assert schema_markup_nodes("<html><body><p>Plain page</p></body></html>", URL) == []


# RDFa without a type anywhere: what a WordPress theme's <html prefix> and Open Graph tags are,
# a vocab over untyped resources, schema.org properties on their own
UNTYPED_RDFA = [
    '<html prefix="og: https://ogp.me/ns#"><head><meta property="og:title" content="T">'
    '<meta property="og:type" content="website"></head><body><p>Hi <a href="/x" rel="next">'
    'next</a></p></body></html>',
    '<html><body vocab="https://schema.org/"><div resource="#biz"><span property="name">'
    'Westside</span><span property="telephone">(424) 555-0142</span></div></body></html>',
    '<html><body><span property="schema:telephone">(424) 555-0142</span>'
    '<span property="https://schema.org/name">Westside Family Therapy</span></body></html>',
]


@pytest.mark.parametrize("html", UNTYPED_RDFA)
def test_untyped_rdfa_gives_no_node(html: str) -> None:
    """Facts come from typed nodes only (audit.nap.schema.rdfa_nodes): a page whose RDFa
    types nothing is not worth pyRdfa's parse, and extruct's full reading of it agrees."""
    assert not has_rdfa(html)
    assert schema_markup_nodes(html, URL) == []
    full = extruct.extract(html, base_url=URL, syntaxes=["rdfa"], errors="ignore")["rdfa"]
    assert full and rdfa_nodes(full) == []  # pyRdfa does read something: none of it typed


def test_a_type_given_as_rdf_type_is_read() -> None:
    html = ('<html><body vocab="https://schema.org/"><div resource="#b">'
            '<link property="rdf:type" href="https://schema.org/MedicalBusiness">'
            '<span property="name">Westside</span></div></body></html>')
    assert schema_markup_nodes(html, URL) == [
        {"@id": URL + "#b", "@type": ["MedicalBusiness"], "name": "Westside", "_syntax": "rdfa"}]


def _rdfa_graph(html: str, prune: bool) -> list[str]:
    """extruct's RDFa reading of a page, with blank node labels and the order of each
    property's values (which rdflib leaves to hashing) taken out."""
    from extruct.rdfa import RDFaExtractor
    from extruct.utils import parse_xmldom_html

    tree = parse_xmldom_html(html, encoding="UTF-8")
    if prune:
        prune_for_rdfa(tree)
    found = RDFaExtractor().extract_items(tree, base_url=URL)
    text = re.sub(r"_:\w+", "_:b", json.dumps(found, sort_keys=True))

    def canonical(value: Any) -> Any:
        if isinstance(value, list):
            return sorted((canonical(v) for v in value), key=json.dumps)
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()}
        return value

    return sorted(json.dumps(canonical(node), sort_keys=True) for node in json.loads(text))


# What the pruning must keep: a hanging rel completed by plain links below it, the text of
# markup under a property (a literal is its whole text), roles, languages, a prefix declared
# on a plain element, typed resources from @href, and inlist
PRUNING_CASES = [
    '<html><body vocab="https://schema.org/" typeof="Organization"><nav role="navigation">'
    '<ul><li><a href="/a/">A</a></li></ul></nav><div rel="member"><p><a href="/p/1/">One'
    '</a></p><p>text <em><a href="/p/2/">Two</a></em></p></div><p>More <b>text</b></p>'
    '</body></html>',
    '<html lang="en"><body vocab="https://schema.org/"><article typeof="Article">'
    '<div property="articleBody"><p>First <b>bold</b> <a href="/x/">link</a></p><p>Second'
    '</p></div><p lang="fr"><span property="alternativeHeadline">Bonjour</span></p>'
    '<div><div><div><span property="author" typeof="Person"><span property="name">Ann'
    '</span></span></div></div></div><time property="datePublished" datetime="2024-01-02">'
    'Jan 2</time></article><footer><p>Copyright</p></footer></body></html>',
    '<html><body><div xmlns:s="https://schema.org/"><div><span typeof="s:Physician" '
    'about="#dr"><a property="s:url" href="/dr/">Dr</a><img rel="s:image" src="/i.jpg">'
    '<span property="s:name" datatype="">Dr <i>X</i></span></span></div></div>'
    '<div><p>noise</p></div></body></html>',
    '<html><body vocab="https://schema.org/"><div typeof="ItemList">'
    '<span property="itemListElement" inlist="">a</span>'
    '<span property="itemListElement" inlist="">b</span></div>'
    '<a typeof="WebPage" href="/typed/">typed by its href</a><div role="main" id="m">'
    '<p>plain</p></div></body></html>',
]


@pytest.mark.parametrize("html", PRUNING_CASES + [
    (MARKUP / name).read_text("utf-8") for name in ("rdfa_practice.html", "mixed_markup.html")])
def test_pruning_keeps_the_rdfa_graph(html: str) -> None:
    graph = _rdfa_graph(html, prune=False)
    assert any("schema.org" in node for node in graph)
    assert _rdfa_graph(html, prune=True) == graph


def test_the_pruning_cases_hold_what_they_test() -> None:
    hanging = " ".join(_rdfa_graph(PRUNING_CASES[0], prune=False))
    assert "/p/1/" in hanging and "/p/2/" in hanging and "member" in hanging
    literal = " ".join(_rdfa_graph(PRUNING_CASES[1], prune=False))
    assert "First bold link" in literal  # the markup under a property is its text


def test_pruning_removes_what_cannot_count() -> None:
    from extruct.utils import parse_xmldom_html

    tree = parse_xmldom_html(PRUNING_CASES[1], encoding="UTF-8")
    prune_for_rdfa(tree)
    assert tree.xpath("//footer") == []  # no RDFa in it
    assert tree.xpath("//div[@property='articleBody']//a")  # a literal's markup stays
    assert len(tree.xpath("//span[@property='name']")) == 1


def test_a_property_without_child_elements_reads_as_extruct_reads_it() -> None:
    from extruct.w3cmicrodata import LxmlMicrodataExtractor

    html = ('<html><body><div itemscope itemtype="https://schema.org/MedicalBusiness">'
            '<span itemprop="name">  Westside\n  Family   Therapy </span> tail'
            '<span itemprop="telephone">(424) 555-0142<!-- old: 0199 --></span>'
            '<h2 itemprop="description">Calm,\tnear <b>Palms</b></h2>'
            '<p itemprop="address"></p></div></body></html>')
    expected = LxmlMicrodataExtractor().extract(html, base_url=URL)
    got = schema_markup_nodes(html, URL)
    assert expected[0]["properties"]["name"] == "Westside Family Therapy"
    assert got[0]["name"] == expected[0]["properties"]["name"]
    assert got[0]["telephone"] == expected[0]["properties"]["telephone"] == "(424) 555-0142"
    assert got[0]["address"] == expected[0]["properties"]["address"] == ""


NESTED_ITEMS = (
    '<html><body itemscope itemtype="https://schema.org/WebPage"><h1 itemprop="name">P</h1>'
    '<div itemprop="mainEntity" itemscope itemtype="https://schema.org/MedicalBusiness">'
    '<span itemprop="name">B</span><div><div itemprop="address" itemscope '
    'itemtype="https://schema.org/PostalAddress"><span itemprop="streetAddress">1 Main'
    '</span><p itemscope><span itemprop="x">inner</span></p></div></div>'
    '<span itemprop="telephone">(310) 555-0100</span></div>'
    '<footer><span itemprop="copyrightYear">2024</span></footer></body></html>')


@pytest.mark.parametrize("html", [NESTED_ITEMS] + [
    (MARKUP / name).read_text("utf-8") for name in ("wordpress_post.html", "mixed_markup.html")])
def test_one_walk_finds_each_items_own_properties(html: str) -> None:
    from spiders.markup import _OWN_PROPERTIES, items_and_properties

    tree = parse_html(html)
    items, own = items_and_properties(tree)
    assert items == tree.xpath("descendant-or-self::*[@itemscope]")
    assert own == {item: _OWN_PROPERTIES(item, item=item) for item in items}
    assert sum(map(len, own.values())) >= 4
