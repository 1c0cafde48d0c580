"""schema.org microdata and RDFa of one page, paid for only where the page carries them.

extruct reads both syntaxes; this module decides which of its readers a page needs and keeps
them from doing work no fact reads:

- Microdata is read only on a page with an ``itemscope``, RDFa only on a page with RDFa markup
  that can name a vocabulary (``vocab``, ``typeof`` or ``prefix``, or a ``property`` written
  with the schema.org prefix or address). Open Graph's ``<meta property="og:...">`` alone is
  not RDFa worth a parse: its values are read from the head directly, and RDFa parsing (pyRdfa
  and rdflib) costs several times a whole page's other extraction. A theme's microdata used to
  pay for it on every page.
- The microdata reader works out the text of a property only when a fact reads that property
  (``audit.nap.schema.TEXT_PROPERTIES_READ``): a WordPress theme's ``itemprop="articleBody"``,
  or the text of an ``itemscope`` with no properties of its own (``<body itemscope>``), is the
  whole page's text, cleaned from a copy of its subtree, and nothing reads it. Types, nesting,
  ``itemref`` and every value that is an attribute (``content``, ``href``, ``datetime``) are
  extruct's own.

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
# RDFa that can say something in schema.org terms: a vocab, typeof or prefix attribute (found
# with str.find, then matched: rare words), or a property written with schema.org's prefix or
# address (a regex that starts with its literal: Open Graph's dozen property attributes a page
# are passed over at C speed). Lower-case names, as the page builders write them.
_RDFA_MARKS = tuple((name, re.compile(name + r"\s*=")) for name in ("vocab", "typeof", "prefix"))
_SCHEMA_PROPERTY_ATTRIBUTE = re.compile(
    r"""property\s*=\s*["']?\s*(?:schema:|https?://schema\.org)""")
_SCHEMA_PROPERTY = re.compile(r"^https?://schema\.org/(?=\w)")


def has_microdata(html: str) -> bool:
    return _MICRODATA_MARK in html


def has_rdfa(html: str) -> bool:
    # an attribute: after a space, not inside a word ("vocabulary", "transition-property")
    for name, attribute in _RDFA_MARKS:
        at = html.find(name)
        while at >= 0:
            if at > 0 and html[at - 1].isspace() and attribute.match(html, at):
                return True
            at = html.find(name, at + 1)
    return any(m.start() > 0 and html[m.start() - 1].isspace()
               for m in _SCHEMA_PROPERTY_ATTRIBUTE.finditer(html))


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


def _microdata_reader() -> Any:
    from extruct.w3cmicrodata import LxmlMicrodataExtractor

    class FactsMicrodataExtractor(LxmlMicrodataExtractor):
        """extruct's microdata reader, minus the text nothing reads, and finding an item's
        properties and the page's items with fewer walks of the tree."""

        def extract_items(self, document: Any, base_url: Any) -> list[Any]:
            if document.getroottree().getroot() is not document:
                return super().extract_items(document, base_url)
            items = self._xp_item(document)
            # the page's items in document order number them (extruct walks the page twice)
            itemids = {node: k for k, node in enumerate(items, 1)}
            seen: set[Any] = set()
            found = (self._extract_item(item, items_seen=seen, base_url=base_url,
                                        itemids=itemids) for item in items)
            return [item for item in found if item]

        def _extract_properties(self, node: Any, items_seen: Any, base_url: Any,
                                itemids: Any) -> Any:
            for prop in _OWN_PROPERTIES(node, item=node):
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
