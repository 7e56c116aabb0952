"""The shard indexer (site_gen/search_index.py): code words written by numpy, the rest by Pagefind.

The merge tests (tests/test_search_merge.py) compare whole bundles with one Pagefind run over the whole
documents; these check the pieces: the punctuation left out of the rest documents, the code words' postings
against a plain version, and a rest document Pagefind read otherwise than written.
"""

from __future__ import annotations

import gzip
import pickle
import html
import json
import random
import re
from pathlib import Path

import cbor2
import numpy as np
import pytest

from site_gen import search
from site_gen.diagnostics import SiteGenError
from site_gen.search import IndexDocument, run_pagefind
from site_gen.search_chunks import _word_entries, read_fragment
from site_gen.search_index import PAGEFIND_SPACES, SAFE_PUNCTUATION, SENTINEL, ShardTokens, code_runs, stable_order
from site_gen.search_merge import Bucket
from site_gen.search_text import code_tokens, fold


@pytest.fixture(params=["site_gen", "pagefind"])
def shard_writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way a shard is made: written by site_gen/search_shard.py (the usual, plain fields), or Pagefind over
    the rest documents (any other shard)."""
    if request.param == "pagefind":
        monkeypatch.setattr(search, "plain_fields", lambda doc: False)
    return request.param


def test_safe_punctuation_is_neither_indexed_nor_followed_by_a_dot(tmp_path: Path) -> None:
    chars = sorted(SAFE_PUNCTUATION | {SENTINEL})
    for number, char in enumerate(chars):
        page = tmp_path / "docs" / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        text = html.escape(char)  # as the documents are written (a bare "'" would get a ".")
        page.write_text(f'<!doctype html><html lang="und"><body><main data-pagefind-body><p>ddf {text}</p>'
                        f'<p>{text}{text} ddf</p><h1>{text}</h1></main></body></html>', encoding="utf-8")
    run_pagefind(tmp_path / "docs", tmp_path / "bundle")
    words = {word for path in (tmp_path / "bundle" / "index").iterdir() for word, _data in _word_entries(path)}
    assert words == {"ddf"}
    for path in (tmp_path / "bundle" / "fragment").iterdir():
        fragment = read_fragment(path)
        char = chars[int(fragment["url"].strip("/p"))]
        assert fragment["content"] == f"ddf {char} {char}{char} ddf. {char}", char
    # What is not safe: Pagefind puts a "." after these at the end of a block.
    assert not {"$", ")", "*", "_"} & SAFE_PUNCTUATION


def plain_postings(pages: list[tuple[list[str], int]]) -> dict[str, list]:
    """Each code word's postings as Pagefind writes them, one token at a time: [page difference, locs, []],
    locs a weight marker (-25 body, -169 title) before each run and the run's positions as differences."""
    found: dict[str, dict[int, list[int]]] = {}
    for page, (tokens, title_start) in enumerate(pages):
        for position, token in enumerate(tokens):
            if token[0] != "z" and token.isascii() and token.isalnum():
                found.setdefault(token, {}).setdefault(page, []).append(position)
    out = {}
    for word, on in found.items():
        postings, previous = [], 0
        for page in sorted(on):
            locs, weight, last = [], None, 0
            for position in on[page]:
                mark = -169 if position >= pages[page][1] else -25
                if mark != weight:
                    locs.append(mark)
                    weight, last = mark, 0
                locs.append(position - last)
                last = position
            postings.append([page - previous, locs, []])
            previous = page
        out[word] = [word, postings, []]
    return out


@pytest.mark.parametrize("seed", range(4))
def test_code_postings_equal_a_plain_version(seed: int) -> None:
    rng = random.Random(seed)
    text = "灵石经济技术开发区今年以来坚持项目为王，GDP 5G。" + "开" * 5  # repeats: long runs of one word
    docs = [([("".join(rng.choice(text) for _ in range(rng.randint(0, 400)))) for _ in range(rng.randint(0, 4))],
             "".join(rng.choice(text) for _ in range(rng.randint(0, 12)))) for _ in range(rng.randint(1, 30))]
    tokens = ShardTokens(docs)
    order = list(range(len(docs)))
    rng.shuffle(order)  # Pagefind's page order is not the documents'
    pages = []
    for doc in order:
        paragraphs, title = docs[doc]
        body = [t for p in paragraphs for t in code_tokens(p).split()]
        pages.append((body + code_tokens(title).split(), len(body)))
    got = {}
    for _number, words, counts, firsts, lasts, blob, ends in code_runs(tokens, order):
        bucket = Bucket(words, counts, firsts, lasts, blob, ends, {})
        got.update({word: bucket.item(word, position) for position, word in enumerate(words)})
    assert got == plain_postings(pages)


