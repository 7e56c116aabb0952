"""Search recall and cost over a generated archive, for each way of indexing Chinese.

For N generated articles (bench/gen_search_site.py) and each variant:
  sharded   what site_gen ships: at each Han character a word for it and the next (as letters and
            digits), query searched as a phrase of such words, indexed in shards of --shard-size
            articles, two Pagefind runs at a time, merged into one index of small chunks (site_gen/search_merge.py)
  chars     one word per Han character, query searched as a phrase, in one Pagefind run
  bigrams   the 2 characters starting at each position as a word, query a phrase of such words
  trigrams  the same with 3 characters (shorter queries: Pagefind's prefix search)
  extended  the article text as it is; Pagefind extended segments it, the browser segments the query
it prints index time and peak memory (/usr/bin/time -v), bundle size, and, in Chromium, recall and
precision against a substring scan for a list of queries (Simplified and Traditional zone, place and
person names, policy terms, 2-character words, 3–4-character substrings), and bytes a reader
downloads: once to open the search page, then per query (index chunks + the first 10 results).

    python bench/search_recall.py --articles 5000 [--variants sharded,chars,extended] [--shard-size 1000] [--work /tmp/sgbench]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import opencc

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from gen_search_site import POLICY_TERMS, generate  # noqa: E402
from site_gen.content import read_articles  # noqa: E402
from site_gen.enrich.gazetteer import data_file, load_gazetteer  # noqa: E402
from site_gen.enrich.regions import load_region_table  # noqa: E402
from site_gen.model import build_model  # noqa: E402
from site_gen.search import INDEX_LANG, SHARD_SIZE, index_bundle, reference_phrases, index_documents, pagefind_command, write_documents  # noqa: E402
from site_gen.search_text import HAN, code_tokens, fold, query_json, tokenize  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
HAN_RUN = re.compile(f"[{HAN}]+")


VARIANTS = {  # name → (text for the index, gram the page prepares queries with, index language, scheme)
    "sharded": (code_tokens, 1, INDEX_LANG, "codes"),
    "chars": (functools.partial(tokenize, gram=1), 1, INDEX_LANG, "chars"),
    "bigrams": (functools.partial(tokenize, gram=2), 2, INDEX_LANG, "chars"),
    "trigrams": (functools.partial(tokenize, gram=3), 3, INDEX_LANG, "chars"),
    "extended": (lambda text: text, 0, "zh-CN", "chars"),
}

# The bench page: the shipped search.js for `chars`; the other variants' query handling inline here.
BENCH_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<script src="search.js"></script><script src="bench.js"></script></head><body></body></html>"""
BENCH_JS = """
window.bench = (function () {
  var variant = new URLSearchParams(location.search).get("variant");
  var ready = variant !== "extended"
    ? SiteSearch.createSearcher("pagefind/", "query.json")
    : import("./pagefind/pagefind.js").then(function (pf) {  // the query as typed, as the Default UI does
        return { search: function (q) { return pf.search(q); } };
      });
  return {
    ready: ready.then(function () { return true; }),
    urls: function (q) {
      return ready.then(function (s) { return s.search(q, {}); }).then(function (found) {
        return Promise.all(found.results.map(function (r) { return r.data(); }));
      }).then(function (items) { return items.map(function (d) { return d.url; }); });
    },
    firstPage: function (q) {
      return ready.then(function (s) { return s.search(q, {}); }).then(function (found) {
        return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }))
          .then(function () { return found.results.length; });
      });
    }
  };
})();
"""


