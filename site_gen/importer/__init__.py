"""Import: raw seeds (seeds/) → front-matter Markdown (content/*.md).

Input: a seeds directory and a content directory. Output: content files written, and an ImportReport
that accounts for every seed — written, unchanged, kept (hand-edited content), duplicate or skipped
with a reason — plus warnings (damage left in a text, no date found). One bad seed never stops the
others; nothing is lost without a line in the report.

Per seed: decode.py (bytes → text) → clean.py (pinyin, mojibake, script) → formats.py (which kind of
file; what its format states) → scrape.py (lines → title, date, credits, body, chrome) → dates.py →
enrich (zones, regions, tags, categories) → Article; then duplicates.py, slugs.py and state.py decide
what is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from site_gen.article import Article, article_from_front_matter
from site_gen.chinese import is_traditional
from site_gen.content import format_article, read_article
from site_gen.diagnostics import Diagnostic
from site_gen.enrich import Enricher
from site_gen.enrich.gazetteer import data_file
from site_gen.importer import clean, dates
from site_gen.importer.decode import DecodeError, decode_bytes
from site_gen.importer.duplicates import DuplicateIndex, Fingerprint, fingerprint
from site_gen.importer.pool import Job, convert_all
from site_gen.importer.formats import FormatError, parse_capture
from site_gen.importer.scrape import clean_source, parse_lines
from site_gen.importer.slugs import slugify, unique_slug
from site_gen.importer.state import STATE_FILE, load_state, save_state, sha256_text, write_atomic, Written

# Bump when a change to the importer changes what it writes: seeds whose content files were not edited
# by hand are then converted again (an unchanged seed is otherwise never re-read).
IMPORTER_VERSION = 2
SEED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
SIDECAR_SUFFIX = ".meta.yml"
MAX_SEED_BYTES = 50 * 1024 * 1024
SUMMARY_CHARS = 120
GENERATED_TITLE_CHARS = 32

__all__ = ["IMPORTER_VERSION", "STATE_FILE", "ImportReport", "SeedOutcome", "SeedConverter", "import_seeds"]


class SeedError(ValueError):
    """This seed cannot become an article; the message says why and what to do."""


@dataclass(frozen=True)
class SeedOutcome:
    seed: str
    status: str  # written | unchanged | kept | duplicate | skipped
    content: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ImportReport:
    outcomes: tuple[SeedOutcome, ...]
    warnings: tuple[Diagnostic, ...] = ()
    zone_candidates: tuple[tuple[str, int], ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def skipped(self) -> tuple[SeedOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status in ("skipped", "duplicate"))


@dataclass
class Converted:
    article: Article
    fingerprint: Fingerprint
    candidates: tuple[str, ...] = ()
    warnings: list[Diagnostic] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # chrome lines left out of the body
    slug: str | None = None  # the article's own slug or its title's (pool.convert_safely)
    text: str | None = None  # the content file's text with that slug


def seed_files(seeds_dir: Path) -> list[Path]:
    """Every raw file under seeds/, sorted, without sidecars; symlinks that leave seeds/ are reported, not read.

    Hidden folders (`.git`) and hidden non-seed files (`.DS_Store`, `.gitkeep`) are not seeds; a hidden
    file with a seed's suffix (`..dots..txt`) is one, so it is imported or reported like any other.
    """
    files = []
    for path in sorted(seeds_dir.rglob("*")):
        relative = path.relative_to(seeds_dir).parts
        if any(part.startswith(".") for part in relative[:-1]) or path.name.endswith(SIDECAR_SUFFIX):
            continue
        if path.name.startswith(".") and path.suffix.lower() not in SEED_SUFFIXES:
            continue
        if path.is_file() or path.is_symlink():
            files.append(path)
    return files


def _generate_title(blocks: list[str]) -> str:
    first = next((b for b in blocks if not b.startswith(("#", "!", "|"))), blocks[0] if blocks else "")
    sentence = clean.normalise_line(first.split("](")[0] if first.startswith("[") else first)
    sentence = re.split(r"[。！？!?]", sentence, maxsplit=1)[0]
    if len(sentence) <= GENERATED_TITLE_CHARS:
        return sentence
    cut = max(sentence.rfind(p, 0, GENERATED_TITLE_CHARS) for p in "，,、；：")
    return sentence[:cut] if cut >= 8 else sentence[:GENERATED_TITLE_CHARS] + "…"


def _summary(blocks: list[str]) -> str | None:
    for block in blocks:
        if block.startswith(("#", "!", "|", "-", ">")):
            continue
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)
        text = re.sub(r"^(?:本报|本台|本网)讯\s*", "", text)
        sentences = re.findall(r"[^。！？!?]+[。！？!?]?", text)
        summary = ""
        for sentence in sentences:
            if summary and len(summary) + len(sentence) > SUMMARY_CHARS:
                break
            summary += sentence
        if len(summary) > SUMMARY_CHARS:
            summary = summary[:SUMMARY_CHARS].rstrip("，,、；：") + "…"
        if summary.strip():
            return summary.strip()
    return None


def sidecar_path(seed_path: Path) -> Path | None:
    """`NAME.txt.meta.yml` or `NAME.meta.yml` beside the seed."""
    for candidate in (seed_path.with_name(seed_path.name + SIDECAR_SUFFIX), seed_path.with_suffix(SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path | None) -> tuple[dict[str, Any], bytes]:
    """The sidecar's keys (front matter keys that win over what was extracted) and its bytes."""
    if path is None:
        return {}, b""
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SeedError(f"sidecar {path.name} is not readable YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        return {}, raw
    if not isinstance(data, dict):
        raise SeedError(f"sidecar {path.name} must be a mapping of front matter keys")
    return data, raw


class SeedConverter:
    """Turns one seed's bytes into an Article. Pure apart from reading reference data once."""

    def __init__(self, enricher: Enricher, site_data_dir: Path | None = None):
        self.enricher = enricher
        repairs_path = data_file("mojibake.yml", site_data_dir)
        self.repairs: dict[str, str] = (yaml.safe_load(repairs_path.read_text(encoding="utf-8")) or {}).get("repairs", {})

    def convert(self, data: bytes, seed: str, sidecar: dict[str, Any]) -> Converted:
        try:
            text, _encoding = decode_bytes(data)
        except DecodeError as exc:
            raise SeedError(str(exc)) from None
        # Repairs first: the table's keys are the damage exactly as captured, pinyin included; then
        # what is still damaged is found at (nearly) the line and column of the raw file.
        text = clean.fix_mojibake(text, self.repairs)
        warnings = [
            Diagnostic(seed, f"text still damaged after repair: {d.text!r} (left as captured; add a repair to "
                             f"mojibake.yml if the original is certain)", line=d.line, col=d.col, severity="warning")
            for d in clean.find_damage(text)
        ]
        text = clean.strip_pinyin(text)
        traditional = is_traditional(text)
        if traditional:
            text = clean.to_simplified(text)
        try:
            capture = parse_capture(text)
        except FormatError as exc:
            raise SeedError(str(exc)) from None
        body_text = clean.strip_stray_tags(capture.body) if capture.kind == "text" else capture.body
        lines = [clean.normalise_line(line) for line in body_text.split("\n")]
        meta_lines = [clean.normalise_line(line) for line in capture.meta_lines]
        scrape = parse_lines(lines, title=clean.normalise_line(capture.title) if capture.title else None,
                             meta_lines=meta_lines)
        if not scrape.blocks:
            raise SeedError("no article text found (only site chrome or empty)")
        body = "\n\n".join(scrape.blocks)

        found = capture.date or scrape.date
        if capture.date and scrape.date and scrape.date.iso.startswith(capture.date.iso) and "T" not in capture.date.iso:
            found = scrape.date  # the page's own line gives the time of day the <meta> left out
        if found is None and scrape.month_day is not None:
            found = dates.infer_month_day(*scrape.month_day, text=body)
        title = scrape.title
        title_generated = False
        if not title:
            title, title_generated = _generate_title(scrape.blocks), True

        stated = capture.stated
        enrichment = self.enricher.enrich(title, body)
        meta: dict[str, Any] = {
            "title": title,
            "title_generated": title_generated,
            "date": found.iso if found else None,
            "date_inferred": bool(found and found.inferred),
            "source": clean_source(stated["source"]) if stated.get("source") else scrape.source,
            "authors": stated.get("authors") or scrape.authors,
            "editors": stated.get("editors") or scrape.editors,
            "original_url": capture.original_url,
            "zones": list(enrichment.zones),
            "regions": list(enrichment.regions),
            "categories": list(enrichment.categories),
            "tags": list(enrichment.tags),
            "summary": stated.get("summary") or _summary(scrape.blocks),
            "lang": "zh-Hans",
            "original_script": "zh-Hant" if traditional else None,
            "seed": seed,
            "seed_sha256": hashlib.sha256(data).hexdigest(),
        }
        extra: dict[str, Any] = {}
        if capture.source_meta.get("categories"):
            extra["source_categories"] = capture.source_meta["categories"]
        if capture.source_meta.get("tags"):
            extra["source_tags"] = capture.source_meta["tags"]
        if scrape.captions:
            extra["image_captions"] = scrape.captions
        if scrape.photographers:
            extra["photographers"] = scrape.photographers
        if scrape.credits:
            extra["credits"] = scrape.credits
        if extra:
            meta["extra"] = extra
        for key, value in sidecar.items():
            meta[key] = value
            if key == "date" and "date_inferred" not in sidecar:
                meta["date_inferred"] = False  # the archivist read it; nothing is inferred any more
            if key == "title" and "title_generated" not in sidecar:
                meta["title_generated"] = False
        if not meta.get("date"):
            warnings.append(Diagnostic(seed, "no publication date in the page; left empty (a sidecar "
                                             f"{Path(seed).name}{SIDECAR_SUFFIX} with `date:` can give it)",
                                       severity="warning"))
        article, problems = article_from_front_matter(meta, body, seed)
        if article is None:
            raise SeedError("; ".join(p.message for p in problems))
        return Converted(article, fingerprint(body), enrichment.zone_candidates, warnings, scrape.dropped)


def import_seeds(seeds_dir: Path, content_dir: Path, site_data_dir: Path | None = None,
                 progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import every seed that is new or changed; account for every seed in the report.

    `progress(done, total)` is called after each seed when given (the CLI's progress display).
    """
    content_dir.mkdir(parents=True, exist_ok=True)
    state = load_state(content_dir)
    existing: dict[str, tuple[Path, Article]] = {}
    for path in sorted(content_dir.glob("*.md")):
        article, _problems = read_article(path)
        if article is not None:
            existing[article.seed] = (path, article)
    taken = {a.slug for _, a in existing.values() if a.slug} | {p.stem for p, _ in existing.values()}
    duplicates = DuplicateIndex()
    outcomes: list[SeedOutcome] = []
    warnings: list[Diagnostic] = []
    candidates: dict[str, int] = {}
    seeds_root = seeds_dir.resolve()

    paths = seed_files(seeds_dir)
    # Pass 1 (cheap, in order): which seeds are unchanged, which cannot be read, which need converting.
    settled: dict[int, SeedOutcome] = {}
    jobs: list[tuple[int, Job, str]] = []  # (position, job, inputs hash)
    kept_bodies: list[tuple[str, str]] = []  # (seed, body) of articles already in content/
    for number, path in enumerate(paths):
        seed = path.relative_to(seeds_dir).as_posix()
        previous = existing.get(seed)
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(seeds_root):
                raise SeedError("symlink points outside the seeds directory; copy the file in instead")
            if path.suffix.lower() not in SEED_SUFFIXES:
                raise SeedError(f"unsupported file type {path.suffix or '(none)'}; seeds are .txt, .md, .html")
            if path.stat().st_size > MAX_SEED_BYTES:
                raise SeedError(f"larger than {MAX_SEED_BYTES // (1024 * 1024)} MB; split or trim it")
            data = path.read_bytes()
            sidecar, sidecar_bytes = read_sidecar(sidecar_path(path))
            inputs = hashlib.sha256(hashlib.sha256(data).digest() + hashlib.sha256(sidecar_bytes).digest()).hexdigest()
        except SeedError as exc:
            settled[number] = SeedOutcome(seed, "skipped", reason=str(exc))
            continue
        except OSError as exc:
            settled[number] = SeedOutcome(seed, "skipped", reason=f"cannot read: {exc.strerror}")
            continue
        except RuntimeError as exc:  # Path.resolve() on a symlink loop
            settled[number] = SeedOutcome(seed, "skipped", reason=f"cannot follow: {exc}")
            continue
        if previous and state.is_current(previous[0].name, inputs, IMPORTER_VERSION):
            kept_bodies.append((seed, previous[1].body))
            current = previous[0].read_text(encoding="utf-8")
            if state.is_untouched(previous[0].name, current):
                settled[number] = SeedOutcome(seed, "unchanged", previous[0].name)
            else:
                settled[number] = SeedOutcome(seed, "kept", previous[0].name,
                                              reason="content file was edited by hand; not overwritten")
            continue
        jobs.append((number, Job(seed, path, sidecar), inputs))

    # Pass 2: convert (in worker processes when there are many), then decide and write in seed order.
    # New or changed seeds are checked against the stories already imported; with nothing to convert
    # (the usual re-import) the fingerprints, most of a re-import's time, are never computed.
    if jobs:
        for seed, body in kept_bodies:
            duplicates.add(seed, fingerprint(body))
    results = convert_all([job for _, job, _ in jobs], site_data_dir)
    pending = iter(jobs)
    for number in range(len(paths)):
        if progress is not None and number:
            progress(number, len(paths))
        if number in settled:
            outcomes.append(settled[number])
            continue
        _, job, inputs = next(pending)
        seed = job.seed
        previous = existing.get(seed)
        converted = next(results)
        if isinstance(converted, str):
            outcomes.append(SeedOutcome(seed, "skipped", reason=converted))
            continue
        warnings.extend(converted.warnings)
        for name in converted.candidates:
            candidates[name] = candidates.get(name, 0) + 1
        duplicate_of = duplicates.find(converted.fingerprint)
        if duplicate_of is not None:
            other, score = duplicate_of
            share = "the same text" if score >= 1.0 else f"about {score:.0%} of the text in common"
            outcomes.append(SeedOutcome(seed, "duplicate", reason=f"same story as {other} ({share}); not imported twice"))
            continue
        duplicates.add(seed, converted.fingerprint)

        article = converted.article
        if previous:
            target = previous[0]
            slug = previous[1].slug or target.stem
        else:
            base = converted.slug or article.slug or slugify(article.title)
            slug = unique_slug(base, taken, article.date, seed)
            target = content_dir / f"{slug}.md"
        taken.add(slug)
        article = replace(article, slug=slug)
        text = converted.text if converted.text is not None and slug == converted.slug else format_article(article)
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == text:
                state.files[target.name] = Written(sha256_text(text), inputs)
                outcomes.append(SeedOutcome(seed, "unchanged", target.name))
                continue
            if not state.is_untouched(target.name, current):
                outcomes.append(SeedOutcome(seed, "kept", target.name,
                                            reason="content file was edited by hand; not overwritten"))
                continue
        write_atomic(target, text)
        state.files[target.name] = Written(sha256_text(text), inputs)
        outcomes.append(SeedOutcome(seed, "written", target.name))

    if progress is not None:
        progress(len(paths), len(paths))
    save_state(content_dir, state, IMPORTER_VERSION)
    return ImportReport(tuple(outcomes), tuple(warnings), zone_candidates=tuple(sorted(candidates.items())))
