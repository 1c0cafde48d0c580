"""Near-duplicate main text across a crawl, for the ``content-duplicate`` check.

Location pages that repeat one text with the city swapped ("Anxiety therapy in Pasadena",
"... in Glendale") compete with each other in search and read as thin content. We flag pairs
of pages whose main text is at least 90% similar, Screaming Frog's default, with MinHash: the
Jaccard similarity of the pages' sets of 3-word shingles, estimated from 128 minimum hash values.

Two halves, split so the crawl never holds every page's text at once:

* ``text_signature`` runs in the extraction worker on every page, so it is built for speed: no
  Python call per word (words are found and hashed with numpy over the text's code points) and
  one hash per shingle (one permutation hashing: each shingle competes for the minimum of one
  of the 128 bins, instead of 128 minima each). Main texts run to thousands of words; this
  costs about as much as splitting the text. It returns a compact ASCII string for the page's
  JSON record.
* ``near_duplicates`` runs once over all signatures and uses banding (locality-sensitive
  hashing) so 50,000 pages cost about linear time instead of 1.25 billion comparisons.

Why not ``datasketch``: its ``MinHash.update_batch`` took about 0.9 ms per 600-word page here
(sha1 per shingle, 128 permutations each), importing it needs scipy (for ``MinHashLSH``), which
nothing else here uses, and version 2.0 changed its default permutation scheme, so stored
signatures would depend on the installed version. Here the hash constants come from SHAKE-256
of fixed labels and the bytes are little-endian: a signature depends on the text alone, not on
the process (Python's salted ``hash()`` is never used), numpy's random generators or the
machine.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass

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


# Words are hashed without a Python call per word: each run of word characters gets the
# polynomial hash sum(c_j * P^(j - start)) mod 2^64 of its case-folded code points, read off one
# prefix sum of c_j * P^j times the inverse power at the run's start. A page's main text can
# run to thousands of words; finding and hashing them costs less than str.split() of the text.
_P = 0x100000001B3  # odd, so invertible mod 2^64
_P_INVERSE = pow(_P, -1, 1 << 64)
_powers: dict[str, np.ndarray] = {}
# A shingle's key: a multiply-add of its words' hashes with fixed constants, mixed.
_SHINGLE_A = _constants("shingle-a", SHINGLE_WORDS)
_SHINGLE_B = _constants("shingle-b", 1)[0]
# One permutation hashing: a shingle's mixed 64-bit key picks one of NUM_PERM bins (its top
# 7 bits) and competes for that bin's minimum with its next 32 bits. One hash per shingle
# instead of NUM_PERM: the same estimator of Jaccard similarity as classic MinHash (Li, Owen
# and Zhang, "One Permutation Hashing", NIPS 2012), empty bins filled from the next non-empty
# one (Shrivastava and Li, "Densifying One Permutation Hashing", ICML 2014).
_BIN_SHIFT = np.uint64(64 - 7)
_VALUE_SHIFT = np.uint64(64 - 7 - 32)
_EMPTY = np.uint64(1 << 32)
_DENSIFY_STEP = 0x9E3779B1  # a borrowed value is offset per bin of distance
# Band keys in near_duplicates: combine a band's values into one uint64 to sort on.
_BAND_MIX = _constants("band", NUM_PERM)
assert NUM_PERM == 1 << 7


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """P^i and P^-i mod 2^64 for i < length (grown by doubling, kept per process)."""
    if len(_powers.get("up", ())) < length:
        size = max(1 << max(length - 1, 1).bit_length(), 1 << 14)
        up = np.full(size, _P, dtype=np.uint64)
        up[0] = 1
        down = np.full(size, _P_INVERSE, dtype=np.uint64)
        down[0] = 1
        _powers["up"] = np.cumprod(up, dtype=np.uint64)  # wraps mod 2^64, as intended
        _powers["down"] = np.cumprod(down, dtype=np.uint64)
    return _powers["up"], _powers["down"]


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every input bit reaches every output bit."""
    values ^= values >> np.uint64(30)
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


# A character's class by the low byte of its code point, read with bytes.translate (a C loop
# over one byte per character, cheaper than a numpy lookup in the code points): _WORD for \w
# among ASCII (letters, digits, "_"), plus _UPPER (the value case folding adds) for A-Z. Only
# right for ASCII characters: the non-ASCII ones are classified again afterwards.
_WORD, _UPPER = 1, 32
_CLASS_OF_BYTE = bytes(
    _WORD | _UPPER if 65 <= b <= 90
    else _WORD if (48 <= b <= 57 or 97 <= b <= 122 or b == 0x5F)
    else 0
    for b in range(256)
)
# What joins two runs of word characters into one word for the count (spiders.extract's
# count_words: "don't", "e.g", "well-being", "don’t" are one word each).
_JOINERS = (ord("'"), ord("’"), ord("."), ord("-"))
# Up to this many non-ASCII characters (the usual page's dashes and curly quotes) are asked
# one by one: np.unique's sort costs more than that.
_ASK_EACH = 128


