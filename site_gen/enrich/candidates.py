"""Zone candidates: names that look like a development zone but that the gazetteer does not know.

Input: article text, the spans of the zone mentions already resolved, the region table and the stop
words. Output: candidate names for the archivist (苏州工业园区, 应县经济技术开发区), listed in the
import report. A candidate is a place name followed by a zone word, with only nouns between them:
"推动开发区" and "加快打造开发区" have no place in them and are not names at all.
"""

from __future__ import annotations

import bisect
import functools
import re

from site_gen.enrich.segment import Tokens, segment

# Longest first, so 经济技术开发区 is read before 开发区.
_ZONE_WORD = re.compile(
    "农业高新技术产业示范区|高新技术产业开发区|现代农业产业示范区|生态文化旅游示范区|经济技术开发区|高新技术开发区"
    "|综合保税区|经济开发区|工业园区|产业园区|经开区|高新区|开发区|农高区|产业园|工业园|示范区|经济区"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WINDOW = 10
# Parts of speech a zone's name is made of (nouns, places, abbreviations, attributives); anything else
# ends the name when walking back from the zone word.
_NAME_POS = ("n", "j", "b", "vn", "an")
# Verbs that stand before a zone word in reporting and are never part of its name.
_BREAK_VERBS = frozenset(
    "推动 推进 加快 打造 建设 发展 实施 支持 入驻 落户 位于 来到 走进 参观 考察 调研 深化 提升 做强 做大 做优 壮大 "
    "培育 布局 引进 依托 围绕 聚焦 服务 助力 带动 促进 赋能 优化 完善 设立 批复 成立 获批 创建 申报 升级 整合 托管 "
    "举办 召开 签约 开工 投产 包括 涵盖 所在 各个 全部 所有 不少 多个 优化提升".split()
)
_PLACE_POS = {"ns"}


def find_candidates(text: str, covered: list[tuple[int, int]], places: frozenset[str],
                    stopwords: frozenset[str]) -> tuple[str, ...]:
    """Zone-like names in `text` outside the `covered` spans (zone mentions already resolved).

    `places` are names the segmenter may not tag as places (the county table's names and stems)."""
    found: list[str] = []
    spans = sorted(covered)
    starts = [s for s, _ in spans]

    def span_before(position: int) -> tuple[int, int] | None:
        """The covered span with the greatest start <= position (spans do not overlap): O(log n)."""
        index = bisect.bisect_right(starts, position) - 1
        return spans[index] if index >= 0 else None

    for match in _ZONE_WORD.finditer(text):
        start, end = match.span()
        span = span_before(start)
        if span and span[0] <= start < span[1]:
            continue
        left = start
        while left > 0 and start - left < _WINDOW and _HAN.match(text[left - 1]):
            span = span_before(left - 1)
            if span and span[0] < left <= span[1]:
                break  # a park inside a known zone (阳泉经开区数字经济产业园) is that zone's business
            left -= 1
        if left == start:
            continue
        stem = _place_stem(text[left:start], places, stopwords)
        if stem:
            found.append(stem + match.group())
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=16384)
def _place_stem(window: str, places: frozenset[str], stopwords: frozenset[str]) -> str | None:
    tokens: Tokens = segment(window)
    chain: list[tuple[str, str]] = []
    for word, flag in reversed(tokens):
        # Between the place and the zone word only nouns: 晋中数字文化产业园, not 榆社县紧紧围绕开发区.
        if not flag.startswith(_NAME_POS) or word in _BREAK_VERBS or word in stopwords and not chain:
            break
        chain.append((word, flag))
    chain.reverse()
    for index, (word, flag) in enumerate(chain):
        if (flag in _PLACE_POS or word in places) and word not in stopwords:
            stem = "".join(w for w, _ in chain[index:])
            return stem if len(stem) >= 2 else None
    return None
