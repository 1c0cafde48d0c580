"""Writes the PDFs of the pdf_notices fixture site (tests/test_pdf_notices.py). Run it from
anywhere after changing the texts below; the generated files are committed.

Each PDF is written by hand, the smallest valid file that pypdf reads text from: a catalog, a
page tree with one page per list of lines, a Helvetica font and an uncompressed text stream
per page, and a cross-reference table with each object's byte offset. ``broken.pdf`` is
garbage with a PDF name (the server sends it as application/pdf).
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent / "docs"

FEES = [
    [
        "Blair Counseling - Fees for self-pay clients",
        "Individual session (50 minutes): $180",
        "Couples session (80 minutes): $240",
        "You have the right to receive a Good Faith Estimate",
        "explaining how much your medical care will cost.",
    ],
    [
        "Under the law, health care providers need to give patients who don't have",
        "insurance or who are not using insurance an estimate of the bill for medical items",
        "and services. For questions, visit www.cms.gov/nosurprises.",
    ],
]

POLICIES = [
    [
        "Blair Counseling - Office policies",
        "Cancellations: please give us 24 hours notice.",
    ],
    [
        "Notice of Privacy Practices",
        "This notice describes how medical information about you may be used and",
        "disclosed and how you can get access to this information.",
    ],
]

BROKEN = b"%PDF-1.7\n\x00\x01 this is not a PDF at all \xff\xfe" + bytes(range(256)) * 4


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stream(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 12 Tf", "16 TL", "72 720 Td"]
    for line in lines:
        ops.append(f"({_escape(line)}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines."""
    count = len(pages)
    # 1 catalog, 2 page tree, 3 font, then per page: the page and its content stream
    page_ids = [4 + 2 * i for i in range(count)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (f"<< /Type /Pages /Kids [{' '.join(f'{n} 0 R' for n in page_ids)}] "
         f"/Count {count} >>").encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for number, lines in zip(page_ids, pages, strict=True):
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                        f"/Resources << /Font << /F1 3 0 R >> >> "
                        f"/Contents {number + 1} 0 R >>").encode())
        content = _stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content
                       + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    (DOCS / "fees.pdf").write_bytes(pdf(FEES))
    (DOCS / "policies.pdf").write_bytes(pdf(POLICIES))
    (DOCS / "broken.pdf").write_bytes(BROKEN)


if __name__ == "__main__":
    main()
