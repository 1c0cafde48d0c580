"""Near-duplicate main text across a crawl, for the ``content-duplicate`` check.

Location pages that repeat one text with the city swapped ("Anxiety therapy in Pasadena",
"... in Glendale") compete with each other in search and read as thin content. We flag pairs
of pages whose main text is at least 90% similar, Screaming Frog's default, with MinHash: the
Jaccard similarity of the pages' sets of 3-word shingles, estimated from 128 minimum hash values.

Two halves, split so the crawl never holds every page's text at once:

* ``text_signature`` runs in the extraction worker on every page, so it is built for speed: the
  per-word work is one ``zlib.crc32`` call, everything per shingle and per permutation is
  vectorised numpy (about 0.2 ms for a 600-word page). It returns a compact ASCII string for
  the page's JSON record.
* ``near_duplicates`` runs once over all signatures and uses banding (locality-sensitive
  hashing) so 50,000 pages cost about linear time instead of 1.25 billion comparisons.

Why not ``datasketch``: its ``MinHash.update_batch`` took about 0.9 ms per 600-word page here
(a new MinHash per page, sha1 per shingle, fresh temporaries per step), importing it needs
scipy (for ``MinHashLSH``), which nothing else here uses, and version 2.0 changed its default
permutation scheme, so stored signatures would depend on the installed version. Here the hash
constants come from SHAKE-256 of fixed labels and the bytes are little-endian: a signature
depends on the text alone, not on the process (Python's salted ``hash()`` is never used),
numpy's random generators or the machine.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import unicodedata
import zlib
from collections.abc import Mapping

import numpy as np

NUM_PERM = 128
# 3-word shingles: each mention of a swapped city name changes only ~3 shingles, so a location
# page naming its city six times in 400 words still reads as ~91% the same text (with 5-word
# shingles it fell to ~85% and the typical duplicate went unreported).
SHINGLE_WORDS = 3
# Below this a page has too few shingles for a meaningful estimate, and short pages (contact,
# thank-you) are alike by nature: they get no signature.
MIN_WORDS = 50
DEFAULT_THRESHOLD = 0.9

_WORD = re.compile(r"\w+")
_SIGNATURE_BYTES = NUM_PERM * 4
# Shingles per block of the (shingles x permutations) matrix: bounds a long page's temporary
# array to 2 MB without slowing the usual single-block page.
_BLOCK = 2048
_HIGH = np.uint64(32)
# Candidate pairs checked per step in near_duplicates: bounds the gathered rows to ~16 MB.
_VERIFY_BLOCK = 16384


def _constants(label: str, count: int) -> np.ndarray:
    """``count`` fixed pseudo-random 64-bit integers, the same everywhere, forever."""
    digest = hashlib.shake_256(f"audit.similarity/{label}".encode()).digest(8 * count)
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


# A shingle's 32-bit key is the vector multiply-add-shift hash of its words' crc32 values,
# ((sum a_k * w_k + b) mod 2^64) >> 32: each word is hashed once instead of joining and hashing
# a 3-word string per shingle, which was a third of the signature's time.
_SHINGLE_A = _constants("shingle-a", SHINGLE_WORDS)
_SHINGLE_B = _constants("shingle-b", 1)[0]
# The permutations: multiply-add-shift, h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32, a strongly
# universal family for 32-bit keys (Dietzfelbinger) that numpy computes with wrapping uint64
# arithmetic and no modulo. The minimum of h_i is the high half of the minimum of a_i * x + b_i,
# so the shift is applied once, to the 128 minima.
_PERM_A = _constants("perm-a", NUM_PERM)
_PERM_B = _constants("perm-b", NUM_PERM)
# Band keys in near_duplicates: combine a band's values into one uint64 to sort on.
_BAND_MIX = _constants("band", NUM_PERM)


def text_signature(text: str) -> str | None:
    """The MinHash signature of a page's main text, or None below ``MIN_WORDS`` words.

    Words are the lower-cased ``\\w+`` runs of the NFC-normalised text, shingles are 5
    consecutive words. The signature is the base64 of 128 little-endian uint32 minima
    (684 ASCII characters) and depends on nothing but the text.
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if len(words) < MIN_WORDS:
        return None
    # \w never matches a lone surrogate, so strict UTF-8 encoding cannot fail.
    word_hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64,
                              count=len(words))
    n = len(words) - SHINGLE_WORDS + 1
    keys = np.full(n, _SHINGLE_B, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        keys += word_hashes[k:k + n] * _SHINGLE_A[k]
    keys >>= _HIGH

    minima = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, n, _BLOCK):
        # In-place steps on one array: a fresh temporary per step cost several times more.
        block = np.multiply.outer(keys[start:start + _BLOCK], _PERM_A)
        block += _PERM_B
        np.minimum(minima, block.min(axis=0), out=minima)
    return base64.b64encode((minima >> _HIGH).astype("<u4").tobytes()).decode("ascii")


