"""Search: the index documents, the query preparation, and the search page in a real browser.

The browser suite builds an inline archive of a few dozen articles under /repo/ and checks, query by
query, that the search page lists exactly the articles a substring scan of their text finds —
Simplified and Traditional queries, 2-character words, names, several words, filters and sorting.
"""

from __future__ import annotations

import json
import random
import re
from urllib.parse import quote

import pytest
import yaml

from site_gen.search import UNDATED_SORT_KEY, IndexDocument, plain_paragraphs, render_document, shards
from site_gen.search_text import HAN, code_tokens, fold, han_code, query_json, t2s_map, tokenize

from conftest import SubpathServer, write_site

# ---- index text -------------------------------------------------------------------------------


def test_fold_maps_traditional_to_simplified_one_for_one() -> None:
    assert fold("太忻一體化經濟區") == "太忻一体化经济区"
    assert fold("靈石開發區") == "灵石开发区"
    # Characters of the Simplified set stay themselves, even where OpenCC would change a lone one.
    assert fold("乾隆年间於是") == "乾隆年间於是"
    assert all(len(t) == len(s) == 1 for t, s in t2s_map().items())


def test_tokenize_gives_one_word_per_han_character() -> None:
    assert tokenize("灵石開發區，2024年GDP增长") == "灵 石 开 发 区 ，2024 年 GDP 增 长"
    assert tokenize("灵石开发区", gram=3) == "灵石开 石开发 开发区 发区 区"


def test_code_tokens_pair_each_han_character_with_the_next() -> None:
    lin, shi, kai, fa, qu = (han_code(c) for c in "灵石开发区")
    assert code_tokens("灵石開發區，5G基站") == (
        f"{lin}{shi} {shi}{kai} {kai}{fa} {fa}{qu} {qu} ， z5G {han_code('基')}{han_code('站')} {han_code('站')}")
    # Codes are three base-36 digits, distinct per character, never starting with the Latin mark "z".
    codes = {han_code(chr(c)) for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00)]}
    assert len(codes) == 0x4DC0 - 0x3400 + 0xA000 - 0x4E00 + 0xFB00 - 0xF900
    assert all(len(c) == 3 and c[0] != "z" for c in codes)
    assert code_tokens("GDP增长2024年") == f"zGDP {han_code('增')}{han_code('长')} {han_code('长')} z2024 {han_code('年')}"


def _code_tokens_by_runs(text: str) -> str:
    """code_tokens as its docstring says it, one run at a time: the reference the fast version must equal."""
    def words(match: re.Match[str]) -> str:
        han, other = match.groups()
        if other is not None:
            return f" z{other} "
        codes = [han_code(c) for c in han]
        return " " + " ".join([a + b for a, b in zip(codes, codes[1:])] + [codes[-1]]) + " "
    return " ".join(re.sub(f"([{HAN}]+)|([^\\W_{HAN}]+)", words, fold(text)).split())


def test_code_tokens_equal_the_run_by_run_reference() -> None:
    rng = random.Random(7)
    alphabet = ("灵石開發區开发区乾於僤俓，。、 \n\t\u3000abcZ059_-·《》\x01\ud7ff\U00020000\u00e9\uf900\u4dbf\u3400\u9fff"
                + "".join(chr(rng.randrange(0x3400, 0xFB00)) for _ in range(60)))
    texts = ["", " ", "灵", "灵石", "，灵", "a灵b", "灵 石", "僤俓", "\U0002a6a5灵"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))) for _ in range(3000)]
    for text in texts:
        assert code_tokens(text) == _code_tokens_by_runs(text), text
    # Folding never leaves the coded blocks: a character whose Simplified form has no code stays itself.
    assert all(re.fullmatch(f"[{HAN}]", s) for s in t2s_map().values())
    assert fold("僤") == "僤"


def test_query_map_is_small_and_consistent() -> None:
    data = yaml.safe_load(query_json())
    assert data["scheme"] == "codes" and len(data["t"]) == len(data["s"]) > 2800
    assert len(query_json().encode()) < 30_000


def test_plain_paragraphs_drop_markdown() -> None:
    body = "## 小标题\n\n**灵石**经开区[新闻](https://x.cn)  \n第二行\n\n![图](a.jpg)\n\n- 项目一"
    assert plain_paragraphs(body) == ("小标题", "灵石经开区新闻 第二行", "项目一")


