"""The benchmark: site_gen against Hugo (+ Pagefind) and Pelican on the same generated archive.

Input: sizes N (articles) and a run count. For each N it generates the archive (bench/generate.py, cached
in the work folder), then measures, in the same run and on the same articles:
  site_gen  import throughput (articles/s) on the raw seeds, re-import of unchanged seeds, cold build with
            the time per stage (parsed from the `time per stage:` line the build prints), no-change rebuild,
            one-article-edit rebuild, peak memory, pages and bytes written;
  Hugo      cold build, no-change rebuild, one-edit rebuild (plain templates in bench/peers/hugo);
  Pagefind  on Hugo's output (cold index);
  Pelican   cold build (empty content cache), no-change rebuild (warm cache), one-edit rebuild.
The tools take turns: each round measures each tool once, so a machine that slows down during the run
weighs on all of them alike. A tool's last output is moved aside before its cold build, not deleted (deleted
at the end of the run; `--delete-old` deletes it on the spot, see TRASH for why that skews the figures).
Output: a table per N on stdout (medians of --runs rounds), the ratios, and every raw figure as JSON
(WORK/results.json). Peak memory is the proportional set size (PSS) summed over the whole process tree (a build that runs Pagefind
counts both processes), every SAMPLE_SECONDS (0.5 s).

Our build runs as a subprocess of `--python` with PYTHONPATH=--site-gen-root, so a frozen snapshot
(`git archive HEAD | tar -x -C /tmp/sg`) can be measured while the working tree changes.
Peers come from a separate venv (--peers-venv), see BENCHMARKS.md for the install commands.

    .venv/bin/python bench/run.py --sizes 1000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402 - the generator sits next to this script

BASE_URL = "https://example.github.io/site_gen/"
# Our build is driven through site_gen.build.build() (what `site-gen build --no-import` calls), so the
# stage times come from BuildReport.timings rather than from the CLI's printed table, whose layout changes.
# It ends as the command does (site_gen.cli.entry): output flushed, then os._exit, without the interpreter's
# teardown (0.3 s at 10k).
DRIVER = """
import json, os, sys
from pathlib import Path
from site_gen.build import BuildOptions, build
from site_gen.config import load_config
content, out, base_url, cache = sys.argv[1:5]
config = load_config(None, base_url)
report = build(BuildOptions(config=config, seeds_dir=Path(content), content_dir=Path(content), out_dir=Path(out),
                            run_import=False, search=True, cache=cache == "cache"))
print("BENCH " + json.dumps({"timings": report.timings, "pages": report.pages, "bytes": report.bytes_written,
                            "rendered": report.rendered, "up_to_date": report.up_to_date,
                            "search_indexed": report.search_indexed}))
sys.stdout.flush()
os._exit(0)
"""


# ---- measuring one command -------------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_memory(root: int) -> int:
    """Memory (bytes) of a process and all its descendants, now: the sum of their proportional set sizes.

    PSS, not RSS: forked workers share their parent's pages until they write them, and summing RSS would
    count those pages once per worker (at 10k, 2.8–3.0 GB of RSS against 1.7 GB of PSS). Where smaps_rollup
    cannot be read, the process's RSS stands in.
    """
    children = _children_map()
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
            continue
        except (OSError, StopIteration, ValueError):
            pass
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            pass
    return total


@dataclass
class Measured:
    seconds: float
    peak_tree_mb: float  # sampled sum over the process tree
    peak_process_mb: float  # largest single process (rusage), exact
    cpu_s: float = 0.0  # user + system CPU of the process and its waited-for children: steadier than wall time on a busy machine
    load: float = 0.0  # 1-minute load average when the command started
    stdout: str = ""


# How often the process tree's memory is read. Reading it is not free: every sample lists /proc and walks
# the page tables of processes holding gigabytes, on the same two cores. Our 10k cold build measured
# 65.5–68.2 s sampled every 50 ms, 59.5–61.4 s every 0.5 s, and 51.7–57.6 s with no sampling at all (the
# last two also without clear_for_cold); the peaks a 0.5 s sampling misses are shorter than half a second.
SAMPLE_SECONDS = 0.5


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run a command to completion; its wall time and peak memory. Fails loudly on a non-zero exit."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(process.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda s=s, c=c: c.append(s.read()), daemon=True)
               for s, c in ((process.stdout, out_chunks), (process.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    stdout, stderr = "".join(out_chunks), "".join(err_chunks)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stdout[-2000:]}\n{stderr[-3000:]}")
    return Measured(seconds, peak / 1e6, usage.ru_maxrss / 1e3, usage.ru_utime + usage.ru_stime, load, stdout + stderr)


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, HTML files, bytes) under a folder."""
    files = html = size = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            files += 1
            html += name.endswith(".html")
            size += os.path.getsize(os.path.join(root, name))
    return files, html, size


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