# Every kind of character code_tokens treats apart: Simplified and Traditional Han (發 folds, 乾 is in GB2312
# and stays), Extension A and the compatibility block, letters, digits and marks of other scripts, full-width
# forms, "_", safe and unsafe punctuation, spaces Python splits on, Pagefind's zero-width space, and characters
# beyond the BMP (an emoji, an Extension B character, a mathematical digit).
_FUZZ_ALPHABET = ("灵石开发区经济技术發開區經濟乾於㐀豈" "aZé\u0301ा Ⓐ²ⅰカ한Ａ１09_"
                  "，。、！（）《》——$)*&<>'\"" " \u3000\t\u200b\xa0\u2028" "😀𠀀𝟘")


@pytest.mark.parametrize("seed", range(6))
def test_shard_tokens_are_code_tokens_and_contents_are_their_text(seed: int) -> None:
    rng = random.Random(seed)

    def text(longest: int) -> str:
        return "".join(rng.choice(_FUZZ_ALPHABET) for _ in range(rng.randint(0, longest)))

    docs = [([text(60) for _ in range(rng.randint(0, 4))], text(12)) for _ in range(rng.randint(1, 40))]
    def words(block: str) -> str:  # the tokens of code_tokens as Pagefind reads them: without its spaces
        return " ".join(token for token in (t.translate({ord(c): None for c in PAGEFIND_SPACES})
                                            for t in code_tokens(block).split()) if token)

    tokens = ShardTokens(docs)
    made = [tokens.token(n) for n in range(len(tokens.starts))]
    expected = [token for paragraphs, title in docs for block in (*paragraphs, title) for token in words(block).split()]
    assert made == expected
    dotted = [n for n in range(len(tokens.per_block)) if tokens.per_block[n] and rng.random() < 0.5]
    contents = tokens.contents(dotted)
    block = 0
    for doc, (paragraphs, title) in enumerate(docs):
        parts = []
        for text_of_block in (*paragraphs, title):
            written = words(text_of_block)
            if written:
                ends_in_code = re.fullmatch(r"(?:[0-9a-l][0-9a-z]{2}){1,2}", written.split()[-1]) is not None
                parts.append(written + "." if block in dotted or ends_in_code else written)
            block += 1
        assert contents[doc] == " ".join(parts)


def test_the_character_table_asks_each_character_what_code_tokens_asks() -> None:
    from site_gen.search_index import _HAN, _kind, character_tables
    from site_gen.search_text import _BLOCKS, han_code

    kind, number, safe, folded = character_tables()
    for point in range(0x10000):
        char = chr(point)
        if any(first <= point <= last for first, last, _start in _BLOCKS):
            assert kind[point] == _HAN and int(number[point]) == int(han_code(fold(char)), 36), char
        elif point != 0xDBFF:  # the block separator, which no text holds
            assert kind[point] == _kind(char), hex(point)
        assert safe[point] == (char in SAFE_PUNCTUATION) and chr(folded[point]) == fold(char)


def test_a_rest_document_read_otherwise_stops_the_build_naming_its_fragment(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "plain_fields", lambda doc: False)  # the Pagefind way
    def altered(documents: Path, bundle: Path) -> None:
        run_pagefind(documents, bundle)
        path = next((bundle / "fragment").iterdir())
        fragment = json.loads(gzip.decompress(path.read_bytes())[12:])
        fragment["content"] = fragment["content"].replace("z5G", "z5g")
        path.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(fragment).encode()))

    monkeypatch.setattr(search, "run_pagefind", altered)
    doc = IndexDocument(path="a/index.html", title="标题", paragraphs=("灵石 5G 开发区。",), date=None, source=None,
                        filters=())
    with pytest.raises(SiteGenError, match=r"fragment/.*\.pf_fragment.*'z5g' where the document has 'z5G'"):
        search.index_shard([doc], tmp_path / "shard")


