"""Writing the site: rendered files and theme assets into a staging folder, swapped in at the end.

Input: (path, bytes) pairs, static asset folders, the output folder. Output: the staging folder, then
`public/` replaced in two renames. A failed or killed build leaves the previous `public/` complete.

The site replaced by a swap is kept as `.public.spare` (double buffering): the next build renames it to
be its staging folder and changes only the files that differ, instead of making a new tree of tens of
thousands of folders (creating them costs more than all the rest of a one-article rebuild). Files in the
spare may be hard links shared with `public/`: they are only ever replaced (unlink, then write or link),
never written through. A cold build, which replaces no site it knows, leaves a hard-linked copy of its own
site as the spare, made by `cp -al` of the staging folder while its search stage runs (`start_spare`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from site_gen.diagnostics import Diagnostic, SiteGenError


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold `.public.lock` beside the output folder while building: `serve` rebuilding while someone runs
    `build` into the same folder would otherwise share (and delete) one staging folder."""
    lock_path = out_dir.with_name(f".{out_dir.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes forked from this one (they share its objects copy-on-write, so a job's
    input can be a module global set before the first submit), each ended with the build (`die_with_parent`)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def die_with_parent(parent: int) -> None:
    """Pool initializer: end a worker when its build process ends (Linux). Workers inherit the open
    build lock, so workers left waiting by a build killed with SIGKILL would hold it, and the next build
    would wait for them for ever."""
    if sys.platform == "linux":
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def staging_dir(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.staging")


def safe_target(root: Path, relative: str) -> Path:
    """The file for `relative` under `root`; refuses paths that would leave it."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not relative:
        raise SiteGenError(Diagnostic(relative, "output path would leave the output folder", hint="check the slug"))
    return root.joinpath(*pure.parts)


def spare_dir(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.spare")


def prepare_staging(static_dirs: list[Path], out_dir: Path, recycle: bool = False,
                    leave_out: tuple[str, ...] = ()) -> tuple[Path, dict[str, str], int]:
    """The staging folder holding the theme's static assets; returns it, the static paths written
    (relative path → source file) and their bytes. Pages are then written into it one by one.

    With `recycle`, the spare (an earlier site, see the module docstring) becomes the staging folder, less
    the `leave_out` paths (the search stage's outputs, which it makes anew); else the folder is new."""
    recover(out_dir)
    stage = staging_dir(out_dir)
    if stage.exists():  # left by a failed or killed build: in an unknown state
        _discard(stage, out_dir)
    spare = spare_dir(out_dir)
    if recycle and spare.is_dir():
        os.replace(spare, stage)  # from here on a kill leaves a staging folder, never a trusted spare
        for relative in leave_out:
            target = safe_target(stage, relative)
            if target.is_dir():
                _discard(target, out_dir)
            elif target.exists():
                target.unlink()
    else:
        if spare.exists():
            _discard(spare, out_dir)
        stage.mkdir(parents=True)
    seen: dict[str, str] = {}
    total = 0
    for static in static_dirs:
        for path in sorted(static.rglob("*")):
            if path.is_file():
                relative = "static/" + path.relative_to(static).as_posix()
                target = safe_target(stage, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                remove_file(target)
                shutil.copyfile(path, target)
                total += path.stat().st_size
                seen[relative] = str(path)
    return stage, seen, total


def remove_file(path: Path) -> None:
    """Unlink `path` if it is there: a recycled file may be a hard link into `public/`, never written through."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def prune(stage: Path, stale: list[str]) -> None:
    """Delete files a recycled staging folder holds but this build does not make, and folders left empty."""
    for relative in sorted(stale):
        target = safe_target(stage, relative)
        remove_file(target)
        folder = target.parent
        while folder != stage:
            try:
                os.rmdir(folder)
            except OSError:  # not empty (or gone): its parents are not empty either
                break
            folder = folder.parent


def start_spare(stage: Path, out_dir: Path) -> subprocess.Popen[bytes] | None:
    """Begin making the spare of a cold build: the staging folder hard-linked by `cp -al` in a child process
    while the build goes on (its search stage keeps both cores busy for seconds; linking 20,000 files took
    0.9-2.5 s of a cold build's publish stage). None where `cp` cannot (not Linux): `finish_spare` then
    seeds it the old way. The caller waits (`finish_spare`) before the staging folder moves."""
    building = _spare_building(out_dir)
    if building.exists():
        shutil.rmtree(building)
    if sys.platform != "linux" or shutil.which("cp") is None:
        return None
    return subprocess.Popen(["cp", "-al", "--", str(stage), str(building)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_spare(copying: subprocess.Popen[bytes] | None) -> bool:
    """Wait for start_spare's copy; whether it made one."""
    return copying is not None and copying.wait() == 0


def finish_spare(made: bool, out_dir: Path, leave_out: tuple[str, ...] = ()) -> None:
    """Once the site is published: make start_spare's copy (less `leave_out`, which the search stage may have
    written into the staging folder meanwhile) the spare, or, when there is none, seed the spare from the site."""
    building = _spare_building(out_dir)
    if not made:
        shutil.rmtree(building, ignore_errors=True)
        seed_spare(out_dir, leave_out)
        return
    for relative in leave_out:
        target = safe_target(building, relative)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    spare = spare_dir(out_dir)
    if spare.exists():
        _discard(spare, out_dir)
    os.replace(building, spare)


def _spare_building(out_dir: Path) -> Path:
    spare = spare_dir(out_dir)
    return spare.with_name(f"{spare.name}.new")


def seed_spare(out_dir: Path, leave_out: tuple[str, ...] = ()) -> None:
    """Make the spare a hard-linked copy of `out_dir` (less `leave_out`), replacing any, so even the first
    rebuild after a cold build recycles a tree instead of creating one."""
    spare = spare_dir(out_dir)
    if spare.exists():
        _discard(spare, out_dir)
    building = _spare_building(out_dir)
    if building.exists():
        shutil.rmtree(building)
    skipped = {Path(out_dir, p) for p in leave_out}
    for root, dirs, names in os.walk(out_dir):
        dirs[:] = [d for d in dirs if Path(root, d) not in skipped]
        relative = os.path.relpath(root, out_dir)
        os.mkdir(building if relative == "." else os.path.join(building, relative))
        for name in names:
            if Path(root, name) not in skipped:
                link_or_copy(Path(root, name), Path(building, relative, name))
    os.replace(building, spare)  # complete, or not there at all


def check_paths(paths: list[str], seen: dict[str, str]) -> None:
    """Refuse two pages (or a page and a static asset) on one output path, before anything is rendered."""
    taken = set(seen)
    for relative in paths:
        if relative in taken:
            what = "a theme's static file" if relative in seen else "another page"
            raise SiteGenError(Diagnostic(relative, f"two outputs on one path: this page and {what}",
                                          hint="a slug or a static file name clashes"))
        taken.add(relative)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file under `source` into `target` (copies where links are impossible)."""
    for root, _dirs, names in os.walk(source):
        relative = Path(root).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            link_or_copy(Path(root) / name, target / relative / name)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def recover(out_dir: Path) -> None:
    """Finish a swap that was killed between its two renames: the old site comes back."""
    old = out_dir.with_name(f".{out_dir.name}.old")
    if not out_dir.exists() and old.is_dir():
        os.replace(old, out_dir)


def swap_in(stage: Path, out_dir: Path, keep_previous: bool = False) -> None:
    """Replace out_dir with stage in one atomic exchange where the OS allows it, else two renames.

    The previous site becomes the spare with `keep_previous`; else it is renamed aside and deleted by a
    detached process: deleting tens of thousands of files can take longer than an incremental build, and
    nobody waits for it.
    """
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    spare = spare_dir(out_dir)
    if spare.exists():
        _discard(spare, out_dir)
    if out_dir.exists() and _exchange(stage, out_dir):
        old = stage  # now holds the previous site
    else:
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(stage, out_dir)
    if old.exists():
        if keep_previous:
            os.replace(old, spare)
        else:
            _discard(old, out_dir)


_DELETERS: list[subprocess.Popen[bytes]] = []  # held so a running deleter is not garbage-collected (and warned about)


def _discard(folder: Path, out_dir: Path) -> None:
    """Delete a previous site in the background (and any earlier one a killed deleter left behind)."""
    trash = out_dir.with_name(f".{out_dir.name}.trash-{os.getpid()}-{time.time_ns()}")
    try:
        os.replace(folder, trash)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    leftovers = sorted(str(p) for p in out_dir.parent.glob(f".{out_dir.name}.trash-*"))
    _DELETERS[:] = [p for p in _DELETERS if p.poll() is None]  # reap the finished ones
    try:
        _DELETERS.append(subprocess.Popen([sys.executable, "-c", "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, ignore_errors=True)",
                          *leftovers], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True))
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)
