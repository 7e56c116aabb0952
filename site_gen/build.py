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
from typing import Iterator

from site_gen.config import SiteConfig
from site_gen.content import read_articles
from site_gen.diagnostics import Diagnostic, SiteGenError
from site_gen.enrich.gazetteer import data_file, load_gazetteer
from site_gen.enrich.regions import load_region_table
from site_gen.importer import ImportReport, import_seeds
from site_gen.model import build_model
from site_gen.output import swap_in, write_files
from site_gen.pages import plan_pages
from site_gen.render import make_environment, render_pages, resolve_theme
from site_gen.search import index_site


@dataclass(frozen=True)
class BuildOptions:
    config: SiteConfig
    seeds_dir: Path
    content_dir: Path
    out_dir: Path
    run_import: bool = True
    drafts: bool = False
    search: bool = True


@dataclass
class BuildReport:
    import_report: ImportReport | None = None
    articles: int = 0
    drafts_skipped: int = 0
    pages: int = 0
    bytes_written: int = 0
    timings: list[tuple[str, float]] = field(default_factory=list)
    content_problems: list[Diagnostic] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - start))


def site_data_dir(config: SiteConfig) -> Path:
    return config.root / config.data_dir


def build(options: BuildOptions) -> BuildReport:
    config = options.config
    report = BuildReport()
    data_dir = site_data_dir(config)
    if options.run_import:
        with report.stage("import"):
            report.import_report = import_seeds(options.seeds_dir, options.content_dir, data_dir)
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
    with report.stage("render"):
        theme = resolve_theme(config)
        files = render_pages(pages, make_environment(theme, config), config)
    with report.stage("write"):
        stage, report.pages, report.bytes_written = write_files(files, theme.static_dirs, options.out_dir)
    if options.search:
        with report.stage("search index"):
            index_site(stage)
    with report.stage("publish"):
        swap_in(stage, options.out_dir)
    return report