def test_a_learning_document_read_otherwise_stops_the_build_naming_its_fragment(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def altered(documents: Path, bundle: Path, change: tuple[str, str]) -> None:
        run_pagefind(documents, bundle)
        path = next((bundle / "fragment").iterdir())
        fragment = json.loads(gzip.decompress(path.read_bytes())[12:])
        fragment["content"] = fragment["content"].replace(*change)
        fragment["word_count"] = len(fragment["content"].split())
        path.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(fragment).encode()))

    doc = IndexDocument(path="a/index.html", title="标题", paragraphs=("灵石 5G 开发区。",), date=None, source=None,
                        filters=())
    cases = [(("z5G z5G", "z5g z5G"), "'z5g' 'z5G.' where the document has 'z5G' twice"),
             (("z5G.", "z5G!"), "'z5G' 'z5G!' where the document has 'z5G' twice"),
             (("z5G.", "z5G. z5G"), "Pagefind read 4 words of a learning document of 3 tokens")]
    for number, (change, message) in enumerate(cases):
        monkeypatch.setattr(search, "run_pagefind", lambda documents, bundle, change=change: altered(documents, bundle,
                                                                                                     change))
        with pytest.raises(SiteGenError, match=rf"shard-{number}/fragment/und_\w+\.pf_fragment.*" + re.escape(message)):
            search.index_shard([doc], tmp_path / f"shard-{number}")


def test_positions_past_the_rest_document_are_refused() -> None:
    from site_gen.search_index import _remapped

    maps = [[3, None, 7]]
    assert _remapped(["zx", [[0, [-25, 0, 2], []]], []], maps, Path("i")) == ["zx", [[0, [-25, 3, 4], []]], []]
    for locs in ([-25, 1], [-25, 0, 5]):  # a SENTINEL's position, and one past the document
        with pytest.raises(SiteGenError, match="chunk.pf_index.*the word 'zx' is at position"):
            _remapped(["zx", [[0, locs, []]], []], maps, Path("chunk.pf_index"))


def test_documents_without_a_word_for_pagefind_keep_their_pages(tmp_path: Path, shard_writer: str) -> None:
    # Only codes and safe punctuation: the rest documents hold nothing but TAIL, which Pagefind needs to
    # keep a page, and which no word of the bundle may be.
    docs = [IndexDocument(path=f"a{i}/index.html", title="标题", paragraphs=("灵石开发区。", "今年，全市"), date=None,
                          source=None, filters=()) for i in range(3)]
    search.index_bundle(docs, tmp_path / "bundle")
    pages = [read_fragment(path) for path in (tmp_path / "bundle" / "fragment").iterdir()]
    assert sorted(p["url"] for p in pages) == ["/a0/", "/a1/", "/a2/"]
    assert {p["content"] for p in pages} == {"bw5ddf ddf8g0 8g068h 68h64a 64a 。 "
                                             + " ".join(code_tokens("今年，全市").split()) + ". "
                                             + " ".join(code_tokens("标题").split()) + "."}
    words = {word for path in (tmp_path / "bundle" / "index").iterdir() for word, _data in _word_entries(path)}
    assert "_0" not in words and code_tokens("灵石").split()[0] in words


def test_pagefind_reads_every_character_as_written_but_its_spaces(tmp_path: Path) -> None:
    # A word of the rest documents that Pagefind cut or changed would stop the build (its word count or
    # content differs): every character but PAGEFIND_SPACES must stay inside its word, as Python reads it.
    points = [*range(0x80, 0xD800), *range(0xE000, 0x10000), *range(0x1F000, 0x20000)]
    chars = [chr(p) for p in points if not chr(p).isspace()]
    groups = [chars[i:i + 500] for i in range(0, len(chars), 500)]
    for number, group in enumerate(groups):
        page = tmp_path / "docs" / f"g{number}" / "index.html"
        page.parent.mkdir(parents=True)
        body = " ".join(f"ddf{html.escape(char)}ddf" for char in group)
        page.write_text(f'<!doctype html><html lang="und"><body><main data-pagefind-body><p>{body}</p></main>'
                        "</body></html>", encoding="utf-8")
    run_pagefind(tmp_path / "docs", tmp_path / "bundle")
    odd = set()
    for path in (tmp_path / "bundle" / "fragment").iterdir():
        fragment = read_fragment(path)
        words = set(fragment["content"].removesuffix(".").split())
        odd |= {char for char in groups[int(fragment["url"].strip("/g"))] if f"ddf{char}ddf" not in words}
    assert odd == set(PAGEFIND_SPACES)