# Where clear_for_cold moves old outputs, emptied when the run ends (`empty_trash`); None: delete them at once.
# On the benchmark VM (ext4 without a journal) every new inode is checked against recently deleted ones
# (`recently_deleted()` in fs/ext4/ialloc.c: freed within 60 s, or 360 s once their inode table block is dirty
# again), and the allocator walks past each such inode: a build that creates files right after deleting tens of
# thousands paid seconds of system time for it, the more the more files it writes (BENCHMARKS.md, tenth session).
# Moving the old tree aside (one rename) leaves no freed inode behind, for every tool alike.
TRASH: list[Path] | None = []


def set_aside(*paths: Path) -> None:
    """Take paths out of the way: into a trash folder beside each (one rename), or deleted when TRASH is None."""
    if TRASH is None:
        remove(*paths)
        return
    for path in paths:
        if path.exists() or path.is_symlink():
            trash = path.parent / ".bench-trash"
            trash.mkdir(exist_ok=True)
            if trash not in TRASH:
                TRASH.append(trash)
            path.rename(trash / f"{time.time_ns()}-{path.name}")


def empty_trash() -> None:
    for trash in TRASH or []:
        remove(trash)


def clear_for_cold(*paths: Path) -> None:
    """Set a tool's previous output and caches aside, then flush the disk: a deletion of ~20,000 files (with
    --delete-old) leaves writeback work that would otherwise land on the cold build measured next."""
    set_aside(*paths)
    os.sync()
    time.sleep(1)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ---- the archive and its peer forms ----------------------------------------------------------------------------


def ensure_archive(work: Path, n: int) -> Path:
    folder = work / str(n)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if (data.get("n"), data.get("seed"), data.get("version")) == (n, generate.SEED, generate.VERSION):
            return folder
    print(f"generating {n} articles into {folder} …", flush=True)
    generate.generate(n, folder)
    return folder


def seeds_subset(folder: Path, limit: int) -> Path:
    """The first `limit` seeds, hard-linked into their own folder (the importer refuses outside symlinks)."""
    subset = folder / f"seeds-first-{limit}"
    seeds = sorted((folder / "seeds").iterdir())
    if subset.is_dir() and len(list(subset.iterdir())) == min(limit, len(seeds)):
        return subset
    remove(subset)
    subset.mkdir()
    for path in seeds[:limit]:
        os.link(path, subset / path.name)
    return subset


def _front_matter(text: str) -> tuple[dict, str]:
    import yaml

    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body.lstrip("\n")


def pelican_content(folder: Path) -> Path:
    """The content/ files in Pelican's Markdown metadata format (`Key: value` lines); zones/regions comma-joined."""
    target = folder / "pelican-content"
    sources = sorted((folder / "content").glob("*.md"))
    if target.is_dir() and len(list(target.iterdir())) == len(sources):
        return target
    remove(target)
    target.mkdir()
    for path in sources:
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        lines = [f"Title: {meta['title']}"]
        if meta.get("date"):
            lines.append(f"Date: {meta['date']}")
        lines += [f"Slug: {meta['slug']}", f"Category: {meta['categories'][0]}", f"Tags: {', '.join(meta['tags'])}",
                  f"Zones: {', '.join(meta['zones'])}", f"Regions: {', '.join(meta['regions'])}",
                  f"Source: {meta.get('source', '')}", f"Reporters: {'、'.join(meta.get('authors', []))}",
                  f"Summary: {meta['summary']}"]
        (target / path.name).write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    return target


# The line of the Hugo article template that lists related articles. Our pages have them, so the Hugo site
# does too; `--hugo-without-related` drops it, to see what that one feature costs Hugo at 10k.
HUGO_RELATED = "{{ with site.RegularPages.Related . | first 6 }}"


