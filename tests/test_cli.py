"""The CLI end to end: every command's help, `new`, the summary table, --quiet/--verbose, progress in CI,
one error format without tracebacks (except with --debug)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen.content import read_article
from site_gen.progress import LiveProgress, PlainProgress, make_progress

from conftest import REPO, write_site

ARTICLE = """---
title: {title}
date: 2024-05-06T09:00:00+08:00
seed: manual/{slug}
slug: {slug}
zones: [灵石经济技术开发区]
---

{body}
"""


def article(slug: str, title: str = "灵石经开区新项目开工", body: str = "灵石经济技术开发区今天有三个项目开工建设。") -> str:
    return ARTICLE.format(slug=slug, title=title, body=body)


def test_help_for_every_command(run_cli, tmp_path: Path) -> None:
    for command in ("import", "build", "serve", "check", "new"):
        with pytest.raises(SystemExit) as exit_info:
            run_cli([command, "--help"], tmp_path)
        assert exit_info.value.code == 0


def test_new_creates_a_valid_article_that_builds(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s")
    result = run_cli(["new", "太原经开区新项目开工"], root)
    assert result.code == 0, result.err
    files = list((root / "content").glob("*.md"))
    assert [f.name for f in files] == ["taiyuan-jingkaiqu-xin-xiangmu-kaigong.md"]
    assert f"created content/{files[0].name}" in result.out
    created, problems = read_article(files[0])
    assert problems == [] and created is not None
    assert created.title == "太原经开区新项目开工"
    assert created.seed == "manual/taiyuan-jingkaiqu-xin-xiangmu-kaigong"
    assert created.slug == files[0].stem and not created.draft
    stamp = dt.datetime.fromisoformat(created.date)
    assert stamp.utcoffset() == dt.timedelta(hours=8)  # Asia/Shanghai
    assert abs((stamp - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 120

    # The same title again gets its own file; the first is never overwritten.
    before = files[0].read_bytes()
    assert run_cli(["new", "太原经开区新项目开工"], root).code == 0
    assert len(list((root / "content").glob("*.md"))) == 2 and files[0].read_bytes() == before

    built = run_cli(["build", "--no-search", "--base-url", "https://e.github.io/repo/"], root)
    assert built.code == 0, built.err
    page = root / "public" / "articles" / files[0].stem / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "太原经开区新项目开工" in html and "在这里写正文" not in html  # the hint comment never reaches readers
    assert run_cli(["check"], root).code == 0


def test_new_refuses_an_existing_slug_and_an_invalid_one(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"taken.md": article("taken")})
    result = run_cli(["new", "标题", "--slug", "taken"], root)
    assert result.code == 1
    assert "content/taken.md: error: already exists; not overwritten" in result.err
    result = run_cli(["new", "标题", "--slug", "Not A Slug"], root)
    assert result.code == 1 and "must be lowercase ASCII" in result.err
    assert sorted(p.name for p in (root / "content").glob("*.md")) == ["taken.md"]


def test_new_draft_is_left_out_of_the_build(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a")})
    assert run_cli(["new", "草稿文章", "--slug", "draft-one", "--draft"], root).code == 0
    result = run_cli(["build", "--no-search"], root)
    assert "articles: 1 (drafts left out: 1)" in result.out
    assert not (root / "public" / "articles" / "draft-one").exists()


def test_build_prints_a_summary_table(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a"), "b.md": article("b", "第二篇")})
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "time per stage:" in lines
    table = lines[lines.index("time per stage:") + 1:]
    assert re.match(r"\s+stage\s+items\s+time$", table[0])
    assert re.match(r"\s+load\s+2 articles\s+\d+\.\d\ds$", table[1]), table
    assert any(re.match(r"\s+render\s+\d+ pages\s+\d+\.\d\ds$", row) for row in table)
    assert re.match(r"\s+total\s+\d+\.\d\ds$", table[-1])


def test_quiet_prints_nothing_but_problems(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a")},
                      seeds={"empty.txt": ""})
    result = run_cli(["build", "--quiet", "--no-search"], root)
    assert result.code == 0, result.err
    assert result.out.strip().splitlines() == [line for line in result.out.strip().splitlines() if "skipped" in line]
    assert "skipped empty.txt:" in result.out  # a skipped seed is a problem: shown even when quiet
    assert result.err == ""
    assert run_cli(["-q", "check"], root).out == ""


def test_verbose_names_every_stage(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a")})
    result = run_cli(["build", "--verbose", "--no-import", "--no-search"], root)
    assert result.code == 0
    for stage in ("load", "model", "render", "write", "publish"):
        assert re.search(rf"^{stage}: done in \d+\.\d\ds$", result.err, re.M), result.err


def test_errors_have_one_format_and_a_count_without_traceback(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={
        "a.md": "---\ntitle: 好\nseed: manual/a\nslug: a\ncolour: red\n---\n\n正文\n",
        "b.md": "---\ntitle: [unclosed\nseed: manual/b\n---\n",
        "c.md": "no front matter\n",
    })
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[-1] == "3 problem(s) found; nothing was published"
    assert "content/a.md:5: error: unknown front matter key 'colour'" in lines[0]
    assert re.match(r"content/b\.md:\d+(:\d+)?: error: invalid YAML", lines[1])
    assert lines[2].startswith("content/c.md:1: error: no front matter")
    assert "Traceback" not in result.out + result.err
    assert not (root / "public").exists()


def test_bad_config_is_reported_with_its_path(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", config={"per_page": "many", "colour": 1})
    result = run_cli(["build"], root)
    assert result.code == 1
    assert "site.yml: error: `per_page` must be int" in result.err
    assert "site.yml: error: unknown config key 'colour'" in result.err
    assert result.err.strip().endswith("2 problem(s) found; nothing was published")


def test_tracebacks_only_with_debug(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import site_gen.cli as cli

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "build", broken)
    root = write_site(tmp_path / "s")
    result = run_cli(["build"], root)
    assert result.code == 2
    assert "internal error: ZeroDivisionError: a bug (run with --debug" in result.err
    assert "Traceback" not in result.err
    for args in (["--debug", "build"], ["build", "--debug"]):
        result = run_cli(args, root)
        assert result.code == 2 and "Traceback (most recent call last)" in result.err


def test_progress_is_plain_in_ci_and_live_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("CI", "true")
    assert isinstance(make_progress(stream=Terminal()), PlainProgress)
    monkeypatch.delenv("CI")
    assert isinstance(make_progress(stream=Terminal()), LiveProgress)
    assert isinstance(make_progress(stream=io.StringIO()), PlainProgress)  # a pipe or a log file


def test_plain_progress_lines_for_a_long_import(tmp_path: Path) -> None:
    """A real subprocess in CI mode: plain lines on stderr, no terminal control codes."""
    root = write_site(tmp_path / "s", seeds={f"{i:03}.txt": f"第{i}篇开发区新闻\n\n2023-05-06 来源:晋中日报\n\n"
                                             f"灵石经济技术开发区第{i}个项目开工建设。\n" for i in range(12)})
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-search"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "import… (12 items)" in result.stderr
    assert "render… (" in result.stderr
    assert "\x1b[" not in result.stderr + result.stdout
    assert "seeds read: 12; articles written: 12" in result.stdout


def test_no_cache_renders_every_page_and_leaves_the_cache_alone(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a"), "b.md": article("b", "第二篇")})
    cache, spare, page = root / ".site-gen-cache", root / ".public.spare", root / "public" / "articles" / "a" / "index.html"
    assert run_cli(["build", "--no-cache", "--no-import", "--no-search"], root).code == 0
    assert page.is_file()
    assert not cache.exists() and not spare.exists()  # nothing written for a next build

    assert run_cli(["build", "--no-import", "--no-search"], root).code == 0  # the usual build, with its cache
    kept = {path: path.stat().st_mtime_ns for path in cache.rglob("*")}
    assert kept and spare.is_dir() and page.stat().st_nlink == 2  # unchanged pages are shared with the spare
    (root / "content" / "b.md").write_text(article("b", "第二篇改过"), encoding="utf-8")

    result = run_cli(["build", "--no-cache", "--no-import", "--no-search"], root)
    assert result.code == 0, result.err
    assert "第二篇改过" in (root / "public" / "articles" / "b" / "index.html").read_text(encoding="utf-8")
    assert page.stat().st_nlink == 1  # rendered anew, not linked from the last build
    assert {path: path.stat().st_mtime_ns for path in cache.rglob("*")} == kept  # the cache is neither read nor written


@pytest.mark.parametrize("broken", [False, True])
def test_the_command_ends_with_mains_code_and_all_of_its_output(tmp_path: Path, broken: bool) -> None:
    """`python -m site_gen` (as the `site-gen` script) ends the process without tearing the interpreter down:
    main's exit code, and everything written to a pipe still arrives."""
    content = {"a.md": article("a"), **({"b.md": "---\ntitle: [\n---\n正文\n"} if broken else {})}
    root = write_site(tmp_path / "s", content=content)
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "CI": "true", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-import", "--no-search"], cwd=root,
                            env=env, capture_output=True, text=True, timeout=300)
    if broken:
        assert result.returncode == 1
        assert "content/b.md" in result.stderr and "nothing was published" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert "pages" in result.stdout and (root / "public" / "articles" / "a" / "index.html").is_file()
    # A plain print() to a pipe sits in Python's buffer until it is flushed.
    made = subprocess.run([sys.executable, "-m", "site_gen", "new", "开发区新闻"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0 and made.stdout.startswith("created content/"), made