def peak_run(command: list[str]) -> tuple[float, int]:
    """Run a command under /usr/bin/time -v; returns wall seconds and peak RSS in bytes."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return seconds, rss_kb * 1024


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional set sizes
    (PSS, /proc/PID/smaps_rollup), so pages a forked worker shares with its parent count once."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(child)
        rss[child] = child
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        if p in rss:
            try:
                rollup = (Path("/proc") / str(p) / "smaps_rollup").read_text()
                total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) * 1024
            except (OSError, AttributeError):
                pass
        todo += children.get(p, [])
    return total


def sharded_run(docs: list, bundle: Path, shard_size: int, phrases: tuple[str, ...]) -> tuple[float, int, list[str]]:
    """Run the shipped indexer (site_gen.search.index_bundle), sampling the whole process tree's memory:
    shards run side by side, so the peak is the sum of concurrent Pagefind runs, not the largest one."""
    import os
    peak = [0]
    stop = threading.Event()
    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], tree_rss(os.getpid()))
    print(f"  (this Python process before indexing: {tree_rss(os.getpid()) / 2**20:,.0f} MiB, included in the peak)")
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start, cpu = time.perf_counter(), process_cpu()
    companions = index_bundle(docs, bundle, shard_size, phrases=phrases)
    seconds = time.perf_counter() - start
    print(f"  CPU time (this process, its workers and the Pagefind runs): {process_cpu() - cpu:.1f}s")
    stop.set()
    sampler.join()
    return seconds, peak[0], companions


def process_cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def pick_queries(texts: dict[str, str], articles: list, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs that occur in the corpus."""
    corpus = list(texts.values())
    def occurs(q: str) -> bool:
        return any(q in t for t in corpus)
    zones = sorted({z for a in articles for z in a.zones})
    people = sorted({m for t in corpus[:400] for m in re.findall(r"(?<=[，。])([王李张刘陈杨赵黄周吴][文武永祥安平建国华明志强]{2})", t)})
    places = ["灵石", "运城", "太原", "晋中", "榆社", "长治", "大同", "孝义", "介休", "晋城"]
    queries = [("zone", z) for z in rng.sample(zones, min(8, len(zones)))]
    queries += [("place", p) for p in places if occurs(p)]
    queries += [("person", p) for p in rng.sample(people, min(6, len(people)))]
    queries += [("policy", p) for p in rng.sample(POLICY_TERMS, 8)]
    runs = [r for t in rng.sample(corpus, 60) for r in HAN_RUN.findall(t) if len(r) >= 4]
    for n, count in ((2, 10), (3, 6), (4, 6)):
        for run in rng.sample(runs, count):
            start = rng.randrange(len(run) - n + 1)
            queries.append((f"{n}-char", run[start:start + n]))
    s2t = opencc.OpenCC("s2t")
    simplified = [q for k, q in queries if k in ("zone", "place", "policy")]
    queries += [("traditional", s2t.convert(q)) for q in rng.sample(simplified, 8) if s2t.convert(q) != q]
    queries += [("traditional", "開發區"), ("traditional", "靈石"), ("traditional", "太忻一體化經濟區")]
    # Single characters last (the random picks above stay as they were): common, mid and rare ones.
    queries += [("1-char", c) for c in ("区", "晋", "灵", "榄") if occurs(c)]
    return queries


