"""Search indexing: a Pagefind index of the articles, one word per Han character.

Input: the site model and the staged output folder. Output: `pagefind/` (the bundle) and
`search/query.json` (the word length and the Traditional → Simplified character map the search page
prepares queries with)
inside the staged folder.

Pagefind does not read the rendered pages. For each article we write a small index document into a
temporary folder, at the article's own path (so Pagefind's URLs are the article URLs): its title and
body as character tokens (site_gen/search_text.py says why), the title, date and source as metadata,
the date as the sort key and zone, city, category, source and year as filters. Nothing else of the
site is indexed, so bylines, navigation and related-article teasers never reach an excerpt, and the
indexer's memory and time grow only with the articles.

The whole folder is indexed in one run of the binary: per-file API calls are far slower (pagefind#976).
Spaces already separate the words, so the documents say `lang="und"`: the `pagefind[extended]`
binary's Chinese segmenter, and its memory (pagefind#842), is never used.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from site_gen.article import Article
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.model import SiteModel
from site_gen.search_text import query_json, tokenize

# Markdown syntax that is not text: images, link targets, emphasis and heading/list/quote markers.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_LINE_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_TAG = re.compile(r"<[^>]+>")

# "und" (undetermined): the words are already cut, so neither the extended indexer nor the browser
# (Intl.Segmenter, for zh) may cut them again; the search page gets this index as the only language.
INDEX_LANG = "und"
UNDATED_SORT_KEY = "0000-00-00"  # undated articles sort last (newest first), but stay in date-sorted results


@dataclass(frozen=True)
class IndexDocument:
    """What Pagefind indexes for one article: its URL path, text and fields."""

    path: str  # below the site root, e.g. "articles/x/index.html"
    title: str
    paragraphs: tuple[str, ...]  # plain text, title excluded
    date: str | None  # YYYY-MM-DD
    source: str | None
    filters: tuple[tuple[str, str], ...]  # (filter name, value)


def plain_paragraphs(markdown_body: str) -> tuple[str, ...]:
    """Markdown body → its paragraphs as plain text (what a reader reads, no markup)."""
    text = _MD_IMAGE.sub("", markdown_body)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_MARK.sub("", text)
    text = _MD_EMPHASIS.sub("", _TAG.sub("", text))
    blocks = (" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text))
    return tuple(b for b in blocks if b.strip())


def index_documents(model: SiteModel) -> Iterator[IndexDocument]:
    for article in model.articles:
        yield article_document(article, model.article_url(article), model.region_cities)


def article_document(article: Article, url: str, region_cities: Mapping[str, str]) -> IndexDocument:
    cities = sorted({region_cities.get(r, r) for r in article.regions})
    filters = [("zone", z) for z in article.zones] + [("city", c) for c in cities]
    filters += [("category", c) for c in article.categories]
    if article.source:
        filters.append(("source", article.source))
    if article.year:
        filters.append(("year", str(article.year)))
    return IndexDocument(
        path=f"{url}index.html", title=article.title, paragraphs=plain_paragraphs(article.body),
        date=article.date[:10] if article.date else None, source=article.source, filters=tuple(filters))


def render_document(doc: IndexDocument, text: Callable[[str], str] = tokenize, lang: str = INDEX_LANG) -> str:
    """One index document as HTML. Everything but the tokenized body and title is ignored as text.

    The title comes after the body: an excerpt is cut around the best match, and a body match should
    read as body text, not run on from the headline.
    """
    e = html.escape
    fields = [f'<span data-pagefind-meta="title">{e(doc.title)}</span>',
              f'<span data-pagefind-sort="date">{doc.date or UNDATED_SORT_KEY}</span>']
    if doc.date:
        fields.append(f'<span data-pagefind-meta="date">{doc.date}</span>')
    if doc.source:
        fields.append(f'<span data-pagefind-meta="source">{e(doc.source)}</span>')
    fields += [f'<span data-pagefind-filter="{name}">{e(value)}</span>' for name, value in doc.filters]
    body = "\n".join(f"<p>{e(text(p))}</p>" for p in doc.paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(doc.title)}</title></head>'
            f'<body><main data-pagefind-body><div data-pagefind-ignore>{"".join(fields)}</div>'
            f'{body}\n<h1>{e(text(doc.title))}</h1></main></body></html>')


def write_documents(docs: Iterable[IndexDocument], folder: Path,
                    text: Callable[[str], str] = tokenize, lang: str = INDEX_LANG) -> int:
    count = 0
    for doc in docs:
        path = folder / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_document(doc, text, lang), encoding="utf-8")
        count += 1
    return count


def pagefind_command(documents: Path, bundle: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(documents), "--output-path", str(bundle), "--silent"]


def run_pagefind(documents: Path, bundle: Path) -> None:
    result = subprocess.run(pagefind_command(documents, bundle), capture_output=True, text=True)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SiteGenError(Diagnostic(str(documents), f"Pagefind failed (exit {result.returncode}): {message[0]}",
                                      hint="is `pagefind[extended]` installed? `pip install -e .`"))


def index_site(site: Path, model: SiteModel) -> int:
    """Index the model's articles into `site/pagefind/`; returns the number of articles indexed."""
    with tempfile.TemporaryDirectory(prefix="site-gen-search-") as tmp:
        count = write_documents(index_documents(model), Path(tmp))
        run_pagefind(Path(tmp), site / "pagefind")
    (site / "search").mkdir(exist_ok=True)
    (site / "search" / "query.json").write_text(query_json(), encoding="utf-8")
    return count
