"""Chinese script conversion (OpenCC, phrase-level): Traditional ⇄ Simplified.

Used by the importer (seeds in Traditional become Simplified) and by matching and search (a
Traditional query or gazetteer form finds Simplified text).
"""

from __future__ import annotations

import functools
import re

import opencc


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


_HAN = re.compile(r"[\u4e00-\u9fff]")


def traditional_share(text: str) -> float:
    """Share of Han characters that OpenCC changes when converting to Simplified."""
    sample = text[:20_000]
    han = _HAN.findall(sample)
    if not han:
        return 0.0
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(han)


def is_traditional(text: str) -> bool:
    return traditional_share(text) > 0.04


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def to_traditional(text: str) -> str:
    return _s2t().convert(text)
