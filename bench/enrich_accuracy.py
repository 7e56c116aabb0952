"""Zone and region precision/recall of the enrich stage over the labelled fixture set.

Input: tests/fixtures/labelled/*.yml (title, body, the zones and regions an editor would give the
article, optionally the zone candidates expected). Output: printed micro-averaged precision and recall
for zones and regions, candidate recall, and, with -v, every article whose labels differ.

    .venv/bin/python bench/enrich_accuracy.py [-v]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_gen.enrich import Enricher  # noqa: E402

LABELLED = ROOT / "tests" / "fixtures" / "labelled"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labelled(folder: Path = LABELLED) -> list[tuple[str, dict]]:
    return [(path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.yml"))]


def evaluate(verbose: bool = False) -> dict[str, Score]:
    enricher = Enricher()
    scores = {"zones": Score(), "regions": Score(), "candidates": Score()}
    for name, item in load_labelled():
        result = enricher.enrich(item["title"], item["body"])
        got = {"zones": set(result.zones), "regions": set(result.regions), "candidates": set(result.zone_candidates)}
        for key, score in scores.items():
            want = set(item.get(key) or ())
            if key == "candidates":
                # Candidates are graded on recall only: extra ones cost the archivist a glance, not a wrong page.
                score.add(got[key] & want, want)
            else:
                score.add(got[key], want)
            if verbose and key != "candidates" and got[key] != want:
                print(f"{name}: {key}: extra {sorted(got[key] - want)} missing {sorted(want - got[key])}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every article whose labels differ")
    args = parser.parse_args()
    scores = evaluate(args.verbose)
    print(f"articles: {len(load_labelled())}")
    for key in ("zones", "regions"):
        s = scores[key]
        print(f"{key:8} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})")
    c = scores["candidates"]
    print(f"candidates recall {c.recall:.3f}  ({c.tp} of {c.tp + c.fn} expected candidates listed)")


if __name__ == "__main__":
    main()
