"""Page planning: which pages the site has, where each is written, and what its template gets.

Input: the SiteModel and the config. Output: a list of Page records (output path, template name,
context). Everything a template shows is computed here; templates only present it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import markdown
import nh3

from site_gen.article import Article
from site_gen.config import SiteConfig
from site_gen.model import (
    TAXONOMY_LABELS,
    SiteModel,
    co_mentioned,
    top_tags,
)

RELATED_LIMIT = 6
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]

# Tags and attributes a reader's page may contain: an allow-list, so nothing executable survives.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "strong", "em", "b", "i", "a",
    "img", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "hr", "figure", "figcaption", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}


@dataclass(frozen=True)
class Page:
    path: str  # output path below public/, e.g. "articles/x/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    url: str = ""  # site-relative URL ("" for the home page)
    in_sitemap: bool = True


def markdown_to_html(body: str) -> str:
    """Markdown body → sanitised HTML (allow-list): raw HTML in content can never run."""
    html = markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _plain(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[#*_>|`]+", "", text).strip()


def mention_sentence(article: Article, forms: tuple[str, ...], limit: int = 90) -> str | None:
    """The first sentence of the body that mentions one of `forms` (for zone pages)."""
    for block in article.body.split("\n\n"):
        plain = _plain(block)
        for sentence in re.findall(r"[^。！？!?]+[。！？!?]?", plain):
            if any(form in sentence for form in forms):
                sentence = sentence.strip()
                return sentence if len(sentence) <= limit else sentence[:limit] + "…"
    return None


def year_chart(counts: dict[int, int], width: int = 320, height: int = 90) -> dict[str, Any] | None:
    """Bars for the articles per year (an inline SVG made at build time, no JavaScript)."""
    if not counts:
        return None
    first, last = min(counts), max(counts)
    years = list(range(first, last + 1))
    peak = max(counts.values())
    bar_w = width / len(years)
    bars = []
    for i, year in enumerate(years):
        value = counts.get(year, 0)
        h = 0 if peak == 0 else round((height - 20) * value / peak, 1)
        bars.append({"year": year, "count": value, "x": round(i * bar_w + 2, 1), "w": round(max(bar_w - 4, 2), 1),
                     "y": round(height - 14 - h, 1), "h": h, "label_x": round(i * bar_w + bar_w / 2, 1)})
    return {"width": width, "height": height, "bars": bars, "label_y": height - 2}


def paginate(keys: tuple[str, ...], per_page: int) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    pages = max(1, math.ceil(len(keys) / per_page))
    for number in range(1, pages + 1):
        yield number, pages, keys[(number - 1) * per_page: number * per_page]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


class Planner:
    def __init__(self, model: SiteModel, config: SiteConfig):
        self.model = model
        self.config = config

    def card(self, key: str) -> dict[str, Any]:
        article = self.model.by_key[key]
        return {"article": article, "url": self.model.article_url(article)}

    def listing(self, base: str, template: str, keys: tuple[str, ...], **extra: Any) -> list[Page]:
        pages = []
        for number, total, chunk in paginate(keys, self.config.per_page):
            url = page_url(base, number)
            pagination = {
                "number": number, "total": total,
                "prev": page_url(base, number - 1) if number > 1 else None,
                "next": page_url(base, number + 1) if number < total else None,
            }
            pages.append(Page(f"{url}index.html", template,
                              {"cards": [self.card(k) for k in chunk], "pagination": pagination, **extra}, url=url))
        return pages

    def article_pages(self) -> list[Page]:
        pages = []
        articles = self.model.articles
        for index, article in enumerate(articles):
            url = self.model.article_url(article)
            newer = articles[index - 1] if index > 0 else None
            older = articles[index + 1] if index + 1 < len(articles) else None
            pages.append(Page(f"{url}index.html", "article.html", {
                "article": article,
                "html": markdown_to_html(article.body),
                "terms": self.article_terms(article),
                "related": [self.card(k) for k in self.related(article)],
                "newer": self.card(newer.key) if newer else None,
                "older": self.card(older.key) if older else None,
            }, url=url))
        return pages

    def article_terms(self, article: Article) -> dict[str, list[dict[str, str]]]:
        out = {}
        for name in ("zones", "regions", "categories", "tags", "sources"):
            taxonomy = self.model.taxonomies[name]
            values = (article.source,) if name == "sources" and article.source else getattr(article, name, ())
            if name == "sources" and not article.source:
                values = ()
            out[name] = [{"name": v, "url": taxonomy.url(v)} for v in values if v in taxonomy.slugs]
        return out

    def related(self, article: Article) -> list[str]:
        scores: dict[str, int] = {}
        zones = self.model.taxonomies["zones"].terms
        tags = self.model.taxonomies["tags"].terms
        for zone in article.zones:
            for key in zones.get(zone, ()):
                scores[key] = scores.get(key, 0) + 3
        for tag in article.tags:
            for key in tags.get(tag, ()):
                scores[key] = scores.get(key, 0) + 1
        scores.pop(article.key, None)
        return [k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED_LIMIT]]

    def zone_pages(self) -> list[Page]:
        pages = []
        taxonomy = self.model.taxonomies["zones"]
        for name, keys in taxonomy.terms.items():
            zone = self.model.zones.get(name)
            base = taxonomy.url(name)
            years: dict[int, int] = {}
            for key in keys:
                year = self.model.by_key[key].year
                if year:
                    years[year] = years.get(year, 0) + 1
            forms = (name, *(zone.aliases if zone else ()), *(zone.parks if zone else ()))
            listing = self.listing(base, "zone.html", keys, zone=zone, zone_name=name, count=len(keys),
                                   years=sorted(years.items()), chart=year_chart(years),
                                   co_mentioned=[{"name": z, "count": c, "url": taxonomy.url(z)}
                                                 for z, c in co_mentioned(self.model, name)],
                                   top_tags=[{"name": t, "count": c, "url": self.model.taxonomies["tags"].url(t)}
                                             for t, c in top_tags(self.model, keys)],
                                   feed_url=f"{base}feed.xml")
            for page in listing:
                for card in page.context["cards"]:
                    card["mention"] = mention_sentence(card["article"], forms)
            pages.extend(listing)
            pages.append(Page(f"{base}feed.xml", "feed.xml", {
                "feed_title": f"{name} — {self.config.title}", "feed_url": f"{base}feed.xml", "page_url": base,
                "cards": [self.card(k) for k in keys[:20]]}, url=f"{base}feed.xml", in_sitemap=False))
        return pages

    def zones_index(self) -> Page:
        taxonomy = self.model.taxonomies["zones"]
        by_city: dict[str, list[dict[str, Any]]] = {}
        for name, keys in taxonomy.terms.items():
            zone = self.model.zones.get(name)
            city = zone.city if zone else "其他"
            by_city.setdefault(city, []).append({"name": name, "zone": zone, "count": len(keys), "url": taxonomy.url(name)})
        groups = [{"city": city, "zones": sorted(zs, key=lambda z: (-z["count"], z["name"]))}
                  for city, zs in sorted(by_city.items(), key=lambda kv: (-sum(z["count"] for z in kv[1]), kv[0]))]
        return Page("zones/index.html", "zones.html", {"groups": groups}, url="zones/")

    def term_pages(self) -> list[Page]:
        pages = []
        for name in ("regions", "tags", "categories", "sources", "years"):
            taxonomy = self.model.taxonomies[name]
            for term, keys in taxonomy.terms.items():
                pages.extend(self.listing(taxonomy.url(term), "term.html", keys, taxonomy=name,
                                          taxonomy_label=TAXONOMY_LABELS[name], term=term, count=len(keys)))
            index_url = taxonomy.index_url
            terms = [{"name": t, "count": len(k), "url": taxonomy.url(t)} for t, k in taxonomy.terms.items()]
            terms.sort(key=lambda t: (-t["count"], t["name"]) if name != "years" else (-int(t["name"]), 0))
            pages.append(Page(f"{index_url}index.html", "terms.html",
                              {"taxonomy": name, "taxonomy_label": TAXONOMY_LABELS[name], "terms": terms}, url=index_url))
        if self.model.undated:
            pages.extend(self.listing("archive/undated/", "term.html", self.model.undated, taxonomy="years",
                                      taxonomy_label="日期", term="日期不详", count=len(self.model.undated)))
        return pages

    def plan(self) -> list[Page]:
        keys = tuple(a.key for a in self.model.articles)
        home_zones = [{"name": z, "count": c, "url": self.model.taxonomies["zones"].url(z)}
                      for z, c in self.model.zone_counts()[:12]]
        pages = self.listing("", "home.html", keys, top_zones=home_zones)
        pages += self.article_pages()
        pages += self.zone_pages()
        pages.append(self.zones_index())
        pages += self.term_pages()
        pages.append(Page("search/index.html", "search.html", {}, url="search/"))
        pages.append(Page("404.html", "404.html", {}, url="404.html", in_sitemap=False))
        pages.append(Page("feed.xml", "feed.xml", {
            "feed_title": self.config.title, "feed_url": "feed.xml", "page_url": "",
            "cards": [self.card(k) for k in keys[:30]]}, url="feed.xml", in_sitemap=False))
        sitemap_urls = [p.url for p in pages if p.in_sitemap]
        pages.append(Page("sitemap.xml", "sitemap.xml", {"urls": sitemap_urls}, url="sitemap.xml", in_sitemap=False))
        pages.append(Page("robots.txt", "robots.txt", {}, url="robots.txt", in_sitemap=False))
        return pages


def plan_pages(model: SiteModel, config: SiteConfig) -> list[Page]:
    return Planner(model, config).plan()
