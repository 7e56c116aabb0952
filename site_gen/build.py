"""The build: a flat list of stages, each timed.

import seeds → read content → build model → plan pages → render+write (staging) → index search → swap in.
Input: BuildOptions. Output: a BuildReport (counts, skipped seeds, time per stage) and a finished
`public/`; on any error the previous `public/` is left as it was.

With the build cache (site_gen/cache.py, on by default) a rebuild does only what changed: an input
stamp equal to the last build's returns at once ("up to date"); otherwise unchanged content files are
not parsed again, planning reuses what no changed article touches (pages.PlanMemo), the site replaced by
the last build is recycled as the staging folder (output.py), unchanged pages are kept there or
hard-linked from the previous output instead of rendered (site_gen/incremental.py), and Pagefind runs
only when an indexed article changed (with `search_later`, serve's choice, the pages go out first with
the previous index). The output is the same byte for byte either way. An incremental build pauses the
cyclic garbage collector until its model is made, then freezes the model for the rest of the build.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from site_gen.cache import BuildCache, OutputRecord, SpareRecord, code_key, content_stamp, files_key, now_ns, same_content, settle
from site_gen.config import SiteConfig
from site_gen.content import read_articles
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.enrich.gazetteer import Gazetteer, data_file, load_gazetteer
from site_gen.enrich.regions import RegionTable, load_region_table
from site_gen.incremental import Fingerprints, Previous, render_site, search_key, workers_for
from site_gen.model import build_model
from site_gen.output import (build_lock, check_paths, link_or_copy, link_tree, prepare_staging, prune, finish_spare,
                             spare_dir, start_spare, swap_in, usable_cpus, wait_spare)
from site_gen.pages import markdown_to_html, plan_pages
from site_gen.progress import NoProgress, ProgressHook
from site_gen.render import PageRenderer, make_environment, resolve_theme
from site_gen.search import index_site, reference_phrases

if TYPE_CHECKING:  # the importer (and jieba behind it) is only loaded when a build imports
    from site_gen.importer import ImportReport

REFERENCE_DATA = "reference.pickle"  # (inputs key, Gazetteer, RegionTable)
PLAN_MEMO = "plan.pickle"  # pages.PlanMemo of the last build: related lists and mention sentences
SEARCH_FILES = ("pagefind", "search/query.json")  # what index_site writes into the site
SHARD_STORE = "search-shards"  # in the cache folder


@dataclass(frozen=True)
class BuildOptions:
    config: SiteConfig
    seeds_dir: Path
    content_dir: Path
    out_dir: Path
    run_import: bool = True
    drafts: bool = False
    search: bool = True
    progress: ProgressHook = field(default_factory=NoProgress, compare=False)  # how stages show their work
    cache: bool = True  # keep and use .site-gen-cache/ beside the config (False: every build is cold)
    jobs: int | None = None  # render processes; None: all CPUs when the site is large, else one
    # Publish the pages with the previous search index when the index is out of date, and leave the
    # re-indexing to the next build (serve runs it at once, in the background): report.search_pending.
    search_later: bool = False


@dataclass
class BuildReport:
    import_report: ImportReport | None = None
    articles: int = 0
    drafts_skipped: int = 0
    pages: int = 0
    bytes_written: int = 0
    timings: list[tuple[str, float]] = field(default_factory=list)
    content_problems: list[Diagnostic] = field(default_factory=list)
    progress: ProgressHook = field(default_factory=NoProgress, repr=False, compare=False)
    up_to_date: bool = False  # nothing changed since the last build: public/ was left as it was
    rendered: int = 0  # pages rendered this time (the others were reused from the previous output)
    search_indexed: bool = False  # Pagefind ran (False: no search, or the previous index still held)
    search_pending: bool = False  # published with an out-of-date search index (BuildOptions.search_later)

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[None]:
        start = time.perf_counter()
        self.progress.start(name, total)
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - start))
            self.progress.finish(name, self.timings[-1][1])


def site_data_dir(config: SiteConfig) -> Path:
    return config.root / config.data_dir


def inputs_key(options: BuildOptions, theme_folders: tuple[Path, ...], data_dir: Path) -> str:
    """Everything a build depends on except the content files: code, config, options, theme, site data."""
    import hashlib

    parts = (code_key(), repr(options.config), options.drafts, options.search, str(options.content_dir.resolve()),
             files_key(theme_folders), files_key([data_dir]))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _previous_output(record: OutputRecord | None, out_dir: Path) -> OutputRecord | None:
    """The record of the last build, if out_dir is still the folder that build published."""
    if record is None:
        return None
    try:
        return record if os.stat(out_dir).st_ino == record.inode and (out_dir / "index.html").is_file() else None
    except OSError:
        return None


def _spare(record: OutputRecord | None, out_dir: Path) -> SpareRecord | None:
    """The record of the spare folder (an earlier site, output.spare_dir), if the folder is still that site."""
    if record is None or record.spare is None:
        return None
    try:
        return record.spare if os.stat(spare_dir(out_dir)).st_ino == record.spare.inode else None
    except OSError:
        return None


def _reference_data(cache: BuildCache | None, inputs: str, data_dir: Path) -> tuple[Gazetteer, RegionTable]:
    """The zone gazetteer and the county table, kept in the cache under `inputs` (which covers the code and
    the site's data files): parsing their YAML costs more than a whole one-article rebuild's model."""
    kept = cache.load(REFERENCE_DATA) if cache else None
    if kept is not None and kept[0] == inputs:
        return kept[1], kept[2]
    gazetteer, region_table = load_gazetteer(data_dir), load_region_table(data_file("counties.yml", data_dir))
    if cache:
        cache.save(REFERENCE_DATA, (inputs, gazetteer, region_table))
    return gazetteer, region_table


class CollectorPause:
    """The cyclic garbage collector paused while an incremental build makes its model, then that model frozen
    for the rest of the build (`_build` says why); `release` undoes what this build did. Only when the process
    has no frozen objects of its own and the collector on: `gc.unfreeze` cannot tell our objects from a
    caller's, and a caller that turned the collector off wants it off."""

    def __init__(self) -> None:
        self.paused = self.frozen = False
        self.allowed = gc.get_freeze_count() == 0

    def pause(self) -> None:
        if self.allowed and gc.isenabled():
            gc.disable()
            self.paused = True

    def freeze(self) -> None:
        if self.paused:
            gc.freeze()
            self.frozen, self.paused = True, False
            gc.enable()

    def release(self) -> None:
        if self.paused:
            gc.enable()
        if self.frozen:
            gc.unfreeze()
        self.paused = self.frozen = False


def build(options: BuildOptions) -> BuildReport:
    """Run every stage; a second build into the same output folder waits for the first (one staging folder)."""
    with build_lock(options.out_dir):
        collector = CollectorPause()
        try:
            return _build(options, collector)
        finally:
            collector.release()


def _build(options: BuildOptions, collector: CollectorPause) -> BuildReport:
    config = options.config
    report = BuildReport(progress=options.progress)
    data_dir = site_data_dir(config)
    started = now_ns()
    if options.run_import:
        from site_gen.importer import import_seeds

        with report.stage("import"):
            report.import_report = import_seeds(options.seeds_dir, options.content_dir, data_dir,
                                                progress=options.progress.update)
    cache = BuildCache.beside(config.root) if options.cache else None
    theme = resolve_theme(config)
    with report.stage("load"):
        inputs = inputs_key(options, theme.folders, data_dir) if cache else ""
        record = _previous_output(cache.load(cache.output_name(options.out_dir)), options.out_dir) if cache else None
        # Without a record (a cold build) nothing is compared with the stamp: it is taken after read_articles,
        # which hashes every file it reads anyway (content_stamp hashed all 10,000 once more: 0.15 s of CPU).
        stamp = content_stamp(options.content_dir, record.content) if cache and record else {}
        # An incremental build unpickles the whole archive's memos and makes its model from them: all of it
        # lives to the end of the build, and the collections the cyclic collector would run meanwhile walk
        # all of it for nothing. Paused until the model is made, which is then frozen (`build` unfreezes it).
        # Not for a cold build: freezing made its render stage slower in every run (BENCHMARKS.md).
        if record is not None:
            collector.pause()
        if cache and record and record.inputs == inputs and same_content(record.content, stamp) \
                and not record.search_pending:
            report.up_to_date = True
            report.articles, report.drafts_skipped, report.pages, report.bytes_written = record.counts
            if stamp != record.content:  # mtimes moved (a file rewritten unchanged): note them for next time
                record.content = settle(stamp, started)  # type: ignore[assignment]
                cache.save(cache.output_name(options.out_dir), record)
            return report
        memo = cache.load_sharded(cache.articles_name(options.content_dir)) if cache else None
        # read_articles and plan_pages use a second process only for thousands of files or lists (their own
        # thresholds): they get every CPU, or `jobs` when given.
        workers = max(1, options.jobs) if options.jobs is not None else usable_cpus()
        articles, problems = read_articles(options.content_dir, memo, workers)
        if problems:
            raise SiteGenError(problems)
        if memo is not None and record is None:  # the memo now holds exactly the content files, with their sha256
            stamp = {name: entry[:3] for name, entry in memo.items()}
        published = [a for a in articles if options.drafts or not a.draft]
        report.drafts_skipped = len(articles) - len(published)
        report.articles = len(published)
    # Written by a forked worker while the model is made (mostly on one core), and waited for at the end of it: the
    # worker ends there, and the memory it copied with it (cache.Saving).
    saving = cache.save_sharded(cache.articles_name(options.content_dir), settle(memo, started), meanwhile=True) \
        if cache and memo is not None else nullcontext()
    with report.stage("model"), saving:
        slug_memo = (cache.load("slugs.pickle") or {}) if cache else {}
        slugs_known = len(slug_memo)
        gazetteer, region_table = _reference_data(cache, inputs, data_dir)
        model = build_model(published, gazetteer, region_table, slug_memo=slug_memo)
        global_key = inputs or repr(config)  # code, config, templates: what every page's bytes depend on
        files = {id(entry[3]): Fingerprints.file_digest(name, entry[2]) for name, entry in memo.items()} if memo else None
        # Fingerprints are for the next build to compare with: without a cache there is none (at 10k, 0.16-0.26 s
        # of article digests here, and 9 % of the render workers' time).
        fingerprints = Fingerprints(global_key, model.articles, files) if cache else None
        pages, plan_memo = plan_pages(model, config, cache.load(PLAN_MEMO) if cache else None,
                                      fingerprints.digest if fingerprints is not None else None, workers)
    collector.freeze()
    with report.stage("write"):
        spare = _spare(record, options.out_dir)
        stage, static_paths, static_bytes = prepare_staging(theme.static_dirs, options.out_dir, recycle=spare is not None,
                                                            leave_out=SEARCH_FILES)
        check_paths([page.path for page in pages], static_paths)
    with report.stage("render", total=len(pages)):
        env = make_environment(theme, config)
        renderer = PageRenderer(env, config, cache.html_of if cache else markdown_to_html)
        previous = Previous(options.out_dir, record.pages, spare.pages if spare else {}) if record else None
        outcome = render_site(pages, renderer, fingerprints, stage, previous, workers_for(len(pages), options.jobs),
                              options.progress.update)
        if spare:  # the recycled site's files this build does not make
            prune(stage, [p for p in (*spare.pages, *spare.static) if p not in outcome.pages and p not in static_paths])
        report.pages = len(pages)
        report.rendered = outcome.rendered
        report.bytes_written = static_bytes + outcome.bytes
    # No record of the site this build replaces: the next build recycles a copy of this one, made meanwhile
    # (output.start_spare) by a child process that the search stage leaves time for.
    copying = start_spare(stage, options.out_dir) if cache and record is None else None
    try:
        indexed_key = None
        if options.search:
            with report.stage("search index"):
                # The index is made of the articles alone (not templates or config): a theme edit keeps it.
                indexed_key = search_key(code_key(), fingerprints, model.articles, sorted(model.region_cities.items())) \
                    if fingerprints is not None else None
                if record and (record.search == indexed_key or options.search_later) \
                        and all((options.out_dir / p).exists() for p in SEARCH_FILES):
                    link_tree(options.out_dir / "pagefind", stage / "pagefind")
                    link_or_copy(options.out_dir / "search" / "query.json", stage / "search" / "query.json")
                    if record.search != indexed_key:  # search_later: the index stays the previous one for now
                        report.search_pending, indexed_key = True, record.search
                else:
                    # The prepared shards live in the cache: an edit re-indexes its shard only (search.py).
                    index_site(stage, model, cache.folder / SHARD_STORE if cache else None,
                               reference_phrases(gazetteer, region_table))
                    report.search_indexed = True
        with report.stage("publish"):
            spare_made = wait_spare(copying)  # before the staging folder moves
            swap_in(stage, options.out_dir, keep_previous=cache is not None)
            if cache and record is None:
                finish_spare(spare_made, options.out_dir, SEARCH_FILES)
    finally:
        if copying is not None and copying.poll() is None:  # the build failed before publishing
            copying.kill()
            copying.wait()
    if cache:
        kept = record or OutputRecord(inputs, {}, 0, outcome.pages, static=tuple(static_paths))
        cache.save(cache.output_name(options.out_dir), OutputRecord(
            inputs=inputs, content=settle(stamp, started), inode=os.stat(options.out_dir).st_ino,  # type: ignore[arg-type]
            pages=outcome.pages, search=indexed_key, search_pending=report.search_pending,
            counts=(report.articles, report.drafts_skipped, report.pages, report.bytes_written),
            static=tuple(static_paths),
            spare=SpareRecord(os.stat(spare_dir(options.out_dir)).st_ino, kept.pages, kept.static)))
        cache.save(PLAN_MEMO, plan_memo)
        if len(slug_memo) != slugs_known:
            cache.save("slugs.pickle", dict(slug_memo))
    return report
