"""On-page checks: titles, meta descriptions, headings, content, images, indexability.

They apply only to HTML pages that answered 2xx: never to a PDF, an image or an error page.
Thresholds follow Screaming Frog's defaults, which contractors already know
(shared/domain/peers.md §5); each can be overridden in the profile's [thresholds] table.
"""

from __future__ import annotations

import pandas as pd

from audit.registry import AuditContext, by_detail, check, findings

TITLE_MAX_LENGTH = 60
TITLE_MIN_LENGTH = 30
META_DESCRIPTION_MAX_LENGTH = 155
META_DESCRIPTION_MIN_LENGTH = 70
THIN_CONTENT_WORDS = 200


def html_pages(ctx: AuditContext) -> pd.DataFrame:
    """HTML pages of the site that answered 2xx and were extracted (selected once per audit:
    some thirty checks read them, and each selection copies every column). Read only."""
    return ctx.shared(_html_pages)


def indexable_pages(ctx: AuditContext) -> pd.DataFrame:
    """HTML pages that search engines may list: lengths and duplicates only matter there."""
    return ctx.shared(_indexable_pages)


def _html_pages(ctx: AuditContext) -> pd.DataFrame:
    pages = ctx.frames.pages
    return pages[pages["ok"] & pages["extracted"]]


def _indexable_pages(ctx: AuditContext) -> pd.DataFrame:
    pages = html_pages(ctx)
    return pages[pages["indexable"]]


def _present(values: pd.Series) -> pd.Series:
    return values.map(lambda v: isinstance(v, str) and v.strip() != "")


@check("title-missing", "error", "Page has no title", "Titles")
def title_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page has no <title>, or an empty one. The title is the blue headline people click in
    Google's results; without one Google makes one up from the page, often badly. How to fix:
    give the page a unique title that says what it offers and where, such as "Anxiety Therapy in
    Beverly Hills | Blair Wellness Group"."""
    pages = html_pages(ctx)
    missing = pages[~_present(pages["title"])]
    return findings({"url": missing["url"], "message": "The page has no title."})


@check("title-duplicate", "warning", "Several pages share one title", "Titles",
       subject=by_detail)
def title_duplicate(ctx: AuditContext) -> pd.DataFrame:
    """Two or more pages have exactly the same title, so searchers (and Google) cannot tell them
    apart and the pages compete with each other. How to fix: rewrite each title to describe its
    own page: the service, the place, the practice name."""
    pages = indexable_pages(ctx)
    pages = pages[_present(pages["title"])]
    key = pages["title"].str.strip().str.casefold()
    shared = pages[key.duplicated(keep=False)]
    counts = key[shared.index].map(key.value_counts())
    return findings({
        "url": shared["url"],
        "message": [f"The title is shared with {n - 1} other page(s)." for n in counts],
        "detail": shared["title"]})


@check("title-too-long", "notice", "Title may be cut off in search results", "Titles")
def title_too_long(ctx: AuditContext) -> pd.DataFrame:
    """The title is longer than about 60 characters, so Google will likely cut it off with
    "..." and the end (often the practice name or the city) will not show. How to fix: put the
    most important words first and shorten it to about 50-60 characters."""
    limit = ctx.threshold("TITLE_MAX_LENGTH", TITLE_MAX_LENGTH)
    pages = indexable_pages(ctx)
    long = pages[pages["title_length"] > limit]
    return findings({
        "url": long["url"],
        "message": [f"The title has {n} characters (more than {limit:g})."
                    for n in long["title_length"]],
        "detail": long["title"]})


@check("title-too-short", "notice", "Title is very short", "Titles")
def title_too_short(ctx: AuditContext) -> pd.DataFrame:
    """The title has fewer than 30 characters: it misses the chance to say what the page offers
    and where (for example the service and the city). How to fix: extend it with the service,
    the area served and the practice name."""
    limit = ctx.threshold("TITLE_MIN_LENGTH", TITLE_MIN_LENGTH)
    pages = indexable_pages(ctx)
    short = pages[_present(pages["title"]) & (pages["title_length"] < limit)]
    return findings({
        "url": short["url"],
        "message": [f"The title has only {n} characters (fewer than {limit:g})."
                    for n in short["title_length"]],
        "detail": short["title"]})


