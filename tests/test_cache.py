"""The build cache's records saved by a child process while the build goes on (cache.Saving)."""

import multiprocessing
import os

import pytest

from site_gen.cache import BuildCache

ARTICLES = {f"{n:03d}.md": (n, n * 10, f"sha{n}") for n in range(40)}  # enough names to fill every shard


@pytest.fixture
def writers(tmp_path, monkeypatch):
    """The pid of each process that wrote a record; with `fail_in_child`, any but this one fails."""
    log = tmp_path / "writers"
    real = BuildCache.write
    state = {"fail_in_child": False}

    def write(self, name, value):
        if state["fail_in_child"] and os.getpid() != parent:
            raise OSError("no space left on device")
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        real(self, name, value)

    parent = os.getpid()
    monkeypatch.setattr(BuildCache, "write", write)
    return lambda: log.read_text().split() if log.exists() else [], state


def test_a_child_writes_the_shards_meanwhile(tmp_path, writers):
    pids, _state = writers
    with BuildCache(tmp_path / "cache").save_sharded("articles.pickle", ARTICLES, meanwhile=True):
        pass  # the build's model stage
    assert pids() and str(os.getpid()) not in pids()  # all written by the child
    assert BuildCache(tmp_path / "cache").load_sharded("articles.pickle") == ARTICLES


def test_what_a_failed_child_did_not_write_is_written_by_the_build(tmp_path, writers):
    pids, state = writers
    state["fail_in_child"] = True
    saving = BuildCache(tmp_path / "cache").save_sharded("articles.pickle", ARTICLES, meanwhile=True)
    saving.finish()
    assert set(pids()) == {str(os.getpid())}
    assert BuildCache(tmp_path / "cache").load_sharded("articles.pickle") == ARTICLES


def test_without_meanwhile_the_build_writes_at_once(tmp_path, writers):
    pids, _state = writers
    BuildCache(tmp_path / "cache").save_sharded("articles.pickle", ARTICLES)
    assert set(pids()) == {str(os.getpid())}
    assert BuildCache(tmp_path / "cache").load_sharded("articles.pickle") == ARTICLES


def test_a_failed_build_leaves_no_child_behind(tmp_path):
    with pytest.raises(RuntimeError):
        with BuildCache(tmp_path / "cache").save_sharded("articles.pickle", ARTICLES, meanwhile=True):
            assert multiprocessing.active_children()  # the worker
            raise RuntimeError("a template error in the model stage")
    assert not multiprocessing.active_children()  # joined: nothing left to a long-running `serve`
    assert BuildCache(tmp_path / "cache").load_sharded("articles.pickle") == ARTICLES  # it had written them


def test_only_changed_shards_are_written_again(tmp_path, writers):
    pids, _state = writers
    BuildCache(tmp_path / "cache").save_sharded("articles.pickle", ARTICLES)
    cache = BuildCache(tmp_path / "cache")
    loaded = cache.load_sharded("articles.pickle")
    before = len(pids())
    loaded["007.md"] = (7, 71, "edited")
    cache.save_sharded("articles.pickle", loaded, meanwhile=True).finish()
    assert len(pids()) == before + 1
    assert BuildCache(tmp_path / "cache").load_sharded("articles.pickle") == loaded
