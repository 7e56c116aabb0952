"""The build: a flat list of stages, each timed.

import seeds → read content → build model → plan pages → render → write (staging) → index search → swap in.
Input: BuildOptions. Output: a BuildReport (counts, skipped seeds, time per stage) and a finished
`public/`; on any error the previous `public/` is left as it was.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from site_gen.config import SiteConfig
from site_gen.content import read_articles
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.enrich.gazetteer import data_file, load_gazetteer
from site_gen.enrich.regions import load_region_table
from site_gen.importer import ImportReport, import_seeds
from site_gen.model import build_model
from site_gen.output import swap_in, write_files
from site_gen.pages import Page, plan_pages
from site_gen.progress import NoProgress, ProgressHook
from site_gen.render import make_environment, render_pages, resolve_theme
from site_gen.search import index_site

RENDER_BATCH = 500  # pages per render_pages call: progress granularity, not a performance knob


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


def render_in_batches(pages: list[Page], env: Any, config: SiteConfig, progress: ProgressHook) -> list[tuple[str, bytes]]:
    """render_pages over slices of the page list, so a long render shows progress between slices."""
    files: list[tuple[str, bytes]] = []
    for start in range(0, len(pages), RENDER_BATCH):
        files += render_pages(pages[start:start + RENDER_BATCH], env, config)
        progress.update(min(start + RENDER_BATCH, len(pages)), len(pages))
    return files


def build(options: BuildOptions) -> BuildReport:
    config = options.config
    report = BuildReport(progress=options.progress)
    data_dir = site_data_dir(config)
    if options.run_import:
        with report.stage("import"):
            report.import_report = import_seeds(options.seeds_dir, options.content_dir, data_dir,
                                                progress=options.progress.update)
    with report.stage("load"):
        articles, problems = read_articles(options.content_dir)
        if problems:
            raise SiteGenError(problems)
        published = [a for a in articles if options.drafts or not a.draft]
        report.drafts_skipped = len(articles) - len(published)
        report.articles = len(published)
    with report.stage("model"):
        model = build_model(published, load_gazetteer(data_dir), load_region_table(data_file("counties.yml", data_dir)))
        pages = plan_pages(model, config)
    with report.stage("render", total=len(pages)):
        theme = resolve_theme(config)
        files = render_in_batches(pages, make_environment(theme, config), config, options.progress)
    with report.stage("write"):
        stage, report.pages, report.bytes_written = write_files(files, theme.static_dirs, options.out_dir)
    if options.search:
        with report.stage("search index"):
            index_site(stage, model)
    with report.stage("publish"):
        swap_in(stage, options.out_dir)
    return report
