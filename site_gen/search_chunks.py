"""Small index chunks: a query downloads the postings of its own words, not of 20,000 neighbours.

Why: Pagefind 1.5 cuts a bundle's word index into chunks of at least 20,000 positions
(`chunk_index(word_map, 20000)` in its source), and a query loads the whole chunk of each of its
words. With the pair words of site_gen/search_text.py most words are rare (灵石 occurs in a few pages),
so nearly all of such a chunk is other words: about 30 KiB per word and shard, 300 KiB per word at
10,000 articles. Re-cut into chunks of about CHUNK_BYTES, a rare word costs a few KiB.

Used by site_gen/search_merge.py: it reads each shard's entries (`_word_entries`), merges them and cuts
the merged, sorted entries into chunks (`_groups`, `_cut`, companion words), which it writes with the
meta's chunk list.

How a chunk is found: the page looks a query word up in the meta's chunk list, [from, to, file], and
loads the first chunk with from <= word <= to (Pagefind's `request_indexes`).

One-character queries: the index words are pairs of characters (only the last character of a run has
a word of its own), and a one-character query is the character's code, which Pagefind matches as a
prefix of every word that starts with it: the character's "group" (its code, its pairs). The lookup
loads one chunk, so a group is kept in one chunk, whose `from` is the group's code, unless it is larger
than GROUP_FACTOR chunks (a common character such as 开 or 的, whose pairs fill many chunks). Such a group is cut
like any run of words, and gets a companion word (code + "!", sorted before its pairs, so in the
group's first chunk, where the lookup of the code lands) listing every page whose text contains the
character, without positions: Pagefind finds the pages, cuts their excerpts from the start and ranks
them alike (the page highlights the character itself); the pages come from the documents' texts,
which the indexer passes in, so the index need not be decoded.

Entries are moved without decoding them: an entry starts with the bytes of a three-item array and of
its word's text header, so a regular expression finds the boundaries, which are accepted only if they
are exactly the chunk's entry count, the first where the array starts, and the words valid and in
strictly increasing order; otherwise every entry is decoded with cbor2.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import cbor2
import numpy as np

from site_gen.search_canonical import format_error, read_payload
from site_gen.search_text import CODE_LENGTH, CODE_PATTERN, han_char

# Raw (uncompressed) CBOR bytes per chunk (gzip makes about half of it): smaller chunks cost a query
# less and make the meta, which opening the search page downloads, longer (docs/search.md).
CHUNK_BYTES = 8_000
# A character's words larger than GROUP_FACTOR chunks are cut like any words, and it gets a companion.
GROUP_FACTOR = 2
COMPANION = "!"  # code + "!" sorts after the code and before every pair that starts with it


Entry = tuple[str, bytes]  # a word and its CBOR bytes


_CODE = re.compile(CODE_PATTERN)


def _group_key(word: str) -> str | None:
    """The character whose group a word belongs to, or None for other words: every word that starts with
    the character's code, its pairs, and any other word of those letters (the merge keeps only the documents'
    own words, site_gen/search_merge.py, but a group must not be split whatever it holds)."""
    code = word[:CODE_LENGTH]
    return code if _CODE.fullmatch(code) else None


def _groups(entries: list[Entry]) -> list[tuple[str | None, list[Entry]]]:
    """Consecutive entries by group: (code, the character's words) or (None, [one other word])."""
    groups: list[tuple[str | None, list[Entry]]] = []
    for entry in entries:
        key = _group_key(entry[0])
        if key is not None and groups and groups[-1][0] == key:
            groups[-1][1].append(entry)
        else:
            groups.append((key, [entry]))
    return groups


def _cut(groups: list[tuple[str | None, list[Entry]]], companions: "Companions",
         chunk_bytes: int) -> list[tuple[str, list[Entry]]]:
    """Chunks of about `chunk_bytes`, as (from, words): a group whole in one chunk, unless it is larger
    than GROUP_FACTOR chunks; then its words are cut like any others, after its companion."""
    chunks: list[tuple[str, list[Entry]]] = []
    current: list[Entry] = []
    start = ""
    size = 0

    def close() -> None:
        nonlocal current, size
        if current:
            chunks.append((start, current))
            current, size = [], 0

    for key, words in groups:
        group_size = sum(len(data) for _, data in words)
        if key is None or group_size <= GROUP_FACTOR * chunk_bytes:
            if not current:
                start = key or words[0][0]  # the lookup of a bare code lands here
            current += words
            size += group_size
            if size >= chunk_bytes:
                close()
            continue
        code_words = [w for w in words if w[0] == key]
        pairs = [w for w in words if w[0] != key]
        for index, entry in enumerate([*code_words, companions.entry(key), *pairs]):
            if not current:
                start = key if index == 0 else entry[0]
            current.append(entry)
            size += len(entry[1])
            if size >= chunk_bytes and index >= len(code_words):  # the code and its companion stay together
                close()
    close()
    return chunks


class Companions:
    """Companion words: for a character, the pages whose text contains it (module docstring)."""

    def __init__(self, pages_of: Callable[[str], list[int]]) -> None:
        self.pages_of = pages_of  # a character → the pages (ascending) whose text holds it

    def entry(self, code: str) -> Entry:
        word = code + COMPANION
        return word, companion_entry(word, self.pages_of(han_char(code)))


def companion_entry(word: str, pages: list[int]) -> bytes:
    """An index entry listing `pages` (ascending) without positions: CBOR of [word, [[page difference, [],
    []], …], []], written directly (cbor2 takes ten times longer)."""
    differences = np.diff(np.asarray(pages, np.int64), prepend=0)
    if len(differences) and 0 <= differences.min() and differences.max() < 24:  # the usual: one byte each
        heads = np.empty((len(differences), 4), np.uint8)
        heads[:, 0], heads[:, 1], heads[:, 2:] = 0x83, differences, 0x80
        body = heads.tobytes()
    else:
        body = b"".join(_page_entry(difference) for difference in differences.tolist())
    return b"\x83" + cbor2.dumps(word) + _array_header(len(pages)) + body + b"\x80"


@functools.lru_cache(maxsize=4096)
def _page_entry(difference: int) -> bytes:
    """[difference, [], []] in CBOR."""
    return b"\x83" + cbor2.dumps(difference) + b"\x80\x80"


def read_fragment(path: Path) -> dict:
    """A page's fragment: its URL, content, meta and filters (JSON in Pagefind's file)."""
    return json.loads(read_payload(path))


# An entry's first bytes: an array of three (0x83), then its word's text header (length < 24, or in the
# next one or two bytes).
_ENTRY_START = re.compile(rb"\x83(?=[\x60-\x77]|\x78.|\x79..)", re.DOTALL)  # a lookahead: a false start
# cannot swallow a real one, so every real start is found and an exact count leaves no room for a false one


def _word_entries(path: Path) -> list[Entry]:
    """(word, its bytes) of each entry of an index chunk: CBOR [[entry, …]],
    entry = [word, [[page, locs, meta locs], …], extra]."""
    data = read_payload(path)
    try:
        major, count, pos = _header(data, 0)
        if (major, count) != (4, 1):
            raise ValueError("not a one-element array")
        major, count, pos = _header(data, pos)
        if major != 4:
            raise ValueError("no word array")
    except (ValueError, IndexError) as error:
        raise format_error(path, str(error) or "truncated") from None
    return _scanned_entries(data, pos, count) or _decoded_entries(data, pos, count, path)


def _scanned_entries(data: bytes, pos: int, count: int) -> list[Entry] | None:
    """The entries found by their first bytes, or None unless the check holds (module docstring)."""
    starts, words = [], []
    for match in _ENTRY_START.finditer(data, pos):
        word = _text_at(data, match.start() + 1)
        if word is None:
            continue
        starts.append(match.start())
        words.append(word)
    if len(starts) != count or (starts and starts[0] != pos) or any(a >= b for a, b in zip(words, words[1:])):
        return None
    ends = [*starts[1:], len(data)]
    return [(word, data[start:end]) for word, start, end in zip(words, starts, ends)]


def _text_at(data: bytes, pos: int) -> str | None:
    major, length, start = _header(data, pos)
    if major != 3:
        return None
    try:
        return data[start:start + length].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decoded_entries(data: bytes, pos: int, count: int, path: Path) -> list[Entry]:
    stream = io.BytesIO(data)
    stream.seek(pos)
    decoder = cbor2.CBORDecoder(stream)
    entries = []
    for _ in range(count):
        start = stream.tell()
        item = decoder.decode()
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and isinstance(item[1], list)):
            raise format_error(path, "a word entry is not [word, pages, extra]")
        entries.append((item[0], data[start:stream.tell()]))
    if stream.tell() != len(data):
        raise format_error(path, "bytes after the word array")
    return entries


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """A CBOR item header at `pos`: (major type, argument, position after the header)."""
    first = data[pos]
    major, info = first >> 5, first & 31
    if info < 24:
        return major, info, pos + 1
    if info > 27:
        raise ValueError("an indefinite-length CBOR item")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def _array_header(count: int) -> bytes:
    """The shortest CBOR array header for `count` items, as minicbor and cbor2 write it."""
    if count < 24:
        return bytes([0x80 | count])
    for info, size in ((24, 1), (25, 2), (26, 4)):
        if count < 1 << (8 * size):
            return bytes([0x80 | info]) + count.to_bytes(size, "big")
    return bytes([0x80 | 27]) + count.to_bytes(8, "big")
