"""One index from many: the shards Pagefind indexed one run at a time, merged into the bundle the page loads.

Why: Pagefind's memory grows with the words one run holds, so the articles are indexed in shards
(site_gen/search.py). Searching the shards side by side (`pagefind.mergeIndex()`) made every query load one
index chunk per word *and shard*: 20 chunks for a rare word at 10,000 articles, and opening the page
loaded 20 metas. Merged, a word is one entry in one chunk, the page opens one meta, and Pagefind's own
date sort and filter counts span the whole archive.

How: Pagefind writes a word's postings as [word, [[page difference, locs, meta locs], …], []]: page
numbers are differences from the previous posting's, so a shard's postings keep their bytes in the
merged entry, all but the first difference, which becomes the distance from the previous shard's last
page. A prepared shard keeps each entry's page count, first and last page beside its bytes, so the merge
never decodes the millions of postings. Entries of another shape (an accented word's variants) are kept
decoded and rebuilt (`_rebuilt_entry`).

Steps:
- A prepared shard (`PreparedShard`, in the shard's worker, filled by site_gen/search_index.py: its code
  words, and Pagefind's other words kept only on the pages whose text holds them, `_own_entry`): the
  entries, in one file per bucket of words (by first character), and which pages hold each Han character
  and each phrase (for the companion words of search_chunks.py and `_phrase_companions`).
- `merge_shards`: pages, fragments, filters and the date sort concatenated with each shard's page
  offset; each bucket's words merged and cut into small chunks (search_chunks.py) in a pool of
  processes; one meta and `pagefind-entry.json`.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import heapq
import json
import os
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from array import array
from dataclasses import dataclass
from pathlib import Path

import cbor2

from site_gen.output import fork_pool, link_or_copy
from site_gen.search_canonical import (format_error, read_pagefind_file, short_name, write_index_chunk, write_meta,
                                       write_pagefind_file)
from site_gen import search_chunks
from site_gen.search_chunks import Companions, _array_header, companion_entry, _cut, _groups, _header, read_fragment
from site_gen.search_text import han_code

_META_PAGES, _META_CHUNKS, _META_FILTERS, _META_SORTS = 1, 2, 3, 4
WORDS_FILE = "site-gen-words-{}.pickle"  # one per bucket, in a prepared shard
CHARACTERS_FILE = "site-gen-characters.pickle"
PHRASES_FILE = "site-gen-phrases.pickle"  # phrase → (its pair words' entry bytes, its pages) in the shard
# A phrase whose pair words' entries hold more than this many bytes (raw CBOR, about half of it gzipped)
# is searched by its companion instead: the list of its pages, without positions.
PHRASE_COMPANION_BYTES = 64_000
PHRASE_MARK = "_"  # a phrase companion is its characters' codes + "_": no word of the text is so, and Pagefind
# keeps "_" in a query's word (it drops "~", and then loads the chunks on both sides of the gap, 开发 among them)
URLS_FILE = "site-gen-urls.json"
# Words are bucketed by their first character, cut at the base-36 digits the codes start with: each
# bucket is one stretch of the words' order, merged on its own.
_BOUNDS = "0123456789abcdefghijklmnopqrstuvwxyz"
BUCKETS = len(_BOUNDS) + 1


def bucket_of(word: str) -> int:
    return bisect.bisect_right(_BOUNDS, word[:1])


@dataclass
class Bucket:
    """One bucket of a shard's word entries, as columns (the merge reads millions of them): each
    entry's word, page count, first and last page (shard-local numbers), and its postings after the
    first page difference, without the entry's closing [] (`blob[ends[i - 1]:ends[i]]`)."""

    words: list[str]
    counts: array
    firsts: array
    lasts: array
    blob: bytes
    ends: array
    # Entries of another shape, decoded: Pagefind's accented variants ("nestle" with its pages of
    # "nestlé": [word, pages, [[variant, pages], …]]), which the merge rebuilds (`_rebuilt_entry`).
    side: dict[str, list]

    def dumps(self) -> bytes:
        columns = ("\n".join(self.words), self.counts.tobytes(), self.firsts.tobytes(), self.lasts.tobytes(),
                   self.blob, self.ends.tobytes(), self.side)
        return pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> "Bucket":
        words, counts, firsts, lasts, blob, ends, side = pickle.loads(data)
        return cls(words.split("\n") if words else [], _ints(counts), _ints(firsts), _ints(lasts), blob, _ints(ends),
                   side)

    def item(self, word: str, position: int) -> list:
        """The entry at `position`, decoded (with the word as its first element)."""
        return self.side[word] if position < 0 else cbor2.loads(self.entry(word, position))

    def entry(self, word: str, position: int) -> bytes:
        """The CBOR of the entry at `position` (not a side entry), as a one-shard merge writes it."""
        start = self.ends[position - 1] if position else 0
        return (b"\x83" + _text(word) + _array_header(self.counts[position]) + b"\x83"
                + _uint(self.firsts[position]) + self.blob[start:self.ends[position]] + b"\x80")


