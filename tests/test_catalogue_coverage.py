"""Every check id is exercised by a fixture site: each one flags something somewhere.

The crawls are the session fixtures of tests/conftest.py, tests/technical_sites.py and
tests/compliance_sites.py, so this test shares them with the modules that test each check family:
no site is crawled twice.
"""

from __future__ import annotations

import pytest

from audit.registry import all_checks

# Every session crawl fixture whose crawl produces findings.
CRAWLS = (
    # tests/conftest.py
    "clinic", "practice", "practice_inferred", "clinic_hostile", "trap", "fortress",
    "clinic_limited", "clean",
    # tests/technical_sites.py
    "canonical_site",
    "crawlability_site", "crawlability_ignoring_robots", "crawlability_nositemap",
    "crawlability_robots503",
    "secure_site", "security_plain_site", "secure_expired", "secure_self_signed",
    "experience_plain_site",
    "content_site",
    # tests/compliance_sites.py
    "compliance_site", "compliance_clean_site", "compliance_minimal_site",
    "compliance_dental_site",
    # tests/render_sites.py
    "js_nav_rendered", "js_stubs_rendered",
)


def test_every_check_fires_on_some_fixture(request: pytest.FixtureRequest) -> None:
    fired: set[str] = set()
    for name in CRAWLS:
        fired |= set(request.getfixturevalue(name).csv("issues.csv")["check"])
    missing = {c.id for c in all_checks()} - fired
    assert not missing, f"no fixture exercises {sorted(missing)}"