def test_index_document_carries_fields_and_only_article_text() -> None:
    doc = IndexDocument(path="articles/a/index.html", title="灵石<开发区>", paragraphs=("正文一段。",),
                        date=None, source="晋中日报", filters=(("zone", "灵石经济技术开发区"), ("city", "晋中市")))
    html = render_document(doc)
    assert '<html lang="und">' in html
    assert '<span data-pagefind-meta="title">灵石&lt;开发区&gt;</span>' in html
    assert f'<span data-pagefind-sort="date">{UNDATED_SORT_KEY}</span>' in html
    assert 'data-pagefind-meta="date"' not in html  # no date shown when unknown
    assert '<span data-pagefind-filter="city">晋中市</span>' in html
    assert f"<h1>{code_tokens('灵石')} &lt; {code_tokens('开发区')} &gt;</h1>" in html
    assert f"<p>{code_tokens('正文一段')} 。</p>" in html
    # Fields sit in an ignored block: only the title and body are text.
    assert html.index("data-pagefind-ignore") < html.index("data-pagefind-filter") < html.index("<p>")


# ---- the fixture archive ----------------------------------------------------------------------

ZONES = {"灵石经济技术开发区": "晋中市", "运城经济技术开发区": "运城市", "太忻一体化经济区": "忻州市"}
PHRASES = ["灵石经济技术开发区", "灵石县", "灵石", "运城", "太忻一体化经济区", "王文安", "张永祥", "高新技术",
           "开发区", "营商环境", "一枚印章管审批", "石经", "乾隆", "项目开工", "转型综改", "晋中"]
FILLER = "今年以来全市坚持项目为王持续优化服务推动产业集群发展企业信心明显增强"
SOURCES = ["晋中日报", "山西日报", "运城日报"]
CATEGORIES = ["项目建设", "营商环境", "园区动态"]


def fixture_articles(count: int = 36) -> dict[str, dict]:
    rng = random.Random(6)
    articles = {}
    for i in range(count):
        bits = []
        for _ in range(rng.randint(4, 9)):
            start = rng.randrange(len(FILLER) - 8)
            bits.append(FILLER[start:start + rng.randint(4, 8)])
            bits.append(rng.choice(PHRASES) if rng.random() < 0.6 else "")
        body = "，".join(b for b in bits if b) + "。"
        zones = rng.sample(sorted(ZONES), rng.randint(0, 2))
        front = {"title": f"第{i}号简讯：" + rng.choice(PHRASES) + rng.choice(["建设提速", "新闻", "观察"]),
                 "source": rng.choice(SOURCES), "zones": zones,
                 "regions": sorted({ZONES[z] for z in zones}),
                 "categories": [rng.choice(CATEGORIES)], "lang": "zh-Hans", "seed": f"f/{i}.txt", "slug": f"n{i:02d}"}
        if i % 9 != 4:
            front = {"date": f"{2016 + i % 9}-{1 + i % 12:02d}-{1 + i % 27:02d}", **front}
        articles[f"n{i:02d}"] = {"front": front, "body": body}
    articles["n00"]["body"] += "\n\n记者在靈石看到，開發區里一片繁忙。"  # Traditional left in a body
    # Latin words and numbers whose lower case is a character's code: 蜭 is "gdp", 加 "600". Pagefind also
    # indexes "gdp" cut out of the word "zGDP" and the title's "GDP" as a word of the metadata; a
    # one-character query, a prefix search, would find these articles for 蜭 (and for 加, were "600" cut
    # out of "z600").
    articles["n01"]["body"] += "\n\n全年投资600亿元，GDP增长6%。"
    articles["n03"]["front"]["title"] += "（GDP 600）"
    articles["n05"]["body"] += "\n\n加快建设。"
    return articles


def as_markdown(article: dict) -> str:
    return "---\n" + yaml.safe_dump(article["front"], allow_unicode=True, sort_keys=False) + "---\n\n" + article["body"] + "\n"


def matching(articles: dict[str, dict], query: str) -> set[str]:
    """The substring scan: articles whose folded title or body contains every part of the query."""
    parts = [fold(p) for p in query.split()]
    return {slug for slug, a in articles.items()
            if all(p in fold(a["front"]["title"] + "\n" + a["body"]) for p in parts)}


