"""Import in worker processes gives exactly what a serial import gives, and a converter bug costs one seed,
not the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.importer import SeedConverter, import_seeds, pool

from conftest import write_site

SEEDS = {f"s{i:02d}.txt": f"第{i}号新闻：灵石经开区项目\n\n2021-04-{i % 28 + 1:02d} 10:00:00 来源:晋中日报\n\n"
                          f"灵石经济技术开发区第{i}个项目开工，总投资{i + 1}亿元。(记者 王{i}明)\n" for i in range(40)}
SEEDS["bad.txt"] = b"\x00\x01\x02" * 500  # type: ignore[assignment]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_pool_and_serial_imports_are_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial_root = write_site(tmp_path / "serial", seeds=SEEDS)
    serial = import_seeds(serial_root / "seeds", serial_root / "content")
    monkeypatch.setattr(pool, "POOL_THRESHOLD", 2)
    if pool.worker_count(len(SEEDS)) < 2:
        pytest.skip("one CPU: no worker pool to compare")
    parallel_root = write_site(tmp_path / "parallel", seeds=SEEDS)
    parallel = import_seeds(parallel_root / "seeds", parallel_root / "content")
    assert parallel.outcomes == serial.outcomes
    assert tree(parallel_root / "content") == tree(serial_root / "content")
    assert serial.count("written") == 40 and len(serial.skipped) == 1


def test_a_converter_bug_skips_only_that_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = SeedConverter.convert

    def buggy(self: SeedConverter, data: bytes, seed: str, sidecar: dict) -> object:
        if seed == "s07.txt":
            raise KeyError("simulated bug")
        return original(self, data, seed, sidecar)

    monkeypatch.setattr(SeedConverter, "convert", buggy)
    root = write_site(tmp_path / "s", seeds={k: v for k, v in SEEDS.items() if k != "bad.txt"})
    report = import_seeds(root / "seeds", root / "content")
    outcome = {o.seed: o for o in report.outcomes}
    assert outcome["s07.txt"].status == "skipped" and "KeyError" in outcome["s07.txt"].reason
    assert "please report" in outcome["s07.txt"].reason
    assert report.count("written") == 39


def _dying_worker(job: pool.Job) -> object:
    import os

    if job.seed == "s05.txt":
        os._exit(1)  # what an out-of-memory kill looks like to the pool
    return pool.convert_safely(pool._worker_converter, job)  # type: ignore[arg-type]


def test_a_dead_worker_does_not_lose_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "POOL_THRESHOLD", 2)
    if pool.worker_count(len(SEEDS)) < 2:
        pytest.skip("one CPU: no worker pool")
    monkeypatch.setattr(pool, "_convert_in_worker", _dying_worker)
    root = write_site(tmp_path / "s", seeds=SEEDS)
    report = import_seeds(root / "seeds", root / "content")
    assert len(report.outcomes) == len(SEEDS)
    assert report.count("written") == 40 and len(report.skipped) == 1


KILLED_IMPORT = """
import sys, time
from pathlib import Path
from site_gen.importer import pool, import_seeds
pool.POOL_THRESHOLD = 2
original = pool.convert_safely
def slow(converter, job):
    time.sleep(0.5)  # keeps the workers busy long enough to be killed mid-import
    return original(converter, job)
pool.convert_safely = slow
import_seeds(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):  # state, then ppid
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_workers_end_when_a_killed_import_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import runs inside the build lock; workers it left behind would hold the lock for ever."""
    import os
    import signal
    import subprocess
    import sys
    import time

    monkeypatch.setattr(pool, "POOL_THRESHOLD", 2)
    if pool.worker_count(len(SEEDS)) < 2 or sys.platform != "linux":
        pytest.skip("needs two CPUs and Linux (the parent-death signal)")
    root = write_site(tmp_path / "s", seeds=SEEDS)
    parent = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(root / "seeds"), str(root / "content")])
    deadline = time.monotonic() + 60
    while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert len(workers) >= 2, "the import did not start its workers"
    deadline = time.monotonic() + 30
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if _running(pid)]
    for pid in alive:  # leave nothing behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not alive, "workers outlived the killed import"
