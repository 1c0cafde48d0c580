"""Security checks: HTTPS, certificates, mixed content, insecure forms, HSTS.

A therapist's contact and intake forms carry health information, and browsers now mark every
plain-http page "Not secure", so these are about patients' trust as much as about search.
They judge only the site's own HTML pages that answered 2xx: a site whose http addresses
redirect to https is served over https.
"""

from __future__ import annotations

import re

import pandas as pd

from audit.checks.onpage import html_pages
from audit.registry import AuditContext, check, findings
from spiders.tls import CHAIN_PROBLEM

# Words for the elements an https page can load insecurely (spiders.extract insecure_resources).
RESOURCE_NAMES = {"img": "an image", "script": "a script",
                  "link": "a stylesheet or icon",  # <link> stylesheet, icon or preload
                  "iframe": "an embedded frame", "frame": "an embedded frame",
                  "video": "a video", "audio": "an audio file", "source": "a media file",
                  "track": "a subtitle track", "object": "an embedded object",
                  "embed": "an embedded object"}
_MAX_AGE = re.compile(r"(?:^|;)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:;|$)", re.IGNORECASE)


def _site_url(ctx: AuditContext) -> str:
    return ctx.frames.get("start_url") or ""


def _is_http(urls: pd.Series) -> pd.Series:
    return urls.astype(str).str.lower().str.startswith("http:")


def _is_https(urls: pd.Series) -> pd.Series:
    return urls.astype(str).str.lower().str.startswith("https:")


def hsts_max_age(value: object) -> int | None:
    """The max-age of a Strict-Transport-Security header value, or None when there is no
    header or it sets no valid max-age (browsers then ignore the header entirely)."""
    if not isinstance(value, str):
        return None
    # A header sent twice is joined with ", "; browsers read the first one only.
    first = value.split(",")[0]
    found = _MAX_AGE.search(first)
    return int(found.group(1)) if found else None


@check("https-missing", "error", "Site is not served over HTTPS", "Security")
def https_missing(ctx: AuditContext) -> pd.DataFrame:
    """Pages of the site are served over plain http, without encryption. Browsers label such
    pages "Not secure" next to the address, anything a visitor types can be read or changed on
    the way, and Google prefers secure pages in its results. How to fix: install a certificate
    (most hosts give one free, e.g. Let's Encrypt), serve every page over https, and redirect
    each http address to its https twin with a permanent (301) redirect."""
    pages = html_pages(ctx)
    plain = pages[_is_http(pages["url"])]
    if plain.empty:
        return findings([])
    count, total = len(plain), len(pages)
    scope = "All" if count == total else f"{count} of"
    return findings([{
        "url": _site_url(ctx),
        "message": f"{scope} {total} page(s) of the site are served over plain http; "
                   "browsers mark them \"Not secure\".",
        "detail": f"for example {min(plain['url'].tolist())}"}])  # the same on every run


@check("https-certificate-invalid", "error", "Site's security certificate is not valid",
       "Security", needs=("crawl_state",))
def https_certificate_invalid(ctx: AuditContext) -> pd.DataFrame:
    """The site's https certificate does not pass a browser's checks: it is expired, not yet
    valid, self-signed, issued by an authority browsers do not trust, or made out for another
    address. Browsers then put a full-page "Your connection is not private" warning in front of
    the site, and most patients turn back there. How to fix: renew or reissue the certificate
    for the site's exact address (your host or Let's Encrypt can do it, usually automatically)
    and install it with its full chain."""
    certificates = (ctx.frames.crawl_state or {}).get("certificates") or {}
    rows = []
    for origin, verdict in sorted(certificates.items()):
        # "checked": False means the check could not be made (no answer, no TLS at all): no
        # verdict, so no finding.
        if not verdict.get("checked") or not verdict.get("problem"):
            continue
        problem = str(verdict["problem"])
        # A missing intermediate certificate is fetched by some browsers, refused by others
        # and by most apps: "may", not "do".
        refuse = "may refuse" if problem.startswith(CHAIN_PROBLEM) else "reject"
        rows.append({
            "url": _site_url(ctx) or origin + "/", "target": origin,
            "message": f"Browsers {refuse} the site's certificate and warn patients away: "
                       f"{problem.split(' (')[0]}.",
            "detail": problem})
    return findings(rows)


