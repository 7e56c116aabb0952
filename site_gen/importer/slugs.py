"""Readable ASCII slugs from Chinese titles: the pinyin of the title's first words.

Input: a title (and the slugs already taken). Output: a lowercase, hyphenated, unique slug. The same
title always gives the same slug; a clash gets the date, then a short hash of the seed path.
"""

from __future__ import annotations

import functools
import hashlib
import re

import jieba
from pypinyin import Style, lazy_pinyin

MAX_WORDS = 6
MAX_LENGTH = 60

jieba.setLogLevel(60)


@functools.lru_cache(maxsize=4096)
def _word_pinyin(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors=lambda s: [s]))


def slugify(text: str) -> str:
    """`灵石经济技术开发区：筑强产业根基` → `lingshi-jingji-jishu-kaifaqu-zhuqiang-chanye`."""
    words: list[str] = []
    for word in jieba.lcut(text, HMM=False):
        ascii_word = re.sub(r"[^a-z0-9]+", "", _word_pinyin(word.lower()).replace("ü", "v").lower())
        if ascii_word:
            words.append(ascii_word)
        if len(words) >= MAX_WORDS:
            break
    slug = "-".join(words)[:MAX_LENGTH].strip("-")
    return slug or "article"


def unique_slug(base: str, taken: set[str], date: str | None, seed: str) -> str:
    if base not in taken:
        return base
    if date:
        dated = f"{base}-{date[:10].replace('-', '')}"
        if dated not in taken:
            return dated
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    for size in range(6, 65, 2):
        candidate = f"{base}-{digest[:size]}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"cannot make a unique slug for {seed}")
