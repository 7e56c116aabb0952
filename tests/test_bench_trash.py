"""How the benchmark clears a tool's last output before a cold build (bench/run.py `set_aside`, `empty_trash`).

Moved aside by one rename, not deleted: on the benchmark VM (ext4 without a journal) a deletion of tens of
thousands of files slows down every file created for minutes after it (BENCHMARKS.md, tenth session).
"""

from __future__ import annotations

import os
from pathlib import Path


def _output(folder: Path) -> Path:
    (folder / "articles" / "a").mkdir(parents=True)
    (folder / "articles" / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    return folder


def test_set_aside_renames_into_a_trash_folder_beside_it(bench_run, tmp_path: Path) -> None:
    out = _output(tmp_path / "out-site_gen")
    (tmp_path / "cache.pickle").write_bytes(b"kept")
    inode = os.stat(out).st_ino

    bench_run.set_aside(out, tmp_path / "cache.pickle", tmp_path / "never-made")

    assert not out.exists() and not (tmp_path / "cache.pickle").exists()
    trash = tmp_path / ".bench-trash"
    moved = {path.name.split("-", 1)[1]: path for path in trash.iterdir()}
    assert sorted(moved) == ["cache.pickle", "out-site_gen"]
    assert os.stat(moved["out-site_gen"]).st_ino == inode  # the same folder, renamed: nothing was deleted
    assert (moved["out-site_gen"] / "articles" / "a" / "index.html").read_text(encoding="utf-8") == "<p>a</p>"
    assert moved["cache.pickle"].read_bytes() == b"kept"
    assert bench_run.TRASH == [trash]

    bench_run.set_aside(_output(tmp_path / "out-site_gen"))  # the next round's output goes beside the first
    assert len(list(trash.iterdir())) == 3 and bench_run.TRASH == [trash]

    bench_run.empty_trash()
    assert not trash.exists()


def test_delete_old_removes_on_the_spot(bench_run, tmp_path: Path) -> None:
    bench_run.TRASH = None
    out = _output(tmp_path / "out-hugo")

    bench_run.set_aside(out)

    assert not out.exists() and not (tmp_path / ".bench-trash").exists()
    bench_run.empty_trash()  # nothing to empty
