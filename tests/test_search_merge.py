"""The shard merge (site_gen/search_merge.py): shards indexed one Pagefind run each, merged into one bundle,
must make the index one Pagefind run over all the documents makes: every word on the same pages at the same
positions, the same filter values, the date order.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import cbor2
import pytest

from site_gen import search
from site_gen.diagnostics import SiteGenError
from site_gen.search import (PREPARED, IndexDocument, document_url, index_bundle, run_pagefind, shard_key, shards,
                             write_documents)
from site_gen.search_canonical import read_pagefind_file
from site_gen.search_chunks import _word_entries
from site_gen.search_merge import BUCKETS, _entry_head, bucket_of, merged_entry, Bucket
from site_gen.search_text import fold

TEXT = "今年以来全市坚持项目为王持续优化服务推动产业集群发展企业信心明显增强灵石经济技术开发区運城開發區"


def documents(count: int = 45) -> list[IndexDocument]:
    rng = random.Random(5)
    docs = []
    for i in range(count):
        paragraphs = tuple("".join(rng.choice(TEXT) for _ in range(rng.randint(10, 90))) + "。" for _ in range(3))
        # "GDP" in titles: Pagefind indexes the title's words as they are, and 蜭's code is "gdp": that word's
        # pages are then not the documents' own, so the merge must decode its entry instead of trusting them.
        # Accented Latin words: Pagefind indexes "nestle" with "nestlé" as a variant of it (its own pages and
        # the variant's), an entry of another shape that the merge rebuilds; "Été" folds to "ete", a code.
        accented = ("雀巢 Nestlé 公司" if i % 4 == 1 else "") + (" Été" if i % 7 == 3 else "")
        # The first shard (shard_size 10) has neither dates nor sources: its metadata field list is
        # ["title"], the others' ["date", "source", "title"]; no merged posting may refer to it.
        first_shard = i < 10
        # Tokens site_gen/search_index.py hands to Pagefind or keeps (SAFE_PUNCTUATION): punctuation that gets
        # a "." at the end of a block ($ ) * _), letters Python calls punctuation (Ⓐ, the vowel sign ा), a "z"
        # word or a kept token before a code or safe punctuation at the block's end, HTML's & and <.
        odd = ["", " 价格$", " (注*) 见附件", " Ⓐ级 景区", " 指数 ा", " x&y <b> 完", " 第一_", " —— 《", " ⅰ ² 。"][i % 9]
        docs.append(IndexDocument(
            path=f"articles/a{i:02d}/index.html",
            title=(f"第{i}号 GDP 报告" if i % 4 else f"第{i}号报告") + (" Café" if i % 5 == 2 else "")
            + (" A&B $" if i % 8 == 5 else ""),
            paragraphs=(*paragraphs, ("5G 蜭蜭 z" if i % 3 else "5G") + accented + odd),
            date=None if i % 11 == 10 or first_shard else f"20{20 + i % 5}-0{1 + i % 9}-1{i % 10}",
            source=None if first_shard else f"来源{i % 3}",
            filters=(("zone", f"开发区{i % 4}"), ("year", str(2020 + i % 5)))))
    return docs


def decoded(bundle: Path) -> tuple[dict, dict, list[str], int]:
    """(word → {url: (locs, meta locs)}, filter → value → urls, the date order's URLs, page count)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    urls = [json.loads(gzip.decompress((bundle / "fragment" / f"{h}.pf_fragment").read_bytes())[12:])["url"]
            for h, _count in meta[1]]
    words: dict[str, dict] = {}
    for _from, _to, name in meta[2]:
        for word, data in _word_entries(bundle / "index" / f"{name}.pf_index"):
            item = cbor2.loads(data)
            assert word not in words
            words[word] = by_url(item[1], urls)
            for variant, variant_pages in item[2]:
                words[f"{word} → {variant}"] = by_url(variant_pages, urls)
    filters = {}
    for name, filter_hash in meta[3]:
        values = read_pagefind_file(bundle / "filter" / f"{filter_hash}.pf_filter")[1]
        filters[name] = {value: sorted(urls[p] for p in pages) for value, pages in values}
    (sort_name, order), = meta[4]
    assert sort_name == "date"
    return words, filters, [urls[p] for p in order], language["page_count"]


