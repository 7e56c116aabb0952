"""Incremental builds (issue 8): a rebuild with the build cache gives the same site, byte for byte, as a
cold build of the same content, whatever changed in between, and redoes only what changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_trees import assert_same_tree, build_site, site_fixtures, tree

N = 60
archive, site = site_fixtures("incremental", N)




def cold_equals(site: Path, out: str = "public") -> None:
    """The incremental output in `out` equals a cold build (no cache) of the same content."""
    build_site(site, "cold", cache=False)
    assert_same_tree(site / "cold", site / out)


def middle_article(site: Path) -> Path:
    files = sorted((site / "content").glob("*.md"))
    return files[len(files) // 2]


def test_no_change_rebuild_is_up_to_date_and_leaves_the_site_alone(site: Path) -> None:
    first = build_site(site, "public")
    assert not first.up_to_date and first.rendered == first.pages
    before = tree(site / "public")
    inode = os.stat(site / "public").st_ino
    second = build_site(site, "public")
    assert second.up_to_date and second.rendered == 0
    assert (second.pages, second.bytes_written) == (first.pages, first.bytes_written)
    assert os.stat(site / "public").st_ino == inode
    assert tree(site / "public") == before
    # Rewriting a file with the same bytes moves its mtime only: still up to date.
    path = middle_article(site)
    path.write_bytes(path.read_bytes())
    assert build_site(site, "public").up_to_date


def test_body_edit_renders_only_the_pages_that_show_the_article(site: Path) -> None:
    first = build_site(site, "public")
    path = middle_article(site)
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n（本文已更新：补充了最新进展。）\n", encoding="utf-8")
    second = build_site(site, "public")
    assert not second.up_to_date
    assert 0 < second.rendered < first.pages / 4
    cold_equals(site)
    slug = path.stem
    assert "本文已更新" in (site / "public" / "articles" / slug / "index.html").read_text(encoding="utf-8")


def test_metadata_edit_delete_and_add_give_the_cold_build(site: Path) -> None:
    build_site(site, "public")
    files = sorted((site / "content").glob("*.md"))
    text = files[3].read_text(encoding="utf-8")
    files[3].write_text(text.replace("title: ", "title: 改过的标题", 1), encoding="utf-8")
    build_site(site, "public")
    cold_equals(site)

    files[5].unlink()
    added = site / "content" / "a-new-article.md"
    added.write_text(files[7].read_text(encoding="utf-8").replace("slug: ", "slug: a-new-", 1)
                     .replace("seed: ", "seed: new/", 1), encoding="utf-8")
    report = build_site(site, "public")
    assert not report.up_to_date
    cold_equals(site)
    assert not (site / "public" / "articles" / files[5].stem / "index.html").exists()


def test_template_change_renders_everything_and_matches_cold(site: Path) -> None:
    first = build_site(site, "public")
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "themes" / "default" / "templates" / "article.html"
    (templates / "article.html").write_text(builtin.read_text(encoding="utf-8").replace("</article>", "</article>\n<!-- site override -->", 1),
                                            encoding="utf-8")
    second = build_site(site, "public")
    assert second.rendered == first.pages  # the template set changed: every fingerprint changed
    cold_equals(site)
    assert "site override" in next((site / "public" / "articles").rglob("index.html")).read_text(encoding="utf-8")


def test_damaged_output_is_not_reused(site: Path) -> None:
    build_site(site, "public")
    page = next((site / "public" / "articles").rglob("index.html"))
    os.unlink(page)  # a page removed by hand: the site is no longer what the record says
    path = middle_article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n更多内容。\n", encoding="utf-8")
    build_site(site, "public")
    cold_equals(site)


def test_search_index_is_skipped_when_no_indexed_article_changed(site: Path) -> None:
    first = build_site(site, "public", search=True)
    assert first.search_indexed and (site / "public" / "pagefind" / "pagefind.js").is_file()
    index_before = {p.name: p.read_bytes() for p in (site / "public" / "pagefind").glob("*.pf_meta")}
    # A theme change re-renders pages but leaves every indexed article as it was.
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "themes" / "default" / "templates" / "404.html"
    (templates / "404.html").write_text(builtin.read_text(encoding="utf-8") + "\n<!-- changed -->\n", encoding="utf-8")
    second = build_site(site, "public", search=True)
    assert not second.up_to_date and not second.search_indexed
    assert {p.name: p.read_bytes() for p in (site / "public" / "pagefind").glob("*.pf_meta")} == index_before
    assert (site / "public" / "search" / "query.json").is_file()
    # An article edit re-indexes.
    path = middle_article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    third = build_site(site, "public", search=True)
    assert third.search_indexed and (site / "public" / "pagefind" / "pagefind.js").is_file()


def full_tree(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_edit_reindexes_only_its_search_shard(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen import search
    from site_gen.build import SHARD_STORE
    from site_gen.cache import CACHE_DIR

    monkeypatch.setattr(search, "SHARD_SIZE", 20)  # 60 articles: three shards
    build_site(site, "public", search=True)
    store = site / CACHE_DIR / SHARD_STORE
    before = {p.name: (p / search.PREPARED).stat().st_ino for p in store.iterdir() if p.is_dir()}
    assert len(before) == 3
    # The oldest article lives in the last shard: editing it leaves the two newer shards as they were.
    oldest = min((site / "content").glob("*.md"), key=lambda p: p.read_text(encoding="utf-8").split("date: ")[1][:12]
                 if "date: " in p.read_text(encoding="utf-8") else "9999")
    oldest.write_text(oldest.read_text(encoding="utf-8") + "\n旧文新增的一段。\n", encoding="utf-8")
    second = build_site(site, "public", search=True)
    assert second.search_indexed
    after = {p.name: (p / search.PREPARED).stat().st_ino for p in store.iterdir() if p.is_dir()}
    assert len(after) == 3 and len(set(after) & set(before)) == 2  # one shard re-made, the old one removed
    assert all(after[name] == before[name] for name in set(after) & set(before))  # kept, not re-made
    # ... and the whole site, search bundle included, is what a cold build makes.
    build_site(site, "cold", cache=False, search=True)
    assert full_tree(site / "public") == full_tree(site / "cold")


def set_field(path: Path, field: str, value: str) -> None:
    """Replace a one-line front matter field (`field: ...`) of a content file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[at] = f"{field}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")


