"""The build cache: `.site-gen-cache/` beside the config, so a rebuild redoes only what its inputs changed.

Input: the config (where the folder is) and what a build hands it to keep. Output: what the previous
build kept, or nothing. Nothing in the folder is needed: deleting it only makes the next build a cold
one. Every entry is keyed by `code_key()` (site_gen's own source and the versions of the libraries that
shape the output), so a new site_gen never reads an old site_gen's results.

    articles-<content dir>-NN.pickle  parsed content files (content.ArticleMemo), by size+mtime, then sha256;
                                   in SHARDS files, so an edit rewrites one
    plan.pickle                    related-article lists and mention sentences (pages.PlanMemo)
    slugs.pickle                   term → slug (slugify loads jieba's dictionary; a term is slugged once)
    html/<aa>/<hash>.html          Markdown → sanitised HTML, by body hash (only bodies Python-Markdown converts:
                                   pages.quick_html makes the others faster than a file is read)
    out-<output dir>.pickle        the last build into that output folder (OutputRecord)
    search-shards/<key>/           the search index's shards as Pagefind made them, prepared for the merge
                                   (search.py, search_merge.py): an edit re-indexes one shard
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from site_gen.output import fork_pool
from site_gen.pages import parsed_html, quick_html

CACHE_DIR = ".site-gen-cache"
# A file changed within this many seconds of being recorded may change again without its mtime moving
# (timestamps are coarse on some file systems): such entries are re-hashed next time (git's "racy clean").
RACY_SECONDS = 2
_LIBRARIES = ("markdown", "nh3", "jinja2", "markupsafe", "pyyaml", "pagefind", "jieba", "rjieba", "pypinyin", "opencc",
              "cbor2")
_PACKAGE = Path(__file__).resolve().parent

# Content stamp: file name → (size, mtime_ns, sha256 of the bytes).
Stamp = dict[str, tuple[int, int, str]]


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of site_gen's source and data files and of the library versions: what the output is a function of."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-;".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_key(folders: Iterable[Path]) -> str:
    """A hash of every file (name and bytes) under the folders: templates, static assets, site data."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(str(folder).encode() + b"\0\0")
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_stamp(content_dir: Path, previous: Stamp) -> Stamp:
    """Size, mtime and sha256 of every content/*.md; only files whose size or mtime moved are read."""
    stamp: Stamp = {}
    if not content_dir.is_dir():
        return stamp
    with os.scandir(content_dir) as entries:
        for entry in entries:
            if not entry.name.endswith(".md") or not entry.is_file():
                continue
            stat = entry.stat()
            known = previous.get(entry.name)
            if known is not None and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
                stamp[entry.name] = known
                continue
            try:
                with open(entry.path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            except OSError:
                digest = "unreadable"
            stamp[entry.name] = (stat.st_size, stat.st_mtime_ns, digest)
    return stamp


def settle(entries: dict[str, tuple[Any, ...]], started_ns: int) -> dict[str, tuple[Any, ...]]:
    """Entries whose mtime is too recent to trust get mtime -1, so the next build re-hashes them."""
    limit = started_ns - RACY_SECONDS * 1_000_000_000
    return {name: (entry[0], -1, *entry[2:]) if entry[1] >= limit else entry for name, entry in entries.items()}


def same_content(a: Stamp, b: Stamp) -> bool:
    return a.keys() == b.keys() and all(a[name][2] == b[name][2] for name in a)


@dataclass
class OutputRecord:
    """What the last successful build into one output folder produced, for the next build to compare with."""

    inputs: str  # hash of everything but the content files (code, config, options, theme, data)
    content: Stamp
    inode: int  # the published folder's inode: a folder replaced by someone else is not ours to reuse
    pages: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # output path → (fingerprint, size)
    search: str | None = None  # search-input key of the index in pagefind/, None when there is none
    search_pending: bool = False  # that index is older than the pages (BuildOptions.search_later)
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # articles, drafts left out, files, bytes
    static: tuple[str, ...] = ()  # the theme's static files copied into the site
    spare: "SpareRecord | None" = None  # the site this one replaced, kept for the next build to recycle


@dataclass(frozen=True)
class SpareRecord:
    """What the spare folder (output.spare_dir) holds: an earlier site, by page fingerprints and static files."""

    inode: int
    pages: dict[str, tuple[bytes, int]]
    static: tuple[str, ...]


def _name_for(kind: str, folder: Path) -> str:
    return f"{kind}-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]}.pickle"


SHARDS = 16  # files a large mapping is split into, so that saving it rewrites only the parts that changed

# Objects this process loaded or saved, by file: (device, inode, size, mtime) of the file then, and the object.
# A long-running `serve` rebuilds without unpickling what it pickled itself a moment ago (the parsed
# articles alone are ~90 MB at 10k articles); any change to the file (a new inode on every save) is a miss.
_RECENT: dict[Path, tuple[tuple[int, int, int, int], Any]] = {}


def _file_signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class BuildCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.key = code_key()
        self._loaded_shards: dict[str, list[Any]] = {}  # name → the shards as loaded, to save only changed ones

    @classmethod
    def beside(cls, config_root: Path) -> "BuildCache":
        return cls(config_root / CACHE_DIR)

    # Pickled records ---------------------------------------------------------------------------------

    def load(self, name: str) -> Any:
        """The object saved under `name` by a build of this same code, else None (a broken file is a miss)."""
        path = self.folder / name
        signature = _file_signature(path)
        recent = _RECENT.get(path)
        if signature is not None and recent is not None and recent[0] == signature:
            key, value = recent[1]
            return value if key == self.key else None
        try:
            with open(path, "rb") as f:
                key, value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None
        if signature is not None:
            _RECENT[path] = (signature, (key, value))
        return value if key == self.key else None

    def save(self, name: str, value: Any) -> None:
        self.write(name, value)
        self.remember(name, value)

    def write(self, name: str, value: Any) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.folder / name, pickle.dumps((self.key, value), protocol=pickle.HIGHEST_PROTOCOL))

    def remember(self, name: str, value: Any) -> None:
        """Remember what was just written, so that this process's next load of it need not unpickle it."""
        path = self.folder / name
        signature = _file_signature(path)
        if signature is not None:
            _RECENT[path] = (signature, (self.key, value))

    def load_sharded(self, name: str) -> dict[str, Any]:
        """The mapping saved by save_sharded under `name` (what is left of it if some shards are missing)."""
        shards = [self.load(_shard_name(name, i)) for i in range(SHARDS)]
        self._loaded_shards[name] = shards
        merged: dict[str, Any] = {}
        for shard in shards:
            merged.update(shard or {})
        return merged

    def save_sharded(self, name: str, mapping: dict[str, Any], meanwhile: bool = False) -> "Saving":
        """Save a str-keyed mapping in SHARDS files, writing only those that differ from what was loaded. With
        `meanwhile`, a worker forked from this process writes them while the build goes on (a cold 10k build's
        articles took 0.49 s, and the model stage after them runs mostly on one core); the Saving returned is then
        a context to leave once that work is done (it waits for the worker)."""
        shards: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        for key, value in mapping.items():
            shards[zlib.crc32(key.encode("utf-8")) % SHARDS][key] = value
        loaded = self._loaded_shards.get(name, [None] * SHARDS)
        # Unchanged entries hold the very objects loaded: compared by identity.
        changed = [(_shard_name(name, i), shard) for i, shard in enumerate(shards) if shard != loaded[i]]
        self._loaded_shards[name] = list(shards)
        saving = Saving(self, changed)
        if meanwhile and changed:
            saving.start()
        if saving.job is None:
            saving.finish()
        return saving

    def articles_name(self, content_dir: Path) -> str:
        return _name_for("articles", content_dir)

    def output_name(self, out_dir: Path) -> str:
        return _name_for("out", out_dir)

    # Markdown → HTML ---------------------------------------------------------------------------------

    def html_of(self, body: str) -> str:
        """markdown_to_html(body), read from html/ when this body was converted before (by this code). A body
        quick_html converts is not kept: converting it again costs less than writing and reading a file (a
        cold 10k build wrote 10,000 of them, 8 % of its render workers' time)."""
        html = quick_html(body)
        if html is not None:
            return html
        name = hashlib.blake2b(self.key.encode() + body.encode("utf-8"), digest_size=20).hexdigest()
        path = self.folder / "html" / name[:2] / f"{name}.html"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        html = parsed_html(body)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, html.encode("utf-8"))
        except OSError:
            pass  # a read-only cache only costs speed
        return html


