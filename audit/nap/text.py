"""Small helpers shared by the NAP readers of audit.nap.

They read nothing of a page on their own: whitespace squashing and the ~60-character context
kept with each fact, the fact dict itself, a plain string from a schema.org value (JSON-LD,
microdata and RDFa addresses and names), and the fast-scan machinery. The license, copyright
and short-code regexes were the crawl's hot spot when finditer tried them at every character
of a page; _find_all locates, at C speed, the few offsets where a match can begin (in the
text's ASCII bytes, one byte per character, so at the text's offsets) and _finditer_from runs
the regex only there, giving exactly the matches of finditer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

_WS = re.compile(r"\s+")


def _squash(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    # ~60 characters around the hit is enough for a reviewer to see why it was classified.
    return _squash(text[max(0, start - width) : end + width])


# Fast path for the regexes that finditer would try at every character of a page (they were
# the crawl's hot spot): every match of them starts with a known string (a board prefix,
# "lic", "copyright", "988", ...), which str.find / bytes.find locate at C speed, and the regex
# runs only there. _finditer_from gives exactly the matches of finditer.
#
# Characters that case-insensitive regex matching treats as equal to an ASCII letter (dotted
# and dotless i, long s, Kelvin sign): "p\u017fy" matches PSY. A text with any of them is
# searched with plain finditer, so the case-insensitive fast paths can rely on ASCII folding.
_ASCII_LOOKALIKES = ("\u0130", "\u0131", "\u017f", "\u212a")


@lru_cache(maxsize=8)  # the copyright and the license scans of one text both ask
def _has_lookalike(text: str) -> bool:
    return not text.isascii() and any(c in text for c in _ASCII_LOOKALIKES)


def _find_all(hay: Any, needles: Iterable[tuple[Any, int]], start: int = 0,
              end: int | None = None) -> list[int]:
    """Sorted offsets ``i - back`` of every occurrence i of each (needle, back) in
    ``hay[start:end]``."""
    found: set[int] = set()
    end = len(hay) if end is None else end
    for needle, back in needles:
        i = hay.find(needle, start, end)
        while i >= 0:
            if i >= back:
                found.add(i - back)
            i = hay.find(needle, i + 1, end)
    return sorted(found)


@lru_cache(maxsize=8)  # the digit, license, short-code and copyright scans of one text share it
def ascii_bytes(text: str) -> bytes:
    """The text with every non-ASCII character as "?": one byte per character, so offsets
    are the text's, and ASCII needles are found at C speed (bytes.find reads one byte per
    character where str.find reads two or four in a text with any character past U+00FF)."""
    return text.encode("ascii", "replace")


# The text with every character that can be a digit as "0" (an ASCII digit, and any non-ASCII
# character, which may be one: "\u0663" is \d too; and "?", which stands for them), "\n" as
# itself and everything else a space: one byte per character, so offsets are the text's.
# Numbers (phones, licenses) are found only on the lines where this shows enough digits.
_DIGIT_MARKS = bytes(
    48 if (48 <= b <= 57 or b == 63) else 10 if b == 10 else 32 for b in range(256))


@lru_cache(maxsize=8)  # the phone and the license scans of one text share it
def digit_marks(text: str) -> bytes:
    return ascii_bytes(text).translate(_DIGIT_MARKS)


def lines_with(marks: bytes, rx: re.Pattern[bytes]) -> Iterator[tuple[int, int]]:
    """(start, end) of each line ("\n"-separated) of ``marks`` where ``rx`` finds a match."""
    pos = 0
    while (m := rx.search(marks, pos)) is not None:
        start = marks.rfind(b"\n", 0, m.start()) + 1
        end = marks.find(b"\n", m.end())
        end = len(marks) if end < 0 else end
        yield start, end
        pos = end + 1


_THREE_DIGITS = re.compile(rb"000")  # in the text's digit marks
_JOIN_GAP = 40  # bytes between two lines of digits that are scanned rather than skipped


@lru_cache(maxsize=8)  # the short-code and the license scans of one text share them
def digit_lines(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the lines of text with three digit marks in a row, those less than
    _JOIN_GAP apart taken as one: a gate's finditer or find call costs more than scanning a
    few bytes more, and the scans that use them only need to cover the lines."""
    out: list[tuple[int, int]] = []
    for start, end in lines_with(digit_marks(text), _THREE_DIGITS):
        if out and start - out[-1][1] < _JOIN_GAP:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _finditer_from(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """rx.finditer(text) when ``starts`` holds every offset where a match of rx can begin.

    Replays finditer: candidates in text order, a match consumes the text up to its end (the
    regexes used here never match the empty string).
    """
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = rx.match(text, s)
        if m is not None:
            yield m
            pos = m.end()


def _fact(field_: str, source: str, zone: str, raw: str, normalized: str, role: str,
          context: str, **extra: Any) -> dict:
    fact = {
        "field": field_,
        "source": source,
        "zone": zone,
        "raw": raw,
        "normalized": normalized,
        "role": role,
        "context": context,
    }
    fact.update(extra)
    return fact


def _text_value(v: Any) -> str:
    """A plain string from a schema value: str, number, {"@value": ..}, or a 1-item list."""
    if isinstance(v, list):
        return _text_value(v[0]) if v else ""
    if isinstance(v, dict):
        return _text_value(v.get("@value", "")) if "@value" in v else ""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return str(v).strip()
    return ""
