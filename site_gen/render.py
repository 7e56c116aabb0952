"""Rendering: planned Pages → bytes, through the theme's Jinja templates.

Input: Pages, the config, the theme folders. Output: (output path, bytes) pairs. Templates are looked
up in the site's theme first, then the built-in one; `{% extends "default/article.html" %}` lets a site
template extend the original. Jinja runs with StrictUndefined and autoescaping; a template error names
the template and line.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, MutableMapping

import jinja2
from markupsafe import Markup, escape

from site_gen.article import Article, parse_iso_date
from site_gen.config import SiteConfig
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.pages import Page, Shared, markdown_to_html

BUILTIN_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # site theme first, then the built-in one

    @property
    def static_dirs(self) -> list[Path]:
        return [f / "static" for f in reversed(self.folders) if (f / "static").is_dir()]


def resolve_theme(config: SiteConfig) -> Theme:
    folders = []
    candidate = Path(config.theme)
    if not candidate.is_absolute():
        candidate = config.root / "themes" / config.theme
    if candidate.is_dir() and candidate.resolve() != BUILTIN_THEME:
        folders.append(candidate)
    elif config.theme != "default" and not candidate.is_dir():
        raise SiteGenError(Diagnostic(str(candidate), f"theme {config.theme!r} not found",
                                      hint="create themes/<name>/templates/ or set `theme: default`"))
    folders.append(BUILTIN_THEME)
    return Theme(tuple(folders))


def _date_text(value: str | None, with_time: bool = False) -> str:
    if not value:
        return ""
    parsed = parse_iso_date(value)
    text = f"{parsed.year}年{parsed.month}月{parsed.day}日"
    if with_time and isinstance(parsed, dt.datetime):
        text += f" {parsed:%H:%M}"
    return text


def _rfc3339(value: str | None, fallback: str = "1970-01-01T00:00:00+00:00") -> str:
    if not value:
        return fallback
    parsed = parse_iso_date(value)
    if isinstance(parsed, dt.datetime):
        return parsed.isoformat()
    return f"{parsed.isoformat()}T00:00:00+08:00"


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # json.dumps with options makes one per call


def _json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json">: `<`, `>` and `&` escaped so no tag can close it."""
    text = _JSON.encode(data)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class ListItems:
    """`list_item(card, level)` for templates: one article's <li> in a list, from `_list_item.html`.

    An article is listed on a dozen pages (home, year, month, zones, regions, tags, categories, source,
    related lists), so each item is rendered once per build and heading level and then reused: the 10k
    benchmark site has 260,060 list items and 59,728 distinct ones (zone pages add a mention sentence).
    The environment, and with it this memo, is made anew for every build, so an item never outlives the
    articles it shows.
    """

    def __init__(self, env: jinja2.Environment, builtin: bool = False):
        """`builtin`: _list_item.html and _macros.html are the default theme's (`_with_mention`)."""
        self.env = env
        self.memo: dict[tuple[Any, ...], Markup] = {}
        self.builtin = builtin
        self.template: jinja2.Template | None = None  # loaded at the first item

    def __call__(self, card: Any, level: int = 2) -> Markup:
        if not isinstance(card, Shared) and not (isinstance(card, dict) and isinstance(card.get("article"), Article)):
            return self._render(card, level)  # not a planner's card (a theme's own list): nothing to reuse safely
        # A planner's card is a function of its article (named by its URL), plus the mention a zone page adds.
        key = (card.get("url"), card.get("mention"), card.get("excerpt"), level)
        item = self.memo.get(key)
        if item is None:
            mention = card.get("mention")
            item = self.memo[key] = (self._with_mention(card, mention, level) if mention and self.builtin
                                     else self._render(card, level))
        return item

    def _with_mention(self, card: Any, mention: str, level: int) -> Markup:
        """The item of a zone page's card: each of the 41,040 mentions of the 10k benchmark is the only one of
        its kind, so each item was rendered whole (1.36 s of the 2.37 s of the zone pages' templates). The
        default item holds its mention once, escaped as it is: the article's item is rendered once per level
        with MENTION in its place, and each mention is put there. An item that does not hold MENTION exactly
        once is rendered whole."""
        key = (card.get("url"), MENTION, card.get("excerpt"), level)
        shape = self.memo.get(key)
        if shape is None:
            shape = self.memo[key] = self._render({**card, "mention": MENTION}, level)
        if shape.count(MENTION) != 1:
            return self._render(card, level)
        return Markup(str(shape).replace(MENTION, str(escape(mention))))

    def _render(self, card: Any, level: int) -> Markup:
        if self.template is None:
            self.template = self.env.get_template("_list_item.html")
        return Markup(self.template.render(card=card, level=level))

    def joined(self, cards: Any, level: int = 2) -> Markup:
        """`list_items(cards, level)`: the cards' items one after the other, as a template's loop over
        `list_item` would join them; one call per list instead of one per item (260,060 at 10k)."""
        return Markup("".join([self(card, level) for card in cards]))


