"""Property tests: the front matter round trip with hostile text, and re-import idempotence."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from site_gen.article import Article
from site_gen.content import format_article, parse_article_text
from site_gen.importer import import_seeds

HOSTILE = st.sampled_from([":", "#", "---", "'", '"', "“", "”", "：", "，", "！", "？", "\u3000", "- ", "&a", "*b", "[", "]",
                           "{", "}", "|", ">", "%", "@", "`", "!!", "\\", "\t", "…", "——", "·", "null", "true", "1.0", "0x1F"])
TEXT = st.lists(st.one_of(HOSTILE, st.text(alphabet="开发区灵石晋中经济技术园区项目建设abc XYZ019", min_size=1, max_size=6)),
                min_size=1, max_size=12).map("".join)
LINE = TEXT.map(lambda s: " ".join(s.split())).filter(bool)
NAMES = st.lists(LINE, max_size=3).map(tuple)


@settings(max_examples=150, deadline=None)
@given(title=LINE, source=st.none() | LINE, summary=st.none() | LINE, authors=NAMES, tags=NAMES,
       body=st.lists(LINE, max_size=4).map("\n\n".join), caption=st.none() | TEXT)
def test_front_matter_round_trip(title, source, summary, authors, tags, body, caption) -> None:
    extra = (("image_captions", [caption]),) if caption else ()
    article = Article(title=title, seed="x/y:z.txt", body=body, source=source, summary=summary, authors=authors,
                      tags=tags, date="2024-10-05T10:28:42+08:00", slug="a-b", extra=extra)
    text = format_article(article)
    parsed, problems = parse_article_text(text, "x.md")
    assert problems == []
    assert parsed == article
    assert format_article(parsed) == text


PARAGRAPH = st.lists(st.sampled_from(list("开发区项目建设投资园区企业产业晋中灵石太原，。、“”：")), min_size=12, max_size=60).map("".join)
SEED = st.tuples(st.sampled_from(["", "首页 > 新闻\n\n"]), LINE.filter(lambda s: 4 <= len(s) <= 40),
                 st.sampled_from(["", "2023-05-06 来源:晋中日报\n\n", "11月11日\n\n"]),
                 st.lists(PARAGRAPH, min_size=1, max_size=3), st.sampled_from(["", "(王文安)", "\n\n[编辑:张三]"]),
                 st.sampled_from(["utf-8", "gb18030", "utf-16"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds=st.lists(SEED, min_size=1, max_size=3))
def test_reimport_is_idempotent(seeds) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "seeds").mkdir()
        for i, (header, title, meta, paragraphs, tail, encoding) in enumerate(seeds):
            text = f"{header}{title}\n\n{meta}" + "\n\n".join(paragraphs) + f"{tail}\n"
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                data = text.encode("utf-8")
            (root / "seeds" / f"{i}.txt").write_bytes(data)
        first = import_seeds(root / "seeds", root / "content")
        assert len(first.outcomes) == len(seeds)  # every seed accounted for
        files = {p.name: p.read_bytes() for p in (root / "content").iterdir()}
        second = import_seeds(root / "seeds", root / "content")
        assert {p.name: p.read_bytes() for p in (root / "content").iterdir()} == files
        assert [o.status for o in second.outcomes] == [
            "unchanged" if o.status in ("written", "unchanged") else o.status for o in first.outcomes]
        slugs = [p.stem for p in (root / "content").glob("*.md")]
        assert len(slugs) == len(set(slugs)) == first.count("written")
        shutil.rmtree(root / "content")
