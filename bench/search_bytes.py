"""Bytes a reader downloads on a built site's search page: opening it, then each query until its results show.

Input: a built site (`public/`), the subpath it was built for (`--base /archive/`, from the site's
base_url) and queries. Output, on stdout: for opening the page and for each query (a fresh browser
context each, so nothing is cached), the response bytes by kind of file (Pagefind's meta, index chunks,
fragments, filters, code) and what the page says it found.

    .venv/bin/python bench/search_bytes.py /tmp/site_gen-builds/public --base /archive/ 灵石 开发区 营商环境
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import tempfile
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
KINDS = ("pf_meta", "pf_index", "pf_fragment", "pf_filter", "wasm", ".js", ".json", ".css", ".html")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def kind(url: str) -> str:
    return next((k for k in KINDS if k in url), "other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("public", type=Path, help="the built site")
    parser.add_argument("--base", default="/", help="the subpath the site was built for")
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as root:
        mount = Path(root) / args.base.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        if args.base.strip("/"):
            mount.symlink_to(args.public.resolve())
        served = root if args.base.strip("/") else str(args.public)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=served))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        page_url = f"http://127.0.0.1:{httpd.server_address[1]}/{args.base.strip('/')}/search/".replace("//search", "/search")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            for query in [None, *args.queries]:
                context = browser.new_context()
                tab = context.new_page()
                got: list[tuple[str, int]] = []
                tab.on("requestfinished", lambda r, got=got: got.append((r.url, r.sizes()["responseBodySize"])))
                tab.goto(page_url)
                tab.wait_for_load_state("networkidle")
                opened = len(got)
                if query is not None:
                    tab.fill("input[type=search]", query)
                    tab.press("input[type=search]", "Enter")
                    tab.wait_for_selector(".search-result", timeout=60_000)
                    tab.wait_for_load_state("networkidle")
                by_kind: collections.Counter[str] = collections.Counter()
                for url, size in got[opened if query is not None else 0:]:
                    by_kind[kind(url)] += size
                label = "open the page" if query is None else query
                detail = ", ".join(f"{k} {v / 1024:.0f}" for k, v in by_kind.most_common())
                status = tab.locator(".search-status").inner_text() if query is not None else ""
                print(f"{label}: {sum(by_kind.values()) / 1024:.0f} KiB ({detail}) {status}", flush=True)
                context.close()
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main()
