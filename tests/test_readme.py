"""The README is part of the contract: it must list every check and keep the two commands."""

from __future__ import annotations

from pathlib import Path

from audit.registry import all_checks

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def test_readme_lists_every_check() -> None:
    for item in all_checks():
        stem = item.id.rsplit("-too-", 1)[0] if "-too-" in item.id else item.id
        assert f"`{item.id}`" in README or f"`{stem}-too-" in README, item.id


def test_readme_gives_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
