"""`site-gen serve` as a person uses it: a real process on a free port, pages under the base path,
a change to a content file rebuilt and signalled, a broken file shown in the page while serving goes on."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, write_site

ARTICLE = "---\ntitle: {title}\ndate: 2024-05-06\nseed: manual/a\nslug: a\n---\n\n灵石经济技术开发区今天有三个项目开工建设。\n"
TIMEOUT = 60.0


class Served:
    def __init__(self, process: subprocess.Popen[str], lines: "queue.Queue[str]"):
        self.process = process
        self.lines = lines
        self.output: list[str] = []
        self.port = 0

    def wait_for_line(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "serve exited:\n" + "".join(self.output)
                continue
            self.output.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r} in {TIMEOUT}s:\n" + "".join(self.output))

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)  # sent as written: http.client does not normalise `..`
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def status(self) -> dict[str, object]:
        code, _headers, body = self.get("/__site-gen/status")
        assert code == 200
        return json.loads(body)

    def wait_for_version(self, version: int, timeout: float = TIMEOUT) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["version"] == version:
                return status
            time.sleep(0.1)
        raise AssertionError(f"version {version} never came; last {self.status()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Served]]:
    root = write_site(tmp_path / "s", content={"a.md": ARTICLE.format(title="最初的标题")},
                      config={"base_url": "https://example.github.io/repo/", "title": "测试站"})
    (root / "secret.txt").write_text("outside the site", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", "CI": "true"}
    process = subprocess.Popen([sys.executable, "-m", "site_gen", "serve", "--port", "0", "--no-search"],
                               cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    server = Served(process, lines)
    try:
        match = server.wait_for_line(r"serving http://127\.0\.0\.1:(\d+)/repo/")
        server.port = int(match.group(1))
        yield root, server
    finally:
        process.kill()
        process.wait(timeout=10)


def test_serve_builds_serves_under_the_base_path_and_rebuilds(served: tuple[Path, Served]) -> None:
    root, server = served
    code, headers, home = server.get("/repo/")
    assert code == 200 and headers["Content-Type"].startswith("text/html")
    assert "测试站" in home and 'href="/repo/articles/a/"' in home
    assert "data-site-gen-serve" in home and "/__site-gen/status" in home  # the reload script
    assert "data-site-gen-serve" not in (root / "public" / "index.html").read_text(encoding="utf-8")
    code, headers, _ = server.get("/")
    assert code == 302 and headers["Location"] == "/repo/"
    code, headers, _ = server.get("/repo/articles/a")
    assert code == 302 and headers["Location"] == "/repo/articles/a/"
    code, _, page = server.get("/repo/articles/a/")
    assert code == 200 and "最初的标题" in page
    assert server.get("/repo/static/style.css")[1]["Content-Type"].startswith("text/css")
    assert server.get("/repo/no/such/page/")[0] == 404
    version = server.status()["version"]
    assert server.status()["error"] is None

    # Nothing outside the output folder, however the path is spelled.
    for path in ("/repo/../secret.txt", "/repo/%2e%2e/secret.txt", "/repo/%2E%2E/%2e%2e/s/secret.txt",
                 "/repo/..%2fsecret.txt", "/repo/articles/../../secret.txt"):
        code, _, body = server.get(path)
        assert code in (403, 404), path
        assert "outside the site" != body.strip()

    # Edit a content file: rebuilt, the status version moves on (the page reloads on it), the new title shows.
    (root / "content" / "a.md").write_text(ARTICLE.format(title="改过的标题"), encoding="utf-8")
    status = server.wait_for_version(version + 1)
    assert status["error"] is None
    code, _, page = server.get("/repo/articles/a/")
    assert "改过的标题" in page and "最初的标题" not in page
    server.wait_for_line(r"changed content/a\.md: rebuilt \d+ pages")

    # A broken file: the error shows in the terminal and over the page; the previous site is still served.
    (root / "content" / "a.md").write_text("---\ntitle: [unclosed\nseed: manual/a\n---\n", encoding="utf-8")
    status = server.wait_for_version(version + 2)
    assert "content/a.md:" in str(status["error"]) and "invalid YAML" in str(status["error"])
    server.wait_for_line(r"build failed; still serving the previous site")
    server.wait_for_line(r"content/a\.md:\d+(:\d+)?: error: invalid YAML")
    code, _, page = server.get("/repo/articles/a/")
    assert code == 200 and "data-site-gen-error" in page and "改过的标题" in page
    assert "invalid YAML" in page
    assert server.process.poll() is None

    # Fixed again: the error is gone.
    (root / "content" / "a.md").write_text(ARTICLE.format(title="修好的标题"), encoding="utf-8")
    assert server.wait_for_version(version + 3)["error"] is None
    code, _, page = server.get("/repo/articles/a/")
    assert "修好的标题" in page and "data-site-gen-error" not in page


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    import socket

    root = write_site(tmp_path / "s")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "true"}
        result = subprocess.run([sys.executable, "-m", "site_gen", "serve", "--port", str(port), "--no-search"],
                                cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}: error: cannot listen" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.browser
def test_the_open_page_reloads_itself_after_a_change(served: tuple[Path, Served], page) -> None:
    root, server = served
    page.goto(f"http://127.0.0.1:{server.port}/repo/articles/a/")
    assert "最初的标题" in page.content()
    version = server.status()["version"]
    (root / "content" / "a.md").write_text(ARTICLE.format(title="浏览器里自动出现的标题"), encoding="utf-8")
    server.wait_for_version(int(version) + 1)  # type: ignore[call-overload]
    page.get_by_text("浏览器里自动出现的标题").first.wait_for(timeout=15_000)  # no page.reload(): the script did it
    assert page.js_errors == []


def test_an_edit_is_published_before_its_search_index_is_made(tmp_path: Path) -> None:
    """With search on, serve publishes an edit's pages with the previous index, then re-indexes in the
    background and publishes the new index: the reader sees the page without waiting for Pagefind."""
    import gzip
    import io

    from site_gen.serve import Previewer, ServeSettings, SiteState

    root = write_site(tmp_path / "s", content={"a.md": ARTICLE.format(title="最初的标题")},
                      config={"base_url": "https://example.github.io/repo/", "title": "测试站"})
    settings = ServeSettings(config_path=root / "site.yml", seeds_dir=root / "seeds", content_dir=root / "content",
                             out_dir=root / "public", search=True)
    reports: "queue.Queue[object]" = queue.Queue()
    log = io.StringIO()
    previewer = Previewer(settings, SiteState(settings.out_dir), 0, log, on_report=reports.put)

    def indexed_text() -> str:
        return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                       for p in (root / "public" / "pagefind" / "fragment").glob("*.pf_fragment"))

    assert previewer.rebuild(run_import=False, reason="first build")
    first = reports.get(timeout=TIMEOUT)
    assert first.search_indexed and not first.search_pending  # type: ignore[attr-defined]
    (root / "content" / "a.md").write_text(ARTICLE.format(title="改过的标题"), encoding="utf-8")
    assert previewer.rebuild(run_import=False, reason="changed a.md")
    edited = reports.get(timeout=TIMEOUT)
    assert edited.search_pending and not edited.search_indexed  # type: ignore[attr-defined]
    assert "改过的标题" in (root / "public" / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    background = reports.get(timeout=TIMEOUT)
    assert background.search_indexed and not background.search_pending  # type: ignore[attr-defined]
    assert background.rendered == 0  # type: ignore[attr-defined]
    assert "改过的标题" in indexed_text() and "最初的标题" not in indexed_text()
    assert "updating the search index in the background" in log.getvalue()
