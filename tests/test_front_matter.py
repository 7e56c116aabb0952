"""Front matter read without YAML's machinery (site_gen/content.py `_fast_front_matter`): whatever it reads must
be exactly what YAML reads, and it must read what site_gen writes; anything else it leaves to YAML."""

from __future__ import annotations

import yaml
from hypothesis import assume, given, settings, strategies as st

from site_gen import content
from site_gen.content import _DECLINED, _Dumper, _fast_front_matter, safe_yaml_load, split_front_matter

# Text YAML reads in many ways: indicators, comments, quotes, numbers, nulls, booleans, dates, spaces of every
# kind, line breaks YAML knows and Python does not, Han text, and characters YAML refuses.
TRICKY = ["-", "- ", "?", ":", ": ", " #", "#", "'", "''", '"', "&a", "*a", "!x", "|", ">", "%", "@", "`", "[", "]",
          "{", "}", ",", "~", "null", "Null", "true", "True", "yes", "No", "on", "OFF", "y", "0", "12", "-3", "1_000",
          "0x1F", "0o7", "1e3", ".5", ".inf", "-.inf", ".nan", "2024-05-01", "2024-05-01T08:00:00+08:00", "190:20:30",
          "<<", "=", " ", "  ", "\t", "\n", "\r", "\x85", "\u2028", "\u3000", "\u00a0", "\ufeff", "\x00", "\x07",
          "\ud800", "\ufffe", "灵石经济技术开发区", "山西", "a", "Z", "é", "😀", "x: y", "a#b", "a #b", "https://x.cn/a?b=1"]
SCALAR = st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=5).map("".join)
KEY = st.sampled_from(["title", "date", "tags", "extra", "image_captions", "true", "null", "on", "y", "_", "a1"]) \
    | st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
VALUE = st.recursive(SCALAR | st.booleans() | st.none() | st.integers(-5, 5) | st.lists(SCALAR | st.booleans(),
                                                                                             max_size=4),
                     lambda inner: st.dictionaries(KEY, inner, max_size=3), max_leaves=6)
FRONT = st.dictionaries(KEY, VALUE, max_size=6)


def yaml_reads(text: str) -> object:
    return safe_yaml_load(text)  # PyYAML, as the content reader uses it when it declines


def same(a: object, b: object) -> bool:
    """Equal, with the same types throughout (True == 1 in Python; not in front matter)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    return a == b


def check(text: str) -> object:
    """What the fast reader makes of `text`: declined, or exactly YAML's reading."""
    fast = _fast_front_matter(text)
    if fast is not _DECLINED:
        assert same(fast, yaml_reads(text)), text
    return fast


@settings(max_examples=400, deadline=None)
@given(front=FRONT)
def test_what_site_gen_writes_is_read_as_yaml_reads_it(front: dict) -> None:
    try:
        text = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                         default_flow_style=False).removesuffix("\n")
    except UnicodeEncodeError:  # a lone surrogate, which no text holds and YAML cannot write
        assume(False)
    check(text)


def test_the_sample_sites_content_is_read_directly() -> None:
    from pathlib import Path

    files = sorted((Path(__file__).parent.parent / "content").glob("*.md"))
    assert files
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        end = lines.index("---", 1)
        assert check("\n".join(lines[1:end])) is not _DECLINED, path


@settings(max_examples=600, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["", "  ", "   ", "- ", "  - "]), KEY | SCALAR,
                                st.sampled_from([": ", ":", ""]), SCALAR), min_size=1, max_size=8))
def test_hand_written_lines_are_read_as_yaml_reads_them_or_left_to_yaml(lines: list) -> None:
    text = "\n".join(f"{indent}{key}{colon}{value}" for indent, key, colon, value in lines)
    try:
        yaml_reads(text)
    except yaml.YAMLError:
        assert _fast_front_matter(text) is _DECLINED, text
        return
    check(text)


def test_the_usual_front_matter_is_read_directly_and_oddities_are_left_to_yaml(monkeypatch) -> None:
    usual = ("title: 灵石经济技术开发区:筑强产业根基\ndate: '2025-11-11'\ndate_inferred: true\nsource: 中北新闻网\n"
             "authors:\n- 张永祥\ntags:\n- 灵石经开区\n- GDP\nslug: lingshi-20251111\nextra:\n  image_captions:\n"
             "  - 县委书记调研\n  note: 'It''s: fine'")
    assert check(usual) == {"title": "灵石经济技术开发区:筑强产业根基", "date": "2025-11-11", "date_inferred": True,
                            "source": "中北新闻网", "authors": ["张永祥"], "tags": ["灵石经开区", "GDP"],
                            "slug": "lingshi-20251111",
                            "extra": {"image_captions": ["县委书记调研"], "note": "It's: fine"}}
    for odd in ["title: a # comment", "title: 1984", "title: null", "title: yes", "title:", "title: \"x\"",
                "tags:\n  - a", "title: a\n  b", "title: x\n\nsource: y", "title: x: y", "- a", "extra:\n  a:\n", "title:\nsource: y", "extra:\n  a:\n  b: c",
                "title: A&B", "title: -x", "title: 'a'b'", "extra:\n  a:\n    - b", "title: a\r"]:
        assert check(odd) is _DECLINED, odd
    # The reader's answer is the file's answer: a file of the usual kind never reaches YAML.
    monkeypatch.setattr(content, "_FastLoader", None)
    monkeypatch.setattr(content, "_LimitedLoader", None)
    parsed, problems = split_front_matter(f"---\n{usual}\n---\n\n正文。\n", "a.md")
    assert not problems and parsed is not None and parsed.meta["tags"] == ["灵石经开区", "GDP"]
