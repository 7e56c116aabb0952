"""What one search shard costs: `index_shard` over the first N articles of a generated archive, in this process.

Input: a generated archive (bench/generate.py N OUT). Output, on stdout, per run: wall time, CPU time of this
process (Python: tokens, numpy, fragments) and of its children (Pagefind), and this process's
peak RSS (a child's is not told apart from the parent it was forked from). Run it
with PYTHONPATH=<snapshot> to compare two commits' indexers on the same articles, alternately.

    .venv/bin/python bench/shard.py /tmp/site_gen-bench/1000 --articles 500 --runs 3
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="folder made by bench/generate.py (uses its content/)")
    parser.add_argument("--articles", type=int, default=500, help="articles in the shard (SHARD_SIZE: 500)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from site_gen.content import read_articles
    from site_gen.enrich.gazetteer import data_file, load_gazetteer
    from site_gen.enrich.regions import load_region_table
    from site_gen.model import build_model
    from site_gen.search import index_documents, index_shard, reference_phrases

    articles, _problems = read_articles(args.archive / "content")
    gazetteer, regions = load_gazetteer(None), load_region_table(data_file("counties.yml", None))
    model = build_model(articles, gazetteer, regions)
    docs = list(index_documents(model))[:args.articles]
    phrases = reference_phrases(gazetteer, regions)
    for run in range(args.runs):
        folder = Path(tempfile.mkdtemp(prefix="site-gen-shard-bench-"))
        before, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        index_shard(docs, folder / "shard", phrases)
        wall = time.perf_counter() - started
        after, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        python = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        pagefind = done.ru_utime - children.ru_utime + done.ru_stime - children.ru_stime
        print(f"run {run + 1}: {len(docs)} articles, wall {wall:.2f} s, CPU {python + pagefind:.2f} s "
              f"(this process {python:.2f}, Pagefind {pagefind:.2f}); this process's peak RSS {after.ru_maxrss / 1024:.0f} MiB "
              "(the archive's model included)",
              flush=True)
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
