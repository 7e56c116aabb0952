"""The benchmark's archive generator (bench/generate.py): deterministic, realistic, and importable.

Small archives only: the benchmark itself (bench/run.py) prints figures and is not a test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from site_gen.content import read_articles
from site_gen.enrich.gazetteer import load_gazetteer
from site_gen.importer import import_seeds

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "archive"
    generate.generate(60, out)
    return out


def test_same_n_gives_byte_identical_archives(archive: Path, tmp_path: Path) -> None:
    generate.generate(60, tmp_path / "again")
    assert _digests(tmp_path / "again") == _digests(archive)


def test_article_i_does_not_depend_on_n() -> None:
    small = [generate.content_text(generate.make_article(i), "x") for i in range(5)]
    generate.make_article(400)  # generating a later article must not shift earlier ones
    assert [generate.content_text(generate.make_article(i), "x") for i in range(5)] == small


def test_mix_of_kinds_encodings_and_lengths() -> None:
    articles = [generate.make_article(i) for i in range(400)]
    kinds = Counter(a.kind for a in articles)
    assert set(kinds) == set(generate.KIND_WEIGHTS)
    encodings = Counter(generate.raw_bytes(a)[1] for a in articles)
    assert {"utf-8", "gb18030", "big5"} <= set(encodings)
    lengths = [sum(len(p) for p in a.paragraphs) for a in articles]
    assert min(lengths) >= 1500 and max(lengths) <= 4000 + 1200  # target 1,500–4,000, the last paragraph may overrun
    years = {a.date.year for a in articles}
    assert min(years) == 2015 and max(years) == 2025
    assert len({a.slug for a in articles}) == len(articles)


def test_content_follows_the_contract_and_names_real_zones(archive: Path) -> None:
    articles, problems = read_articles(archive / "content")
    assert problems == []
    assert len(articles) == 60
    gazetteer = load_gazetteer(None)
    assert all(a.zones and set(a.zones) <= set(gazetteer.zones) for a in articles)
    for article in articles:
        seed = archive / "seeds" / article.seed
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == article.seed_sha256
        assert 1500 <= len(article.body) and "lorem" not in article.body


def test_every_seed_imports(archive: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # one seed of each kind keeps this fast; the benchmark imports them all
    by_kind: dict[str, int] = {}
    for i in range(60):
        by_kind.setdefault(generate.make_article(i).kind, i)
    for i in by_kind.values():
        article = generate.make_article(i)
        (seeds / article.seed_name).write_bytes((archive / "seeds" / article.seed_name).read_bytes())
    report = import_seeds(seeds, tmp_path / "content")
    assert report.skipped == ()
    assert report.count("written") == len(by_kind)
    imported = {a.seed: a for a in read_articles(tmp_path / "content")[0]}
    for i in by_kind.values():
        expected = generate.make_article(i)
        got = imported[expected.seed_name]
        assert expected.zones[0] in got.zones, (expected.kind, got.zones)
        if expected.kind != "traditional":
            assert got.title == expected.title
