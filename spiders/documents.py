"""The notices a PDF of the site names: its text, read with pypdf, through the same
``audit.compliance.text_signals`` that reads a page's visible text.

Practices often post their Good Faith Estimate notice and HIPAA Notice of Privacy Practices as
PDFs linked with words that name neither ("Download our policies (PDF)"); the compliance checks
count a notice found in one. A PDF is never extracted as a page: its only fact is ``notices``
on its fetch record.

Pure and blocking: the spider runs ``pdf_notices`` on a thread, off the reactor. Whatever a PDF
holds, the cost is bounded (its size, the first pages, a time budget, the text kept) and nothing
raises: a PDF that cannot be read names no notices. pypdf is imported on the first PDF only, so
a crawl of HTML pages never loads it.
"""

from __future__ import annotations

import logging
import time

from audit.compliance import text_signals

PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
PDF_MAX_BYTES = 10 * 1024 * 1024  # larger PDFs are not read (the crawl's download limit too)
PDF_MAX_PAGES = 20  # the notices are on the first pages of a policies document
PDF_MAX_SECONDS = 10.0  # no page is started after this long on one PDF
PDF_MAX_CHARS = 1_000_000  # text kept for text_signals


def is_pdf(content_type: str | None, body: bytes) -> bool:
    """A PDF by its Content-Type or by its first bytes (servers send PDFs as
    application/octet-stream, even as text/html)."""
    if content_type and content_type.split(";")[0].strip().lower() in PDF_TYPES:
        return True
    return body[:5] == b"%PDF-"


def pdf_text(body: bytes, max_pages: int = PDF_MAX_PAGES,
             max_seconds: float = PDF_MAX_SECONDS) -> str:
    """The text of a PDF's first pages; "" when it cannot be read (broken, encrypted with a
    password, too large). Never raises."""
    if not body or len(body) > PDF_MAX_BYTES:
        return ""
    try:
        return _read(body, max_pages, max_seconds)
    except Exception:  # noqa: BLE001 - anything pypdf raises on a hostile file: no text
        return ""


def pdf_notices(body: bytes) -> list[str]:
    """The notices a PDF's text names (sorted ``text_signals`` keys); [] for a PDF that cannot
    be read. Never raises."""
    try:
        return text_signals(pdf_text(body))
    except Exception:  # noqa: BLE001 - a fact missing, never a crawl stopped
        return []


def _read(body: bytes, max_pages: int, max_seconds: float) -> str:
    from io import BytesIO

    import pypdf  # here, not at import: only a crawl that meets a PDF pays for it

    # pypdf warns of every repair it makes to a broken file; the crawl's log is not the place
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    started = time.monotonic()
    reader = pypdf.PdfReader(BytesIO(body), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return ""  # a password is needed to open it: no visitor reads it either
    parts: list[str] = []
    kept = 0
    for number, page in enumerate(reader.pages):
        if number >= max_pages or kept >= PDF_MAX_CHARS \
                or time.monotonic() - started > max_seconds:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one unreadable page; the others may still read
            continue
        parts.append(text[:PDF_MAX_CHARS - kept])
        kept += len(parts[-1])
    return "\n".join(parts)
