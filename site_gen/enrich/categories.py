"""Categories from a small controlled vocabulary, by keyword rules kept in categories.yml.

Input: an article's title and body. Output: one to `max_categories` category names, best first; never none.
A keyword scores once per mention in the body (at most 3) and `title_weight` times in the title, so a
headline about 光伏 outweighs a passing mention; an article that meets no rule gets `default`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_gen.diagnostics import Diagnostic, SiteGenError


@dataclass(frozen=True)
class CategoryRules:
    rules: tuple[tuple[str, tuple[str, ...]], ...]
    default: str
    min_score: int = 3
    max_categories: int = 2
    title_weight: int = 3

    def assign(self, title: str, body: str) -> tuple[str, ...]:
        scored = []
        for order, (category, keywords) in enumerate(self.rules):
            score = sum(min(body.count(word), 3) + self.title_weight * (word in title) for word in keywords)
            if score >= self.min_score:
                scored.append((-score, order, category))
        best = [category for _, _, category in sorted(scored)[: self.max_categories]]
        return tuple(best) or (self.default,)


@functools.lru_cache(maxsize=4)
def load_category_rules(path: Path) -> CategoryRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = tuple((str(name), tuple(str(w) for w in words)) for name, words in data["categories"].items())
        if not rules or any(not words for _, words in rules):
            raise TypeError("every category needs at least one keyword")
        return CategoryRules(rules, str(data["default"]), int(data.get("min_score", 3)),
                             int(data.get("max_categories", 2)), int(data.get("title_weight", 3)))
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise SiteGenError(Diagnostic(str(path), f"cannot read the category rules: {exc}",
                                      hint="expected `default:` and `categories: {name: [keyword, …]}`")) from None
