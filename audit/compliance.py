"""What a page says that the patient-trust and compliance checks read (audit.checks.compliance).

Pure functions over a page's visible text, title, headings and structured data, run at
extraction time (spiders.extract) because the crawl keeps no page text. Each returns small,
profile-free facts; the checks judge them against the practice's profile.

The rules and their sources are in the domain notes (local-seo.md): the federal notices F1-F3
(section 7b), license wording L3-L5 and L7 (section 1.5), service-area stuffing K3/K5
(section 4) and trackers on form pages P8 (section 5).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from scourgify.address_constants import STATE_ABBREVIATIONS

from audit.places import find_place_spans, find_places

# --- notices and topics named in the text ---------------------------------------------------

# US state names (the longest spelling of each code in the table: "CALIFORNIA", not "CALIF")
# and the postal codes, written as codes (upper case) only: "in ca" is no state.
_LONGEST_NAME: dict[str, str] = {}
for _name, _code in STATE_ABBREVIATIONS.items():
    if len(_name) > len(_LONGEST_NAME.get(_code, "")):
        _LONGEST_NAME[_code] = _name
_STATE_NAMES = sorted((name.title() for name in _LONGEST_NAME.values()), key=len, reverse=True)
_STATE = (r"(?:(?:the\s+)?state\s+of\s+)?(?:" + "|".join(map(re.escape, _STATE_NAMES))
          + r"|(?-i:(?:" + "|".join(sorted(_LONGEST_NAME)) + r")))\b")

# Each signal: its gate words (lower case: every match starts with one of them or holds one,
# see PageText and _has_signal) and its pattern.
_SIGNALS: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    # F1: the Good Faith Estimate notice (45 CFR 149.610)
    "gfe": (("faith",), re.compile(r"good[\s\-]*faith[\s\-]*estimate", re.IGNORECASE)),
    # F2: the HIPAA Notice of Privacy Practices (45 CFR 164.520) posted: its text, which opens
    # with the header the rule prescribes (164.520(b)(1)(i)). A page that merely mentions the
    # notice ("given to you at your first appointment") has not posted it; a page titled with
    # it, or a link naming it, is read by title_notices and link_notices.
    "privacy_notice": (("notice describes",), re.compile(
        r"this\s+notice\s+describes\s+how\s+(?:[\w\-]+\s+){0,3}?information\s+about\s+you"
        r"\s+may\s+be\s+used\s+and\s+disclosed", re.IGNORECASE)),
    "privacy_policy": (("privacy",), re.compile(r"privacy\s+(?:policy|statement)",
                                                re.IGNORECASE)),
    # L7: telehealth offered ...
    "telehealth": (("tele", "virtual", "online", "video", "phone", "zoom", "remote", "session",
                    "in person"), re.compile(
        r"\btele[\s\-]?(?:health|therapy|medicine|psychiatry|psychology|mental[\s\-]health)\b"
        r"|\b(?:online|virtual|video|remote|zoom)\s+(?:therapy|counsel+ing|sessions?|meetings?"
        r"|appointments?|visits?|care|psychotherapy|treatment|consultations?)\b"
        r"|\b(?:tele)?phone\s+(?:sessions?|therapy|appointments?|meetings?)\b"
        r"|\bsessions?\s+(?:are\s+)?(?:also\s+)?(?:available\s+)?(?:by|over|via|on)\s+"
        r"(?:video|zoom|phone|telephone)\b"
        # "in-person, telephone & virtual meetings"
        r"|\b(?:telephone|phone|video|virtual|online|in[\s\-]person)(?:\s*(?:,|and|or|&)\s*"
        r"(?:telephone|phone|video|virtual|online|telehealth|in[\s\-]person))+\s+(?:sessions?"
        r"|therapy|appointments?|visits?|counsel+ing|meetings?|consultations?)\b",
        re.IGNORECASE)),
    # ... and where its clients must be, or where the clinician is licensed
    "jurisdiction": (("located", "liv", "resid", "licensed", "present"),
                     re.compile(
        # ("based in California" says where the practice is, not where its clients must be)
        r"\b(?:located|living|residing|resides?|lives?|present)\s+(?:\w+\s+){0,2}?"
        r"(?:in|within)\s+(?:the\s+)?" + _STATE
        + r"|\bresidents?\s+of\s+(?:the\s+)?" + _STATE
        + r"|\blicensed\s+(?:[\w\-]+\s+){0,5}?(?:in|by)\s+(?:the\s+)?" + _STATE,
        re.IGNORECASE)),
    # a mental-health practice (F3 applies): therapy or counselling of the mind, not of the
    # body ("physical therapy", "massage therapist") or of money
    "therapy": (("therap", "counsel", "psycho", "mental health"), re.compile(
        r"(?<!physical\s)(?<!massage\s)(?<!occupational\s)(?<!speech\s)(?<!respiratory\s)"
        r"(?<!radiation\s)(?<!infusion\s)(?<!hormone\s)(?<!laser\s)(?<!light\s)(?<!dental\s)"
        r"\b(?:psycho)?therap(?:y|ies|ist|ists)\b"
        r"|(?<!financial\s)(?<!legal\s)(?<!nutrition\s)(?<!nutritional\s)(?<!genetic\s)"
        r"(?<!credit\s)(?<!debt\s)\bcounsel+(?:ing|ors?)\b"
        r"|\bpsychologists?\b|\bmental\s+health\b", re.IGNORECASE)),
}
# L4: an associate's supervision stated (looked for on pages that name a registrant only)
_SUPERVISION = re.compile(r"\bsupervis(?:ed|ion|or|ors|ing|es)\b", re.IGNORECASE)


_NOTICE_TITLE = re.compile(r"notice\s+of\s+(?:our\s+|the\s+)?(?:hipaa\s+)?privacy\s+practices"
                           r"|hipaa\s+(?:privacy\s+)?notice|privacy\s+practices\s+notice",
                           re.IGNORECASE)


def title_notices(title: str | None, headings: list[list[Any]]) -> list[str]:
    """"privacy_notice" when the page's title or a main heading names the Notice of Privacy
    Practices: the page is the notice."""
    texts = [title or ""] + [t for level, t in headings if level in (1, 2) and isinstance(t, str)]
    # every match says "notice" (no look-alike letter matches n, o or t): most texts are not
    # searched
    return (["privacy_notice"] if any(_NOTICE_TITLE.search(t) for t in texts
                                      if "not" in t.lower()) else [])


# "California-licensed": a state's name or code is looked up in the words just before each
# "licensed" (a pattern that starts with fifty names is slow to scan for).
_STATE_NAME_SET = frozenset(_STATE_NAMES)
_STATE_CODES = frozenset(_LONGEST_NAME)
_STATE_LICENSED_REACH = 40
_SIGNAL_REACH = 200  # characters a signal's match can reach either side of its gate word
_GATES_TRIED = 40  # occurrences of one gate word searched around, at most
_GATE_STARTS_TRIED = 400  # occurrences of one gate word noted, at most


# ASCII letters to lower case, digits kept, every other byte a space: a text encoded to ASCII
# (one byte per character, "?" for the others) keeps its offsets, lowering it so is many times
# cheaper than str.lower() on a text holding any non-ASCII character, and a word start is then
# a space before the word (" lic" never stops inside "public").
_WORD_LOWER = bytes(b + 32 if 65 <= b <= 90 else b if (97 <= b <= 122 or 48 <= b <= 57)
                    else 32 for b in range(256))


# Gate words whose places are picked from those of a shorter gate they start with: one search
# of a page for " lic" answers all four (most pages say "licensed" and never "license ",
# "licence " or "lic ": a search each through the whole text, for nothing).
_SHARED_SCAN = {"licensed": "lic", "license ": "lic", "licence ": "lic", "lic ": "lic"}
_NEEDLES: dict[str, bytes] = {}  # gate word -> needle (this module's few gate words)


def _needle(word: str) -> bytes:
    """What PageText.words holds where ``word`` starts a word: a space, then the word."""
    needle = _NEEDLES.get(word)
    if needle is None:
        needle = _NEEDLES[word] = b" " + word.encode()
    return needle


class PageText:
    """A text, its words as lower-case ASCII bytes and, noted once, where each gate word starts.

    Every compliance fact is looked for around a few dozen gate words ("faith", "tele",
    "licensed"...): a regex without a literal prefix, scanned over a whole page, costs more
    than the rest of the page's extraction. Each word is found in one pass of bytes.find over
    ``words``: a space, then the text's characters one byte each (so a character's offset in
    the text is its offset there minus one), ASCII letters lowered and every character that is
    not an ASCII letter or digit a space. The places found are shared by every fact that reads
    them ("licensed" is read from the places of "lic")."""

    __slots__ = ("_starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        # (audit.nap's scans of the same text, which come next, reuse its ASCII bytes)
        from audit.nap.text import ascii_bytes  # audit.nap loads the gazetteer: on first use

        self.words = b" " + ascii_bytes(text).translate(_WORD_LOWER) + b" "
        self._starts: dict[str, list[int]] = {}  # word -> [next search from, places...]

    def has(self, phrase: str) -> bool:
        """Whether the text holds ``phrase`` (lower-case ASCII words, spaces between them)
        as whole words."""
        return f" {phrase} ".encode() in self.words

    def starts(self, word: str) -> Iterator[int]:
        """The text offsets where ``word`` (lower-case ASCII; words separated by one space)
        starts a word, in text order, at most _GATE_STARTS_TRIED. Found as they are asked
        for (most facts stop at the first place that answers) and noted for the next asker.
        A non-ASCII letter counts as a separator here: the patterns tried at these places
        check their own word boundaries."""
        noted = self._starts.get(word)
        if noted is None:
            noted = self._starts[word] = self._first_starts(word)
        if noted[0] < 0 or len(noted) > _GATE_STARTS_TRIED:
            return iter(noted[1:])  # all noted (most gate words: none): no search left
        return self._finding(word, noted)

    def _first_starts(self, word: str) -> list[int]:
        """[where the next search starts (-1: all found), places...] of ``word`` when first
        asked for: its first place (a generator is made only for a word the text holds)."""
        if word in _SHARED_SCAN:
            found = self._shared_starts(word)
            if found is not None:
                return found
        needle = _needle(word)
        at = self.words.find(needle)
        return [-1] if at < 0 else [at + len(needle), at]

    def _finding(self, word: str, noted: list[int]) -> Iterator[int]:
        """starts(word), searching on from what ``noted`` holds as it is asked for more."""
        words, needle = self.words, _needle(word)
        i = 1
        while True:
            if i < len(noted):
                yield noted[i]
                i += 1
                continue
            at = noted[0]
            if at < 0 or len(noted) > _GATE_STARTS_TRIED:
                return
            at = words.find(needle, at)
            if at < 0:
                noted[0] = -1
                return
            noted[0] = at + len(needle)
            noted.append(at)  # the space before the word: the word's offset in the text

    def _shared_starts(self, word: str) -> list[int] | None:
        """``word``'s noted places, all of them, picked from those of the shorter gate it
        starts with (_SHARED_SCAN) when these are all noted; else None."""
        shared = _SHARED_SCAN[word]
        places = list(self.starts(shared))
        if self._starts[shared][0] >= 0:
            return None  # more than are noted: search for the word itself
        words, needle = self.words, _needle(word)
        found, after = [-1], 0
        for at in places:
            # bytes.find goes on past a found needle: one ending in a space ("lic ") is not
            # found again starting at that space ("lic lic ")
            if at >= after and words.startswith(needle, at):
                found.append(at)
                after = at + len(needle)
        return found

    def window(self, at: int, length: int) -> bytes:
        """``words`` from text offset ``at`` on, ``length`` characters (a space before)."""
        return self.words[at:at + length + 1]


def as_page_text(text: str | PageText) -> PageText:
    """``text`` as a PageText (one a caller already has is used as it is)."""
    return text if isinstance(text, PageText) else PageText(text)


# Signals whose every match starts with one of its gate words: tried only where a gate starts
# (a page can say "phone" a hundred times: one match attempt each).
_STARTS_AT_GATE = frozenset({"jurisdiction", "telehealth", "therapy"})


# Words one of which must follow a gate of these signals closely for a match to be possible
# (every jurisdiction statement says "in", "of", "by" or "within" a state): a find is cheaper
# than a match attempt, on pages that say "licensed" in every paragraph.
_FOLLOWED_BY = {"jurisdiction": (b" in ", b" of ", b" by ", b" within ")}
_FOLLOW_REACH = 80
# Characters from a gate that decide whether a pattern matches there (no signal's match is
# longer): the same phrase met again on a page is not tried again.
_PHRASE = 120
# Distinct phrases tried per gate word and page, at most: a site-level notice is said where it
# belongs (a footer, read whole, a short section, the telehealth page), and a page that says
# "licensed" fifty times is not read fifty times for it.
_PHRASES_TRIED = 12


def _has_signal(page: PageText, gates: tuple[str, ...], pattern: re.Pattern[str],
                starts_at_gate: bool = False, followed_by: tuple[bytes, ...] = ()) -> bool:
    """pattern.search(page.text), run only around the places its gate words start a word (or,
    for a pattern whose matches start with a gate, only there): every match holds a gate."""
    text = page.text
    for gate in gates:
        if starts_at_gate:
            tried: set[str] = set()  # a phrase the page repeats is tried once
            for at in page.starts(gate):
                phrase = text[at:at + _PHRASE]
                if phrase in tried:
                    continue
                if len(tried) >= _PHRASES_TRIED:
                    break
                tried.add(phrase)
                if followed_by:
                    window = page.window(at, _FOLLOW_REACH)
                    if not any(word in window for word in followed_by):
                        continue
                if pattern.match(text, at):
                    return True
            continue
        searched_to, windows = -1, 0
        for at in page.starts(gate):
            if at < searched_to:
                continue  # inside a window already searched
            if pattern.search(text, max(0, at - _SIGNAL_REACH), at + len(gate) + _SIGNAL_REACH):
                return True
            searched_to, windows = at + _SIGNAL_REACH, windows + 1
            if windows >= _GATES_TRIED:
                break
    return False


def text_signals(text: str | PageText) -> list[str]:
    """The notices and topics the text names (sorted keys of _SIGNALS)."""
    page = as_page_text(text)
    if not page.text:
        return []
    found = [name for name, (gates, pattern) in _SIGNALS.items()
             if _has_signal(page, gates, pattern, name in _STARTS_AT_GATE,
                            _FOLLOWED_BY.get(name, ()))]
    if "jurisdiction" not in found and _state_licensed(page):
        found.append("jurisdiction")
    return sorted(found)


def _state_licensed(page: PageText) -> bool:
    """ "California-licensed", "CA licensed": a state's name or code just before "licensed"."""
    text = page.text
    tried: set[str] = set()
    for at in page.starts("licensed"):
        before = text[max(0, at - _STATE_LICENSED_REACH):at].rstrip(" -\u2011")
        if before in tried:
            continue
        if len(tried) >= _PHRASES_TRIED:
            break
        tried.add(before)
        if before[-1:].isalpha():
            words = before.split()[-3:]
            if not words[-1][:1].isupper():
                continue  # "a licensed", "is licensed": a state's name or code is capitalised
            for count in range(1, len(words) + 1):
                candidate = " ".join(words[-count:])
                if candidate in _STATE_CODES or candidate.title() in _STATE_NAME_SET:
                    return True
    return False


