"""Every check id is exercised by a fixture site: each one flags something somewhere."""

from __future__ import annotations

from audit.registry import all_checks


def test_every_check_fires_on_some_fixture(clinic, practice, clinic_hostile, trap, fortress,
                                          clinic_limited) -> None:
    fired: set[str] = set()
    for crawl in (clinic, practice, clinic_hostile, trap, fortress, clinic_limited):
        fired |= set(crawl.csv("issues.csv")["check"])
    missing = {c.id for c in all_checks()} - fired
    assert not missing, f"no fixture exercises {sorted(missing)}"
