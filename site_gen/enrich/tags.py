"""Keywords a reader would click: zone short names, places, policy terms and industries.

Input: the article's segmentation (one jieba pass, shared with the other enrich steps), the title's
length, the leading tags (zone short names, places) and the tag vocabulary (user dictionary + stop
words). Output: at most MAX_TAGS tags, the same for the same input.

Scoring is TF-IDF over nouns with jieba's IDF table, title words counted three times; terms of the
domain dictionary (新质生产力, 承诺制, 光伏 …) score triple, since they are what the archive is about.
Verbs, places (regions have their own taxonomy and lead the list), stop words and single characters
never become tags.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


from site_gen.enrich.segment import Tokens

MAX_TAGS = 8
MAX_PLACES = 2
_NOUN_POS = {"n", "nz", "nl", "nw"}
_TITLE_WEIGHT = 3
_DOMAIN_WEIGHT = 3.0
_MIN_IDF = 8.0
_MIN_COUNT = 2  # a title mention counts _TITLE_WEIGHT


@dataclass(frozen=True)
class TagVocabulary:
    domain: frozenset[str]  # user-dictionary terms tagged nz: policy terms and industries
    stopwords: frozenset[str]
    idf: dict[str, float]
    median_idf: float


def read_word_list(path: Path) -> frozenset[str]:
    """One word a line; blank lines and `#` comments ignored."""
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


@functools.lru_cache(maxsize=4)
def load_vocabulary(userdict: Path, stopwords: Path) -> TagVocabulary:
    domain = set()
    for line in userdict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "nz":
            domain.add(parts[0])
    idf, median = jieba_idf()
    return TagVocabulary(frozenset(domain), read_word_list(stopwords), idf, median)


def jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median, as `jieba.analyse.TFIDF().idf_loader.get_idf()` gives them.

    Read here: importing jieba.analyse loads its part-of-speech table and builds its IDF table twice
    (~1 s in every import worker), for one dictionary."""
    parts = (importlib.resources.files("jieba") / "analyse" / "idf.txt").read_text(encoding="utf-8").split()
    idf = dict(zip(parts[0::2], map(float, parts[1::2])))  # one `word idf` a line, as jieba reads it
    return idf, sorted(idf.values())[len(idf) // 2]


def extract_tags(tokens: Tokens, title_length: int, leading: tuple[str, ...], vocabulary: TagVocabulary,
                 exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """`leading` tags first (zone short names, places), then the best-scoring nouns not in `exclude`
    (surface forms of zones and regions, which the leading tags already stand for)."""
    tf: Counter[str] = Counter()
    domain, stopwords = vocabulary.domain, vocabulary.stopwords
    offset = 0
    for word, flag in tokens:
        start = offset
        offset += len(word)
        # Nouns and domain terms first: most words are neither, and this runs for every word of every article.
        if (flag in _NOUN_POS or word in domain) and len(word) >= 2 and word not in stopwords and word not in exclude:
            tf[word] += _TITLE_WEIGHT if start < title_length else 1
    scored = []
    for word, count in tf.items():
        idf = vocabulary.idf.get(word, vocabulary.median_idf)
        if word in vocabulary.domain:
            scored.append((-count * idf * _DOMAIN_WEIGHT, word))
        # jieba's dictionary tags many verbs and everyday words as nouns (利用, 部署, 资源): an ordinary
        # word must be specific (rare in general text) and recur (or stand in the title) to be a topic.
        elif idf >= _MIN_IDF and count >= _MIN_COUNT:
            scored.append((-count * idf, word))
    scored.sort()
    tags = list(dict.fromkeys(leading))
    for _score, word in scored:
        if len(tags) >= MAX_TAGS:
            break
        if word not in tags and not any(word in tag or tag in word for tag in tags):
            tags.append(word)
    return tuple(tags[:MAX_TAGS])
