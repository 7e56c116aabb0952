"""Article Markdown: the converter without smarty is used only where smarty would change nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import pages

# Chinese text with Markdown syntax around it, but none of the characters smarty rewrites.
_PIECES = st.sampled_from([
    "灵石经济技术开发区", "“新质生产力”", "——", "……", "。\n\n", "\n", "# ", "## ", "- ", "1. ", "> ", "**", "*",
    "[链接](https://example.org/a)", "![图](a.png)", "| 列 | 值 |\n|---|---|\n| 1 | 2 |\n", "<b>", "&amp;", "2024年",
    "`代码`", "   ", "-", ".", "..", "<", ">",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fast_converter_matches_smarty_where_smarty_has_nothing_to_do(body):
    if pages._SMARTY_INPUT.search(body):
        return
    assert pages._MARKDOWN_PLAIN.reset().convert(body) == pages._MARKDOWN.reset().convert(body)


def test_smarty_still_applies_where_it_has_work():
    html = pages.markdown_to_html('他说 "开发区" -- 好... 吗')
    assert html == "<p>他说 “开发区” – 好… 吗</p>"


def test_the_sample_articles_convert_the_same_either_way(sample_site):
    from site_gen.content import read_articles

    articles, _ = read_articles(sample_site / "content")
    for article in articles:
        assert pages.markdown_to_html(article.body) == _sanitised(pages._MARKDOWN.reset().convert(article.body))


def _sanitised(html: str) -> str:
    import nh3

    return nh3.clean(html, tags=pages.ALLOWED_TAGS, attributes=pages.ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