@check("mixed-content", "warning", "Secure page loads files over plain http", "Security")
def mixed_content(ctx: AuditContext) -> pd.DataFrame:
    """This https page loads a script, stylesheet, image, frame or media file over plain http
    ("mixed content"). Browsers block insecure scripts, stylesheets and frames, so part of the
    page can break, and load other files only after switching them to https (dropping them if
    that fails) or mark the page as not fully secure. A link to an http site is not mixed
    content. How to fix: change the file's address to https (most hosts and services support
    it), or host the file on the site itself."""
    pages = html_pages(ctx)
    pages = pages[_is_https(pages["url"])]
    rows = []
    for url, resources in zip(pages["url"].tolist(), pages["insecure_resources"].tolist(),
                              strict=True):
        if not isinstance(resources, list):
            continue
        for element, target in resources:
            what = RESOURCE_NAMES.get(element, "a file")
            rows.append({"url": url, "target": target,
                         "message": f"The secure page loads {what} over plain http.",
                         "detail": f"<{element}> {target}"})
    return findings(rows)


@check("form-insecure", "error", "Form sends visitors' details without encryption", "Security")
def form_insecure(ctx: AuditContext) -> pd.DataFrame:
    """A form on this page sends what visitors type without encryption: either it submits to a
    plain http address, or the page itself is served over http (browsers mark it "Not secure"
    as soon as someone types into it, and the page, with where its form sends, can be altered
    on the way). Contact and intake forms on a therapist's site carry health information. How
    to fix: serve the page over https and make the form submit to an https address."""
    pages = html_pages(ctx)
    rows = []
    for url, forms in zip(pages["url"].tolist(), pages["forms"].tolist(), strict=True):
        if not isinstance(forms, list) or not forms:
            continue
        page_is_plain = url.lower().startswith("http:")
        for action, method, *_ in dict.fromkeys(map(tuple, forms)):
            method = (method or "get").upper()
            sends_plain = action.lower().startswith("http:")
            if sends_plain and page_is_plain:
                message = (f"A form on this plain-http page sends its data ({method}) "
                           "without encryption.")
            elif sends_plain:
                message = f"A form sends its data ({method}) to a plain http address."
            elif page_is_plain:
                message = ("A form is on a page served over plain http: it submits to https, "
                           "but the page, and so where the form sends, can be altered on the "
                           "way.")
            else:
                continue
            rows.append({"url": url, "target": action, "message": message,
                         "detail": f"<form method={method.lower()} action={action}>"})
    return findings(rows)


@check("hsts-missing", "notice", "Site does not insist on HTTPS (no HSTS)", "Security")
def hsts_missing(ctx: AuditContext) -> pd.DataFrame:
    """The site is served over https but never sends the Strict-Transport-Security (HSTS)
    header, which tells browsers to use only https for it from then on. Without it a visitor
    who types the address, or follows an old http link, first reaches the site unencrypted,
    where that first request can be intercepted. How to fix: once every page works over https,
    have the server send "Strict-Transport-Security: max-age=31536000" with its https
    responses (hosts and CDNs usually have a setting for it)."""
    pages = html_pages(ctx)
    secure = pages[_is_https(pages["url"])]
    if secure.empty:
        return findings([])  # an http-only site: https-missing says what matters
    ages = [hsts_max_age(value) for value in secure["hsts"].tolist()]
    if any(age for age in ages):
        return findings([])  # browsers remember HSTS from any one response of the host
    if any(age == 0 for age in ages):
        message = ("The site's Strict-Transport-Security header says max-age=0, which tells "
                   "browsers to stop insisting on https.")
    elif any(isinstance(value, str) for value in secure["hsts"].tolist()):
        message = ("The site's Strict-Transport-Security header has no valid max-age, so "
                   "browsers ignore it.")
    else:
        message = (f"None of the site's {len(secure)} https page(s) sends a "
                   "Strict-Transport-Security header.")
    return findings([{"url": _site_url(ctx), "message": message}])