def hugo_site(folder: Path, content: Path, related: bool = True) -> tuple[Path, Path]:
    """A copy of bench/peers/hugo (Hugo writes a lock file into its source) and a config mounting content/."""
    site = folder / "hugo-site"
    remove(site)
    shutil.copytree(HERE / "peers" / "hugo", site)
    if not related:
        single = site / "layouts" / "_default" / "single.html"
        lines = single.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(HUGO_RELATED)]
        if len(kept) != len(lines) - 1:
            raise SystemExit(f"{single}: expected one line starting {HUGO_RELATED!r}")
        single.write_text("".join(kept), encoding="utf-8")
    mounts = site / "mounts.toml"
    mounts.write_text(f'[[module.mounts]]\n  source = "content"\n  target = "content"\n'
                      f'[[module.mounts]]\n  source = "{content}"\n  target = "content/articles"\n', encoding="utf-8")
    return site, mounts


def edit_one(content: Path) -> tuple[Path, str]:
    """Append a sentence to one article in the middle of the archive; return (file, original text) to restore."""
    files = sorted(content.glob("*.md"))
    path = files[len(files) // 2]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.rstrip("\n") + "\n\n（本文已更新：补充了最新进展。）\n", encoding="utf-8")
    return path, original


# ---- the tools ---------------------------------------------------------------------------------------------------


@dataclass
class Result:
    tool: str
    n: int
    figures: dict[str, list[float]] = field(default_factory=dict)  # name → one value per run
    stages: dict[str, list[float]] = field(default_factory=dict)
    pages: int = 0
    html_files: int = 0
    bytes_written: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: float) -> None:
        self.figures.setdefault(name, []).append(value)

    def med(self, name: str) -> float:
        return median(self.figures.get(name, []))


def our_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def bench_import(args: argparse.Namespace, folder: Path, n: int, runs: int) -> Result:
    result = Result("site_gen import", n)
    seeds = seeds_subset(folder, min(n, args.import_limit))
    count = len(list(seeds.iterdir()))
    content = folder / "import-content"
    command = [args.python, "-m", "site_gen", "import", "--seeds", str(seeds), "--content", str(content)]
    first = ""
    for run in range(runs):
        set_aside(content)
        m = measure(command, env=our_env(args.site_gen_root))
        first = first or (m.stdout.splitlines() or [""])[0]
        result.add("seconds", m.seconds)
        result.add("articles_per_s", count / m.seconds)
        result.add("cpu_s", m.cpu_s)
        result.add("peak_mb", m.peak_tree_mb)
        print(f"  import {count} seeds run {run + 1}: {m.seconds:.2f}s = {count / m.seconds:.0f} articles/s, "
              f"peak {m.peak_tree_mb:.0f} MB", flush=True)
    m = measure(command, env=our_env(args.site_gen_root))
    result.add("reimport_unchanged_s", m.seconds)
    print(f"  re-import unchanged: {m.seconds:.2f}s", flush=True)
    result.notes.append(f"measured on the first {count} seeds; first run said: {first}")
    return result


