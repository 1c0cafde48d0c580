"""Patient trust and compliance: the notices, license wording and privacy risks of a health
practice's website that no SEO crawler checks.

Federal rules (the No Surprises Act's Good Faith Estimate notice, HIPAA's Notice of Privacy
Practices), California's board rules on titles and associates, and good practice (a crisis line,
where telehealth clients must be) ask things of a therapist's website that a shop's does not
have. The rules and their sources are in the domain notes (local-seo.md): F1-F3 (section 7b),
L3-L5 and L7 (section 1.5), K3/K5 (section 4) and P8 (section 5). The facts come from
extraction (audit.compliance, per page: the notices and topics named, titles beside names,
registrants, trackers, forms, runs of place names) and from the NAP facts (crisis numbers,
license numbers). The report shows these findings in their own section, with a note that it is
not legal advice: each finding says what a compliance adviser should look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from audit.checks.onpage import html_pages
from audit.compliance import (
    _LINK_GATES,
    FAMILY_WORDS,
    LICENSE_FAMILIES,
    link_notices,
    person_names,
    title_claims,
)
from audit.nap import find_licenses, normalize_name
from audit.registry import AuditContext, check, findings

CATEGORY = "Patient trust and compliance"
# Eight or more distinct place names in a short run read as a list of cities to rank for (K3).
LOCATION_LIST_MIN = 8
NEAR_ME = re.compile(r"\bnear\s+me\b", re.IGNORECASE)
# License families of mental-health practitioners: their sites get crisis-notice-missing.
MENTAL_HEALTH_FAMILIES = frozenset({"psy", "psb", "lmft", "amft", "lcsw", "asw", "lpcc", "apcc",
                                    "lep", "counselor"})
# Who may supervise an associate: licensed clinicians (BBS: LMFT, LCSW, LPCC, psychologist,
# physician).
SUPERVISOR_FAMILIES = frozenset({"psy", "lmft", "lcsw", "lpcc", "physician"})
REGISTRANT_WORDING = {
    "AMFT": "Registered Associate Marriage and Family Therapist",
    "APCC": "Registered Associate Professional Clinical Counselor",
    "ASW": "Registered Associate Clinical Social Worker",
    "PSB": "Registered Psychological Associate",
}
CRISIS_NUMBERS = frozenset({"988", "911"})
_NEAREST_NAME_BEFORE = 80  # characters from the end of a name to the title it goes with
_NEAREST_NAME_AFTER = 40


# --- what the whole site shows ---------------------------------------------------------------


def _facts(ctx: AuditContext) -> list[tuple[str, dict[str, Any]]]:
    """(url, compliance facts) of every HTML page of the site that answered 2xx."""
    return ctx.shared(_page_facts)


def _page_facts(ctx: AuditContext) -> list[tuple[str, dict[str, Any]]]:
    pages = html_pages(ctx)
    if "compliance" not in pages:
        return []  # a crawl made before these facts were recorded
    return [(url, facts if isinstance(facts, dict) else {})
            for url, facts in zip(pages["url"].tolist(), pages["compliance"].tolist(),
                                  strict=True)]


def _site_notices(ctx: AuditContext) -> dict[str, str]:
    """Where the site first names each notice or topic (signal -> URL): in a page's text, in a
    link's words or address (a notice posted as a PDF), or inside a PDF of the site."""
    # Links first: a link naming a notice says where the notice is (a footer's "Privacy
    # Policy" text names the page that link leads to, not the page it sits on).
    found: dict[str, str] = {}
    links = ctx.frames.links
    if links is not None and not links.empty:
        anchors = links.loc[links["element"] == "a", ["target_url", "anchor_text"]]
        # each distinct text and address is read once (a menu repeats them on every page), and
        # only if it has one of link_notices' gate words (it names nothing otherwise); only
        # the links that name something are read one by one
        texts, urls = anchors["anchor_text"], anchors["target_url"]
        if not isinstance(texts.dtype, pd.CategoricalDtype):
            # not a column of text (records holding other values): every value as its text
            texts = texts.fillna("").astype(str)
        spelled = {text: str(text) for text in texts.dropna().unique().tolist()}  # missing: ""
        named_by_text = {text: named for text in _gated(list(dict.fromkeys(spelled.values())))
                         if (named := link_notices(text, ""))}
        named_by_url = {url: named for url in _gated(urls.unique().tolist())
                        if (named := link_notices("", url))}
        naming = (texts.isin([text for text, spelt in spelled.items() if spelt in named_by_text])
                  | urls.isin(list(named_by_url))).to_numpy()
        for target, text in sorted(set(zip(
                urls[naming].tolist(), [spelled.get(text, "") for text in texts[naming].tolist()],
                strict=True))):
            for notice in sorted(set(named_by_text.get(text, ()))
                                 | set(named_by_url.get(target, ()))):
                found.setdefault(notice, target)
    for url, facts in sorted(_facts(ctx)):
        for signal in facts.get("signals", ()):
            found.setdefault(signal, url)
    pages = ctx.frames.pages
    if "notices" in pages:  # what the site's PDFs say (spiders.site reads their text)
        for url, notices in sorted(zip(pages["url"].tolist(), pages["notices"].tolist(),
                                       strict=True)):
            for notice in notices if isinstance(notices, list) else ():
                found.setdefault(notice, url)
    return found