class Saving:
    """Pickled records being saved (BuildCache.save_sharded), perhaps by a forked worker (output.fork_pool)."""

    def __init__(self, cache: BuildCache, entries: list[tuple[str, Any]]):
        self.cache = cache
        self.entries = entries
        self.pool: ProcessPoolExecutor | None = None
        self.job: Future[None] | None = None
        self.done = False

    def start(self) -> None:
        """Write the records in a worker forked now, which shares them copy-on-write (nothing is pickled to it)."""
        global _SAVING
        if not hasattr(os, "fork"):
            return
        _SAVING = self
        try:
            self.pool = fork_pool(1)
            self.job = self.pool.submit(_write_saving)  # the worker is forked here, with _SAVING set
        finally:
            _SAVING = None

    def write(self) -> None:
        for name, value in self.entries:
            self.cache.write(name, value)

    def finish(self) -> None:
        """Wait for the worker; write what it did not (it could not be forked, or failed)."""
        if self.done:
            return
        self.done = True
        if not self._wait():
            self.write()
        for name, value in self.entries:
            self.cache.remember(name, value)

    def abandon(self) -> None:
        """The build failed: only wait for the worker (what it wrote is as good as any build's)."""
        self._wait()

    def __enter__(self) -> Saving:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.finish()
        else:
            self.abandon()

    def _wait(self) -> bool:
        """Whether the worker wrote every record."""
        if self.pool is None or self.job is None:
            return False
        try:
            self.job.result()
            return True
        except Exception:  # noqa: BLE001 - any failure of the worker is made good by writing here
            return False
        finally:
            self.pool.shutdown()


_SAVING: Saving | None = None  # what the worker forked by Saving.start writes


def _write_saving() -> None:
    assert _SAVING is not None
    _SAVING.write()


def _shard_name(name: str, shard: int) -> str:
    return f"{name.removesuffix('.pickle')}-{shard:02d}.pickle"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a reader (another process) never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def now_ns() -> int:
    return time.time_ns()
