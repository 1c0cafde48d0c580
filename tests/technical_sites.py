"""Session-scoped crawls of the technical-check fixture sites (canonical and hreflang,
crawlability, security, experience, content), loaded as a plugin by tests/conftest.py
(``pytest_plugins``).

Each site is crawled once per session, whichever modules ask for it: the check families' own
test modules and tests/test_catalogue_coverage.py share the same crawls. The crawls are those the
test modules used to make for themselves (same sites, command-line arguments, environment and
certificates).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from audit.site_server import serve
from tests.conftest import SITES, Crawl, crawl_site, run_cli
from tests.tls import ca_bundle, certificate_authority, self_signed_context, server_context

# The weight of each heavy photo added to the experience site's copy.
HEAVY_BYTES = 300 * 1024


def crawl_from(tmp: Path, site: str, path: str, *extra: str) -> Crawl:
    """crawl_site, but starting at ``path`` instead of the home page."""
    with serve(SITES / site) as server:
        out = tmp / site
        result = run_cli("crawl", server.url + path, "--out", str(out), "--quiet", *extra)
        assert result.returncode == 0, result.stderr
        return Crawl(out, server, result)


# --- canonical and hreflang (tests/test_canonical.py) --------------------------------------


@pytest.fixture(scope="session")
def canonical_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "canonical" site: every canonical and hreflang defect beside a look-alike."""
    return crawl_site(tmp_path_factory.mktemp("crawls"), "canonical", external="external")


# --- crawlability (tests/test_crawlability.py) ---------------------------------------------


@pytest.fixture(scope="session")
def crawlability_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The "crawlability" site, crawled obeying its robots.txt."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "crawlability", external=None)


@pytest.fixture(scope="session")
def crawlability_ignoring_robots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The "crawlability" site, crawled with --ignore-robots."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "crawlability", "--ignore-robots",
                     external=None)


@pytest.fixture(scope="session")
def crawlability_nositemap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A site without a sitemap, crawled from /start/ (two redirects before the home page)."""
    yield crawl_from(tmp_path_factory.mktemp("crawls"), "crawlability_nositemap", "/start/")


@pytest.fixture(scope="session")
def crawlability_robots503(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """A site whose robots.txt answers 503."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "crawlability_robots503",
                     external=None)


# --- security (tests/test_security.py) ------------------------------------------------------


@pytest.fixture(scope="session")
def security_ca() -> trustme.CA:
    """The session's test certificate authority."""
    return certificate_authority()


@pytest.fixture(scope="session")
def security_trusting_env(security_ca: trustme.CA,
                          tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a crawl that trusts the test authority, as a real site's would."""
    return {"SSL_CERT_FILE": str(ca_bundle(security_ca,
                                           tmp_path_factory.mktemp("tls") / "ca.pem"))}


@pytest.fixture(scope="session")
def secure_site(security_ca: trustme.CA, security_trusting_env: dict[str, str],
                tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "secure" site over HTTPS with a certificate the crawl trusts."""
    return crawl_site(tmp_path_factory.mktemp("crawls"), "secure",
                      tls=server_context(security_ca), env=security_trusting_env)


@pytest.fixture(scope="session")
def security_plain_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "plain" site over plain http."""
    return crawl_site(tmp_path_factory.mktemp("crawls"), "plain")


@pytest.fixture(scope="session")
def secure_expired(security_ca: trustme.CA, security_trusting_env: dict[str, str],
                   tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The secure site with a certificate from the trusted authority that expired yesterday."""
    now = datetime.now(UTC)
    context = server_context(security_ca, not_before=now - timedelta(days=90),
                             not_after=now - timedelta(days=1))
    return crawl_site(tmp_path_factory.mktemp("crawls"), "secure", "--max-pages", "3",
                      external=None, tls=context, env=security_trusting_env)


@pytest.fixture(scope="session")
def secure_self_signed(security_trusting_env: dict[str, str],
                       tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The secure site with a self-signed certificate."""
    return crawl_site(tmp_path_factory.mktemp("crawls"), "secure", "--max-pages", "3",
                      external=None, tls=self_signed_context(), env=security_trusting_env)


# --- mobile, language, speed and addresses (tests/test_experience.py) ----------------------


@pytest.fixture(scope="session")
def experience_plain_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The plain site and the external site, copied, each with a heavy photo added."""
    tmp = tmp_path_factory.mktemp("experience")
    site, external = tmp / "plain", tmp / "external"
    shutil.copytree(SITES / "plain", site)
    shutil.copytree(SITES / "external", external)
    # Random bytes do not compress: the photo weighs what a real unoptimised photo does.
    (site / "images" / "big.jpg").write_bytes(os.urandom(HEAVY_BYTES))
    (site / "images" / "office-full-size.jpg").write_bytes(os.urandom(HEAVY_BYTES))
    (external / "big.jpg").write_bytes(os.urandom(HEAVY_BYTES))
    with serve(site, external=external) as server:
        out = tmp / "out"
        result = run_cli("crawl", server.url + "/", "--out", str(out), "--quiet")
        assert result.returncode == 0, result.stderr
        return Crawl(out, server, result)


# --- link and content quality (tests/test_content.py) --------------------------------------


@pytest.fixture(scope="session")
def content_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The "content" site: generic link texts, uncrawlable anchors, nofollow, near-duplicates."""
    yield crawl_site(tmp_path_factory.mktemp("crawls"), "content")
