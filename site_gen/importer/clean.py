"""Text repair for captured pages: inserted pinyin, mojibake, Traditional script, odd whitespace.

Input: decoded text. Output: cleaned text (and whether it was Traditional). Every function is pure
and idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin import Style, pinyin

from site_gen.chinese import is_traditional, to_simplified, to_traditional  # noqa: F401 - re-exported for the importer

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_ANNOTATION = re.compile(rf"([\u4e00-\u9fff])\(([a-z{_TONED}]{{1,7}})\)")


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    return frozenset(pinyin(char, style=Style.TONE, heteronym=True)[0]) | frozenset(
        pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    )


def strip_pinyin(text: str) -> str:
    """Remove pinyin inserted after characters: 經(jīng)濟 → 經濟.

    Only an annotation that is a real reading of the character before it is removed, so ordinary
    parentheses ("(a)", "(ok)") stay.
    """

    def replace(match: re.Match[str]) -> str:
        char, annotation = match.group(1), match.group(2)
        if annotation in _readings(char) or any(c in _TONED for c in annotation):
            return char
        return match.group(0)

    return _PINYIN_ANNOTATION.sub(replace, text)


# UTF-8 punctuation that went through a GBK decoder loses its first byte and shows as `?`
# followed by junk; the quote characters themselves survive in these common forms.
_MOJIBAKE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\?(?=[“”‘’])"), ""),           # ?“ → “
    (re.compile(r"</?p>|</?br\s*/?>"), ""),           # stray tags in plain text
)


def fix_mojibake(text: str, repairs: dict[str, str] | None = None) -> str:
    """Repair known damage: a data table of byte-shifted sequences first, then generic rules."""
    for bad, good in (repairs or {}).items():
        text = text.replace(bad, good)
    for pattern, replacement in _MOJIBAKE_RULES:
        text = pattern.sub(replacement, text)
    return text


_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")


def normalise_line(line: str) -> str:
    """Collapse runs of (full-width, no-break) spaces; NFC; trim."""
    line = unicodedata.normalize("NFC", line)
    return _SPACES.sub(" ", line).strip()

