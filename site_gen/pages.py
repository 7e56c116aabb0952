"""Page planning: which pages the site has, where each is written, and what its template gets.

Input: the SiteModel and the config. Output: a list of Page records (output path, template name,
context). Everything a template shows is computed here, once per site (article cards, term links,
breadcrumbs, descriptions); templates only present it. docs/theming.md lists every template's context.
"""

from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import markdown
import nh3
import numpy as np

from site_gen.article import Article
from site_gen.config import SiteConfig
from site_gen.output import fork_pool
from site_gen.model import (
    TAXONOMY_LABELS,
    SiteModel,
    Taxonomy,
    co_mentioned,
    slugify_term,
    top_tags,
)

RELATED_LIMIT = 6
# Related articles are looked for among the articles nearest in time within each shared zone/tag:
# a zone with thousands of articles must not make every one of its articles scan all the others.
RELATED_WINDOW = 60
# An article's neighbours are counted with a bincount over the span of positions they cover when it is at most
# this many times their number; a sparser spread is sorted instead (a bincount over it would cost O(archive)).
DENSE_SPAN = 8
TERMS_PER_PAGE = 200
FEED_ENTRIES = 30
DESCRIPTION_LENGTH = 120
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]

# Tags and attributes a reader's page may contain: an allow-list, so nothing executable survives.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "strong", "em", "b", "i", "a",
    "img", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "hr", "figure", "figcaption", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
UNDATED_URL = "archive/undated/"
ARCHIVE_URL = "archive/"


class Shared(dict):  # type: ignore[type-arg]
    """A context value many pages show (an article card, a term link): made once per build, read-only in
    templates, and fingerprinted once (incremental.Fingerprints) instead of once per page that shows it."""

    __slots__ = ()


@dataclass(frozen=True)
class Page:
    path: str  # output path below public/, e.g. "articles/x/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    url: str = ""  # site-relative URL ("" for the home page)
    in_sitemap: bool = True
    lastmod: str | None = None  # ISO date for the sitemap, when the page is one dated article
    # Markdown the renderer converts into context["html"] (article pages). Converting at render time, not
    # here, lets an unchanged page be recognised without converting it, and lets the conversion run in
    # the render workers; the article in the context already identifies the body.
    markdown: str | None = field(default=None, compare=False, repr=False)


_MARKDOWN = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
# The same converter without smarty, for bodies smarty would leave alone. Smarty tries its dozen inline
# patterns on every text node: two thirds of the conversion time of a typical article, whose quotes are
# already “” (Chinese typography), for no change at all.
_MARKDOWN_PLAIN = markdown.Markdown(extensions=[e for e in MARKDOWN_EXTENSIONS if e != "smarty"],
                                    output_format="html")
# What smarty rewrites with its default settings: straight quotes, -- and ---, and "..." (`in` tests: a
# regular expression of these alternatives took 0.3 s of CPU for 10,000 articles, `in` 0.06 s).
_SMARTY_MARKS = ("'", '"', "--", "...")


def _smarty_input(body: str) -> bool:
    return any(mark in body for mark in _SMARTY_MARKS)


# The same converter without the inline stage, for bodies none of its patterns could match: Python-Markdown
# tries 14 inline patterns on every paragraph, half the conversion of a plain Chinese article (0.70 → 0.31
# ms) for no change. What they start on: ` \ [ ![ < & * _ and a line ending in two spaces, which can also
# appear only once Markdown has normalised the text: a tab becomes spaces, \r becomes \n, and the control
# characters \x02 and \x03 (its own placeholder markers) are deleted.
_MARKDOWN_BARE = markdown.Markdown(extensions=[e for e in MARKDOWN_EXTENSIONS if e != "smarty"], output_format="html")
_MARKDOWN_BARE.treeprocessors.deregister("inline")
_INLINE_START = re.compile(r"[\\`*_\[<&\t\r\x02\x03]")


def _inline_input(body: str) -> bool:
    return "  \n" in body or _INLINE_START.search(body) is not None


def markdown_to_html(body: str) -> str:
    """Markdown body → sanitised HTML (allow-list): raw HTML in content can never run."""
    html = quick_html(body)
    return html if html is not None else parsed_html(body)


def quick_html(body: str) -> str | None:
    """markdown_to_html(body) for a body of paragraphs and one-line # headings without inline syntax, made
    without Python-Markdown's parser (0.08 ms for a generated 10k article, quicker than reading it back from
    a file: BuildCache.html_of keeps only the others); None for any other body."""
    if _smarty_input(body) or _inline_input(body):
        return None
    html = _blocks_html(body)
    if html is None:
        return None
    # Its markup is <p> and <hN> around text without < > & (those go to Python-Markdown), which the sanitiser
    # gives back unchanged (7.6 % of the render workers' samples) but for <h1>, not allowed, and a few
    # characters: NUL is dropped, a no-break space becomes &nbsp;, and controls and lone surrogates are left
    # to it too.
    return html if "<h1>" not in html and _SANITISED.search(html) is None else _clean(html)


