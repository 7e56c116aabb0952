"""The zone gazetteer and the zone matcher.

Input: zones.yml (package data, overridable by the site's data/zones.yml) and Simplified article text.
Output: the canonical names of the zones an article mentions (longest match wins, overlaps counted
once), and zone-like names that are not in the gazetteer (candidates for the archivist).
One Aho-Corasick automaton over every surface form keeps matching linear in the text length.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.chinese import to_simplified

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"

# Zone-like names: a place stem followed by a zone word. Used only to report candidates.
_ZONE_LIKE = re.compile(
    r"([\u4e00-\u9fff]{2,8}?(?:经济技术开发区|高新技术产业开发区|经济开发区|经开区|高新区|开发区|综合保税区|农业高新技术产业示范区|农高区|工业园区|产业园区|经济区))"
)
_GENERIC_STEMS = ("全省", "各", "我省", "本", "该", "国家级", "省级", "市级", "县级", "两个", "一个", "所有", "全市", "全国", "各类", "山西省", "各个")


@dataclass(frozen=True)
class Zone:
    name: str
    slug: str
    city: str
    county: str | None
    level: str
    kind: str
    sector: str = ""
    aliases: tuple[str, ...] = ()
    traditional: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    confidence: str = ""
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class ZoneMatch:
    zones: tuple[str, ...]  # canonical names, most mentioned first, then by first mention
    counts: tuple[tuple[str, int], ...]
    candidates: tuple[str, ...]  # zone-like names not in the gazetteer


class Gazetteer:
    def __init__(self, zones: list[Zone]):
        self.zones = {zone.name: zone for zone in zones}
        self.by_slug = {zone.slug: zone for zone in zones}
        self._automaton = ahocorasick.Automaton()
        for zone in zones:
            forms = {zone.name, *zone.aliases, *zone.former_names, *zone.parks}
            forms |= {to_simplified(t) for t in zone.traditional}
            for form in forms:
                if form:
                    self._automaton.add_word(form, (len(form), zone.name))
        if zones:
            self._automaton.make_automaton()

    def match(self, text: str) -> ZoneMatch:
        counts: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        if self.zones:
            for end, (length, name) in self._automaton.iter_long(text):
                counts[name] += 1
                first_seen.setdefault(name, end - length + 1)
        ordered = sorted(counts, key=lambda name: (-counts[name], first_seen[name]))
        candidates = sorted({c for c in self._candidates(text)})
        return ZoneMatch(tuple(ordered), tuple((n, counts[n]) for n in ordered), tuple(candidates))

    def _candidates(self, text: str) -> list[str]:
        """Zone-like names in which no known zone form stands."""
        found = []
        for match in _ZONE_LIKE.finditer(text):
            name = match.group(1)
            if name.startswith(_GENERIC_STEMS):
                continue
            if self.zones and next(self._automaton.iter(name), None) is not None:
                continue
            found.append(name)
        return found


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[union-attr]


def load_zones(path: Path) -> list[Zone]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SiteGenError(Diagnostic(str(path), f"cannot read the zone gazetteer: {exc}")) from None
    if not isinstance(entries, list):
        raise SiteGenError(Diagnostic(str(path), "the zone gazetteer must be a YAML list of zones"))
    zones, problems = [], []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("city"):
            problems.append(Diagnostic(str(path), f"zone #{index + 1} needs at least `name` and `city`"))
            continue
        zones.append(Zone(
            name=entry["name"], slug=entry.get("slug") or "", city=entry["city"], county=entry.get("county"),
            level=entry.get("level") or "", kind=entry.get("kind") or "", sector=entry.get("sector") or "",
            aliases=_as_tuple(entry.get("aliases")), traditional=_as_tuple(entry.get("traditional")),
            former_names=_as_tuple(entry.get("former_names")), parks=_as_tuple(entry.get("parks")),
            confidence=entry.get("confidence") or "", source=str(entry.get("source") or ""),
            note=str(entry.get("note") or ""),
        ))
    if problems:
        raise SiteGenError(problems)
    return zones


def data_file(name: str, site_data_dir: Path | None) -> Path:
    """A reference data file: the site's own copy wins over the package's."""
    if site_data_dir is not None and (site_data_dir / name).is_file():
        return site_data_dir / name
    return PACKAGE_DATA / name


@functools.lru_cache(maxsize=4)
def load_gazetteer(site_data_dir: Path | None = None) -> Gazetteer:
    return Gazetteer(load_zones(data_file("zones.yml", site_data_dir)))
