"""Generate a synthetic archive of N articles (content/*.md) for search benchmarks.

Text is drawn from jieba's word list (weighted by frequency, so common words are common), with
zone names, Shanxi cities and counties, person names and policy terms mixed in at realistic rates;
about one article in twenty keeps a Traditional-script phrase. Deterministic for a given --seed.

    python bench/gen_search_site.py OUT_DIR --articles 5000 [--chars 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import bisect
import random
from pathlib import Path

import jieba
import yaml

from site_gen.enrich.gazetteer import data_file

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "文武永祥安平建国华明志强红霞丽军伟芳秀英敏静利勇能改煜媛海峰涛鹏飞玉兰"
POLICY_TERMS = [
    "高新技术", "营商环境", "转型升级", "招商引资", "承接产业转移", "专精特新", "数字经济", "新质生产力",
    "一枚印章管审批", "标准地", "承诺制", "链长制", "双碳", "绿色低碳", "创新驱动", "科技成果转化",
    "项目建设", "开工建设", "集群发展", "晋商", "黄河流域生态保护", "乡村振兴", "综合改革",
]
SOURCES = ["山西日报", "晋中日报", "人民网", "新华网", "运城日报", "长治日报", "太原日报", "山西经济日报"]
CATEGORIES = ["项目建设", "招商引资", "改革创新", "产业发展", "营商环境", "园区动态"]
PUNCT = "，，，。、；："


class WordSampler:
    def __init__(self, rng: random.Random):
        words: list[str] = []
        cumulative: list[int] = []
        total = 0
        with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
            for line in f:
                word, freq, *_ = line.split()
                if not all("\u4e00" <= c <= "\u9fff" for c in word) or int(freq) < 30:
                    continue
                total += int(freq)
                words.append(word)
                cumulative.append(total)
        self.words, self.cumulative, self.total, self.rng = words, cumulative, total, rng

    def word(self) -> str:
        return self.words[bisect.bisect(self.cumulative, self.rng.randrange(self.total))]


def load_names() -> tuple[list[tuple[str, str]], list[str], list[str]]:
    zones = yaml.safe_load(data_file("zones.yml", None).read_text(encoding="utf-8"))
    zone_list = [(z["name"], z.get("city", "")) for z in (zones["zones"] if isinstance(zones, dict) else zones)]
    counties = yaml.safe_load(data_file("counties.yml", None).read_text(encoding="utf-8"))
    cities = [c["name"] for c in counties["cities"]]
    county_names = [k["name"] for c in counties["cities"] for k in c["counties"]]
    return zone_list, cities, county_names


def make_article(i: int, rng: random.Random, words: WordSampler, names: tuple, chars: int) -> str:
    zone_list, cities, counties = names
    zones = rng.sample(zone_list, rng.choice([0, 1, 1, 1, 2, 3]))
    people = ["".join([rng.choice(SURNAMES)] + rng.sample(GIVEN, rng.choice([1, 2]))) for _ in range(rng.randint(0, 3))]
    places = rng.sample(counties, rng.randint(0, 3)) + rng.sample(cities, rng.randint(0, 2))
    specials = [z for z, _ in zones] * 3 + people + places + rng.sample(POLICY_TERMS, rng.randint(1, 4))
    paragraphs, paragraph, total = [], [], 0
    while total < chars:
        if specials and rng.random() < 0.04:
            token = rng.choice(specials)
        else:
            token = words.word()
        if rng.random() < 0.12:
            token += rng.choice(PUNCT)
        paragraph.append(token)
        total += len(token)
        if rng.random() < 0.012:
            paragraphs.append("".join(paragraph) + "。")
            paragraph = []
    paragraphs.append("".join(paragraph) + "。")
    if rng.random() < 0.05:
        paragraphs.append("開發區" + rng.choice(["建設", "發展", "招商"]) + "。")
    title_bits = [z for z, _ in zones[:1]] + [words.word() for _ in range(rng.randint(3, 6))]
    title = "".join(title_bits)
    year = rng.randint(2015, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    front = {
        "title": title, "date": date, "source": rng.choice(SOURCES), "zones": [z for z, _ in zones],
        "regions": sorted({c for _, c in zones if c}), "categories": rng.sample(CATEGORIES, rng.randint(1, 2)),
        "lang": "zh-Hans", "seed": f"gen/{i:05d}.txt", "slug": f"a{i:05d}",
    }
    if rng.random() < 0.02:
        del front["date"]
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(out: Path, articles: int, chars: int = 2000, seed: int = 1) -> Path:
    rng = random.Random(seed)
    words = WordSampler(rng)
    names = load_names()
    content = out / "content"
    content.mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(exist_ok=True)
    for i in range(articles):
        (content / f"a{i:05d}.md").write_text(make_article(i, rng, words, names, chars), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.articles, args.chars, args.seed)


if __name__ == "__main__":
    main()