def _ints(data: bytes = b"") -> array:
    column = array("I")
    column.frombytes(data)
    return column


def shard_pages(bundle: Path) -> tuple[str, list, list[dict]]:
    """A Pagefind bundle's meta hash, its meta and its pages' fragments, in the meta's page order."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry.get("languages", {})
    if len(languages) != 1:
        raise format_error(bundle / "pagefind-entry.json", f"{len(languages)} languages, expected one")
    meta_hash = next(iter(languages.values()))["hash"]
    meta = read_pagefind_file(bundle / f"pagefind.{meta_hash}.pf_meta")
    return meta_hash, meta, [read_fragment(bundle / "fragment" / f"{page_hash}.pf_fragment")
                             for page_hash, _word_count in meta[_META_PAGES]]


def chunk_files(bundle: Path, meta: list) -> list[Path]:
    return [bundle / "index" / f"{chunk_hash}.pf_index" for _f, _t, chunk_hash in meta[_META_CHUNKS]]


class PreparedShard:
    """A shard's word entries as the merge reads them (`Bucket`s), collected entry by entry or a bucket's
    run at a time, and written with the files the companion words need (`write`)."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = phrases
        self.buckets = [Bucket([], _ints(), _ints(), _ints(), b"", _ints(), {}) for _ in range(BUCKETS)]
        self.pieces: list[list[bytes]] = [[] for _ in range(BUCKETS)]
        self.sizes = [0] * BUCKETS

    def add_item(self, word: str, item: list) -> None:
        """A decoded entry [word, [[page difference, locs, []], …], variants]; one of another shape (accented
        variants) is kept decoded (`Bucket.side`)."""
        bucket = self.buckets[bucket_of(word)]
        if item[2] or not item[1]:
            bucket.side[word] = item
            return
        data = cbor2.dumps(item)
        head = _entry_head(word, data)
        assert head is not None  # [word, [[page, locs, []], …], []] with at least one page
        count, first, after = head
        self.add_run(bucket_of(word), [word], [count], [first], [sum(posting[0] for posting in item[1])],
                     data[after:-1], [len(data) - after - 1])

    def add_run(self, number: int, words: list[str], counts: Sequence[int], firsts: Sequence[int],
                lasts: Sequence[int], blob: bytes, ends: Sequence[int]) -> None:
        """Entries of bucket `number` in `Bucket`'s columns (`ends`: within `blob`)."""
        bucket, base = self.buckets[number], self.sizes[number]
        bucket.words += words
        bucket.counts.extend(counts)
        bucket.firsts.extend(firsts)
        bucket.lasts.extend(lasts)
        bucket.ends.extend(ends if not base else [base + end for end in ends])
        self.pieces[number].append(blob)
        self.sizes[number] += len(blob)

    def write(self, bundle: Path, urls: list[str], characters: Mapping[str, list[int]],
              phrase_pages: Mapping[str, list[int]]) -> None:
        """The buckets, each Han character's pages and each phrase's pages (for the companions), each phrase's
        pair words' bytes, the URLs."""
        for number, bucket in enumerate(self.buckets):
            bucket.blob = b"".join(self.pieces[number])
            (bundle / WORDS_FILE.format(number)).write_bytes(bucket.dumps())
        _dump(bundle / CHARACTERS_FILE, dict(characters))
        (bundle / URLS_FILE).write_text(json.dumps(urls, ensure_ascii=False), encoding="utf-8")
        sizes = self._entry_sizes({word for phrase in self.phrases for word in pair_codes(phrase)})
        _dump(bundle / PHRASES_FILE, {phrase: (sum(sizes.get(w, 0) for w in pair_codes(phrase)), phrase_pages.get(phrase, []))
                                      for phrase in self.phrases})

    def _entry_sizes(self, words: set[str]) -> dict[str, int]:
        """The bytes the merge writes of each of `words`' entries in this shard (the words it has)."""
        sizes = {}
        for number in sorted({bucket_of(word) for word in words}):
            bucket = self.buckets[number]
            sizes.update({word: len(bucket.entry(word, position)) for position, word in enumerate(bucket.words)
                          if word in words})
            sizes.update({word: len(cbor2.dumps(item)) for word, item in bucket.side.items() if word in words})
        return sizes


