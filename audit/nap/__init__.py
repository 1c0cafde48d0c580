"""NAP (name, address, phone) and license facts of one HTML page.

Pure functions, no Scrapy: the spider hands over a ``NapSources`` per page and the checks
compare the facts across pages, schema and the practice roster. The rules behind every
choice are in the domain notes (shared/domain/local-seo.md, sections 1-3 and 9):
compare entities after normalisation, never raw strings, and keep crisis lines, fax
numbers, course codes and form numbers out of the NAP.

One module per concern: text (shared helpers and the fast scans), phones, licenses,
addresses, names (practice names, copyright lines, title names), schema (JSON-LD, microdata,
RDFa) and facts (nap_facts, which puts them together). Everything is imported here, so
``from audit.nap import X`` works as it did when this was one module.
"""

from __future__ import annotations

from audit.nap.addresses import _ZIP_RE as _ZIP_RE
from audit.nap.addresses import address_key, canonical_address, compare_addresses
from audit.nap.facts import NapSources, nap_facts
from audit.nap.licenses import (
    GENERIC_LICENSE_TYPES,
    STATE_LICENSE_TYPES,
    find_licenses,
    normalize_license,
)
from audit.nap.licenses import _license_matches as _license_matches
from audit.nap.names import _copyright_matches as _copyright_matches
from audit.nap.names import names_match, normalize_name
from audit.nap.phones import CRISIS_NUMBERS as CRISIS_NUMBERS
from audit.nap.phones import SHORT_CODES as SHORT_CODES
from audit.nap.phones import TOLL_FREE_CODES as TOLL_FREE_CODES
from audit.nap.phones import _e164 as _e164
from audit.nap.phones import _phone_matches as _phone_matches
from audit.nap.phones import _phone_stretches as _phone_stretches
from audit.nap.phones import _short_code_matches as _short_code_matches
from audit.nap.phones import normalize_phone, phone_role
from audit.nap.schema import (
    LOCAL_BUSINESS_TYPES,
    ORGANIZATION_TYPES,
    is_local_business,
    missing_required,
    node_types,
    parse_jsonld_blocks,
    walk_nodes,
)
from audit.nap.text import _ASCII_LOOKALIKES as _ASCII_LOOKALIKES

__all__ = [
    "LOCAL_BUSINESS_TYPES",
    "ORGANIZATION_TYPES",
    "GENERIC_LICENSE_TYPES",
    "STATE_LICENSE_TYPES",
    "NapSources",
    "address_key",
    "canonical_address",
    "compare_addresses",
    "find_licenses",
    "is_local_business",
    "missing_required",
    "names_match",
    "nap_facts",
    "node_types",
    "normalize_license",
    "normalize_name",
    "normalize_phone",
    "parse_jsonld_blocks",
    "phone_role",
    "walk_nodes",
]
