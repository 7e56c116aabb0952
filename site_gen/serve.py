"""Live preview: build, serve the output folder under the site's base path, rebuild on change, reload the page.

Input: ServeSettings (where the site's sources are, host and port, build flags).
Output: an HTTP server on 127.0.0.1 (by default) until interrupted. Pages are served at the configured
base path (`/repo/` for `https://user.github.io/repo/`) so links behave as in production. Every HTML
response gets a small script that polls `/__site-gen/status` and reloads when a rebuild finished; the
script is added to the response only, never written into the output folder. A failed rebuild is
printed in the terminal and shown over the page; the server keeps running with the last good site.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import re
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import unquote, urlsplit

from site_gen.build import BuildOptions, BuildReport, build
from site_gen.config import SiteConfig, load_config
from site_gen.diagnostics import SiteGenError

STATUS_PATH = "/__site-gen/status"
_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)
POLL_MS = 500
# Editors save in bursts (write, rename, chmod); one rebuild per burst.
DEBOUNCE_MS = 300
EXTRA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
               ".xml": "application/xml", ".json": "application/json", ".txt": "text/plain",
               ".css": "text/css", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}

RELOAD_SCRIPT = """<script data-site-gen-serve>
(function () {
  var served = %(version)d;
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== served) { location.reload(); return; }
      setTimeout(poll, %(poll)d);
    }).catch(function () { setTimeout(poll, %(poll)d * 4); });
  }
  setTimeout(poll, %(poll)d);
})();
</script>"""

ERROR_OVERLAY = """<div data-site-gen-error role="alert" style="position:fixed;inset:0 0 auto 0;z-index:2147483647;
max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0000;color:#ffd7d7;
font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;border-bottom:3px solid #ff5c5c">\
<strong>site-gen: the last build failed; this is the previous site.</strong>
%(message)s</div>"""

ERROR_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>build failed</title></head>
<body style="margin:0;background:#2b0000">%(overlay)s%(script)s</body></html>"""


@dataclass(frozen=True)
class ServeSettings:
    config_path: Path | None
    seeds_dir: Path
    content_dir: Path
    out_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    search: bool = True
    drafts: bool = False


class SiteState:
    """What the server knows about the current build: a version that changes on every rebuild, and its error."""

    def __init__(self, out_dir: Path):
        self.lock = threading.Lock()
        self.version = 0
        self.error: str | None = None
        self.base_path = "/"
        self.out_dir = out_dir

    def snapshot(self) -> tuple[int, str | None, str]:
        with self.lock:
            return self.version, self.error, self.base_path

    def finished(self, error: str | None, base_path: str | None = None) -> None:
        with self.lock:
            self.version += 1
            self.error = error
            if base_path:
                self.base_path = base_path


def inject(page: bytes, version: int, error: str | None) -> bytes:
    """The served copy of an HTML page: the reload script (and the error, if any) before `</body>`."""
    addition = RELOAD_SCRIPT % {"version": version, "status": STATUS_PATH, "poll": POLL_MS}
    # The preview's reload script and error overlay are inline: the served copy (never the file in public/)
    # leaves out the page's Content-Security-Policy so they can run.
    page = _CSP_META.sub(b"", page, count=1)
    if error:
        addition = ERROR_OVERLAY % {"message": html.escape(error)} + addition
    data = addition.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


def resolve_request(out_dir: Path, base_path: str, url_path: str) -> tuple[str, Path | str | None]:
    """Map a request path to a file below out_dir.

    Returns ("file", path), ("redirect", location), ("forbidden", None) or ("missing", None).
    Decoding happens once, before the check, so `%2e%2e` is caught like `..`.
    """
    if not url_path.startswith(base_path):
        if url_path in ("/", base_path.rstrip("/")):
            return "redirect", base_path
        return "missing", None
    relative = unquote(url_path[len(base_path):])
    parts = relative.split("/")
    if any(part in ("..", ".") for part in parts) or "\\" in relative or "\x00" in relative:
        return "forbidden", None
    root = out_dir.resolve()
    target = (root / relative).resolve() if relative else root
    if not target.is_relative_to(root):  # a symlink inside the output pointing out of it
        return "forbidden", None
    if target.is_dir():
        if relative and not url_path.endswith("/"):
            return "redirect", url_path + "/"
        target = target / "index.html"
    return ("file", target) if target.is_file() else ("missing", None)


