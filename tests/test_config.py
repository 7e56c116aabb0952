"""site.yml: every key validated and documented; bad values reported with the file's path."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from site_gen.config import SiteConfig, load_config
from site_gen.diagnostics import SiteGenError

from conftest import REPO


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "site.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config == SiteConfig()
    assert config.base_path == "/" and config.site_url == "http://localhost:8000/"


def test_file_values_and_the_base_url_override(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"title": "站", "per_page": 5, "base_url": "https://a.github.io/x"}))
    assert (config.title, config.per_page, config.root) == ("站", 5, tmp_path)
    assert config.base_path == "/x/" and config.site_url == "https://a.github.io/x/"
    overridden = load_config(write(tmp_path, {"base_url": "https://a.github.io/x/"}), "https://b.example/")
    assert overridden.base_path == "/"


@pytest.mark.parametrize("data, message", [
    ({"colour": "red"}, "unknown config key 'colour'"),
    ({"per_page": "ten"}, "`per_page` must be int"),
    ({"per_page": 0}, "`per_page` must be at least 1"),
    ({"title": ["a"]}, "`title` must be str"),
    ({"base_url": "example.com/repo"}, "must be an absolute http(s) URL"),
    ({"timezone": "Mars/Olympus"}, "unknown `timezone` 'Mars/Olympus'"),
    (["a", "list"], "the config must be a mapping"),
])
def test_bad_values_are_reported(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(SiteGenError) as error:
        load_config(write(tmp_path, data))
    assert any(message in d.message for d in error.value.diagnostics), error.value
    assert all("site.yml" in d.path for d in error.value.diagnostics)


def test_invalid_yaml_has_a_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "site.yml"
    path.write_text("title: ok\nbase_url: [unclosed\n", encoding="utf-8")
    with pytest.raises(SiteGenError) as error:
        load_config(path)
    diagnostic = error.value.diagnostics[0]
    assert diagnostic.line is not None and diagnostic.line >= 2 and diagnostic.col is not None


def test_every_key_is_documented_with_its_default() -> None:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for field in fields(SiteConfig):
        if field.name == "root":
            continue
        row = re.search(rf"^\| `{field.name}` \|(.+)$", text, re.M)
        assert row, f"docs/configuration.md has no row for `{field.name}`"
        assert f"`{field.default}`" in row.group(1), f"the row for `{field.name}` does not show its default"