@dataclass(frozen=True)
class Words:
    r"""A text's runs of word characters (\w, as Python's re has it: str.isalnum() or "_"),
    found once with numpy for both the word count and the signature."""

    code_points: np.ndarray  # the text as uint32 code points
    starts: np.ndarray  # where each run begins
    ends: np.ndarray  # where each run ends (exclusive)
    upper: np.ndarray  # uint8: _UPPER at the ASCII capital letters, 0 elsewhere

    @property
    def count(self) -> int:
        """How many words spiders.extract.count_words counts: runs joined by a single ' ’ . or
        - between them are one word."""
        if not len(self.starts):
            return 0
        gap = self.code_points[self.ends[:-1]]  # the character after each run but the last
        # (four comparisons: np.isin costs more than all of them on a few thousand words)
        joiner = (gap == _JOINERS[0]) | (gap == _JOINERS[1]) | (gap == _JOINERS[2]) \
            | (gap == _JOINERS[3])
        joiner &= self.starts[1:] - self.ends[:-1] == 1
        return len(self.starts) - int(np.count_nonzero(joiner))


def words_of(text: str) -> Words:
    """The runs of word characters of ``text``."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # One class byte per character (by its code point's low byte: cheaper than
    # encode("ascii", "replace")), the word bits written between two non-word bytes so that
    # every run of word characters has an edge on each side.
    classes = np.frombuffer(points.astype(np.uint8).tobytes().translate(_CLASS_OF_BYTE),
                            dtype=np.uint8)
    word = np.zeros(len(points) + 2, dtype=np.uint8)
    np.bitwise_and(classes, _WORD, out=word[1:-1])
    upper = classes & np.uint8(_UPPER)
    if not text.isascii():  # (O(1): str knows its widest character)
        beyond = np.flatnonzero(points >= 128)
        upper[beyond] = 0
        others = points[beyond]
        if len(others) <= _ASK_EACH:
            alnum = np.array([chr(c).isalnum() for c in others.tolist()], dtype=np.uint8)
        else:  # only the distinct non-ASCII characters are asked (a few dozen at most)
            distinct, where = np.unique(others, return_inverse=True)
            alnum = np.fromiter((chr(c).isalnum() for c in distinct.tolist()), dtype=np.uint8,
                                count=len(distinct))[where]
        word[beyond + 1] = alnum
    edges = np.flatnonzero(word[1:] != word[:-1])
    return Words(points, edges[0::2], edges[1::2], upper)


def _word_hashes(words: Words) -> np.ndarray:
    points = words.code_points
    if not len(words.starts):
        return np.zeros(0, dtype=np.uint64)
    # ASCII letters folded to lower case (other letters as written, alike on a page and its
    # copy)
    folded = points + words.upper
    up, down = _power_tables(len(points) + 1)
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(np.multiply(folded, up[:len(points)], dtype=np.uint64), out=prefix[1:])
    # (not mixed here: the shingle keys made of these are)
    return (prefix[words.ends] - prefix[words.starts]) * down[words.starts]


def text_signature(text: str | Words) -> str | None:
    """The MinHash signature of a page's main text, or None below ``MIN_WORDS`` words.

    Words are the runs of word characters of the text (``words_of``), case-folded (ASCII
    letters to lower case; other letters as written, alike on a page and its copy), shingles
    are SHINGLE_WORDS consecutive words. The signature is the base64 of NUM_PERM little-endian
    uint32 bin minima (684 ASCII characters) and depends on nothing but the text.
    """
    words = _word_hashes(text if isinstance(text, Words) else words_of(text))
    if len(words) < MIN_WORDS:
        return None
    n = len(words) - SHINGLE_WORDS + 1
    keys = np.full(n, _SHINGLE_B, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        keys += words[k:k + n] * _SHINGLE_A[k]
    keys = _mix(keys)
    minima = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    np.minimum.at(minima, (keys >> _BIN_SHIFT).astype(np.intp),
                  (keys >> _VALUE_SHIFT) & np.uint64(0xFFFFFFFF))
    empty = np.flatnonzero(minima == _EMPTY)
    if len(empty):
        filled = np.flatnonzero(minima != _EMPTY)
        donors = filled[np.searchsorted(filled, empty) % len(filled)]
        distance = ((donors - empty) % NUM_PERM).astype(np.uint64)
        minima[empty] = (minima[donors] + distance * np.uint64(_DENSIFY_STEP)) \
            & np.uint64(0xFFFFFFFF)
    return base64.b64encode(minima.astype("<u4").tobytes()).decode("ascii")


def word_count_and_signature(text: str) -> tuple[int, str | None]:
    """The word count of spiders.extract.count_words and the text_signature of ``text``, from
    one pass over it (the extraction workers' way: the count alone cost as much)."""
    words = words_of(text)
    return words.count, text_signature(words)


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
