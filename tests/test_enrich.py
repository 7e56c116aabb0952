"""The enrich stage: zones, regions, candidates, tags and categories an archive reader can trust.

Each matching rule of issue 4 has a test here, with its negatives; the labelled fixture set
(tests/fixtures/labelled, also scored by bench/enrich_accuracy.py) is checked article by article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from site_gen.diagnostics import SiteGenError
from site_gen.enrich import Enricher
from site_gen.enrich.gazetteer import Gazetteer, load_gazetteer, load_zones
from site_gen.enrich.segment import segment
from site_gen.enrich.tags import MAX_TAGS, read_word_list

LABELLED = Path(__file__).parent / "fixtures" / "labelled"
DATA = Path(__file__).resolve().parent.parent / "site_gen" / "data"


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def zones_in(enricher: Enricher, body: str, title: str = "标题") -> tuple[str, ...]:
    return enricher.enrich(title, body).zones


# --- the labelled set ---------------------------------------------------------------------------

LABELLED_FILES = sorted(LABELLED.glob("*.yml"))


def test_labelled_set_is_big_enough_and_has_negatives() -> None:
    items = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in LABELLED_FILES]
    assert len(items) >= 30
    assert sum(1 for item in items if not item["zones"]) >= 8


@pytest.mark.parametrize("path", LABELLED_FILES, ids=lambda p: p.stem)
def test_labelled_article(enricher: Enricher, path: Path) -> None:
    item = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = enricher.enrich(item["title"], item["body"])
    assert set(result.zones) == set(item["zones"])
    assert set(result.regions) == set(item["regions"])
    assert set(item.get("candidates") or ()) <= set(result.zone_candidates)


# --- zones: forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "灵石经济技术开发区举行发布会",  # full name
    "灵石经开区举行发布会",  # short form from the file
    "灵石县开发区举行发布会",  # generated: county + zone word
    "靈石經濟技術開發區舉行發布會",  # Traditional
    "靈石經(jīng)濟技術開(kāi)發(fā)區舉行發布會",  # Traditional with inserted pinyin
    "灵石经(jīng)济技术开发区举行发布会",  # Simplified with inserted pinyin
    "山西灵石经开区举行发布会",  # province prefix
])
def test_zone_forms_resolve_to_the_canonical_name(enricher: Enricher, text: str) -> None:
    assert zones_in(enricher, text) == ("灵石经济技术开发区",)


def test_park_and_former_name_resolve_to_their_zone(enricher: Enricher) -> None:
    assert zones_in(enricher, "潇河产业园区新开工项目5个") == ("晋中经济技术开发区",)
    assert zones_in(enricher, "阳泉经济技术开发区数字经济产业园投用") == ("阳泉高新技术产业开发区",)


def test_longest_match_wins_and_overlaps_count_once(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("山西转型综合改革示范区晋中开发区召开会议")
    assert match.zones == ("晋中经济技术开发区",)
    assert match.counts == (("晋中经济技术开发区", 1),)


def test_generated_short_form_shared_by_two_zones_is_not_guessed(enricher: Enricher) -> None:
    # 长治 has an 经开区 and a 高新区: "长治开发区" could be either.
    assert zones_in(enricher, "长治开发区今年引进项目10个") == ()
    assert "长治开发区" not in load_gazetteer().forms


def test_a_shorter_form_is_tried_when_the_longer_is_the_tail_of_a_word(enricher: Enricher) -> None:
    # 省综改区 is an alias, but in 全省综改区 the segmenter sees 全省/综改区.
    assert zones_in(enricher, "全省综改区建设推进会召开") == ("山西转型综合改革示范区",)


# --- zones: relative and generic references -------------------------------------------------------

def test_county_relative_reference_resolves_through_the_article_county(enricher: Enricher) -> None:
    text = "襄垣县召开会议。会议要求，县经济技术开发区要抓好项目建设，县经开区管委会作表态发言。"
    result = enricher.enrich("襄垣县召开会议", text)
    assert result.zones == ("襄垣经济技术开发区",)


def test_city_relative_reference_resolves_through_the_article_city(enricher: Enricher) -> None:
    assert zones_in(enricher, "晋城市召开会议，要求市经开区在光机电产业上实现突破。") == ("晋城经济技术开发区",)


def test_relative_reference_to_a_county_without_a_known_zone_is_a_candidate(enricher: Enricher) -> None:
    result = enricher.enrich("应县：项目建设提速", "应县坚持项目为王，县经济技术开发区新入驻企业12家。")
    assert result.zones == ()
    assert "应县经济技术开发区" in result.zone_candidates


def test_relative_reference_is_not_the_tail_of_an_unknown_name(enricher: Enricher) -> None:
    # 兴仁县 (Guizhou) is not in the county table: its zone is a candidate, not 襄垣's zone.
    result = enricher.enrich("襄垣县考察", "襄垣县考察团赴贵州兴仁县经济技术开发区学习。襄垣县表示将借鉴经验。")
    assert result.zones == ()


def test_plural_relative_is_not_one_zone(enricher: Enricher) -> None:
    assert zones_in(enricher, "晋城市要求，各县开发区和全市开发区聚焦主导产业。晋城市将加强考核。") == ()


def test_bare_generic_words_count_toward_the_one_named_zone(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("榆社经济技术开发区加快建设。开发区坚持项目为王，开发区企业达到88户。")
    assert match.counts == (("榆社经济技术开发区", 3),)


def test_bare_generic_words_never_create_a_zone(enricher: Enricher) -> None:
    assert zones_in(enricher, "全省93个开发区持续用好“三个一批”活动。开发区、经开区、高新区、示范区协同发展。") == ()


def test_bare_generic_words_are_ambiguous_with_two_zones(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("长治高新区与长治经开区合作。开发区将错位发展。")
    assert dict(match.counts) == {"长治高新技术产业开发区": 1, "长治经济技术开发区": 1}


# --- zones: no false zones --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "考察团赴江苏苏州工业园区学习",
    "走进肇庆高要预制菜产业园，生产线满负荷运转",
    "广东新兴县经济开发区签约不锈钢项目",  # ends in 兴县经济开发区, a generated form of 兴县's zone
    "陕西杨凌农业高新技术产业示范区与河南洛阳高新区",
    "李建国调任青云经济开发区管委会主任。他站在开发区大门口。",  # a novel
    "发展现代县域经济，立足古县城保护",
])
def test_zones_of_elsewhere_fiction_and_traps_are_not_shanxi_zones(enricher: Enricher, text: str) -> None:
    assert zones_in(enricher, text) == ()


# --- candidates ---------------------------------------------------------------------------------

def test_candidates_are_names_not_phrases(enricher: Enricher) -> None:
    text = ("要推动开发区改革，加快打造开发区建设升级版，榆社县紧紧围绕开发区这个主阵地。"
            "考察团赴苏州工业园区学习，并参观晋中数字文化产业园。")
    candidates = enricher.enrich("标题", text).zone_candidates
    assert "苏州工业园区" in candidates
    assert "晋中数字文化产业园" in candidates
    assert not any(c.startswith(("推动", "加快", "打造", "榆社县紧紧")) for c in candidates)
    assert all(len(c) <= 16 for c in candidates)


def test_known_zones_and_their_parks_are_not_candidates(enricher: Enricher) -> None:
    result = enricher.enrich("标题", "灵石经济技术开发区南关产业园，阳泉经开区数字经济产业园。")
    assert result.zone_candidates == ()


def test_import_report_lists_candidates(tmp_path: Path) -> None:
    from site_gen.importer import import_seeds

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "晋城经开区考察团赴苏州学习\n2024-10-05 10:28:42    来源:晋城日报\n"
        "日前，晋城经开区考察团赴江苏苏州工业园区学习考察，重点了解半导体产业招商引资经验。\n"
        "考察团表示，将持续优化晋城经济技术开发区营商环境，推动开发区高质量发展。\n", encoding="utf-8")
    report = import_seeds(seeds, tmp_path / "content")
    names = dict(report.zone_candidates)
    assert any("苏州工业园区" in name for name in names)
    assert not any("推动" in name for name in names)


# --- regions ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "regions"), [
    ("发展现代县域经济", ()),  # 现代县域 is not 代县
    ("立足古县城保护与利用", ()),  # 古县城: 古/县城
    ("代县县委召开全会", ("忻州市", "代县")),
    ("兴县人民政府发布通知", ("吕梁市", "兴县")),
    ("广东新兴县委召开会议", ()),
    ("党建引领保障长治久安", ()),
    ("两地工艺大同小异", ()),
    ("老城区有一家小店", ()),  # 小店 is a word; 小店区 needs its full name
    ("平定叛乱之后百姓休养生息", ()),
    ("太原市今年对城区32条道路提质", ("太原市",)),  # bare 城区 is no region
    ("阳泉市城区开展老旧小区改造", ("阳泉市", "阳泉市城区")),
    ("太谷县召开农谷建设会议", ("晋中市", "太谷区")),  # former name
    ("游客走进平遥古城", ("晋中市", "平遥县")),
])
def test_region_rules(enricher: Enricher, text: str, regions: tuple[str, ...]) -> None:
    assert enricher.enrich("标题", text).regions == regions


def test_a_zone_implies_its_city_and_county(enricher: Enricher) -> None:
    result = enricher.enrich("标题", "潇河产业园区新开工项目5个")
    assert result.regions == ("晋中市", "榆次区")


def test_regions_list_cities_first(enricher: Enricher) -> None:
    result = enricher.enrich("灵石县召开会议", "灵石县与晋中市有关部门共同研究。")
    assert result.regions == ("晋中市", "灵石县")


def test_region_check_agrees_with_and_without_shared_segmentation(enricher: Enricher) -> None:
    text = "现代县域经济与代县县委、长治久安、平遥古城、祁县经济开发区"
    assert enricher.regions.match(text).names == enricher.regions.match(text, segment(text)).names


# --- tags ---------------------------------------------------------------------------------------

SEED_LIKE = (
    "灵石经济技术开发区：筑强产业根基 激活新质生产力",
    "11月11日，灵石县人民政府新闻办公室举行新闻发布会，介绍灵石经济技术开发区高质量发展情况。开发区聚焦煤焦化、"
    "冶金、装备制造产业集群培育，推动各项工作落地见效。开发区创新推行“管委会+公司”运营模式，深化“放管服”改革，"
    "全面推行“承诺制+标准地+全代办”，加快培育新质生产力，持续开展“三个一批”活动。光伏、氢能项目相继投产。",
)


def test_tags_lead_with_zone_short_name_and_place_then_domain_terms(enricher: Enricher) -> None:
    tags = enricher.enrich(*SEED_LIKE).tags
    assert tags[:2] == ("灵石经开区", "灵石县")
    assert "新质生产力" in tags
    assert len({"承诺制", "标准地", "全代办", "放管服", "三个一批"} & set(tags)) >= 3
    assert len(tags) <= MAX_TAGS


def test_tags_have_no_generic_words_verbs_or_fragments(enricher: Enricher) -> None:
    tags = enricher.enrich(*SEED_LIKE).tags
    banned = {"开发区", "产业", "服务", "山西省", "推动", "加快", "发展", "新质", "一批", "高质量", "灵石经济技术开发区"}
    assert not banned & set(tags)
    stop = read_word_list(DATA / "stopwords.txt")
    assert not stop & set(tags)
    assert all(len(tag) >= 2 for tag in tags)


def test_tags_are_deterministic(enricher: Enricher) -> None:
    first = enricher.enrich(*SEED_LIKE).tags
    assert all(Enricher().enrich(*SEED_LIKE).tags == first for _ in range(3))


# --- categories ---------------------------------------------------------------------------------

def test_every_article_gets_a_category_from_the_vocabulary(enricher: Enricher) -> None:
    vocabulary = set(yaml.safe_load((DATA / "categories.yml").read_text(encoding="utf-8"))["categories"])
    for path in LABELLED_FILES:
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        categories = enricher.enrich(item["title"], item["body"]).categories
        assert 1 <= len(categories) <= 2
        assert set(categories) <= vocabulary


def test_categories_follow_the_rules(enricher: Enricher) -> None:
    assert enricher.enrich("史话", "唐代的故事。").categories == ("产业发展",)  # the default
    assert enricher.enrich("光伏项目并网发电", "新建光伏电站一座。").categories[0] == "能源转型"
    assert "项目建设" in enricher.enrich("重点项目集中开工", "三个一批活动中，20个重点项目开工，总投资50亿元，5个项目投产。").categories


# --- data files and site overrides ----------------------------------------------------------------

def test_package_gazetteer_is_consistent() -> None:
    zones = load_zones(DATA / "zones.yml")
    assert len(zones) >= 67
    counties = yaml.safe_load((DATA / "counties.yml").read_text(encoding="utf-8"))
    places = {c["name"] for c in counties["cities"]} | {
        (c["name"] if c["name"] not in ("城区", "矿区", "郊区") else city["name"] + c["name"])
        for city in counties["cities"] for c in city["counties"]}
    for zone in zones:
        assert zone.city in places, zone.name
        assert zone.county is None or zone.county in places, zone.name
        assert zone.slug and zone.source, zone.name


def _write_zones(path: Path, entries: list[dict]) -> None:
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")


def test_site_extends_the_gazetteer_with_zones_extra(tmp_path: Path) -> None:
    _write_zones(tmp_path / "zones-extra.yml", [{
        "name": "应县经济技术开发区", "slug": "yingxian-jingkaiqu", "aliases": ["应县经开区"],
        "city": "朔州市", "county": "应县", "level": "省级", "kind": "经济技术开发区", "source": "test"}])
    enricher = Enricher(tmp_path)
    result = enricher.enrich("应县：项目建设提速", "应县坚持项目为王，县经济技术开发区新入驻企业12家。应县经开区表示。")
    assert result.zones == ("应县经济技术开发区",)
    assert "灵石经济技术开发区" in enricher.gazetteer.zones  # the package's zones are still there


def test_site_zones_file_replaces_the_gazetteer(tmp_path: Path) -> None:
    _write_zones(tmp_path / "zones.yml", [{"name": "测试经济技术开发区", "slug": "test", "city": "太原市", "kind": "经济技术开发区"}])
    enricher = Enricher(tmp_path)
    assert list(enricher.gazetteer.zones) == ["测试经济技术开发区"]
    assert enricher.enrich("标题", "灵石经济技术开发区").zones == ()


def test_gazetteer_errors_name_the_file_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "zones.yml"
    _write_zones(path, [
        {"name": "甲经济技术开发区", "city": "太原市", "aliases": ["甲区"]},
        {"name": "乙经济技术开发区", "city": "太原市", "aliases": ["甲区", "开发区"]},
        {"name": "没有城市"},
    ])
    with pytest.raises(SiteGenError) as error:
        load_zones(path)
    messages = [d.format() for d in error.value.diagnostics]
    assert len(messages) == 3
    assert all(m.startswith(str(path)) for m in messages)
    assert any("`甲区` also names 甲经济技术开发区" in m for m in messages)
    assert any("`开发区` is a generic word" in m for m in messages)
    assert any("needs at least `name` and `city`" in m for m in messages)
