"""One folder per invalid input under tests/invalid/, each with the exact expected error output
(`expected.txt`): the build reports every problem as `path:line[:col]: message`, with a count, and
publishes nothing. Regenerate an expected file by running the build in its folder and reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if (p / "expected.txt").is_file())


def test_there_are_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_invalid_content_is_reported_exactly(case: str, run_cli, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / case
    shutil.copytree(INVALID / case, root)
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err == (INVALID / case / "expected.txt").read_text(encoding="utf-8")
    assert not (root / "public").exists()
