"""A small inline fixture site for the theme tests: seven content files covering the cases a reader
meets (two zones in one article, an inferred year, an unknown date, a title full of markup, a month
with more articles than fit on one page). Shared by test_site_pages, test_site_golden and test_site_crawl."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from site_gen.cli import main as cli_main

BASE_URL = "https://example.github.io/repo/"


def _article(slug: str, front: dict, body: str) -> str:
    meta = {"lang": "zh-Hans", "seed": f"{slug}.txt", "slug": slug, **front}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body.strip() + "\n"


LINGSHI = "灵石经济技术开发区"
YUSHE = "榆社经济技术开发区"
ZONGGAI = "山西转型综合改革示范区"

CONTENT = {
    "lingshi-chanye.md": _article("lingshi-chanye", {
        "title": "灵石经开区筑强产业根基",
        "date": "2024-10-05T10:28:42+08:00",
        "source": "晋中日报",
        "authors": ["王文安"],
        "editors": ["张能改"],
        "original_url": "https://news.example.com/2024/10/05/1.html",
        "zones": [LINGSHI, YUSHE],
        "regions": ["晋中市", "灵石县"],
        "categories": ["产业发展"],
        "tags": ["新质生产力", "园区"],
        "summary": "灵石经开区介绍“十四五”以来的发展成效。",
    }, """
10月5日，晋中市召开新闻发布会。

会上介绍，灵石经开区已形成“一区四园”布局，两渡产业园新增企业12家。

## 下一步

榆社经开区与灵石开发区将加强协作。
"""),
    "yushe-jiasudu.md": _article("yushe-jiasudu", {
        "title": "榆社县跑出产业加速度",
        "date": "2022-03-10",
        "source": "晋中日报",
        "zones": [YUSHE],
        "regions": ["晋中市", "榆社县"],
        "categories": ["产业发展"],
        "tags": ["园区"],
    }, "本报讯 榆社经济技术开发区今年新开工项目8个。"),
    "lingshi-fabuhui.md": _article("lingshi-fabuhui", {
        "title": "灵石县召开开发区新闻发布会",
        "date": "2025-11-11",
        "date_inferred": True,
        "source": "中北新闻网",
        "zones": [LINGSHI],
        "regions": ["灵石县"],
        "tags": ["新质生产力"],
    }, "11月11日，灵石经济技术开发区举行新闻发布会。"),
    "zonggai-wuriqi.md": _article("zonggai-wuriqi", {
        "title": "面对资源型经济转型的困难",
        "title_generated": True,
        "source": "人民网",
        "editors": ["吉政"],
        "zones": [ZONGGAI],
        "regions": ["太原市"],
        "original_script": "zh-Hant",
    }, "会议要求山西综改示范区要当好龙头。"),
    "jiaoben-ceshi.md": _article("jiaoben-ceshi", {
        "title": "标题</script><b>粗体 & “引号”",
        "date": "2024-10-20T09:00:00+08:00",
        "source": "晋中日报",
        "zones": [LINGSHI],
        "regions": ["灵石县"],
        "summary": "摘要里也有 <script>alert(1)</script> 与 & 符号。",
    }, "正文<script>alert(1)</script>提到灵石经开区。"),
    "jiuyue-yi.md": _article("jiuyue-yi", {
        "title": "九月第一篇",
        "date": "2024-09-02",
        "source": "山西日报",
        "zones": [YUSHE],
        "regions": ["榆社县"],
        "categories": ["项目建设"],
    }, "榆社经开区项目签约。"),
    "jiuyue-er.md": _article("jiuyue-er", {
        "title": "九月第二篇",
        "date": "2024-09-28",
        "source": "山西日报",
        "zones": [YUSHE],
        "regions": ["榆社县"],
        "categories": ["项目建设"],
    }, "榆社开发区新项目投产。"),
}


def write_fixture_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    for name, text in CONTENT.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    (root / "site.yml").write_text(yaml.safe_dump({"per_page": 2}), encoding="utf-8")
    return root


def build_fixture_site(root: Path, base_url: str = BASE_URL, extra: tuple[str, ...] = ()) -> Path:
    """Write the fixture site and build it (no import, no search index); returns public/."""
    write_fixture_site(root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = cli_main(["build", "--no-import", "--no-search", "--base-url", base_url, *extra])
    finally:
        os.chdir(cwd)
    assert code == 0
    return root / "public"
