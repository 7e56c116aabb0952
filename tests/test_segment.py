"""The segmenter (rjieba over jieba's dictionary) gives exactly the words and tags jieba gives.

The reference is jieba itself, set up as the enrich stage used it before: `jieba.Tokenizer` with the user
dictionary loaded, `jieba.posseg.POSTokenizer(...).cut(text, HMM=False)`; and for slugs
`jieba.lcut(text, HMM=False)` after `add_word(word, freq=20000)` for each place and zone word.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from site_gen.enrich.segment import (JiebaSegmenter, Segmenter, _PACKAGE_USERDICT, new_segmenter, read_userdict,
                                     segment)

ROOT = Path(__file__).resolve().parent.parent
# Cases where the Rust port's own rules differ from jieba's unless the segmenter corrects them: digits and
# letters (jieba: one `eng` run), whitespace and \r\n, signs inside and outside Han runs, a word listed
# twice in jieba's dictionary (B超), user words that re-list known ones with another tag (产业链 nz).
EDGE_CASES = [
    "2023年1-9月，太原高新区GDP增长6.5%，5G基站154个，B超设备3台。",
    "产业链\r\n招商引资 以旧换新\t光伏+储能 C++ a_b A&B 1.5亿元 #话题# ５Ｇ 㐀 𠀀 γ射线 T-shirt",
    "灵石经济技术开发区：筑强产业根基",
    "",
    "   ",
]


def _texts() -> list[str]:
    texts = list(EDGE_CASES)
    for folder in (ROOT / "seeds", ROOT / "tests" / "golden" / "seeds"):
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.iterdir()) if p.is_file()]
    spec = importlib.util.spec_from_file_location("bench_generate_for_segment", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    for index in range(40):
        article = generate.make_article(index)
        texts.append(article.title + "\n" + "\n".join(generate._body_plain(article)))
    return texts


@functools.lru_cache(maxsize=None)
def _jieba(entries: tuple[tuple[str, int | None, str | None], ...]) -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(60)
    base = jieba.Tokenizer()
    for word, freq, tag in entries:
        base.add_word(word, freq, tag)
    return jieba.posseg.POSTokenizer(base)


def _reference(entries: list, text: str) -> tuple[tuple[str, str], ...]:
    return tuple((pair.word, pair.flag) for pair in _jieba(tuple(entries)).cut(text, HMM=False))


def test_tags_are_jiebas_with_the_package_user_dictionary() -> None:
    entries = read_userdict(_PACKAGE_USERDICT)
    segmenter = new_segmenter(entries)
    assert isinstance(segmenter, Segmenter)
    texts = _texts()
    assert len(texts) > 50
    for text in texts:
        assert segmenter.tokens(text) == _reference(entries, text), text[:80]
        assert "".join(word for word, _ in segmenter.tokens(text)) == text
    assert ("产业链", "nz") in segment("延链补链强产业链")  # a known word the user dictionary re-tags
    assert ("5G", "eng") in segment("5G基站") and ("154", "eng") in segment("基站154个")


def test_words_are_jieba_lcut_with_added_words() -> None:
    from site_gen.importer import slugs

    segmenter = slugs.prepare_dictionaries()
    assert isinstance(segmenter, Segmenter)
    reference = jieba.Tokenizer()
    added = ["灵石", "经开区", "经济技术开发区", "长治", "阳泉", "开发区", "高新区", "示范区", "产业园"]
    for word in added:
        reference.add_word(word, freq=20_000)
    mine = Segmenter([(word, 20_000, None) for word in added])
    for text in _texts():
        assert mine.words(text) == reference.lcut(text, HMM=False), text[:80]
    assert slugs.slugify("灵石经济技术开发区：筑强产业根基") == "lingshi-jingjijishukaifaqu-zhu-qiang-chanye-genji"


@pytest.mark.parametrize("line", ["数字经济 nz", "AI2 3000 nz", "零碳园区 0 nz", "5% 3000 m"])
def test_entries_only_jieba_can_follow_go_through_jieba(tmp_path: Path, line: str) -> None:
    """A missing frequency (jieba computes one from its own state), frequency 0, a word of ASCII letters and
    digits only, a sign jieba reads outside its runs: jieba itself segments, so the result is still jieba's."""
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(f"新质生产力 2000 nz\n{line}\n", encoding="utf-8")
    entries = read_userdict(userdict)
    segmenter = new_segmenter(entries)
    assert isinstance(segmenter, JiebaSegmenter)
    text = "发展数字经济和新质生产力，AI2平台落地零碳园区，增长5%。"
    assert segmenter.tokens(text) == _reference(entries, text)


