"""Field-level accuracy of the importer over a labelled fixture set.

Input: tests/fixtures/importer/labelled/labels.yml (file → the fields a careful reader takes from it).
Output (stdout): per field, how many seeds the importer got exactly right, then every miss with what
was expected and what came out, then the conversion speed. Run:

    .venv/bin/python bench/import_accuracy.py [labels.yml]

Exit code 0 always: this measures progress, the tests assert behaviour.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from site_gen.article import normalise_date
from site_gen.enrich import Enricher
from site_gen.importer import SeedConverter, SeedError

FIELDS = ("title", "date", "source", "authors", "editors")
DEFAULT_LABELS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "importer" / "labelled" / "labels.yml"


def actual_fields(article) -> dict[str, object]:
    return {
        "title": None if article.title_generated else article.title,
        "date": (article.date, article.date_inferred),
        "source": article.source,
        "authors": list(article.authors),
        "editors": list(article.editors),
    }


def expected_fields(label: dict) -> dict[str, object]:
    date = label.get("date")
    return {
        "title": label.get("title"),
        "date": (normalise_date(date) if date is not None else None, bool(label.get("date_inferred", False)) if date else False),
        "source": label.get("source"),
        "authors": list(label.get("authors") or []),
        "editors": list(label.get("editors") or []),
    }


def main(argv: list[str]) -> int:
    labels_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_LABELS
    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    converter = SeedConverter(Enricher(None))
    # Warm up once (segmenter dictionaries, OpenCC, pinyin tables load lazily) so the speed below is per seed.
    converter.convert((labels_path.parent / labels[0]["file"]).read_bytes(), "warm-up.txt", {})
    right = {f: 0 for f in FIELDS}
    misses: list[str] = []
    started = time.perf_counter()
    for label in labels:
        path = (labels_path.parent / label["file"]).resolve()
        expected = expected_fields(label)
        try:
            article = converter.convert(path.read_bytes(), path.name, {}).article
        except SeedError as exc:
            misses.append(f"{path.name}: skipped: {exc}")
            continue
        actual = actual_fields(article)
        for field in FIELDS:
            if actual[field] == expected[field]:
                right[field] += 1
            else:
                misses.append(f"{path.name}: {field}: expected {expected[field]!r}, got {actual[field]!r}")
    seconds = time.perf_counter() - started
    total = len(labels)
    print(f"import accuracy over {total} labelled seeds ({labels_path.name})")
    for field in FIELDS:
        print(f"  {field:<8} {right[field]:>3}/{total}  {100 * right[field] / total:5.1f}%")
    all_right = sum(right.values())
    print(f"  {'all':<8} {all_right:>3}/{total * len(FIELDS)}  {100 * all_right / (total * len(FIELDS)):5.1f}%")
    if misses:
        print(f"misses ({len(misses)}):")
        for miss in misses:
            print(f"  {miss}")
    print(f"converted {total} seeds in {seconds:.2f}s ({total / seconds:.0f} seeds/s, one process, reference data loaded once)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
