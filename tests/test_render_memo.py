"""What the render stage reuses within a build (issue 8) gives the bytes the templates give: a zone page's list
items made from their article's item shape (render.ListItems), the blocks of `{% call once(...) %}`
(render.Once), and a template error raised in a render worker reaches the caller whole."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from site_gen import incremental, render
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_trees import assert_same_tree, build_site, site_fixtures

N = 80
archive, site = site_fixtures("render-memo", N)




def test_reused_zone_blocks_and_mention_items_give_what_rendering_each_gives(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen.config import load_config
    from site_gen.render import make_environment, resolve_theme

    config = load_config(None, "https://example.org/")
    assert make_environment(resolve_theme(config), config).globals["list_item"].builtin
    memo = build_site(site, "memo", cache=False)
    assert list((site / "memo" / "zones").glob("*/page/*/index.html")), "a zone's header block reused on its page 2"
    zones = (site / "memo" / "zones").glob("**/index.html")
    assert sum(p.read_text(encoding="utf-8").count('class="mention"') for p in zones) > 20
    monkeypatch.setattr(render.Once, "__call__", lambda self, *key, caller: caller())  # every block rendered
    monkeypatch.setattr(render.ListItems, "_with_mention", lambda self, card, mention, level: self._render(card, level))
    whole = build_site(site, "whole", cache=False)
    assert (memo.pages, memo.bytes_written) == (whole.pages, whole.bytes_written)
    assert_same_tree(site / "whole", site / "memo")


@pytest.mark.parametrize("mention", ['灵石开发区 <b>"重点"</b> & 项目', f"含有{render.MENTION}的句子", "'单引号'"])
def test_a_mention_item_equals_its_whole_rendering(mention: str) -> None:
    from site_gen.article import Article
    from site_gen.config import load_config
    from site_gen.pages import Shared
    from site_gen.render import make_environment, resolve_theme

    config = load_config(None, "https://example.org/")
    items = make_environment(resolve_theme(config), config).globals["list_item"]
    article = Article(slug="a", title=f"标题 <{render.MENTION}>" if render.MENTION in mention else "标题 & <i>",
                      date="2020-05-01", body="正文", seed="a.md", source="山西日报")
    card = Shared({"article": article, "url": "articles/a/", "mention": mention, "excerpt": None, "date_note": None})
    for level in (2, 3):
        made = items(card, level)
        assert made == items._render(card, level) and "<b>" not in made


def test_a_template_error_in_a_render_worker_names_the_template(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = site / "themes" / "default" / "templates"  # a site theme named like the built-in one
    templates.mkdir(parents=True)
    (templates / "article.html").write_text('{% extends "default/article.html" %}{% block title %}{{ no_such_value }}'
                                            '{% endblock %}', encoding="utf-8")
    monkeypatch.setattr(incremental, "CHUNK", 16)  # several tasks: the pages are rendered in the workers
    with pytest.raises(SiteGenError) as raised:
        build_site(site, "public", cache=False, jobs=2)
    assert [d.path for d in raised.value.diagnostics] == ["templates/article.html"]
    assert str(raised.value).startswith("templates/article.html:") and "no_such_value" in str(raised.value)


def test_a_site_gen_error_pickles_with_its_message() -> None:
    error = SiteGenError([Diagnostic("a.md", "bad date", line=3), Diagnostic("b.md", "no title", hint="add one")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.diagnostics == error.diagnostics and str(copy) == str(error)


def test_list_items_joins_what_a_loop_over_list_item_gives() -> None:
    """The default `article_list` macro joins its items with `list_items` (one call per list): the same markup as
    the loop over `list_item` it replaced, at both heading levels, for plain, excerpt and mention cards."""
    from site_gen.article import Article
    from site_gen.config import load_config
    from site_gen.pages import Shared
    from site_gen.render import make_environment, resolve_theme

    config = load_config(None, "https://example.org/")
    env = make_environment(resolve_theme(config), config)
    cards = [Shared({"article": Article(slug=f"a{i}", title=f"标题{i} <&>", date="2021-03-0%d" % (i + 1), body="正文",
                                        seed=f"a{i}.md", source="来源" if i else None),
                     "url": f"articles/a{i}/", "mention": "提及<开发区>" if i == 1 else None,
                     "excerpt": "摘要" if i == 2 else None, "date_note": None}) for i in range(4)]
    loop = env.from_string('<ul class="article-list">\n{% for card in cards %}\n{{ list_item(card, level) }}'
                           '{% endfor %}\n</ul>\n')
    macro = env.from_string('{% from "_macros.html" import article_list %}{{ article_list(cards, level) }}')
    for level in (2, 3):
        made = macro.render(cards=cards, level=level)
        assert made == loop.render(cards=cards, level=level) and made.count("<li>") == 4
    assert macro.render(cards=[], level=2) == loop.render(cards=[], level=2)


def test_attribute_reads_of_dicts_are_what_jinja_gives() -> None:
    """SiteEnvironment reads `x.name` of a dict or pages.Shared by key without trying the attribute first: the
    same values as Jinja's own environment, for keys, missing keys, dict's methods (a key named like one
    included) and a dict subclass with an attribute of its own."""
    import jinja2

    from site_gen.pages import Shared
    from site_gen.render import SiteEnvironment

    class Tagged(dict):  # noqa: D401 - a theme's own mapping type with an attribute
        label = "属性"

    values = [{"url": "a/", "items": 3, "name": "<名>"}, Shared({"url": "b/", "get": "键"}), Tagged(label="键值", url="c/"),
              {}, ["list"], "text"]
    template = ("{{ v.url }}|{{ v.name is defined }}|{{ v.items }}|{{ v.get }}|{{ v.label is defined and v.label }}|"
                "{{ v.missing is defined }}|{{ v.__class__.__name__ }}")
    ours, jinjas = (cls(autoescape=True, undefined=jinja2.ChainableUndefined) for cls in (SiteEnvironment, jinja2.Environment))
    for value in values:
        assert ours.from_string(template).render(v=value) == jinjas.from_string(template).render(v=value), value
    strict = SiteEnvironment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        strict.from_string("{{ v.missing }}").render(v=Shared({"url": "a/"}))
