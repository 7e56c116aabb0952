"""Search indexing: a Pagefind index of the articles, one word per pair of Han characters.

Input: the site model and the staged output folder. Output: `pagefind/` (the bundle) and
`search/query.json` (the word scheme, the Traditional → Simplified character map the search page
prepares queries with, and the names searched by a phrase companion) inside the staged folder.

Pagefind does not read the rendered pages. Each article is one index document: its title and body as
pair words (site_gen/search_text.py says why), the title, date and source as metadata, the date as the
sort key and zone, city, category, source and year as filters. Nothing else of the site is indexed, so
bylines, navigation and related-article teasers never reach an excerpt, and the indexer's memory and
time grow only with the articles. A shard is written by site_gen itself (site_gen/search_shard.py), with
one Pagefind run over a small document of the shard's distinct non-code tokens to learn how it reads them;
a shard with a field Pagefind would rewrite goes the older way: its code words indexed by site_gen
(site_gen/search_index.py), Pagefind reading the rest of each document, written into a temporary folder at
the article's own path (so Pagefind's URLs are the article URLs).

The articles are indexed in shards of SHARD_SIZE, newest first, each shard in a worker process (one run of
the binary each: per-file API calls are far slower, pagefind#976), two at a time on two cores, so a
100k-article archive costs as much per shard as a 1k one. The shards are kept
in the build cache and merged into one index (site_gen/search_merge.py), the bundle the search page loads.
Spaces already separate the words and the documents say `lang="und"`, so the standard binary does the
job (`pagefind_binary`).
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from site_gen.article import Article
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.enrich.gazetteer import GENERIC_ZONE_WORDS, Gazetteer
from site_gen.enrich.regions import RegionTable
from site_gen.model import SiteModel
from site_gen.output import fork_pool, usable_cpus
from site_gen.search_index import ShardTokens, complete_shard, prepare_process
from site_gen.search_merge import merge_shards
from site_gen.search_shard import plain_fields, write_shard
from site_gen.search_text import HAN, code_tokens, fold, query_json

# Markdown syntax that is not text: images, link targets, emphasis and heading/list/quote markers.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_LINE_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_TAG = re.compile(r"<[^>]+>")

# "und" (undetermined): the words are already cut, so neither the extended indexer nor the browser
# (Intl.Segmenter, for zh) may cut them again; the search page gets this index as the only language.
INDEX_LANG = "und"
# Articles per shard: an edit re-indexes its whole shard (~1.0 s of CPU for 500 of the benchmark's articles,
# eighth session), and each shard costs a Pagefind start and a merge input. Pagefind's memory no longer bounds
# it: it reads one learning document per shard (site_gen/search_shard.py), or the rest documents of a shard
# written the Pagefind way (45-46 MiB for 500; all of a document's words took 365 MiB).
SHARD_SIZE = 500
MAX_INDEX_RUNS = 2  # shard workers at a time (each ~0.3 GB above the process it was forked from)
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
    # The body as Markdown, when the paragraphs are still to be made from it (`resolved`): the build leaves that
    # to the shard's worker, so the main process does not make 10,000 articles' paragraphs one after the other,
    # and a rebuild makes only those of the shards it indexes.
    markdown: str | None = None

    def resolved(self) -> "IndexDocument":
        """The document with its paragraphs made from its Markdown (itself if it has them)."""
        if self.markdown is None:
            return self
        return replace(self, paragraphs=plain_paragraphs(self.markdown), markdown=None)


def plain_paragraphs(markdown_body: str) -> tuple[str, ...]:
    """Markdown body → its paragraphs as plain text (what a reader reads, no markup)."""
    # Each pattern runs only where its text can match (the `in` tests are exact): most bodies are plain.
    text = _MD_IMAGE.sub("", markdown_body) if "![" in markdown_body else markdown_body
    text = _MD_LINK.sub(r"\1", text) if "](" in text else text
    text = _MD_LINE_MARK.sub("", text)
    text = _TAG.sub("", text) if "<" in text else text
    text = _MD_EMPHASIS.sub("", text) if "*" in text or "_" in text or "`" in text else text
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
        path=f"{url}index.html", title=article.title, paragraphs=(), markdown=article.body,
        date=article.date[:10] if article.date else None, source=article.source, filters=tuple(filters))


def render_document(doc: IndexDocument, text: Callable[[str], str] = code_tokens, lang: str = INDEX_LANG) -> str:
    """One index document as HTML. Everything but the tokenized body and title is ignored as text.

    The title comes after the body: an excerpt is cut around the best match, and a body match should
    read as body text, not run on from the headline.
    """
    doc = doc.resolved()
    return document_html(doc, [text(p) for p in doc.paragraphs], text(doc.title), lang=lang)


def document_html(doc: IndexDocument, paragraphs: Sequence[str], title: str, tail: str = "",
                  lang: str = INDEX_LANG) -> str:
    """An index document with the given text of its paragraphs and title (and `tail`, a last paragraph)."""
    e = html.escape
    fields = [f'<span data-pagefind-meta="title">{e(doc.title)}</span>',
              f'<span data-pagefind-sort="date">{doc.date or UNDATED_SORT_KEY}</span>']
    if doc.date:
        fields.append(f'<span data-pagefind-meta="date">{doc.date}</span>')
    if doc.source:
        fields.append(f'<span data-pagefind-meta="source">{e(doc.source)}</span>')
    fields += [f'<span data-pagefind-filter="{name}">{e(value)}</span>' for name, value in doc.filters]
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    after = f"\n<p>{e(tail)}</p>" if tail else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(doc.title)}</title></head>'
            f'<body><main data-pagefind-body><div data-pagefind-ignore>{"".join(fields)}</div>'
            f'{body}\n<h1>{e(title)}</h1>{after}</main></body></html>')


def document_url(doc: IndexDocument) -> str:
    """The URL Pagefind gives a document: "/articles/x/" for articles/x/index.html."""
    return "/" + doc.path.removesuffix("index.html")


def write_documents(docs: Iterable[IndexDocument], folder: Path,
                    text: Callable[[str], str] = code_tokens, lang: str = INDEX_LANG) -> int:
    count = 0
    made: set[Path] = set()
    for doc in docs:
        path = folder / doc.path
        if path.parent not in made:  # one mkdir per folder: most articles have a folder of their own
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(render_document(doc, text, lang), encoding="utf-8")
        count += 1
    return count


def pagefind_binary() -> Path:
    """The Pagefind binary to run: the standard build when installed, else the extended one.

    The documents are already cut into words and say `lang="und"`, so the extended build's Chinese
    segmenter is never used and both builds make the same index at the same cost (docs/search.md).
    `python -m pagefind` would pick the extended build whenever both are installed, so we ask the
    binary packages for their paths.
    """
    try:
        import pagefind_bin
        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):
        import pagefind_bin_extended
        return Path(pagefind_bin_extended.get_executable())


def pagefind_command(documents: Path, bundle: Path) -> list[str]:
    return [str(pagefind_binary()), "--site", str(documents), "--output-path", str(bundle), "--silent"]


def run_pagefind(documents: Path, bundle: Path) -> None:
    try:
        result = subprocess.run(pagefind_command(documents, bundle), capture_output=True, text=True)
    except (ImportError, FileNotFoundError) as error:
        raise SiteGenError(Diagnostic(str(documents), f"Pagefind is not installed: {error}",
                                      hint="`pip install -e .` installs `pagefind[bin]`")) from None
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SiteGenError(Diagnostic(str(documents), f"Pagefind failed (exit {result.returncode}): {message[0]}",
                                      hint="is `pagefind[bin]` installed? `pip install -e .`"))


def shards(docs: list[IndexDocument], size: int) -> list[list[IndexDocument]]:
    """Consecutive slices of at most `size` documents (at least one slice, maybe empty).

    The documents come newest first, so each shard holds one stretch of dates, and an edit to a
    recent article (the usual case) re-indexes a recent shard.
    """
    return [docs[i:i + size] for i in range(0, len(docs), size)] or [[]]


# What an archive without articles indexes: Pagefind refuses a folder without pages. Its one word, "_",
# is never searched (search.js treats it as punctuation), and it has no filters (the page searches
# without words only with a filter), so no search finds it.
PLACEHOLDER = IndexDocument(path="search/none/index.html", title="", paragraphs=("_",), date=None, source=None,
                            filters=())


def index_shard(docs: list[IndexDocument], folder: Path, phrases: tuple[str, ...] = ()) -> None:
    """One shard, the prepared shard the merge reads, in `folder`: written by site_gen/search_shard.py when
    every field is plain (`plain_fields`), else Pagefind indexes the documents without their code words (the
    *rest* documents, written into a temporary folder) and site_gen/search_index.py adds the code words.

    A pure function of its arguments, run in a process of its own: two shards use both cores.
    """
    docs = [doc.resolved() for doc in docs] or [PLACEHOLDER]
    tokens = ShardTokens([(doc.paragraphs, doc.title) for doc in docs])
    if all(plain_fields(doc) for doc in docs):  # the usual shard: written by site_gen/search_shard.py
        write_shard(folder, docs, [document_url(doc) for doc in docs], tokens, phrases, run_pagefind,
                    UNDATED_SORT_KEY)
        return
    with tempfile.TemporaryDirectory(prefix="site-gen-search-") as tmp:
        made: set[Path] = set()
        for doc, (blocks, _positions) in zip(docs, tokens.rest):
            path = Path(tmp) / doc.path
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            *paragraphs, title, tail = (" ".join(block) for block in blocks)
            path.write_text(document_html(doc, paragraphs, title, tail), encoding="utf-8")
        run_pagefind(Path(tmp), folder)
    complete_shard(folder, tokens, [document_url(doc) for doc in docs], phrases)


def search_phrases(names: Iterable[str]) -> tuple[str, ...]:
    """The names (zones, regions) a phrase companion may stand for: folded, Han characters only, at least
    two; sorted. A long name of common pairs (太原经济技术开发区: 经济, 技术, 开发 are in most articles)
    costs a reader the positions of every pair; its companion lists its pages (search_merge.py)."""
    folded = {fold(name) for name in names}
    return tuple(sorted(name for name in folded if _HAN_NAME.fullmatch(name)))


_HAN_NAME = re.compile(f"[{HAN}]{{2,}}")


def reference_phrases(gazetteer: Gazetteer, regions: RegionTable) -> tuple[str, ...]:
    """search_phrases of the reference data: the generic zone words (开发区, 经济技术开发区 …: what most
    articles hold, and readers search), every zone's name, aliases and former names, and the regions."""
    zones = (name for zone in gazetteer.zones.values() for name in (zone.name, *zone.aliases, *zone.former_names))
    return search_phrases([*GENERIC_ZONE_WORDS, *zones, *regions.regions])


