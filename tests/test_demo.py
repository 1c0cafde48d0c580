"""The bundled demo: `seo-audit demo` reports exactly the defects planted in
audit/demo_site/PLANTED.md, on the right pages, and none of its look-alikes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tests.conftest import run_cli

PLANTED = {
    "broken-link": {"/blog/causes-of-anxiety/", "/blog/what-is-psychodynamic-therapy/",
                    "/services/"},
    "h1-missing": {"/services/couples-therapy/"},
    "h1-multiple": {"/blog/"},
    "heading-skipped-level": {"/services/psychodynamic-therapy/"},
    "image-missing-alt": {"/about/", "/blog/what-is-psychodynamic-therapy/"},
    "link-to-redirect": {"/blog/what-is-psychodynamic-therapy/"},
    "meta-description-missing": {"/blog/causes-of-anxiety/"},
    "meta-description-too-long": {"/about/"},
    "nap-address-mismatch": {"/blog/causes-of-anxiety/"},
    "nap-license-mismatch": {"/services/executive-burnout/"},
    "nap-name-mismatch": {"/faq/"},
    "nap-phone-mismatch": {"/fees/", "/services/depression-therapy/"},
    "noindex": {"/thank-you/"},
    "orphan-page": {"/services/eating-disorders/"},
    "page-error": {"/services/trauma-therapy/"},
    "redirect-chain": {"/fees/"},
    "schema-nap-mismatch": {"/contact/"},
    "thin-content": {"/telehealth/"},
    "title-duplicate": {"/services/anxiety-therapy/", "/services/depression-therapy/"},
    "title-missing": {"/blog/when-to-seek-help/"},
    "title-too-long": {"/services/executive-burnout/"},
    "canonical-to-homepage": {"/services/"},
    "sitemap-bad-url": {"/services/"},
    "robots-blocks-linked": {"/privacy/"},
    "https-missing": {"/"},
    "form-insecure": {"/contact/"},
}


def test_demo_reports_exactly_the_planted_defects(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run_cli("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str((out / "report.html").resolve())
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", dtype=str,
                         keep_default_na=False)
    issues["path"] = issues["url"].map(lambda u: re.sub(r"^http://127\.0\.0\.1:\d+", "", u))
    found = {check: set(rows["path"]) for check, rows in issues.groupby("check")}
    assert found == PLANTED
    for name in ("pages.csv", "links.csv", "nap.csv", "keywords.csv", "audit.xlsx"):
        assert (out / name).stat().st_size > 0
