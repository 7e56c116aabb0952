"""The whole output tree of the fixture site (tests/site_fixture.py), compared file by file with
tests/golden/site/. Regenerate after an intended change with:

    SITE_GEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_site_golden.py

and review the diff (`git diff tests/golden/`). The build runs with a fixed time zone and locale and
the clock frozen, so the tree only changes when the theme, the planner or the fixture changes.
Static files (copied verbatim from the theme) and the search bundle are left out."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from site_fixture import build_fixture_site

GOLDEN = Path(__file__).parent / "golden" / "site"
# The search page belongs to the search stage (tested there); static files are copied verbatim from the theme.
SKIPPED = ("static/", "pagefind/", "search/")


class FrozenDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls(2026, 1, 1, 12, 0, 0, tzinfo=tz)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(SKIPPED)}


def test_fixture_site_matches_the_golden_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "C.UTF-8")
    time.tzset()
    monkeypatch.setattr(dt, "datetime", FrozenDateTime)
    try:
        public = build_fixture_site(tmp_path / "site")
    finally:
        monkeypatch.undo()
        time.tzset()
    built = tree(public)
    if os.environ.get("SITE_GEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for relative, data in built.items():
            target = GOLDEN / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = tree(GOLDEN)
    assert sorted(built) == sorted(expected), "files added or missing (SITE_GEN_UPDATE_GOLDEN=1 to regenerate)"
    different = [name for name in built if built[name] != expected[name]]
    if different:
        import difflib

        first = different[0]
        diff = "\n".join(difflib.unified_diff(expected[first].decode().splitlines(), built[first].decode().splitlines(),
                                              f"golden/{first}", f"built/{first}", lineterm="", n=1))
        pytest.fail(f"{len(different)} file(s) differ from tests/golden/site/ (SITE_GEN_UPDATE_GOLDEN=1 to "
                    f"regenerate): {different[:10]}\n{diff[:3000]}")
