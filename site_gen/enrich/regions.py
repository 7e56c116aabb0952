"""Cities and counties an article mentions, resolved with the county table (counties.yml).

Input: article text (Simplified; Traditional full names are understood too) and, optionally, the word
boundaries of its jieba segmentation. Output: a RegionMatch — each region's mention count and first
position — from which the enricher takes the regions and the county the article is about.

Which forms count:
- full names (晋中市, 灵石县, 怀仁市) and former names (太谷县 → 太谷区) always, when they are three
  characters or more;
- two-character names with a one-character stem (祁县, 代县, 古县 …) and two-character short forms
  (灵石, 平遥, 大同) only where the word segmenter also sees a word starting there: 现代县域 is
  现代/县域 (not 代县), 大同小异 and 长治久安 are idioms, 古县城 is 古/县城;
- 城区/矿区/郊区 only with their city (阳泉市城区), as they exist in several cities;
- short forms that are ordinary words (小店, 平定, 长子 …) never: counties.yml sets their `short` to null.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from site_gen.chinese import to_traditional
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.enrich.segment import Tokens, token_starts, word_at

# Names too generic to stand alone: they are regions only with their city (长治市城区).
_NEEDS_CITY = {"城区", "矿区", "郊区"}
# POS of a longer token that may begin with a place stem and still be about the place (平遥古城, 太原理工大学).
_PLACE_TOKEN_POS = {"ns", "nt", "nz", "n"}


@dataclass(frozen=True)
class Region:
    name: str
    city: str  # the city itself for a city
    is_city: bool
    code: str = ""


@dataclass(frozen=True)
class RegionMatch:
    counts: tuple[tuple[str, int], ...]  # region → mentions, in order of first mention
    first: tuple[tuple[str, int], ...]  # region → offset of its first mention

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.counts)


class RegionTable:
    def __init__(self, regions: list[Region], former: dict[str, str] | None = None, shorts: dict[str, str] | None = None):
        self.regions = {r.name: r for r in regions}
        self._automaton = ahocorasick.Automaton()
        # payload: (length, region name, needs a word boundary check)
        for region in regions:
            self._add(region.name, region.name, len(region.name) <= 2)
        for old, name in (former or {}).items():
            self._add(old, name, len(old) <= 2)
        for short, name in (shorts or {}).items():
            if short not in self.regions:
                self._add(short, name, True)
        for region in regions:
            city_stem = region.name[:-1] if region.is_city else None
            if city_stem and len(city_stem) >= 2:
                self._add(city_stem, region.name, True)
        self._automaton.make_automaton()

    def _add(self, form: str, name: str, check: bool) -> None:
        for variant in {form, to_traditional(form)}:
            if variant not in self._automaton:
                self._automaton.add_word(variant, (len(variant), name, check))

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.regions)

    def city_of(self, name: str) -> str | None:
        region = self.regions.get(name)
        return region.city if region else None

    def is_city(self, name: str) -> bool:
        region = self.regions.get(name)
        return bool(region and region.is_city)

    def match(self, text: str, tokens: Tokens | None = None) -> RegionMatch:
        """Regions in `text`. `tokens` is the segmentation of `text` (or of its beginning), if the caller
        has it; elsewhere the forms that need a word check are segmented in a small window around them."""
        starts = token_starts(tokens) if tokens is not None else {}
        segmented = sum(len(word) for word, _ in tokens) if tokens is not None else 0
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for end, (length, name, check) in self._automaton.iter_long(text):
            start = end - length + 1
            if check:
                if tokens is not None and end + 1 < segmented:
                    index = starts.get(start)
                    word = tokens[index] if index is not None else None
                else:
                    left = max(0, start - 4)
                    word = word_at(text[left: end + 5], start - left)
                if not _is_place_word(word, length, text[end]):
                    continue
            counts[name] += 1
            first.setdefault(name, start)
        ordered = sorted(counts, key=lambda n: first[n])
        return RegionMatch(tuple((n, counts[n]) for n in ordered), tuple((n, first[n]) for n in ordered))


def _is_place_word(word: tuple[str, str] | None, length: int, last: str) -> bool:
    """Whether the segmenter's word at a name's start is the name (or a place-like word beginning with it)."""
    if word is None:
        return False
    if len(word[0]) == length:
        return True
    # 平遥古城, 太原理工大学: a noun that begins with the stem is still about the place; 长治久安 (an idiom) is not.
    # A two-character full name (代县, 祁县) must stand alone: 古县城 is 古/县城.
    return len(word[0]) > length and word[1] in _PLACE_TOKEN_POS and last != "县"


def load_regions(path: Path) -> RegionTable:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        regions: list[Region] = []
        former: dict[str, str] = {}
        shorts: dict[str, str] = {}
        for city in data["cities"]:
            regions.append(Region(city["name"], city["name"], True, str(city.get("code", ""))))
            for county in city.get("counties", []):
                # 城区/矿区/郊区 exist in several cities: they are named with their city (阳泉市城区).
                name = city["name"] + county["name"] if county["name"] in _NEEDS_CITY else county["name"]
                regions.append(Region(name, city["name"], False, str(county.get("code", ""))))
                for old in county.get("former") or ():
                    former[str(old)] = name
                if county.get("short") and len(str(county["short"])) >= 2:
                    shorts[str(county["short"])] = name
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise SiteGenError(Diagnostic(str(path), f"cannot read the county table: {exc}",
                                      hint="expected `cities: [{name, counties: [{name, code, short}]}]`")) from None
    return RegionTable(regions, former, shorts)


@functools.lru_cache(maxsize=4)
def load_region_table(path: Path) -> RegionTable:
    return load_regions(path)
