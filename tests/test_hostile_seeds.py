"""Broken and hostile seeds: every one is imported or skipped with a reason, the others still import,
nothing is lost (seeds = articles + reported skips), and no traceback reaches the user."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from site_gen.content import read_articles

from conftest import write_site

GOOD = "灵石经开区新项目开工\n\n2023-05-06 09:00:00 来源:晋中日报\n\n灵石经济技术开发区今天有三个项目开工建设，总投资十二亿元。\n"
BODY = "晋城经济技术开发区加快光机电产业集群发展，项目建设持续推进。"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def hostile_seeds() -> dict[str, bytes]:
    rng = random.Random(7)
    counter = iter(range(1000))

    def body() -> str:
        return f"{BODY}第{next(counter)}号报道。"

    nested = "<html><body>" + "<div>" * 10_000 + f"<p>{body()}</p>" + "</div>" * 10_000 + "</body></html>"
    bomb = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8)) + "title: 炸弹\n---\n" + body()
    seeds = {
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\n\xe3\x80\x80\n   \r\n",
        "garbage.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "image.txt": PNG_HEADER + bytes(rng.randrange(256) for _ in range(2048)),
        "gbk-as-utf8.html": ('<html><head><meta charset="utf-8"><title>运城经开区招商</title></head><body><p>'
                             + body() + "</p></body></html>").encode("gbk"),
        "utf16-nobom.txt": ("运城经开区新闻\n\n2022-01-02 来源:运城日报\n\n" + body() + "\n").encode("utf-16-le"),
        "big5.txt": ("臨汾經開區新聞\n\n2021-03-04 來源:臨汾日報\n\n臨汾經濟技術開發區項目建設持續推進，總投資十億元。\n").encode("big5"),
        "bom-middle.txt": ("长治高新区新闻\n\n2020-02-02 来源:长治日报\n\n长治高新技术产业开发区\ufeff项目建设持续推进。\n").encode("utf-8"),
        "nul-bytes.txt": ("大同经开区新闻\n\n2019-09-09 来源:大同日报\n\n大同经济技术开发区\x00项目建设持续推进。\n").encode("utf-8"),
        "huge.txt": ("阳泉高新区长文\n\n2018-08-08 来源:阳泉日报\n\n" + (body() + "\n\n") * 330_000).encode("utf-8"),
        "one-long-line.txt": ("忻州经开区长行\n\n2017-07-07 来源:忻州日报\n\n" + body() * 17_000 + "\n").encode("utf-8"),
        "nested.html": nested.encode("utf-8"),
        "unterminated.md": ("---\ntitle: 没有结束\ndate: 2020-01-01\n" + body()).encode("utf-8"),
        "fm-list.md": ("---\n- a\n- b\n---\n" + body()).encode("utf-8"),
        "fm-string.md": ("---\njust a string\n---\n" + body()).encode("utf-8"),
        "yaml-bomb.md": bomb.encode("utf-8"),
        "bad-date.txt": ("朔州经开区新闻\n\n2023-02-30 来源:朔州日报\n\n" + body() + "\n").encode("utf-8"),
        "cn-bad-date.txt": ("吕梁经开区新闻\n\n二〇二三年十三月 来源:吕梁日报\n\n" + body() + "\n").encode("utf-8"),
        "future-date.txt": ("晋中经开区新闻\n\n2099-01-01 来源:晋中日报\n\n" + body() + "\n").encode("utf-8"),
        "long-title.md": ("---\ntitle: \"" + "长" * 2000 + "\"\n---\n" + body()).encode("utf-8"),
        "punct-title.md": ("---\ntitle: \"？！……——\"\n---\n" + body()).encode("utf-8"),
        "same-slug-1.md": ("---\ntitle: 同一个标题\n---\n" + body() + "第一篇。").encode("utf-8"),
        "same-slug-2.md": ("---\ntitle: 同一个标题\n---\n" + body() + "第二篇，内容不同。").encode("utf-8"),
        "name with spaces.txt": GOOD.replace("三个", "四个").encode("utf-8"),
        "中文文件名.txt": GOOD.replace("三个", "五个").encode("utf-8"),
        "-leading-dash.txt": GOOD.replace("三个", "六个").encode("utf-8"),
        "..dots..txt": GOOD.replace("三个", "七个").encode("utf-8"),
    }
    return seeds


@pytest.fixture(scope="module")
def hostile_import(tmp_path_factory: pytest.TempPathFactory):
    root = write_site(tmp_path_factory.mktemp("hostile"), seeds={"good.txt": GOOD, **hostile_seeds()})
    outside = root.parent / "outside.txt"
    outside.write_text(GOOD.replace("三个", "八个"), encoding="utf-8")
    os.symlink(outside, root / "seeds" / "escape.txt")
    from site_gen.importer import import_seeds

    report = import_seeds(root / "seeds", root / "content")
    return root, report


def test_every_seed_is_accounted_for(hostile_import) -> None:
    root, report = hostile_import
    seeds = sorted(p.relative_to(root / "seeds").as_posix() for p in (root / "seeds").iterdir())
    assert sorted(o.seed for o in report.outcomes) == seeds
    written = [o for o in report.outcomes if o.status == "written"]
    skipped = [o for o in report.outcomes if o.status in ("skipped", "duplicate")]
    assert len(written) + len(skipped) == len(seeds)
    for outcome in skipped:
        assert outcome.reason and len(outcome.reason) > 8, outcome
    articles, problems = read_articles(root / "content")
    assert problems == []
    assert len(articles) == len(written)


def test_good_seeds_still_import(hostile_import) -> None:
    _root, report = hostile_import
    status = {o.seed: o.status for o in report.outcomes}
    for name in ("good.txt", "utf16-nobom.txt", "big5.txt", "bom-middle.txt", "nul-bytes.txt", "nested.html",
                 "name with spaces.txt", "中文文件名.txt", "-leading-dash.txt", "..dots..txt", "gbk-as-utf8.html",
                 "same-slug-1.md", "same-slug-2.md", "long-title.md", "punct-title.md", "bad-date.txt",
                 "cn-bad-date.txt", "future-date.txt", "huge.txt", "one-long-line.txt"):
        assert status[name] == "written", (name, status[name])


def test_hopeless_seeds_are_skipped_with_reasons(hostile_import) -> None:
    _root, report = hostile_import
    outcome = {o.seed: o for o in report.outcomes}
    for name in ("empty.txt", "whitespace.txt", "garbage.txt", "image.txt", "unterminated.md", "fm-list.md",
                 "fm-string.md", "yaml-bomb.md", "escape.txt"):
        assert outcome[name].status == "skipped", (name, outcome[name])
    assert "symlink" in outcome["escape.txt"].reason


def test_bad_dates_are_never_invented(hostile_import) -> None:
    root, report = hostile_import
    articles = {a.seed: a for a in read_articles(root / "content")[0]}
    assert articles["bad-date.txt"].date is None
    assert articles["cn-bad-date.txt"].date is None
    assert articles["future-date.txt"].date == "2099-01-01"  # stated by the page: kept, not "corrected"


def test_decoded_text_is_right(hostile_import) -> None:
    root, _report = hostile_import
    articles = {a.seed: a for a in read_articles(root / "content")[0]}
    assert "临汾经济技术开发区" in articles["big5.txt"].body
    assert "运城" in articles["utf16-nobom.txt"].title
    assert "\x00" not in articles["nul-bytes.txt"].body and "大同经济技术开发区" in articles["nul-bytes.txt"].body
    assert "\ufeff" not in articles["bom-middle.txt"].body
    assert "运城经开区招商" == articles["gbk-as-utf8.html"].title


def test_same_title_gets_distinct_slugs(hostile_import) -> None:
    root, _report = hostile_import
    articles = {a.seed: a for a in read_articles(root / "content")[0]}
    assert articles["same-slug-1.md"].slug != articles["same-slug-2.md"].slug
    slugs = [a.slug for a in articles.values()]
    assert len(slugs) == len(set(slugs))


def test_cli_reports_without_traceback(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", seeds={"good.txt": GOOD, "empty.txt": b"", "garbage.txt": bytes(range(256)) * 8})
    result = run_cli(["import"], root)
    assert result.code == 0
    assert "Traceback" not in result.out + result.err
    assert "skipped empty.txt:" in result.out and "skipped garbage.txt:" in result.out
    strict = run_cli(["import", "--strict"], root)
    assert strict.code != 0


def test_import_killed_half_way_is_finished_by_the_next_run(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    seeds = {f"s{i:03d}.txt": f"第{i}号新闻标题\n\n2021-03-{i % 28 + 1:02d} 来源:晋中日报\n\n"
                              f"晋中经济技术开发区第{i}个项目开工建设，投资{i}亿元，这是第{i}篇不同的报道。\n" for i in range(400)}
    root = write_site(tmp_path / "s", seeds=seeds)
    process = subprocess.Popen([sys.executable, "-m", "site_gen", "import"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((root / "content").glob("*.md"))) < 20 and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    written_before = len(list((root / "content").glob("*.md")))
    assert 0 < written_before < 400
    again = subprocess.run([sys.executable, "-m", "site_gen", "import"], cwd=root, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    assert "kept" not in again.stdout.replace("kept (hand-edited): 0", ""), again.stdout
    articles, problems = read_articles(root / "content")
    assert problems == [] and len(articles) == 400
    assert sorted(a.seed for a in articles) == sorted(seeds)


def test_symlink_loop_is_skipped_not_fatal(tmp_path: Path) -> None:
    from site_gen.importer import import_seeds

    root = write_site(tmp_path / "s", seeds={"good.txt": GOOD})
    os.symlink("b.txt", root / "seeds" / "a.txt")
    os.symlink("a.txt", root / "seeds" / "b.txt")
    report = import_seeds(root / "seeds", root / "content")
    outcome = {o.seed: o for o in report.outcomes}
    assert outcome["good.txt"].status == "written"
    assert outcome["a.txt"].status == "skipped" and outcome["b.txt"].status == "skipped"
