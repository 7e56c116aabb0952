"""Line-by-line reading of a captured page: header chrome, title, date/source line, body, bylines, footer.

Input: cleaned lines (Simplified Chinese, one paragraph or chrome item per line, blank lines kept).
Output: a Scrape with the metadata found and the body as Markdown blocks. Nothing is guessed: a
field the page does not state stays empty. Chrome lines are not thrown away silently: they are
kept in `dropped` so the import report can show what was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_gen.importer import dates

# Lines before the title that belong to the site, not the article.
_HEADER_CHROME = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|位置[:：]|首页\s*[>›»/]|.*[>›»]\s*正文|.*\S\s*[>›»]\s*\S.*[>›»]|分享至|分享到"
    r"|申请入驻|\d{1,7}$|打印|【打印】|字号|【?字体[:：]|[大中小]\s*[大中小]\s*[大中小]?$|浏览(?:次数|量)|阅读(?:量|数|次数)"
    r"|点击(?:数|量|次数)|关注$|收藏$|扫一扫|微信扫一扫|手机版$|无障碍|\[?返回\S{0,6}\]?$)"
)
# First line of the footer: everything from it on is site chrome (metadata in it is still read).
_FOOTER_START = re.compile(
    r"^(?:相关新闻|相关文章|相关阅读|相关推荐|相关链接|延伸阅读|推荐阅读|热点推荐|热门文章|最新文章|猜你喜欢|专题推荐|往期回顾"
    r"|声明|特别声明|版权声明|免责声明|Copyright|©|Notice:|标签[:：]|Tags?[:：]|分享给朋友|分享到|网站简介|【责任编辑"
    r"|【打印|打印本页|关闭窗口|【关闭|上一篇|下一篇|上一条|下一条|发表评论|评论列表|网友评论|本文地址|主办单位|网站标识码|[京晋沪粤]ICP)",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(微信号?|手机|电话|热线|QQ|邮箱|E-?mail|扫一扫|长按)[:：/]?|\b1[3-9]\d{9}\b|\b400[ -]?\d{3,4}[ -]?\d{3,4}\b", re.I)
_SOURCE_LINE = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*【?(?P<source>[^\s|｜:：【】]{2,30})")
_SOURCE_ONLY = re.compile(r"^[\[【(（]?\s*(?:文章|信息)?(?:来源|稿源)\s*[:：]\s*(?P<source>[^\s|｜:：()（）\[\]【】]{2,30})\s*[\]】)）]?$")
_ARTICLE_SOURCE = re.compile(r"[（(]\s*(?:文章|信息)?(?:来源|稿源)\s*[:：]\s*(?P<source>[^)）]{2,30}?)\s*[)）]")
_NAME = r"[\u4e00-\u9fff]{2,4}"
_NAME_OR_FOREIGN = r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,9}"
_REPORTER_BYLINE = re.compile(
    r"[（(]\s*(?P<outlet>[^()（）\s]{2,12})?\s*(?:本报|首席|见习|特约)?(?:记者|通讯员)\s*(?P<names>[^()（）]{2,60}?)\s*[)）]\s*$"
)
_LEADING_BYLINE = re.compile(
    r"^(?P<lead>(?:(?:本报|本台|本网)讯|[\u4e00-\u9fff]{2,14}(?:\d{1,2}月)?\d{1,2}日电)\s*)?[（(]\s*(?P<outlet>[^()（）\s]{2,12})?\s*(?:本报|首席|见习|特约)?(?:记者|通讯员)\s*(?P<names>[^()（）]{2,60}?)\s*[)）]\s*"
)
_PLAIN_BYLINE = re.compile(rf"[（(]\s*(?P<names>{_NAME}(?:[ 、，,]+{_NAME}){{0,5}})\s*[)）]\s*$")
_END_MARK = re.compile(r"^[（(]\s*完\s*[)）]$|^[【\[]\s*完\s*[】\]]$")
_NAME_LINE = re.compile(rf"^{_NAME}(?:\s+{_NAME})+$")
_PORTAL_ACCOUNT = re.compile(r"^(?P<source>\S{2,20}?)官方(?:网易号|百家号|头条号|企鹅号|搜狐号|澎湃号)$")
_COPYRIGHT_SOURCE = re.compile(r"本文由(?P<source>[^\s，,。]{2,20}?)(?:发布|原创)")
_ENDS_SENTENCE = re.compile(r"[。！？!?；;…”’」』)）\]]$")
_CAPTION = re.compile(r"^(?:图为|▲|△|图片来源|（图片|\(图片)|[（(][^()（）]{0,20}摄[)）]$|\S\s*摄$")

# Credit roles: who a name on a byline or credit line is.
_ROLE = re.compile(
    r"(?P<role>责任编辑|责编|实习编辑|编辑|主编|审核|审校|校对|终审|初审|复审|二审|三审|监制|统筹|策划|制作|摄影|摄像|图片|"
    r"本报记者|首席记者|见习记者|特约记者|记者|通讯员|作者|撰稿|文/图|图/文|文|图)\s*(?:[:：|/]\s*|\s+)"
)
_EDITOR_ROLES = {"责任编辑", "责编", "实习编辑", "编辑", "主编"}
_AUTHOR_ROLES = {"本报记者", "首席记者", "见习记者", "特约记者", "记者", "通讯员", "作者", "撰稿", "文", "文/图", "图/文"}
_PHOTO_ROLES = {"摄影", "摄像", "图片", "图"}


@dataclass
class Scrape:
    title: str | None = None
    date: dates.FoundDate | None = None
    month_day: tuple[int, int] | None = None  # a date whose year the page did not give
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)  # other roles (审核, 校对 …) as written
    blocks: list[str] = field(default_factory=list)  # Markdown blocks of the body
    captions: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # chrome lines, kept for the import report


def split_names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s、，,/／;；]+", text.strip()) if n]


def _add_unique(target: list[str], names: list[str]) -> None:
    for name in names:
        if name not in target:
            target.append(name)


def clean_source(source: str) -> str:
    """`人民网－山西频道` → `人民网`: a channel of an outlet is still the outlet."""
    source = source.strip().strip("【】[]")
    return re.split(r"\s*[－—-]\s*\S{1,8}频道$", source)[0] or source


def _names_only(names: list[str]) -> bool:
    return bool(names) and all(re.fullmatch(_NAME_OR_FOREIGN, n) for n in names)


def parse_credits(line: str) -> list[tuple[str, list[str]]] | None:
    """`[编辑:杜利勇 张能改]`, `编辑：张三 审核：李四`, `文/张三` → [(role, names)]; None if not a credit line."""
    text = line.strip().strip("[]【】()（）").strip()
    if len(text) > 80:
        return None
    matches = list(_ROLE.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    credits = []
    for match, following in zip(matches, matches[1:] + [None]):
        names = split_names(text[match.end(): following.start() if following else len(text)])
        if names and names[-1] == "摄":
            names.pop()
        if not _names_only(names):
            return None
        credits.append((match["role"], names))
    return credits


def _apply_credits(credits: list[tuple[str, list[str]]], scrape: Scrape) -> None:
    for role, names in credits:
        if role in _EDITOR_ROLES:
            _add_unique(scrape.editors, names)
        elif role in _AUTHOR_ROLES:
            _add_unique(scrape.authors, names)
        elif role in _PHOTO_ROLES:
            _add_unique(scrape.photographers, names)
        else:
            scrape.credits.append(f"{role}: {' '.join(names)}")


def _byline_names(names: str, scrape: Scrape) -> list[str]:
    """Names in `记者 张三 通讯员 李四 摄`: role words are not names; `摄` marks photographers."""
    parts = [p for p in split_names(re.sub(r"(?:本报|首席|见习|特约)?(?:记者|通讯员)", " ", names)) if p]
    if parts and parts[-1].endswith("摄"):
        last = parts.pop()[:-1]
        if last:
            parts.append(last)
        _add_unique(scrape.photographers, parts)
        return []
    return parts


def _is_title_candidate(line: str) -> bool:
    return 4 <= len(line) <= 100 and not line.endswith("。") and dates.find_full_date(line) is None


def _is_short_heading(line: str) -> bool:
    return len(line) <= 40 and not _ENDS_SENTENCE.search(line) and not line.endswith(("：", ":"))


# Every metadata line has a digit or one of these words: a cheap test that spares body lines the rest.
_MAYBE_METADATA = re.compile(r"\d|来源|稿源|出处|编|审|校对|监制|统筹|策划|制作|记者|通讯员|作者|撰稿|摄|图|文")


def read_metadata_line(line: str, scrape: Scrape) -> bool:
    """If `line` is a date/source/credit line, record what it says and return True."""
    if len(line) > 100 or not _MAYBE_METADATA.search(line):
        return False
    credits = parse_credits(line)
    if credits:
        _apply_credits(credits, scrape)
        return True
    found = dates.find_full_date(line)
    source = _SOURCE_LINE.search(line)
    if found and (source or len(line) <= 40 or re.search(r"发布|时间|作者|浏览|日期", line)):
        scrape.date = scrape.date or found
        if source:
            scrape.source = scrape.source or clean_source(source["source"])
        for credit in re.finditer(r"(?:作者|记者|编辑|责任编辑|责编)\s*[:：]\s*(?P<names>[\u4e00-\u9fff·、 ]{2,30}?)(?=\s{2,}|\s*[|｜]|\s*(?:来源|发布|时间|浏览|日期|$))", line):
            names = split_names(credit["names"])
            if _names_only(names):
                target = scrape.editors if "编" in credit.group(0) else scrape.authors
                _add_unique(target, names)
        return True
    if source and len(line) <= 60 and re.match(r"^[\d\s:：/.\-年月日]{6,}", line):
        # A date line whose date is not a real day (2023-02-30): the source stands, the date is not guessed.
        scrape.source = scrape.source or clean_source(source["source"])
        return True
    source_only = _SOURCE_ONLY.match(line)
    if source_only:
        scrape.source = scrape.source or clean_source(source_only["source"])
        return True
    month_day = dates.find_relative_wordpress_date(line)
    if month_day:
        scrape.month_day = scrape.month_day or month_day
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


def _is_contact(line: str) -> bool:
    return len(line) <= 60 and bool(_CONTACT.search(line))


def _footer_start(lines: list[str], first_body: int) -> int:
    """The first footer line; contact and ad lines right before the footer belong to it too."""
    end = len(lines)
    for i in range(first_body + 1, len(lines)):
        if lines[i] and _FOOTER_START.match(lines[i]):
            end = i
            break
    # Walk back over an ad block (contact lines, and the short lines between them) above the footer.
    start = end
    i = end - 1
    while i > first_body:
        line = lines[i]
        if not line:
            i -= 1
            continue
        if _is_contact(line) or (len(line) <= 80 and "微信" in line) or (
                start < end and len(line) <= 80 and re.search(r"联系|对接|咨询|合作|需求", line)):
            start = i
            i -= 1
            continue
        break
    return start


def strip_trailing_bylines(text: str, scrape: Scrape) -> str:
    """Take `(晋中日报 记者 王文安)`, `(程煜媛)` and `（文章来源：晋中日报）` off the end of a paragraph."""
    while True:
        source = _ARTICLE_SOURCE.search(text)
        if source and source.end() >= len(text.rstrip()):
            scrape.source = scrape.source or clean_source(source["source"])
            text = text[: source.start()].rstrip()
            continue
        reporter = _REPORTER_BYLINE.search(text)
        if reporter:
            if reporter["outlet"]:
                scrape.source = scrape.source or reporter["outlet"]
            _add_unique(scrape.authors, _byline_names(reporter["names"], scrape))
            text = text[: reporter.start()].rstrip()
            continue
        plain = _PLAIN_BYLINE.search(text)
        # `…发展。(程煜媛)` closes a paragraph; `(王刚 李强)` alone is the byline paragraph itself.
        if plain and (plain.start() > 0 or text.startswith(("(", "（"))):
            _add_unique(scrape.authors, split_names(plain["names"]))
            text = text[: plain.start()].rstrip()
            continue
        credits = None
        bracket = re.search(r"[（(\[【][^（()）\[\]【】]{2,60}[)）\]】]$", text)
        if bracket and bracket.start() > 0:
            credits = parse_credits(bracket.group(0))
        if credits:
            _apply_credits(credits, scrape)
            text = text[: bracket.start()].rstrip()
            continue
        return text


def _strip_leading_byline(text: str, scrape: Scrape) -> str:
    """`本报讯（记者 张三 通讯员 李四）…`: the names are credits; the dateline word stays with the text."""
    match = _LEADING_BYLINE.match(text)
    if not match:
        return text
    if match["outlet"] and not match["lead"]:
        scrape.source = scrape.source or match["outlet"]
    _add_unique(scrape.authors, _byline_names(match["names"], scrape))
    lead = (match["lead"] or "").strip()
    return f"{lead} {text[match.end():]}" if lead else text[match.end():]


def _block_kind(block: str) -> str:
    last = block.rsplit("\n", 1)[-1]
    if last.startswith("|"):
        return "|"
    return "list" if last.startswith(("- ", "* ", "+ ")) or re.match(r"^\d+\. ", last) else "text"


def parse_lines(lines: list[str], title: str | None = None, meta_lines: list[str] | None = None) -> Scrape:
    """Read a page's lines. `title` is given when the format already carries one (front matter, HTML);
    `meta_lines` are page chrome around the article, read for dates, sources and credits only."""
    scrape = Scrape(title=title)
    for line in meta_lines or ():
        read_metadata_line(line, scrape)
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
    # Trailing reporter lines and credit lines at the end of the body.
    while body_lines and (not body_lines[-1] or _NAME_LINE.match(body_lines[-1]) or parse_credits(body_lines[-1])
                          or _END_MARK.match(body_lines[-1]) or _SOURCE_ONLY.match(body_lines[-1])):
        last = body_lines.pop()
        if last and not read_metadata_line(last, scrape) and not _END_MARK.match(last):
            scrape.authors[:0] = [name for name in split_names(last) if name not in scrape.authors]
    # Body: one block per line; short unpunctuated lines are subheadings, or image captions when an
    # image gap (two or more blank lines) stands before them or they say so (图为…, …摄).
    blank_run = 0
    for line in body_lines:
        if not line:
            blank_run += 1
            continue
        gap, blank_run = blank_run, 0
        if _END_MARK.match(line):
            scrape.dropped.append(line)
            continue
        if len(line) <= 60 and read_metadata_line(line, scrape):
            continue
        if not scrape.blocks:
            line = _strip_leading_byline(line, scrape)
            if not line:
                continue
        if line.startswith(("|", "- ", "* ", "+ ")) or re.match(r"^\d+\. ", line):
            # Rows of one table, items of one list: one block, line by line.
            kind = "|" if line.startswith("|") else "list"
            if gap <= 1 and scrape.blocks and _block_kind(scrape.blocks[-1]) == kind:
                scrape.blocks[-1] += "\n" + line
            else:
                scrape.blocks.append(line)
        elif line.startswith(("#", "![", "> ")):
            scrape.blocks.append(line)
        elif len(line) <= 60 and _CAPTION.search(line) and not re.search(r"[。！？；][^。！？；]{0,12}[（(][^()（）]*摄[)）]$", line):
            scrape.captions.append(line)
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
