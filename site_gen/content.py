"""Reading and writing content/*.md: YAML front matter between `---` lines, then a Markdown body.

Input (read): a content directory. Output: Articles plus Diagnostics (`path:line: message`) for every
file that breaks the contract; one bad file never hides the others.
Input (write): an Article. Output: the file's exact text, deterministic byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml


from site_gen.article import SLUG_RE, Article, article_from_front_matter, article_to_front_matter
from site_gen.diagnostics import Diagnostic, display_path

FENCE = "---"
MAX_YAML_ALIASES = 20


class _LimitedLoader(yaml.SafeLoader):
    """A SafeLoader that refuses alias-heavy documents (billion-laughs style YAML bombs).

    Dates stay text: the contract validates them itself, with the key's line, instead of PyYAML raising
    a bare ValueError for 2023-02-30.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self._alias_count = getattr(self, "_alias_count", 0) + 1
            if self._alias_count > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} YAML aliases (`*name`); refusing a possible YAML bomb")
        return super().compose_node(parent, index)


class _FastLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's SafeLoader with the same resolvers as _LimitedLoader (dates stay text): ~10x faster.

    It has no alias guard, so it only reads front matter that cannot hold an alias (see _fast_ok).
    """

    yaml_implicit_resolvers = _LimitedLoader.yaml_implicit_resolvers


# Front matter the C loader may read: no anchors or aliases (the bomb guard lives in _LimitedLoader) and
# no control characters or Unicode line breaks, where libyaml and PyYAML's reader disagree.
_NEEDS_PURE_LOADER = re.compile("[&*\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


# Front matter as site_gen writes it (the importer's _Dumper), read without YAML's machinery: splitting and
# PyYAML (~50 nodes per file) took 1.34 s of the 2.5 s a 10,000-article load took; this reader 0.42 s. Only a strict subset is read
# here; anything else (a comment, a blank or deeper-indented line, a double-quoted or multi-line value, a
# value YAML would read as a number or null, or a plain value YAML would read otherwise than as written)
# goes to YAML, so the result is always what YAML gives (tests/test_front_matter.py checks that).
_FAST_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")  # at the start of a line, or after two spaces
_PLAIN_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@` ")  # indicators, and a leading space
_PLAIN_BAD = re.compile(r": |:$| #|\t|\s$")
_YAML_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
_STR = "tag:yaml.org,2002:str"
_BOOLS = {"true": True, "false": False}


class _Resolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = _LimitedLoader.yaml_implicit_resolvers


_RESOLVER = _Resolver()
_DECLINED = object()


def _fast_scalar(value: str) -> Any:
    """A one-line scalar as YAML reads it, or _DECLINED."""
    if value.startswith("'"):
        inner = value[1:-1]
        if len(value) < 2 or not value.endswith("'") or "'" in inner.replace("''", ""):
            return _DECLINED
        return inner.replace("''", "'")
    if not value or value[0] in _PLAIN_FIRST_BAD or _PLAIN_BAD.search(value):
        return _DECLINED
    if value[0] not in _RESOLVER.yaml_implicit_resolvers:  # no implicit type starts so: a string
        return value
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return value if tag == _STR else _BOOLS.get(value, _DECLINED)


@functools.lru_cache(maxsize=256)
def _string_key(key: str) -> bool:
    return _fast_scalar(key) == key


def _fast_front_matter(text: str) -> Any:
    """Front matter of the subset site_gen writes, read directly: top-level `key: value`, or `key:` with
    `- item` lines or with `  key: value` / `  key:` + `  - item` lines under it. _DECLINED for anything else."""
    if _NEEDS_PURE_LOADER.search(text) or _YAML_NON_PRINTABLE.search(text) or "\r" in text or "\x85" in text:
        return _DECLINED
    out: dict[str, Any] = {}
    block: list[Any] | dict[str, Any] | None = None  # the value of the open top-level key, once it has one
    top: str | None = None  # the open top-level key (`key:` without a value)
    items: list[Any] | None = None  # the list of the open nested key, once it has an item
    sub: str | None = None  # the open nested key
    for line in text.split("\n"):
        if line[:2] == "- " and block.__class__ is list:  # the usual line: the next item of a top-level list
            item = line[2:]
            # A value starting past ASCII (Han, mostly) is a string unless it holds what _PLAIN_BAD finds.
            if not item or item[0] < "\x80" or _PLAIN_BAD.search(item):
                item = _fast_scalar(item)
                if item is _DECLINED:
                    return _DECLINED
            block.append(item)  # type: ignore[union-attr]
            continue
        nested = line[:2] == "  "
        body = line[2:] if nested else line
        if body[:1] == " ":
            return _DECLINED
        if body[:2] == "- ":
            item = _fast_scalar(body[2:])
            if item is _DECLINED:
                return _DECLINED
            if nested:  # an item of the open nested key
                if sub is None:
                    return _DECLINED
                if items is None:
                    items = block[sub] = []  # type: ignore[index]
                items.append(item)
            else:  # an item of the open top-level key
                if top is None or isinstance(block, dict):
                    return _DECLINED
                if block is None:
                    block = out[top] = []
                block.append(item)  # type: ignore[union-attr]
            continue
        match = _FAST_KEY.fullmatch(body)
        if match is None or not _string_key(match[1]) or (sub is not None and items is None):
            return _DECLINED  # not a key line, a key YAML reads otherwise, or a nested key left null
        key, value = match[1], (None if match[2] is None else _fast_scalar(match[2]))
        if value is _DECLINED:
            return _DECLINED
        items, sub = None, None
        if nested:
            if top is None or isinstance(block, list):
                return _DECLINED
            if block is None:
                block = out[top] = {}
            target = block
        else:
            if top is not None and block is None:  # the previous key had nothing under it: null
                return _DECLINED
            top, block, target = None, None, out
        if value is None:
            if nested:
                sub = key
            else:
                top = key
        else:
            target[key] = value  # type: ignore[index]
    if (top is not None and block is None) or (sub is not None and items is None):
        return _DECLINED
    return out


def _load_front_matter(yaml_text: str) -> Any:
    """Parse front matter: directly when it is in the subset site_gen writes (`_fast_front_matter`), else
    libyaml when it is safe to, else (or on any error, for identical diagnostics) the pure-Python limited
    loader."""
    fast = _fast_front_matter(yaml_text)
    if fast is not _DECLINED:
        return fast
    if yaml.__with_libyaml__ and not _NEEDS_PURE_LOADER.search(yaml_text):
        try:
            loader = _FastLoader(yaml_text)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            pass  # the pure loader below reports it, with its own wording and marks
    loader = _LimitedLoader(yaml_text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def safe_yaml_load(text: str) -> Any:
    """yaml.safe_load that refuses alias bombs; raises yaml.YAMLError."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@dataclass(frozen=True)
