"""Where our build spends its time: the build's stages and the hot functions inside them, in one process.

Input: a generated archive (bench/generate.py) and an output folder. Output, on stdout: wall and CPU time
of each stage of site_gen.build (load, model+plan, render, write; no search, no import), CPU time inside
the functions known to be hot (Markdown, related articles, front matter YAML, Jinja), and with --cprofile
the top functions by own time. CPU time (time.process_time) is reported because the benchmark machine is
shared: wall time swings with the load, CPU time much less.

    .venv/bin/python bench/stages.py /tmp/site_gen-bench/1000 [--cprofile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sys
import time
from pathlib import Path

# Hot spots timed by wrapping: (module, class or None, function). A name that no longer exists is skipped.
HOT = (
    ("site_gen.pages", None, "markdown_to_html"),
    ("site_gen.pages", "Planner", "related"),
    ("site_gen.pages", None, "mention_sentence"),
    ("site_gen.content", None, "split_front_matter"),
    ("site_gen.render", "PageRenderer", "render"),
    ("site_gen.incremental", "Fingerprints", "__call__"),
)


def _wrap(owner, name: str, label: str, totals: dict[str, list[float]]) -> None:
    original = getattr(owner, name)
    totals[label] = [0.0, 0]

    @functools.wraps(original)
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label][0] += time.process_time() - start
            totals[label][1] += 1

    setattr(owner, name, timed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="folder made by bench/generate.py (uses its content/)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/site_gen-profile-out"))
    parser.add_argument("--jobs", type=int, default=1, help="render processes (default 1: hot-function times are per process)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the top N functions by own time")
    args = parser.parse_args(argv)

    started = time.process_time()
    import importlib

    from site_gen import build as build_module  # noqa: F401 - imports every stage, as the CLI does
    from site_gen.config import load_config
    import_cpu = time.process_time() - started

    totals: dict[str, list[float]] = {}
    for module_name, class_name, name in HOT:
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name, None) if class_name else module
        if owner is not None and hasattr(owner, name):
            _wrap(owner, name, f"{module_name}.{class_name + '.' if class_name else ''}{name}", totals)
            if hasattr(build_module, name):  # build.py imported it by name before the wrapping
                setattr(build_module, name, getattr(owner, name))

    config = load_config(None, "https://example.github.io/site_gen/")
    options = build_module.BuildOptions(config=config, seeds_dir=args.archive / "seeds", content_dir=args.archive / "content",
                                        out_dir=args.out, run_import=False, search=False,
                                        cache=False, jobs=args.jobs)  # cold: no build cache
    profiler = cProfile.Profile() if args.cprofile else None
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    report = build_module.build(options)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"articles {report.articles}, pages {report.pages}, bytes {report.bytes_written:,}")
    print(f"module imports (jieba, yaml, jinja …): {import_cpu:.2f} s CPU")
    print("stages (wall): " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings))
    print(f"whole build: {wall:.2f} s wall, {cpu:.2f} s CPU")
    for label, (seconds, calls) in totals.items():
        if calls:
            print(f"  {label}: {seconds:.2f} s CPU in {calls:,} calls ({100 * seconds / cpu:.0f}% of the build)")
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