FIXTURE_SHARD_SIZE = 10  # 36 articles in 4 shards: every browser test goes through the merge
# Index chunks of ~60 bytes: the common characters' words span several chunks, so the browser tests go
# through the companion words of site_gen/search_chunks.py as well as the ordinary lookups.
FIXTURE_CHUNK_BYTES = 60


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory):
    from site_gen.cli import main as cli_main
    import os

    import site_gen.search
    import site_gen.search_chunks
    import site_gen.search_merge

    articles = fixture_articles()
    root = write_site(tmp_path_factory.mktemp("search"),
                      content={f"{slug}.md": as_markdown(a) for slug, a in articles.items()})
    public = root / "public"
    public.mkdir()
    with SubpathServer(public, "/repo/") as server:
        cwd = os.getcwd()
        os.chdir(root)
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(site_gen.search, "SHARD_SIZE", FIXTURE_SHARD_SIZE)
                patch.setattr(site_gen.search_chunks, "CHUNK_BYTES", FIXTURE_CHUNK_BYTES)
                # Every zone and region name the articles hold gets a phrase companion, so the browser tests
                # go through them (灵石经济技术开发区, 太忻一體化經濟區) as well as through pair phrases.
                patch.setattr(site_gen.search_merge, "PHRASE_COMPANION_BYTES", -1)
                assert cli_main(["build", "--no-import", "--base-url", server.base_url]) == 0
        finally:
            os.chdir(cwd)
        yield articles, root, server


def test_only_articles_are_indexed_in_one_merged_bundle(search_site) -> None:
    articles, root, _server = search_site
    bundle = root / "public" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    fragments = list(bundle.glob("**/fragment/*.pf_fragment"))
    assert len(fragments) == len(articles)  # four shards, merged: one bundle, one page per article
    metas = list(bundle.glob("**/*.pf_meta"))
    assert len(metas) == 1
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["und"]["page_count"] == len(articles)
    assert not [p for p in bundle.iterdir() if p.is_dir() and p.name not in ("index", "fragment", "filter")]


def test_zone_and_region_names_get_phrase_companions(search_site) -> None:
    _articles, root, _server = search_site
    settings = json.loads((root / "public" / "search" / "query.json").read_text(encoding="utf-8"))
    assert {"灵石经济技术开发区", "太忻一体化经济区", "灵石县", "开发区"} <= set(settings["phrases"])
    assert "灵石" not in settings["phrases"] and "高新技术" not in settings["phrases"]  # not a zone's or region's name


def test_shards_are_consecutive_stretches_newest_first() -> None:
    docs = [IndexDocument(path=f"a{i}/index.html", title="t", paragraphs=(), date=None, source=None, filters=())
            for i in range(5)]
    assert [[d.path[:2] for d in part] for part in shards(docs, 2)] == [["a0", "a1"], ["a2", "a3"], ["a4"]]
    assert shards([], 2) == [[]]


def open_search(page, server: SubpathServer, params: str) -> None:
    page.goto(server.base_url + "search/" + params)
    page.wait_for_selector("#search[aria-busy=false]")


