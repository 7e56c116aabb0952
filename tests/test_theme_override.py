"""A site theme overrides built-in templates by name and can extend the original with
`{% extends "default/<name>.html" %}`; its static files are added to (and override) the built-in ones."""

from __future__ import annotations

from pathlib import Path


from site_fixture import write_fixture_site


def test_site_theme_extends_and_overrides_the_default(tmp_path: Path, run_cli) -> None:
    root = write_fixture_site(tmp_path / "site")
    theme = root / "themes" / "paper"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n'
        '{% block head %}{{ super() }}<meta name="theme" content="paper">{% endblock %}\n'
        '{% block content %}<p class="banner">纸质版</p>{{ super() }}{% endblock %}\n', encoding="utf-8")
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>找不到了</h1>{% endblock %}\n', encoding="utf-8")
    (theme / "static" / "extra.css").write_text("body { color: red; }\n", encoding="utf-8")
    (theme / "static" / "style.css").write_text("/* paper */\n", encoding="utf-8")
    (root / "site.yml").write_text("per_page: 2\ntheme: paper\n", encoding="utf-8")

    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 0, result.err
    public = root / "public"
    article = (public / "articles" / "lingshi-chanye" / "index.html").read_text(encoding="utf-8")
    assert '<p class="banner">纸质版</p>' in article
    assert '<meta name="theme" content="paper">' in article
    assert "灵石经开区筑强产业根基</h1>" in article and '"@type": "NewsArticle"' in article  # the original's blocks
    assert "<h1>找不到了</h1>" in (public / "404.html").read_text(encoding="utf-8")
    home = (public / "index.html").read_text(encoding="utf-8")
    assert "最新报道" in home  # templates the site theme does not override come from the built-in theme
    assert (public / "static" / "extra.css").read_text() == "body { color: red; }\n"
    assert (public / "static" / "style.css").read_text() == "/* paper */\n"
    assert (public / "static" / "search.js").is_file()


def test_template_error_names_the_site_template_and_line(tmp_path: Path, run_cli) -> None:
    root = write_fixture_site(tmp_path / "site")
    templates = root / "themes" / "broken" / "templates"
    templates.mkdir(parents=True)
    (templates / "zone.html").write_text('{% extends "default/zone.html" %}\n{% block content %}\n{{ no_such_value }}\n'
                                         '{% endblock %}\n', encoding="utf-8")
    (root / "site.yml").write_text("theme: broken\n", encoding="utf-8")
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 1
    assert "zone.html:3:" in result.err and "no_such_value" in result.err


def test_a_site_list_item_template_is_used_on_every_list(tmp_path: Path, run_cli) -> None:
    # list_item() renders an article's list entry once per build and reuses it: the override must reach
    # every list, each heading level must keep its own markup, and a zone page's mention must show.
    root = write_fixture_site(tmp_path / "site")
    templates = root / "themes" / "cards" / "templates"
    templates.mkdir(parents=True)
    (templates / "_list_item.html").write_text(
        '<li class="card-{{ level }}"><a href="{{ card.url | url }}">{{ card.article.title }}</a>'
        '{% if card.mention %}<q>{{ card.mention }}</q>{% endif %}</li>\n', encoding="utf-8")
    (root / "site.yml").write_text("theme: cards\n", encoding="utf-8")
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 0, result.err
    public = root / "public"
    home = (public / "index.html").read_text(encoding="utf-8")
    tag_pages = list((public / "tags").glob("*/index.html"))
    zone = (public / "zones" / "lingshi-jingkaiqu" / "index.html").read_text(encoding="utf-8")
    assert 'class="card-3"' in home and 'class="item-title"' not in home
    assert tag_pages and all('class="card-2"' in p.read_text(encoding="utf-8") for p in tag_pages)
    assert "<q>" in zone and 'class="card-3"' in zone


def test_list_items_of_a_themes_own_cards_are_not_shared(tmp_path: Path) -> None:
    # Only the planner's cards (an Article inside) are reused by URL; a theme's own dicts render each time.
    from site_gen.config import load_config
    from site_gen.render import make_environment, resolve_theme

    config = load_config(None, "https://example.org/")
    env = make_environment(resolve_theme(config), config)
    items = [env.globals["list_item"]({"article": {"title": title, "date": None, "source": None}, "url": None,
                                       "mention": None, "excerpt": None, "date_note": None}, 2)
             for title in ("甲", "乙")]
    assert "甲" in items[0] and "乙" in items[1]
