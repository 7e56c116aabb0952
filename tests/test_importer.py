"""The importer, kind by kind: formats, encodings, cleaning, metadata patterns, sidecars, and the rules
(every seed accounted for, duplicates, re-import, hand edits, importer version). Fixtures are written
in the test (texts encoded here, in the encoding under test) or read from tests/fixtures/importer/."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from site_gen.content import read_articles
from site_gen.enrich import Enricher
from site_gen.importer import IMPORTER_VERSION, STATE_FILE, SeedConverter, import_seeds
import site_gen.importer as importer_module

from conftest import SEEDS, write_site

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
BODY = "灵石经济技术开发区今年新签约项目十二个，总投资八十六亿元，其中战略性新兴产业项目占七成。"
TEXT_PAGE = f"灵石经开区新签约十二个项目\n\n2023-05-06 09:00:00 来源:晋中日报\n\n{BODY}\n\n园区将持续优化营商环境。\n"
OTHER_STORIES = [
    "晋城经济技术开发区加快光机电产业集群发展，新建标准化厂房二十万平方米。",
    "太原武宿综合保税区一季度进出口额五十六亿元，跨境电商业务快速增长。",
    "大同经济技术开发区氢能产业园首批燃料电池重卡下线，年产能五千辆。",
    "运城经济技术开发区创建开心办小程序，高频审批事项实现指尖办理。",
]


@pytest.fixture(scope="module")
def converter() -> SeedConverter:
    return SeedConverter(Enricher(None))


def convert(converter: SeedConverter, data: bytes | str, name: str = "x.txt", sidecar: dict | None = None):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return converter.convert(raw, name, sidecar or {})


def import_all(root: Path):
    report = import_seeds(root / "seeds", root / "content")
    articles, problems = read_articles(root / "content")
    assert problems == []
    return report, {a.seed: a for a in articles}


# --- encodings -------------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": TEXT_PAGE.encode("utf-8"),
    "utf-8-bom": codecs.BOM_UTF8 + TEXT_PAGE.encode("utf-8"),
    "gb18030": TEXT_PAGE.encode("gb18030"),
    "gbk": TEXT_PAGE.encode("gbk"),
    "utf-16-bom": TEXT_PAGE.encode("utf-16"),
    "utf-16-le-nobom": TEXT_PAGE.encode("utf-16-le"),
    "utf-16-be-nobom": TEXT_PAGE.encode("utf-16-be"),
    "crlf": TEXT_PAGE.replace("\n", "\r\n").encode("utf-8"),
    "cr": TEXT_PAGE.replace("\n", "\r").encode("utf-8"),
    "fullwidth-spaces": TEXT_PAGE.replace("\n\n", "\n\u3000\u3000\n").replace(BODY, "\u3000\u3000" + BODY).encode("gbk"),
    "gbk-crlf-bom-less-ugly": ("\r\n\r\n  " + TEXT_PAGE.replace("\n", "\r\n") + "\r\n\u3000\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_reads_the_same_article(converter, name: str) -> None:
    article = convert(converter, ENCODINGS[name], f"{name}.txt").article
    assert article.title == "灵石经开区新签约十二个项目"
    assert article.date == "2023-05-06T09:00:00+08:00" and article.source == "晋中日报"
    assert article.body == f"{BODY}\n\n园区将持续优化营商环境。"


def test_big5_is_read_and_converted_to_simplified(converter) -> None:
    page = "臨汾經開區新簽約項目\n\n2021-03-04 來源:臨汾日報\n\n臨汾經濟技術開發區項目建設持續推進，總投資十億元。著力打造產業集群。\n"
    for data in (page.encode("big5"), page.encode("utf-8"), page.encode("utf-16")):
        article = convert(converter, data, "b.txt").article
        assert article.title == "临汾经开区新签约项目" and article.source == "临汾日报"
        assert article.body == "临汾经济技术开发区项目建设持续推进，总投资十亿元。着力打造产业集群。"
        assert article.original_script == "zh-Hant"


def test_simplified_text_is_not_marked_traditional(converter) -> None:
    assert convert(converter, TEXT_PAGE).article.original_script is None


# --- formats ---------------------------------------------------------------------------------------

def test_jekyll_yaml_front_matter_with_markdown_body(converter) -> None:
    seed = ("---\ntitle: '晋城经开区: 光机电产业 #1'\ndate: 2022-03-10 10:05:02 +0800\nauthor: 李明 王芳\n"
            "source: 山西日报\ncategories: [jcnews]\n---\n\n晋城经济技术开发区加快光机电\n产业集群发展，\n项目建设持续推进。\n\n"
            "## 项目建设\n\n- 签约项目 12 个\n- 开工项目 9 个\n\n![开工仪式](/img/a.jpg)\n")
    article = convert(converter, seed, "post.md").article
    assert article.title == "晋城经开区: 光机电产业 #1"
    assert article.date == "2022-03-10T10:05:02+08:00"
    assert article.authors == ("李明", "王芳") and article.source == "山西日报"
    assert article.body == ("晋城经济技术开发区加快光机电产业集群发展，项目建设持续推进。\n\n## 项目建设\n\n"
                            "- 签约项目 12 个\n- 开工项目 9 个\n\n![开工仪式](/img/a.jpg)")
    assert dict(article.extra)["source_categories"] == ["jcnews"]


def test_hugo_toml_front_matter_with_html_body(converter) -> None:
    seed = ('+++\ntitle = "运城经开区一季度工业增加值增长12%"\ndate = 2023-04-02T08:30:00+08:00\n'
            'original_url = "https://example.cn/a/1.html"\n+++\n<p>运城经济技术开发区一季度规上工业增加值同比增长12%。</p>\n'
            '<h3>重点项目</h3>\n<p>详见<a href="https://example.cn/list">项目清单</a>。</p>\n'
            '<table><tr><th>项目</th><th>投资</th></tr><tr><td>甲</td><td>5亿</td></tr></table>\n')
    article = convert(converter, seed, "hugo.md").article
    assert article.title == "运城经开区一季度工业增加值增长12%"
    assert article.date == "2023-04-02T08:30:00+08:00" and article.original_url == "https://example.cn/a/1.html"
    assert article.body == ("运城经济技术开发区一季度规上工业增加值同比增长12%。\n\n## 重点项目\n\n"
                            "详见[项目清单](https://example.cn/list)。\n\n| 项目 | 投资 |\n| --- | --- |\n| 甲 | 5亿 |")


def test_unclosed_front_matter_is_a_reported_skip(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"bad.md": "---\ntitle: 没有结尾\n\n正文内容在这里。\n", "good.txt": TEXT_PAGE})
    report, articles = import_all(root)
    assert [(o.seed, o.status) for o in report.outcomes] == [("bad.md", "skipped"), ("good.txt", "written")]
    assert "never closed" in report.outcomes[0].reason


def test_gov_page(converter) -> None:
    result = convert(converter, (FIXTURES / "html" / "gov_shanxi_commerce.html").read_bytes(), "gov.html")
    a = result.article
    assert a.title == "全省开发区“三个一批”活动第四次集中签约开工投产"
    assert (a.date, a.source, a.editors, a.authors) == ("2023-12-18T16:32:00+08:00", "山西省商务厅", ("李晓明",), ())
    assert a.original_url == "http://swt.shanxi.gov.cn/zwgk/kfq/202312/t20231218_9401122.shtml"
    assert "![签约仪式现场](./W020231218.jpg)" in a.body
    assert "## 一、项目质量明显提升" in a.body
    assert "- 签约项目：215个\n- 开工项目：198个" in a.body
    assert "| 类别 | 项目数 |\n| --- | --- |" in a.body
    assert "[开发区项目清单](http://swt.shanxi.gov.cn/zwgk/kfq/list.shtml)" in a.body
    for chrome in ("当前位置", "字体", "ICP", "主办单位", "分享到", "责任编辑", "var _hmt"):
        assert chrome not in a.body


def test_people_cn_page(converter) -> None:
    a = convert(converter, (FIXTURES / "html" / "people_cn.html").read_bytes(), "people.html").article
    assert a.title == "晋中开发区：项目建设跑出“加速度”"
    assert (a.date, a.source, a.authors, a.editors) == ("2024-03-12T08:21:00+08:00", "人民网", ("刘鑫",), ("王丽", "张宇"))
    assert a.body.startswith("人民网太原3月12日电 连日来")
    assert dict(a.extra)["image_captions"] == ["晋中开发区项目建设现场。人民网记者 刘鑫摄"]
    assert "Copyright" not in a.body and "责编" not in a.body


def test_wordpress_page(converter) -> None:
    a = convert(converter, (FIXTURES / "html" / "wordpress.html").read_bytes(), "wp.html").article
    assert a.title == "太原武宿综合保税区一季度进出口额增长两成"
    assert (a.date, a.authors) == ("2023-04-21T09:15:00+08:00", ("李明",))  # `admin` is a CMS user, not a reporter
    assert dict(a.extra)["photographers"] == ["赵强"]
    assert a.body.count("\n\n") == 1
    for chrome in ("上一篇", "相关文章", "标签", "阅读", "Copyright"):
        assert chrome not in a.body


def test_html_title_without_og_or_h1_loses_the_site_name(converter) -> None:
    page = ("<html><head><title>太谷区农高区建设提速_晋中市人民政府</title></head><body>"
            f"<div class='main'><p>{BODY}</p><p>2023年农高区新增企业30户。</p></div></body></html>")
    assert convert(converter, page, "t.html").article.title == "太谷区农高区建设提速"


def test_gbk_html_page_is_read(converter) -> None:
    page = ('<html><head><meta charset="gbk"><title>阳泉高新区新闻</title></head><body><article><h1>阳泉高新区新闻</h1>'
            f"<p>{BODY}</p></article></body></html>")
    a = convert(converter, page.encode("gbk"), "g.html").article
    assert a.title == "阳泉高新区新闻" and a.body == BODY


# --- plain-text scrapes ----------------------------------------------------------------------------

def test_news_scrape_with_chrome_and_patterns(converter) -> None:
    page = ("首页 > 新闻中心 > 开发区动态\n字号：大 中 小\n\n长治高新区新签约项目十个\n\n发布时间：2024-01-15 10:20  来源：长治日报  作者：赵磊\n"
            "浏览次数：1234\n\n本报讯（记者 赵磊 通讯员 钱程）长治高新技术产业开发区今年新签约项目十个。\n\n"
            "图为签约仪式现场\n\n项目总投资45亿元。（完）\n\n编辑：孙悦 审核：周平\n\n上一篇：另一条新闻\n下一篇：又一条新闻\n"
            "版权所有 © 长治日报社  晋ICP备12345678号\n")
    result = convert(converter, page)
    a = result.article
    assert a.title == "长治高新区新签约项目十个"
    assert (a.date, a.source) == ("2024-01-15T10:20:00+08:00", "长治日报")
    assert a.authors == ("赵磊", "钱程") and a.editors == ("孙悦",)
    assert dict(a.extra)["credits"] == ["审核: 周平"]
    assert dict(a.extra)["image_captions"] == ["图为签约仪式现场"]
    assert a.body == "本报讯 长治高新技术产业开发区今年新签约项目十个。\n\n项目总投资45亿元。（完）"


@pytest.mark.parametrize(("tail", "authors", "editors", "source"), [
    ("(晋中日报 记者  王文安)", ("王文安",), (), "晋中日报"),
    ("(程煜媛)", ("程煜媛",), (), None),
    ("（记者 李雪 摄）", (), (), None),
    ("\n\n[编辑:杜利勇 张能改]", (), ("杜利勇", "张能改"), None),
    ("\n\n责任编辑: 吉政", (), ("吉政",), None),
    ("\n\n【责任编辑：王强】", (), ("王强",), None),
    ("\n\n楊彧 段偉華 丁園\n李家鳴 王天曉", ("杨彧", "段伟华", "丁园", "李家鸣", "王天晓"), (), None),
    ("（文章来源：晋中日报）", (), (), "晋中日报"),
    ("\n\n文/张三 图/李四", ("张三",), (), None),
])
def test_byline_patterns(converter, tail, authors, editors, source) -> None:
    a = convert(converter, f"忻州经开区项目建设\n\n{BODY}{tail}\n").article
    assert (a.authors, a.editors, a.source) == (authors, editors, source)
    assert a.body == BODY


def test_month_day_without_year_takes_the_latest_year_of_the_text_marked_inferred(converter) -> None:
    a = convert(converter, "晋中开发区发布会\n\n11月11日，晋中开发区召开发布会。2021年以来，签约项目29个；2024年完成投资30亿元。\n").article
    assert (a.date, a.date_inferred) == ("2024-11-11", True)


def test_month_day_without_any_year_stays_unknown(converter) -> None:
    result = convert(converter, "晋中开发区发布会\n\n11月11日，晋中开发区召开发布会，介绍项目建设情况。\n")
    assert result.article.date is None and not result.article.date_inferred
    assert any("no publication date" in w.message for w in result.warnings)


def test_wordpress_relative_date(converter) -> None:
    page = "当前位置:首页 > 产业信息 > 正文内容\n\n大同经开区新项目\n\nadmin9个月前 (09-29)产业信息19\n\n" \
           "大同经济技术开发区2023年新开工项目20个。\n"
    a = convert(converter, page).article
    assert (a.title, a.date, a.date_inferred) == ("大同经开区新项目", "2023-09-29", True)
    page_without_year = page.replace("2023年", "今年")
    assert convert(converter, page_without_year).article.date is None  # no anchor: never invented


def test_portal_scrape_captions_and_account(converter) -> None:
    page = ("网易首页 > 网易号 > 正文 申请入驻\n\n吕梁经开区招商引资成效显著\n\n0\n分享至\n\n\n\n"
            f"10月8日，{BODY}2024年以来新落地项目15个。\n\n\n\n吕梁经开区管委会主任张伟\n\n  项目建设持续推进。(刘洋)\n\n"
            "特别声明:以上内容为自媒体平台“网易号”用户上传并发布。\n\nNotice: The content above ...\n\n吕梁新闻网\n吕梁新闻网官方网易号\n")
    a = convert(converter, page).article
    assert (a.title, a.source, a.authors) == ("吕梁经开区招商引资成效显著", "吕梁新闻网", ("刘洋",))
    assert (a.date, a.date_inferred) == ("2024-10-08", True)
    assert dict(a.extra)["image_captions"] == ["吕梁经开区管委会主任张伟"]
    assert "分享至" not in a.body and "声明" not in a.body and "张伟" not in a.body


# --- cleaning --------------------------------------------------------------------------------------

def test_pinyin_annotations_are_removed_even_inside_names(converter) -> None:
    page = "太原經(jīng)開區(qū)新聞\n\n張(zhāng)玉(yù)虎表示，經(jīng)濟開發(fā)區（qū）將加快建設。項目A(ok)按計劃推進(a)。\n"
    a = convert(converter, page).article
    assert a.title == "太原经开区新闻"
    assert a.body == "张玉虎表示，经济开发区将加快建设。项目A(ok)按计划推进(a)。"


def test_seed_003_mojibake_table_and_residual_damage_warning(converter) -> None:
    result = convert(converter, (SEEDS / "003_5535c90c76241098.txt").read_bytes(), "003.txt")
    assert "当地产业" in result.article.body and "?" not in result.article.body.replace("?!缮思愿^斗", "")
    damage = [w for w in result.warnings if "damaged" in w.message]
    assert len(damage) == 1 and damage[0].line == 9 and damage[0].severity == "warning"
    assert "?!繕思願^" in damage[0].message


def test_generic_quote_damage_and_stray_tags(converter) -> None:
    page = "运城经开区新闻\n\n<p>他说：?“项目要快。?”</p>园区&nbsp;建设<br/>加快。</span>\n"
    a = convert(converter, page).article
    assert a.body == "他说：“项目要快。”园区 建设加快。"


def test_unknown_damage_stays_and_is_reported(converter) -> None:
    result = convert(converter, "运城经开区新闻\n\n园区建设?加快，项目锟斤拷推进。\n")
    assert result.article.body == "园区建设?加快，项目锟斤拷推进。"
    assert len([w for w in result.warnings if "damaged" in w.message]) == 2


def test_numbers_dropped_by_the_source_are_not_restored(converter) -> None:
    a = convert(converter, "阳曲园区施工\n\n智能制造生产线余名建设者冒着严寒奋战在施工一线。\n").article
    assert a.body == "智能制造生产线余名建设者冒着严寒奋战在施工一线。"


def test_traditional_phrases_keep_zhu_where_it_is_zhu(converter) -> None:
    page = "開發區新聞稿件標題\n\n隨著項目推進，園區著力打造著名品牌，成效顯著，名著手稿展同步舉辦，意味著新的開始。\n"
    a = convert(converter, page).article
    assert a.body == "随着项目推进，园区着力打造著名品牌，成效显著，名著手稿展同步举办，意味着新的开始。"


def test_title_generated_when_the_file_has_none(converter) -> None:
    a = convert(converter, "晋中开发区今年新开工项目二十个，总投资一百亿元，其中新兴产业项目占比超过六成，成效明显。\n").article
    assert a.title_generated and a.title == "晋中开发区今年新开工项目二十个，总投资一百亿元"  # cut at a comma


# --- sidecars, rules -------------------------------------------------------------------------------

def test_sidecar_gives_seed_003_a_date(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"003.txt": (SEEDS / "003_5535c90c76241098.txt").read_bytes(),
                                       "003.txt.meta.yml": "date: 2021-12-27\nsource: 山西日报\ntitle: 开发区要整体发力\n"})
    report, articles = import_all(root)
    a = articles["003.txt"]
    assert (a.date, a.date_inferred, a.source, a.title, a.title_generated) == ("2021-12-27", False, "山西日报", "开发区要整体发力", False)
    assert not any("no publication date" in w.message for w in report.warnings)
    # Changing only the sidecar re-imports the seed.
    (root / "seeds" / "003.txt.meta.yml").write_text("date: 2021-12-28\n", encoding="utf-8")
    report, articles = import_all(root)
    assert report.count("written") == 1 and articles["003.txt"].date == "2021-12-28"


def test_bad_sidecar_is_a_reported_skip(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE, "a.meta.yml": "date: [unclosed\n"})
    report, _ = import_all(root)
    assert report.outcomes[0].status == "skipped" and "a.meta.yml" in report.outcomes[0].reason
    root = write_site(tmp_path / "2", seeds={"a.txt": TEXT_PAGE, "a.meta.yml": "colour: red\n"})
    report, _ = import_all(root)
    assert report.outcomes[0].status == "skipped" and "colour" in report.outcomes[0].reason


def test_same_story_in_both_scripts_is_one_article(tmp_path: Path) -> None:
    simplified = ("晋城经开区光机电产业集群加快发展\n\n2022-01-02 来源:山西日报\n\n"
                  "晋城经济技术开发区紧扣加快光机电产业集群发展的任务目标，紧紧围绕先进半导体、碳基新材料、超高速机器视觉等项目，"
                  "在招商引资、项目建设、要素提升和改革创新等四个方面持续发力，奋勇争先。\n\n园区今年新签约项目二十个，总投资一百二十亿元。\n")
    traditional = ("首頁 > 新聞\n\n晉城經開區光機電產業集群加快發展\n\n"
                   "晉城經濟技術開發區緊扣加快光機電產業集群發展的任務目標，緊緊圍繞先進半導體、碳基新材料、超高速機器視覺等項目，"
                   "在招商引資、項目建設、要素提升和改革創新等四個方面持續發力，奮勇爭先。\n\n"
                   "園區今年新簽約項目二十個，總投資一百二十億元。（記者 王強）\n\n相關新聞\n\n版權聲明：轉載請註明出處。\n")
    root = write_site(tmp_path, seeds={"a.txt": simplified, "b.txt": traditional.encode("big5"),
                                       "c.txt": simplified.replace("\n\n园区", "\n\n  园区").replace("，", ",") + "\n编辑：李四\n"})
    report, articles = import_all(root)
    assert [o.status for o in report.outcomes] == ["written", "duplicate", "duplicate"]
    assert "same story as a.txt" in report.outcomes[1].reason
    assert list(articles) == ["a.txt"]


def test_different_stories_are_not_duplicates(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE,
                                       "b.txt": TEXT_PAGE.replace(BODY, "晋城经济技术开发区加快光机电产业集群发展，新建厂房二十万平方米。")})
    report, articles = import_all(root)
    assert report.count("written") == 2


def test_reimport_is_byte_identical_and_hand_edits_are_kept(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE, "b.txt": TEXT_PAGE.replace(BODY, OTHER_STORIES[0])})
    import_all(root)
    files = {p.name: p.read_bytes() for p in (root / "content").iterdir()}
    report, _ = import_all(root)
    assert report.count("unchanged") == 2
    assert {p.name: p.read_bytes() for p in (root / "content").iterdir()} == files
    edited = root / "content" / report.outcomes[0].content
    edited.write_text(edited.read_text(encoding="utf-8").replace("园区将", "开发区将"), encoding="utf-8")
    (root / "seeds" / "a.txt").write_text(TEXT_PAGE + "\n新增一段。\n", encoding="utf-8")
    report, _ = import_all(root)
    assert report.outcomes[0].status == "kept" and "edited by hand" in report.outcomes[0].reason
    assert "开发区将" in edited.read_text(encoding="utf-8")


def test_a_newer_importer_reconverts_untouched_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE, "b.txt": TEXT_PAGE.replace(BODY, OTHER_STORIES[0])})
    report, _ = import_all(root)
    a_file, b_file = (root / "content" / o.content for o in report.outcomes)
    b_file.write_text(b_file.read_text(encoding="utf-8") + "\n编者按：手工补充。\n", encoding="utf-8")
    state = json.loads((root / "content" / STATE_FILE).read_text(encoding="utf-8"))
    assert state["importer_version"] == IMPORTER_VERSION
    # The improved importer writes a different summary; the untouched file follows, the edited one is kept.
    monkeypatch.setattr(importer_module, "IMPORTER_VERSION", IMPORTER_VERSION + 1)
    monkeypatch.setattr(importer_module, "_summary", lambda blocks: "新的摘要")
    report, articles = import_all(root)
    assert [o.status for o in report.outcomes] == ["written", "kept"]
    assert articles["a.txt"].summary == "新的摘要" and "手工补充" in b_file.read_text(encoding="utf-8")
    # Same version again: nothing is converted (the shortcut), nothing changes.
    monkeypatch.setattr(importer_module, "_summary", lambda blocks: "不会被调用")
    report, articles = import_all(root)
    assert [o.status for o in report.outcomes] == ["unchanged", "kept"] and articles["a.txt"].summary == "新的摘要"


def test_legacy_state_without_version_is_upgraded(tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE})
    report, _ = import_all(root)
    name = report.outcomes[0].content
    text = (root / "content" / name).read_text(encoding="utf-8")
    import hashlib
    (root / "content" / STATE_FILE).write_text(json.dumps({name: hashlib.sha256(text.encode()).hexdigest()}), encoding="utf-8")
    report, _ = import_all(root)
    assert report.outcomes[0].status == "unchanged"
    assert json.loads((root / "content" / STATE_FILE).read_text(encoding="utf-8"))["importer_version"] == IMPORTER_VERSION


def test_strict_fails_on_any_skip_and_the_summary_counts_both(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path, seeds={"a.txt": TEXT_PAGE, "b.txt": TEXT_PAGE, "c.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20})
    result = run_cli(["import"], root)
    assert result.code == 0 and "skipped: 2" in result.out
    assert "duplicate b.txt: same story as a.txt" in result.out and "c.txt" in result.out
    assert run_cli(["import", "--strict"], root).code == 1


def test_slugs_are_ascii_pinyin_stable_and_unique(tmp_path: Path) -> None:
    # Four stories under one headline, two of them on the same day: the slug takes the date, then a hash.
    seeds = {f"{i}.txt": TEXT_PAGE.replace(BODY, story).replace("2023-05-06", f"2023-05-0{min(i, 2) + 1}")
             for i, story in enumerate(OTHER_STORIES)}
    root = write_site(tmp_path, seeds=seeds)
    report, articles = import_all(root)
    slugs = [a.slug for a in articles.values()]
    assert len(set(slugs)) == 4
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and s.startswith("lingshi-jingkaiqu-") and "qianyue" in s for s in slugs), slugs
    root2 = write_site(tmp_path / "again", seeds=seeds)
    assert sorted(a.slug for a in import_all(root2)[1].values()) == sorted(slugs)


def test_accuracy_bench_runs_over_the_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy
    import sys

    labels = FIXTURES / "labelled" / "labels.yml"
    monkey_argv = sys.argv
    sys.argv = ["import_accuracy.py", str(labels)]
    try:
        with pytest.raises(SystemExit) as exit_info:
            runpy.run_path(str(Path(__file__).parent.parent / "bench" / "import_accuracy.py"), run_name="__main__")
    finally:
        sys.argv = monkey_argv
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "over 23 labelled seeds" in out
    for field in ("title", "date", "source", "authors", "editors"):
        assert re.search(rf"^  {field} +23/23", out, re.M), out  # a regression on the labelled set shows here