@check("meta-description-missing", "warning", "Page has no meta description", "Descriptions")
def meta_description_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page has no meta description, the short summary Google often shows under the title.
    Without one Google picks a snippet of the page, which may not invite the click. How to fix:
    write one or two sentences (70-155 characters) on what the page offers, for whom and
    where."""
    pages = indexable_pages(ctx)
    missing = pages[~_present(pages["meta_description"])]
    return findings({"url": missing["url"], "message": "The page has no meta description."})


@check("meta-description-duplicate", "warning", "Several pages share one meta description",
       "Descriptions", subject=by_detail)
def meta_description_duplicate(ctx: AuditContext) -> pd.DataFrame:
    """Two or more pages have the same meta description, so their search listings look alike
    and say nothing specific about each page. How to fix: write a description for each page
    about that page's own topic."""
    pages = indexable_pages(ctx)
    pages = pages[_present(pages["meta_description"])]
    key = pages["meta_description"].str.strip().str.casefold()
    shared = pages[key.duplicated(keep=False)]
    counts = key[shared.index].map(key.value_counts())
    return findings({
        "url": shared["url"],
        "message": [f"The meta description is shared with {n - 1} other page(s)."
                    for n in counts],
        "detail": shared["meta_description"]})


@check("meta-description-too-long", "notice", "Meta description may be cut off",
       "Descriptions")
def meta_description_too_long(ctx: AuditContext) -> pd.DataFrame:
    """The meta description is longer than about 155 characters; Google will likely cut it
    off. How to fix: keep the key message (service, place, how to book) in the first 150
    characters."""
    limit = ctx.threshold("META_DESCRIPTION_MAX_LENGTH", META_DESCRIPTION_MAX_LENGTH)
    pages = indexable_pages(ctx)
    long = pages[pages["meta_description_length"] > limit]
    return findings({
        "url": long["url"],
        "message": [f"The meta description has {n} characters (more than {limit:g})."
                    for n in long["meta_description_length"]],
        "detail": long["meta_description"]})


@check("meta-description-too-short", "notice", "Meta description is very short",
       "Descriptions")
def meta_description_too_short(ctx: AuditContext) -> pd.DataFrame:
    """The meta description has fewer than 70 characters: too little to persuade a searcher to
    choose this page. How to fix: say what the page offers, for whom and where, in 70-155
    characters."""
    limit = ctx.threshold("META_DESCRIPTION_MIN_LENGTH", META_DESCRIPTION_MIN_LENGTH)
    pages = indexable_pages(ctx)
    short = pages[_present(pages["meta_description"])
                  & (pages["meta_description_length"] < limit)]
    return findings({
        "url": short["url"],
        "message": [f"The meta description has only {n} characters (fewer than {limit:g})."
                    for n in short["meta_description_length"]],
        "detail": short["meta_description"]})


@check("h1-missing", "warning", "Page has no main heading (H1)", "Headings")
def h1_missing(ctx: AuditContext) -> pd.DataFrame:
    """The page has no H1, the main heading that tells visitors and Google what the page is
    about. How to fix: give the page one visible H1 that names its topic, for example "Anxiety
    Therapy in Los Angeles"."""
    pages = html_pages(ctx)
    missing = pages[pages["h1_count"] == 0]
    return findings({"url": missing["url"], "message": "The page has no H1 heading."})


@check("h1-multiple", "notice", "Page has more than one H1", "Headings")
def h1_multiple(ctx: AuditContext) -> pd.DataFrame:
    """The page has several H1 headings. Google copes with this, but one clear main heading
    makes the page's topic plainer to visitors and to screen readers. How to fix: keep one H1
    for the page's topic and turn the others into H2 subheadings."""
    pages = html_pages(ctx)
    many = pages[pages["h1_count"] > 1]
    return findings({
        "url": many["url"],
        "message": [f"The page has {n} H1 headings." for n in many["h1_count"]],
        "detail": many["h1"]})


