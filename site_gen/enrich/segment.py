"""Word segmentation shared by the enrich stage and slugs: jieba's dictionary and algorithm, dictionary words only.

Input: text. Output: (word, part of speech) pairs that concatenate back to the text exactly, so offsets
carry over. HMM new-word guessing is off: it is slower and invents fragments ("新质", "加快打造")
that a tag list must never show; domain words come from the user dictionary instead.

The segmentation is jieba's (`jieba.posseg.POSTokenizer.cut(text, HMM=False)` over jieba's dictionary plus
the user dictionary), computed by rjieba, the Rust port of the same algorithm, about 15× faster than
jieba's pure Python, which was most of an import's time. rjieba is given jieba's own dictionary file
and totals, and the part of speech is taken as jieba gives it (a run of ASCII letters and digits is `eng`,
a word the dictionaries do not tag is `x`), so the pairs are the ones jieba returns; tests/test_segment.py
compares them with jieba on the sample articles. A user dictionary that relies on what only jieba
computes (an entry without a frequency, or of ASCII letters and digits only) is segmented by jieba itself.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rjieba

Tokens = tuple[tuple[str, str], ...]
# (word, frequency or None, tag or None), as jieba's `add_word` takes them.
Entry = tuple[str, int | None, str | None]
_lock = threading.Lock()
_PACKAGE_USERDICT = Path(__file__).resolve().parent.parent / "data" / "userdict.txt"
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")  # jieba's own (jieba.re_userdict)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# What jieba.posseg segments with its dictionary (re_han_internal); every other character is a word of its own.
_JIEBA_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._]+")
# rjieba looks words up only inside runs of Han characters, letters, digits and a few signs: this word is
# never found, and its frequency only brings rjieba's dictionary total to jieba's (see Segmenter.__init__).
_TOTAL_PADDING = "\x00\x00"


@functools.lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[list[str], list[int], list[str], frozenset[str]]:
    """jieba's main dictionary as it lists it: words, frequencies and tags, line by line; and the words
    it lists more than once."""
    parts = (importlib.resources.files("jieba") / "dict.txt").read_text(encoding="utf-8").split()
    words = parts[0::3]
    repeated = frozenset(word for word, count in Counter(words).items() if count > 1)
    return words, list(map(int, parts[1::3])), parts[2::3], repeated


def read_userdict(path: Path) -> list[Entry]:
    """A user dictionary's entries, parsed as jieba's `load_userdict` parses them."""
    entries: list[Entry] = []
    for raw in path.read_bytes().splitlines():
        line = raw.strip().decode("utf-8").lstrip("\ufeff")
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        assert match is not None  # `.+?` matches any non-empty line
        word, freq, tag = match.groups()
        entries.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return entries


def needs_jieba(entries: Iterable[Entry]) -> bool:
    """Whether these user entries need jieba itself: jieba computes a missing frequency from its own
    state, never joins a word of frequency 0, tags a word of ASCII letters and digits by how its route
    joined it, and reads a sign such as % or - outside its runs; rjieba's output cannot follow these."""
    return any(freq is None or freq == 0 or _ASCII_WORD.fullmatch(word) or not _JIEBA_RUN.fullmatch(word)
               for word, freq, _tag in entries)


