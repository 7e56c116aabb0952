"""Search text: the script folding and the words that both the index and the query use.

Input: article text (or a query). Output: the same text folded to Simplified, character by character,
with every Han character the start of a word of its own: the code of that character and the next one
("灵石开发区" → "bw5ddf ddf8g0 8g068h 68h64a 64a", `code_tokens`), or, in the older scheme the benchmark
still compares, the character alone ("灵 石 开 发 区", `tokenize`).

Why words made by rule rather than a segmenter: Pagefind's extended build segments the index with its
own dictionary while the browser segments the query with Intl.Segmenter; where they disagree (灵石
indexed whole, queried as 灵|石) pages are missed. With a word at every character there is nothing to
disagree about, and the page searches a query as a phrase of such words, so a query finds exactly the
pages whose text contains it. Pairs rather than single characters so that a query downloads only the
postings of its own pairs (docs/search.md has the measurements behind both choices).

Why a character map and not OpenCC's phrase conversion: the fold must give the same answer in Python
(index) and in the browser (query), position by position. A one-to-one character map, generated from
OpenCC and shipped as a small JSON file, does both; themes/default/static/search.js applies it to the
query with the same rules as `tokenize` below.
"""

from __future__ import annotations

import functools
import json
import re

import opencc

# CJK Unified Ideographs, Extension A and the compatibility block: the characters that get a word each.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACES = re.compile(r"\s+")
_IS_HAN = re.compile(f"[{HAN}]")
# Characters per word in the index of the `tokenize` scheme (docs/search.md compares 1, 2 and 3).
GRAM = 1
# The shipped scheme: each Han character and the next one as one word, written in letters and digits.
SCHEME = "codes"


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def t2s_map() -> dict[str, str]:
    """Traditional → Simplified, one character to one character, as OpenCC's t2s converts a lone character.

    Only characters of the main CJK block that are not in GB2312 are folded: GB2312 is the Simplified
    character set, so a character in it (乾 in 乾隆, 於 as a surname) is real Simplified text and must
    stay itself in the index and in excerpts.
    """
    converter = opencc.OpenCC("t2s")
    chars = [chr(c) for c in range(0x4E00, 0xA000) if not _in_gb2312(chr(c))]
    # One call over the whole run, separated by newlines, is far faster than one call per character;
    # newline keeps OpenCC from treating neighbours as a phrase.
    converted = converter.convert("\n".join(chars)).split("\n")
    # 633 rare characters (僤 → 𫢸) convert to one outside the blocks of HAN, which has no code: they stay themselves.
    return {t: s for t, s in zip(chars, converted, strict=True) if len(s) == 1 and s != t and _IS_HAN.match(s)}


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    return str.maketrans(t2s_map())


def fold(text: str) -> str:
    """Fold Traditional characters to Simplified, one for one (same length, same positions)."""
    return text.translate(_t2s_table())


_HAN_RUN = re.compile(f"[{HAN}]+")


def tokenize(text: str, gram: int = GRAM) -> str:
    """Folded text with one word per Han character: the `gram` characters that start there.

    A run "灵石开发区" becomes, with gram 1, "灵 石 开 发 区"; with gram 3, "灵石开 石开发 开发区 发区 区"
    (the last words of a run are shorter). Every word starts with the character at its position, so
    the text reads back as the first character of each word, and any substring of a run is either a
    phrase of consecutive words (as long as `gram` or longer) or the start of one word (shorter).
    """
    def words(match: re.Match[str]) -> str:
        run = match.group(0)
        return " " + " ".join(run[i:i + gram] for i in range(len(run))) + " "
    return _SPACES.sub(" ", _HAN_RUN.sub(words, fold(text))).strip()


# Why codes: a word of two characters is far rarer than either character, so a query loads only the
# postings of its own pairs (灵石: the pages that contain 灵石) instead of every position of 灵 and of 石
# in the archive; that is what keeps a query's download small at 10,000 articles (docs/search.md).
# Why letters: Pagefind's page cuts any CJK query into single characters before looking words up, so a
# two-character Han word could never be found; a word of letters and digits is looked up as it is.
# Each Han character is three base-36 digits (28,096 characters < 36³); other words (Latin, numbers)
# get a "z" in front, which no code starts with, so a code never equals a word of the text. (Pagefind
# also indexes the meta fields' words as they are, and parts it cuts out of a word at a change of case
# ("zGDP" → "gdp", a code); site_gen/search_merge.py keeps only the words the documents were written with.)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# The Han blocks of HAN, in order, as (first code point, last code point, first number).
_BLOCKS = ((0x3400, 0x4DBF, 0), (0x4E00, 0x9FFF, 6592), (0xF900, 0xFAFF, 6592 + 20992))
LATIN_MARK = "z"
CODE_LENGTH = 3
CODE_PATTERN = "[0-9a-l][0-9a-z]{2}"  # 28,096 codes: the first digit is at most "l" (search.js: HAN_CODE)


