"""Import: raw seeds (seeds/) → front-matter Markdown (content/*.md).

Input: a seeds directory and a content directory. Output: content files written, and an ImportReport
that accounts for every seed — written, unchanged, kept (hand-edited content), duplicate or skipped
with a reason. One bad seed never stops the others; nothing is lost without a line in the report.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from site_gen.article import Article, article_from_front_matter
from site_gen.content import format_article, read_article
from site_gen.diagnostics import Diagnostic
from site_gen.enrich import Enricher
from site_gen.enrich.gazetteer import data_file
from site_gen.importer import clean, dates
from site_gen.importer.decode import DecodeError, decode_bytes
from site_gen.importer.formats import FormatError, parse_capture
from site_gen.importer.scrape import parse_lines
from site_gen.importer.slugs import slugify, unique_slug

SEED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
SIDECAR_SUFFIX = ".meta.yml"
STATE_FILE = ".import-state.json"  # content file → sha256 of the text the importer wrote
MAX_SEED_BYTES = 50 * 1024 * 1024
SUMMARY_CHARS = 120
GENERATED_TITLE_CHARS = 32


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
class _Converted:
    article: Article
    fingerprint: str
    candidates: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)


def seed_files(seeds_dir: Path) -> list[Path]:
    """Every raw file under seeds/, sorted, without sidecars; symlinks that leave seeds/ are reported, not read."""
    files = []
    for path in sorted(seeds_dir.rglob("*")):
        if path.name.startswith(".") or path.name.endswith(SIDECAR_SUFFIX):
            continue
        if path.is_file() or path.is_symlink():
            files.append(path)
    return files


def _fingerprint(text: str) -> str:
    """Same story, whatever the script, whitespace or punctuation it was captured with."""
    letters = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return hashlib.sha256(letters.encode("utf-8")).hexdigest()


def _generate_title(blocks: list[str]) -> str:
    first = next((b for b in blocks if not b.startswith(("#", "!", "|"))), blocks[0] if blocks else "")
    sentence = re.split(r"[。！？!?]", first, maxsplit=1)[0]
    if len(sentence) <= GENERATED_TITLE_CHARS:
        return sentence
    cut = max(sentence.rfind(p, 0, GENERATED_TITLE_CHARS) for p in "，,、；：")
    return sentence[:cut] if cut >= 8 else sentence[:GENERATED_TITLE_CHARS] + "…"


def _summary(blocks: list[str]) -> str | None:
    for block in blocks:
        if block.startswith(("#", "!", "|", "-", ">")):
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
        sentences = re.findall(r"[^。！？!?]+[。！？!?]?", text)
        summary = ""
        for sentence in sentences:
            if summary and len(summary) + len(sentence) > SUMMARY_CHARS:
                break
            summary += sentence
        if len(summary) > SUMMARY_CHARS:
            summary = summary[:SUMMARY_CHARS].rstrip("，,、；：") + "…"
        return summary.strip() or None
    return None


def _read_sidecar(seed_path: Path) -> dict[str, Any]:
    sidecar = seed_path.with_name(seed_path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        sidecar = seed_path.with_suffix(SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SeedError(f"sidecar {sidecar.name} is not readable YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise SeedError(f"sidecar {sidecar.name} must be a mapping of front matter keys")
    return data


class SeedConverter:
    """Turns one seed's bytes into an Article. Pure apart from reading reference data once."""

    def __init__(self, enricher: Enricher, site_data_dir: Path | None = None):
        self.enricher = enricher
        repairs_path = data_file("mojibake.yml", site_data_dir)
        self.repairs: dict[str, str] = (yaml.safe_load(repairs_path.read_text(encoding="utf-8")) or {}).get("repairs", {})

    def convert(self, data: bytes, seed: str, sidecar: dict[str, Any]) -> _Converted:
        try:
            text, _encoding = decode_bytes(data)
        except DecodeError as exc:
            raise SeedError(str(exc)) from None
        text = clean.fix_mojibake(clean.strip_pinyin(text), self.repairs)
        traditional = clean.is_traditional(text)
        if traditional:
            text = clean.to_simplified(text)
        try:
            capture = parse_capture(text)
        except FormatError as exc:
            raise SeedError(str(exc)) from None
        lines = [clean.normalise_line(line) for line in capture.body.split("\n")]
        scrape = parse_lines(lines, title=clean.normalise_line(capture.title) if capture.title else None)
        if not scrape.blocks:
            raise SeedError("no article text found (only site chrome or empty)")
        body = "\n\n".join(scrape.blocks)

        found = capture.date or scrape.date
        if found is None and scrape.month_day is not None:
            found = dates.infer_month_day(*scrape.month_day, text=body)
        title = scrape.title
        title_generated = False
        if not title:
            title, title_generated = _generate_title(scrape.blocks), True

        enrichment = self.enricher.enrich(title, body)
        meta: dict[str, Any] = {
            "title": title,
            "title_generated": title_generated,
            "date": found.iso if found else None,
            "date_inferred": bool(found and found.inferred),
            "source": scrape.source,
            "authors": scrape.authors,
            "editors": scrape.editors,
            "original_url": capture.original_url,
            "zones": list(enrichment.zones),
            "regions": list(enrichment.regions),
            "categories": list(enrichment.categories),
            "tags": list(enrichment.tags),
            "summary": _summary(scrape.blocks),
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
        if extra:
            meta["extra"] = extra
        for key, value in sidecar.items():
            meta[key] = value
            if key == "date" and "date_inferred" not in sidecar:
                meta["date_inferred"] = False
        article, problems = article_from_front_matter(meta, body, seed)
        if article is None:
            raise SeedError("; ".join(p.message for p in problems))
        return _Converted(article, _fingerprint(body), enrichment.zone_candidates)


def _load_state(content_dir: Path) -> dict[str, str]:
    try:
        return json.loads((content_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_seeds(seeds_dir: Path, content_dir: Path, site_data_dir: Path | None = None) -> ImportReport:
    """Import every seed that is new or changed; account for every seed in the report."""
    content_dir.mkdir(parents=True, exist_ok=True)
    state = _load_state(content_dir)
    existing: dict[str, tuple[Path, Article]] = {}
    for path in sorted(content_dir.glob("*.md")):
        article, _problems = read_article(path)
        if article is not None:
            existing[article.seed] = (path, article)
    taken = {a.slug for _, a in existing.values() if a.slug} | {p.stem for p, _ in existing.values()}
    seen_fingerprints: dict[str, str] = {}
    outcomes: list[SeedOutcome] = []
    candidates: dict[str, int] = {}
    converter: SeedConverter | None = None
    seeds_root = seeds_dir.resolve()

    for path in seed_files(seeds_dir):
        seed = path.relative_to(seeds_dir).as_posix()
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(seeds_root):
                raise SeedError("symlink points outside the seeds directory; copy the file in instead")
            if path.suffix.lower() not in SEED_SUFFIXES:
                raise SeedError(f"unsupported file type {path.suffix or '(none)'}; seeds are .txt, .md, .html")
            if path.stat().st_size > MAX_SEED_BYTES:
                raise SeedError(f"larger than {MAX_SEED_BYTES // (1024 * 1024)} MB; split or trim it")
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            previous = existing.get(seed)
            sidecar = _read_sidecar(path)
            if previous and previous[1].seed_sha256 == sha and not sidecar:
                outcomes.append(SeedOutcome(seed, "unchanged", previous[0].name))
                fingerprint = _fingerprint(previous[1].body)
                seen_fingerprints.setdefault(fingerprint, seed)
                continue
            converter = converter or SeedConverter(Enricher(site_data_dir), site_data_dir)
            converted = converter.convert(data, seed, sidecar)
        except SeedError as exc:
            outcomes.append(SeedOutcome(seed, "skipped", reason=str(exc)))
            continue
        except OSError as exc:
            outcomes.append(SeedOutcome(seed, "skipped", reason=f"cannot read: {exc.strerror}"))
            continue
        for name in converted.candidates:
            candidates[name] = candidates.get(name, 0) + 1
        duplicate_of = seen_fingerprints.get(converted.fingerprint)
        if duplicate_of is not None:
            outcomes.append(SeedOutcome(seed, "duplicate", reason=f"same story as {duplicate_of}"))
            continue
        seen_fingerprints[converted.fingerprint] = seed

        article = converted.article
        if previous:
            target = previous[0]
            slug = previous[1].slug or target.stem
        else:
            base = article.slug or slugify(article.title)
            slug = unique_slug(base, taken, article.date, seed)
            target = content_dir / f"{slug}.md"
        taken.add(slug)
        article = replace(article, slug=slug)
        text = format_article(article)
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == text:
                outcomes.append(SeedOutcome(seed, "unchanged", target.name))
                continue
            if state.get(target.name) != _sha(current):
                outcomes.append(SeedOutcome(seed, "kept", target.name,
                                            reason="content file was edited by hand; not overwritten"))
                continue
        _write_atomic(target, text)
        state[target.name] = _sha(text)
        outcomes.append(SeedOutcome(seed, "written", target.name))

    state = {name: digest for name, digest in sorted(state.items()) if (content_dir / name).exists()}
    state_text = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    state_path = content_dir / STATE_FILE
    if not state_path.exists() or state_path.read_text(encoding="utf-8") != state_text:
        _write_atomic(state_path, state_text)
    return ImportReport(tuple(outcomes), zone_candidates=tuple(sorted(candidates.items())))
