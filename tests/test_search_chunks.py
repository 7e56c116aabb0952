"""The index cut into small chunks (site_gen/search_chunks.py, applied by the merge of site_gen/search_merge.py)
on a shard as the build indexes it, checked against Pagefind's lookup.

The page finds a word's chunk as Pagefind 1.5's `request_indexes` does: the first chunk of the meta's
list with from <= word <= to. Every word must be found in the chunk that holds it, a character's code in
the chunk that holds its whole group or its companion, and no word may be lost, doubled or altered.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import cbor2
import pytest

from site_gen import search
from site_gen.search import IndexDocument, document_url, index_shard, run_pagefind, write_documents
from site_gen.search_canonical import read_pagefind_file
from site_gen.search_chunks import COMPANION, _decoded_entries, _header, _word_entries, read_fragment
from site_gen.search_merge import BUCKETS, WORDS_FILE, Bucket, merge_shards
from site_gen.search_text import fold, han_char

TEXT = "今年以来全市坚持项目为王持续优化服务推动产业集群发展企业信心明显增强灵石经济技术开发区运城开发区"


def documents(count: int = 40) -> list[IndexDocument]:
    rng = random.Random(3)
    docs = []
    for i in range(count):
        paragraphs = tuple("".join(rng.choice(TEXT) for _ in range(rng.randint(20, 120))) + "。" for _ in range(3))
        # 蜭's code is "gdp": Pagefind also indexes the title's "GDP" and the date's "2020…" as words of
        # the metadata, and cuts "gdp" out of the text's "zGDP"; the merge keeps only 蜭's own pages.
        docs.append(IndexDocument(path=f"a{i}/index.html", title=f"第{i}号 GDP 100 报告", paragraphs=(*paragraphs, "5G GDP 蜭蜭" if i % 3 else "5G"),
                                  date=f"2020-01-{1 + i % 28:02d}", source=None, filters=()))
    return docs


TEXTS = {document_url(d): fold(" ".join((d.title, *d.paragraphs))) for d in documents()}


def rechunk(prepared: Path, out: Path, chunk_bytes: int | None = None) -> Path:
    """The bundle as the merge writes it from this one prepared shard, its index cut into chunks of `chunk_bytes`."""
    shard = out.with_name(out.name + "-shard")
    shutil.copytree(prepared, shard)
    merge_shards([shard], out, lambda url: "", chunk_bytes)
    return out


@pytest.fixture(scope="module")
def prepared_shard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documents as the build indexes one shard (site_gen/search_index.py), ready for the merge."""
    shard = tmp_path_factory.mktemp("chunks") / "shard"
    index_shard(documents(), shard)
    return shard


def shard_entries(shard: Path) -> dict[str, bytes]:
    """Every entry of a prepared shard, as its bytes in a one-shard merge."""
    out = {}
    for number in range(BUCKETS):
        bucket = Bucket.loads((shard / WORDS_FILE.format(number)).read_bytes())
        out.update({word: cbor2.dumps(bucket.item(word, position)) for position, word in enumerate(bucket.words)})
        out.update({word: cbor2.dumps(item) for word, item in bucket.side.items()})
    return out


@pytest.fixture(scope="module")
def pagefind_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle Pagefind made of the whole documents: real chunks for the entry scanner."""
    root = tmp_path_factory.mktemp("chunks")
    write_documents(documents(), root / "docs")
    run_pagefind(root / "docs", root / "bundle")
    return root / "bundle"


def meta_and_chunks(bundle: Path) -> tuple[list, dict[str, list[tuple[str, bytes, list]]]]:
    """The meta's chunk list and, per chunk, its entries decoded: (word, bytes, pages)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    decoded = {}
    for _f, _t, name in meta[2]:
        entries = read_pagefind_file(bundle / "index" / f"{name}.pf_index")[0]
        raw = {w: data for w, data in _word_entries(bundle / "index" / f"{name}.pf_index")}
        decoded[name] = [(w, raw[w], pages) for w, pages, _extra in entries]
    return meta[2], decoded


def page_urls(bundle: Path) -> list[str]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    return [read_fragment(bundle / "fragment" / f"{h}.pf_fragment")["url"] for h, _count in meta[1]]


def lookup(chunks: list, term: str) -> str | None:
    """Pagefind's strict chunk lookup: the first chunk whose range holds the term."""
    return next((name for start, end, name in chunks if start <= term <= end), None)


def pages_of(pages: list) -> set[int]:
    out, page = set(), 0
    for delta, _locs, _meta in pages:
        page += delta
        out.add(page)
    return out