def fragments(bundle: Path) -> dict[str, dict]:
    """Each page's fragment (content, word count, meta, filters), by URL."""
    out = {}
    for path in (bundle / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes())[12:])
        out[fragment["url"]] = fragment
    return out


def word_counts(bundle: Path) -> dict[str, int]:
    """Each page's word count in the meta (what Pagefind's ranking divides by), by URL."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    return {json.loads(gzip.decompress((bundle / "fragment" / f"{h}.pf_fragment").read_bytes())[12:])["url"]: count
            for h, count in meta[1]}


def by_url(postings: list, urls: list[str]) -> dict[str, tuple]:
    page, out = 0, {}
    for difference, locs, meta_locs in postings:
        page += difference
        out[urls[page]] = (locs, meta_locs)
    return out


@pytest.fixture(scope="module", params=["site_gen", "pagefind"])
def bundles(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The documents merged from 5 shards, indexed as one shard, and Pagefind's own index of them. The shards are
    written by site_gen/search_shard.py (the usual, the documents' fields being plain) or by Pagefind over the rest
    documents (any other shard)."""
    root = tmp_path_factory.mktemp("merge")
    docs = documents()
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "pagefind":
            patch.setattr(search, "plain_fields", lambda doc: False)
        else:
            assert all(search.plain_fields(doc) for doc in docs)
        index_bundle(docs, root / "merged", shard_size=10, workers=2, store=root / "store")  # 5 shards
        index_bundle(docs, root / "single", shard_size=1000)
    write_documents(docs, root / "documents")
    run_pagefind(root / "documents", root / "raw")  # Pagefind's own index, neither prepared nor merged
    return root / "merged", root / "single", root / "raw"


def own_words(words: dict, docs: list[IndexDocument]) -> dict:
    """A decoded raw index with only what the documents were written with, by search_merge._own_entry's rule: a
    "z" word at every position Pagefind gives it; a code where the document wrote it; any other word at every
    position on a page whose text has it as a token of its own, not a code ("🙂 #🙂": Pagefind reads "#🙂" as
    "🙂" too, and the page holds "🙂"); pages and words left without positions dropped. (Pagefind also cuts "gdp"
    out of "zGDP", at a place where the text has no 蜭, whose code it is.)"""
    from site_gen.search_text import code_tokens

    # Pagefind deletes U+200B from a word: "©\u200b®" reads "©®", a lone one nothing.
    tokens = {document_url(d): [t for text in (*d.paragraphs, d.title)
                                for t in code_tokens(text).replace("\u200b", "").split()] for d in docs}
    own_tokens = {url: {t for t in written if not CODE.fullmatch(t)} for url, written in tokens.items()}

    def kept(word: str, url: str, locs: list[int]) -> list[int]:
        if word.startswith("z"):
            return locs
        if not CODE.fullmatch(word):
            return locs if word in own_tokens[url] else []
        out, position, was = [], 0, 0
        for loc in locs:
            if loc < 0:
                out.append(loc)
                position = was = 0
                continue
            position += loc
            if position < len(tokens[url]) and tokens[url][position] == word:
                out.append(position - was)
                was = position
        return [loc for n, loc in enumerate(out) if loc >= 0 or (n + 1 < len(out) and out[n + 1] >= 0)]

    own = {word: {url: (kept(word.partition(" → ")[2 if " → " in word else 0], url, locs), [])
                  for url, (locs, _meta) in pages.items()} for word, pages in words.items()}
    own = {word: {url: value for url, value in pages.items() if value[0]} for word, pages in own.items()}
    stems = {word.partition(" → ")[0] for word, pages in own.items() if pages}
    return {word: pages for word, pages in own.items() if pages or word in stems}


