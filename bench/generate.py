"""Deterministic archive generator for the benchmarks: N realistic raw seeds + the same N articles as content/.

Input: N and an output folder. Output:
  OUT/seeds/    N raw captures in the mix of seed kinds of DESIGN.md (Jekyll posts, plain-text scrapes with
                site chrome, 网易号 portal scrapes, Traditional mirrors with pinyin annotations and mojibake,
                WordPress scrapes, saved HTML pages), some in GB18030/Big5/UTF-16/UTF-8-with-BOM, CRLF or LF;
  OUT/content/  the same N articles as ready front-matter Markdown (the content contract), so the build
                can be measured without the import;
  OUT/manifest.json  N, seed, counts per kind and encoding.

Article i depends only on (SEED, i): the first 1,000 articles of a 10,000-article archive are the 1,000
articles of the 1,000 archive. Text is composed from the real gazetteer (site_gen/data/zones.yml), the
county table (counties.yml), policy terms and sentence templates: 1,500–4,000 characters, dates over
2015–2025. Only the standard library, PyYAML and OpenCC (already project dependencies) are used; the
generator does not import site_gen, so it measures nothing of ours.

    python bench/generate.py 1000 /tmp/bench/1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

SEED = 20251111
VERSION = 1  # bump when the output changes, so bench/run.py regenerates its cached archives
DATA_DIR = Path(__file__).resolve().parent.parent / "site_gen" / "data"

# kind → weight: a mix like a real capture folder (mostly scrapes, some posts, some saved pages).
KIND_WEIGHTS = {"jekyll": 20, "text": 25, "netease": 15, "traditional": 10, "wordpress": 15, "html": 15}
# Encodings other than plain UTF-8, per kind (share of that kind's files). Big5 only for Traditional.
ENCODING_SHARES = {
    "text": (("gb18030", 0.15), ("utf-16", 0.03), ("utf-8-sig", 0.05)),
    "netease": (("gb18030", 0.10),),
    "traditional": (("big5", 0.30),),
    "wordpress": (("utf-8-sig", 0.10),),
    "html": (("gb18030", 0.20),),
    "jekyll": (),
}

SOURCES = ("山西日报", "晋中日报", "太原日报", "大同日报", "长治日报", "运城日报", "临汾日报", "吕梁日报", "忻州日报",
           "阳泉日报", "晋城日报", "朔州日报", "山西经济日报", "黄河新闻网", "人民网", "新华网", "中国经济网", "中北新闻网",
           "山西新闻网", "山西省人民政府网", "中国开发区网", "山西晚报")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "文华建国明志强伟军平海燕丽红霞英杰涛斌超勇俊鹏飞静敏婷雪晓梅春晖瑞宏亮刚峰波宁欣怡佳慧颖琳晨阳光辉永新庆祥福荣"
INDUSTRIES = ("新材料", "高端装备制造", "新能源汽车", "光伏", "氢能", "煤层气", "储能", "碳基新材料", "特种金属材料",
              "生物医药", "信息技术", "大数据", "半导体", "现代煤化工", "合成生物", "节能环保", "现代物流", "文旅康养",
              "有机旱作农业", "功能食品", "数字经济", "光电", "铝镁精深加工", "通用航空", "电子信息", "现代农业")
POLICIES = ("三化三制", "承诺制+标准地+全代办", "管委会+公司", "区内事区内办", "放管服", "三个一批", "链长制",
            "拿地即开工", "一枚印章管审批", "项目为王", "营商环境提升年", "专精特新", "链主企业培育", "亩均论英雄",
            "标准地出让", "全代办服务", "开发区建设升级版", "一群两区三圈", "新质生产力", "数字化转型")
COMPANY_STEMS = ("晋能", "太钢", "潞安", "华阳", "晋控", "美锦", "立恒", "安泰", "建龙", "宝武", "中车", "比亚迪", "吉利",
                 "晶科", "通威", "国新", "金粮", "晋南", "东方", "华晋", "中科", "汾酒", "亚宝", "振东", "大运")
COMPANY_KINDS = ("新材料有限公司", "科技股份有限公司", "能源集团", "装备制造有限公司", "生物科技有限公司", "化工有限公司",
                 "智能制造基地", "新能源有限公司", "农业开发有限公司")
TAG_WORDS = ("开发区", "产业链", "招商引资", "项目建设", "营商环境", "高质量发展", "转型升级", "科技创新", "新质生产力",
             "改革", "园区", "投资", "企业", "工业", "制造业", "数字经济", "绿色低碳", "人才", "基础设施", "审批")
CATEGORY_RULES = {"产业发展": INDUSTRIES[:12], "项目建设": ("开工", "投产", "签约"), "招商引资": ("招商", "签约"),
                  "改革创新": ("三化三制", "管委会+公司", "承诺制"), "营商环境": ("审批", "放管服", "代办"),
                  "文旅康养": ("文旅康养",), "农业农村": ("有机旱作农业", "现代农业"), "能源转型": ("光伏", "氢能", "煤层气", "储能"),
                  "交通基建": ("现代物流",), "科技人才": ("半导体", "大数据", "专精特新")}

SENTENCES = (
    "{year}年以来，{zone}坚持以{policy}为抓手，推动{industry}产业集群加快成链，全年完成固定资产投资{n1}亿元，同比增长{pct}%。",
    "{city}委、{city}政府高度重视开发区建设，{county}紧紧围绕{zone}这个主阵地，持续深化{policy}改革。",
    "{month}月{day}日，{zone}举行{quarter}重点项目集中开工活动，{count}个项目总投资{n1}亿元，涵盖{industry}、{industry2}等领域。",
    "据介绍，{company}年产{n2}万吨{industry}项目已进入设备安装阶段，预计{next_year}年{month}月建成投产，投产后可实现年产值{n1}亿元。",
    "{zone}管委会主任{person}表示，下一步将聚焦{industry}和{industry2}两大主导产业，以{policy}为牵引，全力打造开发区建设升级版。",
    "在{county}，{zone}累计承接省、市、县行政审批事项{count}项，企业开办时间压缩至{small}个工作日以内，“{policy}”成为常态。",
    "今年前{month}个月，{zone}规上工业增加值同比增长{pct}%，高于全省平均水平{small}个百分点，对{city}工业增长的贡献率达到{pct2}%。",
    "围绕{industry}产业链，{zone}精准绘制招商图谱，赴长三角、珠三角、京津冀开展招商推介{count}次，签约项目{count2}个、总投资{n1}亿元。",
    "{company}负责人{person}介绍，企业去年研发投入{n3}亿元，新增发明专利{count}件，产品远销{count2}个国家和地区。",
    "为破解用地难题，{zone}推行“标准地”出让，累计出让工业用地{count}宗{n2}亩，实现“拿地即开工”。",
    "{zone}还与{zone2}建立协同发展机制，在{industry}领域开展产业链上下游配套合作，推动形成优势互补、错位发展格局。",
    "走进{zone}{park}，一座座现代化厂房拔地而起，塔吊林立，机器轰鸣，建设者们正抢抓工期加紧施工。",
    "“我们从签约到拿到施工许可证只用了{small}天。”{company}项目经理{person}说，开发区全程代办让企业少跑了很多路。",
    "{city}发改委相关负责人表示，{zone}是全市高质量发展的主引擎，{year}年实现营业收入{n1}亿元，税收{n3}亿元。",
    "按照“{policy}”的要求，{county}组建项目服务专班，对{count}个重点项目实行“一个项目、一名领导、一套人马、一抓到底”。",
    "截至{month}月底，{zone}入驻企业达到{count2}户，其中高新技术企业{count}户、专精特新“小巨人”企业{small}户。",
    "{zone}坚持绿色低碳发展方向，实施节能降碳改造项目{count}个，单位工业增加值能耗同比下降{small}.{small2}%。",
    "据统计，{year}年{city}{count}个开发区共实施“三个一批”项目{count2}个，完成投资{n1}亿元，占全市工业投资的{pct2}%。",
    "在{zone}的智慧园区数字化管控平台上，企业用能、安全、环保等数据实时汇聚，园区治理效能显著提升。",
    "{person}是{company}的一名技术骨干，他和团队攻克了{industry}关键工艺，使产品良品率提高到{pct2}%以上。",
)
HEADINGS = ("抓项目 增动能", "优环境 激活力", "强链条 聚集群", "深改革 添动力", "重创新 育新质", "护生态 促转型",
            "稳增长 提质效", "招大引强 扩增量")
CAPTIONS = ("{zone}{park}施工现场", "{company}生产车间", "{zone}重点项目集中开工仪式现场", "{person}接受记者采访")

# Traditional mirrors: pinyin annotations after these characters (as captured in seed 003), and the
# mojibake left by a GBK decoder on quotes.
PINYIN = {"經": "jīng", "發": "fā", "區": "qū", "產": "chǎn", "業": "yè", "濟": "jì", "創": "chuàng", "農": "nóng",
          "現": "xiàn", "戰": "zhàn", "鎮": "zhèn", "綠": "lǜ"}


@dataclass(frozen=True)
class Zone:
    name: str
    slug: str
    aliases: tuple[str, ...]
    parks: tuple[str, ...]
    city: str
    county: str | None


@dataclass(frozen=True)
class Vocabulary:
    zones: tuple[Zone, ...]
    zone_weights: tuple[float, ...]
    cities: tuple[str, ...]
    counties: dict[str, tuple[str, ...]]  # city → counties


@dataclass
class Article:
    index: int
    kind: str
    encoding: str
    crlf: bool
    title: str
    date: dt.datetime
    has_time: bool
    source: str
    authors: list[str]
    editors: list[str]
    zones: list[str]
    regions: list[str]
    categories: list[str]
    tags: list[str]
    paragraphs: list[str]  # "## heading" or a paragraph
    captions: list[str] = field(default_factory=list)
    slug: str = ""
    seed_name: str = ""


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    entries = yaml.safe_load((DATA_DIR / "zones.yml").read_text(encoding="utf-8"))
    zones = tuple(Zone(e["name"], e.get("slug") or f"zone-{i}", tuple(e.get("aliases") or ()), tuple(e.get("parks") or ()),
                       e["city"], e.get("county")) for i, e in enumerate(entries) if e.get("city"))
    # Zipf-like attention: a few big zones are in the news far more often than small county zones.
    weights = tuple(1.0 / (rank + 1) ** 0.8 for rank in range(len(zones)))
    table = yaml.safe_load((DATA_DIR / "counties.yml").read_text(encoding="utf-8"))
    counties = {c["name"]: tuple(k["name"] for k in c["counties"]) for c in table["cities"]}
    return Vocabulary(zones, weights, tuple(counties), counties)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _company(rng: random.Random) -> str:
    return rng.choice(COMPANY_STEMS) + rng.choice(COMPANY_KINDS)


def _pick_kind(rng: random.Random) -> str:
    return rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]


def _pick_encoding(rng: random.Random, kind: str) -> str:
    roll = rng.random()
    for name, share in ENCODING_SHARES[kind]:
        if roll < share:
            return name
        roll -= share
    return "utf-8"


def make_article(index: int) -> Article:
    """Article `index` of every archive: depends only on (SEED, index)."""
    rng = random.Random(SEED * 1_000_003 + index)
    vocab = vocabulary()
    kind = _pick_kind(rng)
    main = rng.choices(vocab.zones, weights=vocab.zone_weights)[0]
    others = [z for z in rng.choices(vocab.zones, weights=vocab.zone_weights, k=rng.choice((0, 0, 1, 1, 2))) if z != main]
    zones = [main, *dict.fromkeys(others)]
    city = main.city
    county = main.county or rng.choice(vocab.counties.get(city, ("",)))
    date = dt.datetime(2015, 1, 1, 8) + dt.timedelta(days=rng.randrange(11 * 365), minutes=rng.randrange(12 * 60))
    year = date.year

    mentioned: list[Zone] = []

    def fill(template: str) -> str:
        zone = rng.choice(zones)
        zone2 = rng.choice(vocab.zones)
        if "{zone2}" in template:
            mentioned.append(zone2)
        return template.format(
            zone=rng.choice((zone.name, zone.name, *zone.aliases[:2])) if zone.aliases else zone.name,
            zone2=zone2.name, park=rng.choice(zone.parks) if zone.parks else "核心区",
            city=city, county=county, policy=rng.choice(POLICIES), industry=rng.choice(INDUSTRIES),
            industry2=rng.choice(INDUSTRIES), company=_company(rng), person=_person(rng), year=year,
            next_year=year + 1, month=rng.randint(1, 12), day=rng.randint(1, 28), quarter=rng.choice("一二三四") + "季度",
            n1=round(rng.uniform(1, 300), 1), n2=rng.randint(5, 900), n3=round(rng.uniform(0.1, 20), 2),
            pct=round(rng.uniform(3, 35), 1), pct2=rng.randint(20, 95), count=rng.randint(3, 90),
            count2=rng.randint(10, 400), small=rng.randint(2, 9), small2=rng.randint(1, 9))

    target = rng.randint(1500, 4000)
    paragraphs: list[str] = []
    length = 0
    while length < target:
        if paragraphs and rng.random() < 0.12:
            paragraphs.append("## " + rng.choice(HEADINGS))
            continue
        paragraph = "".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    if paragraphs[-1].startswith("## "):
        paragraphs.pop()
    industries = [i for i in INDUSTRIES if any(i in p for p in paragraphs)]
    title = rng.choice((
        "{zone}：{a} {b}",
        "{zone}{year}年完成投资{n}亿元 {a}",
        "{city}{zone}跑出产业“加速度”",
        "{county}：{a}，{zone}打造转型强引擎",
        "{zone}{n}个重点项目集中开工",
    )).format(zone=main.aliases[0] if main.aliases and rng.random() < 0.5 else main.name, a=rng.choice(HEADINGS).split()[0],
              b=rng.choice(HEADINGS).split()[-1], year=year, n=rng.randint(5, 200), city=city, county=county)
    categories = [c for c, words in CATEGORY_RULES.items() if any(w in " ".join(paragraphs) for w in words)]
    rng.shuffle(categories)
    tags = list(dict.fromkeys([*(z.aliases[0] if z.aliases else z.name for z in zones), city, county,
                               *rng.sample(TAG_WORDS, 3), *industries[:3]]))[:8]
    captions = [c.format(zone=main.name, park=rng.choice(main.parks) if main.parks else "", company=_company(rng),
                         person=_person(rng)) for c in rng.sample(CAPTIONS, rng.randint(0, 2))]
    article = Article(
        index=index, kind=kind, encoding=_pick_encoding(rng, kind), crlf=rng.random() < 0.2, title=title, date=date,
        has_time=kind in ("jekyll", "text", "html"), source=rng.choice(SOURCES),
        authors=[_person(rng) for _ in range(rng.choice((1, 1, 2, 3)))], editors=[_person(rng) for _ in range(rng.choice((0, 1, 2)))],
        zones=list(dict.fromkeys(z.name for z in (*zones, *mentioned))), regions=list(dict.fromkeys(r for r in (city, county) if r)),
        categories=categories[:2] or ["产业发展"], tags=tags, paragraphs=paragraphs, captions=captions,
    )
    article.slug = f"{main.slug}-{date:%Y%m%d}-{index:06d}"
    article.seed_name = f"{index:06d}_{hashlib.sha256(f'{SEED}:{index}'.encode()).hexdigest()[:16]}." + (
        "html" if kind == "html" else "txt")
    return article


# ---- raw captures, one function per kind ------------------------------------------------------------------


def _body_plain(article: Article) -> list[str]:
    return [p[3:] if p.startswith("## ") else p for p in article.paragraphs]


def _raw_jekyll(a: Article, rng: random.Random) -> str:
    paragraphs = "\n ".join(f"<p>{p}</p>" if not p.startswith("## ") else f"<p><strong>{p[3:]}</strong></p>"
                            for p in a.paragraphs)
    return (f'---\nlayout: post\ntitle: "{a.title}"\ndate: {a.date:%Y-%m-%d %H:%M:%S} +0800\ncategories: news\n'
            f"tags: {a.source}新闻\n---\n<p>本报讯 {paragraphs[3:]}({'、'.join(a.authors)}) </p>"
            f'<p class="em_media">（文章来源：{a.source}）</p>\n\n<http://finews.example.cn/html_News/{a.index:08d}.html>\n\n'
            f"[返回{a.source}新闻](//finews.example.cn/category/news.html)｜[返回首页](//finews.example.cn/)\n")


def _raw_text(a: Article, rng: random.Random) -> str:
    lines = [a.title, "", f"{a.date:%Y-%m-%d %H:%M:%S}    来源:{a.source}    ", ""]
    for p in _body_plain(a):
        lines += [p, ""]
    lines += [f"({a.source} 记者  {'  '.join(a.authors)})", "", ""]
    if a.editors:
        lines += [f"[编辑:{' '.join(a.editors)}]", ""]
    lines += ["相关新闻", "", "声明", "",
              "1、凡本网注明“中国城乡发展网”的所有自采新闻(含图片),如需授权转载应在授权范围内使用,并注明来源。", "",
              "2、部分内容转自其他媒体,转载目的在于传递更多信息,并不代表本网赞同其观点和对其真实性负责。", "",
              "网站简介|版权声明|免责声明|加盟合作|招聘英才|联系我们", "",
              f"Copyright © news{a.index % 7}.example.cn All Rights Reserved 晋ICP备{2015000000 + a.index % 9999}号-1"]
    return "\n".join(lines) + "\n"


def _raw_netease(a: Article, rng: random.Random) -> str:
    body = _body_plain(a)
    body[0] = f"{a.date.month}月{a.date.day}日,{body[0]}"
    lines = ["网易首页 > 网易号 > 正文 申请入驻", "", a.title, "", "0", "分享至", "", "", ""]
    for i, p in enumerate(body):
        lines += ["  " + p, ""]
        if i < len(a.captions):
            lines += [a.captions[i], ""]
    lines[-2] += f"({'、'.join(a.authors)})"
    lines += ["特别声明:以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布,本平台仅提供信息存储服务。", "",
              "Notice: The content above (including the pictures and videos if any) is uploaded and posted by a user of "
              "NetEase Hao, which is a social media platform and only provides information storage services.", "",
              f"{a.source} incentive-icons", a.source, f"{a.source}官方网易号", f"{rng.randint(100, 30000)}文章数 "
              f"{rng.randint(100, 9000)}关注度", "往期回顾 全部", "", "专题推荐", "", "无障碍浏览 进入关怀版"]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # a project dependency; imported lazily so the other kinds need nothing but PyYAML

    return opencc.OpenCC("s2tw")  # Taiwan forms (為, 群): what Big5 pages hold


def _raw_traditional(a: Article, rng: random.Random) -> str:
    text = _s2t().convert("\n".join(_body_plain(a)))
    if a.encoding != "big5":  # pinyin tone marks come from UTF-8 mirror pages; Big5 cannot hold them
        out = []
        for ch in text:
            out.append(ch)
            if ch in PINYIN and rng.random() < 0.7:
                out.append(f"({PINYIN[ch]})")
        text = "".join(out)
    text = text.replace("“", "?“", 1)
    editors = f"\n責任編輯: {_s2t().convert(a.editors[0])}" if a.editors else ""
    text = text.replace("\n", "</p>\n", 1) if rng.random() < 0.5 else text
    return f"{text}\n{' '.join(_s2t().convert(n) for n in a.authors)}{editors}\n"


def _raw_wordpress(a: Article, rng: random.Random) -> str:
    months = max(1, (dt.datetime(2026, 1, 1) - a.date).days // 30)
    lines = [f"当前位置:首页 > {a.source} > 正文内容", "", a.title, "",
             f"admin{months}个月前 ({a.date:%m-%d}){a.source}{rng.randint(3, 400)}", ""]
    lines += ["  " + p for p in _body_plain(a)] + [""]
    lines += [f"({'、'.join(a.authors)})", "", "广告位招租 联系电话:0351-1234567", "",
              "版权声明：本文由网友投稿，不代表本站立场，转载请注明出处。", "",
              "标签：" + " ".join(a.tags[:4]), "", "相关文章", ""]
    for other in range(2):
        teaser = make_teaser(a.index * 31 + other)
        lines += [teaser[0], "", teaser[0], "", "  " + teaser[1] + "...", ""]
    return "\n".join(lines)


def make_teaser(index: int) -> tuple[str, str]:
    rng = random.Random(index)
    zone = rng.choice(vocabulary().zones)
    return f"{zone.name}建设{rng.randint(3, 12)}大特色产业园", f"{zone.name}围绕{rng.choice(INDUSTRIES)}产业，启动特色产业园建设，不断跨出实质性步伐。"


def _raw_html(a: Article, rng: random.Random) -> str:
    charset = "gbk" if a.encoding == "gb18030" else "utf-8"
    body = "\n".join(f"<h2>{p[3:]}</h2>" if p.startswith("## ") else f"<p>{p}</p>" for p in a.paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{charset}">\n<title>{a.title}_{a.source}</title>\n'
            f'<meta name="description" content="{a.paragraphs[0][:60]}">\n<meta name="author" content="{a.authors[0]}">\n'
            f'<meta property="article:published_time" content="{a.date:%Y-%m-%dT%H:%M:%S}+08:00">\n'
            f'<link rel="canonical" href="https://www.example.cn/news/{a.index}.html">\n'
            '<style>body{font-family:sans-serif}</style>\n<script>var _hmt=_hmt||[];</script>\n</head>\n<body>\n'
            '<nav><a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</nav>\n'
            f'<div class="article">\n<h1>{a.title}</h1>\n<div class="info">{a.date:%Y-%m-%d %H:%M}　来源：{a.source}　'
            f'作者：{"、".join(a.authors)}</div>\n{body}\n<p>（责任编辑：{"、".join(a.editors) or "本网"}）</p>\n</div>\n'
            '<div class="footer"><p>主办单位：示例新闻网 版权所有 晋ICP备00000000号</p></div>\n</body>\n</html>\n')


RAW_KINDS = {"jekyll": _raw_jekyll, "text": _raw_text, "netease": _raw_netease, "traditional": _raw_traditional,
             "wordpress": _raw_wordpress, "html": _raw_html}


def raw_bytes(article: Article) -> tuple[bytes, str]:
    """The seed file's bytes and the encoding actually used (Big5/GBK fall back to UTF-8 if a character won't fit)."""
    rng = random.Random(SEED + article.index * 7)
    text = RAW_KINDS[article.kind](article, rng)
    if article.crlf:
        text = text.replace("\n", "\r\n")
    try:
        return text.encode(article.encoding), article.encoding
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


# ---- content/ Markdown --------------------------------------------------------------------------------------


def summary(article: Article) -> str:
    first = next(p for p in article.paragraphs if not p.startswith("## "))
    sentence = first.split("。")[0] + "。"
    return sentence if len(sentence) <= 120 else sentence[:119] + "…"


def content_text(article: Article, seed_sha256: str) -> str:
    """The article as content/*.md, per the content contract (DESIGN.md)."""
    date = article.date.strftime("%Y-%m-%dT%H:%M:%S+08:00") if article.has_time else article.date.strftime("%Y-%m-%d")
    meta: dict[str, object] = {"title": article.title}
    if article.kind != "traditional":  # the mirrors carry no date, and a date is never invented
        meta["date"] = date
    if article.kind == "netease":
        meta["date_inferred"] = True
    meta |= {"source": article.source, "authors": article.authors}
    if article.editors:
        meta["editors"] = article.editors
    meta |= {"zones": article.zones, "regions": article.regions, "categories": article.categories, "tags": article.tags,
             "summary": summary(article), "lang": "zh-Hans"}
    if article.kind == "traditional":
        meta["original_script"] = "zh-Hant"
    meta |= {"seed": article.seed_name, "seed_sha256": seed_sha256, "slug": article.slug}
    if article.captions:
        meta["extra"] = {"image_captions": article.captions}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n" + "\n\n".join(article.paragraphs) + "\n"


def generate(n: int, out: Path) -> dict[str, object]:
    """Write OUT/seeds, OUT/content and OUT/manifest.json for articles 0..n-1; return the manifest."""
    seeds, content = out / "seeds", out / "content"
    for folder in (seeds, content):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    kinds: dict[str, int] = {}
    encodings: dict[str, int] = {}
    chars = 0
    for index in range(n):
        article = make_article(index)
        data, encoding = raw_bytes(article)
        (seeds / article.seed_name).write_bytes(data)
        (content / f"{article.slug}.md").write_text(content_text(article, hashlib.sha256(data).hexdigest()),
                                                    encoding="utf-8", newline="\n")
        kinds[article.kind] = kinds.get(article.kind, 0) + 1
        encodings[encoding] = encodings.get(encoding, 0) + 1
        chars += sum(len(p) for p in article.paragraphs)
    manifest = {"n": n, "seed": SEED, "version": VERSION, "kinds": dict(sorted(kinds.items())),
                "encodings": dict(sorted(encodings.items())), "mean_chars": round(chars / max(n, 1))}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder (seeds/, content/ and manifest.json are replaced)")
    args = parser.parse_args(argv)
    manifest = generate(args.n, args.out)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