def _entry_head(word: str, data: bytes) -> tuple[int, int, int] | None:
    """An entry's page count, first page difference and where its postings go on after it, if it reads
    as [word, [[page, locs, meta locs], …], []] in CBOR with at least one page; else None (decode it)."""
    try:
        _major, length, pos = _header(data, 1)  # data[0] is the entry's array of three, then the word
        major, count, pos = _header(data, pos + length)
        if major != 4 or count == 0 or data[pos] != 0x83 or data[-1] != 0x80:
            return None
        major, first, after = _header(data, pos + 1)
    except (ValueError, IndexError):
        return None
    return (count, first, after) if major == 0 else None


def _decoded_entry(word: str, data: bytes, path: Path) -> list:
    try:
        item = cbor2.loads(data)
    except cbor2.CBORDecodeError as error:
        raise format_error(path, f"the entry of {word!r}: {error}") from None
    if not (isinstance(item, list) and len(item) == 3 and item[0] == word and _postings(item[1])
            and isinstance(item[2], list)
            and all(isinstance(v, list) and len(v) == 2 and _postings(v[1]) for v in item[2])):
        raise format_error(path, f"the entry of {word!r} is not [word, [[page, locs, meta locs], …], variants]")
    return item


def _postings(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 3 and isinstance(p[0], int) and p[0] >= 0 and isinstance(p[1], list)
        and isinstance(p[2], list) for p in value)


def _own_entry(item: list, holds: Callable[[str, int], bool]) -> list | None:
    """A decoded entry with only the pages whose document was written with the word (`holds`), without
    metadata positions; None when no page is left.

    Pagefind indexes more than the words of the text. The metadata fields (title, date, source) give
    "2020", "01", a title's Chinese cut at its punctuation and its Latin words, at metadata positions; and
    it cuts a word at a change of case, so "zGDP" also puts "gdp" at that position. No query asks for
    those words (queries are codes and "z" words), but a one-character query is a prefix search: 蜭
    (code "gdp") would find every article with "GDP" in its title or text. Such postings are dropped.
    A "z" word is always kept: no "z" word can start a code, and the documents write theirs with their case
    ("zGDP"), which Pagefind folds in ways Python's lower() and \\w do not all match (superscript digits,
    circled numbers), so dropping one could lose a real result (docs/search.md).
    """
    word, postings, variants = item
    kept = [[variant, pages] for variant, pages in ((v, _own_postings(v, p, holds)) for v, p in variants) if pages]
    postings = _own_postings(word, postings, holds)
    return [word, postings, kept] if postings or kept else None


def _own_postings(word: str, postings: list, holds: Callable[[str, int], bool]) -> list[list]:
    """Postings [page difference, locs, meta locs] of the pages that hold the word in their text, renumbered,
    without meta locs."""
    out, page, previous = [], 0, 0
    for difference, locs, _meta_locs in postings:
        page += difference
        if locs and holds(word, page):
            out.append([page - previous, locs, []])
            previous = page
    return out


def _dump(path: Path, value: object) -> None:
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _load(path: Path) -> object:
    return pickle.loads(path.read_bytes())