CODE = re.compile(r"(?:[0-9a-l][0-9a-z]{2}){1,2}")  # a code word (search_text.code_tokens): one or two codes


def test_merged_shards_equal_one_pagefind_run_on_the_documents_own_words(bundles: tuple[Path, Path, Path]) -> None:
    merged, single, raw = (decoded(b) for b in bundles)
    assert merged[3] == single[3] == raw[3] == 45
    assert merged[0] == single[0] == own_words(raw[0], documents())  # every word: the same pages and positions
    assert "znestle → znestlé" in merged[0] and "z5g" in merged[0]  # accented variants, across shards
    assert merged[1] == single[1] == raw[1]  # filters
    assert fragments(bundles[0]) == fragments(bundles[2])  # content, word count, meta, filters, as Pagefind wrote them
    assert word_counts(bundles[0]) == word_counts(bundles[1]) == word_counts(bundles[2])
    dates = {document_url(d): d.date or "0000-00-00" for d in documents()}
    assert [dates[u] for u in merged[2]] == sorted(dates.values())  # oldest first, as Pagefind sorts
    assert [dates[u] for u in merged[2]] == [dates[u] for u in single[2]] == [dates[u] for u in raw[2]]


def test_words_the_documents_were_not_written_with_find_nothing(bundles: tuple[Path, Path, Path]) -> None:
    merged, raw = decoded(bundles[0])[0], decoded(bundles[2])[0]
    assert not any(meta for pages in merged.values() for _locs, meta in pages.values())
    # Pagefind indexes the titles' words as words of the metadata, and cuts "zGDP" into "z" and "gdp" at
    # the same position; 蜭's code is "gdp", so the one-character query 蜭 (a prefix search) would find
    # every "GDP" title. Only the pages whose text holds 蜭 are left, and the metadata's words are gone.
    holding = {document_url(d) for d in documents() if "蜭" in "".join(d.paragraphs)}
    assert set(raw["gdp"]) > holding and set(merged["gdp"]) == holding
    gone = {"01", "2020", "cafe → café"}
    assert gone <= raw.keys() and not gone & merged.keys()


def test_merged_bundle_is_one_index_with_every_fragment(bundles: tuple[Path, Path, Path]) -> None:
    merged = bundles[0]
    assert len(list(merged.glob("*.pf_meta"))) == 1
    assert len(list((merged / "fragment").iterdir())) == 45
    assert (merged / "pagefind.js").is_file() and (merged / "wasm.unknown.pagefind").is_file()
    assert not list(merged.glob("site-gen-*"))


def test_a_half_made_shard_in_the_store_is_made_again(tmp_path: Path) -> None:
    docs = documents(20)
    index_bundle(docs, tmp_path / "first", shard_size=10, store=tmp_path / "store")
    key = shard_key(shards(docs, 10)[1])
    (tmp_path / "store" / key / PREPARED).unlink()  # as a killed build leaves it
    for path in (tmp_path / "store" / key).glob("site-gen-words-*"):
        path.write_bytes(b"garbage")
    index_bundle(docs, tmp_path / "second", shard_size=10, store=tmp_path / "store")
    assert decoded(tmp_path / "first")[:3] == decoded(tmp_path / "second")[:3]
    assert (tmp_path / "store" / key / PREPARED).is_file()


def test_merged_entry_counts_each_shard_from_the_last_page_before_it() -> None:
    # Shard 0 (pages 0–9): the word on pages 2 and 5; shard 1 (pages 10–19): on its pages 1 and 4.
    def bucket(first: int, last: int, rest: bytes) -> Bucket:
        from array import array
        return Bucket(["w"], array("I", [2]), array("I", [first]), array("I", [last]), rest, array("I", [len(rest)]), {})

    locs = b"\x81\x01\x80"  # [1] and [] after the first page difference: [diff, [1], []]
    second = b"\x83\x03" + locs
    entry = merged_entry("w", [0, 1 << 32], [bucket(2, 5, locs + second), bucket(1, 4, locs + second)], [0, 10])
    word, pages, extra = cbor2.loads(entry)
    assert (word, extra) == ("w", [])
    assert [p[0] for p in pages] == [2, 3, 6, 3]  # 2, 5, then 11 (= 5 + 6) and 14


