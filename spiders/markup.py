"""schema.org microdata and RDFa of one page, paid for only where the page carries them.

extruct reads both syntaxes; this module decides which of its readers a page needs and keeps
them from doing work no fact reads:

- Microdata is read only on a page with an ``itemscope``, RDFa only on a page with RDFa that
  can type a node: a ``typeof`` attribute, or ``rdf:type`` named as a property. Every fact is
  drawn from a typed node (audit.nap.schema.rdfa_nodes keeps no other), so a page whose RDFa
  is a ``prefix`` on its <html> and Open Graph's ``<meta property="og:...">`` (what many
  WordPress themes write on every page), or a ``vocab`` with no type under it, has nothing to
  give, and RDFa parsing (pyRdfa and rdflib) costs several times a whole page's other
  extraction. Open Graph's values are read from the head directly.
- Before pyRdfa reads a page, the elements of its body that cannot add to the graph are
  removed (``prune_for_rdfa``): pyRdfa pays for every element of the page, and a page's RDFa
  is a few of them.
- The microdata reader works out the text of a property only when a fact reads that property
  (``audit.nap.schema.TEXT_PROPERTIES_READ``): a WordPress theme's ``itemprop="articleBody"``,
  or the text of an ``itemscope`` with no properties of its own (``<body itemscope>``), is the
  whole page's text, cleaned from a copy of its subtree, and nothing reads it. Types, nesting,
  ``itemref`` and every value that is an attribute (``content``, ``href``, ``datetime``) are
  extruct's own. The text of a property with no child element (``<span
  itemprop="telephone">``, the common case) is read without copying and cleaning it first:
  the cleaner has nothing to remove there.

The nodes are those extruct gives with ``uniform=True`` (microdata) and, for RDFa, its expanded
JSON-LD with the schema.org addresses shortened, each with ``_syntax``. tests/test_markup.py
proves that the facts drawn from them are those of extruct's full reading of both syntaxes.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree

from audit.nap.schema import TEXT_PROPERTIES_READ, rdfa_nodes

_MICRODATA_MARK = "itemscope"
# rdf:type written as a property (CURIE or address): a type without a typeof attribute
_RDF_TYPE_PROPERTY = ("rdf:type", "22-rdf-syntax-ns#type")
_TYPEOF_ATTRIBUTE = re.compile(r"typeof\s*=")
_SCHEMA_PROPERTY = re.compile(r"^https?://schema\.org/(?=\w)")


def has_microdata(html: str) -> bool:
    return _MICRODATA_MARK in html


def has_rdfa(html: str) -> bool:
    """Whether the page has RDFa that can type a node (see the module's docstring): found with
    str.find, lower-case as page builders write attributes."""
    at = html.find("typeof")
    while at >= 0:
        # an attribute: after a space, not inside a word or a script ("x.typeof=")
        if at > 0 and html[at - 1].isspace() and _TYPEOF_ATTRIBUTE.match(html, at):
            return True
        at = html.find("typeof", at + 1)
    return any(name in html for name in _RDF_TYPE_PROPERTY)


def _property_names(itemprop: str | None) -> list[str]:
    """An itemprop's names, a schema.org address shortened to its name."""
    return [name.rsplit("/", 1)[-1] for name in (itemprop or "").split()]


class _NeedsHtmlTree(Exception):
    """The microdata reader needs lxml.html's tree of the page, not lxml.etree's."""


# An item's own properties: the itemprop elements under it whose nearest itemscope ancestor is
# the item. extruct takes every itemprop under the item minus those under a nested itemscope
# (an EXSLT set difference, the same elements in the same document order), which on a theme's
# <body itemscope> walks the page once per nested item.
_OWN_PROPERTIES = lxml.etree.XPath(
    ".//*[@itemprop][count(ancestor::*[@itemscope][1] | $item) = 1]")


def items_and_properties(document: Any) -> tuple[list[Any], dict[Any, list[Any]]]:
    """The page's items (``itemscope`` elements) in document order, and each item's own
    properties in document order (what _OWN_PROPERTIES selects), from one walk of the page:
    an XPath per item walks the page once per enclosing item, and libxml2's XPath reads each
    element slower than lxml's iteration does."""
    items: list[Any] = []
    properties: list[Any] = []
    for element in document.iter(lxml.etree.Element):
        if element.get("itemscope") is not None:
            items.append(element)
        if element.get("itemprop") is not None:
            properties.append(element)
    own: dict[Any, list[Any]] = {item: [] for item in items}
    for prop in properties:
        for ancestor in prop.iterancestors():
            if ancestor in own:  # the nearest item above it
                own[ancestor].append(prop)
                break
    return items, own


# The attributes by which an element says something in RDFa (RDFa Core 1.1, section 7.5), and
# @role, of which pyRdfa makes a triple. An element with none of them in its subtree adds
# nothing to the graph unless an ancestor gathers its text (@property, @datatype) or waits for
# its address as the object of a hanging @rel/@rev; an element with one of those four is kept
# whole. What changes the meaning of RDFa below it (@vocab, @prefix, xmlns:*, @lang) sits on
# an ancestor of the markup it changes, which is kept.
_RDFA_ATTRIBUTES = ("about", "resource", "property", "rel", "rev", "typeof", "vocab",
                    "prefix", "datatype", "inlist", "content", "role")
_KEPT_WHOLE = ("property", "datatype", "rel", "rev")
_RDFA_MARKED = lxml.etree.XPath(
    "//body//*[" + " or ".join(f"@{name}" for name in _RDFA_ATTRIBUTES) + "]")


def prune_for_rdfa(tree: Any) -> None:
    """Remove from the page's body every element that cannot add to its RDFa graph (see
    _RDFA_ATTRIBUTES): pyRdfa builds an evaluation context, a few dozen Python calls, for
    every element of the page, and a page whose RDFa is a breadcrumb trail, or whose only
    RDFa is an Open Graph prefix, is mostly menus and text. The head is left as it is."""
    needed: set[Any] = set()
    for element in _RDFA_MARKED(tree):
        while element is not None and element not in needed:
            needed.add(element)
            element = element.getparent()
    pending = [body for body in tree.xpath("//body")
               if not any(body.get(name) is not None for name in _KEPT_WHOLE)]
    while pending:
        element = pending.pop()
        for child in list(element):
            if child in needed:
                if not any(child.get(name) is not None for name in _KEPT_WHOLE):
                    pending.append(child)
            elif isinstance(child.tag, str):
                element.remove(child)


# What extruct's cleaner changes in an element itself: the elements it removes, and <image>,
# which it renames (lxml_html_clean's Cleaner with extruct's options)
_CLEANED_TAGS = frozenset({"script", "style", "link", "meta", "image"})


def _microdata_reader() -> Any:
    import html_text
    from extruct.w3cmicrodata import LxmlMicrodataExtractor

    class FactsMicrodataExtractor(LxmlMicrodataExtractor):
        """extruct's microdata reader, minus the text nothing reads, and finding an item's
        properties and the page's items with fewer walks of the tree."""

        own_properties: dict[Any, list[Any]] = {}  # the page being read: items_and_properties

        def extract_items(self, document: Any, base_url: Any) -> list[Any]:
            if document.getroottree().getroot() is not document:
                return super().extract_items(document, base_url)
            items, self.own_properties = items_and_properties(document)
            try:
                # the page's items in document order number them (extruct walks the page
                # twice)
                itemids = {node: k for k, node in enumerate(items, 1)}
                seen: set[Any] = set()
                found = (self._extract_item(item, items_seen=seen, base_url=base_url,
                                            itemids=itemids) for item in items)
                return [item for item in found if item]
            finally:
                self.own_properties = {}

        def _extract_properties(self, node: Any, items_seen: Any, base_url: Any,
                                itemids: Any) -> Any:
            props = self.own_properties.get(node)
            for prop in _OWN_PROPERTIES(node, item=node) if props is None else props:
                yield from self._extract_property(prop, items_seen=items_seen,
                                                  base_url=base_url, itemids=itemids)

        def _extract_property_value(self, node: Any, items_seen: Any, base_url: Any,
                                    itemids: Any, force: bool = False) -> Any:
            if force:  # an item's own text, for an item without properties: never read
                return ""
            if node.get("itemscope") is None and TEXT_PROPERTIES_READ.isdisjoint(
                    _property_names(node.get("itemprop"))):
                return ""  # a property no fact reads; its text is the costly part
            return super()._extract_property_value(node, items_seen=items_seen,
                                                   base_url=base_url, itemids=itemids)

        def _extract_textContent(self, node: Any) -> Any:
            if not len(node) and node.tag not in _CLEANED_TAGS:
                # no child element, comment or instruction: the cleaner would copy the node
                # and remove nothing, and html_text reads the copy as it reads the node
                return html_text.etree_to_text(node)
            try:
                return super()._extract_textContent(node)
            except AttributeError as error:
                # lxml.html's cleaner drops a script, style, comment, link or meta inside the
                # property with a method only lxml.html's elements have: on extraction's own
                # lxml.etree tree it fails, and the page is read on lxml.html's instead
                raise _NeedsHtmlTree from error

    return FactsMicrodataExtractor()


def short_names(value: Any) -> Any:
    """Microdata with schema.org's property names: an ``itemprop`` may be written as the
    property's address ("http://schema.org/telephone"), and a node that mixed both forms was
    taken for RDFa and lost its short-named properties."""
    if isinstance(value, list):
        return [short_names(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {(_SCHEMA_PROPERTY.sub("", k) if k.startswith("http") else k): short_names(v)
            for k, v in value.items()}


_reader: Any = None


def schema_markup_nodes(html: str, base_url: str, tree: Any = None) -> list[dict[str, Any]]:
    """The page's schema.org microdata and RDFa nodes (see the module's docstring).

    ``tree``: the page already parsed by lxml (spiders.extract.parse_html), which the
    microdata reader then reads instead of parsing the page again; RDFa always needs a parse
    of its own."""
    microdata, rdfa = has_microdata(html), has_rdfa(html)
    if not (microdata or rdfa):
        return []
    # imported on first use: most pages carry JSON-LD only
    from extruct.rdfa import RDFaExtractor
    from extruct.uniform import _umicrodata_microformat
    from extruct.utils import parse_html, parse_xmldom_html

    global _reader
    if rdfa or tree is None:
        try:
            # RDFa needs extruct's DOM-flavoured tree; microdata reads either
            tree = (parse_xmldom_html if rdfa else parse_html)(html, encoding="UTF-8")
        except Exception:  # noqa: BLE001 - malformed markup must never stop extraction
            return []
    nodes: list[dict[str, Any]] = []
    if microdata:
        if _reader is None:
            _reader = _microdata_reader()
        try:
            try:
                found = _reader.extract_items(tree, base_url)
            except _NeedsHtmlTree:
                found = _reader.extract_items(parse_html(html, encoding="UTF-8"), base_url)
            items = _umicrodata_microformat(found, "http://schema.org")
        except Exception:  # noqa: BLE001 - malformed markup must never stop extraction
            items = []
        nodes += [dict(short_names(node), _syntax="microdata") for node in items]
    if rdfa:
        try:
            prune_for_rdfa(tree)
            found = RDFaExtractor().extract_items(tree, base_url=base_url)
        except Exception:  # noqa: BLE001
            found = []
        # schema.org's short names, a node's nested nodes (an address) in place of the blank
        # node ids that name them; every node, nested ones too, marked as RDFa
        converted = rdfa_nodes(found)
        for node in converted:
            node["_syntax"] = "rdfa"
        nodes += converted
    return nodes
