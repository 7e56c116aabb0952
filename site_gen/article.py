"""The content contract: the Article record and its front matter, validated when read.

Input: a front-matter mapping (from content/*.md) and the Markdown body.
Output: an immutable Article, or a list of Diagnostics naming every problem at once.
Derived things (URL, HTML, excerpt) are not stored here; the model and render stages make them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from site_gen.diagnostics import Diagnostic

# Keys in the order the importer writes them (and a human reads them).
FRONT_MATTER_KEYS: tuple[str, ...] = (
    "title",
    "title_generated",
    "date",
    "date_inferred",
    "source",
    "authors",
    "editors",
    "original_url",
    "zones",
    "regions",
    "categories",
    "tags",
    "summary",
    "lang",
    "original_script",
    "seed",
    "seed_sha256",
    "slug",
    "draft",
    "extra",
)
LIST_KEYS = ("authors", "editors", "zones", "regions", "categories", "tags")
STR_KEYS = ("title", "source", "original_url", "summary", "lang", "original_script", "seed", "seed_sha256", "slug")
BOOL_KEYS = ("title_generated", "date_inferred", "draft")
REQUIRED_KEYS = ("title", "seed")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$")


# Fields that are plain text by contract: markup in them is removed when read, so no tag from a seed
# or a hand edit can reach a page, a feed, JSON-LD or the search index through them.
PLAIN_TEXT_KEYS = ("title", "source", "summary")
_MARKUP = re.compile(r"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<[^<>]*>|<[a-zA-Z/!][^<>]*$", re.I | re.S)


def plain_text(value: str) -> str:
    """Text with every HTML tag (and script/style content) removed."""
    previous = None
    while previous != value:
        previous, value = value, _MARKUP.sub("", value)
    return value.strip()


@dataclass(frozen=True)
class Article:
    """One article as the content contract defines it (DESIGN.md)."""

    title: str
    seed: str
    body: str = ""
    title_generated: bool = False
    date: str | None = None  # ISO 8601: "2025-11-11" or "2024-10-05T10:28:42+08:00"
    date_inferred: bool = False
    source: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    original_url: str | None = None
    zones: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None
    lang: str = "zh-Hans"
    original_script: str | None = None
    seed_sha256: str | None = None
    slug: str | None = None
    draft: bool = False
    extra: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def key(self) -> str:
        """The stable identity of an article in the site: its slug."""
        return self.slug or ""

    @property
    def parsed_date(self) -> dt.date | dt.datetime | None:
        return parse_iso_date(self.date) if self.date else None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def sort_date(self) -> str:
        """A string that sorts articles chronologically (undated articles first, i.e. last when newest-first)."""
        return self.date or ""


def parse_iso_date(value: str) -> dt.date | dt.datetime:
    if DATE_RE.match(value):
        return dt.date.fromisoformat(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def normalise_date(value: Any) -> str:
    """Turn what YAML gives for a date (str, date, datetime) into the contract's ISO string.

    Raises ValueError with a human-readable reason.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a date with a time needs a UTC offset, e.g. 2024-10-05T10:28:42+08:00")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if not (DATE_RE.match(text) or DATETIME_RE.match(text)):
            raise ValueError(f"{text!r} is not ISO 8601 (use 2025-11-11 or 2024-10-05T10:28:42+08:00)")
        try:
            parse_iso_date(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a real calendar date") from None
        return text
    raise ValueError(f"expected an ISO 8601 date, got {type(value).__name__}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(value: Any) -> str | None:
    """The first unpaired surrogate in a front-matter value (text, list or mapping), as an escape."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return f"\\u{ord(found.group(0)):04x}" if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((s for s in map(_surrogate, value) if s), None)
    return None


def article_from_front_matter(
    meta: Any, body: str, path: str, key_lines: dict[str, int] | None = None
) -> tuple[Article | None, list[Diagnostic]]:
    """Validate a front-matter mapping against the contract; return the Article or every problem found."""
    lines = key_lines or {}
    problems: list[Diagnostic] = []

    def bad(key: str | None, message: str, hint: str | None = None) -> None:
        problems.append(Diagnostic(path, message, line=lines.get(key or "", 1), hint=hint))

    if not isinstance(meta, dict):
        bad(None, f"front matter must be a mapping of keys, not {type(meta).__name__}",
            "write `key: value` lines between the two `---` lines")
        return None, problems

    values: dict[str, Any] = {}
    for key, value in meta.items():
        if not isinstance(key, str) or key not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
            bad(str(key), f"unknown front matter key {key!r}",
                f"did you mean `{close[0]}`?" if close else "put site-specific keys under `extra:`")
            continue
        if value is None:
            continue
        surrogate = _surrogate(value)
        if surrogate:
            # A YAML escape such as "\ud801" alone: no UTF-8 page can hold it, so the build could not write it.
            bad(key, f"`{key}` contains an unpaired surrogate escape ({surrogate})",
                "write the character itself; a character beyond U+FFFF is one escape, e.g. \\U0002A6A5, not a pair")
            continue
        if key in STR_KEYS:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                bad(key, f"`{key}` must be text, not {type(value).__name__}")
                continue
            if key == "original_url" and not re.match(r"^https?://", value.strip(), re.I):
                bad(key, f"`original_url` must be an http(s) URL, not {value[:60]!r}")
                continue
            if key == "original_url":
                # Percent-encode what a URL may not contain raw (spaces, quotes, angle brackets).
                value = quote(value.strip(), safe=":/?#[]@!$&'()*+,;=%~")
            values[key] = plain_text(value) if key in PLAIN_TEXT_KEYS else value
        elif key in LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                bad(key, f"`{key}` must be a list of text items")
                continue
            values[key] = tuple(plain_text(str(v)) for v in value)
        elif key in BOOL_KEYS:
            if not isinstance(value, bool):
                bad(key, f"`{key}` must be true or false")
                continue
            values[key] = value
        elif key == "date":
            try:
                values[key] = normalise_date(value)
            except ValueError as exc:
                bad(key, f"invalid `date`: {exc}")
        elif key == "extra":
            if not isinstance(value, dict):
                bad(key, "`extra` must be a mapping")
                continue
            values[key] = tuple(sorted((str(k), v) for k, v in value.items()))

    for key in REQUIRED_KEYS:
        if not values.get(key):
            bad(None, f"missing required key `{key}`")
    slug = values.get("slug")
    if slug is not None and not SLUG_RE.match(slug):
        bad("slug", f"slug {slug!r} must be lowercase ASCII letters, digits and single hyphens")
    if problems:
        return None, problems
    return Article(body=body, **values), []


def article_to_front_matter(article: Article) -> dict[str, Any]:
    """The front matter mapping for an article: contract order, empty values left out."""
    out: dict[str, Any] = {}
    for key in FRONT_MATTER_KEYS:
        value = getattr(article, key)
        if key == "lang" or key == "title" or key == "seed":
            out[key] = value
        elif key in BOOL_KEYS:
            if value:
                out[key] = True
        elif key in LIST_KEYS:
            if value:
                out[key] = list(value)
        elif key == "extra":
            if value:
                out[key] = dict(value)
        elif value is not None and value != "":
            out[key] = value
    return out