def test_entries_of_another_shape_are_decoded_and_malformed_ones_name_their_file() -> None:
    from site_gen.search_merge import _decoded_entry

    assert _entry_head("w", cbor2.dumps(["w", [], [["wé", [[1, [2], []]]]]])) is None  # variants only
    assert _entry_head("w", cbor2.dumps(["w", [[1, [2], []]], []])) == (1, 1, 6)  # 1 page, from page 1, then [2]
    for bad in ({"w": 1}, ["w", [[1, [2]]], []], ["w", [[-1, [2], []]], []], ["w", [], [["wé", [[1, 2, []]]]]]):
        with pytest.raises(SiteGenError, match="chunk.pf_index.*the entry of 'w'"):  # a posting of another shape
            _decoded_entry("w", cbor2.dumps(bad), Path("chunk.pf_index"))


def test_buckets_are_stretches_of_the_word_order() -> None:
    words = sorted(["!", "。", "0ab", "9zz", "a00", "l12", "z5g", "zz", "~", "一"])
    numbers = [bucket_of(w) for w in words]
    assert numbers == sorted(numbers) and max(numbers) < BUCKETS


def test_folded_traditional_text_is_found_under_simplified_words(bundles: tuple[Path, Path, Path]) -> None:
    from site_gen.search_text import code_tokens

    words = decoded(bundles[0])[0]
    pair = code_tokens(fold("运城"))  # 運城 in the text, folded when the documents were written
    assert pair.split()[0] in words


def test_an_archive_without_articles_gets_an_index_that_finds_nothing(tmp_path: Path) -> None:
    index_bundle([], tmp_path / "bundle", store=tmp_path / "store")
    words, filters, order, pages = decoded(tmp_path / "bundle")
    assert pages == 1 and set(words) == {"_"} and filters == {} and len(order) == 1


def test_heavy_phrases_get_a_companion_listing_their_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen import search_merge
    from site_gen.search import search_phrases
    from site_gen.search_text import han_code

    docs = [IndexDocument(path=f"articles/p{i:02d}/index.html", title=f"第{i}号",
                          paragraphs=(("灵石经济技术开发区招商。" if i % 3 == 0 else "") + ("運城市" if i % 2 else "晋中"),),
                          date=f"2024-01-{1 + i % 28:02d}", source=None, filters=()) for i in range(30)]
    phrases = search_phrases(["灵石经济技术开发区", "运城开发区", "運城", "火星基地", "X区", "灵"])
    assert phrases == ("火星基地", "灵石经济技术开发区", "运城", "运城开发区")  # folded, Han only, two or more
    assert index_bundle(docs, tmp_path / "light", shard_size=10, store=tmp_path / "store", phrases=phrases) == []
    monkeypatch.setattr(search_merge, "PHRASE_COMPANION_BYTES", 100)
    chosen = index_bundle(docs, tmp_path / "heavy", shard_size=10, store=tmp_path / "store2", phrases=phrases)
    assert chosen == ["灵石经济技术开发区", "运城"]  # 火星基地 and 运城开发区 are in no article
    words = decoded(tmp_path / "heavy")[0]
    for phrase in chosen:
        companion = words["".join(han_code(c) for c in phrase) + search_merge.PHRASE_MARK]
        holding = {document_url(d) for d in docs if phrase in fold("\n".join((d.title, *d.paragraphs)))}
        assert set(companion) == holding and all(locs == ([], []) for locs in companion.values())


