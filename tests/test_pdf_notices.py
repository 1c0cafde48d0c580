"""The notices a PDF of the site names (spiders.documents): read at crawl time, on the PDF's
fetch record, and a column of the fetches and pages frames.

The "pdf_notices" fixture site links its fees PDF (a Good Faith Estimate notice) from the fees
page and its policies PDF (the Notice of Privacy Practices) from the footer, with link texts and
pages that name neither notice, beside a broken PDF and HTML pages. Its PDFs are written by
tests/sites/pdf_notices/make_pdfs.py.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from audit.load import load
from spiders import documents
from spiders.documents import PDF_MAX_BYTES, PDF_MAX_PAGES, is_pdf, pdf_notices, pdf_text
from tests.conftest import SITES, Crawl, crawl_site

DOCS = SITES / "pdf_notices" / "docs"


def _generator() -> ModuleType:
    path = SITES / "pdf_notices" / "make_pdfs.py"
    spec = importlib.util.spec_from_file_location("make_pdfs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the PDF reader, on bytes -----------------------------------------------------------------


def test_fixture_pdfs_are_what_the_generator_writes() -> None:
    make = _generator()
    assert (DOCS / "fees.pdf").read_bytes() == make.pdf(make.FEES)
    assert (DOCS / "policies.pdf").read_bytes() == make.pdf(make.POLICIES)
    assert (DOCS / "broken.pdf").read_bytes() == make.BROKEN


def test_notices_are_read_from_the_text_of_a_pdf() -> None:
    assert "gfe" in pdf_notices((DOCS / "fees.pdf").read_bytes())
    assert "privacy_notice" in pdf_notices((DOCS / "policies.pdf").read_bytes())
    assert "Notice of Privacy Practices" in pdf_text((DOCS / "policies.pdf").read_bytes())


@pytest.mark.parametrize("body", [
    b"", b"%PDF-", b"%PDF-1.7\n" + bytes(range(256)) * 8, b"<!doctype html><title>x</title>",
    (DOCS / "fees.pdf").read_bytes()[:600],  # cut off before its cross-reference table
    # a page tree that contains itself; a page that is its own content stream
    (DOCS / "fees.pdf").read_bytes().replace(b"/Kids [4 0 R 6 0 R]", b"/Kids [2 0 R 2 0 R]"),
    (DOCS / "fees.pdf").read_bytes().replace(b"/Contents 5 0 R", b"/Contents 4 0 R"),
], ids=["empty", "header-only", "garbage", "html", "truncated", "page-tree-loop", "self-content"])
def test_a_pdf_that_cannot_be_read_names_nothing_and_never_raises(body: bytes) -> None:
    assert pdf_notices(body) == []


def test_an_encrypted_pdf_is_read_only_without_a_password() -> None:
    pypdf = pytest.importorskip("pypdf")

    def encrypted(user_password: str) -> bytes:
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(DOCS / "fees.pdf"))
        writer.encrypt(user_password, "owner secret", algorithm="AES-128")
        out = BytesIO()
        writer.write(out)
        return out.getvalue()

    assert "gfe" in pdf_notices(encrypted(""))  # opens in any viewer: restrictions only
    assert pdf_notices(encrypted("patients only")) == []


def test_only_the_first_pages_are_read() -> None:
    make = _generator()
    filler = [["Office hours and directions."]] * (PDF_MAX_PAGES - 1)
    notice = ["You have the right to receive a Good Faith Estimate."]
    assert "gfe" in pdf_notices(make.pdf([*filler, notice]))
    assert "gfe" not in pdf_notices(make.pdf([*filler, ["Parking."], notice]))


def test_a_pdf_over_the_size_limit_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    body = (DOCS / "fees.pdf").read_bytes()
    assert PDF_MAX_BYTES == 10 * 1024 * 1024
    monkeypatch.setattr(documents, "PDF_MAX_BYTES", len(body))
    assert "gfe" in pdf_notices(body)
    monkeypatch.setattr(documents, "PDF_MAX_BYTES", len(body) - 1)
    assert pdf_notices(body) == []


def test_a_pdf_is_known_by_its_type_or_its_first_bytes() -> None:
    assert is_pdf("application/pdf", b"")
    assert is_pdf("Application/PDF; name=fees.pdf", b"")
    assert is_pdf("application/octet-stream", b"%PDF-1.4\n")
    assert is_pdf(None, b"%PDF-1.7")
    assert not is_pdf("text/html; charset=utf-8", b"<!doctype html>")
    assert not is_pdf(None, b"")


def test_html_crawls_never_import_pypdf() -> None:
    code = "import sys, spiders.site; assert 'pypdf' not in sys.modules, 'pypdf imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parent.parent)
    assert result.returncode == 0, result.stderr


# --- the crawl --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(tmp_path_factory.mktemp("crawls"), "pdf_notices", external=None)


def _row(frame: pd.DataFrame, crawl: Crawl, path: str) -> pd.Series:
    rows = frame[frame["url"] == crawl.url(path)]
    assert len(rows) == 1, f"{path}: {len(rows)} rows"
    return rows.iloc[0]


def test_the_crawl_records_the_notices_of_each_pdf(pdf_site: Crawl) -> None:
    frames = load(pdf_site.out)
    assert frames.crawl_state["close_reason"] == "finished"
    for frame in (frames.fetches, frames.pages):
        fees = _row(frame, pdf_site, "/docs/fees.pdf")
        policies = _row(frame, pdf_site, "/docs/policies.pdf")
        broken = _row(frame, pdf_site, "/docs/broken.pdf")
        assert fees["kind"] == "page" and fees["status"] == 200
        assert isinstance(fees["notices"], list) and "gfe" in fees["notices"]
        assert fees["notices"] == sorted(fees["notices"])
        assert "privacy_notice" in policies["notices"]
        assert "gfe" not in policies["notices"]
        assert broken["status"] == 200 and broken["notices"] == []
        for path in ("/", "/fees.html", "/about.html"):
            notices = _row(frame, pdf_site, path)["notices"]
            assert notices is None or notices == []


def test_notices_stay_json_lists_in_the_records(pdf_site: Crawl) -> None:
    records = [json.loads(line) for line in
               (pdf_site.out / "crawl" / "fetches.jsonl").read_text("utf-8").splitlines()]
    by_path = {r["url"].replace(pdf_site.origin, ""): r for r in records}
    assert "gfe" in by_path["/docs/fees.pdf"]["notices"]
    assert by_path["/docs/broken.pdf"]["notices"] == []
    assert by_path["/fees.html"]["notices"] is None


def test_a_pdf_is_not_extracted_as_a_page(pdf_site: Crawl) -> None:
    pages = load(pdf_site.out).pages
    recorded = [json.loads(line)["url"] for line in
                (pdf_site.out / "crawl" / "pages.jsonl").read_text("utf-8").splitlines()]
    assert not [url for url in recorded if url.endswith(".pdf")]
    for path in ("/docs/fees.pdf", "/docs/policies.pdf", "/docs/broken.pdf"):
        row = _row(pages, pdf_site, path)
        assert not row["extracted"] and not row["is_html"]
        assert pd.isna(row["title"]) and pd.isna(row["word_count"])
    assert _row(pages, pdf_site, "/fees.html")["extracted"]
    flagged = pdf_site.csv("issues.csv")["url"].tolist()
    assert not [url for url in flagged if url.endswith(".pdf")]


def test_a_crawl_recorded_before_notices_still_loads(pdf_site: Crawl, tmp_path: Path) -> None:
    crawl = tmp_path / "old" / "crawl"
    crawl.mkdir(parents=True)
    for name in ("fetches.jsonl", "pages.jsonl", "links.jsonl"):
        lines = (pdf_site.out / "crawl" / name).read_text("utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        for record in records:
            record.pop("notices", None)
        (crawl / name).write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    frames = load(tmp_path / "old")
    for frame in (frames.fetches, frames.pages):
        assert "notices" in frame.columns
        assert frame["notices"].isna().all()
