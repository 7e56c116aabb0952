"""Golden front matter and body for each of the five real seeds.

The golden files (tests/golden/seeds/NNN.md) hold what the importer itself decides — title, date,
source, credits, summary, script, body — and leave out what the enrich stage decides (zones, regions,
tags, categories), which has its own tests. They were written from a reading of each seed and are
compared whole. To regenerate after a deliberate change: `UPDATE_GOLDEN=1 pytest tests/test_importer_seeds.py`,
then read the diff by eye before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from site_gen.article import article_to_front_matter
from site_gen.content import format_article, read_articles
from site_gen.importer import import_seeds

from conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden" / "seeds"
ENRICHED = ("zones", "regions", "tags", "categories")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("seeds5")
    shutil.copytree(SEEDS, root / "seeds")
    report = import_seeds(root / "seeds", root / "content")
    assert report.count("written") == 5
    articles, problems = read_articles(root / "content")
    assert problems == []
    return {a.seed[:3]: a for a in articles}


def golden_text(article) -> str:
    meta = {k: v for k, v in article_to_front_matter(article).items() if k not in ENRICHED}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{article.body}\n"


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_seed_matches_golden(imported, number: str) -> None:
    path = GOLDEN / f"{number}.md"
    actual = golden_text(imported[number])
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_golden_fields_read_from_the_seeds(imported) -> None:
    """The fields a careful reader takes from each seed, spelled out (the golden files hold the rest)."""
    a = imported
    assert (a["000"].source, a["000"].authors, a["000"].editors) == ("晋中日报", ("程煜媛",), ())
    assert a["000"].original_url == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203102304226171"
    assert "返回首页" not in a["000"].body and "文章来源" not in a["000"].body and "(程煜媛)" not in a["000"].body
    assert (a["001"].source, a["001"].authors, a["001"].editors) == ("晋中日报", ("王文安",), ("杜利勇", "张能改"))
    assert a["001"].body.count("## ") == 2  # 多点产业支撑成效初显, 重点攻坚突破持续发力
    assert (a["002"].source, a["002"].authors, a["002"].date, a["002"].date_inferred) == (
        "中北新闻网", ("张永祥",), "2025-11-11", True)
    assert dict(a["002"].extra)["image_captions"] == [
        "灵石县委宣传部副部长黄海滨", "县委书记韩军调研开发区重点工程项目", "灵石经济技术开发区管委会综合办主任曹铁强"]
    assert "黄海滨\n" not in a["002"].body and "NetEase" not in a["002"].body
    assert a["003"].authors == ("杨彧", "段伟华", "丁园", "闫杰", "郑娜", "李家鸣", "王天晓", "王荔", "张玉虎", "姚晓敏")
    assert a["003"].source is None and a["003"].date is None  # the mirror states neither: nothing invented
    assert "着力形成" in a["003"].body and "著力" not in a["003"].body  # 著 → 着 where it is the verb
    assert "“会议提出" in a["003"].body and "。”省商务厅副厅长" in a["003"].body
    assert (a["004"].source, a["004"].authors) == ("晋中厂房网", ())
    assert "葛毅明微信号" not in a["004"].body and "13391219793" not in a["004"].body


def test_golden_files_are_valid_content(imported, tmp_path: Path) -> None:
    """The body of each golden file is exactly the body the content file carries."""
    for number, article in imported.items():
        assert format_article(article).endswith(article.body + "\n")
        assert (GOLDEN / f"{number}.md").read_text(encoding="utf-8").endswith("\n\n" + article.body + "\n")