@lru_cache(maxsize=256)
def template_signals(text: str) -> tuple[str, ...]:
    """text_signals of a header or footer: the same text on every page, read once."""
    return tuple(text_signals(text))


# A link naming a notice, by its words or its address ("/good-faith-estimate.pdf", "/npp.pdf").
_LINK_NOTICES = {
    "gfe": re.compile(r"good[\s\-_]*faith[\s\-_]*estimate|(?<![a-z0-9])gfe(?![a-z0-9])",
                      re.IGNORECASE),
    "privacy_notice": re.compile(
        r"privacy[\s\-_]*practices|hipaa[\s\-_]*(?:privacy[\s\-_]*)?notice"
        r"|notice[\s\-_]*of[\s\-_]*privacy|(?<![a-z0-9])npp(?![a-z0-9])", re.IGNORECASE),
    "privacy_policy": re.compile(r"privacy(?![\s\-_]*practices)", re.IGNORECASE),
}


_LINK_GATES = ("faith", "gfe", "privacy", "hipaa", "npp", "notice")  # one in every match


def link_notices(text: str, url: str) -> list[str]:
    """The notices a link names in its text or its address's path."""
    path = url.split("://", 1)[-1].partition("/")[2]
    words = f"{text} {path}".lower()
    if not any(gate in words for gate in _LINK_GATES):
        return []
    return [name for name, pattern in _LINK_NOTICES.items()
            if pattern.search(text or "") or pattern.search(path)]


