"""Cities and counties an article mentions, resolved with the county table (counties.yml).

Input: Simplified text, and the cities implied by the zones found. Output: region names, cities first.
Full names (晋中市, 灵石县) always match; two-character stems (灵石, 平遥) match unless they stand
inside a longer known word; one-character stems (祁县, 代县) match only where the character before
cannot make an ordinary word of them (现代县域 is not 代县).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from site_gen.diagnostics import Diagnostic, SiteGenError

# Names too generic to stand alone: they are regions only with their city (长治市城区).
_NEEDS_CITY = {"城区", "矿区", "郊区"}
_AFTER_SHORT_COUNTY_BAD = set("域城级乡镇里际")
_BEFORE_SHORT_COUNTY_OK = set("市省、，,。；：:（(“ \n在和与及到赴是对从")


@dataclass(frozen=True)
class Region:
    name: str
    city: str  # the city itself for a city
    is_city: bool
    code: str = ""


class RegionTable:
    def __init__(self, regions: list[Region]):
        self.regions = {r.name: r for r in regions}
        self._automaton = ahocorasick.Automaton()
        for region in regions:
            self._add(region.name, region.name)
            stem = region.name[:-1]
            if len(stem) >= 2 and not region.name.startswith(region.city) and region.name[-1] in "市县区":
                self._add(stem, region.name)
        self._automaton.make_automaton()

    def _add(self, form: str, name: str) -> None:
        self._automaton.add_word(form, (len(form), name))

    def city_of(self, name: str) -> str | None:
        region = self.regions.get(name)
        return region.city if region else None

    def match(self, text: str, implied_cities: tuple[str, ...] = ()) -> tuple[str, ...]:
        found: dict[str, int] = {}
        for end, (length, name) in self._automaton.iter_long(text):
            start = end - length + 1
            if length == 2 and name.endswith("县") and len(name) == 2:
                before = text[start - 1] if start > 0 else "\n"
                after = text[end + 1] if end + 1 < len(text) else "\n"
                if before not in _BEFORE_SHORT_COUNTY_OK or after in _AFTER_SHORT_COUNTY_BAD:
                    continue
            found.setdefault(name, start)
        for city in implied_cities:
            found.setdefault(city, len(text))
        names = sorted(found, key=lambda n: (not self.regions[n].is_city, found[n]))
        return tuple(names)


def load_regions(path: Path) -> RegionTable:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        regions = []
        for city in data["cities"]:
            regions.append(Region(city["name"], city["name"], True, str(city.get("code", ""))))
            for county in city.get("counties", []):
                # 城区/矿区/郊区 exist in several cities: they are named with their city (阳泉市城区).
                name = city["name"] + county["name"] if county["name"] in _NEEDS_CITY else county["name"]
                regions.append(Region(name, city["name"], False, str(county.get("code", ""))))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise SiteGenError(Diagnostic(str(path), f"cannot read the county table: {exc}")) from None
    return RegionTable(regions)


@functools.lru_cache(maxsize=4)
def load_region_table(path: Path) -> RegionTable:
    return load_regions(path)
