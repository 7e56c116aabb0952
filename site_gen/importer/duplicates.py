"""Duplicate seeds: the same story captured twice (in both scripts, from two sites, with other chrome).

Input: the Simplified body of each converted seed. Output: for a new body, the seed it duplicates (and
how much text they share), or None. Bodies are compared on their letters only, so script (the bodies
are already converted to Simplified), whitespace, punctuation and Markdown make no difference; a
bottom-k sketch of character shingles catches near-duplicates (a paragraph more or less, a changed
byline) without comparing every pair.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

SHINGLE = 5  # characters per shingle: long enough to be specific, short enough to survive small edits
SKETCH = 64  # hashes kept per body
SKETCH_CHARS = 20_000
MIN_LENGTH_RATIO = 0.5
MIN_NEAR_LETTERS = 80
NEAR_DUPLICATE = 0.75  # estimated Jaccard similarity from which two bodies are the same story
_NOT_LETTER = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_LINK = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class Fingerprint:
    exact: str
    sketch: frozenset[int]
    length: int = 0  # letters in the body


def fingerprint(body: str) -> Fingerprint:
    letters = _NOT_LETTER.sub("", _LINK.sub("]", body)).lower()
    # The sketch reads the opening of the story only: enough to tell stories apart, and a 10 MB seed
    # costs no more than a long article (the exact hash still covers every letter).
    head = letters[:SKETCH_CHARS]
    hashes = {zlib.crc32(head[i:i + SHINGLE].encode("utf-8")) for i in range(max(1, len(head) - SHINGLE + 1))}
    return Fingerprint(hashlib.sha256(letters.encode("utf-8")).hexdigest(), frozenset(sorted(hashes)[:SKETCH]), len(letters))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two bodies' shingle sets (bottom-k estimator)."""
    if a.exact == b.exact:
        return 1.0
    if min(a.length, b.length) < MIN_NEAR_LETTERS:
        return 0.0  # in a sentence or two, one changed number is a different item: short texts must match exactly
    if min(a.length, b.length) < MIN_LENGTH_RATIO * max(a.length, b.length):
        return 0.0  # a sentence and a long report that opens with it are not two captures of one story
    union_bottom = sorted(a.sketch | b.sketch)[:SKETCH]
    if not union_bottom:
        return 0.0
    shared = sum(1 for h in union_bottom if h in a.sketch and h in b.sketch)
    return shared / len(union_bottom)


class DuplicateIndex:
    """Seeds seen so far in this import, by fingerprint; answers "is this one a duplicate?"."""

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._by_hash: dict[int, list[str]] = {}
        self._prints: dict[str, Fingerprint] = {}

    def find(self, fp: Fingerprint) -> tuple[str, float] | None:
        if fp.exact in self._exact:
            return self._exact[fp.exact], 1.0
        # Counted in C (Counter over the chained lists): generated and templated articles share many
        # bottom-k hashes, so these lists are long and a Python loop over them was most of the parent's time.
        counts = Counter(chain.from_iterable(map(self._by_hash.get, fp.sketch, repeat(()))))
        prints = self._prints
        best: tuple[str, float] | None = None
        for seed in sorted(counts):
            # Two captures of one story (Jaccard >= 0.75) share well over half of their bottom-k hashes;
            # stories that only share boilerplate sentences share a few. Only the former are compared.
            if counts[seed] < SKETCH // 2:
                continue
            score = similarity(fp, prints[seed])
            if score >= NEAR_DUPLICATE and (best is None or score > best[1]):
                best = (seed, score)
        return best

    def add(self, seed: str, fp: Fingerprint) -> None:
        self._exact.setdefault(fp.exact, seed)
        self._prints[seed] = fp
        for h in fp.sketch:
            self._by_hash.setdefault(h, []).append(seed)
