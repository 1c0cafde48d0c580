"""Session-scoped crawls of the patient-trust and compliance fixture sites, loaded as a plugin
by tests/conftest.py (``pytest_plugins``), so tests/test_compliance.py and
tests/test_catalogue_coverage.py share one crawl of each site.

- ``compliance``: Doe Family Therapy (an LMFT's practice) with every compliance defect planted
  beside its look-alike, crawled with tests/profiles/doe.toml;
- ``compliance_clean``: the same practice done right, with the same profile;
- ``compliance_minimal``: a psychologist's three pages, no license number, no profile;
- ``compliance_dental``: a dental practice (no mental-health words), no profile.

The pages load trackers and a booking portal from real third-party hosts (connect.facebook.net,
googletagmanager.com, clientsecure.me): the crawls run with --no-external so nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import copy
import shutil

import pytest

from tests.conftest import PROFILES, Crawl, crawl_site, run_cli

DOE = PROFILES / "doe.toml"
DOE_EXEMPT = PROFILES / "doe_exempt.toml"


def _crawl(tmp_path_factory: pytest.TempPathFactory, site: str, *extra: str) -> Crawl:
    return crawl_site(tmp_path_factory.mktemp("crawls"), site, *extra, "--no-external",
                      external=None)


@pytest.fixture(scope="session")
def compliance_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "compliance" site, crawled with the Doe profile."""
    return _crawl(tmp_path_factory, "compliance", "--profile", str(DOE))


@pytest.fixture(scope="session")
def compliance_exempt(compliance_site: Crawl, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The same crawl re-checked (``seo-audit report``, nothing fetched) with a profile saying
    the practice sees no self-pay patients and is not a HIPAA covered entity."""
    out = tmp_path_factory.mktemp("reports") / "compliance_exempt"
    shutil.copytree(compliance_site.out, out)
    result = run_cli("report", str(out), "--profile", str(DOE_EXEMPT))
    assert result.returncode == 0, result.stderr
    exempt = copy.copy(compliance_site)
    exempt.out, exempt.result = out, result
    return exempt


@pytest.fixture(scope="session")
def compliance_clean_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "compliance_clean" site, crawled with the Doe profile."""
    return _crawl(tmp_path_factory, "compliance_clean", "--profile", str(DOE))


@pytest.fixture(scope="session")
def compliance_minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "compliance_minimal" site (a psychologist), crawled without a profile."""
    return _crawl(tmp_path_factory, "compliance_minimal")


@pytest.fixture(scope="session")
def compliance_dental_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The "compliance_dental" site (a dental practice), crawled without a profile."""
    return _crawl(tmp_path_factory, "compliance_dental")