def merge_shards(shards: Sequence[Path], bundle: Path, sort_key: Callable[[str], str],
                 chunk_bytes: int | None = None, workers: int = 1) -> list[str]:
    """Merge prepared shards (`PreparedShard`), in order, into the bundle folder `bundle` (new); returns
    the phrases that got a companion word (for the search page).

    `sort_key`: a page's URL → its value of the `date` sort, to interleave the shards' date orders.
    """
    bundle.mkdir(parents=True)
    (bundle / "index").mkdir()
    (bundle / "fragment").mkdir()
    (bundle / "filter").mkdir()
    metas, urls = [], []
    for shard in shards:
        entry = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta_hash = next(iter(entry["languages"].values()))["hash"]
        metas.append((entry, meta_hash, read_pagefind_file(shard / f"pagefind.{meta_hash}.pf_meta")))
        urls.append(json.loads((shard / URLS_FILE).read_text(encoding="utf-8")))
    offsets = [0]
    for _entry, _hash, meta in metas:
        offsets.append(offsets[-1] + len(meta[_META_PAGES]))

    entry, meta_hash, meta = metas[0]
    language = meta_hash.rpartition("_")[0]
    for path in shards[0].iterdir():  # Pagefind's code, WebAssembly and styles
        if path.is_file() and not (path.name.endswith(".pf_meta") or path.name.startswith("site-gen-")
                                   or path.name == "pagefind-entry.json"):
            link_or_copy(path, bundle / path.name)

    # The fields' names (a shard without any date lists ["source", "title"]). No posting of the merged index
    # refers to them: the prepared shards hold no metadata positions (`_own_entry`).
    meta_fields = sorted({field for _e, _h, m in metas for field in m[5]}) if len(meta) > 5 else None
    companions, phrases = _phrase_companions(shards, offsets)
    # Every bucket's words, with the phrase companions, merged and cut into chunks in worker processes,
    # while this one joins the pages, filters and date order.
    job = functools.partial(_merge_bucket, tuple(shards), tuple(offsets), bundle / "index",
                            chunk_bytes or search_chunks.CHUNK_BYTES, dict(companions))
    with contextlib.ExitStack() as stack:
        if workers > 1:
            pool = stack.enter_context(fork_pool(workers))
            # Largest buckets first, so that no process is left with a large one at the end.
            order = sorted(range(BUCKETS), key=lambda number: -sum(
                (shard / WORDS_FILE.format(number)).stat().st_size for shard in shards))
            results = pool.map(job, order)  # every job submitted now; collected below
        else:
            order = list(range(BUCKETS))
            results = map(job, order)
        pages = _merge_pages(shards, metas, bundle)
        filters = _merge_filters(shards, metas, offsets, bundle, language)
        sorts = _merge_sorts(metas, offsets, urls, sort_key)
        written = dict(zip(order, results))
        chunks = _name_chunks([written[number] for number in range(BUCKETS)], bundle / "index", language)
    merged = [meta[0], pages, chunks, filters, sorts] + ([meta_fields] if meta_fields is not None else [])
    new_hash = write_meta(bundle, language, merged)
    language_entry = next(iter(entry["languages"].values()))
    language_entry.update(hash=new_hash, page_count=len(pages))
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
    return phrases


def _phrase_companions(shards: Sequence[Path], offsets: list[int]) -> tuple[dict[int, list[tuple[str, bytes]]], list[str]]:
    """Companion words of the phrases whose pair words weigh more than PHRASE_COMPANION_BYTES, by bucket;
    and those phrases. A companion lists the pages whose text holds the phrase, without positions, as
    the characters' companions do (search_chunks.py)."""
    costs: Counter[str] = Counter()
    pages: dict[str, list[int]] = defaultdict(list)
    for shard, offset in zip(shards, offsets):
        for phrase, (cost, shard_pages) in _load(shard / PHRASES_FILE).items():  # type: ignore[union-attr]
            costs[phrase] += cost
            pages[phrase] += [page + offset for page in shard_pages]
    by_bucket: dict[int, list[tuple[str, bytes]]] = defaultdict(list)
    chosen = []
    for phrase in sorted(costs):
        if costs[phrase] > PHRASE_COMPANION_BYTES and pages[phrase]:
            word = "".join(han_code(char) for char in phrase) + PHRASE_MARK
            by_bucket[bucket_of(word)].append((word, companion_entry(word, pages[phrase])))
            chosen.append(phrase)
    return by_bucket, chosen


def pair_codes(phrase: str) -> list[str]:
    """The pair words a phrase of Han characters is searched by: 灵石开 → [code(灵)code(石), code(石)code(开)]."""
    codes = [han_code(char) for char in phrase]
    return [a + b for a, b in zip(codes, codes[1:])]


