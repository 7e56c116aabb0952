"""Parallel builds (issue 8): rendering in worker processes gives the same site, byte for byte, as
rendering in one process — cold, and incremental after an edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_gen import incremental
from site_trees import assert_same_tree, build_site, generated_content

N = 80


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_content(tmp_path_factory.mktemp("parallel"), N)


def test_parallel_cold_build_equals_serial(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(archive, site)
    monkeypatch.setattr(incremental, "CHUNK", 16)  # many small tasks, so both workers render and interleave
    serial = build_site(site, "serial", cache=False, jobs=1)
    parallel = build_site(site, "parallel", cache=False, jobs=2)
    assert parallel.rendered == serial.rendered == serial.pages > 2 * 16
    assert (parallel.pages, parallel.bytes_written) == (serial.pages, serial.bytes_written)
    assert_same_tree(site / "serial", site / "parallel")


def test_parallel_incremental_build_equals_serial_cold(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(archive, site)
    monkeypatch.setattr(incremental, "CHUNK", 16)
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
