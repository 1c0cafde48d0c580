"""schema.org structured data: JSON-LD, microdata and RDFa (domain notes 3).

Reads the page's JSON-LD blocks (each decoded on its own, so one broken block never hides the
others; @graph flattened, @id references followed) and extruct's microdata and RDFa nodes,
and turns the name, telephone, faxNumber, address and hasCredential of every typed node into
NAP facts, so the checks can compare structured data with the visible page and the roster.
Also says which nodes are a LocalBusiness and which Google-required properties they miss.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jstyleson

from audit.nap.addresses import _postal_to_string, canonical_address
from audit.nap.licenses import normalize_license
from audit.nap.phones import normalize_phone
from audit.nap.text import _fact, _squash, _text_value

LOCAL_BUSINESS_TYPES = frozenset(
    {
        "LocalBusiness",
        "ProfessionalService",  # deprecated (rule S6) but still a LocalBusiness subtype
        "MedicalBusiness",
        "MedicalClinic",
        "CovidTestingFacility",
        "Physician",
        "IndividualPhysician",
        "PhysiciansOffice",
        "Dentist",
        "Optician",
        "Optometric",
        "Psychiatric",
        "Pharmacy",
        "Physiotherapy",
        "CommunityHealth",
        "Dermatology",
        "DietNutrition",
        "Emergency",
        "Geriatric",
        "Gynecologic",
        "Midwifery",
        "Nursing",
        "Obstetric",
        "Oncologic",
        "Otolaryngologic",
        "Pediatric",
        "PlasticSurgery",
        "Podiatric",
        "PrimaryCare",
        "PublicHealth",
        "Hospital",
        "DiagnosticLab",
        "MedicalOrganization",
        "VeterinaryCare",
        "HealthAndBeautyBusiness",
    }
)
ORGANIZATION_TYPES = frozenset(
    {"Organization", "Corporation", "NGO", "MedicalOrganization", "OnlineBusiness"}
)

_SCHEMA_IRI = re.compile(r"^(?:https?://schema\.org/|schema:)")
_HTML_COMMENT_LINE = re.compile(r"^\s*(?://.*|<!--.*-->)")


def node_types(node: dict) -> list[str]:
    """@type as a list of short names ("https://schema.org/Dentist" -> "Dentist")."""
    t = node.get("@type") if isinstance(node, dict) else None
    if t is None and isinstance(node, dict):
        t = node.get("type")  # extruct microdata without uniform=True
    if isinstance(t, str):  # most nodes have one type
        return [_short_type(t)] if t.strip() else []
    values = t if isinstance(t, list) else [t]
    return [_short_type(v) for v in values if isinstance(v, str) and v.strip()]


@lru_cache(maxsize=1024)  # a page's nodes are walked several times, a site's types are few
def _short_type(value: str) -> str:
    return _SCHEMA_IRI.sub("", value).strip()


def is_local_business(node: dict) -> bool:
    """True when any @type is LocalBusiness or one of its medical/health subtypes."""
    return any(t in LOCAL_BUSINESS_TYPES for t in node_types(node))


def _present(v: Any) -> bool:
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return v is not None


def missing_required(node: dict) -> list[str]:
    """Google-required LocalBusiness properties missing from node: subset of [name, address]."""
    return [p for p in ("name", "address") if not _present(node.get(p))]


# WordPress and some themes wrap JSON-LD in CDATA or HTML comments. Each pattern runs only on a
# block holding its literal: the closing one has no literal start, and was tried at every
# character of every block (a Yoast graph is several KB).
_WRAPPERS = ((re.compile(r"^(?:/\*\s*)?<!\[CDATA\[(?:\s*\*/)?"), "<![CDATA["),
             (re.compile(r"(?:/\*\s*)?\]\]>(?:\s*\*/)?$"), "]]>"),
             (re.compile(r"^<!--"), "<!--"),
             (re.compile(r"-->$"), "-->"))


def _clean_block(raw: str) -> str:
    t = raw.strip()
    for wrapper, literal in _WRAPPERS:
        if literal in t:
            t = wrapper.sub("", t)
    return t.strip()


def _flatten(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if graph is not None:
            rest = {k: v for k, v in data.items() if k not in ("@graph", "@context")}
            if rest.get("@type"):
                yield {**{"@context": data.get("@context")}, **rest}
            for item in graph if isinstance(graph, list) else [graph]:
                yield from _flatten(item)
        else:
            yield data


def parse_jsonld_blocks(blocks: list[str]) -> tuple[list[dict], list[dict]]:
    """Decode each JSON-LD block on its own and flatten @graph.

    extruct drops all JSON-LD of a page when one block is broken; here a malformed block
    only adds {"block": index, "error": message} and never hides the others. Decoding
    follows extruct: json.loads(strict=False), then jstyleson for trailing commas and
    comments. Every node gets "_block" (its block index); nodes that needed the lenient
    decoder also get "_nonstrict": True (worth an info: Google may reject it).
    """
    nodes: list[dict] = []
    errors: list[dict] = []
    for i, raw in enumerate(blocks):
        text = _clean_block(raw or "")
        if not text:
            errors.append({"block": i, "error": "empty JSON-LD block"})
            continue
        lenient = False
        try:
            data = json.loads(text, strict=False)
        except ValueError as exc:
            try:
                data = jstyleson.loads(_HTML_COMMENT_LINE.sub("", text), strict=False)
                lenient = True
            except Exception:  # jstyleson raises ValueError and friends on real garbage
                errors.append({"block": i, "error": f"invalid JSON: {exc}"})
                continue
        found = list(_flatten(data))
        if not found:
            errors.append({"block": i, "error": "JSON-LD block holds no object"})
            continue
        for node in found:
            node = dict(node)
            node["_block"] = i
            if lenient:
                node["_nonstrict"] = True
            nodes.append(node)
    return nodes, errors


def _id_index(nodes: list[dict]) -> dict[str, dict]:
    index: dict[str, dict] = {}

    def visit(v: Any) -> None:
        if isinstance(v, dict):
            if isinstance(v.get("@id"), str) and len(v) > 1:
                index.setdefault(v["@id"], v)
            values: Any = v.values()
        else:
            values = v
        for x in values:  # strings are most values (a theme's menu: dozens): not visited
            if isinstance(x, (dict, list)):
                visit(x)

    visit(nodes)
    return index


def _resolve(v: Any, index: dict[str, dict]) -> Any:
    # {"@id": "#address"} alone is a reference to a node elsewhere in the page's graph.
    if isinstance(v, dict) and set(v) <= {"@id", "@type"} and isinstance(v.get("@id"), str):
        return index.get(v["@id"], v)
    return v


def walk_nodes(nodes: list[dict]) -> Iterator[dict]:
    """Every typed node, nested ones included, each once, with @id references followed.

    Useful because a LocalBusiness is often nested (WebPage.about, Person.worksFor).
    """
    yield from _typed_nodes(nodes, _id_index(nodes))


def _typed_nodes(nodes: list[dict], index: dict[str, dict]) -> list[dict]:
    """walk_nodes' nodes, in its order, with the page's _id_index given. Collected by a plain
    recursive function: a generator per level hands each node up through every level above
    it."""
    out: list[dict] = []
    seen: set[int] = set()

    def visit(v: Any) -> None:
        v = _resolve(v, index)
        if isinstance(v, list):
            for x in v:
                if isinstance(x, (dict, list)):  # the strings of a list hold no node
                    visit(x)
        elif isinstance(v, dict):
            if id(v) in seen:
                return
            seen.add(id(v))
            if node_types(v):
                out.append(v)
            for k, x in v.items():
                if k != "@context" and isinstance(x, (dict, list)):
                    visit(x)

    visit(nodes)
    return out


def _is_rdfa(node: dict) -> bool:
    return any("://" in k for k in node) or any("://" in t for t in _raw_types(node))


def _raw_types(node: dict) -> list[str]:
    t = node.get("@type")
    return [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def rdfa_nodes(nodes: list[dict]) -> list[dict]:
    """extruct RDFa (expanded JSON-LD with full IRIs) -> compact schema.org-like dicts."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    memo: dict[str, dict] = {}

    def conv(n: dict) -> dict:
        nid = n.get("@id")
        if isinstance(nid, str) and nid in memo:
            return memo[nid]
        out: dict[str, Any] = {}
        if isinstance(nid, str):
            memo[nid] = out
            out["@id"] = nid
        for k, v in n.items():
            if k == "@id":
                continue
            if k == "@type":
                out["@type"] = [_SCHEMA_IRI.sub("", t) for t in _raw_types(n)]
                continue
            if not _SCHEMA_IRI.match(k):
                continue  # rdfa#usesVocabulary and other vocabularies
            vals: list[Any] = []
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, dict) and "@value" in item:
                    vals.append(item["@value"])
                elif isinstance(item, dict) and item.get("@id") in by_id:
                    vals.append(conv(by_id[item["@id"]]))
                elif isinstance(item, dict) and "@id" in item:
                    vals.append(item["@id"])
                else:
                    vals.append(item)
            out[_SCHEMA_IRI.sub("", k)] = vals[0] if len(vals) == 1 else vals
        return out

    return [conv(n) for n in nodes if _raw_types(n)]