_GATES = re.compile("|".join(map(re.escape, _LINK_GATES)))


def _gated(values: list[Any]) -> list[Any]:
    """The values (texts, addresses) that contain one of link_notices' gate words, lower-cased
    as it reads them: one search over all of them, not a call per value. A value that is not
    text is kept too: link_notices meets it as before."""
    lowered = [value.lower() if type(value) is str else "" for value in values]
    ends = np.cumsum([len(text) + 1 for text in lowered])  # each text's end, its "\n" included
    hits = set(np.searchsorted(ends, [m.start() for m in _GATES.finditer("\n".join(lowered))],
                               side="right").tolist())
    hits.update(index for index, value in enumerate(values) if type(value) is not str)
    return [values[index] for index in sorted(hits)]


def _site_url(ctx: AuditContext) -> str:
    return ctx.frames.get("start_url") or ""


def _license_family(license_: object) -> str | None:
    if not isinstance(license_, str) or not license_.strip():
        return None
    return LICENSE_FAMILIES.get(license_.split()[0].upper())


def _profile_flag(ctx: AuditContext, name: str) -> bool:
    return bool(getattr(ctx.profile, name, True))


# --- the federal notices (F1, F2) and the crisis line (F3) ------------------------------------


@check("gfe-notice-missing", "warning", "No Good Faith Estimate notice", CATEGORY,
       source="45 CFR 149.610 (No Surprises Act); CMS standard notice \"Right to Receive a "
              "Good Faith Estimate of Expected Charges\"")
def gfe_notice_missing(ctx: AuditContext) -> pd.DataFrame:
    """No page of the site tells patients that they can ask for a Good Faith Estimate of what
    their care will cost. The No Surprises Act (45 CFR 149.610) requires providers, therapists
    in private practice included, to give uninsured and self-pay patients a good faith estimate,
    and CMS's standard notice says its availability must be displayed prominently on the
    provider's website. A notice posted as a PDF counts when a link names it or the PDF's text
    does. A practice that sees no self-pay patients can say so in its profile
    (self_pay_patients = false) and this check stays silent. How to fix: add CMS's standard
    "Right to Receive a Good Faith Estimate of Expected Charges" notice to the fees or
    insurance page, and link it from the footer."""
    facts = _facts(ctx)
    if not facts or not _profile_flag(ctx, "self_pay_patients"):
        return findings([])
    if "gfe" in ctx.shared(_site_notices):
        return findings([])
    return findings([{
        "url": _site_url(ctx),
        "message": "No page tells patients they can ask for a Good Faith Estimate of costs.",
        "detail": f"{len(facts)} page(s) read; no page, link or PDF names a Good Faith "
                  "Estimate."}])


@check("privacy-notice-missing", "warning", "No HIPAA Notice of Privacy Practices", CATEGORY,
       source="45 CFR 164.520(c)(3)(i) (HIPAA Privacy Rule)")
