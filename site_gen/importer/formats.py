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
    source_meta: dict[str, Any] = field(default_factory=dict)  # what the format said that is not ours


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
    markdown = markdownify(cleaned or "", heading_style="ATX", bullets="-", strip=["span", "font"])
    lines = [line.strip() for line in markdown.replace("\r", "").split("\n")]
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


def parse_front_matter_post(text: str) -> Capture:
    stripped = text.lstrip("\ufeff \n")
    fence = stripped[:3]
    lines = stripped.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        raise FormatError(f"front matter opened with `{fence}` on line 1 is never closed")
    raw = "\n".join(lines[1:end])
    try:
        meta = tomllib.loads(raw) if fence == "+++" else yaml.safe_load(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise FormatError(f"invalid front matter: {exc}".splitlines()[0]) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError(f"front matter is a {type(meta).__name__}, not a mapping of keys")
    body, url = _drop_chrome_lines("\n".join(lines[end + 1:]))
    if _HAS_BLOCK_TAGS.search(body):
        body = html_to_markdown(body)
    title = meta.get("title")
    found = None
    raw_date = meta.get("date")
    if raw_date is not None:
        found = dates.find_full_date(raw_date.isoformat() if hasattr(raw_date, "isoformat") else str(raw_date))
    source_meta = {k: meta[k] for k in ("categories", "tags", "author", "layout") if meta.get(k)}
    url = meta.get("original_url") or meta.get("source_url") or meta.get("link") or url
    return Capture("jekyll", body, title=str(title).strip() if title else None, date=found,
                   original_url=str(url) if url else None, source_meta=source_meta)


def _meta_content(tree: HTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime") or node.text()
            if value and value.strip():
                return value.strip()
    return None


def _main_content(tree: HTMLParser) -> Node | None:
    """The article element: <article>, a known content class, else the block with the most paragraph text."""
    for selector in ("article", "[itemprop=articleBody]", ".article-content", ".TRS_Editor", "#content", ".content", "main"):
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
    title = _meta_content(tree, "meta[property='og:title']", "h1", "title")
    if title:
        title = re.split(r"\s+[-_|｜—]\s+", title)[0].strip()
    found = None
    raw_date = _meta_content(tree, "meta[property='article:published_time']", "meta[name=publishdate]",
                             "meta[name=PubDate]", "time[datetime]")
    if raw_date:
        found = dates.find_full_date(raw_date)
    url = _meta_content(tree, "meta[property='og:url']")
    if url is None:
        canonical = tree.css_first("link[rel=canonical]")
        url = canonical.attributes.get("href") if canonical is not None else None
    main = _main_content(tree)
    if main is None:
        raise FormatError("an HTML page with no body")
    for heading in main.css("h1"):
        heading.decompose()  # the title is taken already
    body = html_to_markdown(main.html or "")
    if found is None:
        header_text = (tree.body.text(separator="\n") if tree.body else "")[:3000]
        found = dates.find_full_date(header_text)
    return Capture("html", body, title=title, date=found, original_url=url)


def parse_capture(text: str) -> Capture:
    kind = detect_kind(text)
    if kind == "jekyll":
        return parse_front_matter_post(text)
    if kind == "html":
        return parse_html_page(text)
    return Capture("text", text)
