"""Crawlability checks: robots.txt, sitemaps, and what keeps Google from crawling a page.

robots.txt rules are judged the way Google applies them, by Protego (the parser the crawl
itself obeys): RFC 9309's precedence, where the group naming the crawler most specifically
applies, the longest matching rule wins and Allow wins a tie. They are judged for Googlebot,
not for this audit's own crawler: the findings say what Google cannot crawl, and a site that
shuts out every bot but the search engines (or names Googlebot in a group of its own) must be
read as Google reads it. Judging the saved robots.txt text, not the crawl's own "blocked"
records, also makes these checks work on a crawl run with --ignore-robots.

A robots.txt governs only its own origin (scheme, host and port): a link from https://site to
http://site or to www.site is not judged by it.

Site-level findings (robots.txt itself, a missing sitemap) are reported once, on the home page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from protego import Protego

from audit.load import Resolution
from audit.registry import AuditContext, by_target_and_line, check, findings
from audit.robotstxt import robots_status_problem, validate_robots_txt
from spiders.extract import site_key

CATEGORY = "Google can't index it"
# The crawler whose robots.txt group decides: Google's web crawler (Protego matches the
# product token against each group's User-agent lines, most specific first).
GOOGLE_USER_AGENT = "Googlebot"
# robots.txt problems listed one per line; past this many the rest are summed up in one row
# (a robots.txt that is really an HTML page would otherwise fill the report).
ROBOTS_TXT_MAX_ROWS = 20
# Answers that say the crawler was refused, not what the site serves Google.
REFUSAL_STATUSES = frozenset({429, 999})


def origin(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased: the scope of one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass
class RobotsRules:
    """The site's robots.txt rules, asked about URLs of the origin they govern."""

    url: str  # the robots.txt that answered
    text: str
    agent: str = GOOGLE_USER_AGENT
    _parser: Protego = field(init=False, repr=False)
    _origin: str = field(init=False, repr=False)
    _answers: dict[str, bool] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._parser = Protego.parse(self.text)
        self._origin = origin(self.url)

    def governs(self, url: str) -> bool:
        # (a prefix test first: urlsplit for each of 10,000 addresses cost a tenth of a second)
        head = url[:len(self._origin) + 1].lower()
        if head == self._origin + "/":
            return True
        return origin(url) == self._origin

    def disallows(self, url: str) -> bool:
        """True when the rules keep the crawler from url (False for another origin's URL)."""
        answer = self._answers.get(url)
        if answer is None:
            answer = (self.governs(url)
                      and url[len(self._origin):].split("?")[0] != "/robots.txt"
                      and not self._parser.can_fetch(url, self.agent))
            self._answers[url] = answer
        return answer

    @property
    def sitemaps(self) -> list[str]:
        """The Sitemap values, as written."""
        return list(self._parser.sitemaps)


def robots_rules(ctx: AuditContext, agent: str = GOOGLE_USER_AGENT) -> RobotsRules | None:
    """The site's robots.txt rules for ``agent``, or None when it has none to apply (no
    robots.txt, or one answering 4xx, 5xx or not at all: Google applies no rules then, or
    stops crawling altogether, which robots-txt-invalid reports)."""
    robots = ctx.frames.get("robots_txt")
    if not robots or not isinstance(robots.get("text"), str):
        return None
    return RobotsRules(_answered_url(ctx, robots["url"]), robots["text"], agent)


def _answered_url(ctx: AuditContext, asked: str) -> str:
    """The robots.txt URL that answered 200: the one asked, or where its redirects ended."""
    resolved = (ctx.frames.get("resolved") or {}).get(asked)
    return resolved.final_url if resolved is not None and resolved.final_url else asked


def _looks_like_html(text: str) -> bool:
    """A robots.txt never starts with "<"; a web page served in its place does."""
    return text.lstrip("\ufeff \t\r\n")[:1] == "<"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


@check("robots-txt-invalid", "warning", "robots.txt has lines search engines cannot read",
       CATEGORY, needs=("robots_txt",), subject=by_target_and_line)
