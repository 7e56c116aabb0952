"""Text repair for captured pages: inserted pinyin, mojibake, stray tags, Traditional script, odd whitespace.

Input: decoded text. Output: cleaned text, plus (for mojibake) the places where damage remains that
could not be repaired with certainty. Every function is pure and idempotent: cleaning clean text
changes nothing.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, pinyin

from site_gen.chinese import to_simplified as _opencc_t2s

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin annotation directly after a Han character, in ASCII or full-width parentheses.
_PINYIN_ANNOTATION = re.compile(rf"([\u4e00-\u9fff])[(（]([a-zA-Z{_TONED}]{{1,7}})[)）]")


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    return frozenset(pinyin(char, style=Style.TONE, heteronym=True)[0]) | frozenset(
        pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    )


def strip_pinyin(text: str) -> str:
    """Remove pinyin inserted after characters: 經(jīng)濟 → 經濟, 張(zhāng)玉虎 → 張玉虎.

    Only an annotation that is a real reading of the character before it (or carries a tone mark,
    which ordinary parenthesised text never does) is removed, so "(a)", "(ok)", "区(A)" stay.
    """

    def replace(match: re.Match[str]) -> str:
        char, annotation = match.group(1), match.group(2).lower()
        if annotation in _readings(char) or any(c in _TONED for c in annotation):
            return char
        return match.group(0)

    return _PINYIN_ANNOTATION.sub(replace, text)


# Generic damage whose repair is certain whatever the page: UTF-8 punctuation pushed through a GBK
# decoder loses its first byte and shows as `?` before the quote that survived.
_MOJIBAKE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\?(?=[“”‘’])"), ""),  # ?“ → “
)
# Tags that leaked into plain text; in a text scrape they carry no meaning.
_STRAY_TAG = re.compile(r"</?(?:p|br|span|div|font|strong|b|em|i|section|article)(?:\s[^<>]{0,200})?\s*/?>", re.I)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
# What damage that is still there looks like: a `?!`/`?` wedged between Han characters (the GBK
# byte-shift of seed 003), U+FFFD, and the classic UTF-8-read-as-GBK sequences.
_RESIDUAL_DAMAGE = re.compile(
    r"\?![^\s，。,]{0,4}|(?<=[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])|\ufffd+|锟斤拷|烫烫烫|屯屯屯|鈥[溿攢]|銆[傛€]"
)


@dataclass(frozen=True)
class Damage:
    line: int
    col: int
    text: str


def fix_mojibake(text: str, repairs: dict[str, str] | None = None) -> str:
    """Repair known damage: the data table of byte-shifted sequences first, then generic rules.

    The table (data/mojibake.yml) holds only repairs certain from context; anything else stays as it
    was captured, and `find_damage` points at it so the import report can warn.
    """
    for bad, good in (repairs or {}).items():
        text = text.replace(bad, good)
    for pattern, replacement in _MOJIBAKE_RULES:
        text = pattern.sub(replacement, text)
    return text


def strip_stray_tags(text: str) -> str:
    """`</p>`, `<br/>`, `&nbsp;` left in a plain-text scrape: tags go, entities become their characters."""
    text = _STRAY_TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def find_damage(text: str) -> list[Damage]:
    """Places where the text still looks damaged (1-based line and column)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _RESIDUAL_DAMAGE.finditer(line):
            found.append(Damage(number, match.start() + 1, match.group(0)))
    return found


@functools.lru_cache(maxsize=1)
def _phrase_fixes() -> tuple[re.Pattern[str], dict[str, str]]:
    import yaml

    from site_gen.enrich.gazetteer import data_file

    table = yaml.safe_load(data_file("t2s_phrases.yml", None).read_text(encoding="utf-8")) or {}
    fixes: dict[str, str] = table.get("after_t2s", {})
    pattern = re.compile("|".join(sorted(map(re.escape, fixes), key=len, reverse=True)))
    return pattern, fixes


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC, then the phrase-level cases OpenCC leaves (著 → 着 …)."""
    simplified = _opencc_t2s(text)
    pattern, fixes = _phrase_fixes()
    return pattern.sub(lambda m: fixes[m.group(0)], simplified) if fixes else simplified


_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")


def normalise_line(line: str) -> str:
    """Collapse runs of (full-width, no-break) spaces; NFC; trim."""
    line = unicodedata.normalize("NFC", line)
    return _SPACES.sub(" ", line).strip()
