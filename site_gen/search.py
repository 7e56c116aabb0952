"""Search indexing: a Pagefind index of the articles, one word per pair of Han characters.

Input: the site model and the staged output folder. Output: `pagefind/` (the bundle) and
`search/query.json` (the word scheme, the Traditional → Simplified character map the search page
prepares queries with, and the shards to merge) inside the staged folder.

Pagefind does not read the rendered pages. For each article we write a small index document into a
temporary folder, at the article's own path (so Pagefind's URLs are the article URLs): its title and
body as pair words (site_gen/search_text.py says why), the title, date and source as metadata,
the date as the sort key and zone, city, category, source and year as filters. Nothing else of the
site is indexed, so bylines, navigation and related-article teasers never reach an excerpt, and the
indexer's memory and time grow only with the articles.

The articles are indexed in shards of SHARD_SIZE, newest first, each shard by one run of the
binary over a folder of documents (per-file API calls are far slower, pagefind#976), two runs at a
time on two cores: Pagefind's memory grows with the words it holds (pagefind#842), so shards keep each
run near 0.4 GB and a 100k-article archive as cheap per shard as a 1k one. Shard 0 is the bundle
itself; the others (`pagefind/s1/`, …) hold only their index, and the search page merges them with
`pagefind.mergeIndex()` (search/query.json lists them). Spaces already separate the words and the
documents say `lang="und"`, so the standard binary does the job (`pagefind_binary`).
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from site_gen.article import Article
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.model import SiteModel
from site_gen.output import die_with_parent, link_or_copy, link_tree
from site_gen.search_canonical import canonicalize_bundle
from site_gen.search_chunks import rechunk_bundle
from site_gen.search_text import code_tokens, fold, query_json

# Markdown syntax that is not text: images, link targets, emphasis and heading/list/quote markers.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_LINE_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_TAG = re.compile(r"<[^>]+>")

# "und" (undetermined): the words are already cut, so neither the extended indexer nor the browser
# (Intl.Segmenter, for zh) may cut them again; the search page gets this index as the only language.
INDEX_LANG = "und"
# Articles per Pagefind run: a run over 500 of the benchmark's articles holds 365 MiB and takes 2.2 s
# (1,000: 715 MiB, 4.1 s), so two runs side by side and the build itself stay under 2 GB at 10k (1,000:
# 2.5 GB); a query reads one chunk per word and shard, so fewer, larger shards would cost a reader less (median 134 KiB at 1,000, 220 KiB at 500; docs/search.md).
SHARD_SIZE = 500
MAX_INDEX_RUNS = 2  # Pagefind runs at a time
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


def render_document(doc: IndexDocument, text: Callable[[str], str] = code_tokens, lang: str = INDEX_LANG) -> str:
    """One index document as HTML. Everything but the tokenized body and title is ignored as text.

    The title comes after the body: an excerpt is cut around the best match, and a body match should
    read as body text, not run on from the headline.
    """
    e = html.escape
    fields = [f'<span data-pagefind-meta="title">{e(doc.title)}</span>',
              f'<span data-pagefind-sort="date">{SENTINEL_SORT_KEY if doc == SENTINEL else doc.date or UNDATED_SORT_KEY}</span>']
    if doc.date:
        fields.append(f'<span data-pagefind-meta="date">{doc.date}</span>')
    if doc.source:
        fields.append(f'<span data-pagefind-meta="source">{e(doc.source)}</span>')
    fields += [f'<span data-pagefind-filter="{name}">{e(value)}</span>' for name, value in doc.filters]
    body = "\n".join(f"<p>{e(text(p))}</p>" for p in doc.paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(doc.title)}</title></head>'
            f'<body><main data-pagefind-body><div data-pagefind-ignore>{"".join(fields)}</div>'
            f'{body}\n<h1>{e(text(doc.title))}</h1></main></body></html>')


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

    The documents come newest first, so each shard holds one stretch of dates: the search page
    orders date-sorted results shard by shard (search.js), which only works for such stretches.
    """
    return [docs[i:i + size] for i in range(0, len(docs), size)] or [[]]


def shard_path(number: int) -> str:
    """Where shard `number` lives below the bundle: shard 0 is the bundle itself (the page loads it)."""
    return "" if number == 0 else f"s{number}/"


# What the page needs of a shard it merges: the primary bundle (shard 0) brings the code and the
# WebAssembly, and Pagefind's merged indexes reuse them.
_SHARD_KEEP = ("pagefind-entry.json", ".pf_meta")


# One document per shard that sorts after every article: search.js reads a date-sorted result's shard
# from its score (a rank times the shard's tag), and Pagefind gives the last page of a shard's
# newest-first order rank 0, which carries no tag (oldest first, ranks are negative and never 0).
# Its one word, "_", is never searched (search.js treats it as punctuation) and it has no filters
# (the page searches without words only with a filter), so no search finds it. Pagefind skips a
# document without words.
SENTINEL = IndexDocument(path="search/last/index.html", title="", paragraphs=("_",), date=None, source=None,
                         filters=())
