"""Article Markdown: the faster converters (without smarty, without the inline stage) are used only where
what they leave out would change nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import pages

# Chinese text with Markdown syntax around it, but none of the characters smarty rewrites.
_PIECES = st.sampled_from([
    "灵石经济技术开发区", "“新质生产力”", "——", "……", "。\n\n", "\n", "# ", "## ", "- ", "1. ", "> ", "**", "*",
    "[链接](https://example.org/a)", "![图](a.png)", "| 列 | 值 |\n|---|---|\n| 1 | 2 |\n", "<b>", "&amp;", "2024年",
    "`代码`", "   ", "-", ".", "..", "<", ">",
    "\t", "  \n", "  \r\n", "\r\n", "\r", " \x02 ", "\x03", "\\", "_", "![", "]", "(", ")", "<https://example.org>",
    "a@b.cn", "&", "    缩进",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fast_converter_matches_smarty_where_smarty_has_nothing_to_do(body):
    if pages._SMARTY_INPUT.search(body):
        return
    assert pages._MARKDOWN_PLAIN.reset().convert(body) == pages._MARKDOWN.reset().convert(body)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_converter_without_inline_stage_matches_where_no_inline_pattern_can_start(body):
    if pages._INLINE_INPUT.search(body) or pages._SMARTY_INPUT.search(body):
        return
    assert pages._MARKDOWN_BARE.reset().convert(body) == pages._MARKDOWN_PLAIN.reset().convert(body)


def test_inline_syntax_still_applies():
    assert pages.markdown_to_html("**开发区**与[链接](https://example.org/a)") == \
        '<p><strong>开发区</strong>与<a href="https://example.org/a" rel="noopener noreferrer">链接</a></p>'
    assert pages.markdown_to_html("第一行  \n第二行") == "<p>第一行<br>\n第二行</p>"
    # Line breaks that appear only once Markdown has normalised the text (its placeholder markers deleted).
    for body in ("甲\t\n乙", "甲 \x02 \n乙", "甲 \x03 \n乙", "甲  \r乙"):
        assert "<br>" in pages.markdown_to_html(body), repr(body)  # the converter without inline stage has none


def test_smarty_still_applies_where_it_has_work():
    html = pages.markdown_to_html('他说 "开发区" -- 好... 吗')
    assert html == "<p>他说 “开发区” – 好… 吗</p>"


def test_the_sample_articles_convert_the_same_either_way():
    from pathlib import Path

    from site_gen.content import read_articles

    articles, problems = read_articles(Path(__file__).resolve().parent.parent / "content")
    assert len(articles) == 5 and not problems
    plain = [a.body for a in articles if not pages._SMARTY_INPUT.search(a.body)]
    assert plain  # the real articles take the fast path
    for body in plain:
        assert pages._MARKDOWN_PLAIN.reset().convert(body) == pages._MARKDOWN.reset().convert(body)
    bare = [b for b in plain if not pages._INLINE_INPUT.search(b)]
    assert bare  # and most skip the inline stage too
    for body in bare:
        assert pages._MARKDOWN_BARE.reset().convert(body) == pages._MARKDOWN.reset().convert(body)
