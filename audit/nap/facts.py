"""The NAP and license facts of one page: every reader of audit.nap put together.

Reads a NapSources (the page's title, visible text by zone, tel: links, JSON-LD blocks,
microdata/RDFa nodes and og:site_name) and returns one flat list of facts, each with its
source, zone, raw and normalized value, role and context, for the checks to compare across
pages, schema and the practice roster. The header and footer are the same on every page of a
site, so their facts are computed once and copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from audit.nap.addresses import _addresses_in_text, _canonical_of
from audit.nap.licenses import _find_licenses
from audit.nap.names import _copyright_names, _title_name
from audit.nap.phones import _first_phone, _phones_in_text, normalize_phone, phone_role
from audit.nap.schema import (
    _from_plain_microdata,
    _is_rdfa,
    _schema_facts,
    parse_jsonld_blocks,
    rdfa_nodes,
)
from audit.nap.text import _context, _fact, _squash


@dataclass
class NapSources:
    """What one HTML page offers for NAP extraction (visible text split by zone)."""

    url: str
    title: str = ""
    header_text: str = ""
    main_text: str = ""
    footer_text: str = ""  # includes <footer> and [role=contentinfo]
    # (href, anchor text); a third item, when present, is taken as the zone of the link.
    tel_links: list[tuple[str, str]] = field(default_factory=list)
    jsonld_blocks: list[str] = field(default_factory=list)  # raw <script ld+json> texts
    # the blocks already decoded by parse_jsonld_blocks, when the caller has them (saves
    # decoding every block twice per page)
    jsonld_nodes: list[dict] | None = None
    schema_nodes: list[dict] = field(default_factory=list)  # extruct microdata/RDFa, uniform
    og_site_name: str | None = None


@lru_cache(maxsize=256)
def _template_zone_facts(text: str, zone: str) -> tuple[dict, ...]:
    return tuple(_text_zone_facts(text, zone, "text"))


def _text_zone_facts(text: str, zone: str, source: str) -> list[dict]:
    facts: list[dict] = []
    phones = _phones_in_text(text)
    prev_end = 0
    for s, e, raw, norm in phones:
        # Only the text since the previous number can label this one ("Tel ... Fax: ...").
        before = text[max(prev_end, s - 45) : s]
        role = phone_role(norm, before, text[e : e + 45])
        facts.append(_fact("phone", source, zone, raw, norm, role, _context(text, s, e)))
        prev_end = e
    for hit in _find_licenses(text, [(s, e) for s, e, _, _ in phones]):
        if hit["kind"] == "untyped":
            continue
        facts.append(_fact("license", source, zone, hit["raw"], hit["normalized"],
                           hit["confidence"], _context(text, hit["start"], hit["end"])))
    if zone != "title":
        for s, e, raw, d in _addresses_in_text(text):
            facts.append(_fact("address", source, zone, _squash(raw), _canonical_of(d), "",
                               _context(text, s, e)))
        for s, e, raw, name in _copyright_names(text):
            facts.append(_fact("name", "copyright", zone, _squash(raw), name, "",
                               _context(text, s, e)))
    return facts


def _tel_zone(anchor: str, src: NapSources) -> str:
    a = _squash(anchor)
    if a and a in _squash(src.footer_text or ""):
        return "footer"
    if a and a in _squash(src.header_text or ""):
        return "header"
    return "main"


def nap_facts(src: NapSources) -> list[dict]:
    """Every NAP and license fact on the page.

    Each fact: field (name|phone|license|address), source (text|tel|jsonld|microdata|rdfa|
    title|copyright|og), zone (header|main|footer|title|head|schema), raw, normalized,
    role, context. tel facts add anchor_normalized; schema facts add schema_type (and block
    for JSON-LD). normalized is "" when a value was found but could not be normalised.
    """
    facts: list[dict] = []
    if src.title:
        facts += _text_zone_facts(src.title, "title", "title")
        name = _title_name(src.title)
        if name:
            facts.append(_fact("name", "title", "title", src.title.strip(), name, "",
                               _squash(src.title)[:60]))
    for zone, text in (("header", src.header_text), ("main", src.main_text),
                       ("footer", src.footer_text)):
        if text:
            if zone == "main":
                facts += _text_zone_facts(text, zone, "text")
            else:  # the same header and footer on every page: read once
                facts += [dict(f) for f in _template_zone_facts(text, zone)]

    for link in src.tel_links or []:
        href, anchor = link[0] or "", (link[1] if len(link) > 1 else "") or ""
        if not href.strip():
            continue
        zone = link[2] if len(link) > 2 and link[2] else _tel_zone(anchor, src)  # type: ignore[misc]
        norm = normalize_phone(href) or ""
        anchor_norm = _first_phone(anchor)
        role = phone_role(norm, anchor, "") if norm else ""
        facts.append(_fact("phone", "tel", zone, href, norm, role, _squash(anchor)[:60],
                           anchor_normalized=anchor_norm))

    if src.og_site_name and src.og_site_name.strip():
        facts.append(_fact("name", "og", "head", src.og_site_name, _squash(src.og_site_name),
                           "", "og:site_name"))

    nodes = src.jsonld_nodes
    if nodes is None:
        nodes, _errors = parse_jsonld_blocks(src.jsonld_blocks or [])
    facts += _schema_facts(nodes, "jsonld")

    micro: list[dict] = []
    rdfa: list[dict] = []
    rdfa_compact: list[dict] = []  # RDFa already in schema.org's short names (spiders.markup)
    for n in src.schema_nodes or []:
        if not isinstance(n, dict):
            continue
        if n.get("_syntax") == "rdfa":
            rdfa_compact.append(n)
        elif _is_rdfa(n):
            rdfa.append(n)
        elif "properties" in n and "type" in n:
            micro.append(_from_plain_microdata(n))
        else:
            micro.append(n)
    facts += _schema_facts(micro, "microdata")
    facts += _schema_facts(rdfa_nodes(rdfa) + rdfa_compact, "rdfa")
    return facts
