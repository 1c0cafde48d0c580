"""Every check family; importing this package registers all checks (see audit.registry)."""

from audit.checks import crawl, links, local, nap_consistency, onpage, schema  # noqa: F401
