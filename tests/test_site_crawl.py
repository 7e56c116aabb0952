"""The site works when served under a subpath (GitHub Pages project sites): starting from the home page
and following every link and asset, nothing is broken, nothing escapes /repo/, and every HTML page of
public/ is reached (no orphans). Feed, sitemap and canonical URLs point into the subpath too."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import SubpathServer
from site_fixture import write_fixture_site

from site_gen.cli import main as cli_main

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), ""


def crawl(start: str, prefix_url: str) -> tuple[set[str], list[str]]:
    """Breadth-first over every same-host reference (a/link/script/img/form); returns pages seen and problems."""
    host = urlsplit(start).netloc
    seen: set[str] = set()
    queue = [start]
    problems: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, ctype = fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if "html" not in ctype:
            continue
        doc = lxml_html.fromstring(body)
        refs = doc.xpath("//a/@href | //link/@href | //script/@src | //img/@src | //form/@action")
        for ref in refs:
            target, _ = urldefrag(urljoin(url, ref))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            if not target.startswith(prefix_url):
                problems.append(f"{url}: link escapes the subpath: {ref}")
                continue
            queue.append(target)
    return seen, problems


def site_files(public: Path, prefix_url: str, suffix: str) -> set[str]:
    urls = set()
    for path in public.rglob(f"*{suffix}"):
        relative = path.relative_to(public).as_posix()
        if relative.startswith("pagefind/"):
            continue
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        urls.add(prefix_url + relative)
    return urls


def check_site(public: Path, server: SubpathServer) -> None:
    seen, problems = crawl(server.base_url, server.base_url)
    assert problems == []
    pages = site_files(public, server.base_url, ".html") - {server.base_url + "404.html"}
    assert pages - seen == set(), "orphan pages: not reachable by links from the home page"
    # feed entries, sitemap entries and canonical URLs resolve inside the subpath
    for feed in public.rglob("feed.xml"):
        for link in etree.parse(str(feed)).iter(f"{ATOM}link"):
            assert link.get("href").startswith(server.base_url)
            assert fetch(link.get("href"))[0] == 200, link.get("href")
    locs = [loc.text for loc in etree.parse(str(public / "sitemap.xml")).iter(f"{SITEMAP}loc")]
    assert set(locs) == pages
    for url in list(seen)[:50]:
        if url.endswith("/"):
            canonical = lxml_html.fromstring(fetch(url)[1]).xpath("//link[@rel='canonical']/@href")
            assert canonical == [url]


def test_sample_site_under_a_subpath_has_no_broken_links_or_orphans(built_sample) -> None:
    root, server = built_sample
    check_site(root / "public", server)


def test_paginated_fixture_site_under_a_subpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_fixture_site(tmp_path / "site")
    public = root / "public"
    public.mkdir()
    with SubpathServer(public, "/repo/") as server:
        monkeypatch.chdir(root)
        assert cli_main(["build", "--no-import", "--no-search", "--base-url", server.base_url]) == 0
        check_site(public, server)


def test_404_page_works_at_any_depth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser) -> None:
    """GitHub Pages answers any missing path with 404.html: its styles and links must work from any depth."""
    root = write_fixture_site(tmp_path / "site")
    public = root / "public"
    public.mkdir()
    with SubpathServer(public, "/repo/") as server:
        monkeypatch.chdir(root)
        assert cli_main(["build", "--no-import", "--no-search", "--base-url", server.base_url]) == 0
        body = (public / "404.html").read_bytes()
        context = browser.new_context()
        page = context.new_page()
        # Serve 404.html for a deep missing path, as GitHub Pages does.
        page.route("**/repo/no/such/deep/page/", lambda route: route.fulfill(status=404, body=body,
                                                                              content_type="text/html; charset=utf-8"))
        page.goto(server.base_url + "no/such/deep/page/")
        assert page.locator("h1").inner_text() == "页面不存在"
        # the stylesheet loaded (the header's top border comes from it)
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderTopWidth") == "4px"
        page.get_by_role("link", name="开发区", exact=True).first.click()
        assert page.url == server.base_url + "zones/"
        context.close()
