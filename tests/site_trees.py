"""Helpers for the incremental and parallel build tests: a small generated archive and whole-tree comparison."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from site_gen.build import BuildOptions, BuildReport, build
from site_gen.config import load_config

BENCH = Path(__file__).resolve().parent.parent / "bench"
BASE_URL = "https://example.github.io/archive/"


def generated_content(root: Path, n: int) -> Path:
    """`n` generated articles (bench/generate.py, deterministic) as a site's content/ under `root`."""
    spec = importlib.util.spec_from_file_location("bench_generate_for_trees", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    archive = root / "archive"
    module.generate(n, archive)
    content = root / "site" / "content"
    content.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(archive / "content", content)
    return root / "site"


def copied_site(archive: Path, tmp_path: Path) -> Path:
    """A test's own copy of a module's generated site (`generated_content`), to edit and build."""
    shutil.copytree(archive, tmp_path / "site")
    return tmp_path / "site"


def site_fixtures(name: str, n: int) -> tuple:
    """A test module's fixtures over `n` generated articles: `archive`, made once per module
    (`generated_content`), and `site`, each test's own copy of it (`copied_site`). Assign both at module level:
    `archive, site = site_fixtures("incremental", 60)`."""

    @pytest.fixture(scope="module", name="archive")
    def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
        return generated_content(tmp_path_factory.mktemp(name), n)

    @pytest.fixture(name="site")
    def site(archive: Path, tmp_path: Path) -> Path:
        return copied_site(archive, tmp_path)

    return archive, site


def build_site(site: Path, out: str, *, cache: bool = True, jobs: int | None = 1, search: bool = False) -> BuildReport:
    config = replace(load_config(None, BASE_URL), root=site)
    return build(BuildOptions(config=config, seeds_dir=site / "seeds", content_dir=site / "content", out_dir=site / out,
                              run_import=False, search=search, cache=cache, jobs=jobs))


def tree(folder: Path) -> dict[str, str]:
    """Every file below `folder` → sha256 of its bytes, leaving out pagefind/ (Pagefind 1.5.2 does not keep
    its page order stable between runs)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


def assert_same_tree(a: Path, b: Path) -> None:
    left, right = tree(a), tree(b)
    assert left.keys() == right.keys(), sorted(set(left) ^ set(right))[:10]
    different = [path for path in left if left[path] != right[path]]
    assert not different, different[:10]
