"""Render and write the planned pages: only those whose inputs changed, in parallel on large sites.

Input: the planned Pages, a renderer, the staging folder, and the previous build's page fingerprints
with its published folder. Output: every page's file in the staging folder, streamed to disk as it is
rendered (nothing holds the site's bytes), and the new fingerprints.

A page's fingerprint is a hash of everything its bytes are a function of: a global key (site_gen's
code, the config, the templates) and the page's own plan — path, template, URL, its Markdown and its
context, serialised with each Article replaced by a digest of the whole Article. So an article edit
changes exactly the pages that show it (its page, its neighbours' and related pages, its lists, term
pages and feeds) and nothing else. A page whose fingerprint is unchanged is kept where it is (when the
staging folder is a recycled earlier site that holds it) or hard-linked from the previous output instead
of rendered. Values many pages show (pages.Shared: cards, term links) are serialised once per build. The bytes never depend on whether a page was rendered or reused,
or on which process rendered it: output is identical serial or parallel, cold or incremental.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from site_gen.article import Article
from site_gen.output import fork_pool, link_or_copy, usable_cpus, remove_file, safe_target
from site_gen.pages import Page, Shared
from site_gen.render import PageRenderer

# Below this many pages a process pool costs more than it saves.
PARALLEL_MIN_PAGES = 2000
CHUNK = 250  # pages per task: small enough to balance two workers, large enough to amortise the IPC


def _article_ref(digest: bytes) -> bytes:  # what an Article pickles as inside a fingerprint
    return digest


def _shared_ref(digest: bytes) -> bytes:  # what a pages.Shared value pickles as inside a fingerprint
    return digest


# The articles digested by this process's last build, by id (each entry holds its article, so the id stays
# its own): a `serve` rebuild gets unchanged articles as the very objects the build cache gave it last time
# (cache._RECENT), and digesting 10,000 articles again would cost a tenth of a one-article rebuild.
_LAST_DIGESTS: dict[int, tuple[Article, bytes]] = {}


class Fingerprints:
    """page → 16-byte fingerprint (see the module docstring)."""

    def __init__(self, global_key: str, articles: Iterable[Article], files: Mapping[int, bytes] | None = None):
        """`files`: id(article) → a digest of the file the article was parsed from (file_digest), which
        stands for the article's own digest (a fresh process would otherwise pickle 10,000 articles)."""
        global _LAST_DIGESTS
        self.key = global_key.encode()
        self.digests: dict[int, bytes] = {}
        self._articles: list[Article] = []  # keeps the ids in `digests` alive and unique
        last = _LAST_DIGESTS
        files = files or {}
        for article in articles:
            known = last.get(id(article))
            if known is not None and known[0] is article:
                self.digests[id(article)] = known[1]
                self._articles.append(article)
            elif id(article) in files:
                self.digests[id(article)] = files[id(article)]
                self._articles.append(article)
            else:
                self.digest(article)
        _LAST_DIGESTS = {id(a): (a, self.digests[id(a)]) for a in self._articles}
        self.table = {Article: self._reduce_article, Shared: self._reduce_shared}
        self._shared: dict[int, bytes] = {}
        self._kept: list[Shared] = []  # keeps the ids in `_shared` alive and unique

    def _reduce_shared(self, value: Shared) -> tuple[Callable[[bytes], bytes], tuple[bytes]]:
        # A value shown by many pages is serialised once, its digest standing in for it on every page.
        found = self._shared.get(id(value))
        if found is None:
            found = self._shared[id(value)] = self._hash(dict(value))
            self._kept.append(value)
        return _shared_ref, (found,)

    def _hash(self, value: Any) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self.table  # type: ignore[assignment]
        pickler.fast = True  # no memo: equal values serialise equally, whatever object identity they share
        pickler.dump(value)
        return hashlib.blake2b(self.key + buffer.getvalue(), digest_size=16).digest()

    def digest(self, article: Article) -> bytes:
        found = self.digests.get(id(article))
        if found is None:
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = True  # a fresh parse and a cached copy share strings differently; same bytes anyway
            pickler.dump(article)
            found = self.digests[id(article)] = hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
            self._articles.append(article)
        return found

    @staticmethod
    def file_digest(name: str, sha256: str) -> bytes:
        """An article's digest from its file: the same name and bytes parse to the same Article under the
        same code (the global key, part of every page's fingerprint and of the cache's key, covers the
        code). A tag keeps it apart from the pickled digests of articles read without a memo."""
        return hashlib.blake2b(f"file\0{name}\0{sha256}".encode(), digest_size=16).digest()

    def _reduce_article(self, article: Article) -> tuple[Callable[[bytes], bytes], tuple[bytes]]:
        return _article_ref, (self.digest(article),)

    def __call__(self, page: Page) -> bytes:
        markdown: str | bool | None = page.markdown
        article = page.context.get("article")
        if markdown is not None and isinstance(article, Article) and markdown is article.body:
            # The article's body itself: its digest in the context already stands for it (hashing the
            # 10,000 bodies again was a fifth of fingerprinting a 10k site).
            markdown = True
        return self._hash((page.path, page.template, page.url, markdown, page.context))