def robots_txt_invalid(ctx: AuditContext) -> pd.DataFrame:
    """The site's robots.txt, the file that tells search engines which addresses they may
    crawl, has lines that are wrong: a misspelt or unknown directive (such as "Disalow" or
    "user agent"), a rule before any "User-agent" line, a path that does not start with "/",
    or a Sitemap line without a full address. Search engines skip a line they cannot read or
    guess what it meant, so a rule may not do what it was written for, and other crawlers may
    read the file differently from Google. Worse, when robots.txt itself answers with a server
    error (5xx) or not at all, Google stops crawling the whole site until it answers again.
    Each row names one line of the file. How to fix: correct each line shown (the detail gives
    its number and text): every line is "Field: value" with a field such as "User-agent",
    "Allow", "Disallow" or "Sitemap", rules come after a "User-agent" line, paths start with
    "/" and a sitemap is a full address; if robots.txt answers with an error, have the host
    serve the file (an empty file or a 404 is fine: both let search engines crawl
    everything)."""
    robots = ctx.frames.robots_txt
    home = ctx.frames.get("start_url") or ""
    url = robots["url"]
    status = robots.get("status")
    if status is not None and robots_status_problem(status):
        if robots.get("challenged"):
            return findings([])  # bot protection answered our crawler, not the site
        return findings([{
            "url": home, "target": url,
            "message": f"robots.txt answers with a server error (HTTP {status}), so Google "
                       "stops crawling the whole site while it lasts.",
            "detail": robots_status_problem(status)}])
    if status is None and robots.get("error"):
        return findings([{
            "url": home, "target": url,
            "message": "robots.txt did not answer, and Google treats a robots.txt it cannot "
                       "fetch like a server error: it stops crawling the site.",
            "detail": f"{robots['error']} (when our crawler asked)"}])
    text = robots.get("text")
    if not isinstance(text, str):
        return findings([])
    if _looks_like_html(text):
        return findings([{
            "url": home, "target": url,
            "message": "robots.txt answers with a web page instead of crawling rules.",
            "detail": f"starts with: {text.strip()[:80]}"}])
    problems = validate_robots_txt(text)
    limit = int(ctx.threshold("ROBOTS_TXT_MAX_ROWS", ROBOTS_TXT_MAX_ROWS))
    rows = [{"url": home, "target": url, "message": _first_upper(problem.reason) + ".",
             "detail": f"line {problem.line}: {problem.text}"} for problem in problems[:limit]]
    rest = problems[limit:]
    if rest:
        lines = sorted({problem.line for problem in rest})
        shown = ", ".join(str(line) for line in lines[:20]) + (", ..." if len(lines) > 20
                                                                 else "")
        rows.append({"url": home, "target": url,
                     "message": f"{len(rest)} more problem(s) in robots.txt.",
                     "detail": f"lines {shown}"})
    return findings(rows)


def _disallowed_targets(rules: RobotsRules, targets: Iterable[str],
                        finals: Iterable[Any]) -> dict[str, str]:
    """Link targets the rules keep Google from, each with the URL that is disallowed: the
    target itself, or the address its redirects end on."""
    blocked: dict[str, str] = {}
    for target, final in zip(targets, finals, strict=True):
        if target in blocked:
            continue
        if rules.disallows(target):
            blocked[target] = target
        elif isinstance(final, str) and final != target and rules.disallows(final):
            blocked[target] = final
    return blocked


@check("robots-blocks-linked", "notice", "Link to a page robots.txt keeps Google from crawling",
       CATEGORY, needs=("links", "robots_txt"))