class Segmenter:
    """jieba's dictionary plus `entries` in rjieba, with jieba's totals and parts of speech."""

    def __init__(self, entries: Iterable[Entry]):
        import rjieba

        entries = list(entries)
        words, freqs, tags, repeated_words = jieba_dictionary()
        # A word listed more than once (B超 in jieba's dictionary, a user word jieba already knows) is where
        # the two differ: jieba keeps the last frequency and tag but adds every listing to its total;
        # rjieba keeps the last frequency and the first tag, and totals its distinct words. Such words
        # are given to rjieba once, as jieba ends up with them.
        repeated = repeated_words | {word for word, _, _ in entries}
        listings: dict[str, list[tuple[int, str | None]]] = {word: [] for word in repeated}
        self._jieba: rjieba.Jieba = rjieba.Jieba.empty()
        add = self._jieba.add_word
        for word, freq, tag in zip(words, freqs, tags):
            if word in repeated:
                listings[word].append((freq, tag))
            else:
                add(word, freq, tag)
        for word, freq, tag in entries:
            assert freq is not None, "entries without a frequency go through JiebaSegmenter"
            listings[word].append((freq, tag))
        padding = 0
        for word, listed in listings.items():
            add(word, listed[-1][0], next((tag for _freq, tag in reversed(listed) if tag), "x"))
            padding += sum(freq for freq, _tag in listed) - listed[-1][0]
        # The total divides every word's probability, so it must be jieba's to the unit.
        if padding > 0:
            add(_TOTAL_PADDING, padding, "x")
        self._chars = frozenset(word for word in (*words, *listings) if len(word) == 1 and _JIEBA_RUN.match(word))

    def tokens(self, text: str) -> Tokens:
        pairs = self._jieba.tag(text, False)
        chars = self._chars
        for index, (word, _tag) in enumerate(pairs):
            # A word the dictionaries do not list is a single character or a run of ASCII letters and digits
            # (or \r\n): jieba tags the run `eng` and the rest `x`, where rjieba guesses (對 p, 154 m).
            if len(word) == 1:
                if word in chars:
                    continue
            elif word != "\r\n" and not (word.isascii() and word.isalnum()):
                continue
            pairs[index] = (word, "eng" if word.isascii() and word.isalnum() else "x")
        return tuple(pairs)

    def words(self, text: str) -> list[str]:
        """`jieba.lcut(text, HMM=False)` with the same dictionary."""
        return self._jieba.cut(text, False)


class JiebaSegmenter:
    """jieba itself, for user dictionaries rjieba cannot follow exactly (see `needs_jieba`)."""

    def __init__(self, entries: Iterable[Entry]):
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
        self._base = jieba.Tokenizer()
        for word, freq, tag in entries:
            self._base.add_word(word, freq, tag)
        self._pos = jieba.posseg.POSTokenizer(self._base)

    def tokens(self, text: str) -> Tokens:
        return tuple((pair.word, pair.flag) for pair in self._pos.cut(text, HMM=False))

    def words(self, text: str) -> list[str]:
        return self._base.lcut(text, HMM=False)


def new_segmenter(entries: list[Entry]) -> Segmenter | JiebaSegmenter:
    with _lock:
        return JiebaSegmenter(entries) if needs_jieba(entries) else Segmenter(entries)


@functools.lru_cache(maxsize=4)
def tokenizer(userdict: Path = _PACKAGE_USERDICT) -> Segmenter | JiebaSegmenter:
    # Built on first use, not at import: the dictionary costs ~0.5 s and ~100 MB, and a build that does not
    # import (`build --no-import`) reaches this module through the gazetteer without ever segmenting.
    return new_segmenter(read_userdict(userdict))


def segment(text: str, userdict: Path = _PACKAGE_USERDICT) -> Tokens:
    return tokenizer(userdict).tokens(text)


def token_starts(tokens: Tokens) -> dict[int, int]:
    """Offset in the text → index of the token that starts there."""
    starts, offset = {}, 0
    for index, (word, _flag) in enumerate(tokens):
        starts[offset] = index
        offset += len(word)
    return starts


@functools.lru_cache(maxsize=16384)
def starts_word(window: str, start: int) -> bool:
    """Whether a word of `window`'s segmentation starts at `start` (新兴县: 兴 starts none)."""
    return start in token_starts(segment(window))


@functools.lru_cache(maxsize=16384)
def word_at(window: str, start: int) -> tuple[str, str] | None:
    """The (word, POS) of `window`'s segmentation that starts at `start`, if one does."""
    tokens = segment(window)
    index = token_starts(tokens).get(start)
    return tokens[index] if index is not None else None
