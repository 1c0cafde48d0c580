"""Every check family; importing this package registers all checks (see audit.registry)."""

from audit.checks import (  # noqa: F401
    canonical,
    compliance,
    content,
    crawl,
    crawlability,
    experience,
    links,
    local,
    nap_consistency,
    onpage,
    render,
    schema,
    security,
)
