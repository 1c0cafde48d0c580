"""Check a robots.txt file the way Lighthouse's ``robots-txt`` audit does.

Pure functions, no network and no Scrapy: the caller fetches ``/robots.txt`` and hands over
its text (``validate_robots_txt``) and its HTTP status (``robots_status_problem``).

What is checked, line by line (comments from ``#`` to the end of the line, blank lines and a
byte order mark at the start of the file are ignored):

* every line must be a ``field: value`` line;
* the field must be a known directive: ``user-agent``, ``allow``, ``disallow`` and ``sitemap``
  (RFC 9309, Google's robots.txt specification), or one of the common extensions that
  Lighthouse accepts: ``crawl-delay``, ``host``, ``clean-param``, ``request-rate``,
  ``visit-time``, ``noindex`` and ``content-signal``. Anything else is an unknown directive,
  even where a lenient parser (Google's among them) guesses what was meant, such as
  ``user agent`` or ``disalow``; a close known directive is offered as "did you mean";
* a rule (anything but ``user-agent`` and ``sitemap``) must come after a ``user-agent`` line,
  since RFC 9309 section 2.1 makes rules members of a group that user-agent lines open
  (Lighthouse: "No user-agent specified");
* a ``user-agent`` line must name a crawler (``*`` for all of them);
* an ``allow`` / ``disallow`` path is empty (allows everything) or starts with ``/`` or ``*``
  (RFC 9309 section 2.2.2, Lighthouse);
* a ``sitemap`` value is an absolute ``http`` or ``https`` URL (Google's robots.txt
  specification: "a fully-qualified URL").

One line can give more than one problem (a relative path in a rule that also comes before any
user-agent line, say). A line whose unknown field looks like ``user-agent`` (``useragent``,
``user agent``) still counts as opening a group, so the rules under it are not each reported
again: fixing that one line fixes them all.

The HTTP status matters too: Google's robots.txt specification says a robots.txt answering
with a server error (5xx) makes Google treat the whole site as disallowed, and only after 30
days of errors does it fall back to the last copy it cached; ``robots_status_problem`` words
that for the report.

Sources: RFC 9309 (Robots Exclusion Protocol); Lighthouse's robots-txt audit
(core/audits/seo/robots-txt.js in GoogleChrome/lighthouse); Google's robots.txt specification
("How Google interprets the robots.txt specification", developers.google.com/search/docs/
crawling-indexing/robots/robots_txt).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "EXTENSION_DIRECTIVES",
    "KNOWN_DIRECTIVES",
    "RobotsProblem",
    "robots_status_problem",
    "validate_robots_txt",
]

#: The directives of RFC 9309 plus ``sitemap``, which every major crawler reads.
KNOWN_DIRECTIVES: tuple[str, ...] = ("user-agent", "allow", "disallow", "sitemap")
#: Extensions used in the wild that Lighthouse does not report.
EXTENSION_DIRECTIVES: tuple[str, ...] = (
    "crawl-delay", "host", "clean-param", "request-rate", "visit-time", "noindex",
    "content-signal",
)
_ALL_DIRECTIVES = KNOWN_DIRECTIVES + EXTENSION_DIRECTIVES

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TEXT_LIMIT = 200
_QUOTE_LIMIT = 60


@dataclass(frozen=True)
class RobotsProblem:
    """One problem in a robots.txt file."""

    line: int  # 1-based line number
    text: str  # the line as written, stripped, cut to 200 characters
    reason: str  # short plain-English reason


def _quote(value: str) -> str:
    if len(value) > _QUOTE_LIMIT:
        value = value[: _QUOTE_LIMIT - 1] + "…"
    return f'"{value}"'


def _squash(name: str) -> str:
    """A field name without spaces, hyphens or underscores, for comparing look-alikes."""
    return re.sub(r"[\s_-]+", "", name)


def _suggestion(name: str) -> str | None:
    """The known directive an unknown field name was probably meant to be, if any."""
    squashed = _squash(name)
    if not squashed:
        return None
    for directive in _ALL_DIRECTIVES:
        if _squash(directive) == squashed:
            return directive
    close = difflib.get_close_matches(name, _ALL_DIRECTIVES, n=1, cutoff=0.75)
    return close[0] if close else None


def _unknown_directive(name: str, value: str) -> tuple[str, str | None]:
    """The reason for an unknown field, and the directive it was probably meant to be."""
    if not name:
        return 'nothing before the ":" (expected a field such as "disallow")', None
    if re.fullmatch(r"https?", name) and value.startswith("//"):
        return (f'unknown directive {_quote(name)} (a URL on its own line? To list a sitemap, '
                'write "Sitemap: <url>")'), None
    shown = re.sub(r"\s+", " ", name)
    meant = _suggestion(name)
    if meant is None:
        return f"unknown directive {_quote(shown)}", None
    return f"unknown directive {_quote(shown)} (did you mean {_quote(meant)}?)", meant


def _sitemap_problem(value: str) -> str | None:
    if not value:
        return "sitemap line has no URL"
    parts = urlsplit(value)
    if (parts.scheme.lower() not in ("http", "https") or not parts.netloc
            or re.search(r"\s", value)):
        return ("sitemap must be a full URL starting with http:// or https:// "
                f"(got {_quote(value)})")
    return None


def _path_problem(directive: str, value: str) -> str | None:
    if value and value[0] not in "/*":
        return f'{directive} path must start with "/" or "*" (got {_quote(value)})'
    return None


def _line_problems(line: str, in_group: bool) -> tuple[list[str], bool]:
    """The reasons one comment-free, stripped, non-blank line is wrong, and whether a group is
    open after it."""
    if ":" not in line:
        first = line.split(None, 1)[0]
        if first.lower() in _ALL_DIRECTIVES:
            return [f"not a 'field: value' line (missing \":\" after {_quote(first)}?)"], in_group
        return ["not a 'field: value' line"], in_group
    field, value = line.split(":", 1)
    name, value = field.strip().lower(), value.strip()

    if name not in _ALL_DIRECTIVES:
        reason, meant = _unknown_directive(name, value)
        return [reason], in_group or meant == "user-agent"
    if name == "user-agent":
        return ([] if value else ['user-agent line has no value (use "*" for all crawlers)']), True
    if name == "sitemap":
        sitemap_reason = _sitemap_problem(value)
        return ([sitemap_reason] if sitemap_reason else []), in_group

    reasons = [] if in_group else ["rule before any user-agent line"]
    if name in ("allow", "disallow"):
        path_reason = _path_problem(name, value)
        if path_reason:
            reasons.append(path_reason)
    return reasons, in_group


def validate_robots_txt(text: str) -> list[RobotsProblem]:
    """Every problem in a robots.txt file, in line order (see the module docstring)."""
    problems: list[RobotsProblem] = []
    in_group = False
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        reasons, in_group = _line_problems(line, in_group)
        shown = raw.strip()[:_TEXT_LIMIT]
        problems.extend(RobotsProblem(number, shown, reason) for reason in reasons)
    return problems


def robots_status_problem(status: int | None) -> str | None:
    """A plain sentence when robots.txt answers with a server error (5xx), else None."""
    if status is None or not 500 <= status <= 599:
        return None
    return (
        f"robots.txt answered with a server error (HTTP {status}). Google treats a robots.txt "
        "server error as 'do not crawl the site': it stops crawling the whole site for as long "
        "as the error lasts, and only after 30 days of errors may it go back to the last copy "
        "of robots.txt it saved."
    )
