"""Every check family; importing this package registers all checks (see audit.registry)."""

from audit.checks import links, onpage  # noqa: F401
