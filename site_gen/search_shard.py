"""A search shard written by site_gen itself; Pagefind runs only to learn how it reads the shard's few other words.

Input: a shard's documents (site_gen.search.IndexDocument), their URLs and their tokens
(site_gen/search_index.py `ShardTokens`). Output: the prepared shard the merge reads (search_merge.PreparedShard),
with the fragments, filter files, date sort, meta and entry file in Pagefind's format (`write_shard`).

Why: Pagefind read each shard's rest documents (the documents without their code words) for their fields and
their few other words: 0.36-0.38 s of CPU per shard of 500, beside writing those 500 documents and reading
back, decoding and remapping what it wrote. A shard of the build benchmark has ~72,000 such tokens but only
~900 distinct ones, and the fields are a handful of spans per document.

How:
- The fields: a fragment is the document's URL, content, word count, filters (by name, in document order),
  meta (title, date, source) and no anchors, as Pagefind writes them; the filter files list each value's
  pages, and the date sort orders the pages by date (stable). Pagefind trims and collapses some whitespace
  in a span and drops an empty one, so a shard takes this path only when every value is *plain*
  (`plain_fields`: none of that applies); any other shard goes the Pagefind way (site_gen/search.py).
- The words: each distinct token Pagefind reads (a "z" word, or punctuation it may index) is written twice in
  one block of a learning document, once inside the block and once at its end, where Pagefind reads it with
  the "." it writes after a block's last word. One Pagefind run over that document (0.03 s) tells which
  words, and accented variants, each token gives in either place, with what weight (a part cut out of a word
  at a change of case weighs half), and whether it gets the "."; each such token of the shard then gives
  those words at its own position, kept only where its document holds the word (search_merge._own_entry's
  rule), a page's locations listed weight by weight as Pagefind lists them. The run's bundle gives the shard Pagefind's code and entry file.
tests/test_search_merge.py and tests/test_search_shard.py (a seeded fuzz test) check both ways against each other
and against one Pagefind run over the whole documents.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from site_gen.search_canonical import format_error, short_name, write_meta, write_pagefind_file
from site_gen.search_chunks import _word_entries
from site_gen.search_index import BODY_MARK, TAIL, TITLE_MARK, ShardTokens, code_runs, entry_runs, stable_order
from site_gen.search_merge import PreparedShard, _decoded_entry, bucket_of, chunk_files, shard_pages, write_filters
from site_gen.search_text import LATIN_MARK

if TYPE_CHECKING:
    from site_gen.search import IndexDocument

LEARNING_PAGE = "site-gen-learn/index.html"
# Whitespace Pagefind would trim, collapse or keep, told apart only by trying: a value with any of it is not plain.
_NOT_PLAIN = re.compile(r"^ | $|  |[^\S ]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# (word, the accented variant it is indexed as or None, its weight marker in a <p>: BODY_MARK, or half of it for
# a part Pagefind cuts out of a word at a change of case, "ziPhone" → "zi", "phone")
Forms = list[tuple[str, "str | None", int]]


def plain_fields(doc: IndexDocument) -> bool:
    """Whether Pagefind would read every field of the document as it is written: each value non-empty without
    leading, trailing, doubled or other than " " whitespace, no filter value twice, the date as YYYY-MM-DD."""
    values = [doc.title, *(value for _name, value in doc.filters), *([doc.source] if doc.source else [])]
    return (all(value and not _NOT_PLAIN.search(value) for value in values)
            and len(set(doc.filters)) == len(doc.filters)
            and (doc.date is None or _DATE.fullmatch(doc.date) is not None))


def write_shard(folder: Path, docs: Sequence[IndexDocument], urls: Sequence[str], tokens: ShardTokens,
                phrases: Sequence[str], run_pagefind: Callable[[Path, Path], None], sort_default: str) -> None:
    """Write the prepared shard of `docs` (plain_fields all, page n being docs[n], at urls[n]) into `folder`
    (new). `run_pagefind(site, bundle)`: the indexer; `sort_default`: the date sort key of an undated document."""
    kept, written = tokens.kept_tokens()
    ids: dict[str, int] = {}
    token_ids = [ids.setdefault(token, len(ids)) for token in written]
    forms, dotted_end, language, version = _learn(list(ids), folder, run_pagefind)

    block = tokens.block[kept]
    at_end = (tokens.block_last[block] == kept).tolist()  # the token ends its block
    dotted = [b for b, token, end in zip(block.tolist(), token_ids, at_end) if end and dotted_end[token]]
    contents = tokens.contents(dotted)
    pages, taken = [], {}
    for doc, url, content, count in zip(docs, urls, contents, tokens.counts.tolist()):
        payload = json.dumps(_fragment(doc, url, content, count), ensure_ascii=False,
                             separators=(",", ":")).encode("utf-8")
        name = short_name(language, payload, taken)
        taken[name] = payload
        write_pagefind_file(folder / "fragment" / f"{name}.pf_fragment", payload)
        pages.append([name, count])

    order = list(range(len(docs)))
    prepared = PreparedShard(phrases)
    for run in code_runs(tokens, order):
        prepared.add_run(*run)
    _word_items(tokens, kept, token_ids, ids, at_end, forms, prepared)
    prepared.write(folder, list(urls), tokens.characters(order), tokens.phrase_pages(order, phrases))

    fields = sorted({name for doc in docs for name in _meta(doc)})
    dates = [doc.date or sort_default for doc in docs]
    meta = [version, pages, [], _filters(folder, docs, language), [["date", sorted(order, key=dates.__getitem__)]],
            fields]
    _write_entry(folder, language, write_meta(folder, language, meta), len(docs))


def _learn(distinct: list[str], folder: Path, run_pagefind: Callable[[Path, Path], None]) \
        -> tuple[list[tuple[Forms, Forms]], list[bool], str, str]:
    """For each distinct token: its words (each with its variant and weight, `Forms`) inside a block and at a
    block's end, and whether Pagefind writes a "." after it at a block's end; the bundle's language and Pagefind's version. The bundle Pagefind makes of the
    learning document is left in `folder` without its pages, words, filters and meta: Pagefind's code and
    entry file."""
    with tempfile.TemporaryDirectory(prefix="site-gen-learn-") as tmp:
        page = Path(tmp) / LEARNING_PAGE
        page.parent.mkdir(parents=True)
        # The TAIL block: Pagefind leaves out a page without a word.
        blocks = "".join(f"<p>{html.escape(token)} {html.escape(token)}</p>\n" for token in distinct)
        page.write_text('<!doctype html><html lang="und"><head><meta charset="utf-8"><title></title></head>'
                        f'<body><main data-pagefind-body>{blocks}<p>{TAIL}</p></main></body></html>', encoding="utf-8")
        run_pagefind(Path(tmp), folder)
    meta_hash, meta, fragments = shard_pages(folder)
    path = folder / "fragment" / f"{meta[1][0][0] if meta[1] else '?'}.pf_fragment"
    if [fragment.get("url") for fragment in fragments] != ["/" + LEARNING_PAGE.removesuffix("index.html")]:
        raise format_error(path, f"the pages {[fragment.get('url') for fragment in fragments]} where the learning "
                                 "document is the only one")
    written = fragments[0].get("content", "").split()
    if fragments[0].get("word_count") != 2 * len(distinct) + 1 or len(written) != 2 * len(distinct) + 1:
        raise format_error(path, f"Pagefind read {fragments[0].get('word_count')} words of a learning document of "
                                 f"{2 * len(distinct) + 1} tokens")
    dotted = []
    for number, token in enumerate(distinct):
        inside, end = written[2 * number:2 * number + 2]
        if inside != token or end not in (token, token + "."):
            raise format_error(path, f"the content has {inside!r} {end!r} where the document has {token!r} twice")
        dotted.append(end != token)
    forms: list[tuple[Forms, Forms]] = [([], []) for _ in distinct]
    for chunk in chunk_files(folder, meta):
        for word, data in _word_entries(chunk):
            _word, postings, variants = _decoded_entry(word, data, chunk)
            for variant, variant_postings in [(None, postings), *variants]:
                for position, weight in _positions(variant_postings):
                    number, end = divmod(position, 2)
                    if number < len(distinct):  # else the TAIL
                        forms[number][end].append((word, variant, weight))
    for part in ("fragment", "index", "filter"):
        shutil.rmtree(folder / part, ignore_errors=True)
        (folder / part).mkdir()
    (folder / f"pagefind.{meta_hash}.pf_meta").unlink()
    return forms, dotted, meta_hash.rpartition("_")[0], meta[0]


def _positions(postings: list) -> list[tuple[int, int]]:
    """The (position, weight marker) of a decoded entry's postings: after each marker -(weight + 1), the first
    position as it is, the others as differences from the one before."""
    out = []
    for _difference, locs, _meta_locs in postings:
        at = weight = 0
        for loc in locs:
            if loc < 0:
                at, weight = 0, -loc - 1
                continue
            at += loc
            out.append((at, weight))
    return out


def _word_items(tokens: ShardTokens, kept: np.ndarray, token_ids: list[int], ids: dict[str, int], at_end: list[bool],
                forms: list[tuple[Forms, Forms]], prepared: PreparedShard) -> None:
    """Add every word the kept tokens give to `prepared`: each on the pages whose document holds it (the word
    itself, or any "z" word), with its weight there (its learnt weight in a <p>, times 7 in the title). A word
    with accented variants is added as a decoded entry [word, postings, [[variant, postings], …]]; the others'
    entries are written by numpy (`entry_runs`)."""
    number: dict[tuple[str, str | None], int] = {}  # (word, variant) → its number, in word order
    for pair in sorted({(word, variant) for both in forms for group in both for word, variant, _weight in group},
                       key=lambda pair: (pair[0], pair[1] is not None, pair[1] or "")):
        number[pair] = len(number)
    pairs = list(number)
    starts, flat, weights = [0], [], []  # token t inside a block gives flat[starts[2t]:starts[2t + 1]]
    for both in forms:
        for group in both:
            flat += [number[(word, variant)] for word, variant, _weight in group]
            weights += [weight for _word, _variant, weight in group]
            starts.append(len(flat))
    first = np.asarray(starts, np.int64)
    key = 2 * np.asarray(token_ids, np.int64) + np.asarray(at_end, np.int64)
    count = first[key + 1] - first[key]
    row = np.repeat(np.arange(len(key)), count)  # each word of each kept token: the token's row
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    given = first[key][row] + within
    pair, weight = np.asarray(flat, np.int64)[given], np.asarray(weights, np.int64)[given]
    page = tokens.doc[kept][row]
    # Kept where the document holds the word it is shown as: a "z" word, or one of the document's own tokens.
    shown = np.array([-1 if (variant or word).startswith(LATIN_MARK) else ids.get(variant or word, -2)
                      for word, variant in pairs] or [0], np.int64)[pair]
    held = np.unique(tokens.doc[kept] * len(ids) + np.asarray(token_ids, np.int64))
    keep = (shown == -1) | ((shown >= 0) & np.isin(page * len(ids) + shown, held))
    pair, page, row, weight = pair[keep], page[keep], row[keep], weight[keep]
    position = tokens.position[kept][row]
    weight = np.where(tokens.title[kept][row], weight * TITLE_MARK // BODY_MARK, weight)
    # A page's locations in weight order, then text order, as Pagefind lists them.
    order = stable_order(position, weight, page)
    pair, page, position, weight = pair[order], page[order], position[order], weight[order]

    varied = {pairs[n][0] for n in np.unique(pair).tolist() if pairs[n][1] is not None}
    side = np.array([word in varied for word, _variant in pairs] or [False])[pair]
    found: dict[tuple[str, str | None], list[tuple[int, int, int]]] = defaultdict(list)
    for n, at, place, mark in zip(pair[side].tolist(), page[side].tolist(), position[side].tolist(),
                                  weight[side].tolist()):
        found[pairs[n]].append((at, place, mark))  # in page, weight and position order
    entries: dict[str, tuple[list, dict[str, list]]] = {}
    for (word, variant), places in found.items():
        main, variants = entries.setdefault(word, ([], {}))
        if variant is None:
            main += _postings(places)
        else:
            variants[variant] = _postings(places)
    for word, (main, variants) in sorted(entries.items()):
        prepared.add_item(word, [word, main, [[variant, variants[variant]] for variant in sorted(variants)]])
    plain = ~side
    for run in entry_runs(pair[plain], page[plain], position[plain], weight[plain], len(tokens.counts),
                          lambda numbers: [pairs[n][0] for n in numbers.tolist()],
                          lambda _numbers, texts: np.array([bucket_of(text) for text in texts], np.int64)):
        prepared.add_run(*run)


def _postings(places: list[tuple[int, int, int]]) -> list[list]:
    """[page difference, locs, []] per page of (page, position, weight marker) in page, weight and position order:
    a marker -(weight + 1) where each run of one weight starts, its first position as it is, the others as
    differences."""
    out, previous = [], 0
    for page, group in itertools.groupby(places, key=itemgetter(0)):
        locs: list[int] = []
        weight, was = None, 0
        for _page, position, mark in group:
            if mark != weight:
                locs.append(-(mark + 1))
                weight, was = mark, 0
            locs.append(position - was)
            was = position
        out.append([page - previous, locs, []])
        previous = page
    return out


def _meta(doc: IndexDocument) -> dict[str, str]:
    meta = {"title": doc.title}
    if doc.date:
        meta["date"] = doc.date
    if doc.source:
        meta["source"] = doc.source
    return {name: meta[name] for name in sorted(meta)}


def _fragment(doc: IndexDocument, url: str, content: str, word_count: int) -> dict:
    """The fragment Pagefind writes of the document (its keys in Pagefind's order)."""
    filters: dict[str, list[str]] = {}
    for name, value in doc.filters:
        filters.setdefault(name, []).append(value)
    return {"url": url, "content": content, "word_count": word_count,
            "filters": {name: filters[name] for name in sorted(filters)}, "meta": _meta(doc), "anchors": []}


def _filters(folder: Path, docs: Sequence[IndexDocument], language: str) -> list[list[str]]:
    """Write each filter's file (search_merge.write_filters) and list them."""
    values: dict[str, dict[str, list[int]]] = {}
    for page, doc in enumerate(docs):
        for name, value in doc.filters:
            values.setdefault(name, {}).setdefault(value, []).append(page)
    return write_filters(folder, values, language)


def _write_entry(folder: Path, language: str, meta_hash: str, page_count: int) -> None:
    path = folder / "pagefind-entry.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["languages"] = {language: {**entry["languages"][language], "hash": meta_hash, "page_count": page_count}}
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
