"""Language tags: registered language, optional script and region (audit.langtags)."""

from __future__ import annotations

import pytest

from audit.langtags import is_registered_language_tag


@pytest.mark.parametrize("tag", [
    "es", "en-US", "EN-us", "zh-Hans-TW", "zh-hans-tw", "es-419", "pt-BR", "sr-Latn-RS",
    "fil", "yue", "en-GB", "fr-CA", "nb", "en-XK"])
def test_registered_tags(tag: str) -> None:
    assert is_registered_language_tag(tag)


@pytest.mark.parametrize("tag", [
    "english", "en-UK", "xx", "en_US", "eng", "spa-MX", "i-klingon", "zh-yue", "es-", "",
    "x-default", "x-mine", "qaa", "en-ZZ", "en-Qaaa", "und", "zxx", "en-US-", "es-mx-latn",
    "de-DE-1996"])
def test_unregistered_or_malformed_tags(tag: str) -> None:
    assert not is_registered_language_tag(tag)


def test_variants_only_when_asked() -> None:
    assert is_registered_language_tag("de-DE-1996", variants=True)
    assert is_registered_language_tag("en-GB-oxendict", variants=True)
    assert not is_registered_language_tag("en-GB-oxenfree", variants=True)
    assert not is_registered_language_tag("en-GB-oxendict")


def test_not_a_string() -> None:
    assert not is_registered_language_tag(None)  # type: ignore[arg-type]