def privacy_notice_missing(ctx: AuditContext) -> pd.DataFrame:
    """No page of the site shows or links the practice's HIPAA Notice of Privacy Practices. A
    covered entity with a website about its services must post its notice prominently there
    (45 CFR 164.520(c)(3)(i)); HHS's audit protocol gives a link from the home page, labelled as
    the Notice of Privacy Practices, as the example. A website "privacy policy" about cookies
    and contact forms is not that notice. A practice that is not a HIPAA covered entity (it
    bills no insurance electronically) can say so in its profile (hipaa_covered_entity =
    false) and this check stays silent. How to fix: post the Notice of Privacy Practices you
    give patients (a page or a PDF) and link it from the footer of every page with the words
    "Notice of Privacy Practices"."""
    facts = _facts(ctx)
    if not facts or not _profile_flag(ctx, "hipaa_covered_entity"):
        return findings([])
    notices = ctx.shared(_site_notices)
    if "privacy_notice" in notices:
        return findings([])
    if "privacy_policy" in notices:
        detail = (f"Only a website privacy policy was found ({notices['privacy_policy']}); a "
                  "privacy policy is not the HIPAA Notice of Privacy Practices.")
    else:
        detail = f"{len(facts)} page(s) read; none shows or links a privacy notice."
    return findings([{
        "url": _site_url(ctx),
        "message": "No page shows or links the HIPAA Notice of Privacy Practices.",
        "detail": detail}])


def _crisis_lines(ctx: AuditContext) -> tuple[bool, list[str]]:
    """Whether a page gives 988 or 911, and the other crisis lines the site gives (an old
    Lifeline number, a county help line: good, but not the numbers everyone can remember)."""
    nap = ctx.frames.nap
    if nap is None or nap.empty:
        return False, []
    phones = nap[nap["field"] == "phone"]
    if phones["normalized"].isin(CRISIS_NUMBERS).any():
        return True, []
    others = phones[(phones["role"] == "crisis") & phones["normalized"].astype(bool)]
    # one spelling per number: "(800) 854-7771" and "800-854-7771" are one line
    others = others.drop_duplicates("normalized")["raw"].map(lambda r: " ".join(str(r).split()))
    return False, sorted(others.tolist())


def _mental_health(ctx: AuditContext, facts: list[tuple[str, dict[str, Any]]]) -> bool:
    """A mental-health practice: its license says so (the profile's, else the one the site
    agrees on), or its home page or at least two pages talk about therapy or counselling."""
    business = ctx.frames.get("business") or {}
    license_ = (business.get("license") or {}).get("value")
    if _license_family(license_) in MENTAL_HEALTH_FAMILIES:
        return True
    talking = [url for url, f in facts if "therapy" in f.get("signals", ())]
    return _site_url(ctx) in talking or len(talking) >= 2


@check("crisis-notice-missing", "notice", "No crisis line for visitors in crisis", CATEGORY,
       source="Good practice (not a legal rule): 988 Suicide & Crisis Lifeline")
def crisis_notice_missing(ctx: AuditContext) -> pd.DataFrame:
    """A mental-health practice's site never tells a visitor in crisis to call or text 988 (the
    Suicide & Crisis Lifeline) or to call 911. Contact forms, e-mail and voicemail are not
    answered around the clock, and someone in crisis may reach the site first. This is good
    practice, not a legal rule. It applies to mental-health practices: a psychologist's,
    therapist's or counsellor's license in the profile, or pages that talk about therapy or
    counselling. How to fix: add a line such as "If you are in crisis, call or text 988, or call
    911" to the contact page and the footer."""
    facts = _facts(ctx)
    if not facts or not _mental_health(ctx, facts):
        return findings([])
    shown, others = _crisis_lines(ctx)
    if shown:
        return findings([])
    detail = f"{len(facts)} page(s) read; no 988 or 911 line found."
    if others:
        detail += (f" Other crisis lines are given: {', '.join(others[:3])}. Add 988, the "
                   "national Suicide & Crisis Lifeline, and 911 for emergencies.")
    return findings([{
        "url": _site_url(ctx),
        "message": "No page tells a visitor in crisis to call or text 988 or call 911.",
        "detail": detail}])


# --- license wording (L3, L4, L5, L7) ----------------------------------------------------------


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one person's name: equal once honorifics and credentials are dropped,
    or one is the other's surname with or without the first name ("Dr. Blair", "Cassidy
    Blair")."""
    words_a, words_b = normalize_name(a).split(), normalize_name(b).split()
    if not words_a or not words_b:
        return False
    if words_a == words_b:
        return True
    shorter, longer = sorted((words_a, words_b), key=len)
    return shorter[-1] == longer[-1] and all(w in longer for w in shorter)


