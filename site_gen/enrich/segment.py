"""Word segmentation shared by the enrich stage: jieba with the domain user dictionary, dictionary words only.

Input: text. Output: (word, part of speech) pairs that concatenate back to the text exactly, so offsets
carry over. HMM new-word guessing is off: it is slower and invents fragments ("新质", "加快打造")
that a tag list must never show; domain words come from the user dictionary instead.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba.posseg

Tokens = tuple[tuple[str, str], ...]
_lock = threading.Lock()
_PACKAGE_USERDICT = Path(__file__).resolve().parent.parent / "data" / "userdict.txt"


@functools.lru_cache(maxsize=4)
def tokenizer(userdict: Path = _PACKAGE_USERDICT) -> "jieba.posseg.POSTokenizer":
    # Imported here, not at module level: jieba.posseg costs ~70 MB and 0.3 s, and a build that does not
    # import (`build --no-import`) reaches this module through the gazetteer without ever segmenting.
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    with _lock:
        base = jieba.Tokenizer()
        base.load_userdict(str(userdict))
        return jieba.posseg.POSTokenizer(base)


def segment(text: str, userdict: Path = _PACKAGE_USERDICT) -> Tokens:
    return tuple((pair.word, pair.flag) for pair in tokenizer(userdict).cut(text, HMM=False))


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
