"""Parallel builds (issue 8): rendering in worker processes gives the same site, byte for byte, as
rendering in one process — cold, and incremental after an edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_gen import incremental, pages
from site_trees import assert_same_tree, build_site, site_fixtures

N = 80
archive, site = site_fixtures("parallel", N)



def test_parallel_cold_build_equals_serial(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "CHUNK", 16)  # many small tasks, so both workers render and interleave
    monkeypatch.setattr(pages, "PARALLEL_MIN_TASKS", 0)  # related lists and mentions made in two processes too
    serial = build_site(site, "serial", cache=False, jobs=1)
    parallel = build_site(site, "parallel", cache=False, jobs=2)
    assert parallel.rendered == serial.rendered == serial.pages > 2 * 16
    assert (parallel.pages, parallel.bytes_written) == (serial.pages, serial.bytes_written)
    assert_same_tree(site / "serial", site / "parallel")


def test_parallel_incremental_build_equals_serial_cold(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "CHUNK", 16)
    monkeypatch.setattr(pages, "PARALLEL_MIN_TASKS", 0)
    build_site(site, "public", jobs=2)
    files = sorted((site / "content").glob("*.md"))
    files[10].write_text(files[10].read_text(encoding="utf-8") + "\n补充报道：项目已投产。\n", encoding="utf-8")
    files[40].unlink()
    report = build_site(site, "public", jobs=2)
    assert 0 < report.rendered < report.pages
    build_site(site, "cold", cache=False, jobs=1)
    assert_same_tree(site / "cold", site / "public")


def test_auto_workers_only_for_large_sites() -> None:
    assert incremental.workers_for(10, None) == 1
    assert incremental.workers_for(10, 3) == 3
    assert incremental.workers_for(incremental.PARALLEL_MIN_PAGES, 1) == 1


def test_related_lists_and_mentions_made_ahead_in_two_processes_give_the_same_plan(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen.config import load_config
    from site_gen.content import read_articles
    from site_gen.enrich.gazetteer import data_file, load_gazetteer
    from site_gen.enrich.regions import load_region_table
    from site_gen.model import build_model

    articles, problems = read_articles(archive / "content")
    assert not problems
    model = build_model(articles, load_gazetteer(None), load_region_table(data_file("counties.yml", None)))
    config = load_config(None)
    made: list[int] = []
    monkeypatch.setattr(pages, "PARALLEL_MIN_TASKS", 0)
    serial = pages.Planner(model, config)
    serial.prepare(1)
    assert serial._mentions == {} and serial.memo.related == {}  # one process: each made as the plan asks
    ahead = pages.Planner(model, config)
    real = ahead.rank_related
    monkeypatch.setattr(ahead, "rank_related", lambda article: made.append(os.getpid()) or real(article))
    ahead.prepare(2)
    assert made == []  # made in the worker processes, not in this one
    assert len(ahead.memo.related) == N and ahead._mentions
    assert ahead.plan() == serial.plan() and ahead.memo == serial.memo and made == []


def test_content_read_in_two_processes_equals_one(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_articles with a second process: the same articles and problems in the same order, and the same memo,
    cold and after edits (a changed file, a file rewritten unchanged, a broken one, a deleted one)."""
    from site_gen import content

    monkeypatch.setattr(content, "PARALLEL_MIN_FILES", 0)
    folder = tmp_path / "content"
    shutil.copytree(archive / "content", folder)
    memos: dict[int, dict] = {1: {}, 2: {}}

    def both() -> tuple:
        read = {w: content.read_articles(folder, memos[w], workers=w) for w in (1, 2)}
        assert read[1] == read[2] and memos[1].keys() == memos[2].keys()
        assert all(memos[1][name][:3] == memos[2][name][:3] and memos[1][name][3] == memos[2][name][3] for name in memos[1])
        return read[1]

    articles, problems = both()
    assert len(articles) == N and not problems and len(memos[1]) == N
    files = sorted(folder.glob("*.md"))
    files[3].write_text(files[3].read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    files[5].write_text(files[5].read_text(encoding="utf-8"), encoding="utf-8")  # same bytes, new mtime
    files[7].write_text("---\ntitle: [\n---\n", encoding="utf-8")
    files[9].unlink()
    articles, problems = both()
    assert len(articles) == N - 2 and len(problems) == 1 and files[7].name in problems[0].path
    assert files[9].name not in memos[1] and files[7].name not in memos[1]
    assert "补充" in next(a for a in articles if a.body.endswith("补充。")).body