def content_type(path: Path) -> str:
    kind = EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/xml", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def make_handler(state: SiteState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "site-gen"

        def do_HEAD(self) -> None:
            self.respond(head=True)

        def do_GET(self) -> None:
            self.respond(head=False)

        def respond(self, head: bool) -> None:
            version, error, base_path = state.snapshot()
            path = urlsplit(self.path).path
            if path == STATUS_PATH:
                body = json.dumps({"version": version, "error": error}, ensure_ascii=False).encode("utf-8")
                return self.send(200, "application/json; charset=utf-8", body, head)
            outcome, target = resolve_request(state.out_dir, base_path, path)
            if outcome == "redirect":
                self.send_response(302)
                self.send_header("Location", str(target))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if outcome == "forbidden":
                return self.send(403, "text/plain; charset=utf-8", b"403: outside the site\n", head)
            if outcome == "missing":
                not_found = state.out_dir / "404.html"
                if not_found.is_file():
                    return self.send(404, "text/html; charset=utf-8", inject(not_found.read_bytes(), version, error), head)
                if error:
                    page = ERROR_PAGE % {"overlay": ERROR_OVERLAY % {"message": html.escape(error)},
                                         "script": RELOAD_SCRIPT % {"version": version, "status": STATUS_PATH,
                                                                    "poll": POLL_MS}}
                    return self.send(500, "text/html; charset=utf-8", page.encode("utf-8"), head)
                return self.send(404, "text/plain; charset=utf-8", b"404: not found\n", head)
            assert isinstance(target, Path)
            try:
                data = target.read_bytes()
            except OSError:  # swapped away by a rebuild between the check and the read
                return self.send(503, "text/plain; charset=utf-8", b"503: rebuilding, try again\n", head)
            kind = content_type(target)
            if kind.startswith("text/html"):
                data = inject(data, version, error)
            return self.send(200, kind, data, head)

        def send(self, code: int, kind: str, body: bytes, head: bool) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # a preview must always show the newest build
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per request would bury the rebuild messages

    return Handler


