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
    if pages._smarty_input(body):
        return
    assert pages._MARKDOWN_PLAIN.reset().convert(body) == pages._MARKDOWN.reset().convert(body)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_converter_without_inline_stage_matches_where_no_inline_pattern_can_start(body):
    if pages._inline_input(body) or pages._smarty_input(body):
        return
    assert pages._MARKDOWN_BARE.reset().convert(body) == pages._MARKDOWN_PLAIN.reset().convert(body)


# Paragraphs and headings, with everything that could start another block or change a line's meaning.
_BLOCK_PIECES = st.sampled_from([
    "灵石经济技术开发区", "“新质生产力”", "——", "。", "\n", "\n\n", "\n\n\n", "#", "# ", "## ", "###### ", "####### ",
    "C#", " #", "=", "===", "-", "---", "+", "+ ", "*", "1. ", "1.5亿元", "１２. ", "2024年", ">", "|", " ", "  ",
    "    ", "　", "　　", "\u00a0", " \n", "　\n", "a", "Z", "9", ".", "、",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_BLOCK_PIECES, max_size=25).map("".join))
def test_plain_blocks_are_converted_as_python_markdown_converts_them(body):
    if pages._inline_input(body) or pages._smarty_input(body):
        return  # not the bare converter's input
    html = pages._blocks_html(body)
    if html is not None:
        assert html == pages._MARKDOWN_BARE.reset().convert(body)


def test_plain_blocks_take_the_fast_path():
    body = "　　开发区建设提速。\n第二行\n\n## 抓项目 增动能\n\n\n\n2024年，C语言 1.5亿元。\n\n###### 小标题"
    assert pages._blocks_html(body) == ("<p>开发区建设提速。\n第二行</p>\n<h2>抓项目 增动能</h2>\n"
                                        "<p>2024年，C语言 1.5亿元。</p>\n<h6>小标题</h6>")
    assert pages._blocks_html(body) == pages._MARKDOWN_BARE.reset().convert(body)
    for other in ("1. 一\n2. 二", "甲\n===", "甲\n- 乙", "> 引", "甲|乙", "    代码", "甲\n## 乙", "## 乙 ##", "C#语言", ""):
        assert pages._blocks_html(other) is None, other  # left to Python-Markdown


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
    plain = [a.body for a in articles if not pages._smarty_input(a.body)]
    assert plain  # the real articles take the fast path
    for body in plain:
        assert pages._MARKDOWN_PLAIN.reset().convert(body) == pages._MARKDOWN.reset().convert(body)
    bare = [b for b in plain if not pages._inline_input(b)]
    assert bare  # and most skip the inline stage too
    for body in bare:
        assert pages._MARKDOWN_BARE.reset().convert(body) == pages._MARKDOWN.reset().convert(body)
        if pages._blocks_html(body) is not None:
            assert pages._blocks_html(body) == pages._MARKDOWN.reset().convert(body)


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK_PIECES, max_size=25).map("".join))
def test_the_quick_conversion_is_the_parsed_one(body):
    html = pages.quick_html(body)
    if html is not None:
        assert html == pages.parsed_html(body)
    assert pages.markdown_to_html(body) == pages.parsed_html(body)


def test_the_html_cache_keeps_only_what_python_markdown_converts(tmp_path):
    from site_gen.cache import BuildCache

    cache = BuildCache.beside(tmp_path)
    quick, parsed = "开发区建设提速。\n\n## 抓项目", "**开发区**建设提速。"
    assert pages.quick_html(quick) is not None and pages.quick_html(parsed) is None
    assert cache.html_of(quick) == pages.parsed_html(quick)
    assert not (cache.folder / "html").exists()  # converting it again costs less than a file
    assert cache.html_of(parsed) == "<p><strong>开发区</strong>建设提速。</p>"
    kept = list((cache.folder / "html").rglob("*.html"))
    assert len(kept) == 1
    kept[0].write_text("<p>从缓存读出</p>", encoding="utf-8")  # the next conversion is read back from the file
    assert cache.html_of(parsed) == "<p>从缓存读出</p>"


_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="<>&|`*_[\\\t\r"), max_size=12)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "# ", "## ", "###### ", "\n", "\n\n"]), _TEXT), max_size=8))
def test_quick_html_is_sanitised_as_any_html(pieces):
    """quick_html leaves out the sanitiser where it would change nothing: any text, any heading level."""
    body = "".join(mark + text for mark, text in pieces)
    html = pages.quick_html(body)
    if html is not None:
        assert html == pages._clean(pages._blocks_html(body))


def test_what_the_sanitiser_changes_still_goes_through_it():
    assert pages.quick_html("甲\u00a0乙") == "<p>甲&nbsp;乙</p>"
    assert pages.quick_html("甲\x00乙") == "<p>甲乙</p>"
    assert pages.quick_html("# 大标题\n\n正文") == "大标题\n<p>正文</p>"  # no <h1> in an article body
