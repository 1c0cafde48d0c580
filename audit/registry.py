"""The check catalogue: every check is one small unit declared where it is implemented.

A check is a function over the audit's frames that returns the failing rows (an empty frame is a
pass). The decorator records its public, never-renamed id, its severity and title; the
function's docstring is its explanation for the practice owner, with the part after
"How to fix:" shown as the fix. The runner skips a check whose inputs are missing, turns an
exception in one check into an error row for that check, and sorts the findings.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from audit.load import Frames

SEVERITIES = ("error", "warning", "notice")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
FINDING_COLUMNS = ["url", "check", "severity", "message", "detail", "target"]
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

CheckFunction = Callable[["AuditContext"], pd.DataFrame]
# A finding's subject (audit.changes): what it is about beyond its page, from its message,
# detail and target (as the CSV spells them).
Subject = Callable[[dict[str, str]], str]


def by_target(finding: dict[str, str]) -> str:
    """The default subject: the finding's target (blank for a finding about the page itself:
    a missing title is the same finding however the page changed)."""
    return finding["target"]


def by_detail(finding: dict[str, str]) -> str:
    """The detail as the subject, spaces and case aside (the title several pages share)."""
    return " ".join(finding["detail"].split()).casefold()


def by_target_and_detail(finding: dict[str, str]) -> str:
    return finding["target"] + "\n" + finding["detail"]


_LINE_NUMBER = re.compile(r"^lines? [\d, .]+:\s*")


def by_target_and_line(finding: dict[str, str]) -> str:
    """A line of a file (robots.txt) without its number: a line added above it does not make
    its problem a new one."""
    return finding["target"] + "\n" + _LINE_NUMBER.sub("", finding["detail"])


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    category: str
    needs: tuple[str, ...]
    function: CheckFunction = field(repr=False)
    source: str = ""  # the rule's source, for checks that rest on a law or a board's rule
    # what one of its findings is about beyond the page: with the page and the check, a
    # finding's identity from one audit to the next (audit.changes)
    subject: Subject = field(default=by_target, repr=False)

    @property
    def explanation(self) -> str:
        return _doc_parts(self.function)[0]

    @property
    def fix(self) -> str:
        return _doc_parts(self.function)[1]


def _doc_parts(function: Callable[..., Any]) -> tuple[str, str]:
    doc = " ".join((function.__doc__ or "").split())
    what, _, fix = doc.partition("How to fix:")
    return what.strip(), fix.strip()


REGISTRY: dict[str, Check] = {}


def check(id: str, severity: str, title: str, category: str,  # noqa: A002 - "id" is the term
          needs: tuple[str, ...] = ("pages",),
          source: str = "",
          subject: Subject = by_target) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check. ``needs`` names the frames it reads; missing ones skip it.
    ``source`` names the law, regulation or guidance a check rests on, where one does.
    ``subject`` picks what a finding is about beyond its page (by default its target)."""
    if not ID_PATTERN.match(id):
        raise ValueError(f"check id {id!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"check {id}: unknown severity {severity!r}")

    def register(function: CheckFunction) -> CheckFunction:
        if id in REGISTRY:
            raise ValueError(f"check id {id!r} registered twice")
        REGISTRY[id] = Check(id, severity, title, category, needs, function, source,
                             subject)
        return function

    return register


@dataclass
class AuditContext:
    """What a check can read: the crawl's frames, the practice profile and thresholds."""

    frames: Frames
    profile: Any = None
    thresholds: dict[str, float] = field(default_factory=dict)
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, function: Callable[[AuditContext], Any]) -> Any:
        """``function(self)``, computed once per audit: what several checks of a family read
        (every page's canonical declarations, say) is worked out for the first of them."""
        key = f"{function.__module__}.{function.__qualname__}"
        if key not in self._shared:
            self._shared[key] = function(self)
        return self._shared[key]

    def threshold(self, name: str, default: float) -> float:
        """A named threshold, overridden by the profile's [thresholds] table when set there."""
        return self.thresholds.get(name.lower(), default)


def findings(rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Shape a check's failing rows: url, message, detail, target (missing ones blank)."""
    frame = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    for column in ("url", "message", "detail", "target"):
        if column not in frame:
            frame[column] = ""
    return frame[["url", "message", "detail", "target"]].fillna("")


# Cell types DataFrame.to_dict("records") passes through as they are.
_NATIVE_TYPES = frozenset({str, int, float, bool, type(None), list, dict})


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, read a column at a time: pandas boxes every cell on its
    own, several times slower on the thousands of rows a check turns into findings."""
    names = frame.columns.tolist()
    columns = []
    for _, series in frame.items():
        values = series.tolist()
        kinds = set(map(type, values))
        if not kinds <= _NATIVE_TYPES:
            if not kinds <= _NATIVE_TYPES | {type(pd.NA)}:
                return frame.to_dict("records")  # numpy scalars, dates: pandas boxes them
            values = [None if value is pd.NA else value for value in values]
        columns.append(values)
    if not columns:
        return frame.to_dict("records")
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def known_thresholds() -> dict[str, float]:
    """Every named threshold beside a check (an upper-case number in a check module), by the
    lower-case name a profile's [thresholds] table uses."""
    import sys

    names: dict[str, float] = {}
    for item in all_checks():
        module = sys.modules[item.function.__module__]
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, (int, float)) and not isinstance(value, bool):
                names[name.lower()] = value
    return names


def all_checks() -> list[Check]:
    return list(catalogue().values())


def catalogue() -> dict[str, Check]:
    """Every check by id (the registry, once the check modules are imported: a report can
    be written by a process that never ran the checks)."""
    import audit.checks  # noqa: F401 - importing the package registers every check

    return REGISTRY


def run_checks(context: AuditContext, only: set[str] | None = None) -> pd.DataFrame:
    """Run every registered check; returns the findings sorted by severity, check, url."""
    parts = []
    for item in all_checks():
        if only and item.id not in only:
            continue
        if any(context.frames.get(name) is None for name in item.needs):
            continue
        try:
            found = findings(item.function(context))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            last = traceback.extract_tb(exc.__traceback__)[-1]
            found = findings([{
                "url": "", "message": f"This check could not run: {type(exc).__name__}: {exc}",
                "detail": f"{last.filename}:{last.lineno}"}])
            found["severity"] = "error"
        else:
            found["severity"] = item.severity
        found["check"] = item.id
        parts.append(found)
    # What the checks shared (selections of the pages frame among them) is let go: the
    # reports that follow never read it, and it is some 10 MB on a 10,000-page site.
    context._shared.clear()
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    result = pd.concat(parts, ignore_index=True)[FINDING_COLUMNS]
    result["_rank"] = result["severity"].map(SEVERITY_RANK)
    result = result.sort_values(["_rank", "check", "url", "target", "message"], kind="stable")
    return result.drop(columns="_rank").drop_duplicates().reset_index(drop=True)
