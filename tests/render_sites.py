"""Session-scoped crawls of the sites built by JavaScript (tests/sites/js_nav, js_stubs), with
and without ``--render``, loaded as a plugin by tests/conftest.py (``pytest_plugins``), so that
tests/test_render.py and tests/test_catalogue_coverage.py share them.

The rendered crawls drive a real headless Chromium (Debian's, which `make test` installs) over
pages served on 127.0.0.1; each takes a few seconds, most of it the browser starting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Crawl, crawl_site

# A page that never settles (tests/sites/js_nav/contact/ polls its server) is read after this
# many seconds instead of the default ten.
SETTLE_SECONDS = "3"


def crawl_js_site(tmp: Path, site: str, *extra: str) -> Crawl:
    """Crawl a fixture site without --quiet: the summary's lines on stderr are tested too."""
    return crawl_site(tmp, site, "--no-external", "--set",
                      f"SEO_RENDER_TIMEOUT={SETTLE_SECONDS}", *extra, external=None,
                      quiet=False)


@pytest.fixture(scope="session")
def js_nav_plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The site whose menu a script writes, crawled as its HTML is."""
    yield crawl_js_site(tmp_path_factory.mktemp("crawls"), "js_nav")


@pytest.fixture(scope="session")
def js_nav_rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    yield crawl_js_site(tmp_path_factory.mktemp("crawls"), "js_nav", "--render")


@pytest.fixture(scope="session")
def js_stubs_plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The loader-stub site (a spinner; a script fetches the content), crawled as HTML."""
    yield crawl_js_site(tmp_path_factory.mktemp("crawls"), "js_stubs")


@pytest.fixture(scope="session")
def js_stubs_rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """Rendered, obeying robots.txt, which disallows /content/ (the about page's content)."""
    yield crawl_js_site(tmp_path_factory.mktemp("crawls"), "js_stubs", "--render")


@pytest.fixture(scope="session")
def js_stubs_rendered_ignoring_robots(
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """Also renders each page in a browser context of its own (the crawl's context is
    replaced every SEO_RENDER_PAGES_PER_CONTEXT pages, 200 by default)."""
    yield crawl_js_site(tmp_path_factory.mktemp("crawls"), "js_stubs", "--render",
                        "--ignore-robots", "--set", "SEO_RENDER_PAGES_PER_CONTEXT=1")
