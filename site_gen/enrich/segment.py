"""Word segmentation shared by the enrich stage and slugs: jieba's dictionary and algorithm, dictionary words only.

Input: text. Output: (word, part of speech) pairs that concatenate back to the text exactly, so offsets
carry over. HMM new-word guessing is off: it is slower and invents fragments ("新质", "加快打造")
that a tag list must never show; domain words come from the user dictionary instead.

The segmentation is jieba's (`jieba.posseg.POSTokenizer.cut(text, HMM=False)` over jieba's dictionary plus
the user dictionary), computed by rjieba, the Rust port of the same algorithm, about 15× faster than
jieba's pure Python, which was most of an import's time. rjieba starts from its built-in copy of jieba's
dictionary when that is the file jieba installed (`_from_built_in`: 0.14-0.16 s with the package user
dictionary, the file's digest included), else it is given the file word by word (`_from_file`: 0.40-0.44 s);
either way it gets jieba's totals. The part of speech is taken as jieba gives it (a run of ASCII letters and digits is `eng`, a word the dictionaries do not tag is `x`, a user
entry's tag wins over the dictionary's), so the pairs are the ones jieba returns; tests/test_segment.py
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
        entries = list(entries)
        for _word, freq, _tag in entries:
            assert freq is not None, "entries without a frequency go through JiebaSegmenter"
        built_in = _built_in_dictionary()
        made = _from_built_in(entries, built_in) if built_in is not None else None
        self._jieba, self._retag = made or _from_file(entries)
        self._chars: dict[str, bool] = {}  # a single character → whether the dictionaries list it (`tokens`)

    def _listed(self, char: str) -> bool:
        listed = self._chars.get(char)
        if listed is None:
            listed = self._chars[char] = bool(_JIEBA_RUN.match(char)) and self._jieba.has_word(char)
        return listed

    def tokens(self, text: str) -> Tokens:
        pairs = self._jieba.tag(text, False)
        retag = self._retag
        for index, (word, _tag) in enumerate(pairs):
            # A word the dictionaries do not list is a single character or a run of ASCII letters and digits
            # (or \r\n): jieba tags the run `eng` and the rest `x`, where rjieba guesses (對 p, 154 m).
            if (len(word) == 1 and self._listed(word)) \
                    or (len(word) > 1 and word != "\r\n" and not (word.isascii() and word.isalnum())):
                if retag and word in retag:
                    pairs[index] = (word, retag[word])
                continue
            pairs[index] = (word, "eng" if word.isascii() and word.isalnum() else "x")
        return tuple(pairs)

    def words(self, text: str) -> list[str]:
        """`jieba.lcut(text, HMM=False)` with the same dictionary."""
        return self._jieba.cut(text, False)


Made = tuple["rjieba.Jieba", dict[str, str]]  # the instance, and the words whose tag is not the one it keeps


def _from_file(entries: list[Entry]) -> Made:
    """rjieba given jieba's dictionary file word by word, then `entries` (0.40-0.44 s with the package user dictionary)."""
    import rjieba

    words, freqs, tags, repeated_words = jieba_dictionary()
    # A word listed more than once (B超 in jieba's dictionary, a user word jieba already knows) is where
    # the two differ: jieba keeps the last frequency and tag but adds every listing to its total;
    # rjieba keeps the last frequency and the first tag, and totals its distinct words. Such words
    # are given to rjieba once, as jieba ends up with them.
    repeated = repeated_words | {word for word, _, _ in entries}
    listings: dict[str, list[tuple[int, str | None]]] = {word: [] for word in repeated}
    segmenter = rjieba.Jieba.empty()
    add = segmenter.add_word
    for word, freq, tag in zip(words, freqs, tags):
        if word in repeated:
            listings[word].append((freq, tag))
        else:
            add(word, freq, tag)
    for word, freq, tag in entries:
        listings[word].append((freq, tag))
    padding = 0
    for word, listed in listings.items():
        add(word, listed[-1][0], next((tag for _freq, tag in reversed(listed) if tag), "x"))
        padding += sum(freq for freq, _tag in listed) - listed[-1][0]
    # The total divides every word's probability, so it must be jieba's to the unit.
    if padding > 0:
        add(_TOTAL_PADDING, padding, "x")
    return segmenter, {}


# jieba 0.42.1's dictionary file, which rjieba 0.2.2 builds in: the same listings (tests/test_segment.py
# makes a Segmenter both ways and compares their totals, words and tags), but the total of B超, which the
# file lists twice: jieba adds both listings to its total, rjieba one (3).
_BUILT_IN = ("0.2.2", "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8", 3)


@functools.lru_cache(maxsize=1)
def _built_in_dictionary() -> bytes | None:
    """jieba's dictionary file, when it is the one the installed rjieba builds in (`_BUILT_IN`); else None."""
    import hashlib
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("jieba")  # its dictionary, without running jieba's own import
    if spec is None or spec.origin is None or importlib.metadata.version("rjieba") != _BUILT_IN[0]:
        return None
    data = (Path(spec.origin).parent / "dict.txt").read_bytes()
    return data if hashlib.sha256(data).hexdigest() == _BUILT_IN[1] else None


def _from_built_in(entries: list[Entry], dictionary: bytes) -> Made | None:
    """rjieba's own copy of jieba's dictionary (`_BUILT_IN`; `rjieba.Jieba()` takes 0.07 s), then `entries`, with the total and tags
    jieba ends up with; None for an entry that re-lists a word the dictionary lists twice (`_from_file`)."""
    import rjieba

    segmenter = rjieba.Jieba()
    listings: dict[str, list[tuple[int, str | None]]] = {}
    for word, freq, tag in entries:
        listings.setdefault(word, []).append((freq, tag))  # type: ignore[arg-type]
    known = [word for word in listings if segmenter.has_word(word)]
    # rjieba replaces a known word's frequency in its total; jieba adds the new one to it: the words' listings
    # in the file (each on a line of its own: "word frequency tag").
    found: dict[str, list[int]] = {word: [] for word in known}
    if known:
        import ahocorasick

        lines = ahocorasick.Automaton()
        for word in known:
            lines.add_word(f"\n{word} ", word)
        lines.make_automaton()
        text = "\n" + dictionary.decode("utf-8")
        for end, word in lines.iter(text):  # 0.01 s for the file, where one regular expression took 0.1 s
            found[word].append(int(text[end + 1:text.index(" ", end + 1)]))
    if any(len(listed) != 1 for listed in found.values()):
        return None
    padding, retag = _BUILT_IN[2], {}
    for word, listed in listings.items():
        tag = next((tag for _freq, tag in reversed(listed) if tag), None)
        segmenter.add_word(word, listed[-1][0], tag or "x")
        padding += sum(freq for freq, _tag in listed) - listed[-1][0]
        if word in found:
            padding += found[word][0]
            if tag:  # rjieba keeps the first tag of a word
                retag[word] = tag
    segmenter.add_word(_TOTAL_PADDING, padding, "x")
    return segmenter, retag


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