def robots_blocks_linked(ctx: AuditContext) -> pd.DataFrame:
    """This page links to a page of the site that robots.txt forbids Google to crawl (a
    "Disallow" rule matches its address, or the address it redirects to). Google will not read
    that page, so it cannot rank for what the page says, and the link passes nothing to it.
    That is right for a client portal, a login or a shopping cart, and a mistake for a service,
    a location or a blog page. How to fix: if the page should be found in Google, change the
    robots.txt rule that matches it (a longer "Allow:" rule for its address overrides a shorter
    "Disallow:"); if it is private on purpose, nothing needs to change."""
    rules = robots_rules(ctx)
    if rules is None:
        return findings([])
    links = ctx.frames.links
    # Only the columns read, of only the rows read: nearly every link is an internal <a>, and
    # a copy of every column of 700,000 links is some 40 MB.
    followed = (links["element"] == "a") & (links["kind"] == "internal")
    # Distinct targets are judged once: every page repeats the menu.
    distinct = links.loc[followed, ["target_url", "final_url"]].drop_duplicates("target_url")
    blocked = _disallowed_targets(rules, distinct["target_url"].tolist(),
                                  distinct["final_url"].tolist())
    hits = links.loc[followed & links["target_url"].isin(blocked),
                     ["source_url", "target_url", "anchor_text"]]
    rows = []
    for source, target, text in zip(hits["source_url"].tolist(), hits["target_url"].tolist(),
                                    hits["anchor_text"].tolist(), strict=True):
        disallowed = blocked[target]
        if disallowed == target:
            message = "The link points to a page robots.txt keeps Google from crawling."
            detail = f"<a> {target}: robots.txt disallows it for {rules.agent}"
        else:
            message = "The link redirects to a page robots.txt keeps Google from crawling."
            detail = (f"<a> {target} redirects to {disallowed}, which robots.txt disallows "
                      f"for {rules.agent}")
        if isinstance(text, str) and text:
            detail += f'; text "{text}"'
        rows.append({"url": source, "target": target, "message": message, "detail": detail})
    return findings(rows)


# Why a listed URL does not belong in a sitemap: the message for the row, in order of weight.
_SITEMAP_MESSAGES = {
    "error": "The sitemap lists an address that answers with an error.",
    "unreachable": "The sitemap lists an address that could not be fetched.",
    "redirect": "The sitemap lists an address that redirects.",
    "disallowed": "The sitemap lists an address robots.txt keeps Google from crawling.",
    "noindex": "The sitemap lists a page marked noindex.",
    "canonical": "The sitemap lists a page whose canonical address is another one.",
}


def _page_facts(pages: pd.DataFrame) -> dict[str, tuple[Any, ...]]:
    """url -> (ok, extracted, noindex, noindex_reason, canonical_elsewhere, canonical)."""
    columns = ["ok", "extracted", "noindex", "noindex_reason", "canonical_elsewhere",
               "canonical"]
    return dict(zip(pages["url"].tolist(),
                    zip(*(pages[c].tolist() for c in columns), strict=True), strict=True))


def _listed_problems(url: str, rules: RobotsRules | None, resolved: dict[str, Resolution],
                     facts: dict[str, tuple[Any, ...]]) -> list[tuple[str, str]]:
    """(kind, why) for each reason one listed URL does not belong in a sitemap."""
    problems: list[tuple[str, str]] = []
    res = resolved.get(url)
    if res is not None and res.fetched:
        final = res.final_status
        if res.loop:
            problems.append(("redirect", "redirects in a loop"))
        elif res.hops:
            end = f", which answers HTTP {final}" if final is not None and final >= 400 else ""
            problems.append(("redirect", f"redirects to {res.final_url} "
                                         f"({len(res.hops)} redirect(s)){end}"))
        elif res.challenged or final in REFUSAL_STATUSES:
            pass  # the site refused our crawler: that says nothing about the page
        elif final is None:
            if res.error and not res.blocked_by_robots:
                problems.append(("unreachable", str(res.error)))
        elif final >= 400:
            problems.append(("error", f"answers HTTP {final}"))
        elif url in facts:
            ok, extracted, noindex, reason, elsewhere, canonical = facts[url]
            if ok and extracted and noindex:
                problems.append(("noindex", f"kept out of Google's results ({reason})"))
            if ok and extracted and elsewhere:
                problems.append(("canonical", f"its canonical is {canonical}"))
    if rules is not None and rules.disallows(url):
        problems.append(("disallowed", f"robots.txt disallows it for {rules.agent}"))
    order = list(_SITEMAP_MESSAGES)
    return sorted(problems, key=lambda problem: order.index(problem[0]))


@check("sitemap-bad-url", "warning", "Sitemap lists an address Google should not index",
       CATEGORY, needs=("sitemap", "pages"))