def bench_ours(args: argparse.Namespace, folder: Path, n: int) -> tuple[Result, Callable[[], None]]:
    """site_gen's figures, and what measures one round of them (cold, no-change, one-edit)."""
    result = Result("site_gen", n)
    content, out = folder / "content", folder / "out-site_gen"
    command = [args.python, "-c", DRIVER, str(content), str(out), BASE_URL]
    env = our_env(args.site_gen_root)

    def run(label: str, cache: str = "cache") -> Measured:
        m = measure([*command, cache], cwd=folder, env=env)
        line = next(line for line in m.stdout.splitlines() if line.startswith("BENCH "))
        data = json.loads(line[len("BENCH "):])
        for name, seconds in data["timings"]:
            result.stages.setdefault(f"{label}: {name}", []).append(seconds)
        result.pages = data["pages"]
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in data["timings"])
        stages += (f"; rendered {data.get('rendered')}/{data['pages']}, up to date {data.get('up_to_date')}, "
                   f"Pagefind ran {data.get('search_indexed')}")
        print(f"  site_gen {label}: {m.seconds:.2f}s wall, {m.cpu_s:.2f}s CPU, peak {m.peak_tree_mb:.0f} MB (largest process "
              f"{m.peak_process_mb:.0f} MB); stages: {stages}", flush=True)
        return m

    def one_round() -> None:
        # Cold: no previous output and no build cache (.site-gen-cache/ beside the config, here the cwd).
        # The spare (the recycled earlier site, site_gen/output.py) goes too: a first build has none to discard.
        clear_for_cold(out, folder / f".{out.name}.staging", folder / f".{out.name}.old", folder / f".{out.name}.spare",
                       folder / ".site-gen-cache")
        m = run("cold")
        result.add("cold_s", m.seconds)
        result.add("cold_cpu_s", m.cpu_s)
        result.add("load", m.load)
        result.add("cold_peak_mb", m.peak_tree_mb)
        result.add("cold_peak_process_mb", m.peak_process_mb)
        m = run("no-change")
        result.add("nochange_s", m.seconds)
        result.add("nochange_cpu_s", m.cpu_s)
        path, original = edit_one(content)
        try:
            m = run("one-edit")
        finally:
            path.write_text(original, encoding="utf-8")
        result.add("oneedit_s", m.seconds)
        result.add("oneedit_cpu_s", m.cpu_s)
        files, result.html_files, result.bytes_written = tree_size(out)
        result.notes[:] = [f"{files} files in the output"]
        if args.no_cache_too:  # as the GitHub Pages workflow builds: `site-gen build --no-cache`
            clear_for_cold(out, folder / f".{out.name}.spare", folder / ".site-gen-cache")
            m = run(NO_CACHE, "no-cache")
            result.add("cold_nocache_s", m.seconds)
            result.add("cold_nocache_cpu_s", m.cpu_s)

    return result, one_round


def bench_hugo(args: argparse.Namespace, folder: Path, n: int) -> tuple[Result, Result, Callable[[], None]]:
    """Hugo's and Pagefind's figures, and what measures one round of them."""
    hugo, pagefind = Result("Hugo", n), Result("Pagefind (on Hugo)", n)
    site, mounts = hugo_site(folder, folder / "content", related=not args.hugo_without_related)
    out, cache = folder / "out-hugo", folder / "hugo-cache"
    binary = args.hugo
    command = [binary, "--quiet", "--source", str(site), "--config", f"{site / 'hugo.toml'},{mounts}",
               "--destination", str(out), "--cacheDir", str(cache)]
    index = [str(args.peers_venv / "bin" / "python"), "-m", "pagefind", "--site", str(out), "--output-subdir", "pagefind",
             "--silent"]
    def one_round() -> None:
        clear_for_cold(out, cache)
        m = measure(command)
        hugo.add("cold_s", m.seconds)
        hugo.add("cold_cpu_s", m.cpu_s)
        hugo.add("load", m.load)
        hugo.add("cold_peak_mb", m.peak_tree_mb)
        print(f"  Hugo cold: {m.seconds:.2f}s, peak {m.peak_tree_mb:.0f} MB", flush=True)
        _files, hugo.html_files, hugo.bytes_written = tree_size(out)
        hugo.pages = _files
        m = measure(index)
        pagefind.add("cold_s", m.seconds)
        pagefind.add("cold_cpu_s", m.cpu_s)
        pagefind.add("cold_peak_mb", m.peak_tree_mb)
        print(f"  Pagefind on Hugo's output: {m.seconds:.2f}s, peak {m.peak_tree_mb:.0f} MB", flush=True)
        m = measure(command)
        hugo.add("nochange_s", m.seconds)
        hugo.add("nochange_cpu_s", m.cpu_s)
        path, original = edit_one(folder / "content")
        try:
            m2 = measure(command)
        finally:
            path.write_text(original, encoding="utf-8")
        hugo.add("oneedit_s", m2.seconds)
        hugo.add("oneedit_cpu_s", m2.cpu_s)
        print(f"  Hugo no-change: {m.seconds:.2f}s, one-edit: {m2.seconds:.2f}s", flush=True)
        pagefind.bytes_written = tree_size(out / "pagefind")[2]

    return hugo, pagefind, one_round