SENTINEL_SORT_KEY = "0000-00-0"  # before UNDATED_SORT_KEY


def index_shard(docs: list[IndexDocument], bundle: Path, primary: bool) -> None:
    """One shard: write its documents into a temporary folder and run Pagefind over it into `bundle`.

    A pure function of its arguments, run in a process of its own: tokenizing is Python work and the
    Pagefind run that follows waits on a subprocess, so two shards use both cores.
    """
    with tempfile.TemporaryDirectory(prefix="site-gen-search-") as tmp:
        write_documents([*docs, SENTINEL], Path(tmp))
        run_pagefind(Path(tmp), bundle)
    # Small index chunks: a query downloads little more than its own words (search_chunks.py).
    # Only which characters a text holds matters there: fold the set of its characters, not the whole text.
    rechunk_bundle(bundle, {document_url(doc): fold("".join({*doc.title, *"".join(doc.paragraphs)}))
                            for doc in [*docs, SENTINEL]})
    canonicalize_bundle(bundle)  # Pagefind orders filter values at random (search_canonical.py)
    if not primary:
        for path in bundle.iterdir():
            if path.is_file() and not path.name.endswith(_SHARD_KEEP):
                path.unlink()


def index_bundle(docs: list[IndexDocument], bundle: Path, shard_size: int | None = None,
                 workers: int | None = None, previous: Path | None = None) -> list[str]:
    """Index `docs` (newest first) into `bundle` in shards; returns the merged shards' paths below it.

    Pagefind's memory grows with the words it holds (about 0.7 GB per 1,000 articles here), so a
    shard of SHARD_SIZE articles is indexed per run, at most `workers` runs at a time (MAX_INDEX_RUNS, fewer on fewer CPUs).
    """
    size = shard_size or SHARD_SIZE
    parts = shards(docs, size)
    # Memory, not CPUs, bounds this: each run holds ~0.4 GB, so at most MAX_INDEX_RUNS at a time.
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = max(1, min(workers or min(MAX_INDEX_RUNS, available), len(parts)))
    targets = [bundle / shard_path(n) for n in range(len(parts))]
    keys = {shard_path(n) or "0": shard_key(part, n == 0) for n, part in enumerate(parts)}
    reused = reuse_shards(previous, bundle, keys) if previous is not None else set()
    todo = [n for n in range(len(parts)) if (shard_path(n) or "0") not in reused]
    workers = max(1, min(workers, len(todo) or 1))
    if workers == 1:
        for n in todo:
            index_shard(parts[n], targets[n], n == 0)
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            for done in [pool.submit(index_shard, parts[n], targets[n], n == 0) for n in todo]:
                done.result()
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / SHARD_KEYS).write_text(json.dumps(keys, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return [shard_path(n) for n in range(1, len(parts))]


# Which documents (and which indexer) made each shard: an edit to one article re-indexes only its shard
# (the others are linked from the previous bundle), so a one-article edit costs one Pagefind run, not ten.
SHARD_KEYS = "shard-keys.json"


def shard_key(docs: list[IndexDocument], primary: bool) -> str:
    from site_gen.cache import code_key

    digest = hashlib.sha256(f"{code_key()}\0{primary}\0".encode("utf-8"))
    for doc in [*docs, SENTINEL]:
        digest.update(repr(doc).encode("utf-8"))  # the document's fields; rendering it would tokenize it twice
        digest.update(b"\0")
    return digest.hexdigest()


def reuse_shards(previous: Path, bundle: Path, keys: dict[str, str]) -> set[str]:
    """Link the previous bundle's shards whose key is unchanged into `bundle`; returns their names."""
    try:
        old = json.loads((previous / SHARD_KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    reused = set()
    for name, key in keys.items():
        if old.get(name) != key:
            continue
        if name == "0":  # the bundle's own files and index folders, not the other shards' folders
            for path in previous.iterdir():
                if path.is_dir() and re.fullmatch(r"s\d+", path.name):
                    continue
                if path.is_dir():
                    link_tree(path, bundle / path.name)
                elif path.name != SHARD_KEYS:
                    bundle.mkdir(parents=True, exist_ok=True)
                    link_or_copy(path, bundle / path.name)
        elif (previous / name).is_dir():
            link_tree(previous / name, bundle / name)
        else:
            continue
        reused.add(name)
    return reused


def index_site(site: Path, model: SiteModel, previous: Path | None = None) -> int:
    """Index the model's articles into `site/pagefind/`, reusing the unchanged shards of the `previous`
    bundle when given; returns the number of articles indexed."""
    docs = list(index_documents(model))
    merged = index_bundle(docs, site / "pagefind", previous=previous)
    (site / "search").mkdir(exist_ok=True)
    (site / "search" / "query.json").write_text(query_json(shards=merged), encoding="utf-8")
    return len(docs)
