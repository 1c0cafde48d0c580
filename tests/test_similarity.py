"""Near-duplicate main text: MinHash signatures and the banded pair search (audit.similarity)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.similarity import (
    MIN_WORDS,
    NUM_PERM,
    SHINGLE_WORDS,
    near_duplicates,
    text_signature,
    words_of,
)
from spiders.extract import count_words
from tests.conftest import SAVED_PAGES

ROOT = Path(__file__).resolve().parent.parent

# One location-page text, the city named three times (heading and two sentences): ~420 words.
LOCATION_PAGE = """Anxiety therapy in {city}

Anxiety is one of the most common reasons people reach out to a therapist, and it is also one
of the most treatable. If you find yourself worrying most of the day, lying awake while your
thoughts race, avoiding places or people because of a knot in your stomach, or feeling on edge
without knowing why, you are not alone and you do not have to keep managing it by yourself.

Our licensed therapists work with adults, teens and couples who live with generalized anxiety,
panic attacks, social anxiety, health anxiety, phobias and the restless worry that often follows
a stressful life change. We begin with a relaxed first conversation about what brings you in,
what you have already tried and what you would like to be different. Together we set goals that
matter to you, whether that means sleeping through the night, speaking up at work, driving on
the freeway again or simply enjoying a weekend without dread.

Treatment is practical and grounded in research. Most clients work with cognitive behavioral
therapy, which helps you notice the thoughts that feed anxiety and test them against the
evidence. Many also benefit from exposure work, done gradually and always at a pace you agree
to, so that feared situations lose their grip over time. We teach breathing and grounding skills
you can use in the moment, and we draw on acceptance and commitment therapy and mindfulness when
they suit you better. Sessions last fifty minutes and usually take place weekly at first, then
less often as you gain confidence.

Our office is a short walk from public transit with free parking behind the building, and we
offer secure video sessions for anyone in California who prefers to meet from home. We see
clients from {city} and the surrounding neighborhoods, with early morning and evening
appointments for people who work or study during the day.

We accept several major insurance plans and provide superbills for out-of-network
reimbursement. If cost is a concern, ask about our sliding scale, which keeps a limited number
of openings for students and families with lower incomes.

Reaching out can feel like the hardest step. Call our front desk or use the contact form to
schedule a free fifteen minute consultation with an anxiety therapist in {city}. We will answer
your questions, explain how therapy works and help you decide whether we are the right fit. If
we are not, we will gladly suggest other trusted providers nearby.
"""

OTHER_ARTICLE = """Couples counseling: what to expect

Many couples wait years before they try counseling, often until a single argument has been
repeated so many times that neither partner remembers how it started. Counseling is not a
verdict on the relationship and it is not only for couples in crisis. Partners come to talk
about communication, a new baby, a move across the country, blended families, money, intimacy,
infidelity or the quiet distance that can grow when both people are busy and tired.

The first session is usually a joint meeting. The counselor asks how you met, what has been
hard lately and what each of you hopes will change. Some counselors then meet each partner
alone once, so that each person can speak freely about their history and goals. After that
most sessions are joint, every week or every other week, for a few months.

A large part of the work is learning to slow down a conversation that usually speeds up. You
practice describing a feeling without blaming, listening until your partner feels understood,
and noticing the moment a discussion turns into a familiar fight. Approaches such as the
Gottman method and emotionally focused therapy give structure to this practice, and homework
between sessions helps the new habits take hold at home, where they matter most.

Counseling does not promise that a relationship will continue. Sometimes it helps two people
separate with more respect and less damage, which matters a great deal when children are
involved. Most often, though, couples leave with a shared language for difficult topics and a
plan for what to do the next time an old pattern returns.