@pytest.mark.parametrize("chunk_bytes", [80, 400, 8000])
def test_rechunked_index_keeps_every_word_and_finds_it(prepared_shard: Path, tmp_path: Path, chunk_bytes: int) -> None:
    kept = shard_entries(prepared_shard)
    bundle = rechunk(prepared_shard, tmp_path / "bundle", chunk_bytes)

    chunks, after = meta_and_chunks(bundle)
    assert sorted(p.stem for p in (bundle / "index").iterdir()) == sorted(after)  # no stale chunk files
    words = [word for _start, _end, name in chunks for word, _data, _pages in after[name]]
    assert words == sorted(words) and len(words) == len(set(words))  # in order, each once
    moved = {word: data for entries in after.values() for word, data, _pages in entries if not word.endswith(COMPANION)}
    assert moved == kept  # every word of the shard, byte for byte
    assert not {"01", "2020"} & moved.keys()  # Pagefind's words of the metadata are not the documents'
    urls = page_urls(bundle)
    holding = {n for n, url in enumerate(urls) if "蜭" in TEXTS[url]}
    assert pages_of(cbor2.loads(moved["gdp"])[1]) == holding != set(range(len(urls)))  # "zGDP" gives no "gdp"
    for word in kept:  # each found where it is
        assert any(w == word for w, _d, _p in after[lookup(chunks, word)]), word

    codes = {w[:3] for w in kept if len(w) in (3, 6) and w.isalnum() and not w.startswith("z")}
    assert "gdp" in codes  # 蜭's code, also a part Pagefind cuts out of "zGDP": only 蜭's pages are left
    companions = 0
    for code in codes:
        found = {w: pages for w, _d, pages in after[lookup(chunks, code)]}
        group = {w for w in kept if w.startswith(code)}
        if code + COMPANION in found:  # a group cut across chunks: the companion lists the pages with it
            companions += 1
            expected = {n for n, url in enumerate(urls) if han_char(code) in TEXTS[url]}
            assert pages_of(found[code + COMPANION]) == expected
            assert all(locs == [] for _page, locs, _meta in found[code + COMPANION])
        else:  # a whole group in the chunk the code's lookup lands on
            assert group <= set(found), code
    if chunk_bytes == 80:
        assert companions > 0  # the small chunks cut the common characters' groups
    if chunk_bytes == 8000:
        assert companions == 0 and len(chunks) < len(kept) // 5


def test_entries_found_by_their_first_bytes_equal_the_decoded_ones(pagefind_bundle: Path) -> None:
    for path in (pagefind_bundle / "index").iterdir():
        import gzip
        data = gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):]
        _major, _one, pos = _header(data, 0)
        _major, count, pos = _header(data, pos)
        assert _word_entries(path) == _decoded_entries(data, pos, count, path)


def test_meta_words_stay_in_their_characters_group() -> None:
    from site_gen.search_chunks import _groups

    words = ["gdo9zz", "gdp", "gdp0ab", "gdpabc", "gdp增长", "gdq000", "zgdp"]
    assert [(key, [w for w, _ in group]) for key, group in _groups([(w, b"") for w in words])] == [
        ("gdo", ["gdo9zz"]), ("gdp", ["gdp", "gdp0ab", "gdpabc", "gdp增长"]), ("gdq", ["gdq000"]), (None, ["zgdp"])]


def test_a_page_missing_from_the_documents_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen.diagnostics import SiteGenError

    def with_a_stranger(documents: Path, bundle: Path) -> None:
        (documents / "stranger").mkdir()
        (documents / "stranger" / "index.html").write_text(
            '<html lang="und"><body><main data-pagefind-body><p>_0 zX</p></main></body></html>', encoding="utf-8")
        run_pagefind(documents, bundle)

    monkeypatch.setattr(search, "run_pagefind", with_a_stranger)
    with pytest.raises(SiteGenError, match=r"the pages \[.*'/stranger/'.*\] where the learning document is the only one"):
        index_shard(documents(5), tmp_path / "shard")  # written by site_gen/search_shard.py
    monkeypatch.setattr(search, "plain_fields", lambda doc: False)  # the Pagefind way
    with pytest.raises(SiteGenError, match="'/stranger/' is not among the documents"):
        index_shard(documents(5), tmp_path / "shard-pagefind")


def test_a_bundle_of_another_shape_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    from site_gen.diagnostics import SiteGenError

    for payload, problem in ((cbor2.dumps({"words": []}), "one-element array"),
                             (cbor2.dumps([[["0", [], []], 5]]), "word entry")):  # not found by the scan: decoded
        def altered(documents: Path, bundle: Path, payload: bytes = payload) -> None:
            run_pagefind(documents, bundle)
            path = next((bundle / "index").iterdir())
            path.write_bytes(gzip.compress(b"pagefind_dcd" + payload))

        monkeypatch.setattr(search, "run_pagefind", altered)
        with pytest.raises(SiteGenError, match=problem):
            index_shard(documents(5), tmp_path / f"out-{len(problem)}")


def test_a_companion_entry_is_the_cbor_of_its_pages_without_positions() -> None:
    from site_gen.search_chunks import companion_entry

    rng = random.Random(3)
    for pages in ([], [0], [3, 4, 5], list(range(0, 400, 2)), [0, 23, 47], [0, 24, 30, 1000, 70000],
                  sorted(rng.sample(range(100_000), 3000))):  # one-byte differences only, and the others
        differences = [page - previous for page, previous in zip(pages, [0, *pages])]
        assert companion_entry("abc_", pages) == cbor2.dumps(["abc_", [[d, [], []] for d in differences], []])
