"""Publication dates as captured pages write them; never invented.

Input: a line or a whole text. Output: an ISO 8601 string (with the site's UTC offset when a time
of day is given) and whether any part of it was inferred.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CHINA_OFFSET = "+08:00"

_FULL = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?"
    r"(?:(?:[ T]+|(?<=日)\s*)(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
    r"(?:\s*(?P<tz>[+-]\d{2}:?\d{2}|Z))?"
)
_MONTH_DAY_CN = re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_RELATIVE_WP = re.compile(r"\d+\s*(?:秒|分钟|小时|天|周|个月|年)前\s*[（(](?P<m>\d{1,2})-(?P<d>\d{1,2})[)）]")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class FoundDate:
    iso: str
    inferred: bool = False


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _iso(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None, tz: str | None) -> str | None:
    if not _valid(y, m, d):
        return None
    if hh is None:
        return f"{y:04d}-{m:02d}-{d:02d}"
    h, mi, s = int(hh), int(mm or 0), int(ss or 0)
    if h > 23 or mi > 59 or s > 59:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if tz in (None, ""):
        tz = CHINA_OFFSET
    elif tz == "Z":
        tz = "+00:00"
    elif ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    return f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{tz}"


def find_full_date(text: str) -> FoundDate | None:
    """A date with its year (and maybe a time): `2024-10-05 10:28:42`, `2022年3月10日`."""
    for match in _FULL.finditer(text):
        iso = _iso(int(match["y"]), int(match["m"]), int(match["d"]), match["H"], match["M"], match["S"], match["tz"])
        if iso:
            return FoundDate(iso)
    return None


def latest_year_mentioned(text: str, not_after: int | None = None) -> int | None:
    years = [int(y) for y in _YEAR_IN_TEXT.findall(text)]
    if not_after is not None:
        years = [y for y in years if y <= not_after]
    return max(years) if years else None


def infer_month_day(month: int, day: int, text: str) -> FoundDate | None:
    """A month and day without a year: the year is the latest the article itself mentions, marked inferred.

    Without any year in the text the date stays unknown.
    """
    year = latest_year_mentioned(text)
    if year is None or not _valid(year, month, day):
        return None
    return FoundDate(f"{year:04d}-{month:02d}-{day:02d}", inferred=True)


def find_relative_wordpress_date(line: str) -> tuple[int, int] | None:
    """`admin9个月前 (09-29)` → (9, 29): only the month and day are real; the year is not given."""
    match = _RELATIVE_WP.search(line)
    return (int(match["m"]), int(match["d"])) if match else None


def find_month_day(text: str) -> tuple[int, int] | None:
    match = _MONTH_DAY_CN.search(text)
    return (int(match["m"]), int(match["d"])) if match else None