@dataclass(frozen=True)
class Previous:
    """The last build's output folder and its page fingerprints: path → (fingerprint, size)."""

    folder: Path
    pages: dict[str, tuple[bytes, int]]
    # What the staging folder already holds when it is a recycled earlier site (output.prepare_staging):
    # path → (fingerprint, size). Such a file is kept where it is when its fingerprint still holds.
    staged: dict[str, tuple[bytes, int]] = field(default_factory=dict)


@dataclass
class Outcome:
    pages: dict[str, tuple[bytes, int]]  # path → (fingerprint, size), every page
    rendered: int
    reused: int
    bytes: int


@dataclass
class _Job:
    pages: list[Page]
    fingerprints: Fingerprints | None
    renderer: PageRenderer
    stage: Path
    previous: Previous | None


_JOB: _Job | None = None  # what forked workers inherit (nothing is pickled to them but index ranges)


def _run(start: int, stop: int) -> list[tuple[str, bytes, int, bool]]:
    job = _JOB
    assert job is not None
    made: set[Path] = set()
    results = []
    staged = job.previous.staged if job.previous else {}
    stage = str(job.stage)
    for page in job.pages[start:stop]:
        fingerprint = job.fingerprints(page) if job.fingerprints is not None else b""
        here = staged.get(page.path)
        # A path in `staged` was checked by safe_target when an earlier build wrote it: joined as a string
        # (pathlib's parsing costs more than the rest of keeping an unchanged page).
        if here is not None and here[0] == fingerprint and _size(os.path.join(stage, page.path)) == here[1]:
            results.append((page.path, fingerprint, here[1], True))  # already in place
            continue
        target = safe_target(job.stage, page.path)
        if here is not None:
            remove_file(target)  # may be a hard link into public/: replace it, never write through it
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        known = job.previous.pages.get(page.path) if job.previous else None
        if known is not None and known[0] == fingerprint and job.previous is not None:
            source = safe_target(job.previous.folder, page.path)
            if _size(source) == known[1]:  # else gone or changed by hand: render it again
                link_or_copy(source, target)
                results.append((page.path, fingerprint, known[1], True))
                continue
        data = job.renderer.render(page)
        with open(target, "wb") as f:
            f.write(data)
        results.append((page.path, fingerprint, len(data), False))
    return results


def _size(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def workers_for(pages: int, jobs: int | None) -> int:
    """Processes to render with: `jobs` when given, else every CPU when the site is large enough to gain from it."""
    if jobs is not None:
        return max(1, jobs)
    return usable_cpus() if pages >= PARALLEL_MIN_PAGES else 1


def render_site(pages: list[Page], renderer: PageRenderer, fingerprints: Fingerprints | None, stage: Path,
                previous: Previous | None, workers: int = 1,
                progress: Callable[[int, int | None], None] | None = None) -> Outcome:
    """Fingerprint every page; link the unchanged ones from `previous`, render and write the others. Without
    `fingerprints` (a build without a cache, which keeps nothing to compare with) every page is rendered and
    its fingerprint is b""."""
    global _JOB
    _JOB = _Job(pages, fingerprints, renderer, stage, previous)
    outcome = Outcome({}, 0, 0, 0)
    ranges = [(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]

    def collect(results: list[tuple[str, bytes, int, bool]], done: int) -> None:
        for path, fingerprint, size, reused in results:
            outcome.pages[path] = (fingerprint, size)
            outcome.bytes += size
            outcome.reused += reused
            outcome.rendered += not reused
        if progress is not None:
            progress(done, len(pages))

    try:
        if workers <= 1 or len(ranges) <= 1 or not _can_fork():
            for start, stop in ranges:
                collect(_run(start, stop), stop)
        else:
            # fork: the workers share the planned pages copy-on-write; only index ranges and small
            # results cross between processes.
            with fork_pool(workers) as pool:
                futures = [pool.submit(_run, start, stop) for start, stop in ranges]
                for (_start, stop), future in zip(ranges, futures):
                    collect(future.result(), stop)
    finally:
        _JOB = None
    return outcome


def _can_fork() -> bool:
    return hasattr(os, "fork")


def search_key(global_key: str, fingerprints: Fingerprints, articles: Iterable[Article], extra: Any) -> str:
    """A hash of what the search index is made of: every indexed article (in order) and `extra`."""
    digest = hashlib.blake2b(global_key.encode(), digest_size=16)
    for article in articles:
        digest.update(fingerprints.digest(article))
    digest.update(pickle.dumps(extra, protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()
