"""The index re-cut (site_gen/search_chunks.py) on a real Pagefind bundle, checked against Pagefind's lookup.

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

from site_gen.search import IndexDocument, run_pagefind, write_documents
from site_gen.search_canonical import read_pagefind_file
from site_gen.search_chunks import COMPANION, _word_entries, rechunk_bundle
from site_gen.search_text import han_code

TEXT = "今年以来全市坚持项目为王持续优化服务推动产业集群发展企业信心明显增强灵石经济技术开发区运城开发区"


def documents(count: int = 40) -> list[IndexDocument]:
    rng = random.Random(3)
    docs = []
    for i in range(count):
        paragraphs = tuple("".join(rng.choice(TEXT) for _ in range(rng.randint(20, 120))) + "。" for _ in range(3))
        docs.append(IndexDocument(path=f"a{i}/index.html", title=f"第{i}号", paragraphs=(*paragraphs, "5G GDP"),
                                  date=f"2020-01-{1 + i % 28:02d}", source=None, filters=()))
    return docs


@pytest.fixture(scope="module")
def pagefind_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chunks")
    write_documents(documents(), root / "docs")
    run_pagefind(root / "docs", root / "bundle")
    return root / "bundle"


def meta_and_chunks(bundle: Path) -> tuple[list, dict[str, list[tuple[str, bytes, list]]]]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    return meta[2], {name: _word_entries(bundle / "index" / f"{name}.pf_index") for _f, _t, name in meta[2]}


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
def test_rechunked_index_keeps_every_word_and_finds_it(pagefind_bundle: Path, tmp_path: Path, chunk_bytes: int) -> None:
    _chunks, before = meta_and_chunks(pagefind_bundle)
    original = {word: data for entries in before.values() for word, data, _pages in entries}
    bundle = tmp_path / "bundle"
    shutil.copytree(pagefind_bundle, bundle)
    rechunk_bundle(bundle, chunk_bytes)

    chunks, after = meta_and_chunks(bundle)
    assert sorted(p.stem for p in (bundle / "index").iterdir()) == sorted(after)  # no stale chunk files
    words = [word for _start, _end, name in chunks for word, _data, _pages in after[name]]
    assert words == sorted(words) and len(words) == len(set(words))  # in order, each once
    moved = {word: data for entries in after.values() for word, data, _pages in entries if not word.endswith(COMPANION)}
    assert moved == original  # every word, byte for byte
    for word in original:  # each found where it is
        assert any(w == word for w, _d, _p in after[lookup(chunks, word)]), word

    pair_pages: dict[str, set[int]] = {}
    for word, data, pages in (e for entries in before.values() for e in entries):
        if len(word) == 6 and word.isalnum() and not word.startswith("z"):
            pair_pages.setdefault(word[:3], set()).update(pages_of(pages))
    companions = 0
    for code, expected in pair_pages.items():
        found = {w: pages for w, _d, pages in after[lookup(chunks, code)]}
        group = {w for w in original if w.startswith(code) and len(w) in (3, 6)}
        if code + COMPANION in found:  # a group cut across chunks: the companion lists its pages
            companions += 1
            assert pages_of(found[code + COMPANION]) == expected
        else:  # a whole group in the chunk the code's lookup lands on
            assert group <= set(found), code
    if chunk_bytes == 80:
        assert companions > 0  # the small chunks cut the common characters' groups
    if chunk_bytes == 8000:
        assert companions == 0 and len(chunks) < len(original) // 5


def test_companion_positions_are_first_occurrences(pagefind_bundle: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(pagefind_bundle, bundle)
    rechunk_bundle(bundle, 80)
    chunks, after = meta_and_chunks(bundle)
    entries = {w: pages for e in after.values() for w, _d, pages in e}
    code = han_code("开")
    companion = entries[code + COMPANION]
    firsts: dict[int, int] = {}
    for word, pages in entries.items():
        if len(word) == 6 and word.startswith(code):
            page = 0
            for delta, locs, _meta in pages:
                page += delta
                position = locs[1] if locs[0] < 0 else locs[0]  # the first position (a weight marker may lead)
                firsts[page] = min(firsts.get(page, position), position)
    page = 0
    for delta, locs, meta in companion:
        page += delta
        assert locs[-1] == firsts[page] and meta == []


def test_a_bundle_of_another_shape_is_refused(pagefind_bundle: Path, tmp_path: Path) -> None:
    from site_gen.diagnostics import SiteGenError

    bundle = tmp_path / "bundle"
    shutil.copytree(pagefind_bundle, bundle)
    chunks, _ = meta_and_chunks(bundle)
    path = bundle / "index" / f"{chunks[0][2]}.pf_index"
    import gzip
    path.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps([[["word", "not pages", []]]])))
    with pytest.raises(SiteGenError, match="word entry"):
        rechunk_bundle(bundle)