def set_list(path: Path, field: str, values: list[str]) -> None:
    """Replace a block list field (`field:` then `- item` lines) of a content file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line == f"{field}:")
    end = at + 1
    while end < len(lines) and lines[end].startswith("- "):
        end += 1
    lines[at + 1:end] = [f"- {v}" for v in values]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_chain_of_edits_recycles_the_previous_site_and_always_gives_the_cold_build(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rebuild works in the site the previous one replaced (the spare): after body, zone, date, title and
    tag edits, a deletion and a new article, public/ is what a cold build makes, and the replaced site, whose
    files are hard links shared with the published one, was never written through."""
    from site_gen import pages

    ranked: list[str] = []
    rank_related = pages.Planner.rank_related
    monkeypatch.setattr(pages.Planner, "rank_related", lambda self, a: ranked.append(a.key) or rank_related(self, a))
    build_site(site, "public")
    spare = site / ".public.spare"
    assert spare.is_dir() and tree(spare) == tree(site / "public")  # seeded: the first rebuild recycles it
    files = sorted((site / "content").glob("*.md"))
    zones = sorted({line[2:] for f in files for line in f.read_text(encoding="utf-8").split("zones:\n", 1)[1]
                    .split("\n") if line.startswith("- ")})

    def edit_and_check(edit) -> list[str]:  # type: ignore[no-untyped-def]
        """Edit, rebuild, compare with a cold build; returns the articles whose related list was recomputed."""
        published = tree(site / "public")
        inode = os.stat(spare).st_ino
        ranked.clear()
        edit()
        report = build_site(site, "public")
        recomputed = list(ranked)
        assert not report.up_to_date
        assert os.stat(site / "public").st_ino == inode  # the spare became the site
        assert tree(spare) == published  # the replaced site, intact: nothing was written through a link
        cold_equals(site)
        return recomputed

    body = files[20]
    # A body edit moves no article in any zone or tag: every related list is reused.
    assert edit_and_check(lambda: body.write_text(body.read_text(encoding="utf-8") + "\n正文的补充。\n",
                                                  encoding="utf-8")) == []
    assert 0 < len(edit_and_check(lambda: set_list(files[21], "zones", [zones[0]]))) < N
    edit_and_check(lambda: set_field(files[22], "date", "'2015-01-02'"))  # moves it between archive pages
    edit_and_check(lambda: set_field(files[23], "title", "改过标题的报道"))
    edit_and_check(lambda: set_list(files[24], "tags", ["全新标签", "改革"]))

    def delete_and_add() -> None:
        added = site / "content" / "brand-new.md"
        added.write_text(files[26].read_text(encoding="utf-8").replace("slug: ", "slug: brand-new-", 1)
                         .replace("seed: ", "seed: new/", 1), encoding="utf-8")
        files[25].unlink()

    edit_and_check(delete_and_add)
    assert not (site / "public" / "articles" / files[25].stem).exists()


