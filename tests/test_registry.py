"""Meta-tests that keep the check catalogue honest, and the runner's guarantees."""

from __future__ import annotations

import pandas as pd

from audit.load import Frames
from audit.registry import (
    ID_PATTERN,
    REGISTRY,
    SEVERITIES,
    AuditContext,
    all_checks,
    check,
    run_checks,
)


def test_every_check_is_complete() -> None:
    checks = all_checks()
    assert len({c.id for c in checks}) == len(checks)
    for item in checks:
        assert ID_PATTERN.match(item.id), item.id
        assert item.severity in SEVERITIES
        assert item.title and not item.title.endswith(".")
        assert len(item.explanation) > 60, f"{item.id} needs a plain-words explanation"
        assert len(item.fix) > 20, f"{item.id} needs a 'How to fix:' part"


def test_ids_of_the_pipeline_issue_exist() -> None:
    ids = {c.id for c in all_checks()}
    for required in ("title-missing", "title-duplicate", "title-too-long", "title-too-short",
                     "meta-description-missing", "meta-description-duplicate",
                     "meta-description-too-long", "meta-description-too-short", "h1-missing",
                     "h1-multiple", "heading-skipped-level", "thin-content",
                     "image-missing-alt", "noindex", "broken-link", "redirect-chain",
                     "link-to-redirect", "redirect-loop", "page-error", "orphan-page"):
        assert required in ids


def test_a_failing_check_becomes_an_error_row_and_the_others_still_run() -> None:
    all_checks()

    @check("test-explodes", "notice", "Always fails", "Test", needs=("pages",))
    def explodes(ctx: AuditContext) -> pd.DataFrame:
        """A check that raises. How to fix: nothing, it is a test."""
        raise RuntimeError("boom")

    try:
        pages = pd.DataFrame({"url": ["http://a/"], "ok": [True], "extracted": [True],
                              "title": ["x"], "indexable": [True]})
        result = run_checks(AuditContext(frames=Frames(pages=pages)),
                            only={"test-explodes", "title-missing"})
        row = result[result["check"] == "test-explodes"].iloc[0]
        assert row["severity"] == "error" and "boom" in row["message"]
    finally:
        del REGISTRY["test-explodes"]


def test_check_whose_inputs_are_missing_is_skipped() -> None:
    result = run_checks(AuditContext(frames=Frames(pages=None, links=None, sitemap=None)))
    assert result.empty