def _from_plain_microdata(node: dict) -> dict:
    """extruct microdata without uniform=True: {"type", "properties"} -> {"@type", ...}."""
    out: dict[str, Any] = {"@type": node.get("type")}
    for k, v in (node.get("properties") or {}).items():
        if isinstance(v, dict) and "properties" in v:
            out[k] = _from_plain_microdata(v)
        elif isinstance(v, list):
            out[k] = [_from_plain_microdata(x) if isinstance(x, dict) and "properties" in x
                      else x for x in v]
        else:
            out[k] = v
    return out


def _strings(v: Any) -> list[str]:
    vals = v if isinstance(v, list) else [v]
    out = []
    for x in vals:
        s = _text_value(x)
        if s:
            out.append(s)
    return out


# Every property whose text a fact here reads, on any node of any syntax (the facts above and
# below, the schema summary's "missing" list): the microdata reader (spiders.markup) works out
# the text of these properties only, the costly part of reading microdata. A fact that starts
# reading another property's text adds it here.
TEXT_PROPERTIES_READ = frozenset({
    "name", "telephone", "faxNumber", "address", "streetAddress", "addressLocality",
    "addressRegion", "postalCode", "hasCredential", "identifier", "value",
})


# The properties _schema_facts reads a fact from: a node with none of them (a theme's
# ImageObject, BreadcrumbList, WPHeader, WPFooter... nodes) gives no fact and is skipped.
_FACT_PROPERTIES = frozenset({"name", "telephone", "faxNumber", "address", "hasCredential"})


