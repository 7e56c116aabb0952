"""The backbone: the CLI imports the five real seeds, builds a site with one page per article,
a home page linking them all, zone pages and a Pagefind bundle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_gen.content import read_articles

from conftest import write_site


def articles_by_seed(content: Path) -> dict[str, object]:
    articles, problems = read_articles(content)
    assert problems == []
    return {a.seed[:3]: a for a in articles}


def test_help_for_every_command(run_cli, tmp_path: Path) -> None:
    for command in (["--help"], ["import", "--help"], ["build", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            run_cli(command, tmp_path)
        assert exit_info.value.code == 0


def test_import_writes_one_content_file_per_seed(run_cli, sample_site: Path) -> None:
    result = run_cli(["import"], sample_site)
    assert result.code == 0, result.err
    assert "seeds read: 5; articles written: 5" in result.out
    files = sorted((sample_site / "content").glob("*.md"))
    assert len(files) == 5
    for path in files:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", path.name)


def test_reimport_is_byte_identical(run_cli, sample_site: Path) -> None:
    run_cli(["import"], sample_site)
    before = {p.name: p.read_bytes() for p in (sample_site / "content").iterdir()}
    result = run_cli(["import"], sample_site)
    assert "unchanged: 5" in result.out
    after = {p.name: p.read_bytes() for p in (sample_site / "content").iterdir()}
    assert before == after


def test_front_matter_of_the_five_seeds(run_cli, sample_site: Path) -> None:
    run_cli(["import"], sample_site)
    a = articles_by_seed(sample_site / "content")
    # 000: Jekyll post from 晋中日报 about 榆社
    assert a["000"].title == "榆社县努力跑出产业“加速度” 打造转型强引擎 释放升级强动力"
    assert a["000"].date == "2022-03-10T10:05:02+08:00"
    assert a["000"].source == "晋中日报"
    assert a["000"].authors == ("程煜媛",)
    assert "榆社经济技术开发区" in a["000"].zones
    assert "jinzhongribao" not in a["000"].categories
    # 001: plain-text scrape with a date/source line, reporter and editors
    assert a["001"].title == "山西省晋中市:系列报道②|构建体现晋中特色优势的现代化产业体系"
    assert a["001"].date == "2024-10-05T10:28:42+08:00"
    assert a["001"].source == "晋中日报"
    assert a["001"].authors == ("王文安",)
    assert a["001"].editors == ("杜利勇", "张能改")
    assert "山西晋中国家农业高新技术产业示范区" in a["001"].zones
    assert "声明" not in a["001"].body and "Copyright" not in a["001"].body
    # 002: 网易号 portal scrape; "11月11日" with no year → year inferred from the text
    assert a["002"].title.startswith("灵石经济技术开发区")
    assert a["002"].date == "2025-11-11" and a["002"].date_inferred
    assert a["002"].authors == ("张永祥",)
    assert a["002"].zones[0] == "灵石经济技术开发区"
    assert "特别声明" not in a["002"].body and "分享至" not in a["002"].body
    # 003: Traditional mirror with pinyin: converted, no date, generated title
    assert a["003"].original_script == "zh-Hant"
    assert a["003"].title_generated and a["003"].date is None
    assert "(jīng)" not in a["003"].body and "经济" in a["003"].body
    assert "当地产业" in a["003"].body
    assert "太忻一体化经济区" in a["003"].zones
    assert a["003"].editors == ("吉政",)
    # 004: WordPress scrape: relative date, footer and teasers gone
    assert a["004"].title == "往“高”攀登向“新”而行——山西省加快建设开发区升级版"
    assert a["004"].date == "2024-09-29" and a["004"].date_inferred
    assert "相关文章" not in a["004"].body and "大湾区" not in a["004"].body
    assert "生产线余名建设者" in a["004"].body  # dropped numbers stay dropped, never guessed
    assert "山西转型综合改革示范区" in a["004"].zones


def test_cli_builds_a_small_inline_archive(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", seeds={
        "a.txt": "灵石经开区新项目开工\n\n2023-05-06 09:00:00 来源:晋中日报\n\n灵石经济技术开发区今天有三个项目开工建设。\n",
        "b.txt": "晋城经开区光机电产业\n\n2021-01-02 来源:山西日报\n\n晋城经济技术开发区加快光机电产业集群发展。\n",
    })
    result = run_cli(["build", "--base-url", "https://example.github.io/repo/"], root)
    assert result.code == 0, result.err
    assert "articles: 2" in result.out and "time per stage:" in result.out
    public = root / "public"
    home = (public / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in home
    assert home.index("灵石经开区新项目开工") < home.index("晋城经开区光机电产业")  # newest first
    assert (public / "pagefind" / "pagefind.js").is_file()


def test_built_sample_site(built_sample) -> None:
    root, _server = built_sample
    public = root / "public"
    articles = sorted((public / "articles").glob("*/index.html"))
    assert len(articles) == 5
    home = (public / "index.html").read_text(encoding="utf-8")
    for page in articles:
        assert f'/repo/articles/{page.parent.name}/"' in home
    zone_page = (public / "zones" / "lingshi-jingkaiqu" / "index.html").read_text(encoding="utf-8")
    assert "<h1>灵石经济技术开发区</h1>" in zone_page and "/repo/articles/lingshi-" in zone_page
    assert (public / "pagefind" / "pagefind-ui.js").is_file()
    assert (public / "search" / "index.html").is_file()


@pytest.mark.browser
def test_search_page_finds_lingshi(built_sample, page) -> None:
    _root, server = built_sample
    page.goto(server.base_url + "search/")
    page.fill("#search-input", "灵石经济技术开发区")
    result = page.locator(".search-result-link").first
    result.wait_for(timeout=15_000)
    titles = page.locator(".search-result-link").all_inner_texts()
    assert any(t.startswith("灵石经济技术开发区") for t in titles), titles
    assert page.js_errors == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_content_files_are_the_md_files_glob_finds(tmp_path: Path) -> None:
    from site_gen.content import content_files

    for name in ("b.md", "a.md", ".hidden.md", "notes.txt", "c.MD"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "dir.md").mkdir()
    assert content_files(tmp_path) == sorted(p for p in tmp_path.glob("*.md") if p.is_file())
    assert [p.name for p in content_files(tmp_path)] == [".hidden.md", "a.md", "b.md"]
    assert content_files(tmp_path / "missing") == []
