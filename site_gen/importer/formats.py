"""The kinds of raw seed: Jekyll/Hugo posts, saved HTML pages, plain-text page scrapes.

Input: decoded text. Output: a Capture — the kind, the fields the format itself states (front
matter title/date/categories, HTML <title>/<meta>), and the body as lines of Markdown-ish text for
the line reader (scrape.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdownify import markdownify
from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

from site_gen.content import safe_yaml_load
from site_gen.importer import dates


class FormatError(ValueError):
    """The seed claims a format (front matter, HTML) but breaks it."""


@dataclass
class Capture:
    kind: str  # "jekyll" | "html" | "text"
    body: str  # Markdown-ish text, one paragraph per line
    title: str | None = None
    date: dates.FoundDate | None = None
    original_url: str | None = None
    stated: dict[str, Any] = field(default_factory=dict)  # contract fields the format states (authors, source …)
    source_meta: dict[str, Any] = field(default_factory=dict)  # what the format said that is not ours
    meta_lines: list[str] = field(default_factory=list)  # page chrome near the article: read for metadata only


_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<meta|<body)", re.I)
_HAS_BLOCK_TAGS = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|table|section|article)\b", re.I)
_URL_LINE = re.compile(r"^<?(https?://[^\s<>]+)>?$")
_NAV_LINK_LINE = re.compile(r"^(?:\[[^\]]{1,20}\]\([^)]*\)\s*[｜|]?\s*)+$")


def detect_kind(text: str) -> str:
    stripped = text.lstrip("\ufeff \n")
    if stripped.startswith("---\n") or stripped.startswith("+++\n"):
        return "jekyll"
    if _HTML_START.match(stripped):
        return "html"
    return "text"


def html_to_markdown(html: str) -> str:
    """HTML fragment → Markdown: paragraphs, headings (ATX), lists, tables, links, images with alt text."""
    tree = HTMLParser(html)
    for node in tree.css("script, style, noscript, iframe, form, nav, button"):
        node.decompose()
    cleaned = tree.body.html if tree.body else html
    try:
        markdown = markdownify(cleaned or "", heading_style="ATX", bullets="-", strip=["span", "font"])
    except RecursionError:
        # Thousands of nested wrappers (a broken export) exceed markdownify's recursion; the wrappers
        # carry no Markdown meaning, so unwrap them and convert what they held.
        tree.unwrap_tags(["div", "section", "span", "font", "center", "article", "main"])
        cleaned = tree.body.html if tree.body else ""
        markdown = markdownify(cleaned or "", heading_style="ATX", bullets="-", strip=["span", "font"])
    lines = [line.strip() for line in markdown.replace("\r", "").split("\n")]
    # Section subheadings are `##` whatever level the page used (the title is the page's only h1).
    levels = [len(m.group(1)) for line in lines if (m := re.match(r"^(#{1,6}) ", line))]
    if levels and min(levels) != 2:
        shift = 2 - min(levels)
        lines = [re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", line) for line in lines]
    return "\n".join(lines)


def _drop_chrome_lines(body: str) -> tuple[str, str | None]:
    """Remove bare URL lines and navigation-link lines at the end; a bare URL is the captured address."""
    url = None
    kept = []
    for line in body.split("\n"):
        bare = _URL_LINE.match(line.strip())
        if bare:
            url = url or bare.group(1)
            continue
        if _NAV_LINK_LINE.match(line.strip()):
            continue
        kept.append(line)
    return "\n".join(kept), url


_MD_BLOCK_START = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||!\[|```|<)")


def unwrap_markdown(body: str) -> str:
    """Join hard-wrapped Markdown paragraphs into one line each (Chinese text joins without a space).

    Headings, list items, quotes, tables and images keep their own lines; code fences are left alone.
    """
    out: list[str] = []
    in_code = False
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            out.append(line)
            continue
        joinable = (not in_code and stripped and out and out[-1].strip() and not _MD_BLOCK_START.match(stripped)
                    and not _MD_BLOCK_START.match(out[-1].strip()) and not out[-1].endswith("  "))
        if joinable:
            previous = out[-1].rstrip()
            space = "" if re.search(r"[\u3000-\u9fff\uff00-\uffef]$", previous) or re.match(r"[\u3000-\u9fff\uff00-\uffef]", stripped) else " "
            out[-1] = previous + space + stripped
        else:
            out.append(line)
    return "\n".join(out)


def _as_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [n for n in re.split(r"[\s、，,;；/]+", value) if n]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def parse_front_matter_post(text: str) -> Capture:
    stripped = text.lstrip("\ufeff \n")
    fence = stripped[:3]
    lines = stripped.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        raise FormatError(f"front matter opened with `{fence}` on line 1 is never closed")
    raw = "\n".join(lines[1:end])
    try:
        meta = tomllib.loads(raw) if fence == "+++" else safe_yaml_load(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise FormatError(f"invalid front matter: {exc}".splitlines()[0]) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError(f"front matter is a {type(meta).__name__}, not a mapping of keys")
    body, url = _drop_chrome_lines("\n".join(lines[end + 1:]))
    if _HAS_BLOCK_TAGS.search(body):
        body = html_to_markdown(body)
    else:
        body = unwrap_markdown(body)
    title = meta.get("title")
    found = None
    raw_date = meta.get("date")
    if raw_date is not None:
        found = dates.find_full_date(raw_date.isoformat() if hasattr(raw_date, "isoformat") else str(raw_date))
    source_meta = {k: meta[k] for k in ("categories", "tags", "layout") if meta.get(k)}
    stated: dict[str, Any] = {}
    authors = _as_names(meta.get("authors") or meta.get("author"))
    if authors:
        stated["authors"] = authors
    editors = _as_names(meta.get("editors") or meta.get("editor"))
    if editors:
        stated["editors"] = editors
    for key in ("source", "summary", "description"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            stated.setdefault("summary" if key == "description" else key, meta[key].strip())
    url = meta.get("original_url") or meta.get("source_url") or meta.get("link") or url
    return Capture("jekyll", body, title=str(title).strip() if title else None, date=found,
                   original_url=str(url) if url else None, stated=stated, source_meta=source_meta)


def _meta_content(tree: HTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime") or node.text()
            if value and value.strip():
                return value.strip()
    return None


# Where CMSs put the article body: TRS (government sites), 人民网, WordPress, generic.
_CONTENT_SELECTORS = (
    "[itemprop=articleBody]", ".TRS_Editor", "#zoom", ".pages_content", "#rwb_zw", ".rm_txt_con", ".entry-content",
    ".post-content", ".article-content", ".article_content", "#article_content", ".news_content", ".content_text",
    "article", "#content", ".content", "main",
)
# ` - 山西省人民政府`, `_晋中市商务局`, `--山西频道--人民网`: a site's name after the headline in <title>.
_SITE_SUFFIX = re.compile(
    r"\s*(?:\s[-_|｜—]\s|_|--|\||｜)\s*[^_|｜\s]{0,25}(?:网|政府|日报|晚报|频道|门户|官网|在线|新闻|厅|局|委|办|中心|报|\.com|\.cn)$"
)


def _page_title(tree: HTMLParser, main: Node | None) -> str | None:
    """og:title, the TRS ArticleTitle, the article's <h1>, else <title> without the site's name."""
    title = _meta_content(tree, "meta[property='og:title']", "meta[name=ArticleTitle]")
    if not title and main is not None:
        heading = main.css_first("h1") or main.css_first("h2")
        title = heading.text(strip=True) if heading is not None else None
    if not title:
        for selector in (".article-title", ".entry-title", ".news_title", ".title h1", "h1.title", "h1"):
            node = tree.css_first(selector)
            if node is not None and 4 <= len(node.text(strip=True)) <= 100:
                title = node.text(strip=True)
                break
    if not title:
        title = _meta_content(tree, "title")
        while title and _SITE_SUFFIX.search(title) and len(_SITE_SUFFIX.sub("", title)) >= 4:
            title = _SITE_SUFFIX.sub("", title)
    return " ".join(title.split()) if title else None


def _chrome_lines(tree: HTMLParser, main: Node) -> list[str]:
    """Short text lines of the page just before and after the article body: where bylines and dates sit."""
    page = [line.strip() for line in (tree.body.text(separator="\n") if tree.body else "").split("\n") if line.strip()]
    inner = [line.strip() for line in main.text(separator="\n").split("\n") if line.strip()]
    if not inner:
        return page[:40]
    try:
        start = page.index(inner[0])
    except ValueError:
        return []
    end = start + len(inner)
    return [line for line in page[max(0, start - 30):start] + page[end:end + 15] if len(line) <= 100]


def _main_content(tree: HTMLParser) -> Node | None:
    """The article element: <article>, a known content class, else the block with the most paragraph text."""
    for selector in _CONTENT_SELECTORS:
        node = tree.css_first(selector)
        if node is not None and len(node.text(strip=True)) > 80:
            return node
    best, best_score = None, 0
    for node in tree.css("div, td, section"):
        score = sum(len(p.text(strip=True)) for p in node.css("p") if p.parent is node)
        if score > best_score:
            best, best_score = node, score
    return best or tree.body


def parse_html_page(text: str) -> Capture:
    tree = HTMLParser(text)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    main = _main_content(tree)
    if main is None:
        raise FormatError("an HTML page with no body")
    title = _page_title(tree, main)
    found = None
    raw_date = _meta_content(tree, "meta[property='article:published_time']", "meta[name=publishdate]",
                             "meta[name=PubDate]", "time[datetime]")
    if raw_date:
        found = dates.find_full_date(raw_date)
    url = _meta_content(tree, "meta[property='og:url']")
    if url is None:
        canonical = tree.css_first("link[rel=canonical]")
        url = canonical.attributes.get("href") if canonical is not None else None
    stated: dict[str, Any] = {}
    source = _meta_content(tree, "meta[name=ContentSource]", "meta[name=source]")
    if source:
        source = re.sub(r"^(?:文章)?来源\s*[:：]\s*", "", source).strip()
        if source:
            stated["source"] = source
    authors = _as_names(_meta_content(tree, "meta[name=author]", "meta[name=Author]") or "")
    if authors and all(re.fullmatch(r"[\u4e00-\u9fff·]{2,10}", a) for a in authors):
        stated["authors"] = authors  # a CMS user name such as `admin` is not a reporter
    meta_lines = _chrome_lines(tree, main)
    for heading in main.css("h1"):
        heading.decompose()  # the title is taken already
    body, _url = _drop_chrome_lines(html_to_markdown(main.html or ""))
    return Capture("html", body, title=title, date=found, original_url=url, stated=stated, meta_lines=meta_lines)


def parse_capture(text: str) -> Capture:
    kind = detect_kind(text)
    if kind == "jekyll":
        return parse_front_matter_post(text)
    if kind == "html":
        return parse_html_page(text)
    return Capture("text", text)
