"""Which browser ``--render`` drives, found before the crawl starts.

No Scrapy and no Playwright import here: audit.cli asks this before it starts the crawl, so
that a missing browser is one line and exit status 2, not a traceback from inside the crawl.

The browser, in order: the path in ``SEO_AUDIT_BROWSER`` (an override; a path that does not
exist means "no browser", so it is never silently replaced by another one), Debian's chromium
and its usual other names on PATH, then Playwright's own Chromium if ``playwright install``
put one in its cache.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

BROWSER_ENVIRONMENT = "SEO_AUDIT_BROWSER"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
_ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Where `playwright install chromium` puts its browsers, unless PLAYWRIGHT_BROWSERS_PATH says
PLAYWRIGHT_OWN = "playwright"
INSTALL_HINT = ("install one with `apt-get install chromium` (or `playwright install "
                "chromium`), or point SEO_AUDIT_BROWSER at a Chromium executable")


def _playwright_cache() -> Path:
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if configured and configured != "0":
        return Path(configured)
    return Path.home() / ".cache" / "ms-playwright"


def find_browser() -> str | None:
    """The Chromium executable to launch, PLAYWRIGHT_OWN for Playwright's own, or None."""
    override = os.environ.get(BROWSER_ENVIRONMENT)
    if override:
        path = Path(override).expanduser()
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    for name in _ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    # (a glob of the cache, not Playwright's own lookup: that starts its driver, a second)
    if any(_playwright_cache().glob("chromium*/chrome-*/chrome")):
        return PLAYWRIGHT_OWN
    return None


def render_unavailable() -> str | None:
    """Why ``--render`` cannot run here, in one line, or None when it can."""
    if importlib.util.find_spec("scrapy_playwright") is None:
        return ("--render needs the render extra: pip install 'local-seo-audit[render]' "
                "(scrapy-playwright)")
    if find_browser() is None:
        override = os.environ.get(BROWSER_ENVIRONMENT)
        where = f" ({BROWSER_ENVIRONMENT}={override} is no executable)" if override else ""
        return f"--render needs a Chromium browser and none was found{where}: {INSTALL_HINT}"
    return None