# --- titles next to a practitioner's name (L3) ---------------------------------------------

# Title words and the license family that may use them (California: BPC 2902-2903 for
# psychologists, the BBS for its licensees and registrants). Associate forms come first: an
# "Associate Marriage and Family Therapist" is not a licensed one.
TITLE_FAMILIES: tuple[tuple[str, str], ...] = (
    ("amft", r"(?:registered\s+)?associate\s+marriage\s+(?:and|&)\s+family\s+therapist"
             r"|(?-i:\bAMFT\b)"),
    ("apcc", r"(?:registered\s+)?associate\s+professional\s+clinical\s+counsel+or"
             r"|(?-i:\bAPCC\b)"),
    ("asw", r"(?:registered\s+)?associate\s+(?:clinical\s+)?social\s+worker|(?-i:\bASW\b)"),
    ("psb", r"(?:registered\s+)?psychological\s+(?:associate|assistant)"),
    ("lep", r"(?:licensed\s+)?educational\s+psychologist|(?-i:\bLEP\b)"),
    ("psy", r"(?<!school\s)psychologist"),
    ("lmft", r"(?:licensed\s+)?marriage\s+(?:and|&)\s+family\s+therapist|(?-i:\bL?MFT\b)"),
    ("lcsw", r"(?:licensed\s+)?clinical\s+social\s+worker|(?-i:\bLCSW\b)"),
    ("lpcc", r"(?:licensed\s+)?professional\s+clinical\s+counsel+or|(?-i:\bLPCC\b)"),
    ("physician", r"psychiatrist"),
)
# Every title word holds one of these (lower case): a cheap test before the regex.
_TITLE_GATES = ("psycholog", "psychiatrist", "therapist", "social worker", "counsel", "mft",
                "lcsw", "lpcc", "asw", "apcc", "lep")
