"""Shared fixtures: inline fixture sites, the CLI run in-process, a static server under a subpath,
and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_gen.cli import main as cli_main

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `site-gen ARGS` in-process in a working directory; returns exit code and output."""

    def run(args: list[str], cwd: Path) -> CliResult:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = cli_main(args)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write_site(root: Path, seeds: dict[str, str | bytes] | None = None, content: dict[str, str] | None = None,
               config: dict[str, Any] | None = None) -> Path:
    """An inline fixture site: seeds/, content/ and an optional site.yml under `root`."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(parents=True, exist_ok=True)
    for name, data in (seeds or {}).items():
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    for name, text in (content or {}).items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    if config is not None:
        (root / "site.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's five real seeds in a fresh site folder."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    shutil.copytree(SEEDS, root / "seeds")
    return root


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


class SubpathServer:
    """Serves a folder at http://127.0.0.1:PORT/PREFIX/ like GitHub Pages serves a project site."""

    def __init__(self, root: Path, prefix: str = "/repo/"):
        handler = type("Handler", (_PrefixHandler,), {"prefix": prefix})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.prefix = prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"

    def __enter__(self) -> "SubpathServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SubpathServer]]:
    """The five real seeds built with search under /repo/ and served there (shared by browser tests)."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "content").mkdir()
    public = root / "public"
    public.mkdir()
    with SubpathServer(public, "/repo/") as server:
        cwd = os.getcwd()
        os.chdir(root)
        try:
            code = cli_main(["build", "--base-url", server.base_url])
        finally:
            os.chdir(cwd)
        assert code == 0
        yield root, server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = console_errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture()
def bench_run(monkeypatch: pytest.MonkeyPatch) -> Any:
    """bench/run.py, loaded afresh, with its trash list empty."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    monkeypatch.setattr(sys, "path", list(sys.path))  # run.py puts bench/ on the path to import its generator
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "TRASH", [])
    return module
