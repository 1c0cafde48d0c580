"""Language tags (BCP 47) as search engines and browsers read them: is a tag a real one?

A page names its language in ``<html lang>`` and its language versions in hreflang
annotations. Google reads hreflang values as a language code, optionally a script and
optionally a region ("es", "en-US", "zh-Hans-TW", "es-419"); a value it cannot read makes it
ignore the annotation. The subtags must be registered in the IANA Language Subtag Registry
(the ``langcodes`` package ships it): "english" is no code, "en-UK" names no region (the United
Kingdom is GB), "xx" is no language. Checked as written: langcodes would otherwise replace
aliases ("en-UK" becomes "en-GB", "eng" becomes "en") and call the result valid.

Case does not matter ("EN-us" is en-US). Private-use subtags ("qaa", "en-ZZ", "x-mine") and the
codes for no particular language ("und", "mul", "mis", "zxx") are registered but name nothing a
searcher speaks, so they do not count here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from langcodes import Language, LanguageTagError

# language[-script][-region][-variant...]: the shape, before the registry is asked. An
# underscore ("en_US", a locale name from software) is not a tag separator.
_SHAPE = re.compile(
    r"^(?P<language>[a-z]{2,3})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$")
_PRIVATE_LANGUAGE = re.compile(r"^q[a-t][a-z]$")  # qaa..qtz
_PRIVATE_SCRIPT = re.compile(r"^qa(?:a[a-z]|b[a-x])$")  # Qaaa..Qabx
_PRIVATE_REGION = re.compile(r"^(?:aa|q[m-z]|x[a-z]|zz)$")  # AA, QM..QZ, XA..XZ, ZZ
_NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})
# XK (Kosovo) is formally user-assigned, but CLDR and the registry's users treat it as a region.
_ASSIGNED_PRIVATE_REGIONS = frozenset({"xk"})


@lru_cache(maxsize=4096)  # a site repeats the same few tags on every page
def is_registered_language_tag(tag: str, *, variants: bool = False) -> bool:
    """True when ``tag`` is a registered language, optionally followed by a registered script
    and a registered region (case-insensitive): "es", "en-US", "zh-Hans-TW", "es-419".
    ``variants=True`` also accepts registered variant subtags after them ("de-CH-1996"), which
    ``<html lang>`` may carry but hreflang does not use."""
    if not isinstance(tag, str):
        return False
    match = _SHAPE.match(tag.strip().lower())
    if match is None or (match["variants"] and not variants):
        return False
    language, script, region = match["language"], match["script"], match["region"]
    if language in _NO_LANGUAGE or _PRIVATE_LANGUAGE.match(language):
        return False
    if script and _PRIVATE_SCRIPT.match(script):
        return False
    if region and _PRIVATE_REGION.match(region) and region not in _ASSIGNED_PRIVATE_REGIONS:
        return False
    try:
        return Language.get(tag.strip(), normalize=False).is_valid()
    except LanguageTagError:
        return False