class ParsedFile:
    meta: Any
    body: str
    key_lines: dict[str, int]


def split_front_matter(text: str, path: str) -> tuple[ParsedFile | None, list[Diagnostic]]:
    """Split and parse a content file; line numbers in diagnostics are the file's own."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, [Diagnostic(path, "no front matter: the file must start with a `---` line", line=1,
                                 hint="add `---`, then `title:` and `seed:` lines, then `---`")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if end is None:
        return None, [Diagnostic(path, "front matter is not closed", line=1,
                                 hint="did you forget the closing `---`?")]
    yaml_text = "\n".join(lines[1:end])
    try:
        meta = _load_front_matter(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else 1
        col = mark.column + 1 if mark else None
        return None, [Diagnostic(path, f"invalid YAML in front matter: {exc.problem or exc}", line=line, col=col,
                                 hint="quote values that contain `:` or start with `#`, `*`, `&`, `[`")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, f"invalid YAML in front matter: {exc}", line=2)]
    key_lines: dict[str, int] = {}
    for offset, raw in enumerate(lines[1:end]):
        if raw and not raw[0].isspace() and ":" in raw:
            key_lines.setdefault(raw.split(":", 1)[0].strip(), offset + 2)
    body = "\n".join(lines[end + 1:]).strip("\n")
    return ParsedFile(meta=meta if meta is not None else {}, body=body, key_lines=key_lines), []


def parse_article_text(text: str, path: str) -> tuple[Article | None, list[Diagnostic]]:
    parsed, problems = split_front_matter(text, path)
    if parsed is None:
        return None, problems
    return article_from_front_matter(parsed.meta, parsed.body, path, parsed.key_lines)


def read_article(path: Path, root: Path | None = None, data: bytes | None = None) -> tuple[Article | None, list[Diagnostic]]:
    """One content file (its bytes `data` when already read), validated."""
    shown = display_path(path, root)
    try:
        if data is None:
            data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(shown, "not UTF-8; content files must be UTF-8", line=line, col=col,
                                 hint="re-save the file as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`)")]
    except OSError as exc:
        return None, [Diagnostic(shown, f"cannot read: {exc.strerror}")]
    article, problems = parse_article_text(text.replace("\r\n", "\n").replace("\r", "\n"), shown)
    if article is not None and not article.slug:
        # A hand-written file without `slug:` is published under its file name when that is a valid slug.
        if not SLUG_RE.match(path.stem):
            return None, [Diagnostic(shown, f"no `slug:` and the file name {path.stem!r} is not a valid slug", line=1,
                                     hint="add `slug: some-ascii-words` to the front matter")]
        article = replace(article, slug=path.stem)
    return article, problems


def content_files(content_dir: Path) -> list[Path]:
    """The folder's *.md files (hidden ones too, as Path.glob("*.md") gives them), sorted; scandir takes a
    third of the time of glob + is_file on 10,000 files."""
    if not content_dir.is_dir():
        return []
    with os.scandir(content_dir) as entries:
        names = sorted(e.name for e in entries if e.name.endswith(".md") and e.is_file())
    return [content_dir / name for name in names]


# A parsed-file memo: file name → (size, mtime_ns, sha256 of the bytes, the Article). The build keeps it in
# its cache so an unchanged file is neither read as YAML nor validated again.
ArticleMemo = dict[str, tuple[int, int, str, Article]]


def read_articles(content_dir: Path, memo: ArticleMemo | None = None,
                  workers: int = 1) -> tuple[list[Article], list[Diagnostic]]:
    """Every content file, validated; returns the good articles and all problems of the bad ones.

    With a memo, a file whose size and mtime (or, failing that, bytes) are unchanged reuses its Article;
    the memo is updated in place to hold exactly the files read now. With `workers` > 1 and at least
    PARALLEL_MIN_FILES files to read, a forked process reads the second half of them (`_read_all`).
    """
    paths = content_files(content_dir)
    found: list[tuple[Article | None, list[Diagnostic]] | None] = [None] * len(paths)
    todo: list[tuple[Path, os.stat_result | None]] = []  # the files whose Article the memo does not have
    places: list[int] = []  # each one's place in `paths`
    for number, path in enumerate(paths):
        stat: os.stat_result | None = None  # only a memo needs it
        if memo is not None:
            try:
                stat = path.stat()
            except OSError:
                pass  # read_article reports it
            known = memo.get(path.name) if stat is not None else None
            if known is not None and stat is not None and (known[0], known[1]) == (stat.st_size, stat.st_mtime_ns):
                found[number] = (known[3], [])
                continue
        todo.append((path, stat))
        places.append(number)
    for number, (path, _stat), (stamp, article, errs) in zip(places, todo, _read_all(todo, memo, workers)):
        if memo is not None and stamp is not None:
            if article is None and not errs:  # the bytes the memo knows, under a new mtime
                article = memo[path.name][3]
                memo[path.name] = (*stamp, article)
            elif article is not None and not errs:
                memo[path.name] = (*stamp, article)
            else:
                memo.pop(path.name, None)  # a broken file is read (and reported) again every time
        found[number] = (article, errs)
    articles: list[Article] = []
    problems: list[Diagnostic] = []
    owners: dict[str, Path] = {}
    for path, result in zip(paths, found):
        article, errs = result  # type: ignore[misc]
        problems.extend(errs)
        if article is None:
            continue
        if article.slug in owners:
            # Two articles on one URL would overwrite each other's page: refuse, naming both files.
            problems.append(Diagnostic(display_path(path), f"slug {article.slug!r} is already used by "
                                       f"{display_path(owners[article.slug])}", line=1, hint="give one of them another `slug:`"))
            continue
        owners[article.slug or ""] = path
        articles.append(article)
    if memo is not None:
        seen = {path.name for path in paths}
        for name in [n for n in memo if n not in seen]:
            del memo[name]
    return articles, problems


Read = tuple[tuple[int, int, str] | None, Article | None, list[Diagnostic]]  # (size, mtime, sha256), Article, problems


def _read(path: Path, stat: os.stat_result | None, memo: ArticleMemo | None) -> Read:
    """One file the memo has no Article for under its size and mtime: its stamp and Article, or no Article and
    no problem when the memo knows its bytes (the caller takes the memo's), or its problems."""
    if memo is None or stat is None:
        return (None, *read_article(path))
    try:
        data = path.read_bytes()
    except OSError:
        return (None, *read_article(path))
    digest = hashlib.sha256(data).hexdigest()
    stamp = (stat.st_size, stat.st_mtime_ns, digest)
    known = memo.get(path.name)
    if known is not None and known[2] == digest:
        return stamp, None, []
    return (stamp, *read_article(path, data=data))  # the bytes hashed: the memo never pairs two versions


# Files to read before a second process pays: pickling 10,000 Articles took 0.28 s and unpickling them 0.33 s,
# so half of them cross for ~0.3 s; reading 10,000 files took 1.8 s in one process, 1.5 s in two.
PARALLEL_MIN_FILES = 2000
_TODO: tuple[list[tuple[Path, os.stat_result | None]], ArticleMemo | None] = ([], None)  # a forked reader's work


def _read_all(todo: list[tuple[Path, os.stat_result | None]], memo: ArticleMemo | None, workers: int) -> list[Read]:
    """_read of each file, in order: the second half in a forked process when it pays."""
    global _TODO
    if workers <= 1 or len(todo) < PARALLEL_MIN_FILES or not hasattr(os, "fork"):
        return [_read(path, stat, memo) for path, stat in todo]
    from site_gen.output import fork_pool

    half = len(todo) // 2
    _TODO = (todo, memo)
    try:
        with fork_pool(1) as pool:
            later = pool.submit(_read_range, half, len(todo))
            first = _read_range(0, half)
            return first + later.result()
    finally:
        _TODO = ([], None)


def _read_range(start: int, stop: int) -> list[Read]:
    todo, memo = _TODO
    return [_read(path, stat, memo) for path, stat in todo[start:stop]]


# libyaml's emitter when PyYAML has it: five times faster than the pure-Python one, same text for the
# same representers (tests/golden and the round-trip fuzz tests hold it to that).
class _Dumper(yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper):  # type: ignore[misc]
    """Deterministic YAML: no aliases, block lists, unicode kept readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_representer)


def format_article(article: Article) -> str:
    """The exact text of a content file for an article."""
    meta = yaml.dump(article_to_front_matter(article), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=10_000, default_flow_style=False)
    body = article.body.strip("\n")
    return f"{FENCE}\n{meta}{FENCE}\n\n{body}\n" if body else f"{FENCE}\n{meta}{FENCE}\n"