_TITLE_RE = re.compile("|".join(f"(?P<{family}>{pattern})" for family, pattern in TITLE_FAMILIES),
                       re.IGNORECASE)
# The family of each license prefix (audit.nap's canonical "PREFIX digits"), historic ones
# included (domain notes 1.2).
LICENSE_FAMILIES = {"PSY": "psy", "PSB": "psb", "LMFT": "lmft", "MFT": "lmft", "MFC": "lmft",
                    "AMFT": "amft", "IMF": "amft", "LCSW": "lcsw", "LCS": "lcsw", "ASW": "asw",
                    "LPCC": "lpcc", "APCC": "apcc", "PCCI": "apcc", "LEP": "lep",
                    "A": "physician", "C": "physician", "G": "physician", "20A": "physician",
                    # other states' (audit.nap.licenses): read for what kind of practice it is
                    "PSYCHOLOGIST": "psy", "PY": "psy", "LICSW": "lcsw", "SW": "lcsw",
                    "LW": "lcsw", "LPC": "counselor", "LMHC": "counselor", "LCPC": "counselor",
                    "MH": "counselor", "LH": "counselor"}
FAMILY_WORDS = {"psy": "psychologist", "psb": "psychological associate",
                "lmft": "marriage and family therapist (LMFT)",
                "amft": "associate marriage and family therapist (AMFT)",
                "lcsw": "clinical social worker (LCSW)",
                "asw": "associate clinical social worker (ASW)",
                "lpcc": "professional clinical counselor (LPCC)",
                "apcc": "associate professional clinical counselor (APCC)",
                "lep": "educational psychologist (LEP)", "physician": "physician (psychiatrist)",
                "counselor": "licensed professional or mental health counselor"}
_IDENTITY_MAX = 300  # characters of an identity zone kept (a title or a heading)
_BYLINE = re.compile(
    r"^(?:written\s+|reviewed\s+|posted\s+)?by\s+[^\n]{3,120}$|^author:[^\n]{3,120}$",
    re.IGNORECASE | re.MULTILINE)


