"""What a reader finds on each kind of page of the default theme, asserted on a small inline fixture site
(tests/site_fixture.py) built under a subpath with two articles per page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from site_fixture import BASE_URL, LINGSHI, build_fixture_site


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("fixture"))


def read(public: Path, url: str) -> str:
    path = public / url / "index.html" if not url.endswith((".html", ".xml", ".txt")) else public / url
    return path.read_text(encoding="utf-8")


def tree(public: Path, url: str):
    return lxml_html.fromstring(read(public, url))


def texts(doc, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def test_every_url_is_ascii_and_lowercase(public: Path) -> None:
    for path in public.rglob("*"):
        relative = path.relative_to(public).as_posix()
        assert relative.isascii() and re.fullmatch(r"[a-z0-9./_-]+", relative), relative


def test_article_page_meta_and_provenance(public: Path) -> None:
    doc = tree(public, "articles/lingshi-chanye/")
    assert texts(doc, "//h1") == ["灵石经开区筑强产业根基"]
    meta = " ".join(texts(doc, "//header[@class='article-header']//p"))
    assert "2024年10月5日 10:28" in meta and "来源：晋中日报" in meta
    assert "记者：王文安" in meta and "编辑：张能改" in meta
    assert doc.xpath("//header//time/@datetime") == ["2024-10-05T10:28:42+08:00"]
    # terms link to their pages, under the subpath
    assert doc.xpath(f"//dd//a[text()='{LINGSHI}']/@href") == ["/repo/zones/lingshi-jingkaiqu/"]
    assert doc.xpath("//dd//a[text()='灵石县']/@href") == ["/repo/regions/lingshixian/"]
    assert doc.xpath("//a[@class='original']/@href") == ["https://news.example.com/2024/10/05/1.html"]
    assert "seeds/lingshi-chanye.txt" in " ".join(texts(doc, "//dd[@class='provenance']"))
    # the body keeps its subheading; newer/older neighbours and related articles (shared zones first)
    assert texts(doc, "//div[@class='body']/h2") == ["下一步"]
    assert doc.xpath("//a[@rel='prev']/@href") == ["/repo/articles/jiaoben-ceshi/"]
    assert doc.xpath("//a[@rel='next']/@href") == ["/repo/articles/jiuyue-er/"]
    related = doc.xpath("//section[@class='related']//h3/a/@href")
    assert related[:1] == ["/repo/articles/lingshi-fabuhui/"] and "/repo/articles/lingshi-chanye/" not in related
    # breadcrumbs follow the date archive
    assert texts(doc, "//nav[@class='breadcrumbs']//li")[:4] == ["首页", "归档", "2024年", "10月"]


def test_article_head_meta(public: Path) -> None:
    doc = tree(public, "articles/lingshi-chanye/")
    assert doc.xpath("//link[@rel='canonical']/@href") == [BASE_URL + "articles/lingshi-chanye/"]
    assert doc.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert doc.xpath("//meta[@property='og:url']/@content") == [BASE_URL + "articles/lingshi-chanye/"]
    assert doc.xpath("//meta[@name='description']/@content") == ["灵石经开区介绍“十四五”以来的发展成效。"]
    blocks = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
    article = next(b for b in blocks if b["@type"] == "NewsArticle")
    assert article["headline"] == "灵石经开区筑强产业根基"
    assert article["datePublished"] == "2024-10-05T10:28:42+08:00"
    assert article["author"] == [{"@type": "Person", "name": "王文安"}]
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")
    assert [i["item"] for i in crumbs["itemListElement"]][:2] == [BASE_URL, BASE_URL + "archive/"]


def test_json_ld_cannot_close_its_script_element() -> None:
    from site_gen.render import _json_ld

    text = str(_json_ld({"headline": "a</script><script>alert(1)</script> & b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": "a</script><script>alert(1)</script> & b"}


def test_markup_in_content_never_reaches_pages_raw(public: Path) -> None:
    page = read(public, "articles/jiaoben-ceshi/")
    assert "<script>alert" not in page
    doc = lxml_html.fromstring(page)
    assert texts(doc, "//h1")[0].endswith("粗体 & “引号”")
    for block in doc.xpath("//script[@type='application/ld+json']/text()"):
        assert "<" not in block and json.loads(block)
    assert "<script>" not in read(public, "feed.xml")
    assert "<script>alert" not in read(public, "zones/lingshi-jingkaiqu/")


def test_inferred_and_unknown_dates_are_said(public: Path) -> None:
    inferred = tree(public, "articles/lingshi-fabuhui/")
    assert texts(inferred, "//span[@class='date-note']") == ["日期中的年份据正文推断"]
    undated = tree(public, "articles/zonggai-wuriqi/")
    assert texts(undated, "//span[@class='date-note']") == ["发布日期不详"]
    assert not undated.xpath("//header//time")
    assert "标题取自正文" in undated.text_content()
    assert "原文为繁体中文" in undated.text_content()
    assert texts(undated, "//nav[@class='breadcrumbs']//li")[:3] == ["首页", "归档", "日期不详"]
    listed = tree(public, "archive/undated/")
    assert listed.xpath("//ul[@class='article-list']//a/@href") == ["/repo/articles/zonggai-wuriqi/"]


def test_zone_topic_page(public: Path) -> None:
    doc = tree(public, "zones/lingshi-jingkaiqu/")
    assert texts(doc, "//h1") == [LINGSHI]
    assert texts(doc, "//p[@class='badges']/span") == ["省级", "经济技术开发区"]
    facts = dict(zip(texts(doc, "//header//dl[@class='facts']/dt"), texts(doc, "//header//dl[@class='facts']/dd")))
    assert facts["所在地"] == "晋中市 · 灵石县"
    assert "两渡产业园" in facts["园区"] and "灵石经开区" in facts["又称"]
    assert "3 篇报道，2024–2025 年" in " ".join(texts(doc, "//p[@class='stat']"))
    # the year chart is inline SVG with an accessible name and a text summary
    assert doc.xpath("//figure[@class='chart']/svg/title/text()") == [f"{LINGSHI}各年份报道数量"]
    assert doc.xpath("//figure[@class='chart']/svg/desc/text()") == ["2024年2篇，2025年1篇"]
    assert len(doc.xpath("//figure[@class='chart']/svg/rect")) == 2
    # newest first, two per page, each with the sentence that mentions the zone
    assert doc.xpath("//ul[@class='article-list']//h3/a/@href") == [
        "/repo/articles/lingshi-fabuhui/", "/repo/articles/jiaoben-ceshi/"]
    assert texts(doc, "//p[@class='mention']") == ["11月11日，灵石经济技术开发区举行新闻发布会。", "正文alert(1)提到灵石经开区。"]
    assert doc.xpath("//nav[@class='pager']//a[@rel='next']/@href") == ["/repo/zones/lingshi-jingkaiqu/page/2/"]
    page2 = tree(public, "zones/lingshi-jingkaiqu/page/2/")
    assert texts(page2, "//p[@class='mention']") == ["会上介绍，灵石经开区已形成“一区四园”布局，两渡产业园新增企业12家。"]
    # co-mentioned zones, own feed, scoped search
    assert doc.xpath("//aside//a/@href") == ["/repo/zones/yushe-jingkaiqu/", "/repo/tags/xin-zhi-shengchanli/",
                                             "/repo/tags/yuanqu/"]
    assert doc.xpath("//link[@type='application/atom+xml']/@href")[-1] == "/repo/zones/lingshi-jingkaiqu/feed.xml"
    form = doc.xpath("//form[@role='search']")[0]
    assert form.get("action") == "/repo/search/"
    assert form.xpath(".//input[@name='zone']/@value") == [LINGSHI]
    feed = read(public, "zones/lingshi-jingkaiqu/feed.xml")
    assert feed.count("<entry>") == 3 and "<updated>2025-11-11T00:00:00+08:00</updated>" in feed


def test_zones_index_groups_by_city(public: Path) -> None:
    doc = tree(public, "zones/")
    assert texts(doc, "//section[@class='city-group']/h2") == ["晋中市 2 个开发区 · 7 篇", "太原市 1 个开发区 · 1 篇"]
    assert doc.xpath("//section[@class='city-group'][1]//ul[@class='zone-list']//a/@href") == [
        "/repo/zones/yushe-jingkaiqu/", "/repo/zones/lingshi-jingkaiqu/"]


def test_city_and_county_pages(public: Path) -> None:
    city = tree(public, "regions/jinzhongshi/")
    assert texts(city, "//h1") == ["晋中市"] and texts(city, "//p[@class='kicker']") == ["地市"]
    assert city.xpath("//section[h2='下辖区县']//a/@href") == ["/repo/regions/yushexian/", "/repo/regions/lingshixian/"]
    assert set(city.xpath("//section[h2='本地开发区']//a/@href")) == {
        "/repo/zones/lingshi-jingkaiqu/", "/repo/zones/yushe-jingkaiqu/"}
    county = tree(public, "regions/lingshixian/")
    assert texts(county, "//nav[@class='breadcrumbs']//li") == ["首页", "地区", "晋中市", "灵石县"]
    assert county.xpath("//p[@class='stat']/a/@href") == ["/repo/regions/jinzhongshi/"]
    index = tree(public, "regions/")
    assert texts(index, "//h2[@class='city']/a") == ["晋中市", "太原市"]


def test_date_archive_years_and_months(public: Path) -> None:
    doc = tree(public, "archive/")
    assert texts(doc, "//section[@class='archive-year']/h2/a") == ["2025年", "2024年", "2022年", "日期不详"]
    assert doc.xpath("//section[h2/a='2024年']//ul[@class='chips']//a/@href") == [
        "/repo/archive/2024/09/", "/repo/archive/2024/10/"]
    october = tree(public, "archive/2024/10/")
    assert texts(october, "//h1") == ["2024年10月"]
    assert october.xpath("//ul[@class='article-list']//a/@href") == [
        "/repo/articles/jiaoben-ceshi/", "/repo/articles/lingshi-chanye/"]
    year = tree(public, "archive/2024/")
    assert year.xpath("//nav[@class='pager']//a[@rel='next']/@href") == ["/repo/archive/2024/page/2/"]
    assert texts(tree(public, "archive/2024/page/2/"), "//nav[@class='breadcrumbs']//li") == [
        "首页", "归档", "2024年", "第 2 页"]


def test_home_is_paginated_with_stable_urls_and_entry_points(public: Path) -> None:
    home = tree(public, "")
    assert home.xpath("//ul[@class='article-list']//h3/a/@href") == [
        "/repo/articles/lingshi-fabuhui/", "/repo/articles/jiaoben-ceshi/"]
    assert home.xpath("//nav[@class='pager']//a[@rel='next']/@href") == ["/repo/page/2/"]
    last = tree(public, "page/4/")
    assert last.xpath("//ul[@class='article-list']//h3/a/@href") == ["/repo/articles/zonggai-wuriqi/"]
    assert not last.xpath("//a[@rel='next']")
    assert last.xpath("//link[@rel='canonical']/@href") == [BASE_URL + "page/4/"]
    aside = home.xpath("//aside")[0]
    assert aside.xpath(".//section[h2='报道最多的开发区']//a/@href")[0] == "/repo/zones/yushe-jingkaiqu/"
    assert "/repo/regions/jinzhongshi/" in aside.xpath(".//a/@href")
    assert "/repo/archive/2025/" in aside.xpath(".//a/@href")


def test_term_indexes_and_pages(public: Path) -> None:
    tags = tree(public, "tags/")
    assert texts(tags, "//ul[@class='chips']//a") == ["园区，2 篇", "新质生产力，2 篇"]
    source = tree(public, "sources/jinzhong-ribao/")
    assert texts(source, "//h1") == ["晋中日报"] and "3 篇报道" in " ".join(texts(source, "//p[@class='stat']"))


def test_sitemap_feed_robots_and_404(public: Path) -> None:
    sitemap = read(public, "sitemap.xml")
    assert f"<loc>{BASE_URL}</loc>" in sitemap
    assert f"<loc>{BASE_URL}articles/lingshi-chanye/</loc><lastmod>2024-10-05</lastmod>" in sitemap
    assert f"<loc>{BASE_URL}archive/2024/10/</loc>" in sitemap
    assert "404" not in sitemap and "feed.xml" not in sitemap
    assert read(public, "robots.txt").strip().endswith(f"Sitemap: {BASE_URL}sitemap.xml")
    not_found = tree(public, "404.html")
    hrefs = not_found.xpath("//a/@href") + not_found.xpath("//link/@href")
    assert all(h.startswith(("/repo/", "https://", "#")) for h in hrefs), hrefs  # absolute paths: works at any depth
