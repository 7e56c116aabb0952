"""Keywords a reader would click: jieba TF-IDF over nouns, with a domain dictionary and stop words.

Input: Simplified text, the article's zones and regions. Output: at most MAX_TAGS tags, deterministic.
Zone short names and places come first (they are what readers browse by), then domain terms.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import jieba
import jieba.analyse

MAX_TAGS = 8
NOUN_POS = ("n", "nz", "ns", "nt", "nl", "ng", "vn")
_lock = threading.Lock()


@functools.lru_cache(maxsize=4)
def _extractor(userdict: Path, stopwords: Path) -> jieba.analyse.TFIDF:
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.load_userdict(str(userdict))
        extractor = jieba.analyse.TFIDF()
        extractor.tokenizer = tokenizer
        extractor.postokenizer = jieba.posseg.POSTokenizer(tokenizer)
        extractor.set_stop_words(str(stopwords))
        return extractor


def _stopwords(path: Path) -> frozenset[str]:
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def extract_tags(text: str, leading: tuple[str, ...], userdict: Path, stopwords: Path) -> tuple[str, ...]:
    """`leading` (zone short names, places) come first; the rest is filled with TF-IDF nouns."""
    extractor = _extractor(userdict, stopwords)
    stop = _stopwords(stopwords)
    tags: list[str] = []
    for tag in leading:
        if tag not in tags:
            tags.append(tag)
    for word in extractor.extract_tags(text, topK=MAX_TAGS * 3, allowPOS=NOUN_POS):
        if len(tags) >= MAX_TAGS:
            break
        if len(word) < 2 or word in stop or word in tags or word.isdigit():
            continue
        tags.append(word)
    return tuple(tags[:MAX_TAGS])