def title_claims(text: str) -> list[tuple[str, int, int]]:
    """(family, start, end) of every protected title word in text."""
    found = []
    for m in _TITLE_RE.finditer(text):
        family = m.lastgroup or ""
        found.append((family, m.start(), m.end()))
    return found


_BYLINE_REACH = 64  # characters looked back from "by" for the word before it


def _bylines(page: PageText) -> list[str]:
    """_BYLINE.finditer's matches in page.text. Each starts a line and holds the word "by" (no
    look-alike letter matches b or y case-insensitively) on that line or, after "Written" and
    line breaks, on a later one; or starts with "author": only the lines where those words
    or the word before them are found are tried (a scan for a pattern anchored at line
    starts tries every character)."""
    text = page.text
    starts: set[int] = set()
    for word in ("by", "author"):
        places = list(page.starts(word))
        if len(places) >= _GATE_STARTS_TRIED:  # more than are noted
            return [m.group(0) for m in _BYLINE.finditer(text)]
        for at in places:
            starts.add(text.rfind("\n", 0, at) + 1)
            reach = max(0, at - _BYLINE_REACH)
            before = text[reach:at].rstrip()
            if before:  # the line of the word before it ("Written\nby")
                starts.add(text.rfind("\n", 0, reach + len(before)) + 1)
            elif reach:  # more space before it than is looked at
                return [m.group(0) for m in _BYLINE.finditer(text)]
    found, end = [], 0
    for start in sorted(starts):
        if start >= end:  # finditer goes on from a match's end ("by\nBy Jane" is one)
            m = _BYLINE.match(text, start)
            if m:
                found.append(m.group(0))
                end = m.end()
    return found


def identity_zones(title: str | None, headings: list[list[Any]], body: str | PageText,
                   jsonld_nodes: list[dict[str, Any]]) -> list[list[str]]:
    """[zone, text] of the page's identity zones that carry a protected title word: the
    title, headings down to H3 (bio headings), bylines and JSON-LD jobTitle. Prose is never an
    identity zone."""
    page = as_page_text(body)
    zones: list[list[str]] = []

    def add(zone: str, text: str) -> None:
        text = " ".join(text.split())[:_IDENTITY_MAX]
        lowered = text.lower()
        if (text and any(map(lowered.__contains__, _TITLE_GATES)) and _TITLE_RE.search(text)
                and [zone, text] not in zones):
            zones.append([zone, text])

    if title:
        add("title", title)
    for level, text in headings:
        if isinstance(level, int) and level <= 3 and isinstance(text, str):
            add(f"h{level}", text)
    if page.text and page.has("by"):
        for line in _bylines(page):
            add("byline", line)
    for node in jsonld_nodes:
        job = node.get("jobTitle") if isinstance(node, dict) else None
        name = node.get("name") if isinstance(node, dict) else None
        if isinstance(job, list):
            job = ", ".join(j for j in job if isinstance(j, str))
        if isinstance(job, str) and job.strip():
            add("jsonld", f"{name}, {job}" if isinstance(name, str) and name.strip() else job)
    return zones


# A person's name: two or three capitalised words (an initial may sit between), or "Dr." and a
# surname. Words that name a practice, a title or a place are never part of one.
_NAME_RE = re.compile(
    r"(?:\b(?:Dr|Doctor)\.?\s+(?P<dr>[A-Z][\w'’\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’\-]+){0,2}))"
    r"|\b(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’\-]+){1,2})")
_NOT_NAME_WORDS = frozenset("""
    a about all an and anxiety appointment appointments are associate at behavioral book
    california call care center centre child clinic clinical coaching contact counseling
    counselling counselor counsellor couples depression dr education educational family for
    free get group health healing help home hope in individual is licensed life llc inc los
    angeles marriage meet mental mind of office online our practice professional psychiatrist
    psychological psychologist psychology psychotherapist psychotherapy registered services
    session sessions social school the therapist therapists therapy to trauma wellness with
    worker your welcome team staff bio biography phd psyd lmft lcsw lpcc amft asw apcc
    schedule now new serving
    street st blvd boulevard ave avenue rd road hwy highway pkwy parkway suite ste floor
    license licence lic no number psy psb mft mfc imf lcs lep pcci md phd
    """.split())


def person_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of what reads as a person's name in an identity zone."""
    found = []
    for m in _NAME_RE.finditer(text):
        group = "dr" if m.group("dr") else "name"
        words = m.group(group).split()
        # trim title or practice words off either end ("Meet Jane Doe", "Jane Doe Therapy")
        while words and words[0].lower().strip(".,") in _NOT_NAME_WORDS:
            words.pop(0)
        while words and words[-1].lower().strip(".,") in _NOT_NAME_WORDS:
            words.pop()
        if not words or any(w.lower().strip(".,") in _NOT_NAME_WORDS for w in words):
            continue
        if group == "name" and len(words) < 2:
            continue
        name = " ".join(words)
        if find_places(name):
            continue  # "Santa Monica", "Beverly Hills"
        start = text.find(words[0], m.start(group))
        if any(c.isdigit() for c in text[max(0, start - 3):start]):
            continue  # "9454 Wilshire Blvd": a street after its house number
        found.append((start, start + len(name), name))
    return found