def test_a_damaged_spare_is_not_recycled(site: Path) -> None:
    build_site(site, "public")
    import shutil

    shutil.rmtree(site / ".public.spare")
    (site / ".public.spare").mkdir()  # another folder in its place: not the site the record describes
    path = middle_article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    build_site(site, "public")
    cold_equals(site)


def test_search_later_publishes_pages_first_then_the_next_build_reindexes(site: Path) -> None:
    """BuildOptions.search_later (what serve uses): an edit's pages go out at once with the previous index;
    the next build is not "up to date" until the index is made, and then the site equals a cold build."""
    from dataclasses import replace

    from site_gen.build import BuildOptions, build
    from site_gen.config import load_config
    from site_trees import BASE_URL

    build_site(site, "public", search=True)
    index_before = full_tree(site / "public" / "pagefind")
    path = middle_article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n稍后才进索引的一段。\n", encoding="utf-8")
    config = replace(load_config(None, BASE_URL), root=site)
    options = BuildOptions(config=config, seeds_dir=site / "seeds", content_dir=site / "content", out_dir=site / "public",
                           run_import=False, search=True, jobs=1, search_later=True)
    first = build(options)
    assert first.search_pending and not first.search_indexed
    assert "稍后才进索引的一段" in (site / "public" / "articles" / path.stem / "index.html").read_text(encoding="utf-8")
    assert full_tree(site / "public" / "pagefind") == index_before  # the previous index, for now
    second = build(replace(options, search_later=False))
    assert not second.up_to_date and second.search_indexed and not second.search_pending and second.rendered == 0
    assert build(options).up_to_date  # nothing pending any more
    build_site(site, "cold", cache=False, search=True)
    assert full_tree(site / "public") == full_tree(site / "cold")


