"""One shard's tokens and code words; and a shard made the Pagefind way, every other word by Pagefind.

(Most shards are written by site_gen/search_shard.py from the same tokens and code words; this module's
`complete_shard` makes the others, those with a field Pagefind would rewrite: `search_shard.plain_fields`.)

Input: a shard's documents as tokens (`ShardTokens`) and the bundle Pagefind made of their rest documents
(`site_gen.search.index_shard` writes and runs them). Output: that folder made the prepared shard of the
whole documents that site_gen/search_merge.py merges (`complete_shard`).

Why: Pagefind took 2.3-2.8 s of CPU per shard of 500 articles, most of the search stage and more than
half a cold build at 10,000 articles, and nearly all of it goes to the code words (site_gen/search_text.py):
1.4 million positions per shard, of words whose form is fixed (three or six base-36 digits, which Pagefind
indexes as they are). Their postings are a sort and an encoding, which numpy does in C (`code_runs`).
Every other word (a "z" word of Latin letters or digits, with Pagefind's case folding, accent variants
and splitting; punctuation Pagefind may read as letters) is still Pagefind's, so the index stays what
one Pagefind run over the whole documents makes (tests/test_search_merge.py compares the two).

How, for one shard (`ShardTokens`, then `complete_shard` after `site_gen.search.index_shard` ran Pagefind):
- The documents' tokens, those code_tokens makes, are found by numpy over their code points, each looked up
  once in a table of the BMP (`character_tables`); only the tokens Pagefind reads are made as strings.
- Pagefind reads each document without its code words and without the punctuation it neither indexes
  nor ends a block with a "." after (`SAFE_PUNCTUATION`, checked against Pagefind by a test): the
  *rest* document (`ShardTokens.rest`). It keeps the metadata, filters and date sort, so Pagefind still
  writes the fragments, filter files, sort and page order; a block whose last token was left out ends
  with SENTINEL, a punctuation token, so that Pagefind treats every kept token as it treats it in the
  whole document (a block's last token gets a "." in the content, and its word is read from "word."), and
  every rest document ends with a block of TAIL, since Pagefind drops a page without a word.
- Each rest token's position is mapped back to its position in the whole document (`ShardTokens`),
  in Pagefind's postings and in the fragment's content, which gets the code words back and the word
  count of the whole document; the fragment is renamed by its new content, as Pagefind names files.
- The code words' entries (`code_runs`) and Pagefind's entries, decoded, remapped and restricted to the
  words the rest documents hold (`_own_entry`), make the prepared shard the merge reads
  (search_merge.PreparedShard).
A rest document's word count that is not its tokens', or a content token that is not the one written,
stops the build naming the shard's file: the mapping would be wrong.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from array import array
from pathlib import Path

import numpy as np

from site_gen.search_canonical import format_error, short_name, write_meta, write_pagefind_file
from site_gen.search_chunks import _word_entries
from site_gen.search_merge import (_META_PAGES, PreparedShard, _decoded_entry, _own_entry, chunk_files,
                                   shard_pages)
from site_gen.search_text import _BLOCKS as _HAN_BLOCKS
from site_gen.search_text import _OTHER_WORD, CODE_LENGTH, LATIN_MARK, han_char, t2s_map

# Pagefind's weight markers in a posting's locations, -(24 × weight + 1): a <p> weighs 1, the <h1> title 7.
BODY_MARK, TITLE_MARK = 24, 168  # CBOR negative integers -25 and -169, as (major 1) values
# Punctuation Pagefind neither indexes nor follows with a "." at the end of a block (a test runs Pagefind
# over each): a token made only of these is left out of the rest document. "$", ")", "*" and "_" get a ".".
SAFE_PUNCTUATION = frozenset("!\"#%&'(+,-./:;<=>?@[\\]^`{|}~。，、；：？！…—“”‘’（）《》【】「」『』〈〉·・～%")
SENTINEL = "。"  # ends a rest block whose last token was left out
# The last block of every rest document: Pagefind leaves out a page without a word, and a document may have
# none but codes. No text gives this token ("_" is punctuation to code_tokens, and letters after it get a
# "z" word of their own), and the merge drops it with every word the documents were not written with.
TAIL = "_0"
# Characters Pagefind deletes from a word though Python does not split on them (a test runs Pagefind over every
# character of the BMP and the emoji plane). code_tokens puts a space between a "z" word or a code and what
# follows, so there one ends a token as a space would; inside a run of other characters ("©\u200b®") Pagefind
# reads the run as one word without it ("©®"): ShardTokens deletes it there (`_without_joiners`).
PAGEFIND_SPACES = "\u200b"  # ZERO WIDTH SPACE
_JOINERS = re.compile(f"[{PAGEFIND_SPACES}]+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SQUARE = 36 * 36  # a code's first digit is worth 36²
_BASE = 36 ** CODE_LENGTH  # a word's number: first code × _BASE + second code, or + _ALONE for a lone code
_ALONE = _BASE - 1  # "zzz" is no code: the first digit of a code is at most "l"


class ShardTokens:
    """A shard's documents as index tokens, the tokens code_tokens makes of each paragraph and then of the
    title, found and classified by numpy over the code points of all of them at once (no token is made as a
    string but the few Pagefind reads): a code word (with its number), SAFE_PUNCTUATION, or kept (what
    Pagefind reads); its document, position and weight. tests/test_search_index.py compares them with
    code_tokens."""

    def __init__(self, documents: Sequence[tuple[Sequence[str], str]]) -> None:
        blocks_of = np.array([len(paragraphs) + 1 for paragraphs, _title in documents], np.int64)
        self.text = _without_joiners(_BLOCK_END.join(text for paragraphs, title in documents
                                                     for text in (*paragraphs, title)))
        self.points = points = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), _POINT)
        block_count = int(blocks_of.sum())
        self.separators = np.flatnonzero(points == _BLOCK_END_POINT)  # where each block but the first starts, less 1
        if len(self.separators) != max(block_count - 1, 0):
            raise ValueError("a text holds U+DBFF, the block separator: no UTF-8 text can")
        kind, number, safe_char = _classified(points)
        size = len(points)
        # A token starts at each Han character and where a run of letters (WORD) or of other characters begins.
        before = np.concatenate(([_SPACE], kind[:-1])) if size else kind
        edges = np.append(np.flatnonzero((kind != before) | (kind == _HAN)), size)
        opens = np.flatnonzero(kind[edges[:-1]] != _SPACE)  # the edges that start a token; it ends at the next
        starts, ends = edges[opens], edges[opens + 1]
        self.starts, self.ends, self.kind = starts, ends, kind[starts]
        self.code = self.kind == _HAN
        after = np.append(kind, _SPACE)[starts + 1] == _HAN  # a Han character follows in the same run
        self.numbers = number[starts] * _BASE + np.where(after, number[np.minimum(starts + 1, max(size - 1, 0))], _ALONE)
        unsafe = np.concatenate(([0], np.cumsum(~safe_char)))
        safe = (self.kind == _OTHER) & (unsafe[ends] == unsafe[starts])
        self.kept = ~self.code & ~safe
        self.block = np.searchsorted(self.separators, starts)  # each token's block
        first_block = np.cumsum(blocks_of) - blocks_of
        self.doc = np.repeat(np.arange(len(documents)), blocks_of)[self.block]
        self.counts = np.bincount(self.doc, minlength=len(documents))  # tokens per document
        self.position = np.arange(len(starts)) - np.repeat(np.cumsum(self.counts) - self.counts, self.counts)
        title_blocks = np.zeros(block_count, bool)
        title_blocks[np.cumsum(blocks_of) - 1] = True
        self.title = title_blocks[self.block]
        self.first_block = first_block.tolist()  # each document's first block
        per_block = np.bincount(self.block, minlength=block_count)
        self.block_last = np.cumsum(per_block) - 1  # each block's last token (meaningless for an empty block)
        self.per_block = per_block
        self._block_count, self._blocks_of = block_count, blocks_of

    @functools.cached_property
    def rest(self) -> list[tuple[list[list[str]], list[int | None]]]:
        """Each document's rest document (`_rest`): made only for a shard Pagefind indexes (site_gen/search.py)."""
        return self._rest(self._block_count, self._blocks_of)

    def kept_tokens(self) -> tuple[np.ndarray, list[str]]:
        """The tokens Pagefind reads (neither codes nor SAFE_PUNCTUATION): their numbers, and each as written."""
        kept = np.flatnonzero(self.kept)
        text = self.text
        return kept, [LATIN_MARK + text[start:end] if word else text[start:end] for start, end, word in
                      zip(self.starts[kept].tolist(), self.ends[kept].tolist(), (self.kind[kept] == _WORD).tolist())]

    def token(self, number: int) -> str:
        """Token `number` as code_tokens writes it."""
        start, end, kind = int(self.starts[number]), int(self.ends[number]), int(self.kind[number])
        if kind == _HAN:
            first, second = divmod(int(self.numbers[number]), _BASE)
            return _CODES[first] + (_CODES[second] if second != _ALONE else "")
        return (LATIN_MARK if kind == _WORD else "") + self.text[start:end]

    def _rest(self, block_count: int, blocks_of: np.ndarray) -> list[tuple[list[list[str]], list[int | None]]]:
        """Each document's rest blocks (its paragraphs', its title's, and a last one of TAIL) and, for each
        of their tokens in order, its position in the whole document (None for SENTINEL and TAIL)."""
        tokens: list[list[str]] = [[] for _ in range(block_count)]
        positions: list[list[int | None]] = [[] for _ in range(block_count)]
        kept, written = self.kept_tokens()
        for token, block, position in zip(written, self.block[kept].tolist(), self.position[kept].tolist()):
            tokens[block].append(token)
            positions[block].append(position)
        for block in np.flatnonzero(np.bincount(self.block[kept], minlength=block_count)).tolist():
            if not self.kept[self.block_last[block]]:  # the block's last token was left out
                tokens[block].append(SENTINEL)
                positions[block].append(None)
        out, first = [], 0
        for count in blocks_of.tolist():
            blocks = tokens[first:first + count] + [[TAIL]]
            out.append((blocks, [p for block in positions[first:first + count] for p in block] + [None]))
            first += count
        return out

    def characters(self, docs: Sequence[int]) -> dict[str, list[int]]:
        """Each Han character of the texts (folded) → the pages that hold it, page n being document docs[n]."""
        page_of = _pages_of(docs)
        keys = np.unique(self.numbers[self.code] // _BASE * len(docs) + page_of[self.doc[self.code]])
        codes, pages = np.divmod(keys, len(docs))
        bounds = np.flatnonzero(np.diff(codes)) + 1
        return {han_char(_CODES[int(group[0])]): pages_of.tolist()
                for group, pages_of in zip(np.split(codes, bounds), np.split(pages, bounds))} if len(keys) else {}

    def phrase_pages(self, docs: Sequence[int], phrases: Sequence[str]) -> dict[str, list[int]]:
        """Each of `phrases` (folded Han text) → the pages whose text holds it, page n being document docs[n]."""
        found: dict[str, list[int]] = {phrase: [] for phrase in phrases}
        if not phrases:
            return found
        page_of = _pages_of(docs)
        folded = character_tables()[3]
        bmp = self.points <= 0xFFFF
        points = np.where(bmp, folded[np.where(bmp, self.points, 0)], self.points)
        text = points.astype(_POINT).tobytes().decode("utf-32-le", "surrogatepass")  # folded: places are the text's
        doc_starts = np.concatenate(([0], self.separators + 1))[self.first_block]
        matches = np.array(list(_automaton(tuple(phrases)).iter(text)), np.int64).reshape(-1, 2)  # (end, number)
        pages = page_of[np.searchsorted(doc_starts, matches[:, 0], side="right") - 1]
        for key in np.unique(matches[:, 1] * len(docs) + pages).tolist():  # by phrase, then page
            found[phrases[key // len(docs)]].append(key % len(docs))
        return found

    def rest_words(self, doc: int) -> set[str]:
        return {token for block in self.rest[doc][0][:-1] for token in block if token != SENTINEL}  # not TAIL

    def dotted(self, doc: int, rest_content: str, path: Path) -> list[int]:
        """The document's blocks (numbers in the shard) whose last token Pagefind writes with a "." after it,
        read from the rest document's content (`path`: its fragment): a block that ends in a word."""
        rest, _positions = self.rest[doc]
        written = rest_content.split()
        expected = [token for block in rest for token in block]
        if len(written) != len(expected):
            raise format_error(path, f"Pagefind wrote {len(written)} words of a rest document of {len(expected)} tokens")
        dotted, at, first = [], 0, self.first_block[doc]
        for number, block in enumerate(rest):
            for place, token in enumerate(block, 1):
                if written[at] != token and (place < len(block) or written[at] != token + "."):  # a block's end
                    raise format_error(path, f"the content has {written[at]!r} where the document has {token!r}")
                at += 1
            if block and block[-1] != SENTINEL and written[at - 1] != block[-1] and number < len(rest) - 1:
                dotted.append(first + number)
        return dotted

    def contents(self, dotted: Sequence[int]) -> list[str]:
        """Every document's content as Pagefind writes it (its tokens joined by spaces, a "." after a block
        that ends in a word: `dotted`, or in a code), made at once over the code points."""
        count = len(self.starts)
        if not count:
            return [""] * len(self.counts)
        second = self.numbers % _BASE
        han = self.code
        length = np.where(han, np.where(second == _ALONE, CODE_LENGTH, 2 * CODE_LENGTH),
                          self.ends - self.starts + (self.kind == _WORD))
        nonempty = np.flatnonzero(self.per_block)
        dot = np.zeros(count, np.int64)
        dot[self.block_last[nonempty]] = self.code[self.block_last[nonempty]]
        dot[self.block_last[np.asarray(dotted, np.int64)]] = 1
        stops = np.cumsum(length + dot + 1)
        at = stops - (length + dot + 1)  # each token's place in the output
        out = np.empty(int(stops[-1]), _POINT)
        out[stops - 1] = 32  # every character is written once: a token's, its ".", or the space after it
        first, rest = np.divmod(self.numbers[han], _BASE)
        at_code = at[han]
        for offset in range(CODE_LENGTH):
            out[at_code + offset] = _CODE_POINTS[first, offset]
        pair = second[han] != _ALONE
        at_code, rest = at_code[pair] + CODE_LENGTH, rest[pair]
        for offset in range(CODE_LENGTH):
            out[at_code + offset] = _CODE_POINTS[rest, offset]
        word = self.kind == _WORD
        out[at[word]] = ord(LATIN_MARK)
        # Every character of a token that is not a code is copied as it is, after the "z" of a word.
        other = np.flatnonzero(~han)
        spans = self.ends[other] - self.starts[other]
        token_of = np.repeat(other, spans)
        within = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
        out[at[token_of] + word[token_of] + within] = self.points[self.starts[token_of] + within]
        out[(at + length)[dot.astype(bool)]] = ord(".")
        text = out.tobytes().decode("utf-32-le")
        ends = np.cumsum(self.counts)
        starts = ends - self.counts
        closes = (stops - 1)[np.maximum(ends - 1, 0)]  # after each document's last token (and its ".")
        return [text[int(at[s]):int(close)] if n else "" for s, close, n in
                zip(starts.tolist(), closes.tolist(), self.counts.tolist())]


# Between two blocks of the joined text: no text holds a lone surrogate (search_text._RUN says why).
_BLOCK_END = "\udbff"
_BLOCK_END_POINT = 0xDBFF
_POINT = np.dtype("<u4")  # a code point as UTF-32-LE holds it, whatever the machine's byte order
_SPACE, _HAN, _WORD, _OTHER = 0, 1, 2, 3  # what code_tokens makes of a character (`_classified`)
_WHITESPACE = re.compile(r"\s+")  # what str.split splits on (str.isspace)


def _pages_of(docs: Sequence[int]) -> np.ndarray:
    """Each document's page number, page n being document docs[n] (Pagefind's page order)."""
    page_of = np.empty(len(docs), np.int64)
    page_of[np.asarray(docs, np.int64)] = np.arange(len(docs))
    return page_of


def prepare_process(phrases: tuple[str, ...]) -> None:
    """Make what every shard's tokens use and each process makes once: the character tables, the phrases'
    automaton, numpy.ma (np.unique imports it on its first call). Called before shard workers are forked,
    so they inherit it instead of making it at their first shard (10k benchmark: a worker's first shard took
    1.44-1.46 s of CPU, 1.34-1.40 s with this; later shards ~1.0 s)."""
    character_tables()
    if phrases:
        _automaton(phrases)
    np.unique(np.zeros(1, np.int64))


@functools.lru_cache(maxsize=4)
def _automaton(phrases: tuple[str, ...]):  # -> ahocorasick.Automaton
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for number, phrase in enumerate(phrases):
        automaton.add_word(phrase, number)  # a match gives (its end, the phrase's number)
    automaton.make_automaton()
    return automaton


@functools.lru_cache(maxsize=1)
def character_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each character of the BMP: its kind (_SPACE: Python splits there, or Pagefind does; _HAN; _WORD: a
    letter or digit of a "z" word; _OTHER), its code number (folded to Simplified; Han characters only) and
    whether it is SAFE_PUNCTUATION, and the character search_text.fold makes of it. Each character is asked
    the same questions code_tokens asks of it."""
    # One regular-expression pass per kind over the whole BMP, not one call per character (0.14 s → 0.006 s);
    # tests/test_search_index.py checks the table against `_kind`, character by character.
    every = "".join(map(chr, range(0x10000)))
    kind = np.full(0x10000, _OTHER, np.uint8)
    for pattern, value in ((_OTHER_WORD, _WORD), (_WHITESPACE, _SPACE)):
        for match in pattern.finditer(every):
            kind[match.start():match.end()] = value
    kind[[ord(char) for char in PAGEFIND_SPACES]] = _SPACE
    kind[_BLOCK_END_POINT] = _SPACE
    number = np.zeros(0x10000, np.int64)
    folded = np.arange(0x10000, dtype=np.uint32)
    for traditional, simplified in t2s_map().items():
        folded[ord(traditional)] = ord(simplified)
    for first, last, start in _HAN_BLOCKS:
        kind[first:last + 1] = _HAN
        number[first:last + 1] = np.arange(last - first + 1) + start
    number = number[folded]  # fold keeps a Han character Han
    safe = np.zeros(0x10000, bool)
    safe[[ord(char) for char in SAFE_PUNCTUATION]] = True
    return kind, number, safe, folded


def _without_joiners(text: str) -> str:
    """The text without the PAGEFIND_SPACES that sit between two characters of a run of other characters (neither
    space, Han nor a letter or digit of a "z" word): Pagefind reads such a run as one word without them."""
    if not _JOINERS.search(text):
        return text
    kind = character_tables()[0]

    def other(char: str) -> bool:
        return (kind[ord(char)] if ord(char) <= 0xFFFF else _kind(char)) == _OTHER

    def joined(match: re.Match[str]) -> str:
        start, end = match.span()
        inside = 0 < start and end < len(text) and other(text[start - 1]) and other(text[end])
        return "" if inside else match.group()

    return _JOINERS.sub(joined, text)


def _kind(char: str) -> int:
    """What code_tokens makes of a character that is not Han: a space (Python splits there, or Pagefind does), a
    letter or digit of a "z" word, or other."""
    if char.isspace() or char in PAGEFIND_SPACES:
        return _SPACE
    return _WORD if _OTHER_WORD.fullmatch(char) else _OTHER


def _classified(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each code point's kind, code number and whether it is SAFE_PUNCTUATION (`character_tables`); a character beyond
    the BMP is never Han or safe, and is asked its kind alone."""
    kind_of, number_of, safe_of, _folded = character_tables()
    bmp = np.minimum(points, 0xFFFF)
    kind, number, safe = kind_of[bmp], number_of[bmp], safe_of[bmp]
    beyond = np.flatnonzero(points > 0xFFFF)
    if len(beyond):
        unique, inverse = np.unique(points[beyond], return_inverse=True)
        kinds = np.array([_kind(chr(point)) for point in unique.tolist()], np.uint8)
        kind[beyond], number[beyond], safe[beyond] = kinds[inverse], 0, False
    return kind, number, safe


def complete_shard(bundle: Path, tokens: ShardTokens, urls_in_order: Sequence[str], phrases: Sequence[str]) -> None:
    """Make the bundle Pagefind wrote from the rest documents the prepared shard of the whole documents
    (module docstring). `tokens`: the documents', whose URLs are `urls_in_order`; `phrases`: the names whose
    pages the merge may list in a companion word (PreparedShard.write).
    """
    meta_hash, meta, fragments = shard_pages(bundle)
    urls = [fragment.get("url", "") for fragment in fragments]
    language = meta_hash.rpartition("_")[0]
    number_of = {url: n for n, url in enumerate(urls_in_order)}
    docs, dotted = [], []
    for (page_hash, _count), fragment, url in zip(meta[_META_PAGES], fragments, urls):
        path = bundle / "fragment" / f"{page_hash}.pf_fragment"
        if url not in number_of:
            raise format_error(path, f"the page {url!r} is not among the documents indexed")
        doc = number_of[url]
        if fragment.get("word_count") != len(tokens.rest[doc][1]):
            raise format_error(path, f"Pagefind read {fragment.get('word_count')} words of a rest document of "
                                     f"{len(tokens.rest[doc][1])} tokens")
        dotted += tokens.dotted(doc, fragment.get("content", ""), path)
        docs.append(doc)
    contents = tokens.contents(dotted)
    payloads = []
    for doc, fragment in zip(docs, fragments):
        fragment.update(content=contents[doc], word_count=int(tokens.counts[doc]))
        payloads.append(json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if sorted(docs) != list(range(len(urls_in_order))):
        raise format_error(bundle, f"{len(docs)} pages for {len(urls_in_order)} documents")
    # Every fragment gets a name from its new content. Pagefind's are removed first: a new name may be an old
    # one of another page (seven hex digits: about one shard in 2,000).
    for page_hash, _count in meta[_META_PAGES]:
        (bundle / "fragment" / f"{page_hash}.pf_fragment").unlink()
    pages, taken = [], {}
    for doc, payload in zip(docs, payloads):
        name = short_name(language, payload, taken)
        taken[name] = payload
        write_pagefind_file(bundle / "fragment" / f"{name}.pf_fragment", payload)
        pages.append([name, int(tokens.counts[doc])])

    prepared = PreparedShard(phrases)
    for run in code_runs(tokens, docs):
        prepared.add_run(*run)
    maps = [tokens.rest[doc][1] for doc in docs]
    rest_words = [tokens.rest_words(doc) for doc in docs]

    def holds(word: str, page: int) -> bool:
        return word.startswith(LATIN_MARK) or word in rest_words[page]

    chunks = chunk_files(bundle, meta)
    for path in chunks:
        for word, data in _word_entries(path):
            item = _own_entry(_decoded_entry(word, data, path), holds)
            if item is not None:  # else TAIL, a word of the metadata only, or one Pagefind cut out of another
                prepared.add_item(word, _remapped(item, maps, path))
    prepared.write(bundle, urls, tokens.characters(docs), tokens.phrase_pages(docs, phrases))
    for path in chunks:
        path.unlink()

    meta[_META_PAGES] = pages
    new_hash = write_meta(bundle, language, meta)
    if new_hash != meta_hash:
        (bundle / f"pagefind.{meta_hash}.pf_meta").unlink()
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    next(iter(entry["languages"].values()))["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _remapped(item: list, maps: list[list[int | None]], path: Path) -> list:
    """A decoded entry of the rest documents with its positions in the whole documents."""
    word, postings, variants = item

    def remap(postings: list) -> list:
        out, page = [], 0
        for difference, locs, meta_locs in postings:
            page += difference
            if page >= len(maps):
                raise format_error(path, f"the word {word!r} lists page {page} of {len(maps)}")
            positions = maps[page]
            whole, at, was = [], 0, 0  # the run's previous position, in the rest and in the whole document
            for loc in locs:
                if loc < 0:  # a weight marker starts a run: its first position is not a difference
                    whole.append(loc)
                    at = was = 0
                    continue
                at += loc
                if at >= len(positions) or positions[at] is None:
                    raise format_error(path, f"the word {word!r} is at position {at}, which the document "
                                             "does not give it")
                whole.append(positions[at] - was)
                was = positions[at]
            out.append([difference, whole, meta_locs])
        return out

    return [word, remap(postings), [[variant, remap(pages)] for variant, pages in variants]]


_CODES = [a + b + c for a in _DIGITS for b in _DIGITS for c in _DIGITS]  # a code's number → its text
_CODE_POINTS = np.array([[ord(c) for c in code] for code in _CODES], np.uint32)  # → its three characters


def code_runs(tokens: ShardTokens, docs: Sequence[int]) -> list[tuple]:
    """The code words' entries of a shard whose page n is document docs[n]: per bucket of words
    (search_merge.bucket_of), the arguments of PreparedShard.add_run.

    Each code token is one location; sorted by word and page (stable: positions stay in order), a word's
    postings are its runs of one page, and each posting's locations are a weight marker at the start and
    where the weight changes (the title comes last), each followed by its run's positions, as Pagefind
    writes them: the first as it is, the others as differences from the one before. All of it is written
    as CBOR at once (`_cbor`): [page difference, [marker, positions…], []] per posting, the entry's first
    page difference left out (Bucket keeps it apart).
    """
    code = tokens.code
    if not code.any():
        return []

    def texts(numbers: np.ndarray) -> list[str]:
        return [_CODES[first] + (_CODES[second] if second != _ALONE else "")
                for first, second in zip((numbers // _BASE).tolist(), (numbers % _BASE).tolist())]

    def buckets(numbers: np.ndarray, _texts: list[str]) -> np.ndarray:
        return numbers // _BASE // _SQUARE + 1  # the first digit's bucket, as search_merge.bucket_of

    # The title comes after the body: in text order, a page's locations are in weight order too.
    return entry_runs(tokens.numbers[code], _pages_of(docs)[tokens.doc[code]], tokens.position[code],
                      np.where(tokens.title[code], TITLE_MARK, BODY_MARK), len(docs), texts, buckets)


def entry_runs(words: np.ndarray, page: np.ndarray, position: np.ndarray, weight: np.ndarray, page_count: int,
               texts: Callable[[np.ndarray], list[str]], buckets: Callable[[np.ndarray, list[str]], np.ndarray]) \
        -> list[tuple]:
    """The entries of words found at (page, position, weight marker: BODY_MARK, TITLE_MARK or another), the
    locations of each page in weight order and within one weight in text order: per bucket, the arguments of
    PreparedShard.add_run (`code_runs` says how). `words`: each location's word number, in an order that keeps
    each bucket's words together; `texts`: the numbers' words; `buckets`: their buckets."""
    if not len(words):
        return []
    order = stable_order(page, words)
    words, page, position, weight = words[order], page[order], position[order], weight[order]

    size = len(words)
    new_word = np.ones(size, bool)
    new_word[1:] = words[1:] != words[:-1]
    new_posting = new_word.copy()
    new_posting[1:] |= page[1:] != page[:-1]
    new_run = new_posting.copy()
    new_run[1:] |= weight[1:] != weight[:-1]
    posting_starts = np.flatnonzero(new_posting)
    locations = np.diff(np.append(posting_starts, size)) + np.add.reduceat(new_run.astype(np.int64), posting_starts)
    later = new_posting & ~new_word  # a posting after the word's first: [difference, …] opens it here
    previous_page = np.concatenate(([0], page[:-1]))
    previous_position = np.concatenate(([0], position[:-1]))
    # Per token, six CBOR heads in order, (major type, value, where it is written):
    slots = [(4, 3, later),  # [ of the posting
             (0, page - previous_page, later),  # its page difference
             (4, locations[np.cumsum(new_posting) - 1], new_posting),  # [ of its locations
             (1, weight, new_run),  # weight marker
             (0, position - np.where(new_run, 0, previous_position), None),  # from the last
             (4, 0, np.append(new_posting[1:], True))]  # ] and the empty metadata locations
    stream, token_ends = _cbor(slots, size)
    word_starts = np.flatnonzero(new_word)
    word_lasts = np.append(word_starts[1:], size) - 1
    ends = token_ends[word_lasts]  # after each word's last "]"
    entry_counts = np.add.reduceat(new_posting.astype(np.int64), word_starts)
    numbers = words[word_starts]
    word_texts = texts(numbers)
    bucket = buckets(numbers, word_texts)
    runs, begin = [], 0
    for number in np.unique(bucket).tolist():
        stop = int(np.searchsorted(bucket, number, side="right"))
        base = int(ends[begin - 1]) if begin else 0
        runs.append((number, word_texts[begin:stop], _column(entry_counts[begin:stop]), _column(page[word_starts[begin:stop]]),
                     _column(page[word_lasts[begin:stop]]), stream[base:int(ends[stop - 1])],
                     _column(ends[begin:stop] - base)))
        begin = stop
    return runs


def stable_order(*keys: np.ndarray) -> np.ndarray:
    """np.lexsort(keys): the order that sorts by the last key, then the one before it, …, ties kept in place.

    For non-negative integer keys whose ranges, times the row count, fit in an int64, the rows get one key
    each, unique by their index, and numpy's default sort orders them (its SIMD quicksort where the CPU has
    one). On a 10k shard: its 1,188,598 postings in 39.5 ms against a stable argsort's 75.7 ms, its pairs'
    65,075 locations in 0.4 ms against lexsort's 4.8 ms. Any other keys are lexsorted."""
    size = len(keys[0])
    if not size or any(key.dtype.kind not in "iu" or int(key.min()) < 0 for key in keys):
        return np.lexsort(keys)
    spans = [int(key.max()) + 1 for key in keys]
    if math.prod(spans) * size >= 2 ** 63:
        return np.lexsort(keys)
    combined = np.zeros(size, np.int64)
    for key, span in zip(reversed(keys), reversed(spans)):
        combined *= span
        combined += key.astype(np.int64, copy=False)  # below 2 ** 63: a uint64 key would make the sum a float
    combined *= size
    combined += np.arange(size, dtype=np.int64)
    return np.argsort(combined)


def _column(values: np.ndarray) -> array:
    column = array("I")
    column.frombytes(np.asarray(values, np.uint32).tobytes())
    return column


def _cbor(slots: list[tuple[int, object, np.ndarray | None]], size: int) -> tuple[bytes, np.ndarray]:
    """CBOR heads (unsigned and negative integers, array headers; values below 2³², in the shortest form,
    as minicbor and cbor2 write them): for each of `size` tokens, the heads of its `slots` in order,
    (major type, a value or one per token, which tokens have it: None for all). Returns the bytes and
    where each token's heads end."""
    columns, sizes = [], []
    total = np.zeros(size, np.int64)
    for major, value, mask in slots:
        values = np.asarray(value, np.int64)
        if values.ndim and len(values) and int(values.max()) >= 1 << 32:
            raise ValueError("a value of 2^32 or more")
        width = (values >= 24).astype(np.uint8) + 1  # 1, 2, 3 or 5 bytes
        width += values >= 256
        width += (values >= 65536) * np.uint8(2)
        width = np.broadcast_to(width, size) if mask is None else mask * width
        columns.append((major, values, mask))
        sizes.append(width)
        total += width
    ends = np.cumsum(total)
    out = np.zeros(int(ends[-1]) if size else 0, np.uint8)
    at = ends - total
    for (major, values, mask), width in zip(columns, sizes):
        where = slice(None) if mask is None else mask
        _put(out, at[where], major, values if not values.ndim else values[where], width[where])
        at += width
    return out.tobytes(), ends


def _put(out: np.ndarray, at: np.ndarray, major: int, values: np.ndarray, width: np.ndarray) -> None:
    """Write heads of `major` with `values` (one, or one each) `width` bytes long at `at`."""
    if not values.ndim:
        values = np.broadcast_to(values, len(at))
    out[at] = (major << 5) | np.where(width == 1, values, 22 + width - (width == 5))  # info 24, 25, 26
    for size in (2, 3, 5):
        where = width == size
        if where.any():
            start, value = at[where], values[where]
            for byte in range(1, size):
                out[start + byte] = (value >> (8 * (size - 1 - byte))) & 0xFF
