"""The site model: articles ordered, URLs assigned, taxonomies built once, deterministically.

Input: validated Articles, the config, the gazetteer and the county table.
Output: a SiteModel — articles newest first, each article's URL, and the taxonomies (zones, regions,
tags, categories, sources, years) as plain mappings term → article keys (newest first), with a stable
ASCII slug per term. Nothing here renders or writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, MutableMapping

from site_gen.article import Article
from site_gen.enrich.gazetteer import Gazetteer, Zone
from site_gen.enrich.regions import RegionTable

TAXONOMIES = ("zones", "regions", "tags", "categories", "sources", "years")
# URL folder of each taxonomy's term pages.
TAXONOMY_PATHS = {
    "zones": "zones",
    "regions": "regions",
    "tags": "tags",
    "categories": "categories",
    "sources": "sources",
    "years": "archive",
}
TAXONOMY_LABELS = {
    "zones": "开发区",
    "regions": "地区",
    "tags": "标签",
    "categories": "分类",
    "sources": "来源",
    "years": "年份",
}


@dataclass(frozen=True)
class Taxonomy:
    name: str
    terms: Mapping[str, tuple[str, ...]]  # term → article keys, newest first; terms sorted by slug
    slugs: Mapping[str, str]  # term → ASCII slug, unique within the taxonomy

    @property
    def index_url(self) -> str:
        return f"{TAXONOMY_PATHS[self.name]}/"

    def url(self, term: str) -> str:
        return f"{self.index_url}{self.slugs[term]}/"


@dataclass(frozen=True)
class SiteModel:
    articles: tuple[Article, ...]  # newest first; undated last
    by_key: Mapping[str, Article]
    taxonomies: Mapping[str, Taxonomy]
    zones: Mapping[str, Zone]  # gazetteer entries of the zones that have articles
    region_cities: Mapping[str, str]  # region → its city
    undated: tuple[str, ...]
    # term → slugify(term), shared with the build cache: slugify loads jieba's dictionary (~1 s, 140 MB),
    # so a term slugged once is never slugged again.
    slug_memo: MutableMapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def article_url(self, article: Article) -> str:
        return f"articles/{article.key}/"

    def zone_counts(self) -> list[tuple[str, int]]:
        terms = self.taxonomies["zones"].terms
        return sorted(((z, len(keys)) for z, keys in terms.items()), key=lambda item: (-item[1], item[0]))


def article_terms(article: Article, taxonomy: str) -> tuple[str, ...]:
    if taxonomy == "sources":
        return (article.source,) if article.source else ()
    if taxonomy == "years":
        return (str(article.year),) if article.year else ()
    return getattr(article, taxonomy)


def slugify_term(term: str, memo: MutableMapping[str, str] | None = None) -> str:
    """importer.slugs.slugify, remembered in `memo`; jieba is only imported for a term not seen before."""
    if memo is not None and term in memo:
        return memo[term]
    from site_gen.importer.slugs import slugify

    slug = slugify(term)
    if memo is not None:
        memo[term] = slug
    return slug


def _term_slugs(terms: list[str], fixed: Mapping[str, str], memo: MutableMapping[str, str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for term in sorted(terms, key=lambda t: (t not in fixed, slugify_term(t, memo) if t not in fixed else fixed[t], t)):
        base = fixed.get(term) or (term if term.isascii() and term.isalnum() else slugify_term(term, memo))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs[term] = slug
    return slugs


def build_model(articles: list[Article], gazetteer: Gazetteer, regions: RegionTable,
                slug_memo: MutableMapping[str, str] | None = None) -> SiteModel:
    """Order articles and build every taxonomy once. `slug_memo` (term → slug) is read and extended."""
    memo: MutableMapping[str, str] = {} if slug_memo is None else slug_memo
    ordered = sorted(articles, key=lambda a: (a.sort_date, a.key), reverse=True)
    dated = [a for a in ordered if a.date]
    undated = [a for a in ordered if not a.date]
    ordered = dated + sorted(undated, key=lambda a: a.key)
    taxonomies: dict[str, Taxonomy] = {}
    for name in TAXONOMIES:
        terms: dict[str, list[str]] = {}
        for article in ordered:
            for term in article_terms(article, name):
                terms.setdefault(term, []).append(article.key)
        fixed = {z: gazetteer.zones[z].slug for z in terms if z in gazetteer.zones and gazetteer.zones[z].slug} \
            if name == "zones" else {}
        slugs = _term_slugs(list(terms), fixed, memo)
        ordered_terms = {t: tuple(terms[t]) for t in sorted(terms, key=lambda t: slugs[t])}
        taxonomies[name] = Taxonomy(name, MappingProxyType(ordered_terms), MappingProxyType(slugs))
    zones = {z: gazetteer.zones[z] for z in taxonomies["zones"].terms if z in gazetteer.zones}
    region_cities = {r: c for r in taxonomies["regions"].terms if (c := regions.city_of(r))}
    return SiteModel(
        articles=tuple(ordered),
        by_key=MappingProxyType({a.key: a for a in ordered}),
        taxonomies=MappingProxyType(taxonomies),
        zones=MappingProxyType(zones),
        region_cities=MappingProxyType(region_cities),
        undated=tuple(a.key for a in undated),
        slug_memo=memo,
    )


def co_mentioned(model: SiteModel, zone: str, limit: int = 10) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for key in model.taxonomies["zones"].terms.get(zone, ()):
        counts.update(model.by_key[key].zones)  # counted in C; the zone itself is dropped after
    counts.pop(zone, None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def top_tags(model: SiteModel, keys: tuple[str, ...], exclude: set[str] | None = None, limit: int = 12) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for key in keys:
        counts.update(model.by_key[key].tags)  # counted in C; the excluded tags are dropped after
    for tag in exclude or ():
        counts.pop(tag, None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