def _merge_pages(shards: Sequence[Path], metas: list, bundle: Path) -> list[list]:
    """The shards' page lists one after the other; their fragments linked in (renamed on a clash)."""
    pages, taken = [], set()
    into = os.path.join(bundle, "fragment")
    for number, (shard, (_e, _h, meta)) in enumerate(zip(shards, metas)):
        source = os.path.join(shard, "fragment")
        for page_hash, word_count in meta[_META_PAGES]:
            name = page_hash if page_hash not in taken else f"{page_hash}-{number}"  # Pagefind's names have no "-"
            taken.add(name)
            # Paths joined as strings: pathlib's parsing cost more than the links (10,000 at 10k articles).
            link_or_copy(f"{source}/{page_hash}.pf_fragment", f"{into}/{name}.pf_fragment")
            pages.append([name, word_count])
    return pages


def _merge_filters(shards: Sequence[Path], metas: list, offsets: list[int], bundle: Path, language: str) -> list[list]:
    """Each filter's values with the pages of every shard, in code-point order (search_canonical.py)."""
    values: dict[str, dict[str, list[int]]] = {}
    for shard, (_e, _h, meta), offset in zip(shards, metas, offsets):
        for name, filter_hash in meta[_META_FILTERS]:
            path = shard / "filter" / f"{filter_hash}.pf_filter"
            data = read_pagefind_file(path)
            if not (isinstance(data, list) and len(data) == 2 and data[0] == name and isinstance(data[1], list)):
                raise format_error(path, f"not [\"{name}\", [[value, pages], …]]")
            into = values.setdefault(name, {})
            for value, value_pages in data[1]:
                into.setdefault(value, []).extend(page + offset for page in value_pages)
    return write_filters(bundle, values, language)


def write_filters(bundle: Path, values: Mapping[str, Mapping[str, list[int]]], language: str) -> list[list[str]]:
    """Write each filter's file, its values in code-point order (search_canonical.py), named as Pagefind names
    them; returns the meta's list of [filter, file hash]."""
    listed, taken = [], {}
    for name in sorted(values):
        payload = cbor2.dumps([name, [[value, values[name][value]] for value in sorted(values[name])]])
        filter_hash = short_name(language, payload, taken)
        taken[filter_hash] = payload
        write_pagefind_file(bundle / "filter" / f"{filter_hash}.pf_filter", payload)
        listed.append([name, filter_hash])
    return listed


def _merge_sorts(metas: list, offsets: list[int], urls: list[list[str]], sort_key: Callable[[str], str]) -> list[list]:
    """Each sort's page order over all shards: the shards' own orders interleaved by the pages' keys
    (shard by shard where keys tie)."""
    names = [[name for name, _order in meta[_META_SORTS]] for _e, _h, meta in metas]
    if any(n != names[0] for n in names):
        raise format_error(Path("pagefind"), "the shards have different sorts")
    sorts = []
    for index, name in enumerate(names[0]):
        if name != "date":
            raise format_error(Path("pagefind"), f"a sort the merge does not know: {name!r}")
        orders = []
        for (_e, _h, meta), offset, shard_urls in zip(metas, offsets, urls):
            orders.append([(sort_key(shard_urls[page]), page + offset) for page in meta[_META_SORTS][index][1]])
        sorts.append([name, [page for _key, page in heapq.merge(*orders, key=lambda item: item[0])]])
    return sorts


def _name_chunks(written: list[list[tuple[str, str, str]]], index: Path, language: str) -> list[list[str]]:
    """The chunk list, the chunks renamed: written under their full SHA-1, named as Pagefind names its
    files, as short as no clash allows."""
    chunks, taken = [], {}
    for bucket in written:
        for chunk_from, chunk_to, digest in bucket:
            length = 7
            while taken.get(f"{language}_{digest[:length]}", digest) != digest:
                length += 1
            name = f"{language}_{digest[:length]}"
            taken[name] = digest
            os.replace(index / f"{digest}.pf_index", index / f"{name}.pf_index")
            chunks.append([chunk_from, chunk_to, name])
    return chunks


