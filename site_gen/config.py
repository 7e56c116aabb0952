"""Site configuration: `site.yml` (optional) over embedded defaults, then command-line overrides.

Input: a YAML file path (or none). Output: a frozen SiteConfig, or Diagnostics for bad keys/values.
Every key is documented in docs/configuration.md.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from site_gen.diagnostics import Diagnostic, SiteGenError, display_path


@dataclass(frozen=True)
class SiteConfig:
    title: str = "山西开发区新闻档案"
    description: str = "山西省开发区新闻报道存档"
    base_url: str = "http://localhost:8000/"
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    theme: str = "default"  # a folder under themes/, or a path; falls back to the built-in theme
    per_page: int = 20
    data_dir: str = "data"  # site overrides of the reference data (zones.yml, counties.yml …)
    root: Path = Path(".")  # folder the config file lives in; relative paths resolve against it

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with `/` (e.g. `/repo/`)."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def site_url(self) -> str:
        """The absolute base URL, always ending with `/`."""
        return self.base_url if self.base_url.endswith("/") else self.base_url + "/"


_TYPES: dict[str, type] = {f.name: (int if f.name == "per_page" else str) for f in fields(SiteConfig) if f.name != "root"}


def load_config(path: Path | None, base_url: str | None = None) -> SiteConfig:
    """Read the config file (if any), validate every key, apply overrides; raise with all problems."""
    values: dict[str, Any] = {}
    root = Path(".")
    if path is not None:
        shown = display_path(path)
        root = path.parent
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise SiteGenError(Diagnostic(shown, f"cannot read config: {exc.strerror}")) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            raise SiteGenError(Diagnostic(shown, f"invalid YAML: {exc.problem}", line=(mark.line + 1) if mark else None,
                                          col=(mark.column + 1) if mark else None)) from None
        loaded = loaded or {}
        if not isinstance(loaded, dict):
            raise SiteGenError(Diagnostic(shown, "the config must be a mapping of `key: value` lines", line=1))
        problems = []
        for key, value in loaded.items():
            if key not in _TYPES:
                problems.append(Diagnostic(shown, f"unknown config key {key!r}",
                                           hint="see docs/configuration.md for the keys"))
            elif not isinstance(value, _TYPES[key]) or isinstance(value, bool):
                problems.append(Diagnostic(shown, f"`{key}` must be {_TYPES[key].__name__}"))
            else:
                values[key] = value
        if problems:
            raise SiteGenError(problems)
    config = replace(SiteConfig(), root=root, **values)
    if base_url:
        config = replace(config, base_url=base_url)
    scheme = urlsplit(config.base_url).scheme
    if scheme not in ("http", "https"):
        raise SiteGenError(Diagnostic(str(path or "--base-url"),
                                      f"base_url {config.base_url!r} must be an absolute http(s) URL",
                                      hint="e.g. https://user.github.io/repo/"))
    if config.per_page < 1:
        raise SiteGenError(Diagnostic(str(path), "`per_page` must be at least 1"))
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteGenError(Diagnostic(str(path), f"unknown `timezone` {config.timezone!r}",
                                      hint="an IANA name such as Asia/Shanghai")) from None
    return config