def test_user_dictionary_is_read_as_jieba_reads_it(tmp_path: Path) -> None:
    userdict = tmp_path / "userdict.txt"
    userdict.write_bytes("\ufeff新质生产力 2000 nz\n\n  三个一批 2000  \n承诺制 nz\n标准地\n".encode("utf-8"))
    assert read_userdict(userdict) == [("新质生产力", 2000, "nz"), ("三个一批", 2000, None), ("承诺制", None, "nz"),
                                       ("标准地", None, None)]


def test_idf_table_is_jiebas() -> None:
    import jieba.analyse

    from site_gen.enrich.tags import jieba_idf

    assert jieba_idf() == jieba.analyse.TFIDF().idf_loader.get_idf()


def _probe_total(segmenter: Segmenter) -> list[int]:
    """Figures that move with the segmenter's total (which divides every word's probability): how often a pair
    of probe words must be seen to be one word, for 64 frequencies of the second. Each is
    floor(f1 × f2 / total) + 1, so a total one higher or lower changes a quarter of them."""
    segmenter._jieba.add_word("龘", 10**10, "x")
    figures = []
    for step in range(64):
        segmenter._jieba.add_word("靐", 10**10 + 7919 * step, "x")  # re-added: rjieba replaces its frequency
        figures.append(segmenter._jieba.suggest_freq("龘靐"))
    return figures


ENTRY_CASES = [
    [],
    [("产业链", 3000, "nz"), ("储能", 500, None), ("新质生产力", 2000, "nz"), ("新质生产力", 2500, None)],
    [("链", 900, "q"), ("灵石", 20_000, None), ("经开区", 20_000, "ns"), ("灵石", 30_000, "nr")],
]


@pytest.mark.parametrize("entries", ENTRY_CASES, ids=["none", "known-and-new", "one-character"])
def test_rjiebas_built_in_dictionary_gives_what_the_file_gives(entries: list) -> None:
    """Made from rjieba's own copy of jieba's dictionary (0.14-0.16 s) or word by word from the file (0.40-0.44 s), a
    Segmenter has the same total, words and tags, whatever the user entries re-list or add."""
    module = importlib.import_module("site_gen.enrich.segment")

    dictionary = module._built_in_dictionary()
    assert dictionary is not None, "the installed jieba and rjieba are not the pair _BUILT_IN names"
    fast, slow = Segmenter(entries), Segmenter.__new__(Segmenter)
    slow._jieba, slow._retag = module._from_file(entries)
    slow._chars = {}
    texts = _texts() + ["".join(word for word, _freq, _tag in entries) + "链条灵石经开区产业链储能"]
    for text in texts:
        assert fast.tokens(text) == slow.tokens(text), text[:80]
        assert fast.words(text) == slow.words(text), text[:80]
    for text in EDGE_CASES[:3]:
        assert fast.tokens(text) == _reference(entries, text)
    assert _probe_total(fast) == _probe_total(slow)


def test_another_dictionary_file_or_a_word_it_lists_twice_goes_word_by_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """rjieba's built-in dictionary is used only for the file it copies: another digest (a jieba that changed its
    dictionary) gives the word-by-word way, and so does an entry re-listing B超, which the file lists twice."""
    module = importlib.import_module("site_gen.enrich.segment")
    twice = [("B超", 5, "nz"), ("产业链", 3000, "nz")]
    assert module._from_built_in(twice, module._built_in_dictionary()) is None
    text = "B超设备进入产业链，B超检查。"
    assert Segmenter(twice).tokens(text) == _reference(twice, text)
    monkeypatch.setattr(module, "_BUILT_IN", (module._BUILT_IN[0], "0" * 64, module._BUILT_IN[2]))
    module._built_in_dictionary.cache_clear()
    try:
        assert module._built_in_dictionary() is None
        entries = read_userdict(_PACKAGE_USERDICT)
        for sample in EDGE_CASES:
            assert Segmenter(entries).tokens(sample) == _reference(entries, sample)
    finally:
        module._built_in_dictionary.cache_clear()