def bench_pelican(args: argparse.Namespace, folder: Path, n: int) -> tuple[Result, Callable[[], None]]:
    """Pelican's figures, and what measures one round of them."""
    result = Result("Pelican", n)
    content, out, cache = pelican_content(folder), folder / "out-pelican", folder / "pelican-cache"
    conf = HERE / "peers" / "pelican" / "pelicanconf.py"
    command = [str(args.peers_venv / "bin" / "pelican"), str(content), "-s", str(conf), "-o", str(out), "-q",
               "-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f"CACHE_PATH={json.dumps(str(cache))}"]
    def one_round() -> None:
        clear_for_cold(out, cache)
        m = measure(command)
        result.add("cold_s", m.seconds)
        result.add("cold_cpu_s", m.cpu_s)
        result.add("load", m.load)
        result.add("cold_peak_mb", m.peak_tree_mb)
        _files, result.html_files, result.bytes_written = tree_size(out)
        result.pages = _files
        m2 = measure(command)
        result.add("nochange_s", m2.seconds)
        result.add("nochange_cpu_s", m2.cpu_s)
        path, original = edit_one(content)
        try:
            m3 = measure(command)
        finally:
            path.write_text(original, encoding="utf-8")
        result.add("oneedit_s", m3.seconds)
        result.add("oneedit_cpu_s", m3.cpu_s)
        print(f"  Pelican cold: {m.seconds:.2f}s (peak {m.peak_tree_mb:.0f} MB), no-change: {m2.seconds:.2f}s, "
              f"one-edit: {m3.seconds:.2f}s", flush=True)

    return result, one_round


# ---- report ------------------------------------------------------------------------------------------------------


def fmt(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds:.2f} s"


def both(result: Result, name: str) -> str:
    """Median wall time, with the median CPU time (user+sys, children included) in brackets."""
    return f"{fmt(result.med(name + '_s'))} ({fmt(result.med(name + '_cpu_s'))} CPU)"


NO_CACHE = "cold without cache"  # the label of `--no-cache-too`'s builds


def without_search(ours: Result, name: str, label: str = "cold") -> list[float]:
    """Each of our `name` builds' whole process time less that same build's search stage (the build without
    search, round by round: the median of these, not one median less another, which no build had)."""
    searches = ours.stages.get(f"{label}: search index", [])
    return [total - search for total, search in zip(ours.figures.get(f"{name}_s", []), searches)]


def report(n: int, runs: int, results: dict[str, Result]) -> str:
    ours, imp = results["ours"], results.get("import")
    hugo, pf, pel = results.get("hugo"), results.get("pagefind"), results.get("pelican")
    stage = {name[len("cold: "):]: median(values) for name, values in ours.stages.items() if name.startswith("cold: ")}
    search = stage.get("search index", 0.0)
    render = stage.get("render", 0.0)
    render_only = median(without_search(ours, "cold")) if ours.figures.get("cold_s") else 0.0
    loads = [v for r in results.values() for v in r.figures.get("load", [])]
    lines = [f"\n## N = {n:,} (medians of {runs} run(s); 1-min load average during the runs "
             f"{min(loads, default=0):.1f}–{max(loads, default=0):.1f} on {os.cpu_count()} CPUs)", ""]
    if imp:
        lines.append(f"import: {imp.med('articles_per_s'):.1f} articles/s wall ({imp.med('seconds'):.2f} s, "
                     f"{imp.med('cpu_s'):.2f} s CPU; {imp.notes[0]}); re-import of unchanged seeds "
                     f"{fmt(imp.med('reimport_unchanged_s'))}; peak {imp.med('peak_mb'):.0f} MB")
    lines.append("site_gen cold build by stage: " + ", ".join(f"{k} {v:.2f} s" for k, v in stage.items())
                 + f"; process wall time {fmt(ours.med('cold_s'))}")
    lines += ["", "| tool | cold build, wall (CPU) | peak memory (process tree) | no-change rebuild | one-edit rebuild "
                  "| files (HTML) | bytes |", "|---|---|---|---|---|---|---|"]
    lines.append(f"| site_gen (render+write+search) | {both(ours, 'cold')} | {ours.med('cold_peak_mb'):.0f} MB | "
                 f"{both(ours, 'nochange')} | {both(ours, 'oneedit')} | {ours.pages:,} pages ({ours.html_files:,}) | "
                 f"{ours.bytes_written:,} |")
    lines.append(f"| site_gen without its search stage | {fmt(render_only)} | | | | | |")
    no_cache = {name[len(NO_CACHE) + 2:]: median(values) for name, values in ours.stages.items()
                if name.startswith(NO_CACHE + ": ")}
    no_cache_pages = median(without_search(ours, "cold_nocache", NO_CACHE)) if no_cache else 0.0
    if no_cache:
        lines.append(f"| site_gen --no-cache (as the Pages workflow) | {both(ours, 'cold_nocache')} | | | | | |")
        lines.append(f"| site_gen --no-cache without its search stage | {fmt(no_cache_pages)} | | | | | |")
    if hugo and pf:
        lines.append(f"| Hugo 0.168 | {both(hugo, 'cold')} | {hugo.med('cold_peak_mb'):.0f} MB | {both(hugo, 'nochange')} | "
                     f"{both(hugo, 'oneedit')} | {hugo.pages:,} ({hugo.html_files:,}) | {hugo.bytes_written:,} |")
        lines.append(f"| Pagefind 1.5.2 ext. on Hugo's output | {both(pf, 'cold')} | {pf.med('cold_peak_mb'):.0f} MB | | | | "
                     f"{pf.bytes_written:,} (index) |")
        lines.append(f"| Hugo + Pagefind | {fmt(hugo.med('cold_s') + pf.med('cold_s'))} "
                     f"({fmt(hugo.med('cold_cpu_s') + pf.med('cold_cpu_s'))} CPU) | "
                     f"{max(hugo.med('cold_peak_mb'), pf.med('cold_peak_mb')):.0f} MB | | | | |")
    if pel:
        lines.append(f"| Pelican 4.12 | {both(pel, 'cold')} | {pel.med('cold_peak_mb'):.0f} MB | {both(pel, 'nochange')} | "
                     f"{both(pel, 'oneedit')} | {pel.pages:,} ({pel.html_files:,}) | {pel.bytes_written:,} |")
    lines.append("")
    if hugo and pf:
        hp = hugo.med("cold_s") + pf.med("cold_s")
        hp_cpu = hugo.med("cold_cpu_s") + pf.med("cold_cpu_s")
        lines.append(f"ratio site_gen full build / (Hugo + Pagefind): {ours.med('cold_s') / hp:.2f} wall, "
                     f"{ours.med('cold_cpu_s') / hp_cpu:.2f} CPU (target ≤ 0.5)")
        paired = [o / (h + p) for o, h, p in zip(ours.figures["cold_s"], hugo.figures["cold_s"], pf.figures["cold_s"])]
        lines.append(f"  the same ratio round by round (each round's own builds): "
                     f"{', '.join(f'{r:.2f}' for r in paired)}; median {median(paired):.2f}")
        lines.append(f"ratio site_gen without search / Hugo: {render_only / hugo.med('cold_s'):.2f} wall (target ≤ 1)")
        if no_cache:
            paired = [o / (h + p) for o, h, p in zip(ours.figures["cold_nocache_s"], hugo.figures["cold_s"],
                                                      pf.figures["cold_s"])]
            lines.append(f"ratio site_gen --no-cache full build / (Hugo + Pagefind): "
                         f"{ours.med('cold_nocache_s') / hp:.2f} wall; round by round "
                         f"{', '.join(f'{r:.2f}' for r in paired)}")
            lines.append(f"ratio site_gen --no-cache without search / Hugo: {no_cache_pages / hugo.med('cold_s'):.2f} wall")
        if render:
            lines.append(f"ratio site_gen render stage alone / Hugo: {render / hugo.med('cold_s'):.2f} wall "
                         "(the lenient reading of the same target)")
        lines.append(f"ratio site_gen search stage / Pagefind on Hugo: {search / pf.med('cold_s'):.2f} wall")
        lines.append(f"ratio site_gen no-change rebuild / Hugo no-change: {ours.med('nochange_s') / hugo.med('nochange_s'):.2f} wall")
    if pel:
        lines.append(f"ratio Pelican / site_gen without search: {pel.med('cold_s') / render_only:.2f} wall (target ≥ 4)")
        paired = [p / w for p, w in zip(pel.figures["cold_s"], without_search(ours, "cold"))]
        lines.append(f"  the same ratio round by round: {', '.join(f'{r:.2f}' for r in paired)}")
        if no_cache:
            lines.append(f"ratio Pelican / site_gen --no-cache without search: {pel.med('cold_s') / no_cache_pages:.2f} wall")
        if render:
            lines.append(f"ratio Pelican / site_gen render stage alone: {pel.med('cold_s') / render:.2f} wall "
                         "(the lenient reading of the same target)")
        lines.append(f"ratio site_gen no-change rebuild / Pelican no-change: {ours.med('nochange_s') / pel.med('nochange_s'):.2f} wall")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--work", type=Path, default=Path("/tmp/site_gen-bench"), help="archives and outputs go here")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs site_gen")
    parser.add_argument("--site-gen-root", type=Path, default=REPO, help="checkout (or snapshot) whose site_gen is measured")
    parser.add_argument("--peers-venv", type=Path, default=Path("/tmp/peers-venv"), help="venv with hugo, pelican, pagefind")
    parser.add_argument("--import-limit", type=int, default=1000, help="import throughput is measured on at most this many seeds")
    parser.add_argument("--import-runs", type=int, default=None, help="import runs (default: --runs)")
    parser.add_argument("--skip", default="", help="comma-separated: import,ours,hugo,pelican")
    parser.add_argument("--hugo-without-related", action="store_true",
                        help="build Hugo's site without its related-articles list (ours always has one)")
    parser.add_argument("--no-cache-too", action="store_true",
                        help="also measure our cold build without the build cache, each round (`site-gen build "
                             "--no-cache`, as the GitHub Pages workflow builds)")
    parser.add_argument("--delete-old", action="store_true",
                        help="delete each tool's last output right before its cold build instead of moving it aside "
                             "(the ninth session's way; see TRASH)")
    args = parser.parse_args(argv)
    global TRASH
    TRASH = None if args.delete_old else []
    try:
        return run_sizes(args)
    finally:
        empty_trash()