_SANITISED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\xa0\ud800-\udfff]")


def parsed_html(body: str) -> str:
    """markdown_to_html(body) through Python-Markdown, for any body."""
    if _smarty_input(body):
        html = _MARKDOWN.reset().convert(body)  # one converter, reset between documents: building one per
    elif _inline_input(body):                  # article costs a third of the conversion
        html = _MARKDOWN_PLAIN.reset().convert(body)
    else:
        html = _MARKDOWN_BARE.reset().convert(body)
    return _clean(html)


def _clean(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


# Bodies of paragraphs and one-line # headings only, the usual article here, are what Python-Markdown's block
# stage makes of them without its parser: 0.41 ms of an article's 0.51 ms (tests/test_markdown.py checks the
# two against each other). A line may not start with a space or with what starts another block (= - + * > |
# or a number and a dot: lists, setext headings, rules, quotes, code, tables); ">" and "|" nowhere, as the
# serialiser would escape ">" and the tables extension reads "|". No line starts with a space, so none is
# only spaces, which Python-Markdown would empty. (A pattern that starts with "\n" is searched by its
# first character: 0.04 s for 10,000 articles, against 0.54 s for (?:^|\n).)
_OTHER_BLOCK = re.compile(r"\n(?:[ =+*>|-]|\d+\.)")
_HEADING = re.compile(r"#{1,6}(?!#)")


def _blocks_html(body: str) -> str | None:
    """The HTML of a body without inline syntax (the bare converter's input) made of paragraphs and one-line
    # headings, or None for any other body."""
    if not body.strip():
        return None
    if ">" in body or "|" in body or _OTHER_BLOCK.search("\n" + body):
        return None
    out = []
    for block in (body + "\n\n").split("\n\n"):
        block = block.lstrip("\n")  # what is left of three or more line ends
        if not block.strip():
            continue
        if "#" in block:
            heading = _HEADING.match(block)
            if heading is None or "\n" in block or "#" in block[heading.end():]:
                return None  # a # heading within a paragraph, closing #s, more than six: the parser decides
            level = heading.end()
            out.append(f"<h{level}>{block[level:].strip()}</h{level}>")
        else:
            out.append(f"<p>{block.lstrip()}</p>")
    return "\n".join(out)


# The characters _plain acts on: a block without any of them is its own plain text (most paragraphs).
_MARKUP_CHARS = re.compile(r"[<\[#*_>|`]")


def _plain(text: str) -> str:
    if _MARKUP_CHARS.search(text) is None:
        return text.strip()
    text = re.sub(r"<[^>]*>", "", text)  # raw HTML in a body is dropped on the page, so also in excerpts
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[#*_>|`]+", "", text).strip()


def excerpt(article: Article, limit: int = DESCRIPTION_LENGTH) -> str:
    """The summary, else the start of the body as plain text: for meta descriptions and lists."""
    if article.summary:
        return article.summary
    text = " ".join(_plain(block) for block in article.body.split("\n\n") if block.strip())
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit] + "…"


_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@functools.lru_cache(maxsize=1024)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(form) for form in forms if form) or r"(?!)")


def plain_blocks(article: Article) -> list[str]:
    """The body's blocks as plain text (what mention_sentence searches), for callers that search one
    article for several zones."""
    return [_plain(block) for block in article.body.split("\n\n")]


def mention_sentence(article: Article, forms: tuple[str, ...], limit: int = 90,
                     blocks: list[str] | None = None) -> str | None:
    """The first sentence of the body that mentions one of `forms` (for zone pages)."""
    pattern = _forms_pattern(forms)
    for plain in blocks if blocks is not None else plain_blocks(article):
        if pattern.search(plain) is None:  # most blocks mention none: skip splitting them into sentences
            continue
        for sentence in _SENTENCE.findall(plain):
            if pattern.search(sentence):
                sentence = sentence.strip()
                return sentence if len(sentence) <= limit else sentence[:limit] + "…"
    return None