def _licenses_by_name(ctx: AuditContext) -> list[tuple[str, str]]:
    """(name, license) printed together anywhere on the site."""
    pairs: dict[tuple[str, str], None] = {}
    for _url, facts in _facts(ctx):
        for name, license_ in facts.get("licensed_names", ()):
            pairs[(name, license_)] = None
    return list(pairs)


def _claims(text: str) -> Iterator[tuple[str, str]]:
    """(family, name) of each protected title in an identity zone with the person it names:
    the nearest name before it, else just after it. A title with no name beside it is prose
    or a practice's name, never a claim about a person."""
    names = person_names(text)
    for family, start, end in title_claims(text):
        before = [n for n in names if n[1] <= start and start - n[1] <= _NEAREST_NAME_BEFORE]
        after = [n for n in names if n[0] >= end and n[0] - end <= _NEAREST_NAME_AFTER]
        if before:
            yield family, before[-1][2]
        elif after:
            yield family, after[0][2]


def in_california(ctx: AuditContext) -> bool:
    """Whether California's board rules apply: the practice is in California (audit.locale).
    The three checks that read those rules say nothing about a practice elsewhere, whose
    boards have rules of their own."""
    locale = ctx.frames.get("locale")
    return locale is None or locale.state == "CA"


@check("license-title-mismatch", "error", "Title the practitioner's license does not allow",
       CATEGORY, source="California Business and Professions Code 2902-2903 (psychologist "
                        "title), 16 CCR 1811 (BBS advertising); BPC 651")
def license_title_mismatch(ctx: AuditContext) -> pd.DataFrame:
    """A protected professional title stands next to a practitioner's name (in a page title, a
    heading, a byline or the structured data's job title) that the practitioner's own license
    does not allow: for example a marriage and family therapist (LMFT) called "Psychologist".
    In California only a licensed psychologist may use "psychologist" (Business and
    Professions Code 2902-2903), and the Board of Behavioral Sciences treats a misstated
    license type as unprofessional conduct. Each person is judged against their own license:
    the profile's for the practitioner it names, or the number printed with their name; a
    colleague's license on the team page says nothing about the owner. Topics such as "the
    psychology of burnout" are never titles. How to fix: use the title of the license held
    ("Licensed Marriage and Family Therapist") beside the name, or, if the person holds both
    licenses, show both numbers (and add the right one to the profile)."""
    if not in_california(ctx):
        return findings([])
    practitioner = getattr(ctx.profile, "practitioner", None)
    profile_family = _license_family(getattr(ctx.profile, "license", None))
    named = _licenses_by_name(ctx)
    rows = []
    for url, facts in _facts(ctx):
        wrong: dict[tuple[str, str], dict[str, Any]] = {}  # one finding per person and title
        for zone, text in facts.get("identity", ()):
            printed = [hit["normalized"] for hit in find_licenses(text)
                       if hit["confidence"] == "high" and hit["kind"] != "untyped"]
            for family, name in dict.fromkeys(_claims(text)):
                held = list(printed)
                if practitioner and profile_family and _same_person(name, practitioner):
                    held.append(ctx.profile.license)
                held += [lic for who, lic in named if _same_person(who, name)]
                families = {_license_family(lic) for lic in held} - {None}
                if not families or family in families:
                    continue  # unknown license, or the title it allows
                where = zone.upper() if zone.startswith("h") else _ZONE_WORDS.get(zone, zone)
                if (name, family) in wrong:
                    wrong[(name, family)]["zones"].append(where)
                    continue
                wrong[(name, family)] = {"zones": [where], "text": text, "licenses": ", ".join(
                    sorted(dict.fromkeys(held)))}
        for (name, family), found in wrong.items():
            zones = found["zones"]
            rows.append({
                "url": url,
                "message": _capitalised(
                    f"{_and(zones)} call{'s' if len(zones) == 1 else ''} {name} a "
                    f"{FAMILY_WORDS[family]}, but {name}'s license is {found['licenses']}."),
                "detail": found["text"], "target": name})
    return findings(rows)


_ZONE_WORDS = {"title": "the page title", "byline": "the byline",
               "jsonld": "the structured data's jobTitle"}


@check("associate-disclosure-missing", "error", "Associate named without the full disclosure",
       CATEGORY, source="16 CCR 1811 (BBS advertising); BBS statement on associate "
                        "abbreviations; BPC 2913 (psychological associates)")