def test_documents_made_from_markdown_are_indexed_as_their_paragraphs(tmp_path: Path) -> None:
    from dataclasses import replace

    from site_gen.search import plain_paragraphs

    markdown = "## 小标题\n\n灵石**开发区** [招商](https://x.cn/)。\n\n第二段\n接着写 5G。"
    lazy = [replace(doc, paragraphs=(), markdown=markdown) for doc in documents(12)]
    assert lazy[0].resolved().paragraphs == plain_paragraphs(markdown) == ("小标题", "灵石开发区 招商。", "第二段 接着写 5G。")
    made = [doc.resolved() for doc in lazy]
    assert all(doc.markdown is None for doc in made)
    index_bundle(lazy, tmp_path / "lazy", shard_size=5)  # the paragraphs made in the shards' workers
    index_bundle(made, tmp_path / "made", shard_size=5)
    assert decoded(tmp_path / "lazy") == decoded(tmp_path / "made")
    assert fragments(tmp_path / "lazy") == fragments(tmp_path / "made")


def test_fields_pagefind_would_rewrite_send_their_shard_the_pagefind_way(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    odd = [" 来源", "来源 ", "来源  甲", "来源\t甲", "来源\n甲", "来源\u00a0甲", "来源\u3000甲"]
    docs = documents(20)
    for n, value in enumerate(odd):  # one odd value in each of shards 1 and 3 (shard_size 5); shards 0 and 2 plain
        docs[5 + n % 2 * 10 + n // 2] = replace(docs[5 + n % 2 * 10 + n // 2], source=value,
                                                filters=(("zone", value), ("zone", value)) if n == 2 else ())
    assert [search.plain_fields(doc) for doc in docs[:5] + docs[10:15]] == [True] * 10
    assert not any(search.plain_fields(doc) for doc in docs[5:9] + docs[15:18])
    assert not search.plain_fields(replace(docs[0], date="2024-1-5"))
    assert not search.plain_fields(replace(docs[0], filters=(("zone", "甲"), ("zone", "甲"))))
    assert not search.plain_fields(replace(docs[0], title=""))
    written = []
    real = search.write_shard
    monkeypatch.setattr(search, "write_shard", lambda folder, docs, *rest: written.append(docs[0].path)
                        or real(folder, docs, *rest))
    index_bundle(docs, tmp_path / "merged", shard_size=5, workers=1, store=tmp_path / "store")
    assert written == [docs[0].path, docs[10].path]  # the other two shards: the Pagefind way
    write_documents(docs, tmp_path / "documents")
    run_pagefind(tmp_path / "documents", tmp_path / "raw")
    merged, raw = decoded(tmp_path / "merged"), decoded(tmp_path / "raw")
    assert merged[0] == own_words(raw[0], docs) and merged[1] == raw[1] and merged[3] == raw[3] == 20
    assert fragments(tmp_path / "merged") == fragments(tmp_path / "raw")  # "来源 甲" as Pagefind reads it


def test_a_shard_key_changes_with_every_field_of_every_document() -> None:
    """A shard is reused from the store by its key: a change to any field of any of its documents (None turned
    into the text "None" included) must give another key."""
    from dataclasses import fields, replace

    docs = [IndexDocument(path=f"a{i}/index.html", title="标题", paragraphs=("正文",), date="2020-01-02", source="来源",
                          filters=(("zone", "甲"),), markdown="正文") for i in range(3)]
    changed = {"path": "b/index.html", "title": "None", "paragraphs": ("正文", ""), "date": None, "source": "None",
               "filters": (("zone", "乙"),), "markdown": None}
    assert set(changed) == {field.name for field in fields(IndexDocument)}
    keys = {shard_key(docs)}
    for name, value in changed.items():
        keys.add(shard_key([docs[0], replace(docs[1], **{name: value}), docs[2]]))
    keys.add(shard_key([docs[0], replace(docs[1], source=None), docs[2]]))  # None, against "None" above
    keys.add(shard_key(docs, phrases=("灵石",)))
    assert len(keys) == len(changed) + 3