def test_a_zero_width_space_separates_words_as_in_pagefind(tmp_path: Path, shard_writer: str) -> None:
    doc = IndexDocument(path="a/index.html", title="标题", paragraphs=("灵石\u200b开发区 GDP\u200b增长 \u200b。",),
                        date=None, source=None, filters=())
    search.index_bundle([doc], tmp_path / "bundle")
    (page,) = [read_fragment(path) for path in (tmp_path / "bundle" / "fragment").iterdir()]
    assert page["content"].split()[:3] == ["bw5ddf", "ddf", "8g068h"] and "zGDP" in page["content"].split()


def test_a_new_fragment_name_equal_to_another_pages_old_one_loses_nothing(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen import search_index

    docs = [IndexDocument(path=f"a{i}/index.html", title=f"第{i}号", paragraphs=(f"灵石开发区 {i}G。",), date=None,
                          source=None, filters=()) for i in range(4)]
    search.index_bundle(docs, tmp_path / "plain")
    old_names: list[str] = []

    def recorded(documents: Path, bundle: Path) -> None:
        run_pagefind(documents, bundle)
        old_names.extend(sorted(path.stem for path in (bundle / "fragment").iterdir()))

    real = search_index.short_name

    def clashing(language: str, payload: bytes, taken: dict) -> str:  # the first new name: another page's old one
        return old_names[-1] if not taken else real(language, payload, taken)

    monkeypatch.setattr(search, "plain_fields", lambda doc: False)  # only the Pagefind way renames fragments
    monkeypatch.setattr(search, "run_pagefind", recorded)
    monkeypatch.setattr(search_index, "short_name", clashing)
    search.index_bundle(docs, tmp_path / "clash")
    pages = {name: sorted((read_fragment(p)["url"], read_fragment(p)["content"]) for p in (tmp_path / name / "fragment").iterdir())
             for name in ("plain", "clash")}
    assert pages["plain"] == pages["clash"] and len(pages["plain"]) == 4


def test_a_phrase_costs_the_bytes_of_its_pair_words_entries(tmp_path: Path, shard_writer: str) -> None:
    from site_gen.search_merge import PHRASES_FILE, WORDS_FILE, bucket_of, pair_codes

    docs = [IndexDocument(path=f"a{i}/index.html", title="标题", paragraphs=("灵石开发区，灵石。" * (i + 1),), date=None,
                          source=None, filters=()) for i in range(30)]
    search.index_shard(docs, tmp_path / "shard", phrases=("灵石开发区",))
    cost, pages = pickle.loads((tmp_path / "shard" / PHRASES_FILE).read_bytes())["灵石开发区"]
    entries = 0
    for word in pair_codes("灵石开发区"):
        bucket = Bucket.loads((tmp_path / "shard" / WORDS_FILE.format(bucket_of(word))).read_bytes())
        entries += len(cbor2.dumps(bucket.item(word, bucket.words.index(word))))
    assert cost == entries and len(pages) == 30


def test_a_text_holding_the_block_separator_is_refused() -> None:
    # No UTF-8 text can hold a lone surrogate; were one to reach the indexer, blocks would shift silently.
    with pytest.raises(ValueError, match="U\\+DBFF"):
        ShardTokens([(["灵石\udbff开发区"], "标题")])
    assert len(ShardTokens([(["灵石", ""], "")]).starts) == 2


def test_stable_order_is_lexsort() -> None:
    """The shard's sorts (postings by word and page, locations by page, weight and position): numpy's default
    sort over one unique key per row must give lexsort's order, ties in their rows' order."""
    rng = np.random.default_rng(7)
    size = 20_000
    page, weight = rng.integers(0, 40, size), rng.choice([1, 3, 7], size)  # many ties: a quicksort moves them
    position, words = rng.integers(0, 300, size), rng.integers(0, 50, size).astype(np.uint32)
    for keys in [(page, words), (position, weight, page), (weight,), (words[:1],), (page.astype(np.uint64), weight)]:
        assert np.array_equal(stable_order(*keys), np.lexsort(keys))
    for keys in [(page - 5, words),  # a negative key
                 (page.astype(float), words),  # not integers
                 (page, np.full(size, 2 ** 52, np.int64)),  # ranges times rows beyond an int64
                 (np.zeros(0, np.int64), np.zeros(0, np.int64))]:  # nothing to sort
        assert np.array_equal(stable_order(*keys), np.lexsort(keys))