def all_results(page) -> list[str]:
    """Slugs of every result, in order, clicking 加载更多 until it is gone."""
    while page.locator(".search-more").is_visible():
        before = page.locator(".search-result").count()
        page.click(".search-more")
        page.wait_for_function(f"() => document.querySelectorAll('.search-result').length > {before}")
        page.wait_for_selector("#search[aria-busy=false]")
    hrefs = page.locator(".search-result-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [re.search(r"/articles/([^/]+)/", h).group(1) for h in hrefs]


QUERIES = ["灵石", "灵石经济技术开发区", "灵石县", "运城", "王文安", "高新技术", "开发区", "一枚印章管审批",
           "石经", "乾隆", "晋中", "項目開工", "靈石", "開發區", "太忻一體化經濟區", "营商环境 运城", "火星基地",
           "晋", "灵", "靈", "经济 灵", "开", "业", "發", "加", "蜭", "GDP"]


@pytest.mark.browser
@pytest.mark.parametrize("query", QUERIES)
def test_results_are_exactly_the_articles_containing_the_query(search_site, page, query: str) -> None:
    articles, _root, server = search_site
    open_search(page, server, "?q=" + quote(query))
    expected = matching(articles, query)
    got = all_results(page)
    assert len(got) == len(set(got))
    assert set(got) == expected, f"{query}: missing {expected - set(got)}, extra {set(got) - expected}"
    status = page.locator(".search-status").inner_text()
    assert (f"找到 {len(expected)} 篇" in status) if expected else ("没有找到" in status)
    assert page.js_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("query", ["目为，项目开", "续优，王文安", "集群，转型综"])
def test_a_query_with_punctuation_finds_every_article_that_contains_it(search_site, page, query: str) -> None:
    """The index keeps punctuation as words of their own, so the page searches what punctuation separates
    as parts that must all occur: every article containing the query is found, and only articles
    containing every part."""
    articles, _root, server = search_site
    open_search(page, server, "?q=" + quote(query))
    got = set(all_results(page))
    segments = [s for s in re.split(r"[，、。]", query) if s]
    assert matching(articles, query) <= got
    assert got == {slug for slug, a in articles.items()
                   if all(fold(s) in fold(a["front"]["title"] + "\n" + a["body"]) for s in segments)}
    assert matching(articles, query), "the fixture should contain the query itself"


@pytest.mark.browser
def test_excerpts_and_titles_show_real_text_with_highlights(search_site, page) -> None:
    articles, _root, server = search_site
    open_search(page, server, "?q=" + quote("靈石"))
    excerpts = page.locator(".search-result-excerpt").evaluate_all("ps => ps.map(p => p.innerHTML)")
    assert excerpts and all("<mark>灵石</mark>" in e for e in excerpts), excerpts[:3]
    bodies = [fold(a["body"].replace("\n\n", "") + a["front"]["title"]) for a in articles.values()]
    for excerpt in excerpts:
        plain = re.sub(r"</?mark>", "", excerpt).strip("… .")
        assert " " not in plain
        assert any(plain in body for body in bodies), plain  # a real stretch of an article, no chrome
    titles = page.locator(".search-result-link").evaluate_all("as => as.map(a => a.innerHTML)")
    assert any("<mark>灵石</mark>" in t for t in titles)
    meta = page.locator(".search-result-meta").first.inner_text()
    assert "来源：" in meta
    assert page.js_errors == []


@pytest.mark.browser
def test_zone_link_lists_the_zone_with_filter_counts(search_site, page) -> None:
    articles, _root, server = search_site
    zone = "灵石经济技术开发区"
    open_search(page, server, "?zone=" + quote(zone))
    expected = {s for s, a in articles.items() if zone in a["front"]["zones"]}
    assert set(all_results(page)) == expected
    box = page.locator(f'.search-filter[data-filter="zone"] input[value="{zone}"]')
    assert box.is_checked()
    count = page.locator(f'.search-filter[data-filter="zone"] label:has(input[value="{zone}"]) .search-filter-count')
    assert count.inner_text() == str(len(expected))
    for name in ("city", "category", "source", "year"):
        assert page.locator(f'.search-filter[data-filter="{name}"]').count() == 1
    assert page.js_errors == []


@pytest.mark.browser
def test_query_and_filter_combine_and_reach_the_url(search_site, page) -> None:
    articles, _root, server = search_site
    open_search(page, server, "?q=" + quote("开发区"))
    category = "项目建设"
    page.check(f'.search-filter[data-filter="category"] input[value="{category}"]')
    page.wait_for_function("() => location.search.includes('category=')")
    page.wait_for_selector("#search[aria-busy=false]")
    expected = {s for s in matching(articles, "开发区") if category in articles[s]["front"]["categories"]}
    assert set(all_results(page)) == expected
    assert "q=%E5%BC%80%E5%8F%91%E5%8C%BA" in page.url
    assert page.js_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date(search_site, page, sort: str) -> None:
    articles, _root, server = search_site
    open_search(page, server, f"?q={quote('灵石')}&sort={sort}")
    got = all_results(page)
    assert set(got) == matching(articles, "灵石")
    dates = [articles[s]["front"].get("date", "") for s in got]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=(sort == "newest"))
    if sort == "newest":
        assert dates == dated + [""] * (len(dates) - len(dated))  # undated articles last
    assert page.locator(".search-result time").first.inner_text()[:4].isdigit()
    assert page.js_errors == []


@pytest.mark.browser
def test_typing_a_query_updates_results_and_url(search_site, page) -> None:
    articles, _root, server = search_site
    open_search(page, server, "")
    page.fill("#search-input", "王文安")
    page.wait_for_function("() => location.search.includes('q=')")
    page.wait_for_selector(".search-result-link")
    page.wait_for_selector("#search[aria-busy=false]")
    assert set(all_results(page)) == matching(articles, "王文安")
    assert page.js_errors == []