def licensed_names(text: str,
                   licenses: list[tuple[str, str]] | None = None) -> list[list[str]]:
    """[name, license] for each license number printed with a person's name: after it on the
    same line ("Dr. Sam Park, Psychologist | PSY 12345"), or on the line just before when the
    number's own line names nobody (a bio heading, then "License PSY 12345").

    ``licenses``: the (raw, normalized) license numbers audit.nap already found in text, when
    the caller has them (they are not looked for again)."""
    if licenses is None:
        from audit.nap import find_licenses  # audit.nap loads the gazetteer: on first use

        licenses = [(hit["raw"], hit["normalized"]) for hit in find_licenses(text)
                    if hit["confidence"] == "high" and hit["kind"] != "untyped"]
    hits = []
    for raw, normalized in dict.fromkeys(licenses):
        at = text.find(raw)
        while at >= 0 and len(hits) < _GATES_TRIED:
            hits.append((at, normalized))
            at = text.find(raw, at + len(raw))
    found: list[list[str]] = []
    for start, normalized in sorted(hits):
        line_start = text.rfind("\n", 0, start) + 1
        names = person_names(text[max(line_start, start - 150): start])
        if not names and line_start > 1:
            previous = text[:line_start - 1].rstrip("\n")
            line = previous[previous.rfind("\n") + 1:]
            if len(line) <= 120:
                names = person_names(line)
        if names:
            pair = [names[-1][2], normalized]
            if pair not in found:
                found.append(pair)
    return found


