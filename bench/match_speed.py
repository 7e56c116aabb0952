"""How fast the zone matcher and the whole enrich stage are on a 4,000-character article.

Input: the gazetteer and county table of the package, and a 4,000-character article assembled from the
labelled fixtures (tests/fixtures/labelled). Output: printed medians over many runs, in microseconds
for matching and milliseconds for the whole enrichment (segmentation, regions, zones, candidates, tags,
categories).

    .venv/bin/python bench/match_speed.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import jieba.analyse
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_gen.enrich import Enricher  # noqa: E402
from site_gen.enrich.gazetteer import load_gazetteer  # noqa: E402

ARTICLE_CHARS = 4000


def article() -> tuple[str, str]:
    items = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests/fixtures/labelled").glob("*.yml"))]
    body = ""
    while len(body) < ARTICLE_CHARS:
        for item in items:
            body += item["body"].replace("\n", "") + "\n"
    return items[0]["title"], body[:ARTICLE_CHARS]


def median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="runs of the matcher (enrich runs a tenth of that)")
    args = parser.parse_args()
    title, body = article()
    text = f"{title}\n{body}"
    gazetteer = load_gazetteer()
    enricher = Enricher()
    enricher.enrich(title, body)  # load jieba's dictionary and fill the caches once
    context = dict(home_county="灵石县", home_city="晋中市", region_names=enricher.regions.names)
    match = median_seconds(lambda: gazetteer.match(text, **context), args.runs)
    regions = median_seconds(lambda: enricher.regions.match(text), args.runs)
    enrich = median_seconds(lambda: enricher.enrich(title, body), max(20, args.runs // 10))
    # The reference the budget is stated in: jieba's own TF-IDF keywords over the same text.
    baseline = median_seconds(lambda: jieba.analyse.extract_tags(text, topK=8, allowPOS=("n", "nz", "vn")),
                              max(20, args.runs // 10))
    found = gazetteer.match(text, **context)
    print(f"article: {len(text)} characters; gazetteer: {len(gazetteer.zones)} zones, {len(gazetteer.forms)} surface forms; "
          f"{len(found.mentions)} zone mentions of {len(found.zones)} zones")
    print(f"zone matching:   median {match * 1e6:8.1f} µs over {args.runs} runs")
    print(f"region matching: median {regions * 1e6:8.1f} µs over {args.runs} runs")
    print(f"whole enrich:    median {enrich * 1e3:8.2f} ms over {max(20, args.runs // 10)} runs "
          "(segmentation of title + first 2,000 characters dominates)")
    print(f"jieba TF-IDF:    median {baseline * 1e3:8.2f} ms (reference: jieba.analyse.extract_tags on the same text)")


if __name__ == "__main__":
    main()