def run_sizes(args: argparse.Namespace) -> int:
    args.site_gen_root = args.site_gen_root.resolve()
    args.peers_venv = args.peers_venv.absolute()
    binaries = list((args.peers_venv / "lib").glob("python3*/site-packages/hugo/binaries/hugo"))
    args.hugo = str(binaries[0]) if binaries else str(args.peers_venv / "bin" / "hugo")
    skip = set(filter(None, args.skip.split(",")))
    args.work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(args.site_gen_root), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "(not a git checkout)"
    print(f"site_gen from {args.site_gen_root} ({commit}); {os.cpu_count()} CPUs; peers from {args.peers_venv}", flush=True)
    everything: dict[str, dict] = {}
    texts = []
    for n in [int(s) for s in args.sizes.split(",")]:
        folder = ensure_archive(args.work, n)
        print(f"\nN = {n}: {json.loads((folder / 'manifest.json').read_text())}", flush=True)
        results: dict[str, Result] = {}
        if "import" not in skip:
            results["import"] = bench_import(args, folder, n, args.import_runs or args.runs)
        rounds: list[Callable[[], None]] = []
        if "ours" not in skip:
            results["ours"], one_round = bench_ours(args, folder, n)
            rounds.append(one_round)
        if "hugo" not in skip:
            results["hugo"], results["pagefind"], one_round = bench_hugo(args, folder, n)
            rounds.append(one_round)
        if "pelican" not in skip:
            results["pelican"], one_round = bench_pelican(args, folder, n)
            rounds.append(one_round)
        # Round by round, each tool once per round: a machine that slows down (or speeds up) during the run
        # weighs on every tool alike, and each round gives a ratio of its own (`report`).
        for number in range(args.runs if rounds else 0):
            print(f" round {number + 1} of {args.runs}", flush=True)
            for one_round in rounds:
                one_round()
        text = report(n, args.runs, results) if "ours" in results else json.dumps(
            {k: {f: median(v) for f, v in r.figures.items()} for k, r in results.items()}, indent=1)
        texts.append(text)
        print(text, flush=True)
        everything[str(n)] = {k: asdict(v) for k, v in results.items()}
        (args.work / "results.json").write_text(json.dumps({"commit": commit, "results": everything}, ensure_ascii=False,
                                                           indent=1), encoding="utf-8")
    print("\n".join(texts) if len(texts) > 1 else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
