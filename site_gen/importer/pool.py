"""Seed conversion, the pure per-seed step of import, in worker processes when there are many seeds.

Input: jobs (seed name, path, sidecar keys). Output, in job order: a Converted article (with the slug its
title gives and its content file's text for that slug, made here so that the workers, not the parent, do
it) or the reason the seed cannot become one. The reference data (gazetteer, dictionaries) is loaded once,
before the workers are forked, which then share it; where processes are not forked, each worker loads it.
A bug in a converter becomes that seed's reason, never the end of the run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_gen.output import die_with_parent

if TYPE_CHECKING:
    from site_gen.importer import Converted, SeedConverter

# Below this many seeds, starting workers costs more than it saves.
POOL_THRESHOLD = 200
MAX_WORKERS = 2

_worker_converter: SeedConverter | None = None


@dataclass(frozen=True)
class Job:
    seed: str
    path: Path
    sidecar: dict[str, Any]


def convert_safely(converter: SeedConverter, job: Job) -> Converted | str:
    from site_gen.content import format_article
    from site_gen.importer import SeedError
    from site_gen.importer.slugs import slugify

    try:
        converted = converter.convert(job.path.read_bytes(), job.seed, job.sidecar)
        converted.slug = converted.article.slug or slugify(converted.article.title)
        converted.text = format_article(replace(converted.article, slug=converted.slug))
        return converted
    except SeedError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    except Exception as exc:  # noqa: BLE001 - a converter bug is reported for this seed; the others go on
        return f"could not be converted ({type(exc).__name__}: {str(exc)[:200]}); please report this seed"


def new_converter(site_data_dir: Path | None) -> SeedConverter:
    """A converter with the reference data loaded (imported here: site_gen.importer imports this module)."""
    from site_gen.enrich import Enricher
    from site_gen.importer import SeedConverter
    from site_gen.importer.slugs import prepare_dictionaries

    prepare_dictionaries()  # now, so that forked workers share them too
    return SeedConverter(Enricher(site_data_dir), site_data_dir)


def _start_worker(site_data_dir: Path | None, parent: int) -> None:
    """End with the parent (an import runs inside `build`'s lock: output.die_with_parent), then load the
    reference data unless it came with the fork."""
    global _worker_converter
    die_with_parent(parent)
    if _worker_converter is None:
        _worker_converter = new_converter(site_data_dir)


def _convert_in_worker(job: Job) -> Converted | str:
    assert _worker_converter is not None
    return convert_safely(_worker_converter, job)


def worker_count(jobs: int) -> int:
    if jobs < POOL_THRESHOLD:
        return 1
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def convert_all(jobs: list[Job], site_data_dir: Path | None) -> Iterator[Converted | str]:
    """Every job's result, in job order (so the import report and slugs do not depend on the pool)."""
    workers = worker_count(len(jobs))
    if workers == 1:
        yield from _convert_here(jobs, site_data_dir)
        return
    global _worker_converter
    done = 0
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        # Loaded once here and inherited: two workers loading the dictionaries each would take a second
        # of both cores at the start, while the parent waits.
        _worker_converter = new_converter(site_data_dir)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(site_data_dir, os.getpid())) as pool:
            for result in pool.map(_convert_in_worker, jobs, chunksize=8):
                yield result
                done += 1
    except BrokenProcessPool:
        # A worker died (killed for memory, a crash in a C extension): the seeds it had not answered for
        # are converted here, one by one, so the run still accounts for every seed.
        yield from _convert_here(jobs[done:], site_data_dir)
    finally:
        _worker_converter = None


def _convert_here(jobs: list[Job], site_data_dir: Path | None) -> Iterator[Converted | str]:
    """Convert in this process; the reference data is loaded only when there is something to convert."""
    if not jobs:
        return
    converter = new_converter(site_data_dir)
    for job in jobs:
        yield convert_safely(converter, job)