# What stands for a mention in the shape of a zone page's item (ListItems._with_mention): private-use
# characters, which no imported text holds (a text that did would only get its item rendered whole).
MENTION = "\ue000mention\ue000"


class Once:
    """`{% call once(key, ...) %}…{% endcall %}`: the block rendered once per build for each key, then reused.
    The zone pages repeat their zone's header, chart and side column on each page of its list (2,084 pages of
    the 10k benchmark); a block must depend only on its key. The memo is the environment's, made anew for
    every build."""

    def __init__(self) -> None:
        self.memo: dict[tuple[Any, ...], Markup] = {}

    def __call__(self, *key: Any, caller: Callable[[], str]) -> Markup:
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = Markup(caller())
        return found


_DICT_ATTRIBUTES = frozenset(dir(dict))


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment, with `card.url` on the planner's values read as Jinja reads it, without the failed
    attribute lookup first. They are dicts (pages.Shared, or dict): Jinja tries `getattr(card, "url")`, which
    raises AttributeError for every key that is not one of dict's own attributes, then `card["url"]`. Of the
    1,974,834 attribute reads of the 10k site's templates, 1,503,076 were such keys."""

    def make_globals(self, d: Mapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a plain dict, not Jinja's ChainMap over the environment's. Every render makes a
        Context, which takes set() of them, and every `{% from %}` import subtracts the imported template's keys
        from that set: over a ChainMap both run in Python, per page and per list item (12 % of the 10k site's
        render time). A copy is as safe from mutation as the ChainMap; it does not follow globals added to the
        environment after the template is loaded, and make_environment adds them all before any is loaded."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _PLAIN_DICTS and attribute not in _DICT_ATTRIBUTES:  # getattr would fail: the key
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_PLAIN_DICTS = frozenset({dict, Shared})  # no attribute of their own beyond dict's (Shared has empty __slots__)


def make_environment(theme: Theme, config: SiteConfig) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(BUILTIN_THEME / "templates"))
    loader = jinja2.ChoiceLoader([
        *(jinja2.FileSystemLoader(str(f / "templates")) for f in theme.folders[:-1]),
        builtin,
        jinja2.PrefixLoader({"default": builtin}),
    ])
    env = SiteEnvironment(loader=loader, autoescape=jinja2.select_autoescape(["html", "xml"]),
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True,
                          # Made anew for every build (serve's too), so a template never changes under it; with
                          # reloading on, every {% extends %} and list item stat()ed its template file.
                          auto_reload=False)
    base_path = config.base_path
    site_url = config.site_url
    env.filters["url"] = lambda path: base_path + str(path).lstrip("/")
    env.filters["abs_url"] = lambda path: site_url + str(path).lstrip("/")
    env.filters["date_text"] = _date_text
    env.filters["rfc3339"] = _rfc3339
    env.filters["json_ld"] = _json_ld
    env.filters["host"] = lambda url: urlsplit(str(url)).netloc or str(url)
    builtin_items = all(_is_builtin(env, name) for name in ("_list_item.html", "_macros.html"))
    env.globals["list_item"] = items = ListItems(env, builtin_items)
    env.globals["list_items"] = items.joined
    env.globals["once"] = Once()
    env.globals["site"] = {
        "title": config.title, "description": config.description, "language": config.language,
        "base_path": base_path, "url": site_url,
    }
    return env


