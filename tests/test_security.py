"""Nothing a reader gets can run code it should not; the output is safe to publish.

XSS payloads in every field reach no file of public/ (pages, JSON-LD, feeds, sitemap, search index);
template syntax in content is text; no output path leaves public/; builds are atomic and reproducible.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write_site

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<body onload=alert(1)>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href=\"jAvAsCrIpT:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
]
# What must never appear in any output file (case-insensitive).
FORBIDDEN = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<script\s*>", re.I),  # the site's own scripts always carry src= or type=
    re.compile(r"\son(?:error|load|toggle|focus)\s*=", re.I),
    re.compile(r"(?:href|src|action|data)\s*=\s*[\"']?\s*(?:javascript|data):", re.I),
    re.compile(r"<iframe", re.I),
    re.compile(r"<(?:object|embed)\b", re.I),
    re.compile(r"\sstyle\s*=\s*[\"'][^\"']*expression\(", re.I),  # a real attribute, not %22-encoded URL text
]


def hostile_article(index: int, payload: str) -> str:
    meta = {
        "title": f"标题{index}{payload}",
        "seed": f"manual/x{index}.txt",
        "slug": f"xss-{index}",
        "date": f"2020-01-{(index % 28) + 1:02d}",
        "source": f"来源{payload}",
        "authors": [f"记者{payload}"],
        "zones": [f"开发区{payload}"],
        "regions": ["晋中市"],
        "categories": [f"分类{payload}"],
        "tags": [f"标签{payload}"],
        "summary": f"摘要{payload}",
        "original_url": f"https://example.com/{payload}",
    }
    body = f"正文第一段{payload}\n\n## 小标题{payload}\n\n{payload}\n\n模板 {{{{ 7*7 }}}} 和 {{% for x in y %}}循环{{% endfor %}}。"
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"


def output_texts(public: Path):
    """Every output file as text, Pagefind's gzipped index files decompressed."""
    for path in sorted(public.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if "pagefind" in path.parts and path.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"):
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        if path.suffix in (".wasm", ".png", ".ico"):
            continue
        yield path, data.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    content = {f"xss-{i}.md": hostile_article(i, p) for i, p in enumerate(PAYLOADS)}
    write_site(root, content=content, config={"title": "测试", "base_url": "https://example.github.io/repo/"})
    result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-import"], cwd=root,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return root / "public"


def test_no_payload_survives_anywhere(xss_site: Path) -> None:
    checked = 0
    for path, text in output_texts(xss_site):
        if path.name.startswith("pagefind") and path.suffix == ".js":
            continue  # Pagefind's own library code
        checked += 1
        for pattern in FORBIDDEN:
            match = pattern.search(text)
            assert match is None, f"{path.relative_to(xss_site)}: {match.group(0)!r}"
    assert checked > len(PAYLOADS)


def test_template_syntax_in_content_is_text(xss_site: Path) -> None:
    page = (xss_site / "articles" / "xss-0" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in page and "{% for x in y %}" in page
    assert "模板 49" not in page


def test_json_ld_cannot_close_its_script(xss_site: Path) -> None:
    page = (xss_site / "articles" / "xss-12" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert blocks and all("</" not in block and "<script" not in block.lower() for block in blocks)


def test_external_links_get_noopener(xss_site: Path) -> None:
    for path, text in output_texts(xss_site):
        if path.suffix != ".html":
            continue
        for tag in re.findall(r"<a\b[^>]*href=\"https?://(?!example\.github\.io)[^\"]*\"[^>]*>", text):
            assert "noopener" in tag, (path, tag)


def test_csp_meta_allows_only_what_the_site_needs(xss_site: Path) -> None:
    page = (xss_site / "search" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert match, "no CSP meta tag"
    policy = match.group(1)
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "'wasm-unsafe-eval'" in policy  # Pagefind runs WebAssembly
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_script_url_in_front_matter_is_an_error(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={
        "js.md": "---\ntitle: 链接\nseed: manual/js.txt\noriginal_url: javascript:alert(1)\n---\n正文。\n",
    })
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code != 0
    assert "content/js.md:4:" in result.err and "original_url" in result.err


def test_slug_that_escapes_is_refused(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={
        "evil.md": "---\ntitle: 越界\nseed: manual/evil.txt\nslug: ../../etc\n---\n正文。\n",
    })
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code != 0
    assert "content/evil.md:" in result.err and "slug" in result.err
    assert not (tmp_path / "etc").exists() and not (root / "public").exists()


def test_two_pages_on_one_path_are_refused_naming_both(run_cli, tmp_path: Path) -> None:
    article = "---\ntitle: {t}\nseed: manual/{s}.txt\nslug: same-slug\n---\n{t}的正文。\n"
    root = write_site(tmp_path / "s", content={
        "a.md": article.format(t="甲", s="a"), "b.md": article.format(t="乙", s="b"),
    })
    result = run_cli(["build", "--no-import", "--no-search"], root)
    assert result.code != 0
    assert "a.md" in result.err and "b.md" in result.err and "same-slug" in result.err


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_are_reproducible(tmp_path: Path) -> None:
    digests = []
    for n in range(2):
        root = tmp_path / f"r{n}"
        root.mkdir()
        (root / "seeds").symlink_to(REPO / "seeds")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": str(n)}
        result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--base-url", "https://example.org/x/"],
                                cwd=root, capture_output=True, text=True, timeout=600, env=env)
        assert result.returncode == 0, result.stderr
        digests.append((tree_digest(root / "public"), search_fragments(root / "public")))
    # The whole tree, Pagefind's bundle included: its filter files come out of a randomly seeded HashMap and
    # are put in order by site_gen/search_canonical.py, so their names, the meta and the entry match too.
    assert digests[0][0] == digests[1][0]
    assert any(k.startswith("pagefind/filter/") for k in digests[0][0])
    assert digests[0][1] == digests[1][1]
    assert sum(url.startswith("/x/articles/") or url.startswith("/articles/") for url in digests[0][1]) == 5


def test_sharded_search_bundles_are_reproducible(tmp_path: Path) -> None:
    """The bundle merged from three shards (filter files, meta, index chunks) comes out the same, run after run."""
    from site_gen.search import IndexDocument, index_bundle
    docs = [IndexDocument(path=f"articles/a{i}/index.html", title=f"标题{i}", paragraphs=(f"太原 经济 {i}",),
                          date=f"2024-01-{i % 28 + 1:02d}", source=f"来源{i % 7}",
                          filters=(("zone", f"开发区{i % 13}"), ("city", f"市{i % 5}"), ("year", str(2000 + i % 9))))
            for i in range(60)]
    trees = []
    for n in range(2):
        index_bundle(docs, tmp_path / str(n), shard_size=20, workers=2)
        trees.append(tree_digest(tmp_path / str(n)))
    assert trees[0] == trees[1]
    assert sum(k.endswith(".pf_filter") for k in trees[0]) == 3  # zone, city, year: one file each, merged


def search_fragments(public: Path) -> dict[str, object]:
    """Each page's Pagefind fragment (url, content, filters, meta), decoded."""
    out = {}
    for path in (public / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        out[record["url"]] = record
    return out


def test_killed_build_leaves_previous_site_intact(tmp_path: Path) -> None:
    many = {f"a{i:04d}.md": f"---\ntitle: 文章{i}\nseed: manual/a{i}.txt\nslug: a{i:04d}\ndate: 2020-01-01\n"
                            f"tags: [标签{i % 50}]\n---\n\n" + ("太原经济技术开发区建设。" * 200) + "\n"
            for i in range(3000)}
    root = write_site(tmp_path / "s", content=many)
    first = subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-import", "--no-search"], cwd=root,
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree_digest(root / "public")
    (root / "content" / "a0000.md").write_text(many["a0000.md"].replace("文章0", "改过的文章"), encoding="utf-8")
    # Cold, so that the build is long enough to be caught half way (an incremental one re-renders one page).
    shutil.rmtree(root / ".site-gen-cache", ignore_errors=True)
    process = subprocess.Popen([sys.executable, "-m", "site_gen", "build", "--no-import", "--no-search"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = root / ".public.staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not staging.exists() and process.poll() is None:
        time.sleep(0.01)
    time.sleep(0.05)  # let it write a few files into the staging folder
    assert process.poll() is None, "the build finished before it could be killed; make the archive bigger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert tree_digest(root / "public") == before
    again = subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-import", "--no-search"], cwd=root,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "改过的文章" in (root / "public" / "articles" / "a0000" / "index.html").read_text(encoding="utf-8")
    assert not staging.exists()
