"""Shared fixtures: fixture sites served on 127.0.0.1 (port 0) and crawled once per session.

Crawls run the real command line in a subprocess against a real local HTTP server; tests then
read the tables it wrote. Nothing here touches the internet.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from audit.site_server import SiteServer, serve
from tests.tls import ca_bundle, certificate_authority, server_context

# The technical-check and compliance sites' crawls, session-scoped like the ones below, so every
# module (and the catalogue coverage test) shares one crawl of each site.
pytest_plugins = ["tests.technical_sites", "tests.compliance_sites", "tests.render_sites"]

SITES = Path(__file__).parent / "sites"
# Every saved page the extraction tests read: single pages and the fixture sites' pages.
SAVED_PAGES = sorted([*(Path(__file__).parent / "html").rglob("*.html"), *SITES.glob("**/*.html")])


# Debian's chromium, driven headless by the report's browser tests (the `browser` fixture).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Crawl:
    """The outcome of one CLI crawl of a fixture site."""

    def __init__(self, out: Path, server: SiteServer, result: subprocess.CompletedProcess):
        self.out = out
        self.origin = server.url
        self.external = server.external.url if server.external else ""
        self.external_hits = server.external.hits() if server.external else {}
        self.result = result

    def url(self, path: str) -> str:
        return self.origin + path

    def csv(self, name: str) -> pd.DataFrame:
        """A report CSV with every cell as text, blanks empty, and the apostrophe that
        neutralises formula-like cells ("+1 310...") taken off again."""
        frame = pd.read_csv(self.out / name, encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
        return frame.map(lambda v: v[1:] if v[:2] in ("'=", "'+", "'-", "'@") else v)

    def issues(self, check: str) -> pd.DataFrame:
        issues = self.csv("issues.csv")
        return issues[issues["check"] == check]

    def flagged(self, check: str) -> set[str]:
        """Paths (relative to the site's origin) of the pages a check flagged."""
        return {u.replace(self.origin, "") for u in self.issues(check)["url"]}


def run_cli(*args: str, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The command line in a subprocess; ``env`` adds to (or overrides) this environment."""
    return subprocess.run([sys.executable, "-m", "audit.cli", *args], capture_output=True,
                          text=True, timeout=timeout,
                          env={**os.environ, **env} if env is not None else None)


def crawl_site(tmp: Path, site: str, *extra: str, external: str | None = "external",
               tls: ssl.SSLContext | None = None, env: dict[str, str] | None = None,
               quiet: bool = True) -> Crawl:
    """Serve a fixture site (over HTTPS with ``tls``) and crawl it; ``env`` is added to the
    crawl's environment (SSL_CERT_FILE to trust a test certificate authority). Not ``quiet``:
    the summary's lines on stderr can be tested too."""
    with serve(SITES / site, external=SITES / external if external else None,
               tls=tls) as server:
        out = tmp / site
        result = run_cli("crawl", server.url + "/", "--out", str(out),
                         *(["--quiet"] if quiet else []), *extra, env=env)
        assert result.returncode == 0, result.stderr
        return Crawl(out, server, result)


@pytest.fixture(scope="session")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The clinic fixture site (on-page and link defects plus their look-alikes), crawled once."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "clinic")


@pytest.fixture(scope="session")
def clinic_hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A site whose titles and anchor texts carry script tags and spreadsheet formulas."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "hostile", external=None)


PROFILES = Path(__file__).parent / "profiles"


@pytest.fixture(scope="session")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The practice fixture site (planted NAP mismatches and look-alikes), with a profile."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "practice",
                     "--profile", str(PROFILES / "blair.toml"), external=None)


@pytest.fixture(scope="session")
def practice_inferred(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The same site crawled without a profile: the business record is inferred."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "practice", external=None)


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A small practice site with nothing wrong on it, crawled with its profile. Served over
    HTTPS with a certificate the crawl trusts (SSL_CERT_FILE), as a sound site is."""
    tmp = tmp_path_factory.mktemp("crawls")
    ca = certificate_authority()
    yield crawl_site(tmp, "clean", "--profile", str(PROFILES / "blair.toml"), external=None,
                     tls=server_context(ca),
                     env={"SSL_CERT_FILE": str(ca_bundle(ca, tmp / "ca.pem"))})


@pytest.fixture(scope="session")
def trap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A site doing everything cheap hosting does to crawlers, with tight trap limits."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "trap", "--timeout", "2",
                     "--set", "SEO_MAX_QUERY_VARIANTS=10", "--set", "EXTERNAL_TIMEOUT=1",
                     external="external_hostile")


@pytest.fixture(scope="session")
def fortress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A site whose bot protection refuses every page but the home page."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "fortress", "--concurrency", "2",
                     external=None)


@pytest.fixture(scope="session")
def clinic_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The clinic site crawled with a page limit far below its size."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "clinic", "--max-pages", "3",
                     "--no-external")