def sitemap_bad_url(ctx: AuditContext) -> pd.DataFrame:
    """The sitemap, the list of addresses the site asks Google to index, names an address that
    does not belong there: it answers with an error, redirects elsewhere, is marked noindex,
    names another address as its canonical, or is one robots.txt forbids Google to crawl.
    Google trusts a sitemap less when many of its addresses are wrong, and the pages it should
    list may be found later. How to fix: list only the final, working, indexable address of
    each page (most site builders and SEO plugins do this when the page's settings are right);
    remove pages that are gone, noindex or private, and replace a redirecting address with the
    one it leads to."""
    sitemap = ctx.frames.sitemap
    if sitemap.empty:
        return findings([])
    site = ctx.frames.get("site") or site_key(ctx.frames.get("start_url") or "")
    rules = robots_rules(ctx)
    resolved = ctx.frames.get("resolved") or {}
    facts = _page_facts(ctx.frames.pages)
    judged: dict[str, list[tuple[str, str]]] = {}
    rows = []
    for sitemap_url, url in zip(sitemap["sitemap_url"].tolist(), sitemap["url"].tolist(),
                                strict=True):
        if not isinstance(url, str):
            continue
        problems = judged.get(url)
        if problems is None:
            # Another site's URLs were not fetched: nothing is known of them.
            problems = (_listed_problems(url, rules, resolved, facts)
                        if site_key(url) == site else [])
            judged[url] = problems
        if problems:
            rows.append({"url": url, "target": sitemap_url,
                         "message": _SITEMAP_MESSAGES[problems[0][0]],
                         "detail": f"in {sitemap_url}: "
                                   + "; ".join(why for _, why in problems)})
    return findings(rows)


def _answer(record: dict[str, Any]) -> str:
    """What one sitemap fetch answered, in a few words."""
    status = record.get("status")
    if status is None or pd.isna(status):
        return str(record.get("error") or "no answer")
    words = f"HTTP {int(status)}"
    location = record.get("location")
    if isinstance(location, str) and location:
        words += f" to {location}"
    elif 200 <= int(status) < 300 and _is_html_type(record.get("content_type")):
        words += ", a web page, not a sitemap"
    return words


def _is_html_type(content_type: Any) -> bool:
    return isinstance(content_type, str) and "html" in content_type.lower()


@check("sitemap-missing", "notice", "No sitemap found", CATEGORY, needs=("fetches", "sitemap"))
def sitemap_missing(ctx: AuditContext) -> pd.DataFrame:
    """We found no XML sitemap for the site: robots.txt names none that answers, and the
    usual address /sitemap.xml does not answer with one. A sitemap lists the pages the site
    wants in Google, so new or little-linked pages are found sooner. (A sitemap submitted only
    in Google Search Console, at another address, is invisible to this audit: if there is one,
    this notice can be ignored.) How to fix: turn on the sitemap of the site builder or SEO
    plugin (WordPress, Squarespace, Wix and Yoast all make one), then add a line "Sitemap:
    https://your-site/sitemap.xml" to robots.txt and submit it in Google Search Console."""
    if not ctx.frames.sitemap.empty:
        return findings([])
    fetches = ctx.frames.fetches
    asked = fetches[fetches["kind"] == "sitemap"].drop_duplicates("url")
    if asked.empty:
        return findings([])  # never looked (robots.txt was not read): nothing to say
    records = asked.to_dict("records")
    for record in records:
        status = record.get("status")
        answered = status is not None and not pd.isna(status)
        if (record.get("blocked_by_robots") or record.get("challenged")
                or (answered and int(status) in REFUSAL_STATUSES)):
            return findings([])  # the crawler was kept from looking: we cannot tell
        if answered and 200 <= int(status) < 300 and not _is_html_type(
                record.get("content_type")):
            return findings([])  # a sitemap (empty, unreadable or an index of failing ones)
    rules = robots_rules(ctx)
    named = rules.sitemaps if rules is not None else []
    if named:
        message = "No sitemap found: the sitemap robots.txt names does not answer with one."
    else:
        message = ("No sitemap found: robots.txt names none, and /sitemap.xml does not answer "
                   "with one.")
    return findings([{
        "url": ctx.frames.get("start_url") or "", "target": records[0]["url"],
        "message": message,
        "detail": "; ".join(f"{record['url']}: {_answer(record)}" for record in records)}])