If you are considering counseling, it is fine to contact a practice on your own and ask
questions before your partner agrees to come. A short phone call can tell you about fees,
insurance, availability and whether the counselor has worked with situations like yours.
"""

# Shared by the subprocess test and a pinned value: a change to the signature scheme must be
# deliberate, since signatures stored by earlier crawls would stop comparing with new ones.
FIXED_TEXT = " ".join(f"word{i % 97} w{i % 13}" for i in range(60))
FIXED_SHA256 = "77fcb23247fb8646601f0b8705c2fa2c4adc365bac5f1a21d791c2845500703f"


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


def test_location_pages_with_the_city_swapped_are_near_duplicates() -> None:
    pasadena = LOCATION_PAGE.format(city="Pasadena")
    glendale = LOCATION_PAGE.format(city="Glendale")
    assert 380 <= len(pasadena.split()) <= 450
    assert 0.9 < _jaccard(pasadena, glendale) < 0.99  # the true similarity, for scale
    pairs = near_duplicates({
        "https://example.com/pasadena/anxiety-therapy": text_signature(pasadena),
        "https://example.com/glendale/anxiety-therapy": text_signature(glendale),
    })
    assert [(a, b) for a, b, _ in pairs] == [(
        "https://example.com/glendale/anxiety-therapy",
        "https://example.com/pasadena/anxiety-therapy",
    )]
    assert 0.9 <= pairs[0][2] < 1.0


def test_different_articles_are_not_near_duplicates() -> None:
    signatures = {
        "/anxiety": text_signature(LOCATION_PAGE.format(city="Pasadena")),
        "/couples": text_signature(OTHER_ARTICLE),
    }
    assert near_duplicates(signatures) == []
    assert near_duplicates(signatures, threshold=0.2) == []


def test_short_texts_have_no_signature() -> None:
    words = OTHER_ARTICLE.split()
    assert text_signature("") is None
    assert text_signature("Contact us today to book your first appointment.") is None
    assert text_signature(" ".join(words[:MIN_WORDS - 1])) is None
    assert text_signature(" ".join(words[:MIN_WORDS])) is not None


def test_signature_is_compact_ascii_and_ignores_case_and_punctuation() -> None:
    signature = text_signature(OTHER_ARTICLE)
    assert signature is not None and signature.isascii()
    assert len(base64.b64decode(signature)) == NUM_PERM * 4
    assert text_signature(OTHER_ARTICLE.upper().replace(",", " ;")) == signature


def test_signature_is_identical_across_processes() -> None:
    code = ("import sys; from audit.similarity import text_signature; "
            "print(text_signature(sys.stdin.read()))")
    expected = {text_signature(FIXED_TEXT), text_signature(OTHER_ARTICLE)}
    for seed in ("0", "1", "12345"):  # the str hash differs in each process
        for text in (FIXED_TEXT, OTHER_ARTICLE):
            out = subprocess.run(
                [sys.executable, "-c", code], input=text, capture_output=True, text=True,
                check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
            ).stdout.strip()
            assert out in expected
            assert out == text_signature(text)
    assert hashlib.sha256(text_signature(FIXED_TEXT).encode()).hexdigest() == FIXED_SHA256


def test_identical_signatures_are_similarity_one() -> None:
    signature = text_signature(OTHER_ARTICLE)
    pairs = near_duplicates({"/c": signature, "/a": signature, "/b": signature, "/short": None})
    assert pairs == [("/a", "/b", 1.0), ("/a", "/c", 1.0), ("/b", "/c", 1.0)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        near_duplicates({"/a": "not base64!", "/b": text_signature(OTHER_ARTICLE)})
    with pytest.raises(ValueError):
        near_duplicates({"/a": base64.b64encode(b"short").decode()})  # one page: still checked
    with pytest.raises(ValueError):
        near_duplicates({}, threshold=0)


def _synthetic_site(rng: random.Random, pages: int, words: int) -> dict[str, str]:
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9)))
                  for _ in range(3000)]
    return {f"https://example.com/page-{n:05d}": " ".join(rng.choices(vocabulary, k=words))
            for n in range(pages)}


def _edit(rng: random.Random, text: str, changes: int) -> str:
    words = text.split()
    for i in rng.sample(range(len(words)), changes):
        words[i] = words[i][::-1] + "x"
    return " ".join(words)


def test_planted_pairs_are_found_exactly_in_a_large_site() -> None:
    rng = random.Random(20240611)
    texts = _synthetic_site(rng, 3000, 300)
    urls = list(texts)
    # Planted pairs differ in one word (true similarity 0.967) and near misses in 8 or 20
    # words (about 0.77 and 0.54): each side is several standard errors (0.016 to 0.04 with 128
    # values) from 0.9, so the outcome does not hinge on estimation noise.
    planted = set()
    for n, source in enumerate(rng.sample(urls, 5)):
        copy = f"https://example.com/copy-{n}"
        texts[copy] = _edit(rng, texts[source], 1)
        planted.add((min(source, copy), max(source, copy)))
    for n, source in enumerate(rng.sample(urls, 6)):
        texts[f"https://example.com/miss-{n}"] = _edit(rng, texts[source], 8 if n % 2 else 20)
    for n, source in enumerate(rng.sample(urls, 5)):  # half of one page, half new words
        words = texts[source].split()
        texts[f"https://example.com/half-{n}"] = " ".join(words[:150] + words[::-1][:150])

    started = time.perf_counter()
    signatures = {url: text_signature(text) for url, text in texts.items()}
    pairs = near_duplicates(signatures)
    elapsed = time.perf_counter() - started

    assert {(a, b) for a, b, _ in pairs} == planted
    assert all(0.9 <= similarity < 1.0 for _, _, similarity in pairs)
    assert elapsed < 10, f"{len(texts)} pages took {elapsed:.1f} s"


def test_banding_misses_no_pair_the_estimate_accepts() -> None:
    # Clusters of pages at many similarities; the banded search must return exactly what the
    # all-pairs comparison of signatures returns, at several thresholds.
    rng = random.Random(7)
    base = _synthetic_site(rng, 40, 200)
    texts = dict(base)
    for url, text in base.items():
        for k in range(4):
            texts[f"{url}/v{k}"] = _edit(rng, text, rng.randint(0, 14))
    signatures = {url: text_signature(text) for url, text in texts.items()}
    rows = {url: np.frombuffer(base64.b64decode(sig), "<u4") for url, sig in signatures.items()}
    for threshold in (0.97, 0.9, 0.8, 0.6):
        brute = []
        for a, b in itertools.combinations(sorted(rows), 2):
            similarity = int((rows[a] == rows[b]).sum()) / NUM_PERM
            if similarity >= threshold:
                brute.append((a, b, similarity))
        brute.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
        assert brute, threshold
        assert near_duplicates(signatures, threshold) == brute


def test_a_city_named_often_still_makes_a_near_duplicate() -> None:
    # location pages name their city again and again: six more mentions than the text above
    extra = " ".join(f"Clients from {{city}} visit us, and {{city}} families call us ({i})."
                     for i in range(3))
    text = LOCATION_PAGE + extra
    pasadena, glendale = text.format(city="Pasadena"), text.format(city="Glendale")
    assert _jaccard(pasadena, glendale) >= 0.9
    pairs = near_duplicates({"/pasadena/": text_signature(pasadena),
                             "/glendale/": text_signature(glendale)})
    assert [(a, b) for a, b, _ in pairs] == [("/glendale/", "/pasadena/")]


# The extraction workers take the page's word count from words_of (one numpy pass shared
# with the signature): it must be spiders.extract.count_words exactly, on any text.
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z9_'’.-—\u00a0\n\t,;é中٣Ⅻ“”") + ["\ud800"]),
               max_size=80) | st.text(max_size=80))
def test_the_word_count_is_count_words(text: str) -> None:
    assert words_of(text).count == count_words(text)


@pytest.mark.parametrize("path", SAVED_PAGES, ids=lambda p: p.name)
def test_the_word_count_is_count_words_on_saved_pages(path: Path, monkeypatch) -> None:
    from spiders import extract

    texts: list[str] = []
    counted = extract._word_count_and_signature

    def keep(text: str) -> tuple[int, str | None]:
        texts.append(text)
        return counted(text)

    monkeypatch.setattr(extract, "_word_count_and_signature", keep)
    facts = extract.extract_page("https://practice.example/",
                                 path.read_text("utf-8", errors="replace"))
    assert facts["word_count"] == count_words(texts[0])
