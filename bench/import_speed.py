"""Import throughput: seeds/s of `site_gen.importer.import_seeds`, serial and with the worker pool.

Input: a generated archive (bench/generate.py N FOLDER, seeds in FOLDER/seeds). Output, on stdout: for each
mode, every run's seeds/s and wall/CPU time, the median of the runs, and a digest of the content files written
(the same digest in both modes and before/after a change means the same output).

Each run is a fresh Python process with a fresh content folder, timed around `import_seeds` only (interpreter
start-up and module imports are left out; jieba's dictionary loading and the workers' start-up are counted, as
they are part of every real import). Serial means one process (the pool's threshold raised out of reach).

    .venv/bin/python bench/import_speed.py /tmp/site_gen-bench/1000 [--limit 1000] [--runs 3] [--modes serial,pool]
    .venv/bin/python bench/import_speed.py /tmp/site_gen-bench/1000 --cprofile 30 --modes serial
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: one import, timed, then its figures as JSON on the last line.
CHILD = r"""
import cProfile, hashlib, io, json, pstats, resource, sys, time
from pathlib import Path
seeds, content, mode, profile = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
import site_gen.importer.pool as pool
from site_gen.importer import import_seeds
if mode == "serial":
    pool.POOL_THRESHOLD = 10**9
profiler = cProfile.Profile() if profile else None
wall, cpu = time.perf_counter(), time.process_time()
if profiler:
    profiler.enable()
report = import_seeds(seeds, content)
if profiler:
    profiler.disable()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
digest = hashlib.sha256()
for path in sorted(content.glob("*.md")):
    digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
for outcome in report.outcomes:
    digest.update(repr(outcome).encode())
digest.update(repr(report.zone_candidates).encode() + repr(report.warnings).encode())
if profiler:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(profile)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
    print(out.getvalue())
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": cpu, "workers_cpu": children.ru_utime + children.ru_stime, "written": report.count("written"), "seeds": len(report.outcomes),
                  "digest": digest.hexdigest()[:16]}))
"""


def seeds_subset(folder: Path, limit: int) -> Path:
    """The first `limit` seeds (and their sidecars), hard-linked into their own folder."""
    subset = folder / f"seeds-first-{limit}"
    names = sorted(p.name for p in (folder / "seeds").iterdir() if not p.name.endswith(".meta.yml"))[:limit]
    wanted = set(names) | {p.name for p in (folder / "seeds").iterdir()
                           if p.name.endswith(".meta.yml") and any(p.name.startswith(n) for n in names)}
    if subset.is_dir() and {p.name for p in subset.iterdir()} == wanted:
        return subset
    shutil.rmtree(subset, ignore_errors=True)
    subset.mkdir()
    for name in sorted(wanted):
        os.link(folder / "seeds" / name, subset / name)
    return subset


def run_once(seeds: Path, mode: str, python: str, profile: int = 0) -> dict:
    with tempfile.TemporaryDirectory(prefix="import-speed-") as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        done = subprocess.run([python, "-c", CHILD, str(seeds), str(Path(tmp) / "content"), mode, str(profile)],
                              env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    lines = done.stdout.rstrip("\n").splitlines()
    if profile:
        print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a folder made by bench/generate.py (holds seeds/)")
    parser.add_argument("--limit", type=int, default=1000, help="import the first this many seeds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="serial,pool")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="one profiled run, top N functions")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    seeds = seeds_subset(args.folder, args.limit)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for mode in args.modes.split(","):
        if args.cprofile:
            run_once(seeds, mode, args.python, args.cprofile)
            continue
        rates, digests = [], set()
        for run in range(args.runs):
            figures = run_once(seeds, mode, args.python)
            rate = figures["seeds"] / figures["wall"]
            rates.append(rate)
            digests.add(figures["digest"])
            print(f"  {mode} run {run + 1}: {figures['seeds']} seeds ({figures['written']} written) in "
                  f"{figures['wall']:.2f} s wall, CPU {figures['cpu']:.2f} s here + {figures['workers_cpu']:.2f} s in workers "
                  f"= {rate:.1f} seeds/s",
                  flush=True)
        print(f"{mode}: median {statistics.median(rates):.1f} seeds/s over {args.runs} runs; "
              f"output digest {', '.join(sorted(digests))}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