@lru_cache(maxsize=256)
def template_licensed_names(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(map(tuple, licensed_names(text)))


# --- license wording (L4, L5) ----------------------------------------------------------------

# "License #22022" with no type; the type may be named just before it on the same line.
# Tried where "lic" starts a word (a scan of a whole page for it, case folded, is slow).
_UNTYPED_RE = re.compile(r"(?:License|Licence|Lic\.?)\s*(?:No\.?|Number|#)\s*[:#]?\s*"
                         r"(?P<num>\d{4,8})(?![\d\-])", re.IGNORECASE)
_TYPE_NEAR = re.compile(
    r"(?-i:\b(?:PSY|PSB|LMFT|MFT|MFC|AMFT|LCSW|LCS|ASW|LPCC|APCC|LEP|MD|M\.D\.|DO)\b)|psycholog"
    r"|therapist|social\s+worker|counsel+or|physician|medical|nurs", re.IGNORECASE)
# Tried where "licensed" starts (a scan of a whole page for it, case folded, is slow).
_LICENSED_ABBREVIATION = re.compile(r"L(?:MFT|CSW|PCC)\b")
_LICENSED_TITLE_RE = re.compile(
    r"licensed\s+(?:clinical\s+)?(?:psychologist|marriage\s+(?:and|&)\s+family\s+therapist"
    r"|clinical\s+social\s+worker|professional\s+clinical\s+counsel+or"
    r"|educational\s+psychologist)\b", re.IGNORECASE)


def untyped_licenses(text: str | PageText) -> list[str]:
    """License numbers given without a license type ("License #22022"), as written."""
    page = as_page_text(text)
    found = []
    tried: set[str] = set()
    places = sorted(at for word in ("license ", "licence ", "lic ") for at in page.starts(word))
    for at in places:
        phrase = page.text[at:at + 40]
        if phrase in tried:
            continue
        tried.add(phrase)
        m = _UNTYPED_RE.match(page.text, at)
        if not m:
            continue
        line_start = page.text.rfind("\n", 0, m.start()) + 1
        line_end = page.text.find("\n", m.end())
        line = page.text[line_start: line_end if line_end >= 0 else len(page.text)]
        if _TYPE_NEAR.search(line):
            continue  # "Licensed Psychologist, License #22022" names its type
        found.append(" ".join(m.group(0).split()))
    return list(dict.fromkeys(found))


def licensed_title(text: str | PageText) -> str | None:
    """A licensed title the text gives ("Licensed Clinical Psychologist", else "LMFT"...)."""
    page = as_page_text(text)
    for at in page.starts("licensed"):
        m = _LICENSED_TITLE_RE.match(page.text, at)
        if m:
            return " ".join(m.group(0).split())
    # "Jane Doe, LMFT": the abbreviations, in capitals and as whole words (one scan, led by
    # the literal "L")
    for m in _LICENSED_ABBREVIATION.finditer(page.text):
        if m.start() == 0 or not page.text[m.start() - 1].isalnum():
            return m.group(0)
    return None


_REGISTRANT_RE = re.compile(
    r"(?P<full>registered\s+)?(?:associate\s+(?P<amft>marriage\s+(?:and|&)\s+family\s+therapist)"
    r"|associate\s+(?P<apcc>professional\s+clinical\s+counsel+or)"
    r"|associate\s+(?P<asw>(?:clinical\s+)?social\s+worker)"
    r"|(?P<psb>psychological\s+(?:associate|assistant)))"
    r"|(?-i:\b(?P<amft_abbr>AMFT)\b|\b(?P<apcc_abbr>APCC)\b|\b(?P<asw_abbr>ASW)\b)",
    re.IGNORECASE)


# Every registrant match starts with one of these (lower case), or with "registered" before
# one of them; or it is an abbreviation, in capitals (_REGISTRANT_ABBREVIATION: one scan for
# the three, led by the literal "A").
_REGISTRANT_GATES = ("associate", "psychological")
_REGISTRANT_ABBREVIATION = re.compile(r"A(?:MFT|PCC|SW)\b")
_REGISTERED_BEFORE = re.compile(r"registered\s+$", re.IGNORECASE)


def _registrant_matches(page: PageText) -> list[re.Match[str]]:
    """_REGISTRANT_RE's matches, tried only where a gate word starts a word."""
    text = page.text
    starts = set()
    for gate in _REGISTRANT_GATES:
        for at in page.starts(gate):
            before = _REGISTERED_BEFORE.search(text, max(0, at - 16), at)
            starts.add(before.start() if before else at)
    starts.update(m.start() for m in _REGISTRANT_ABBREVIATION.finditer(text)
                  if m.start() == 0 or not text[m.start() - 1].isalnum())
    matches: list[re.Match[str]] = []
    end = 0
    for at in sorted(starts):
        if at < end:
            continue
        m = _REGISTRANT_RE.match(text, at)
        if m:
            matches.append(m)
            end = m.end()
    return matches


def registrants(text: str | PageText) -> dict[str, Any] | None:
    """Registrants (associates who practise under supervision) the text names: their types,
    the types named in the full registered wording, and an excerpt."""
    page = as_page_text(text)
    text = page.text
    if not text:
        return None
    types: set[str] = set()
    full: set[str] = set()
    first = None
    for m in _registrant_matches(page):
        kind = next(k for k, v in m.groupdict().items() if v and k != "full")
        kind = {"amft_abbr": "AMFT", "apcc_abbr": "APCC", "asw_abbr": "ASW"}.get(kind, kind.upper())
        types.add(kind)
        if m.group("full"):
            full.add(kind)
        if first is None:
            first = m
    if first is None:
        return None
    # the words around it on its own line, cut at spaces (never inside a word)
    line_start = text.rfind("\n", 0, first.start()) + 1
    line_end = text.find("\n", first.end())
    line_end = len(text) if line_end < 0 else line_end
    start = (line_start if first.start() - line_start <= 60
             else text.find(" ", first.start() - 60, first.start()) + 1)
    end = (line_end if line_end - first.end() <= 60
           else text.rfind(" ", first.end(), first.end() + 60))
    excerpt = " ".join(text[start: end if end > 0 else first.end() + 60].split())
    return {"types": sorted(types), "full": sorted(full), "excerpt": excerpt}


def mentions_supervision(text: str | PageText) -> bool:
    """Whether the text says someone is supervised ("supervised by", "under the supervision
    of")."""
    page = as_page_text(text)
    return any(_SUPERVISION.match(page.text, at) for at in page.starts("supervis"))


# --- service areas listed (K3) ---------------------------------------------------------------

PLACE_WINDOW = 300  # characters: a run of place names within this many is one list
_PLACE_RUN_KEPT = 5  # runs of fewer distinct places are not recorded


def wording(text: str | PageText) -> tuple[tuple[str, ...], str | None, dict[str, Any] | None]:
    """untyped_licenses, licensed_title and registrants of one zone's text."""
    page = as_page_text(text)
    return tuple(untyped_licenses(page)), licensed_title(page), registrants(page)


@lru_cache(maxsize=256)
def template_wording(text: str) -> tuple[tuple[str, ...], str | None, dict[str, Any] | None]:
    """wording of a header or footer: the same text on every page, read once (callers must
    not change the dict)."""
    return wording(text)


def _may_hold_run(spans: list[Any]) -> bool:
    """Whether some _PLACE_RUN_KEPT names in a row fit within PLACE_WINDOW characters, as a
    run of that many distinct names must (most pages name places far apart, and the window
    walk in place_run is the costly part). Spans not in text order, or one longer than the
    window, are not reasoned about: True."""
    starts = [span.start for span in spans]
    if starts != sorted(starts) or any(span.end - span.start > PLACE_WINDOW for span in spans):
        return True
    ends = [span.end for span in spans[_PLACE_RUN_KEPT - 1:]]
    return any(e - s <= PLACE_WINDOW for s, e in zip(starts, ends, strict=False))


def place_run(text: str, spans: list[Any] | None = None) -> list[Any] | None:
    """[distinct places, excerpt] of the densest run of place names in text: the most
    distinct names within PLACE_WINDOW characters, when there are at least _PLACE_RUN_KEPT.
    ``spans``: find_place_spans(text), when the caller has them."""
    if not text:
        return None
    if spans is None:
        spans = find_place_spans(text)
    if len({s.name for s in spans}) < _PLACE_RUN_KEPT or not _may_hold_run(spans):
        return None
    # A run stays within one block of text: a blank line (between paragraphs, headings) ends
    # it, a line break (list items, <br>) does not: a footer list of neighbourhoods is a run.
    breaks = []  # the layout's blank lines between blocks (spiders.textlayout): "\n\n"
    at = text.find("\n\n", spans[0].end, spans[-1].start)
    while at >= 0:
        breaks.append(at)
        at = text.find("\n\n", at + 2, spans[-1].start)
    block = [bisect_right(breaks, span.start) for span in spans]  # each name's block
    best, best_range = 0, (0, 0)
    left = 0
    in_window: dict[str, int] = {}  # the window's names, with how often each is in it
    for right, span in enumerate(spans):
        in_window[span.name] = in_window.get(span.name, 0) + 1
        while span.end - spans[left].start > PLACE_WINDOW or block[left] != block[right]:
            gone = spans[left].name
            in_window[gone] -= 1
            if not in_window[gone]:
                del in_window[gone]
            left += 1
        if len(in_window) > best:
            best, best_range = len(in_window), (spans[left].start, span.end)
    if best < _PLACE_RUN_KEPT:
        return None
    excerpt = " ".join(text[best_range[0]: best_range[1]].split())
    return [best, excerpt[:200] + ("…" if len(excerpt) > 200 else "")]


@lru_cache(maxsize=256)
def template_place_run(text: str) -> tuple[Any, ...] | None:
    found = place_run(text)
    return tuple(found) if found else None


# --- advertising and analytics trackers (P8) -----------------------------------------------

# Who each tracker belongs to, by the hosts (or host/path) its scripts, pixels and frames load
# from. A practice-management portal's form frame is none of these.
TRACKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Meta Pixel", ("connect.facebook.net", "facebook.com/tr")),
    ("Google Analytics / Google tag", ("google-analytics.com", "googletagmanager.com")),
    ("Google Ads", ("googleadservices.com", "doubleclick.net", "googlesyndication.com")),
    ("Microsoft Advertising (UET)", ("bat.bing.com",)),
    ("Microsoft Clarity", ("clarity.ms",)),
    ("TikTok Pixel", ("analytics.tiktok.com",)),
    ("LinkedIn Insight Tag", ("snap.licdn.com", "px.ads.linkedin.com")),
    ("Hotjar", ("hotjar.com",)),
    ("FullStory", ("fullstory.com",)),
    ("X (Twitter) Pixel", ("static.ads-twitter.com", "analytics.twitter.com")),
    ("Pinterest Tag", ("ct.pinterest.com", "s.pinimg.com/ct")),
    ("Snap Pixel", ("sc-static.net/scevent",)),
    ("Reddit Pixel", ("redditstatic.com/ads",)),
    ("Mouseflow", ("mouseflow.com",)),
    ("Crazy Egg", ("crazyegg.com",)),
    ("Lucky Orange", ("luckyorange.com", "luckyorange.net")),
    ("Quantcast", ("quantserve.com",)),
    ("Segment", ("cdn.segment.com",)),
    ("Mixpanel", ("mixpanel.com",)),
    ("Heap", ("heapanalytics.com",)),
)