# Bytes are measured on every QUERY_BYTES_STEP-th query (each in a fresh browser context, so ~2 s each);
# QUERY_BUDGET is issue 6's target for what one query may cost a reader.
QUERY_BYTES_STEP = 2
QUERY_BUDGET = 300_000


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--variants", default="chars,bigrams,trigrams,extended")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sgbench"))
    parser.add_argument("--no-browser", action="store_true", help="index cost only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE, help="articles per shard (sharded)")
    parser.add_argument("--chunk-bytes", type=int, help="raw bytes per index chunk (sharded; default: CHUNK_BYTES)")
    args = parser.parse_args()
    if args.chunk_bytes:
        import site_gen.search_chunks
        site_gen.search_chunks.CHUNK_BYTES = args.chunk_bytes

    site = args.work / f"site-{args.articles}"
    if not (site / "content").is_dir():
        generate(site, args.articles, seed=args.seed)
    articles, problems = read_articles(site / "content")
    assert not problems, problems[:3]
    gazetteer, regions = load_gazetteer(None), load_region_table(data_file("counties.yml", None))
    model = build_model(articles, gazetteer, regions)
    phrases = reference_phrases(gazetteer, regions)  # the names that may get a phrase companion, as in the build
    docs = [doc.resolved() for doc in index_documents(model)]
    texts = {f"/{d.path[:-len('index.html')]}": fold("\n".join((d.title, *d.paragraphs))) for d in docs}
    chars = sum(len(t) for t in texts.values())
    print(f"articles: {len(docs)}, characters: {chars:,} ({chars // len(docs)} per article)")
    queries = pick_queries(texts, articles, random.Random(args.seed))

    for variant in args.variants.split(","):
        out = args.work / f"{variant}-{args.articles}"
        shutil.rmtree(out, ignore_errors=True)
        documents, served = out / "documents", out / "site"
        text, gram, lang, scheme = VARIANTS[variant]
        if variant == "sharded":
            seconds, rss, companions = sharded_run(docs, served / "pagefind", args.shard_size, phrases)
            shard_count = -(-len(docs) // args.shard_size)
            size, files = folder_bytes(served / "pagefind")
            print(f"\n[{variant}] {shard_count} shards of {args.shard_size}, merged: documents, pagefind and merge {seconds:.1f}s, "
                  f"peak PSS (process tree) {rss / 2**20:,.0f} MiB; bundle {size / 2**20:.1f} MiB in {files:,} files; "
                  f"{len(companions)} of {len(phrases)} zone and region names got a phrase companion")
        else:
            start = time.perf_counter()
            write_documents(docs, documents, text, lang)
            write_seconds = time.perf_counter() - start
            seconds, rss = peak_run(pagefind_command(documents, served / "pagefind"))
            size, files = folder_bytes(served / "pagefind")
            print(f"\n[{variant}] documents written in {write_seconds:.1f}s; pagefind {seconds:.1f}s, "
                  f"peak RSS {rss / 2**20:,.0f} MiB; bundle {size / 2**20:.1f} MiB in {files:,} files")
            shutil.rmtree(documents)
        if args.no_browser:
            continue
        (served / "query.json").write_text(query_json(gram, scheme=scheme, phrases=companions if variant == "sharded" else ()),
                                           encoding="utf-8")
        shutil.copy(REPO / "themes/default/static/search.js", served / "search.js")
        (served / "bench.html").write_text(BENCH_HTML, encoding="utf-8")
        (served / "bench.js").write_text(BENCH_JS, encoding="utf-8")
        measure_in_browser(served, variant, queries, texts)


def measure_in_browser(served: Path, variant: str, queries: list[tuple[str, str]], texts: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/bench.html?variant={variant}"
    by_kind: dict[str, list[tuple[int, int, int]]] = {}
    misses: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url)
        page.evaluate("bench.ready")
        for kind, query in queries:
            truth = {u for u, t in texts.items() if fold(query) in t}
            found = set(page.evaluate("q => bench.urls(q)", query))
            hit = len(truth & found)
            by_kind.setdefault(kind, []).append((hit, len(truth), len(found)))
            if hit < len(truth) or len(found) > hit:
                misses.append(f"{query}: {hit}/{len(truth)} found, {len(found) - hit} extra")
        # Bytes: a fresh browser context (cold cache) per query, as a reader who opens the page and searches.
        opening, per_query, costs = [], [], []
        for kind, query in queries[::QUERY_BYTES_STEP]:
            context = browser.new_context()
            tab = context.new_page()
            got: list[int] = []
            tab.on("requestfinished", lambda r, got=got: got.append(r.sizes()["responseBodySize"]))
            tab.goto(url)
            tab.evaluate("bench.ready")
            opened = sum(got)
            tab.evaluate("q => bench.firstPage(q)", query)
            opening.append(opened)
            per_query.append(sum(got) - opened)
            costs.append((sum(got) - opened, kind, query))
            context.close()
        browser.close()
    httpd.shutdown()
    total_hit = sum(h for v in by_kind.values() for h, _, _ in v)
    total_truth = sum(t for v in by_kind.values() for _, t, _ in v)
    total_found = sum(f for v in by_kind.values() for _, _, f in v)
    print(f"  recall {total_hit}/{total_truth} = {total_hit / max(total_truth, 1):.1%}; "
          f"precision {total_hit}/{total_found} = {total_hit / max(total_found, 1):.1%} over {len(queries)} queries")
    for kind, rows in by_kind.items():
        hit, truth = sum(r[0] for r in rows), sum(r[1] for r in rows)
        print(f"    {kind:12s} {hit:6d}/{truth:<6d} {hit / max(truth, 1):.1%}  ({len(rows)} queries)")
    per_query.sort()
    print(f"  bytes to open the search page: {max(opening) / 1024:.0f} KiB; per query (chunks + 10 results): "
          f"median {per_query[len(per_query) // 2] / 1024:.0f} KiB, max {per_query[-1] / 1024:.0f} KiB "
          f"over {len(per_query)} queries")
    under = sum(b < QUERY_BUDGET for b in per_query)
    print(f"  under {QUERY_BUDGET:,} bytes: {under}/{len(per_query)}; 75th percentile "
          f"{per_query[(len(per_query) * 3) // 4] / 1024:.0f} KiB, 90th {per_query[(len(per_query) * 9) // 10] / 1024:.0f} KiB")
    for size, kind, query in sorted(costs, reverse=True)[:6]:
        print(f"    costliest: {query} ({kind}) {size / 1024:.0f} KiB")
    for line in misses[:12]:
        print("    miss:", line)
    print("  sample:", json.dumps([q for _, q in queries[:12]], ensure_ascii=False))


if __name__ == "__main__":
    main()
