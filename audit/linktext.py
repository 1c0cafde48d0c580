"""Generic ("click here") link text, judged the way Lighthouse's SEO ``link-text`` audit judges it.

Search engines and screen-reader users read a link's text to learn where it goes; "Read more"
says nothing. Lighthouse flags a link when its trimmed, lower-cased text is exactly one of a
fixed list of phrases, so "Read more" is generic but "Read more about anxiety therapy" is not.
Practices compare our report with the Lighthouse score they see in PageSpeed Insights, so this
module reproduces Lighthouse's list and its matching rather than inventing a fuzzier rule.

Pure functions, no Scrapy: the caller hands over a link's text, href and rel.
"""

from __future__ import annotations

import re

# Lighthouse's phrase list (``nonDescriptiveLinkTexts``, formerly BLOCKLIST), every language it
# has, copied verbatim from core/audits/seo/link-text.js at Lighthouse main commit f8eac394a68b
# (2026-08-20, package version 13.4.1; the file last changed in 7e07dad035ae, 2025-06-05).
# Lighthouse only consults the list of the link's language when the page declares one; we do not
# know the language, so we use the union, which is exactly what Lighthouse does for pages that
# declare no language.
GENERIC_LINK_TEXTS: frozenset[str] = frozenset({
    # English (en)
    "click here", "click this", "go", "here", "information", "learn more", "more", "more info",
    "more information", "right here", "read more", "see more", "start", "this",
    # Japanese (ja)
    "ここをクリック", "こちらをクリック", "リンク", "続きを読む", "続く", "全文表示",
    # Spanish (es)
    "click aquí", "click aqui", "clicka aquí", "clicka aqui", "pincha aquí", "pincha aqui", "aquí",
    "aqui", "más", "mas", "más información", "más informacion", "mas información",
    "mas informacion", "este", "enlace", "este enlace", "empezar",
    # Portuguese (pt)
    "clique aqui", "ir", "mais informação", "mais informações", "mais", "veja mais",
    # Korean (ko)
    "여기", "여기를 클릭", "클릭", "링크", "자세히", "자세히 보기", "계속", "이동", "전체 보기",
    # Swedish (sv)
    "här", "klicka här", "läs mer", "mer", "mer info", "mer information",
    # German (de)
    "klicke hier", "hier klicken", "hier", "mehr", "siehe", "dies", "das", "weiterlesen",
    # Tamil (ta)
    "அடுத்த பக்கம்", "மறுபக்கம்", "முந்தைய பக்கம்", "முன்பக்கம்", "மேலும் அறிக",
    "மேலும் தகவலுக்கு", "மேலும் தரவுகளுக்கு", "தயவுசெய்து இங்கே அழுத்தவும்",
    "இங்கே கிளிக் செய்யவும்",
    # Persian (fa)
    "اطلاعات بیشتر", "اطلاعات", "این", "اینجا بزنید", "اینجا کلیک کنید", "اینجا", "برو",
    "بیشتر بخوانید", "بیشتر بدانید", "بیشتر", "شروع",
    # Our addition, not in Lighthouse: the practices we audit are often bilingual
    # English/Spanish and these two are their most common Spanish "read more" links. Both
    # spellings, with and without the accent, as Lighthouse itself lists for "más información".
    "leer más", "leer mas", "ver más", "ver mas",
})

# What JavaScript's String.prototype.trim() removes (ECMAScript WhiteSpace and LineTerminator).
# Python's str.strip() differs: it also strips U+001C-U+001F and U+0085, and keeps U+FEFF.
_JS_TRIM = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# Lighthouse reads a link's text with innerText, and the browser has already collapsed runs of
# collapsible whitespace (space, tab, line breaks; not U+00A0) to one space under the default
# `white-space: normal`. The audit itself then only trims and lower-cases: it does not strip
# punctuation, so "Read more." and "Read more »" are not generic.
_COLLAPSIBLE_SPACE = re.compile(r"[ \t\n\r\f]+")

# What the URL parser does to an href before Lighthouse sees link.href: leading and trailing
# C0 controls and spaces are dropped and tabs and newlines anywhere are removed, so
# " java\tscript:void(0)" is still a javascript: link.
_URL_STRIP = "".join(map(chr, range(0x21)))
_URL_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
_SKIPPED_SCHEMES = (
    "javascript:",
    "mailto:",
    "tel:",  # our addition: a phone link's text ("Call us") is not meant to describe a page
)


def is_generic_link_text(text: str) -> bool:
    """True when Lighthouse's ``link-text`` audit would call this link text non-descriptive.

    The text must equal a listed phrase after trimming and lower-casing: "Read more" and
    "  click here " are generic, "Read more about anxiety therapy" and "Read more." are not.
    Runs of spaces, tabs and newlines count as one space, as they do in the rendered text
    Lighthouse reads; a non-breaking space does not match a space, as in Lighthouse.
    """
    search_term = _COLLAPSIBLE_SPACE.sub(" ", text).strip(_JS_TRIM).lower()
    return bool(search_term) and search_term in GENERIC_LINK_TEXTS


def skipped_by_link_text(href: str, rel: str, same_page: bool) -> bool:
    """True for a link whose text Lighthouse's ``link-text`` audit does not judge.

    Skipped: no href, rel with the ``nofollow`` keyword, ``javascript:`` and ``mailto:``
    links, links to the page itself (``same_page``: the target equals the page's URL once
    fragments are removed, e.g. "#top"), and, our addition, ``tel:`` links.

    Lighthouse tests ``rel.includes('nofollow')``, a case-sensitive substring test; we match
    the keyword as a token, case-insensitively, which is how HTML defines rel keywords. The two
    differ only for odd values such as "NoFollow" or "nofollower".
    """
    url = href.strip(_URL_STRIP).translate(_URL_TAB_NEWLINE).lower()
    if not url or same_page:
        return True
    if "nofollow" in rel.lower().split():
        return True
    return url.startswith(_SKIPPED_SCHEMES)