def year_chart(counts: dict[int, int], width: int = 320, height: int = 96) -> dict[str, Any] | None:
    """Bars for the articles per year (an inline SVG made at build time, no JavaScript).

    Every year between the first and the last gets a bar (empty years show as gaps), each labelled
    with its year below and its count above, so the chart reads without hovering.
    """
    if not counts:
        return None
    first, last = min(counts), max(counts)
    years = list(range(first, last + 1))
    peak = max(counts.values())
    bar_w = width / len(years)
    plot_h = height - 32  # room for the count above and the year below
    bars = []
    for i, year in enumerate(years):
        value = counts.get(year, 0)
        h = round(plot_h * value / peak, 1) if peak else 0
        center = round(i * bar_w + bar_w / 2, 1)
        w = min(max(bar_w * 0.7, 2), 36)  # a lone year is a bar, not a block
        bars.append({"year": year, "count": value, "x": round(center - w / 2, 1), "w": round(w, 1), "y": round(height - 16 - h, 1), "h": h,
                     "label_x": center, "value_y": round(height - 20 - h, 1),
                     "show_label": len(years) <= 12 or (year - first) % max(1, len(years) // 8) == 0})
    return {"width": width, "height": height, "bars": bars, "label_y": height - 2,
            "summary": "，".join(f"{y}年{c}篇" for y, c in sorted(counts.items()))}


def paginate(keys: tuple[Any, ...], per_page: int) -> Iterator[tuple[int, int, tuple[Any, ...]]]:
    pages = max(1, math.ceil(len(keys) / per_page))
    for number in range(1, pages + 1):
        yield number, pages, keys[(number - 1) * per_page: number * per_page]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def date_note(article: Article) -> str | None:
    """What a reader should know about the date: inferred, or unknown."""
    if not article.date:
        return "发布日期不详"
    if article.date_inferred:
        return "日期中的年份据正文推断"
    return None


def crumbs(*items: tuple[str, str | None]) -> list[dict[str, str | None]]:
    """Breadcrumb trail after 首页: (label, site-relative URL or None for the current page)."""
    return [{"label": label, "url": url} for label, url in items]


@dataclass(frozen=True)
class PlanMemo:
    """What planning keeps between builds (in the build cache), so an edit recomputes only what it touched.

    Related-article lists are a function of an article's zones and tags, of the windows of neighbours in
    those terms' key lists, and of the candidates' relative order: one is reused when none of its terms
    changed (same key list, no member with a new date, zones or tags) and the article itself did not.
    Mention sentences are a function of the article (by digest) and the zone's names.
    """

    signatures: dict[str, tuple[Any, ...]]  # article key → what its place in related lists depends on
    terms: dict[tuple[str, str], tuple[str, ...]]  # (zones|tags, term) → article keys, newest first
    related: dict[str, list[str]]  # article key → related article keys
    mentions: dict[tuple[bytes, tuple[str, ...]], str | None]  # (article digest, zone forms) → sentence
    # zone → (its names, co-mentioned zones, top tags): a function of its articles' zones and tags, reused
    # like related lists when the zone's term did not change
    zone_stats: dict[str, tuple[tuple[str, ...], list[tuple[str, int]], list[tuple[str, int]]]] = \
        field(default_factory=dict)


RELATED_TAXONOMIES = ("zones", "tags")


def _signature(article: Article) -> tuple[Any, ...]:
    return (article.date, article.sort_date, article.zones, article.tags)


class Planner:
    def __init__(self, model: SiteModel, config: SiteConfig, previous: PlanMemo | None = None,
                 digest: Callable[[Article], bytes] | None = None):
        """`previous`: the last build's PlanMemo; `digest`: an article's content digest (keys mention sentences)."""
        self.model = model
        self.config = config
        self.digest = digest
        self.memo = PlanMemo({a.key: _signature(a) for a in model.articles},
                             {(name, term): keys for name in RELATED_TAXONOMIES
                              for term, keys in model.taxonomies[name].terms.items()}, {}, {})
        self._previous = previous
        self._dirty = self._dirty_terms(previous) if previous is not None else set()
        self._cards: dict[str, Shared] = {}
        self._links: dict[str, dict[str, Shared]] = {}  # taxonomy → term → link
        # term → its keys' places in its list (a dict: np.searchsorted per window took 12 % longer at 10k); an
        # article listing the term twice is there twice, and its last place counts
        self._positions: dict[tuple[str, str], dict[str, int]] = {}
        self._term_positions: dict[tuple[str, str], np.ndarray] = {}  # term → its keys' places in model.articles
        self._order = {a.key: i for i, a in enumerate(model.articles)}  # newest first
        self._blocks: dict[str, list[str]] = {}  # article key → plain body blocks (zone pages' mentions)
        self._mentions: dict[tuple[str, tuple[str, ...]], str | None] = {}  # made by `prepare`, by article key

    # Shared pieces, computed once per article / term ------------------------------------------

    def plain_blocks(self, article: Article) -> list[str]:
        blocks = self._blocks.get(article.key)
        if blocks is None:
            blocks = self._blocks[article.key] = plain_blocks(article)
        return blocks

    def mention(self, article: Article, forms: tuple[str, ...]) -> str | None:
        """mention_sentence, remembered by article digest across builds (when a digest is given)."""
        if self.digest is None:
            return self._mention(article, forms)
        key = (self.digest(article), forms)
        found = self._previous_mention(key)
        if found is False:
            found = self._mention(article, forms)
        self.memo.mentions[key] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def _previous_mention(self, key: tuple[bytes, tuple[str, ...]]) -> str | None | bool:
        """The last build's sentence for (digest, forms), or False when it had none."""
        return self._previous.mentions.get(key, False) if self._previous is not None else False

    def _mention(self, article: Article, forms: tuple[str, ...]) -> str | None:
        found = self._mentions.get((article.key, forms), False)
        if found is False:
            found = mention_sentence(article, forms, blocks=self.plain_blocks(article))
        return found  # type: ignore[return-value]

    # Made ahead in worker processes ------------------------------------------------------------

    def prepare(self, workers: int) -> None:
        """Make the related lists and zone mention sentences the plan will ask for and the last build left
        none of, in `workers` processes forked from this one (they share the model copy-on-write; only keys
        and the results cross), when there are at least PARALLEL_MIN_TASKS. Otherwise, and for anything not
        made here, each is made when the plan asks: the plan is the same either way (tested)."""
        related = [a.key for a in self.model.articles
                   if a.key not in self.memo.related and self._reused_related(a) is None]
        mentions = [(key, forms) for name, keys in self.model.taxonomies["zones"].terms.items()
                    for forms in (self.zone_forms(name),) for key in keys
                    if self.digest is None or self._previous_mention((self.digest(self.model.by_key[key]), forms))
                    is False]
        if workers <= 1 or len(related) + len(mentions) < PARALLEL_MIN_TASKS or not hasattr(os, "fork"):
            return
        global _PLANNER
        _PLANNER = self
        try:
            with fork_pool(workers) as pool:
                jobs = [(chunk, pool.submit(_related_lists, chunk)) for chunk in _chunks(related, 500)]
                jobs += [(chunk, pool.submit(_mention_sentences, chunk)) for chunk in _chunks(mentions, 2000)]
                for chunk, job in jobs:
                    for task, found in zip(chunk, job.result()):
                        if isinstance(task, str):
                            self.memo.related[task] = found
                        else:
                            self._mentions[task] = found
        finally:
            _PLANNER = None

    def zone_forms(self, name: str) -> tuple[str, ...]:
        """The names a zone's articles may mention it by (its mention sentences search for them)."""
        zone = self.model.zones.get(name)
        return (name, *(zone.aliases if zone else ()), *(zone.parks if zone else ()))

    def card(self, key: str) -> Shared:
        """What a list shows of an article; made once and shared by every list (read-only in templates)."""
        card = self._cards.get(key)
        if card is None:
            article = self.model.by_key[key]
            card = Shared(article=article, url=self.model.article_url(article), date_note=date_note(article),
                          excerpt=excerpt(article, 90), mention=None)
            self._cards[key] = card
        return card

    def link(self, taxonomy: str, term: str) -> dict[str, Any] | None:
        return self._term_links(taxonomy).get(term)

    def links(self, taxonomy: str, terms: Any) -> list[dict[str, Any]]:
        found = self._term_links(taxonomy)
        return [found[t] for t in terms if t in found]

    def _term_links(self, taxonomy: str) -> dict[str, Shared]:
        """Every term of the taxonomy → its link, made at once (the 10k site asks 172,448 times)."""
        found = self._links.get(taxonomy)
        if found is None:
            tax = self.model.taxonomies[taxonomy]
            found = self._links[taxonomy] = {term: Shared(name=term, url=tax.url(term), count=len(tax.terms[term]))
                                            for term in tax.slugs}
        return found

    def listing(self, base: str, template: str, keys: tuple[str, ...], crumb_items: list[tuple[str, str | None]],
                description: str, per_page: int | None = None, cards: bool = True, **extra: Any) -> list[Page]:
        """A paginated list at `base`, `base`page/2/ …; `keys` are article keys (or prepared items)."""
        pages = []
        for number, total, chunk in paginate(keys, per_page or self.config.per_page):
            url = page_url(base, number)
            pagination = {
                "number": number, "total": total,
                "prev": page_url(base, number - 1) if number > 1 else None,
                "next": page_url(base, number + 1) if number < total else None,
                "first": base, "last": page_url(base, total),
            }
            trail = list(crumb_items)
            if number > 1:
                label, _ = trail[-1] if trail else ("首页", None)
                trail = trail[:-1] + [(label, base), (f"第 {number} 页", None)] if trail else [(f"第 {number} 页", None)]
            context = {"pagination": pagination, "breadcrumbs": crumbs(*trail),
                       "description": description if number == 1 else f"{description}（第 {number} 页）", **extra}
            context["cards" if cards else "items"] = [self.card(k) for k in chunk] if cards else list(chunk)
            pages.append(Page(f"{url}index.html", template, context, url=url))
        return pages

    # Articles ------------------------------------------------------------------------------------

    def article_pages(self) -> list[Page]:
        pages = []
        articles = self.model.articles
        for index, article in enumerate(articles):
            url = self.model.article_url(article)
            newer = articles[index - 1] if index > 0 else None
            older = articles[index + 1] if index + 1 < len(articles) else None
            pages.append(Page(f"{url}index.html", "article.html", {
                "article": article,
                "date_note": date_note(article),
                "terms": self.article_terms(article),
                "related": [self.card(k) for k in self.related(article)],
                "newer": self.card(newer.key) if newer else None,
                "older": self.card(older.key) if older else None,
                "breadcrumbs": crumbs(*self.article_trail(article)),
                "description": excerpt(article),
            }, url=url, lastmod=article.date[:10] if article.date else None, markdown=article.body))
        return pages

    def article_trail(self, article: Article) -> list[tuple[str, str | None]]:
        if not article.date:
            return [("归档", ARCHIVE_URL), ("日期不详", UNDATED_URL), (article.title, None)]
        year, month = article.date[:4], article.date[5:7]
        return [("归档", ARCHIVE_URL), (f"{year}年", f"archive/{year}/"),
                (f"{int(month)}月", f"archive/{year}/{month}/"), (article.title, None)]

    def article_terms(self, article: Article) -> dict[str, list[dict[str, Any]]]:
        return {
            "zones": self.links("zones", article.zones),
            "regions": self.links("regions", article.regions),
            "categories": self.links("categories", article.categories),
            "tags": self.links("tags", article.tags),
            "sources": self.links("sources", (article.source,) if article.source else ()),
        }

    def _neighbours(self, taxonomy: str, term: str, key: str) -> np.ndarray:
        """The articles nearest `key` in time within the term (RELATED_WINDOW either side), as positions in
        the model's article list: all of them when the term has few."""
        found = self._term_positions.get((taxonomy, term))
        if found is None:
            keys = self.model.taxonomies[taxonomy].terms.get(term, ())
            found = self._term_positions[(taxonomy, term)] = np.fromiter((self._order[k] for k in keys), dtype=np.intp,
                                                                        count=len(keys))
        if len(found) <= 2 * RELATED_WINDOW:
            return found
        positions = self._positions.get((taxonomy, term))
        if positions is None:
            positions = self._positions[(taxonomy, term)] = {k: i for i, k in
                                                             enumerate(self.model.taxonomies[taxonomy].terms[term])}
        at = positions[key]
        return found[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1]

    def _dirty_terms(self, previous: PlanMemo) -> set[tuple[str, str]]:
        """Terms whose related-article windows may differ from the last build's."""
        moved = {key for key, signature in self.memo.signatures.items() if previous.signatures.get(key) != signature}
        dirty = {term for term, keys in self.memo.terms.items() if previous.terms.get(term) != keys}
        for key in moved:
            article = self.model.by_key[key]
            dirty.update(("zones", z) for z in article.zones)
            dirty.update(("tags", t) for t in article.tags)
        return dirty

    def related(self, article: Article) -> list[str]:
        """Articles sharing zones (weight 3) and tags (weight 1), best first, then newest."""
        found = self.memo.related.get(article.key)
        if found is None:
            found = self.memo.related[article.key] = self._reused_related(article) or self.rank_related(article)
        return found

    def _reused_related(self, article: Article) -> list[str] | None:
        previous = self._previous
        if previous is None or previous.signatures.get(article.key) != self.memo.signatures[article.key]:
            return None
        if any(("zones", z) in self._dirty for z in article.zones) or any(("tags", t) in self._dirty for t in article.tags):
            return None
        return previous.related.get(article.key)

    def rank_related(self, article: Article) -> list[str]:
        """related(), computed: count the shared zones (three times) and tags of the neighbours in each term, with
        numpy over their positions in the model's article list (a Counter of keys took 3.2 times as long)."""
        zones = [self._neighbours("zones", term, article.key) for term in article.zones]
        windows = zones * 3 + [self._neighbours("tags", term, article.key) for term in article.tags]
        positions = np.concatenate(windows) if windows else np.empty(0, dtype=np.intp)
        if not positions.size:
            return []
        first = int(positions.min())
        span = int(positions.max()) - first + 1
        if span <= DENSE_SPAN * len(positions):  # counted in one bincount over the span
            scores = np.bincount(positions - first)
            found = np.flatnonzero(scores)
            scores = scores[found]
        else:  # a few neighbours spread over the archive (a rare tag): sorted, not a bincount over 100,000 places
            found, scores = np.unique(positions - first, return_counts=True)
        itself = found != self._order[article.key] - first
        found, scores = found[itself], scores[itself]
        # Best score first, then newest (the lower position): one int64 rank each, as positions < span.
        rank = scores.astype(np.int64) * -span + found
        if len(found) > RELATED_LIMIT:
            best = np.argpartition(rank, RELATED_LIMIT - 1)[:RELATED_LIMIT]
            found, rank = found[best], rank[best]
        articles = self.model.articles
        return [articles[first + i].key for i in found[np.argsort(rank)].tolist()]

    # Zones -----------------------------------------------------------------------------------------

    def zone_place(self, name: str) -> list[dict[str, Any]]:
        """City and county of a zone, linked to their region pages when those exist."""
        zone = self.model.zones.get(name)
        if not zone:
            return []
        place = []
        for region in (zone.city, zone.county):
            if region:
                place.append(self.link("regions", region) or {"name": region, "url": None, "count": 0})
        return place

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
            forms = self.zone_forms(name)
            city = zone.city if zone else None
            trail: list[tuple[str, str | None]] = [("开发区", "zones/")]
            if city:
                trail.append((city, f"zones/#{self.city_anchor(city)}"))
            trail.append((name, None))
            facts = [f"{zone.level}{zone.kind}" if zone else "", f"位于{city}{zone.county or ''}" if zone else ""]
            description = f"{name}：{'，'.join(f for f in facts if f)}。共 {len(keys)} 篇报道。"
            stats = self.zone_stats(name, keys, forms)
            listing = self.listing(base, "zone.html", keys, trail, description, zone=zone, zone_name=name,
                                   count=len(keys), undated=sum(1 for k in keys if not self.model.by_key[k].date),
                                   years=sorted(years.items()), chart=year_chart(years), place=self.zone_place(name),
                                   co_mentioned=[{**self.link("zones", z), "together": c}  # type: ignore[dict-item]
                                                 for z, c in stats[1]],
                                   top_tags=[{"name": t, "count": c, "url": self.model.taxonomies["tags"].url(t)}
                                             for t, c in stats[2]],
                                   feed_url=f"{base}feed.xml")
            for page in listing:
                page.context["cards"] = [{**card, "mention": self.mention(card["article"], forms)}
                                         for card in page.context["cards"]]
            pages.extend(listing)
            pages.append(self.feed(f"{base}feed.xml", f"{name} — {self.config.title}", base, keys))
        return pages

    def zone_stats(self, name: str, keys: tuple[str, ...], forms: tuple[str, ...]) \
            -> tuple[tuple[str, ...], list[tuple[str, int]], list[tuple[str, int]]]:
        """(forms, co_mentioned, top_tags) of a zone, reused from the last build when none of its articles
        came, went or changed zones, tags or date (the zone's term is not dirty) and its names are the same."""
        previous = self._previous.zone_stats.get(name) if self._previous is not None else None
        if previous is None or previous[0] != forms or ("zones", name) in self._dirty:
            previous = (forms, co_mentioned(self.model, name), top_tags(self.model, keys, exclude=set(forms)))
        self.memo.zone_stats[name] = previous
        return previous

    def city_anchor(self, city: str) -> str:
        """A stable ASCII fragment id for a city's group on the zones index."""
        return self.model.taxonomies["regions"].slugs.get(city) or slugify_term(city, self.model.slug_memo)

    def zones_index(self) -> Page:
        taxonomy = self.model.taxonomies["zones"]
        by_city: dict[str, list[dict[str, Any]]] = {}
        for name, keys in taxonomy.terms.items():
            zone = self.model.zones.get(name)
            city = zone.city if zone else "其他"
            by_city.setdefault(city, []).append({"name": name, "zone": zone, "count": len(keys), "url": taxonomy.url(name)})
        groups = []
        for city, zones in sorted(by_city.items(), key=lambda kv: (-sum(z["count"] for z in kv[1]), kv[0])):
            groups.append({"city": city, "anchor": self.city_anchor(city), "region": self.link("regions", city),
                           "count": sum(z["count"] for z in zones),
                           "zones": sorted(zones, key=lambda z: (-z["count"], z["name"]))})
        return Page("zones/index.html", "zones.html", {
            "groups": groups, "zone_count": len(taxonomy.terms), "breadcrumbs": crumbs(("开发区", None)),
            "description": f"按地市浏览 {len(taxonomy.terms)} 个开发区的报道。"}, url="zones/")

    # Regions (cities and counties) -----------------------------------------------------------------

    def region_groups(self) -> list[dict[str, Any]]:
        """Cities with their counties (only regions that have articles), cities by article count."""
        taxonomy = self.model.taxonomies["regions"]
        cities: dict[str, list[str]] = {}
        for region in taxonomy.terms:
            city = self.model.region_cities.get(region, region)
            cities.setdefault(city, [])
            if region != city:
                cities[city].append(region)
        groups = []
        for city, counties in cities.items():
            groups.append({"city": self.link("regions", city) or {"name": city, "url": None, "count": 0},
                           "counties": sorted(self.links("regions", counties), key=lambda r: (-r["count"], r["name"]))})
        return sorted(groups, key=lambda g: (-g["city"]["count"], g["city"]["name"]))

    def region_pages(self) -> list[Page]:
        taxonomy = self.model.taxonomies["regions"]
        zones_in: dict[str, list[str]] = {}
        for name, zone in self.model.zones.items():
            for region in (zone.city, zone.county):
                if region:
                    zones_in.setdefault(region, []).append(name)
        counties_of: dict[str, list[str]] = {}
        for region in taxonomy.terms:
            city = self.model.region_cities.get(region)
            if city and city != region:
                counties_of.setdefault(city, []).append(region)
        pages = []
        for region, keys in taxonomy.terms.items():
            city = self.model.region_cities.get(region)
            is_county = bool(city and city != region)
            trail: list[tuple[str, str | None]] = [("地区", taxonomy.index_url)]
            if is_county and city:
                city_link = self.link("regions", city)
                trail.append((city, city_link["url"] if city_link else None))
            trail.append((region, None))
            zones = sorted(self.links("zones", zones_in.get(region, ())), key=lambda z: (-z["count"], z["name"]))
            pages.extend(self.listing(
                taxonomy.url(region), "region.html", keys, trail, f"{region}的开发区新闻报道，共 {len(keys)} 篇。",
                region=region, kind="county" if is_county else "city", count=len(keys),
                city=self.link("regions", city) if is_county and city else None,
                counties=sorted(self.links("regions", counties_of.get(region, ())), key=lambda r: (-r["count"], r["name"])),
                zones=zones))
        groups = self.region_groups()
        pages.append(Page(f"{taxonomy.index_url}index.html", "regions.html", {
            "groups": groups, "breadcrumbs": crumbs(("地区", None)),
            "description": f"按地市和区县浏览报道：{len(groups)} 个地市。"}, url=taxonomy.index_url))
        return pages

    # Tags, categories, sources ----------------------------------------------------------------------

    def term_pages(self) -> list[Page]:
        pages = []
        for name in ("tags", "categories", "sources"):
            taxonomy: Taxonomy = self.model.taxonomies[name]
            label = TAXONOMY_LABELS[name]
            for term, keys in taxonomy.terms.items():
                pages.extend(self.listing(taxonomy.url(term), "term.html", keys, [(label, taxonomy.index_url), (term, None)],
                                          f"{label}“{term}”下的报道，共 {len(keys)} 篇。", taxonomy=name,
                                          taxonomy_label=label, term=term, count=len(keys), months=[]))
            terms = sorted(({"name": t, "count": len(k), "url": taxonomy.url(t)} for t, k in taxonomy.terms.items()),
                           key=lambda t: (-t["count"], t["name"]))
            pages.extend(self.listing(taxonomy.index_url, "terms.html", tuple(terms), [(label, None)],
                                      f"全部{label}：共 {len(terms)} 个。", per_page=TERMS_PER_PAGE, cards=False,
                                      taxonomy=name, taxonomy_label=label, term_count=len(terms)))
        return pages

    # Date archive -------------------------------------------------------------------------------------

    def archive_pages(self) -> list[Page]:
        """archive/ (years and months), archive/2024/, archive/2024/10/, archive/undated/."""
        months: dict[str, list[str]] = {}
        for article in self.model.articles:
            if article.date:
                months.setdefault(article.date[:7], []).append(article.key)
        years_tax = self.model.taxonomies["years"]
        pages = []
        years = []
        for year in sorted(years_tax.terms, reverse=True):
            keys = years_tax.terms[year]
            month_links = [{"name": f"{int(m[5:])}月", "key": m, "url": f"archive/{year}/{m[5:]}/",
                            "count": len(months[m])} for m in sorted(months) if m[:4] == year]
            years.append({"name": year, "url": f"archive/{year}/", "count": len(keys), "months": month_links})
            pages.extend(self.listing(f"archive/{year}/", "term.html", keys, [("归档", ARCHIVE_URL), (f"{year}年", None)],
                                      f"{year}年的报道，共 {len(keys)} 篇。", taxonomy="years", taxonomy_label="年份",
                                      term=f"{year}年", count=len(keys), months=month_links))
            for link in month_links:
                pages.extend(self.listing(link["url"], "term.html", tuple(months[link["key"]]),
                                          [("归档", ARCHIVE_URL), (f"{year}年", f"archive/{year}/"), (link["name"], None)],
                                          f"{year}年{link['name']}的报道，共 {link['count']} 篇。", taxonomy="months",
                                          taxonomy_label="月份", term=f"{year}年{link['name']}", count=link["count"],
                                          months=[]))
        undated = self.model.undated
        if undated:
            pages.extend(self.listing(UNDATED_URL, "term.html", undated, [("归档", ARCHIVE_URL), ("日期不详", None)],
                                      f"发布日期不详的报道，共 {len(undated)} 篇。", taxonomy="undated",
                                      taxonomy_label="日期", term="日期不详", count=len(undated), months=[]))
        pages.append(Page(f"{ARCHIVE_URL}index.html", "archive.html", {
            "years": years, "undated": {"url": UNDATED_URL, "count": len(undated)} if undated else None,
            "breadcrumbs": crumbs(("归档", None)), "description": "按年份和月份浏览全部报道。"}, url=ARCHIVE_URL))
        return pages

    # Home, feeds, site files ---------------------------------------------------------------------------

    def home_pages(self) -> list[Page]:
        keys = tuple(a.key for a in self.model.articles)
        top_zones = [self.link("zones", z) for z, _ in self.model.zone_counts()[:12]]
        years = [{"name": y, "url": f"archive/{y}/", "count": len(k)}
                 for y, k in sorted(self.model.taxonomies["years"].terms.items(), reverse=True)]
        categories = sorted(self.links("categories", self.model.taxonomies["categories"].terms),
                            key=lambda c: (-c["count"], c["name"]))
        cities = [g["city"] for g in self.region_groups() if g["city"]["url"]][:11]
        stats = {"articles": len(keys), "zones": len(self.model.taxonomies["zones"].terms),
                 "sources": len(self.model.taxonomies["sources"].terms)}
        return self.listing("", "home.html", keys, [], self.config.description, top_zones=top_zones, years=years,
                            categories=categories, cities=cities, stats=stats, undated_url=UNDATED_URL if self.model.undated else None)

    def feed(self, url: str, title: str, page: str, keys: tuple[str, ...]) -> Page:
        cards = [self.card(k) for k in keys[:FEED_ENTRIES]]
        # The feed's own date: its newest dated entry (undated entries sort last and carry none).
        updated = next((c["article"].date for c in cards if c["article"].date), None)
        return Page(url, "feed.xml", {"feed_title": title, "feed_url": url, "page_url": page, "cards": cards,
                                      "updated": updated}, url=url, in_sitemap=False)

    def plan(self) -> list[Page]:
        pages = self.home_pages()
        pages += self.article_pages()
        pages += self.zone_pages()
        pages.append(self.zones_index())
        pages += self.region_pages()
        pages += self.term_pages()
        pages += self.archive_pages()
        pages.append(Page("search/index.html", "search.html", {
            "breadcrumbs": crumbs(("搜索", None)), "description": "全文搜索存档中的报道。"}, url="search/"))
        pages.append(Page("404.html", "404.html", {"breadcrumbs": [], "description": "页面不存在。"},
                          url="404.html", in_sitemap=False))
        pages.append(self.feed("feed.xml", self.config.title, "", tuple(a.key for a in self.model.articles)))
        sitemap = [{"url": p.url, "lastmod": p.lastmod} for p in pages if p.in_sitemap]
        pages.append(Page("sitemap.xml", "sitemap.xml", {"urls": sitemap}, url="sitemap.xml", in_sitemap=False))
        pages.append(Page("robots.txt", "robots.txt", {}, url="robots.txt", in_sitemap=False))
        return pages


def plan_pages(model: SiteModel, config: SiteConfig, previous: PlanMemo | None = None,
               digest: Callable[[Article], bytes] | None = None, workers: int = 1) -> tuple[list[Page], PlanMemo]:
    """Every page of the site, and what the next build's planning can reuse (see PlanMemo); `workers`:
    processes that may make the related lists and mention sentences ahead (`Planner.prepare`)."""
    planner = Planner(model, config, previous, digest)
    planner.prepare(workers)
    return planner.plan(), planner.memo


# Related lists and mention sentences to make before they are worth two processes: a pool of two forked from a
# 10,000-article build cost 0.05 s, and that build's 10,000 related lists took 0.51 s of CPU, its 41,040 zone
# mention sentences 0.47-0.61 s.
PARALLEL_MIN_TASKS = 2000
_PLANNER: Planner | None = None  # the planner a forked worker of `Planner.prepare` works for


def _chunks(items: list, size: int) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _related_lists(keys: list[str]) -> list[list[str]]:
    assert _PLANNER is not None
    return [_PLANNER.rank_related(_PLANNER.model.by_key[key]) for key in keys]


def _mention_sentences(tasks: list[tuple[str, tuple[str, ...]]]) -> list[str | None]:
    assert _PLANNER is not None
    return [mention_sentence(article, forms, blocks=_PLANNER.plain_blocks(article))
            for key, forms in tasks for article in (_PLANNER.model.by_key[key],)]
