"""`site-gen check`: all content problems with `path:line:` and a count, then the built site's links,
anchors, orphan pages, feeds and sitemap; exit 1 on any problem, 0 on a clean site."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.check import check_site

from conftest import write_site

BASE = "https://example.github.io/repo/"


def article(slug: str, title: str = "灵石经开区新项目开工", seed: str | None = None) -> str:
    return (f"---\ntitle: {title}\ndate: 2024-05-06\nseed: {seed or 'manual/' + slug}\nslug: {slug}\n"
            f"zones: [灵石经济技术开发区]\n---\n\n灵石经济技术开发区今天有三个项目开工建设。\n")


@pytest.fixture
def built(run_cli, tmp_path: Path) -> Path:
    root = write_site(tmp_path / "s", content={"a.md": article("a"), "b.md": article("b", "第二篇")})
    result = run_cli(["build", "--no-import", "--no-search", "--base-url", BASE], root)
    assert result.code == 0, result.err
    return root


def test_a_clean_site_passes(run_cli, built: Path) -> None:
    result = run_cli(["check"], built)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "checked: 2 content files" in result.out and "internal links" in result.out and "feeds" in result.out


def test_all_content_problems_with_lines_and_a_count(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", seeds={"real.txt": "x"}, content={
        "a.md": "---\ntitle: 好\nseed: manual/a\nslug: a\nzones: 3\ndraft: maybe\n---\n",
        "b.md": "---\nseed: manual/b\n---\n",
        "c.md": article("e"),  # the same slug as e.md's
        "d.md": article("d", seed="gone.txt"),  # a seed that is not in seeds/
        "e.md": article("e", seed="real.txt"),
    })
    result = run_cli(["check"], root)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert "content/a.md:6: error: `draft` must be true or false" in lines
    assert any(line.startswith("content/b.md:1: error: missing required key `title`") for line in lines)
    assert "content/e.md:5: error: slug 'e' is also used by content/c.md (hint: two articles cannot share a URL)" in lines
    assert any(line.startswith("content/d.md:4: error: seed 'gone.txt' is not in seeds/") for line in lines)
    assert sum("content/e.md" in line for line in lines) == 1  # only the shared slug: its seed is in seeds/
    assert lines[-1] == f"{len(lines) - 1} problem(s) in 5 content file(s)"
    assert len(lines) - 1 >= 4


def test_check_without_a_built_site(run_cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", content={"a.md": article("a")})
    result = run_cli(["check"], root)
    assert result.code == 1
    assert "public/index.html: error: no built site here (hint: run `site-gen build` first)" in result.err
    assert run_cli(["check", "--content-only"], root).code == 0


def test_broken_links_anchors_and_base_path(run_cli, built: Path) -> None:
    page = built / "public" / "articles" / "a" / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace("</main>", '<a href="/repo/articles/nope/">x</a>\n<a href="../b/#no-such-id">y</a>\n'
                                   '<a href="/articles/b/">z</a>\n<a href="#main">ok</a>\n'
                                   '<a href="https://elsewhere.example/">external</a>\n</main>')
    page.write_text(html, encoding="utf-8")
    result = run_cli(["check"], built)
    assert result.code == 1
    err = result.err
    assert "public/articles/a/index.html:" in err
    assert "broken link '/repo/articles/nope/': nothing at /repo/articles/nope/" in err
    assert "broken anchor '../b/#no-such-id': no id 'no-such-id' in articles/b/index.html" in err
    assert "link '/articles/b/' leaves the base path /repo/" in err
    assert "#main" not in err and "elsewhere" not in err
    assert err.strip().splitlines()[-1] == "3 problem(s) in the built site"
    line = next(l for l in err.splitlines() if "nope" in l)
    number = int(line.split(":")[1])
    assert 'href="/repo/articles/nope/"' in html.split("\n")[number - 1]


def test_orphan_pages_feeds_and_sitemap(built: Path) -> None:
    public = built / "public"
    (public / "lost").mkdir()
    (public / "lost" / "index.html").write_text("<!doctype html><title>lost</title><p>nobody links here", encoding="utf-8")
    (public / "feed.xml").write_text("<feed><title>broken", encoding="utf-8")
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    (public / "sitemap.xml").write_text(sitemap.replace("</urlset>", f"<url><loc>{BASE}missing/</loc></url>"
                                                                      "<url><loc>https://other.example/x/</loc></url></urlset>"),
                                        encoding="utf-8")
    report = check_site(public, BASE)
    messages = [d.format() for d in report.problems]
    assert any(m.startswith("public/lost/index.html: error: no page links here") for m in messages), messages
    assert any(m.startswith("public/feed.xml:1:") and "not well-formed XML" in m for m in messages), messages
    assert any(f"sitemap entry '{BASE}missing/' points to nothing in the site" in m for m in messages), messages
    assert any("sitemap entry 'https://other.example/x/' is not under the site URL" in m for m in messages), messages


def test_check_reads_the_base_url_the_site_was_built_for(run_cli, built: Path) -> None:
    # No --base-url and no site.yml: the URL comes from the built home page, not from the defaults.
    assert run_cli(["check"], built).code == 0
    wrong = run_cli(["check", "--base-url", "https://example.github.io/other/"], built)
    assert wrong.code == 1 and "leaves the base path /other/" in wrong.err


def test_the_real_sample_site_passes(built_sample) -> None:
    root, server = built_sample
    report = check_site(root / "public", server.base_url)
    assert [d.format() for d in report.problems] == []
    assert report.counts["pages"] > 50 and report.counts["internal links"] > 1000