def associate_disclosure_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page names a registrant, an associate who practises under supervision (AMFT, APCC,
    ASW, psychological associate), without everything California's boards ask an
    advertisement to carry: the full title ("Registered Associate Marriage and Family
    Therapist": the abbreviation alone is not enough), that the associate is supervised, and
    the supervisor's name and license number. How to fix: next to the associate's name, write
    the full registered title and number, then "Supervised by" the supervisor's name, license
    type and number."""
    if not in_california(ctx):
        return findings([])
    nap = ctx.frames.nap
    licenses = (nap[(nap["field"] == "license") & nap["normalized"].astype(bool)]
                if nap is not None and not nap.empty else None)
    rows = []
    for url, facts in _facts(ctx):
        registrants = facts.get("registrants")
        if not registrants:
            continue
        missing = [f'the full title "{REGISTRANT_WORDING[t]}"' for t in registrants["types"]
                   if t not in registrants["full"] and t in REGISTRANT_WORDING]
        if not registrants.get("supervised"):
            missing.append("who supervises them")
        on_page = (licenses.loc[licenses["url"] == url, "normalized"].tolist()
                   if licenses is not None else [])
        if not any(_license_family(lic) in SUPERVISOR_FAMILIES for lic in on_page):
            missing.append("the supervisor's license number")
        if missing:
            rows.append({
                "url": url,
                "message": f"The page names an associate ({', '.join(registrants['types'])}) "
                           f"but does not give {_and(missing)}.",
                "detail": registrants.get("excerpt", "")})
    return findings(rows)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@check("license-type-missing", "warning", "License number without its type, or title without "
       "a number", CATEGORY, source="16 CCR 1811 (BBS advertising); BPC 651")
def license_type_missing(ctx: AuditContext) -> pd.DataFrame:
    """A license number is shown without its license type ("License #22022": of which board,
    for which profession?), or the site calls someone licensed ("Licensed Clinical
    Psychologist", "LMFT") but no page shows a license number. California's Board of
    Behavioral Sciences asks every advertisement to carry the license type and the number
    together, and patients are told to look a practitioner's license up before their first
    session: the type and the number are what they look it up by. A number drawn in an image
    cannot be read and counts as missing. How to fix: write the type before the number
    ("LMFT 54321", "PSY 22022") in the footer and on the about page."""
    if not in_california(ctx):
        return findings([])
    facts = _facts(ctx)
    nap = ctx.frames.nap
    typed = (nap[(nap["field"] == "license") & nap["normalized"].astype(bool)]
             if nap is not None and not nap.empty else nap)
    rows = []
    for url, page in facts:
        if not page.get("untyped_licenses"):
            continue
        digits_typed = (set(typed.loc[typed["url"] == url, "normalized"].map(
            lambda v: v.split()[-1]).tolist()) if typed is not None and not typed.empty else set())
        for raw in page["untyped_licenses"]:
            if raw.split()[-1].lstrip("#:") in digits_typed:
                continue  # the same number is given with its type on this page
            rows.append({"url": url,
                         "message": f"The license number \"{raw}\" is given without its license "
                                    "type (e.g. LMFT, PSY).",
                         "detail": raw})
    any_number = (typed is not None and not typed.empty) or any(
        page.get("untyped_licenses") for _, page in facts)
    if not any_number:
        titled = [(url, page["licensed_title"]) for url, page in facts
                  if page.get("licensed_title")]
        home = [t for t in titled if t[0] == _site_url(ctx)]
        if titled:
            url, title = (home or sorted(titled))[0]
            rows.append({"url": url,
                         "message": f"The site says \"{title}\" but no page shows a license "
                                    "number.",
                         "detail": f"{len(titled)} page(s) give a licensed title; no license "
                                   "number was found in the text of any page."})
    return findings(rows)


@check("telehealth-jurisdiction-missing", "notice", "Telehealth offered without saying where",
       CATEGORY, source="California Board of Psychology consumer notice; 16 CCR 1396.8; "
                        "BPC 2290.5 and 2912")
def telehealth_jurisdiction_missing(ctx: AuditContext) -> pd.DataFrame:
    """The site offers telehealth (online, video or phone sessions) but no page says where
    clients must be located or in which state the clinician is licensed. A license covers
    clients in its own state only: a Californian client on a trip, or a client in another
    state, may not be allowed to have sessions, and the Board of Psychology tells consumers
    that whoever treats a person in California must be licensed there. Telehealth "across
    California" names an area served; it does not tell a client who travels, or lives
    elsewhere, that they must be in the state during sessions. How to fix: add a line
    such as "Telehealth sessions are available to clients located in California" where
    telehealth is offered."""
    notices = ctx.shared(_site_notices)
    if "telehealth" not in notices or "jurisdiction" in notices:
        return findings([])
    return findings([{
        "url": _site_url(ctx),
        "message": "Telehealth is offered, but no page says where clients must be located or "
                   "where the clinician is licensed.",
        "detail": f"telehealth offered on {notices['telehealth']}"}])


# --- privacy and spam (P8, K3, K5) -------------------------------------------------------------


@check("form-tracker", "warning", "Contact form on a page with an ad or analytics tracker",
       CATEGORY, source="HHS OCR bulletin \"Use of Online Tracking Technologies by HIPAA "
                        "Covered Entities and Business Associates\" (2022, updated 2024)")
def form_tracker(ctx: AuditContext) -> pd.DataFrame:
    """A page with a form that asks for personal details (a name, phone, e-mail, a message: a
    contact, appointment or intake form) also loads an advertising or analytics tracker (Meta
    Pixel, Google Analytics or Ads tags, TikTok, LinkedIn, Hotjar, Microsoft Clarity ...). What
    a visitor types or does on a health practice's form page can reach the tracker's company,
    and HHS's guidance on tracking technologies says that information can be protected health
    information. This is a risk to check with a compliance adviser, not a verdict: whether the
    practice is covered and what the tracker receives decide. A practice-management portal's
    form frame is not a tracker, and a search box is not a contact form. How to fix: remove
    advertising and analytics tags from contact and intake pages (or use a vendor that signs a
    business associate agreement), or move the form to your practice-management portal."""
    pages = html_pages(ctx)
    if "compliance" not in pages:
        return findings([])
    rows = []
    for url, forms, facts in zip(pages["url"].tolist(), pages["forms"].tolist(),
                                 pages["compliance"].tolist(), strict=True):
        trackers = facts.get("trackers") if isinstance(facts, dict) else None
        if not trackers or not isinstance(forms, list):
            continue
        personal = [form for form in forms if len(form) > 2 and form[2] == "personal"]
        if not personal:
            continue
        names = [name for name, _where in trackers]
        rows.append({"url": url,
                     "message": f"A form asking for personal details is on a page that loads "
                                f"{_and(names)}.",
                     "detail": "; ".join(f"{name}: {where}" for name, where in trackers),
                     "target": personal[0][0]})
    return findings(rows)


@check("location-stuffing", "warning", "List of place names or \"near me\" stuffed in",
       CATEGORY, source="Google Search spam policies (keyword stuffing: lists of cities)")
def location_stuffing(ctx: AuditContext) -> pd.DataFrame:
    """The page lists a long run of place names (eight or more cities or neighbourhoods close
    together, such as a footer of fifteen neighbourhoods, even written as one sentence), or puts
    "near me" in its title or main heading. Google's spam policies name lists of cities a page
    tries to rank for as keyword stuffing, and "near me" is how people search, not how a
    practice describes itself: search engines already know where the searcher is. A sentence
    naming a few areas served is fine, and so is "near me" in running text. How to fix: name
    the city and the two or three areas you really serve in a sentence, and make a page for an
    area only when you have something specific to say about it."""
    pages = html_pages(ctx)
    if "compliance" not in pages:
        return findings([])
    least = ctx.threshold("LOCATION_LIST_MIN", LOCATION_LIST_MIN)
    rows = []
    for url, title, h1, facts in zip(pages["url"].tolist(), pages["title"].tolist(),
                                     pages["h1"].tolist(), pages["compliance"].tolist(),
                                     strict=True):
        run = facts.get("place_run") if isinstance(facts, dict) else None
        if run and run[0] >= least:
            rows.append({"url": url,
                         "message": f"The page lists {run[0]} place names in a row.",
                         "detail": run[1]})
        for where, text in (("title", title), ("H1", h1)):
            if isinstance(text, str) and NEAR_ME.search(text):
                rows.append({"url": url, "message": f"The {where} says \"near me\".",
                             "detail": text})
    return findings(rows)