def _merge_bucket(shards: tuple[Path, ...], offsets: tuple[int, ...], index: Path, chunk_bytes: int,
                  extra: Mapping[int, list[tuple[str, bytes]]], number: int) -> list[tuple[str, str, str]]:
    import hashlib

    buckets = [Bucket.loads((shard / WORDS_FILE.format(number)).read_bytes()) for shard in shards]
    # Each word's entries, as shard * _SPAN + position: one int instead of a tuple per entry.
    refs: dict[str, list[int]] = {}
    for shard, bucket in enumerate(buckets):
        base = shard * _SPAN
        for position, word in enumerate(bucket.words):
            refs.setdefault(word, []).append(base + position)
    rebuilt = set()  # words merged from decoded entries: accented variants
    for shard, bucket in enumerate(buckets):
        for word in bucket.side:
            refs.setdefault(word, []).append(shard * _SPAN + _SPAN - 1)  # the side entry (see Bucket.item)
            rebuilt.add(word)
    entries = [(word, _rebuilt_entry(word, sorted(refs[word]), buckets, offsets) if word in rebuilt
                else merged_entry(word, refs[word], buckets, offsets)) for word in sorted(refs)]
    if extra.get(number):
        known = {word for word, _ in extra[number]} & refs.keys()
        if known:
            raise format_error(index, f"a phrase companion is a word of the index: {sorted(known)[0]!r}")
        entries = sorted([*entries, *extra[number]], key=lambda entry: entry[0])
    del refs
    companions = Companions(functools.partial(_character_pages, shards, offsets))
    written = []
    for chunk_from, words in _cut(_groups(entries), companions, chunk_bytes):
        payload = b"\x81" + _array_header(len(words)) + b"".join(data for _, data in words)
        digest = hashlib.sha1(payload).hexdigest()
        write_index_chunk(index / f"{digest}.pf_index", payload)
        written.append((chunk_from, words[-1][0], digest))
    return written


_SPAN = 1 << 32  # more entries than a bucket of one shard can hold


def merged_entry(word: str, refs: Sequence[int], buckets: Sequence[Bucket], offsets: Sequence[int]) -> bytes:
    """A word's entry over all shards: each shard's postings as they were, its first page difference
    counted from the previous shard's last page (`refs`: shard * _SPAN + the entry's position, in order)."""
    out = [b"\x83", _text(word), b""]
    total = previous = 0
    for ref in refs:
        shard, position = divmod(ref, _SPAN)
        bucket, offset = buckets[shard], offsets[shard]
        total += bucket.counts[position]
        out += [b"\x83", _uint(offset + bucket.firsts[position] - previous),
                bucket.blob[bucket.ends[position - 1] if position else 0:bucket.ends[position]]]
        previous = offset + bucket.lasts[position]
    out[2] = _array_header(total)
    out.append(b"\x80")
    return b"".join(out)


def _rebuilt_entry(word: str, refs: Sequence[int], buckets: Sequence[Bucket], offsets: Sequence[int]) -> bytes:
    """A word's entry merged from its decoded entries: its pages and each accented variant's pages
    numbered across shards."""
    pages: list[list] = []
    variants: dict[str, list[list]] = {}
    for ref in refs:
        shard, position = divmod(ref, _SPAN)
        item = buckets[shard].item(word, -1 if position == _SPAN - 1 else position)
        pages += _absolute(item[1], offsets[shard])
        for variant, variant_pages in item[2]:
            variants.setdefault(variant, []).extend(_absolute(variant_pages, offsets[shard]))
    return cbor2.dumps([word, _relative(pages), [[v, _relative(p)] for v, p in variants.items()]])


def _absolute(postings: list, offset: int) -> list[list]:
    out, page = [], offset
    for difference, locs, meta_locs in postings:
        page += difference
        out.append([page, locs, meta_locs])
    return out


def _relative(postings: list[list]) -> list[list]:
    previous, out = 0, []
    for page, locs, meta_locs in postings:
        out.append([page - previous, locs, meta_locs])
        previous = page
    return out


def _text(word: str) -> bytes:
    return cbor2.dumps(word)


@functools.lru_cache(maxsize=8192)
def _uint(value: int) -> bytes:
    return cbor2.dumps(value)


def _character_pages(shards: tuple[Path, ...], offsets: tuple[int, ...], char: str) -> list[int]:
    """The pages (merged numbers) whose text holds `char`."""
    pages: list[int] = []
    for shard, offset in zip(shards, offsets):
        pages += [page + offset for page in _characters(shard).get(char, ())]
    return pages


@functools.lru_cache(maxsize=None)
def _characters(shard: Path) -> dict[str, list[int]]:
    """A prepared shard's characters → their pages (read once per process, if a companion needs them)."""
    return _load(shard / CHARACTERS_FILE)  # type: ignore[return-value]
