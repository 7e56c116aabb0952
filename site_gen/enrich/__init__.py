"""Enrichment: which zones, regions, tags and categories an article is about.

Input: an article's Simplified title and body. Output: an Enrichment (plus zone-like names not in the
gazetteer, as candidates for the data report). Reference data comes from the package's data files,
each overridable by a file of the same name in the site's data directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_gen.enrich.categories import load_category_rules
from site_gen.enrich.gazetteer import Gazetteer, data_file, load_gazetteer
from site_gen.enrich.regions import RegionTable, load_region_table
from site_gen.enrich.tags import extract_tags


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
        self.categories = load_category_rules(data_file("categories.yml", site_data_dir))
        self.userdict = data_file("userdict.txt", site_data_dir)
        self.stopwords = data_file("stopwords.txt", site_data_dir)

    def enrich(self, title: str, body: str) -> Enrichment:
        text = f"{title}\n{body}"
        zone_match = self.gazetteer.match(text)
        zones = zone_match.zones
        implied_cities = tuple(self.gazetteer.zones[z].city for z in zones)
        regions = self.regions.match(text, implied_cities)
        leading = tuple(self.short_name(z) for z in zones[:3]) + tuple(r for r in regions[:2])
        tags = extract_tags(text, leading, self.userdict, self.stopwords)
        return Enrichment(zones, regions, tags, self.categories.assign(text), zone_match.candidates)

    def short_name(self, zone_name: str) -> str:
        zone = self.gazetteer.zones[zone_name]
        shorts = [a for a in zone.aliases if a.endswith(("经开区", "高新区", "开发区", "农高区", "综改区", "示范区", "经济区"))]
        return min(shorts, key=len) if shorts else zone.name
