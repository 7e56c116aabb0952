"""Readable ASCII slugs from Chinese titles: the pinyin of the title's first words.

Input: a title (and the slugs already taken). Output: a lowercase, hyphenated, unique slug. The same
title always gives the same slug; a clash gets the date, then a short hash of the seed path.
"""

from __future__ import annotations

import functools
import hashlib
import re

from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin, load_phrases_dict

from site_gen.enrich.segment import Segmenter, JiebaSegmenter, new_segmenter

MAX_WORDS = 6
MAX_LENGTH = 60

DATA = Path(__file__).resolve().parent.parent / "data"
# Words a slug should keep whole: 灵石经开区 → lingshi-jingkaiqu, not ling-shijing-kai-qu.
ZONE_WORDS = ("经济技术开发区", "高新技术产业开发区", "经开区", "高新区", "开发区", "农高区", "综改区", "示范区", "产业园")


@functools.lru_cache(maxsize=1)
def prepare_dictionaries() -> Segmenter | JiebaSegmenter:
    """Teach pypinyin the readings of place names it gets wrong (长治 is chang-, not zhang-), and give the
    segmenter (jieba's dictionary) the place names and zone words, so slugs split where a reader would."""
    phrases = yaml.safe_load((DATA / "pinyin_phrases.yml").read_text(encoding="utf-8")) or {}
    load_phrases_dict({word: [[syllable] for syllable in syllables] for word, syllables in phrases.items()},
                      style="normal")
    counties = yaml.safe_load((DATA / "counties.yml").read_text(encoding="utf-8")) or {}
    places = set(phrases)
    for city in counties.get("cities", []):
        for place in [city, *city.get("counties", [])]:
            name = place["name"]
            places.add(name)
            if len(name) >= 3:
                places.add(name[:-1])
    return new_segmenter([(word, 20_000, None) for word in sorted(places) + list(ZONE_WORDS)])


@functools.lru_cache(maxsize=4096)
def _word_pinyin(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors=lambda s: [s]))


def slugify(text: str) -> str:
    """`灵石经济技术开发区：筑强产业根基` → `lingshi-jingji-jishu-kaifaqu-zhuqiang-chanye`."""
    segmenter = prepare_dictionaries()
    words: list[str] = []
    for word in segmenter.words(text):
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