def _is_builtin(env: jinja2.Environment, name: str) -> bool:
    """Whether template `name` is the default theme's (no site theme overrides it)."""
    assert env.loader is not None
    _source, filename, _uptodate = env.loader.get_source(env, name)
    return filename is not None and Path(filename).resolve() == (BUILTIN_THEME / "templates" / name).resolve()


def article_json_ld(article: Article, url: str, config: SiteConfig) -> dict[str, Any]:
    """schema.org NewsArticle for an article page (only what the content really says; no invented dates)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "inLanguage": config.language, "mainEntityOfPage": config.site_url + url, "url": config.site_url + url,
    }
    if article.date:
        data["datePublished"] = _rfc3339(article.date)
    if article.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in article.authors]
    if article.editors:
        data["editor"] = [{"@type": "Person", "name": e} for e in article.editors]
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if article.summary:
        data["description"] = article.summary
    if article.categories:
        data["articleSection"] = list(article.categories)
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.original_url:
        data["isBasedOn"] = article.original_url
    return data


def breadcrumb_json_ld(trail: list[dict[str, Any]], url: str, config: SiteConfig) -> dict[str, Any]:
    """schema.org BreadcrumbList for the page's breadcrumbs (首页 first, the page itself last)."""
    items = [{"name": "首页", "url": ""}] + [{"name": c["label"], "url": c["url"] if c["url"] is not None else url}
                                            for c in trail]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": item["name"], "item": config.site_url + item["url"]}
        for i, item in enumerate(items, start=1)]}


def page_context(page: Page, config: SiteConfig, html_of: Callable[[str], str] = markdown_to_html) -> dict[str, Any]:
    """What the page's template gets: the planned context plus page_url, the article HTML and JSON-LD."""
    context = dict(page.context)
    context["page_url"] = page.url
    if page.markdown is not None:
        context["html"] = html_of(page.markdown)
    if page.template == "article.html":
        context["json_ld"] = article_json_ld(context["article"], page.url, config)
    if context.get("breadcrumbs"):
        context["breadcrumb_ld"] = breadcrumb_json_ld(context["breadcrumbs"], page.url, config)
    elif page.path.endswith(".html"):
        context["breadcrumb_ld"] = None
    return context


class PageRenderer:
    """Renders one page at a time (templates compiled once); a template error raises SiteGenError with its line."""

    def __init__(self, env: jinja2.Environment, config: SiteConfig, html_of: Callable[[str], str] = markdown_to_html):
        self.env = env
        self.config = config
        self.html_of = html_of
        self.templates: dict[str, jinja2.Template] = {}

    def render(self, page: Page) -> bytes:
        context = page_context(page, self.config, self.html_of)
        try:
            template = self.templates.get(page.template)
            if template is None:
                template = self.templates[page.template] = self.env.get_template(page.template)
            return template.render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise SiteGenError(Diagnostic(exc.filename or exc.name or page.template, f"template error: {exc.message}",
                                          line=exc.lineno)) from None
        except jinja2.TemplateError as exc:
            line = _template_line(exc)
            raise SiteGenError(Diagnostic(f"templates/{page.template}",
                                          f"{type(exc).__name__}: {exc} (rendering {page.path})", line=line)) from None


def _template_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html") or "<template>" in tb.tb_frame.f_code.co_filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