_TRACKER_BY_HOST: dict[str, list[tuple[str, str]]] = {}  # host -> [(path prefix, tracker)]
for _tracker, _hosts in TRACKERS:
    for _host in _hosts:
        _domain, _, _path = _host.partition("/")
        _TRACKER_BY_HOST.setdefault(_domain, []).append(("/" + _path if _path else "", _tracker))


def tracker_of(url: str) -> str | None:
    """The tracker an address (a script's, a pixel's, a frame's) loads from, if any: its host
    or a parent domain of it is a tracker's ("www.facebook.com/tr", never "notfacebook.com")."""
    if not url or "//" not in url:
        return None
    rest = url.split("//", 1)[1]
    host, _, path = rest.partition("/")
    host = host.split("@")[-1].split(":")[0].lower()
    path = "/" + path.lower()
    while host:
        for prefix, tracker in _TRACKER_BY_HOST.get(host, ()):
            if not prefix or path == prefix or path.startswith((prefix + "/", prefix + "?")):
                return tracker
        host = host.partition(".")[2]
    return None


def trackers_in(code: str) -> list[str]:
    """Every tracker a piece of code loads (an inline script: one snippet may load several)."""
    lowered = code.lower()
    found = []
    for name, hosts in TRACKERS:
        for host in hosts:
            at = lowered.find(host)
            while at >= 0:
                if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "-"):
                    found.append(name)
                    break
                at = lowered.find(host, at + 1)
            if found and found[-1] == name:
                break
    return found


# --- forms that collect personal details (P8) ------------------------------------------------

_PERSONAL_FIELD = re.compile(
    r"name|e-?mail|phone|tel\b|mobile|cell|message|comment|question|birth|dob|insurance"
    r"|address|concern|reason|symptom|appointment|contact", re.IGNORECASE)
_SEARCH_FIELD = re.compile(r"^(?:s|q|query|search|keywords?|term)$", re.IGNORECASE)
_NOT_FILLED = frozenset({"hidden", "submit", "button", "reset", "image", "checkbox", "radio",
                         "range", "color", "file"})


def form_purpose(fields: list[tuple[str, str, str]], role: str = "") -> str:
    """"personal" (it asks for a name, phone, e-mail, a message ...), "search" or "other", from
    the form's fields as (tag, type, "name id autocomplete placeholder aria-label")."""
    personal = search = False
    for tag, kind, words in fields:
        kind = (kind or "text").lower()
        if tag == "textarea" or kind in ("email", "tel"):
            personal = True
        elif tag == "input" and kind in _NOT_FILLED:
            continue
        elif kind == "search" or any(_SEARCH_FIELD.match(w) for w in words.split()):
            search = True
        elif _PERSONAL_FIELD.search(words):
            personal = True
    if personal:
        return "personal"
    if search or role.lower() == "search":
        return "search"
    return "other"
