# TEMPORARY STUB (lead developer) so the pipeline can run until the real module lands; overwrite freely.
from dataclasses import dataclass, field


@dataclass
class NapSources:
    url: str
    title: str
    header_text: str
    main_text: str
    footer_text: str
    tel_links: list = field(default_factory=list)
    jsonld_blocks: list = field(default_factory=list)
    schema_nodes: list = field(default_factory=list)
    og_site_name: str | None = None


def nap_facts(src):
    return []


def normalize_phone(s):
    return s


def normalize_license(s):
    return s