def han_code(char: str) -> str:
    """A Han character's three-digit base-36 code (search.js computes the same)."""
    point = ord(char)
    for first, last, start in _BLOCKS:
        if first <= point <= last:
            number = point - first + start
            return _DIGITS[number // 1296] + _DIGITS[number // 36 % 36] + _DIGITS[number % 36]
    raise ValueError(f"not a Han character: {char!r}")


def han_char(code: str) -> str:
    """The Han character of a three-digit code (the inverse of han_code)."""
    number = int(code, 36)
    for first, last, start in reversed(_BLOCKS):
        if number >= start:
            return chr(first + number - start)
    raise ValueError(f"not a character code: {code!r}")


@functools.lru_cache(maxsize=1)
def _code_table() -> dict[int, str]:
    """Every Han character (after folding) → its code, for str.translate."""
    return {point: han_code(chr(point)) for first, last, _ in _BLOCKS for point in range(first, last + 1)}


# code_tokens in three passes of C code, not one Python call per run of characters (2× faster: 0.65 → 0.33 s
# for 500 articles). Every Han character becomes "<RUN>code code<END>", so a run "灵石开" reads
# "<RUN>bw5 bw5<END><RUN>ddf ddf<END><RUN>8g0 8g0<END>". Deleting each "<END><RUN>" joins a character's second
# copy to the next one's first: "<RUN>bw5 bw5ddf ddf8g0 8g0<END>"; what is left of <RUN> starts a run and is
# followed by a first copy that no pair needs. The markers are lone surrogates, which indexed text never holds:
# content files must be UTF-8, and front matter refuses unpaired surrogate escapes (site_gen/article.py).
_RUN, _END = "\ud800", "\ud801"
_RUN_START = re.compile(f"{_RUN}[0-9a-z]{{{CODE_LENGTH}}} ")
_OTHER_WORD = re.compile(f"[^\\W_{HAN}]+")


@functools.lru_cache(maxsize=1)
def _pair_table() -> dict[int, str]:
    """Every Han character → <RUN>code code<END> of its folded form (fold keeps a Han character Han)."""
    codes, table = _code_table(), _t2s_table()
    return {point: f"{_RUN}{code} {code}{_END}" for point in codes
            for code in [codes[ord(table.get(point, chr(point)))]]}


def code_tokens(text: str) -> str:
    """Folded text as index words: at each Han character, its code and the next character's code in the
    same run (the last character of a run: its code alone); "z" + any other word; punctuation as is.

    "灵石开发区，5G" → "bw5ddf ddf8g0 8g068h 68h64a 64a ， z5G". A query of n ≥ 2 characters is then
    the phrase of its n − 1 pair words, found exactly where the text contains it (search.js), and a
    one-character query is the character's code, which site_gen/search_chunks.py completes in the index.
    """
    text = _OTHER_WORD.sub(_mark_other, text).translate(_pair_table()).replace(_END + _RUN, "")
    return " ".join(_RUN_START.sub(" ", text).replace(_END, " ").split())


def _mark_other(match: re.Match[str]) -> str:
    return f" {LATIN_MARK}{match.group(0)} "


def query_json(gram: int = GRAM, scheme: str = SCHEME, phrases: list[str] | tuple[str, ...] = ()) -> str:
    """What the search page needs to prepare a query as the index was prepared: {"scheme": "codes" or
    "chars", "gram": n (chars scheme), "t": traditional chars, "s": simplified chars (same order),
    "phrases": the names searched by their phrase companion (site_gen/search_merge.py)}."""
    table = t2s_map()
    keys = "".join(sorted(table))
    return json.dumps({"scheme": scheme, "gram": gram, "t": keys, "s": "".join(table[k] for k in keys),
                       "phrases": list(phrases)}, ensure_ascii=False, separators=(",", ":"))
