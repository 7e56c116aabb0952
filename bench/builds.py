"""Our build alone, in one process: a cold build, a no-change build, then edits of one article.

Input: a generated archive (bench/generate.py N OUT). Output, on stdout, one line per build: wall and CPU
time (children included), pages rendered, time per stage, and with --memory the peak proportional set size
of the process tree. The builds run in this process, as `serve` runs them, with the build cache on (off with
--no-cache, as the GitHub Pages workflow builds);
`--edits 0` gives only the cold and no-change builds. Without --memory nothing watches the build, which is
the cleanest wall time: sampling /proc costs the measured build CPU on a 2-core machine.

    PYTHONPATH=/tmp/sg-snap .venv/bin/python bench/builds.py /tmp/site_gen-bench/10000 [--memory] [--edits 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import run as bench_run  # noqa: E402 - bench/run.py sits next to this script

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="folder made by bench/generate.py (uses its content/)")
    parser.add_argument("--site", type=Path, default=Path("/tmp/site_gen-builds"), help="working site folder (replaced)")
    parser.add_argument("--edits", type=int, default=3, help="one-article edits after the no-change build")
    parser.add_argument("--memory", action="store_true", help="sample the process tree's PSS every 0.5 s")
    parser.add_argument("--no-cache", action="store_true",
                        help="build without the build cache (`site-gen build --no-cache`): every build is cold")
    parser.add_argument("--delete-old", action="store_true", help="delete the last run's site first (see run.TRASH)")
    parser.add_argument("--keep-trash", action="store_true",
                        help="leave the sites moved aside (SITE/../.bench-trash) for the next run, whose builds a "
                             "deletion would slow down: for runs one after the other; delete the folder at the end")
    args = parser.parse_args(argv)
    if args.delete_old:
        bench_run.TRASH = None
    try:
        return measure(args)
    finally:
        if not args.keep_trash:
            bench_run.empty_trash()


def measure(args: argparse.Namespace) -> int:
    from site_gen.build import BuildOptions, build
    from site_gen.config import load_config

    site = args.site
    bench_run.set_aside(site)  # moved aside, not deleted: see run.TRASH
    site.mkdir(parents=True)
    shutil.copytree(args.archive / "content", site / "content")
    os.sync()  # the copy's writeback should not land on the cold build
    time.sleep(2)
    config = replace(load_config(None, "https://example.github.io/archive/"), root=site)
    peak = [0]
    stop = threading.Event()
    if args.memory:
        def sample() -> None:
            while not stop.wait(bench_run.SAMPLE_SECONDS):
                peak[0] = max(peak[0], bench_run.tree_memory(os.getpid()))
        threading.Thread(target=sample, daemon=True).start()

    def run(label: str) -> None:
        peak[0] = 0
        start, before = time.perf_counter(), os.times()
        report = build(BuildOptions(config=config, seeds_dir=site / "seeds", content_dir=site / "content",
                                    out_dir=site / "public", run_import=False, search=True,
                                    cache=not args.no_cache))
        after = os.times()
        cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
        memory = f", peak PSS {peak[0] / 2**20:,.0f} MiB" if args.memory else ""
        print(f"{label}: {time.perf_counter() - start:.2f} s wall, {cpu:.1f} s CPU{memory}; rendered {report.rendered} of "
              f"{report.pages}; " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings), flush=True)

    run("cold")
    run("no change")
    files = sorted((site / "content").glob("*.md"))
    middle = files[len(files) // 2]
    original = middle.read_text(encoding="utf-8")
    for i in range(args.edits):
        middle.write_text(original + f"\n新增的一段{i}。\n", encoding="utf-8")
        run(f"one edit {i + 1}")
    stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