class Previewer:
    """Builds the site for the server, once at start and again whenever a watched file changes."""

    def __init__(self, settings: ServeSettings, state: SiteState, port: int, log: TextIO,
                 on_report: Callable[[BuildReport], None] | None = None):
        self.settings = settings
        self.state = state
        self.port = port
        self.log = log
        self.on_report = on_report
        self.config: SiteConfig | None = None
        # content files the last build's import wrote, with their mtimes: their change events are not edits
        self.imported: dict[Path, int] = {}

    def site_url(self, config: SiteConfig) -> str:
        host = "127.0.0.1" if self.settings.host in ("0.0.0.0", "") else self.settings.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{config.base_path}"

    def options(self, config: SiteConfig, run_import: bool, search_later: bool) -> BuildOptions:
        return BuildOptions(config=config, seeds_dir=self.settings.seeds_dir, content_dir=self.settings.content_dir,
                            out_dir=self.settings.out_dir, run_import=run_import, drafts=self.settings.drafts,
                            search=self.settings.search, search_later=search_later)

    def rebuild(self, run_import: bool, reason: str) -> bool:
        """Build and publish the pages; when the search index is out of date, the pages go out with the
        previous index and a background build brings the index up to date (Pagefind takes seconds)."""
        started = time.time()
        try:
            config = load_config(self.settings.config_path)
            config = replace(config, base_url=self.site_url(config))
            report = build(self.options(config, run_import, search_later=self.settings.search))
        except SiteGenError as exc:
            message = "\n".join(d.format() for d in exc.diagnostics) + f"\n{len(exc.diagnostics)} error(s)"
            self.state.finished(message)
            print(f"{reason}: build failed; still serving the previous site\n{message}", file=self.log, flush=True)
            return False
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview; show it like a build error
            message = f"internal error: {type(exc).__name__}: {exc} (run `site-gen build --debug` for the traceback)"
            self.state.finished(message)
            print(f"{reason}: {message}", file=self.log, flush=True)
            return False
        self.config = config
        self.imported = self._written_by_import(report)
        self.state.finished(None, config.base_path)
        print(f"{reason}: rebuilt {report.pages} pages in {time.time() - started:.2f}s"
              + ("; updating the search index in the background" if report.search_pending else ""),
              file=self.log, flush=True)
        if self.on_report is not None:
            self.on_report(report)
        if report.search_pending:
            threading.Thread(target=self.index_search, args=(config,), daemon=True, name="site-gen-search").start()
        return True

    def index_search(self, config: SiteConfig) -> None:
        """The build that re-indexes search after a rebuild published its pages first: every page is kept
        (nothing changed since), the index is made and swapped in with them. A rebuild for a newer edit
        waits for it (the build lock)."""
        started = time.time()
        try:
            report = build(self.options(config, run_import=False, search_later=False))
        except Exception as exc:  # noqa: BLE001 - shown like a build error; the pages are already published
            print(f"search index: update failed: {type(exc).__name__}: {exc}", file=self.log, flush=True)
            return
        if not report.up_to_date:
            print(f"search index: updated in {time.time() - started:.2f}s", file=self.log, flush=True)
        if self.on_report is not None:
            self.on_report(report)

    def watched(self) -> list[Path]:
        root = self.settings.config_path.parent if self.settings.config_path else Path(".")
        paths = [self.settings.seeds_dir, self.settings.content_dir, root / "themes"]
        if self.settings.config_path is not None:
            paths.append(self.settings.config_path)
        return [p for p in paths if p.exists()]

    def relevant(self, changed: str) -> bool:
        path = Path(changed)
        name = path.name
        if name.startswith(".") and (name.endswith(".tmp") or name == ".import-state.json"):
            return False  # the importer's own scratch and state files
        try:
            resolved = path.resolve()
            # Written by the import of the build that just ran (and not touched since): not an edit. A save
            # the user made during that build has another mtime and still triggers a rebuild.
            if resolved in self.imported and path.stat().st_mtime_ns == self.imported[resolved]:
                return False
        except OSError:
            pass
        return True

    def _written_by_import(self, report: BuildReport) -> dict[Path, int]:
        if report.import_report is None:
            return {}
        written = {}
        for outcome in report.import_report.outcomes:
            if outcome.status == "written" and outcome.content:
                path = (self.settings.content_dir / outcome.content).resolve()
                try:
                    written[path] = path.stat().st_mtime_ns
                except OSError:
                    pass
        return written

    def watch(self, stop: threading.Event) -> None:
        import watchfiles

        while not stop.is_set():
            paths = self.watched()
            if not paths:
                stop.wait(1.0)
                continue
            for changes in watchfiles.watch(*paths, stop_event=stop, debounce=DEBOUNCE_MS, step=50,
                                            raise_interrupt=False):
                files = sorted({p for _, p in changes if self.relevant(p)})
                if not files:
                    continue
                seeds = self.settings.seeds_dir.resolve()
                run_import = any(Path(f).resolve().is_relative_to(seeds) for f in files)
                shown = ", ".join(_display(f) for f in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
                self.rebuild(run_import=run_import, reason=f"changed {shown}")
                config_changed = self.settings.config_path is not None and any(
                    Path(f).resolve() == self.settings.config_path.resolve() for f in files)
                if config_changed:
                    break  # watch again: an editor may have replaced the config file (a new inode)


def _display(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def serve(settings: ServeSettings, log: TextIO | None = None,
          on_report: Callable[[BuildReport], None] | None = None) -> None:
    """Build, then serve and watch until interrupted (Ctrl-C)."""
    log = log or sys.stdout
    state = SiteState(settings.out_dir)
    server = http.server.ThreadingHTTPServer((settings.host, settings.port), make_handler(state))
    server.daemon_threads = True
    port = server.server_address[1]
    previewer = Previewer(settings, state, port, log, on_report)
    previewer.rebuild(run_import=True, reason="first build")
    _, _, base_path = state.snapshot()
    if previewer.config is None:
        try:
            base_path = load_config(settings.config_path).base_path
            state.finished(state.error, base_path)
        except SiteGenError:
            pass
    print(f"serving {previewer.site_url(replace(SiteConfig(), base_url='http://x' + base_path))} "
          f"(watching {', '.join(_display(str(p)) for p in previewer.watched())}; Ctrl-C to stop)", file=log, flush=True)
    stop = threading.Event()
    watcher = threading.Thread(target=previewer.watch, args=(stop,), daemon=True, name="site-gen-watch")
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=2)
