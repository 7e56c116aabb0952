"""Line-by-line reading of a captured page: header chrome, title, date/source line, body, bylines, footer.

Input: cleaned lines (Simplified Chinese, one paragraph or chrome item per line, blank lines kept).
Output: a Scrape with the metadata found and the body as Markdown blocks. Nothing is guessed: a
field the page does not state stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_gen.importer import dates

# Lines before the title that belong to the site, not the article.
_HEADER_CHROME = re.compile(
    r"^(?:当前位置|您的位置|首页\s*[>›»]|.*[>›»]\s*正文|分享至|申请入驻|\d{1,7}|打印|字号|[大中小]\s*[大中小]\s*[大中小]?)"
)
# First line of the footer: everything from it on is site chrome (metadata in it is still read).
_FOOTER_START = re.compile(
    r"^(?:相关新闻|相关文章|相关阅读|相关推荐|延伸阅读|推荐阅读|热点推荐|专题推荐|往期回顾|声明|特别声明|版权声明|免责声明"
    r"|Copyright|©|Notice:|标签[:：]|分享给朋友|分享到|网站简介|【责任编辑|打印本页|关闭窗口)",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(微信号?|手机|电话|热线|QQ|邮箱|E-?mail|扫一扫|长按)[:：/]?|\b1[3-9]\d{9}\b|\b400[ -]?\d{3,4}[ -]?\d{3,4}\b", re.I)
_SOURCE_LINE = re.compile(r"来源\s*[:：]\s*(?P<source>[^\s|｜:：]{2,30})")
_ARTICLE_SOURCE = re.compile(r"[（(]\s*(?:文章)?来源\s*[:：]\s*(?P<source>[^)）]{2,30}?)\s*[)）]")
_REPORTER_BYLINE = re.compile(
    r"[（(]\s*(?P<outlet>[^()（）\s]{2,12})?\s*(?:首席)?(?:记者|通讯员|见习记者)\s*(?P<names>[^()（）]{2,60}?)\s*[)）]\s*$"
)
_NAME = r"[\u4e00-\u9fff]{2,4}"
_PLAIN_BYLINE = re.compile(rf"[（(]\s*(?P<names>{_NAME}(?:[ 、，,]+{_NAME}){{0,5}})\s*[)）]\s*$")
_EDITORS = re.compile(r"^[\[【]?\s*(?:责任编辑|责编|编辑|审核|校对)\s*[:：]\s*(?P<names>[^\]】]+?)\s*[\]】]?$")
_NAME_LINE = re.compile(rf"^{_NAME}(?:\s+{_NAME})+$")
_PORTAL_ACCOUNT = re.compile(r"^(?P<source>\S{2,20}?)官方(?:网易号|百家号|头条号|企鹅号|搜狐号)$")
_COPYRIGHT_SOURCE = re.compile(r"本文由(?P<source>[^\s，,。]{2,20}?)(?:发布|原创)")
_ENDS_SENTENCE = re.compile(r"[。！？!?；;…”’」』)）\]]$")


@dataclass
class Scrape:
    title: str | None = None
    date: dates.FoundDate | None = None
    month_day: tuple[int, int] | None = None  # a date whose year the page did not give
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # Markdown blocks of the body
    captions: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # chrome lines, kept for the import report


def split_names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s、，,/]+", text.strip()) if n]


def _add_unique(target: list[str], names: list[str]) -> None:
    for name in names:
        if name not in target:
            target.append(name)


def _is_title_candidate(line: str) -> bool:
    return 4 <= len(line) <= 100 and not line.endswith("。") and dates.find_full_date(line) is None


def _is_short_heading(line: str) -> bool:
    return len(line) <= 40 and not _ENDS_SENTENCE.search(line) and not line.endswith(("：", ":"))


def read_metadata_line(line: str, scrape: Scrape) -> bool:
    """If `line` is a date/source/editor line, record what it says and return True."""
    if len(line) <= 80:
        found = dates.find_full_date(line)
        source = _SOURCE_LINE.search(line)
        if found and (source or len(line) <= 40):
            scrape.date = scrape.date or found
            if source:
                scrape.source = scrape.source or source["source"]
            return True
        month_day = dates.find_relative_wordpress_date(line)
        if month_day:
            scrape.month_day = scrape.month_day or month_day
            return True
    editors = _EDITORS.match(line)
    if editors:
        _add_unique(scrape.editors, split_names(editors["names"]))
        return True
    return False


def _read_footer(lines: list[str], scrape: Scrape) -> None:
    for line in lines:
        if not line:
            continue
        if not read_metadata_line(line, scrape):
            account = _PORTAL_ACCOUNT.match(line)
            copyright_source = _COPYRIGHT_SOURCE.search(line)
            if account:
                scrape.source = scrape.source or account["source"]
            elif copyright_source:
                scrape.source = scrape.source or copyright_source["source"]
            scrape.dropped.append(line)


def _footer_start(lines: list[str], first_body: int) -> int:
    half = first_body + (len(lines) - first_body) // 2
    for i in range(first_body + 1, len(lines)):
        line = lines[i]
        if not line:
            continue
        if _FOOTER_START.match(line):
            return i
        if i >= half and len(line) <= 60 and _CONTACT.search(line):
            return i
    return len(lines)


def strip_trailing_bylines(text: str, scrape: Scrape) -> str:
    """Take `(晋中日报 记者 王文安)`, `(程煜媛)` and `（文章来源：晋中日报）` off the end of a paragraph."""
    while True:
        source = _ARTICLE_SOURCE.search(text)
        if source and source.end() >= len(text.rstrip()):
            scrape.source = scrape.source or source["source"].strip()
            text = text[: source.start()].rstrip()
            continue
        reporter = _REPORTER_BYLINE.search(text)
        if reporter:
            if reporter["outlet"]:
                scrape.source = scrape.source or reporter["outlet"]
            _add_unique(scrape.authors, split_names(reporter["names"]))
            text = text[: reporter.start()].rstrip()
            continue
        plain = _PLAIN_BYLINE.search(text)
        if plain and plain.start() > 0:
            _add_unique(scrape.authors, split_names(plain["names"]))
            text = text[: plain.start()].rstrip()
            continue
        return text


def parse_lines(lines: list[str], title: str | None = None) -> Scrape:
    """Read a page's lines. `title` is given when the format already carries one (front matter, HTML)."""
    scrape = Scrape(title=title)
    i = 0
    n = len(lines)
    # Header: chrome and the title line.
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        if read_metadata_line(line, scrape):
            i += 1
            continue
        if _HEADER_CHROME.match(line) and len(line) <= 40:
            scrape.dropped.append(line)
            i += 1
            continue
        if scrape.title is None and _is_title_candidate(line) and not scrape.blocks:
            scrape.title = line
            i += 1
            continue
        break
    first_body = i
    end = _footer_start(lines, first_body)
    _read_footer(lines[end:], scrape)

    body_lines = lines[first_body:end]
    # Trailing reporter lines and editor lines at the end of the body.
    while body_lines and (not body_lines[-1] or _NAME_LINE.match(body_lines[-1]) or _EDITORS.match(body_lines[-1])):
        last = body_lines.pop()
        if last and not read_metadata_line(last, scrape):
            tail_names = split_names(last)
            scrape.authors[:0] = [n for n in tail_names if n not in scrape.authors]
    # Body: one block per line; short unpunctuated lines are subheadings, or image captions when an
    # image gap (two or more blank lines) stands before them.
    blank_run = 0
    for line in body_lines:
        if not line:
            blank_run += 1
            continue
        gap, blank_run = blank_run, 0
        if read_metadata_line(line, scrape):
            continue
        if line.startswith(("#", "![", "|", "- ", "* ", "> ")) or re.match(r"^\d+\. ", line):
            scrape.blocks.append(line)
        elif _is_short_heading(line) and not line.startswith("["):
            if gap >= 2:
                scrape.captions.append(line)
            else:
                scrape.blocks.append(f"## {line}")
        else:
            scrape.blocks.append(line)
    # Bylines close the body; a paragraph that was only a byline goes, and the one before may hold another.
    while scrape.blocks:
        scrape.blocks[-1] = strip_trailing_bylines(scrape.blocks[-1], scrape)
        if scrape.blocks[-1]:
            break
        scrape.blocks.pop()
    if scrape.month_day is None and scrape.date is None and scrape.blocks:
        scrape.month_day = dates.find_month_day(scrape.blocks[0][:60])
    return scrape
