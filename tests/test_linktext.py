"""Generic link text as Lighthouse's link-text audit judges it (audit.linktext)."""

from __future__ import annotations

import pytest

from audit.linktext import GENERIC_LINK_TEXTS, is_generic_link_text, skipped_by_link_text


@pytest.mark.parametrize("text", [
    "Read more", "read more", "  click here ", "Click Here", "LEARN MORE", "More", "here",
    "More information", "read\n   more", "\u00a0Read more\u00a0",  # trim removes nbsp at the ends
    "Más información", "más", "Click aquí", "aqui", "este enlace",  # es
    "Leer más", "ver más", "Ver mas",  # es, our addition
    "Clique aqui", "Mais informações",  # pt
    "Weiterlesen", "hier klicken",  # de
    "Läs mer",  # sv
    "続きを読む", "ここをクリック",  # ja
    "자세히 보기",  # ko
    "மேலும் அறிக",  # ta
    "اطلاعات بیشتر",  # fa
])
def test_generic_phrases_in_every_language_are_flagged(text: str) -> None:
    assert is_generic_link_text(text)


@pytest.mark.parametrize("text", [
    "Read more about anxiety therapy",
    "Learn more about our Pasadena office",
    "Click here to book a consultation",
    "Más información sobre terapia de pareja",
    "Read more.",  # Lighthouse does not strip punctuation
    "Read more »",
    "read\u00a0more",  # innerText keeps a non-breaking space, so Lighthouse does not match it
    "readmore",
    "Anxiety therapy",
    "",
    "   ",
])
def test_descriptive_or_look_alike_text_is_not_flagged(text: str) -> None:
    assert not is_generic_link_text(text)


def test_list_holds_lighthouse_phrases_lower_cased_and_trimmed() -> None:
    # Every entry must be reachable by the lookup, which trims and lower-cases the link text.
    assert all(p == p.strip().lower() and "  " not in p for p in GENERIC_LINK_TEXTS)
    assert {"click here", "more info", "weiterlesen", "mer information", "veja mais"} <= (
        GENERIC_LINK_TEXTS
    )
    assert len(GENERIC_LINK_TEXTS) == 87 + 4  # Lighthouse's 87 phrases plus our four


@pytest.mark.parametrize(("href", "rel", "same_page"), [
    ("", "", False),  # no href
    ("   ", "", False),
    ("/services", "nofollow", False),
    ("/services", "noopener NoFollow", False),
    ("https://example.com/", "sponsored nofollow ugc", False),
    ("javascript:void(0)", "", False),
    (" JavaScript:openChat()", "", False),
    ("java\tscript:x()", "", False),  # the URL parser drops the tab
    ("mailto:office@example.com", "", False),
    ("MAILTO:office@example.com", "", False),
    ("tel:+16265550100", "", False),  # our addition
    ("#top", "", True),  # a link to the page itself
    ("https://example.com/about#team", "", True),
])
def test_skipped_links(href: str, rel: str, same_page: bool) -> None:
    assert skipped_by_link_text(href, rel, same_page)


@pytest.mark.parametrize(("href", "rel"), [
    ("/services/anxiety-therapy", ""),
    ("https://example.com/contact", "noopener noreferrer"),
    ("https://example.com/", "nofollower"),  # a token match, not a substring
    ("/blog/javascript:-a-guide", ""),
    ("https://maps.example.com/?q=tel:", ""),
])
def test_judged_links(href: str, rel: str) -> None:
    assert not skipped_by_link_text(href, rel, same_page=False)