def _schema_facts(nodes: list[dict], source: str) -> list[dict]:
    facts: list[dict] = []
    index = _id_index(nodes)
    for node in _typed_nodes(nodes, index):
        if _FACT_PROPERTIES.isdisjoint(node):
            continue
        types = node_types(node)
        stype = ",".join(types)
        extra = {"schema_type": stype}
        if "_block" in node:
            extra["block"] = node["_block"]
        if any(t in LOCAL_BUSINESS_TYPES or t in ORGANIZATION_TYPES for t in types):
            for name in _strings(node.get("name")):
                facts.append(_fact("name", source, "schema", name, _squash(name), "",
                                   f"{stype} name", **extra))
        for prop, role in (("telephone", "business"), ("faxNumber", "fax")):
            for tel in _strings(node.get(prop)):
                facts.append(_fact("phone", source, "schema", tel, normalize_phone(tel) or "",
                                   role, f"{stype} {prop}", **extra))
        addresses = node.get("address")
        for addr in addresses if isinstance(addresses, list) else [addresses]:
            addr = _resolve(addr, index)
            if isinstance(addr, dict):
                raw = _postal_to_string(addr)
            else:
                raw = _text_value(addr)
            if not raw:
                continue
            facts.append(_fact("address", source, "schema", raw,
                               canonical_address(addr if isinstance(addr, dict) else raw) or "",
                               "", f"{stype} address", **extra))
        creds = node.get("hasCredential")
        for cred in creds if isinstance(creds, list) else [creds]:
            cred = _resolve(cred, index)
            candidates: list[str] = []
            if isinstance(cred, dict):
                ident = cred.get("identifier")
                for x in ident if isinstance(ident, list) else [ident]:
                    if isinstance(x, dict) and "value" in x:  # PropertyValue
                        candidates.append(_text_value(x["value"]))
                    else:
                        candidates.append(_text_value(x))
                candidates = [c for c in candidates if c] or _strings(cred.get("name"))
            else:
                candidates = _strings(cred)
            for c in candidates:
                norm = normalize_license(c)
                facts.append(_fact("license", source, "schema", c, norm or "",
                                   "high" if norm else "low", f"{stype} hasCredential",
                                   **extra))
    return facts