@check("heading-skipped-level", "notice", "Heading levels skip a step", "Headings")
def heading_skipped_level(ctx: AuditContext) -> pd.DataFrame:
    """A heading jumps down more than one level, such as an H3 with no H2 before it. Screen
    readers use the heading outline to navigate, and a gap makes the page's structure
    confusing. How to fix: use the levels in order: H1 for the page, H2 for sections, H3 inside
    an H2 section."""
    rows = []
    for url, headings in html_pages(ctx)[["url", "headings"]].itertuples(index=False):
        previous = 0
        for level, text in headings if isinstance(headings, list) else []:
            if level > previous + 1 and (previous or level > 2):
                before = f"H{previous}" if previous else "no heading"
                rows.append({"url": url,
                             "message": f"An H{level} follows {before}.",
                             "detail": f"H{level}: {text}"})
                break
            previous = level
    return findings(rows)


@check("thin-content", "warning", "Page has little text", "Content")
def thin_content(ctx: AuditContext) -> pd.DataFrame:
    """The page's main content has fewer than 200 words (menus, header and footer not counted).
    Pages with little to say rarely rank, and visitors leave them. How to fix: add helpful,
    original text: what the service is, who it helps, what a first session is like, how to
    book."""
    limit = ctx.threshold("THIN_CONTENT_WORDS", THIN_CONTENT_WORDS)
    pages = indexable_pages(ctx)
    thin = pages[pages["word_count"] < limit]
    return findings({
        "url": thin["url"],
        "message": [f"The main content has {int(n)} word{'' if n == 1 else 's'} "
                    f"(fewer than {limit:g})." for n in thin["word_count"]]})


@check("image-missing-alt", "warning", "Image has no alt text", "Images", needs=("pages",))
def image_missing_alt(ctx: AuditContext) -> pd.DataFrame:
    """An image has no alt attribute, so screen-reader users hear nothing (or the file name) and
    Google cannot tell what it shows. An empty alt="" is fine: it marks a decorative image on
    purpose. How to fix: add a short alt text describing the image, or alt="" if it is purely
    decorative."""
    rows = []
    for url, images in html_pages(ctx)[["url", "images"]].itertuples(index=False):
        seen = set()
        for image in images if isinstance(images, list) else []:
            src = image.get("src") or ""
            if image.get("alt") is None and not image.get("decorative") and src not in seen:
                seen.add(src)
                rows.append({"url": url, "message": "An image has no alt attribute.",
                             "target": src, "detail": f"<img src=\"{src}\">"})
    return findings(rows)


@check("noindex", "notice", "Page asks search engines not to index it",
       "Google can't index it")
def noindex(ctx: AuditContext) -> pd.DataFrame:
    """The page tells search engines not to list it: a robots "noindex" (or "none") meta tag or
    X-Robots-Tag header, for every search engine or for Googlebot, or an "unavailable_after"
    date that has passed. That is right for thank-you or private pages, and a serious mistake
    on a service or contact page. How to fix: if the page should be found in Google, remove the
    noindex directive (or the expired unavailable_after date)."""
    pages = html_pages(ctx)
    hidden = pages[pages["noindex"]]
    messages = [
        "The page asked to leave search results after a date that has passed."
        if "unavailable_after" in (reason or "") else "The page is marked noindex."
        for reason in hidden["noindex_reason"].tolist()]
    details = [
        "; ".join(part for part in (
            f"meta robots: {meta}" if isinstance(meta, str) else "",
            f"X-Robots-Tag: {header}" if isinstance(header, str) else "") if part)
        for meta, header in zip(hidden["meta_robots"].tolist(), hidden["x_robots_tag"].tolist(),
                                strict=True)]
    return findings({"url": hidden["url"], "message": messages, "detail": details})