def index_bundle(docs: list[IndexDocument], bundle: Path, shard_size: int | None = None,
                 workers: int | None = None, store: Path | None = None, phrases: tuple[str, ...] = ()) -> list[str]:
    """Index `docs` (newest first) into the bundle folder `bundle`: in shards, merged into one index.

    A shard of SHARD_SIZE articles is indexed per worker (`index_shard`), at most `workers` at a time
    (MAX_INDEX_RUNS, fewer on fewer CPUs). The prepared shards are kept in `store` by their key
    (`shard_key`), so the next build re-indexes only the shards whose articles changed; without a store
    they are temporary.
    `phrases` (search_phrases): the names that may get a phrase companion; returns those that got one.
    """
    if store is None:
        with tempfile.TemporaryDirectory(prefix="site-gen-shards-") as tmp:
            return index_bundle(docs, bundle, shard_size, workers, Path(tmp), phrases)
    parts = shards(docs, shard_size or SHARD_SIZE)
    available = usable_cpus()
    # Memory bounds this too: each worker holds ~0.3 GB of its own, so at most MAX_INDEX_RUNS at a time.
    workers = max(1, workers or min(MAX_INDEX_RUNS, available))
    keys = [shard_key(part, phrases) for part in parts]
    store.mkdir(parents=True, exist_ok=True)
    # Builds into different output folders share the store: one at a time, or one would remove the
    # shards the other is making or merging.
    with open(store / ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _index_with_store(docs, bundle, parts, keys, workers, store, phrases)


def _index_with_store(docs: list[IndexDocument], bundle: Path, parts: list[list[IndexDocument]], keys: list[str],
                      workers: int, store: Path, phrases: tuple[str, ...]) -> list[str]:
    todo = [n for n, key in enumerate(keys) if not (store / key / PREPARED).is_file()]
    for n in todo:
        shutil.rmtree(store / keys[n], ignore_errors=True)  # what a killed build left half made
    jobs = min(workers, len(todo)) or 1
    if todo:
        prepare_process(phrases)
        pagefind_binary()  # imports the binary's package
    if jobs == 1:
        for n in todo:
            _index_into_store(parts[n], store / keys[n], phrases)
    else:
        with fork_pool(jobs) as pool:
            for done in [pool.submit(_index_into_store, parts[n], store / keys[n], phrases) for n in todo]:
                done.result()
    dates = {document_url(doc): doc.date or UNDATED_SORT_KEY for doc in [*docs, PLACEHOLDER]}
    companions = merge_shards([store / key for key in keys], bundle, dates.__getitem__, workers=workers)
    for old in store.iterdir():  # shards of articles that changed since
        if old.is_dir() and old.name not in keys:
            shutil.rmtree(old, ignore_errors=True)
    return companions


PREPARED = "site-gen-prepared"  # written last into a shard's folder in the store: the shard is complete


def _index_into_store(docs: list[IndexDocument], folder: Path, phrases: tuple[str, ...] = ()) -> None:
    index_shard(docs, folder, phrases)
    (folder / PREPARED).write_text("", encoding="utf-8")


def shard_key(docs: list[IndexDocument], phrases: tuple[str, ...] = ()) -> str:
    """What a shard is made of: the indexer's code, its documents in order, and the phrases it looks for
    (from the reference data, so they change with it, not with the articles)."""
    from site_gen.cache import code_key

    digest = hashlib.sha256(f"{code_key()}\0{len(docs)}\0{chr(1).join(phrases)}\0".encode("utf-8"))
    update = digest.update
    for doc in docs:  # every field: a text as its bytes, anything else as its repr (repr of the Markdown: 0.23 s at 10k)
        for value in (getattr(doc, name) for name in _DOC_FIELDS):
            if isinstance(value, str):
                update(b"s")
                update(value.encode("utf-8", "surrogatepass"))
            else:
                update(b"r")
                update(repr(value).encode("utf-8", "surrogatepass"))
            update(b"\0")
    return digest.hexdigest()[:32]


_DOC_FIELDS = tuple(field.name for field in fields(IndexDocument))


def index_site(site: Path, model: SiteModel, store: Path | None = None, phrases: tuple[str, ...] = ()) -> int:
    """Index the model's articles into `site/pagefind/`, keeping the prepared shards in `store` (reused
    where unchanged, `index_bundle`); `phrases`: search_phrases of the reference data's names.
    Returns the number of articles indexed."""
    docs = list(index_documents(model))
    companions = index_bundle(docs, site / "pagefind", store=store, phrases=phrases)
    (site / "search").mkdir(exist_ok=True)
    (site / "search" / "query.json").write_text(query_json(phrases=companions), encoding="utf-8")
    return len(docs)