def _decode(url: str, signature: str) -> np.ndarray:
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError as exc:  # binascii.Error included
        raise ValueError(f"{url}: not a text_signature value") from exc
    if len(raw) != _SIGNATURE_BYTES:
        raise ValueError(f"{url}: signature holds {len(raw)} bytes, expected {_SIGNATURE_BYTES}")
    return np.frombuffer(raw, dtype="<u4")


def _bands(threshold: float) -> tuple[int, int, int]:
    """(rows per band, bands, minimum matching values) for ``threshold``.

    A pair whose estimate reaches the threshold differs in at most ``NUM_PERM - min_matches``
    values; with more bands than that, one band is identical in both (pigeonhole), so banding
    misses no pair the estimate would accept. The widest such bands keep chance candidates
    fewest: at 0.9, 14 bands of 9 values; lower thresholds need narrower bands and admit
    more candidates.
    """
    min_matches = math.ceil(threshold * NUM_PERM - 1e-9)
    rows = NUM_PERM // (NUM_PERM - min_matches + 1)
    return rows, NUM_PERM // rows, min_matches


def _pairs_within_runs(order: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
    """(i, j) index pairs, i < j, of items that share a key; ``order`` sorts ``keys``."""
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    lengths = np.diff(np.r_[starts, len(order)])
    found: list[np.ndarray] = []
    twos = starts[lengths == 2]
    if len(twos):  # the usual case, vectorised: a run of two is one pair
        found.append(np.sort(np.stack([order[twos], order[twos + 1]], axis=1), axis=1))
    for start, length in zip(starts[lengths > 2], lengths[lengths > 2], strict=True):
        members = np.sort(order[start:start + length])
        i, j = np.triu_indices(length, k=1)
        found.append(np.stack([members[i], members[j]], axis=1))
    return found


def near_duplicates(
    signatures: Mapping[str, str | None], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[str, str, float]]:
    """Every pair of pages whose estimated Jaccard similarity is at least ``threshold``.

    ``signatures`` maps a URL to its ``text_signature`` (None, for a short page, is skipped).
    Returns ``(url_a, url_b, similarity)`` with ``url_a < url_b``, the similarity being the
    share of equal signature values (a multiple of 1/128; 1.0 for identical signatures),
    most similar first, then by URL. Banding finds every pair the estimate accepts, in time
    about linear in the number of pages plus the number of pairs found.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
    present = sorted((url, sig) for url, sig in signatures.items() if sig is not None)
    decoded = [_decode(url, sig) for url, sig in present]  # bad input fails even when alone
    if len(decoded) < 2:
        return []
    urls = [url for url, _ in present]
    matrix = np.stack(decoded)

    # Identical signatures (copied pages, http/https twins) collapse to one row first, so a
    # group of copies costs one LSH entry, not a crowd in every band.
    unique, group_of = np.unique(matrix, axis=0, return_inverse=True)
    group_of = group_of.reshape(-1)
    groups: list[list[int]] = [[] for _ in range(len(unique))]
    for index, group in enumerate(group_of.tolist()):
        groups[group].append(index)

    result: list[tuple[str, str, float]] = []
    for members in groups:
        for a, position in enumerate(members):
            result.extend((urls[position], urls[other], 1.0) for other in members[a + 1:])

    rows, bands, min_matches = _bands(threshold)
    if len(unique) >= 2 and min_matches < NUM_PERM:
        wide = unique.astype(np.uint64)
        found: list[np.ndarray] = []
        for band in range(bands):
            columns = slice(band * rows, (band + 1) * rows)
            # A hash collision between different bands only adds a candidate that the exact
            # check below rejects; it can never hide a pair.
            keys = (wide[:, columns] * _BAND_MIX[columns]).sum(axis=1, dtype=np.uint64)
            found.extend(_pairs_within_runs(np.argsort(keys, kind="stable"), keys))
        if found:
            pairs = np.concatenate(found)
            codes = np.unique(pairs[:, 0].astype(np.int64) * len(unique) + pairs[:, 1])
            left, right = np.divmod(codes, len(unique))
            for start in range(0, len(codes), _VERIFY_BLOCK):
                i, j = left[start:start + _VERIFY_BLOCK], right[start:start + _VERIFY_BLOCK]
                matches = (unique[i] == unique[j]).sum(axis=1)
                keep = matches >= min_matches
                for p, q, m in zip(i[keep].tolist(), j[keep].tolist(), matches[keep].tolist(),
                                   strict=True):
                    similarity = m / NUM_PERM
                    result.extend(
                        (min(urls[x], urls[y]), max(urls[x], urls[y]), similarity)
                        for x in groups[p] for y in groups[q]
                    )
    result.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return result
