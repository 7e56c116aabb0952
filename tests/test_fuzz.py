"""Fuzzing the importer and the front-matter reader with hypothesis: whatever the bytes, the result is
an article or a reported reason (SeedError / Diagnostics), never an unexpected exception.

Every crash found is kept as a regression case in CRASH_CORPUS below.
"""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.content import format_article, parse_article_text
from site_gen.enrich import Enricher
from site_gen.importer import SeedConverter, SeedError

FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces real seeds are made of, so the fuzzer reaches deep into the parsers instead of failing at decode.
FRAGMENTS = [
    "---\n", "+++\n", "title: ", "date: 2022-03-10 10:05:02 +0800\n", "<p>", "</p>", "<html>", "<body>", "<div>",
    "灵石经济技术开发区", "晋中经开区", "來源:晉中日報", "2024-10-05 10:28:42    来源:晋中日报", "(晋中日报 记者  王文安)",
    "[编辑:杜利勇 张能改]", "责任编辑: 吉政", "經(jīng)濟", "?“", "當?shù)禺a(chǎn)業(yè)", "11月11日", "admin9个月前 (09-29)",
    "相关新闻", "声明", "Copyright ©", "\n", "\n\n", "\r\n", "\u3000", "\ufeff", "\x00", "：", "#", "*", "&a ", "*a ",
    "[", "]", "{{ x }}", "{% if %}", "<script>alert(1)</script>", "二〇二三年十三月", "2023-02-30", "（程煜媛）",
]


@functools.lru_cache(maxsize=1)
def converter() -> SeedConverter:
    return SeedConverter(Enricher(None), None)


def convert(data: bytes) -> None:
    try:
        converted = converter().convert(data, "fuzz.txt", {})
    except SeedError as exc:
        assert str(exc)
        return
    article = converted.article
    assert article.title and article.body
    text = format_article(article)
    again, problems = parse_article_text(text, "fuzz.md")
    assert problems == [] and again is not None
    assert again.title == article.title and again.body == article.body.strip("\n")


CRASH_CORPUS: list[bytes] = [
    # kept from fuzzing runs and the hostile corpus: each once crashed or hung a stage
    b"<html><body>" + b"<div>" * 3000 + b"\xe6\xad\xa3\xe6\x96\x87" + b"</div>" * 3000,
    "---\ntitle: [\n---\n正文".encode(),
    "---\n- a\n---\n正文".encode(),
    "标题\n\n" .encode() + ("开发区" * 5000).encode(),
    "\ufeff\ufeff\ufeff".encode(),
    b"\xff\xfe" + "灵石".encode("utf-16-le") + b"\x00",
    "（文章来源：）".encode(),
    "(记者)".encode(),
    "0\x85---\n---\n".encode(),  # NEL is a YAML line break: the title changed on the round trip
    b"n\x15\xe2",  # decodes to text with a NEL inside a heading
]


def test_front_matter_crash_corpus() -> None:
    # PyYAML raised a bare ValueError for an impossible date; now it is a diagnostic on the key's line
    article, problems = parse_article_text("---\ntitle: t\nseed: s.txt\ndate: 2023-02-30\n---\n", "content/x.md")
    assert article is None and [p.line for p in problems] == [4] and "calendar" in problems[0].message


def test_crash_corpus() -> None:
    for data in CRASH_CORPUS:
        convert(data)


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40))
def test_importer_survives_seed_like_text(parts: list[str]) -> None:
    convert("".join(parts).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=600))
def test_importer_survives_random_bytes(data: bytes) -> None:
    convert(data)


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS + ["seed: x.txt\n", "slug: a-b\n", "tags: [a, b]\n", "extra:\n  k: v\n",
                                             "draft: yes\n", "date: 2023-02-30\n", "title: \"x\"\n"]) | st.text(max_size=10),
                max_size=30))
def test_front_matter_reader_never_raises(parts: list[str]) -> None:
    article, problems = parse_article_text("".join(parts), "content/fuzz.md")
    assert (article is None) == bool(problems)
    for problem in problems:
        assert problem.format().startswith("content/fuzz.md:")