def test_an_incremental_build_pauses_the_collector_for_its_model_and_leaves_it_as_it_was(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from site_gen import build
    from site_gen.diagnostics import SiteGenError

    seen: list[tuple[bool, int]] = []
    plan = build.plan_pages

    def watched(*args, **kwargs):  # noqa: ANN002, ANN003 - plan_pages's own arguments
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return plan(*args, **kwargs)

    monkeypatch.setattr(build, "plan_pages", watched)
    build_site(site, "public")  # cold: the collector runs as usual
    files = sorted((site / "content").glob("*.md"))
    files[3].write_text(files[3].read_text(encoding="utf-8") + "\n补充：项目投产。\n", encoding="utf-8")
    frozen_during: list[int] = []
    render = build.render_site
    monkeypatch.setattr(build, "render_site", lambda *a, **k: frozen_during.append(gc.get_freeze_count()) or render(*a, **k))
    report = build_site(site, "public")  # incremental
    assert 0 < report.rendered < report.pages
    assert [enabled for enabled, _frozen in seen] == [True, False]
    assert frozen_during[-1] > 0  # the model was frozen for the rest of the build
    assert gc.isenabled() and gc.get_freeze_count() == 0
    original = files[5].read_text(encoding="utf-8")
    files[5].write_text("---\ntitle: [broken\n---\n", encoding="utf-8")  # an incremental build that fails
    with pytest.raises(SiteGenError):
        build_site(site, "public")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # What the caller did is left as it was: its own frozen objects, a collector it turned off.
    kept = [object()]
    gc.freeze()
    try:
        files[5].write_text(original + "\n新增段落。\n", encoding="utf-8")
        assert build_site(site, "public").rendered > 0
        assert seen[-1][0]  # not paused: gc.unfreeze would thaw the caller's objects
        assert gc.get_freeze_count() > 0 and gc.isenabled()
        gc.unfreeze()
        gc.disable()
        files[5].write_text(original + "\n再补充。\n", encoding="utf-8")
        assert build_site(site, "public").rendered > 0
        assert not gc.isenabled() and frozen_during[-1] == 0  # neither turned on nor frozen
    finally:
        gc.enable()
        gc.unfreeze()
    assert kept


@pytest.mark.parametrize("way", ["cp", "python"])
def test_a_cold_build_leaves_a_spare_of_its_site_without_the_search_index(
        site: Path, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """The spare of a cold build is made while the search stage runs (`cp -al` of the staging folder), or, where
    cp cannot, hard-linked from the published site: either way the site's files, less the search index the
    next build makes anew (or links from the site), sharing the published files' inodes."""
    from site_gen import build, output

    started: list[Path] = []
    if way == "python":
        monkeypatch.setattr(build, "start_spare", lambda stage, out_dir: started.append(stage))
    else:
        real = output.start_spare
        monkeypatch.setattr(build, "start_spare", lambda stage, out_dir: started.append(stage) or real(stage, out_dir))
    build_site(site, "public", search=True)
    assert len(started) == 1
    public, spare = site / "public", site / ".public.spare"
    files = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}
    spared = {p.relative_to(spare).as_posix() for p in spare.rglob("*") if p.is_file()}
    searched = {f for f in files if f.startswith("pagefind/") or f == "search/query.json"}
    assert searched and "search/index.html" in files and spared == files - searched
    assert all(os.stat(public / f).st_ino == os.stat(spare / f).st_ino for f in spared)
    assert not (site / ".public.spare.new").exists()
    path = middle_article(site)  # and the next build recycles it
    path.write_text(path.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    inode = os.stat(spare).st_ino
    build_site(site, "public", search=True)
    assert os.stat(public).st_ino == inode
    build_site(site, "cold", cache=False, search=True)
    assert_same_tree(site / "cold", public)


def test_a_cold_build_that_fails_in_its_search_stage_leaves_no_spare(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_gen import build, output
    from site_gen.diagnostics import SiteGenError

    copies: list = []
    real = output.start_spare
    monkeypatch.setattr(build, "start_spare", lambda stage, out_dir: copies.append(real(stage, out_dir)) or copies[-1])

    def failing(*args, **kwargs):  # noqa: ANN002, ANN003
        raise SiteGenError([])

    monkeypatch.setattr(build, "index_site", failing)
    with pytest.raises(SiteGenError):
        build_site(site, "public", search=True)
    assert copies[0] is None or copies[0].poll() is not None  # waited for or killed, never left running
    assert not (site / "public").exists() and not (site / ".public.spare").exists()
    monkeypatch.undo()
    build_site(site, "public", search=True)  # a partial copy left behind is made again
    assert (site / ".public.spare").is_dir() and not (site / ".public.spare.new").exists()


def test_a_build_without_cache_fingerprints_nothing(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fingerprints are only for a next build to compare with; without a cache nothing keeps them. The same site
    comes out (cold_equals compares the uncached build with cached ones throughout this file)."""
    from site_gen import incremental

    def refuse(*args, **kwargs):
        raise AssertionError("fingerprinted without a cache")

    monkeypatch.setattr(incremental.Fingerprints, "__init__", refuse)
    monkeypatch.setattr(incremental.Fingerprints, "__call__", refuse)
    report = build_site(site, "public", cache=False, search=True)
    assert report.rendered == report.pages and (site / "public" / "pagefind" / "pagefind-entry.json").is_file()
