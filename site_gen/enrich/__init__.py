"""Enrichment: which zones, regions, tags and categories an article is about.

Input: an article's title and body (Simplified as the importer leaves them; raw Traditional text with
inserted pinyin is understood by the matchers too). Output: an Enrichment, whose `zone_candidates` are
zone-like names not in the gazetteer, for the import report. Reference data comes from the package's
data files, each replaceable by a file of the same name in the site's data directory (see
docs/gazetteer.md).

Steps, in order: one segmentation of the text (shared by every step) → regions → the county the
article is about → zones (relative references resolve through that county) → candidates → regions
implied by the zones → tags → categories.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from site_gen.enrich.candidates import find_candidates
from site_gen.enrich.categories import CategoryRules, load_category_rules
from site_gen.enrich.gazetteer import Gazetteer, strip_pinyin_annotations, ZoneMatch, data_file, load_gazetteer
from site_gen.enrich.regions import RegionMatch, RegionTable, load_region_table
from site_gen.enrich.segment import segment
from site_gen.enrich.tags import MAX_PLACES, TagVocabulary, extract_tags, load_vocabulary

MAX_LEADING_ZONES = 3
# Segmentation (pure-Python jieba, ~3-5 µs a character) is the stage's main cost, so only the title and
# the first part of the body are segmented: news puts its subject up front, and region checks past this
# point segment a small window instead.
SEGMENTED_CHARS = 2000


@dataclass(frozen=True)
class Enrichment:
    zones: tuple[str, ...]
    regions: tuple[str, ...]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    zone_candidates: tuple[str, ...]


class Enricher:
    def __init__(self, site_data_dir: Path | None = None):
        self.site_data_dir = site_data_dir
        self.gazetteer: Gazetteer = load_gazetteer(site_data_dir)
        self.regions: RegionTable = load_region_table(data_file("counties.yml", site_data_dir))
        self.categories: CategoryRules = load_category_rules(data_file("categories.yml", site_data_dir))
        self.userdict = data_file("userdict.txt", site_data_dir)
        self.vocabulary: TagVocabulary = load_vocabulary(self.userdict, data_file("stopwords.txt", site_data_dir))
        self._region_names = self.regions.names
        self._places = self._region_names | frozenset(n[:-1] for n in self._region_names if len(n) >= 3)
        self._not_tags = frozenset(self.gazetteer.forms) | self._places

    def enrich(self, title: str, body: str) -> Enrichment:
        text = f"{title}\n{body}"
        text = strip_pinyin_annotations(text)
        tokens = segment(text[: len(title) + 1 + SEGMENTED_CHARS], self.userdict)
        region_match = self.regions.match(text, tokens)
        home_county, home_city = self._home(region_match, len(title))
        zone_match = self.gazetteer.match(text, home_county, home_city, self._region_names)
        covered = [(m.start, m.end) for m in zone_match.mentions if m.how != "generic"]
        candidates = zone_match.unresolved + find_candidates(text, covered, self._places, self.vocabulary.stopwords)
        regions = self._regions(region_match, zone_match)
        leading = tuple(self.gazetteer.zones[z].short_name for z in zone_match.zones[:MAX_LEADING_ZONES])
        leading += self._place_tags(region_match, len(title))
        tags = extract_tags(tokens, len(title), leading, self.vocabulary, self._not_tags)
        return Enrichment(zone_match.zones, regions, tags, self.categories.assign(title, body),
                          tuple(sorted(set(candidates))))

    def short_name(self, zone_name: str) -> str:
        return self.gazetteer.zones[zone_name].short_name

    def _home(self, match: RegionMatch, title_length: int) -> tuple[str | None, str | None]:
        """The county and city the article is about: the most mentioned, a title mention counting double."""
        first = dict(match.first)
        weight = Counter({name: n + (n and first[name] < title_length) for name, n in match.counts})
        counties = [n for n in weight if not self.regions.is_city(n)]
        cities = [n for n in weight if self.regions.is_city(n)]
        county = max(counties, key=lambda n: (weight[n], -first[n])) if counties else None
        city = self.regions.city_of(county) if county else None
        if city is None and cities:
            city = max(cities, key=lambda n: (weight[n], -first[n]))
        return county, city

    def _regions(self, region_match: RegionMatch, zone_match: ZoneMatch) -> tuple[str, ...]:
        """Cities first, then counties; each in order of mention, then those implied by zones and counties."""
        names = list(region_match.names)
        for zone_name in zone_match.zones:
            zone = self.gazetteer.zones[zone_name]
            names += [zone.city] + ([zone.county] if zone.county else [])
        names += [c for n in list(names) if (c := self.regions.city_of(n))]
        ordered = list(dict.fromkeys(n for n in names if n in self._region_names))
        return tuple(n for n in ordered if self.regions.is_city(n)) + tuple(n for n in ordered if not self.regions.is_city(n))

    def _place_tags(self, match: RegionMatch, title_length: int) -> tuple[str, ...]:
        """The places the article is about: in the title or mentioned twice; a passing mention is not a tag."""
        first = dict(match.first)
        about = [n for n, count in match.counts if count >= 2 or first[n] < title_length]
        counts = dict(match.counts)
        ranked = sorted(about, key=lambda n: (first[n] >= title_length, self.regions.is_city(n), -counts[n], first[n]))
        return tuple(ranked[:MAX_PLACES])
