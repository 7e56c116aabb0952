"""Canonical Pagefind bundles: the same articles give the same bytes and file names on every build.

Why: two builds of the same input must be byte-identical (issue 9). Pagefind 1.5.2 builds each
filter file (`filter/<lang>_<hash>.pf_filter`) from a Rust HashMap with a random seed, so the order of
its values changes on every run, and with it the file's bytes and its content-hash name, the
`pagefind.<lang>_<hash>.pf_meta` file that lists the filter files (in HashMap order too) and
`pagefind-entry.json` that names the meta. Everything else in the bundle (page numbers, fragments,
word index chunks) is already the same from run to run.

Input: a bundle folder Pagefind has just written (the primary bundle or a shard). Output: the same
folder with each filter's values in code-point order (each value's page list untouched), the meta's
filter list in name order, both renamed the way Pagefind names them (`<lang>_` plus the leading hex
digits of the SHA-1 of the CBOR payload, as many as Pagefind used, one more on a clash) and
`pagefind-entry.json` naming the new meta. The search page cannot tell: Pagefind keeps filter values in
a map, and search.js sorts them for display.

The files are gzip (written here with mtime 0) around `pagefind_dcd` followed by CBOR. Each decoded file
is re-encoded and compared with the original before anything is changed: a Pagefind release that
changed the format stops the build with a message instead of producing a bundle the page cannot read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

from site_gen.diagnostics import Diagnostic, SiteGenError

SIGNATURE = b"pagefind_dcd"
_META_FILTERS = 3  # [version, pages, index chunks, filters, sorts, meta fields]


def canonicalize_bundle(bundle: Path) -> None:
    """Rewrite the filter files and meta of every language in `bundle` in a canonical order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        raise format_error(entry_path, "no `languages` object")
    for language in languages.values():
        language["hash"] = _canonicalize_language(bundle, language["hash"])
    # Pagefind writes the languages from a HashMap too; one order for more than one language.
    entry["languages"] = dict(sorted(languages.items()))
    # serde_json's compact form, non-ASCII as is, no newline: unchanged bytes when nothing moved.
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _canonicalize_language(bundle: Path, meta_hash: str) -> str:
    """One language's meta and filters; returns the meta's new hash (`<lang>_<hex>`)."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_pagefind_file(meta_path)
    listed = meta[_META_FILTERS] if isinstance(meta, list) and len(meta) > _META_FILTERS else None
    if not isinstance(listed, list) or not all(_is_str_pair(item) for item in listed):
        raise format_error(meta_path, "the filter list is not [[name, hash], …]")

    filters: dict[str, bytes] = {}
    for name, filter_hash in listed:
        path = bundle / "filter" / f"{filter_hash}.pf_filter"
        data = read_pagefind_file(path)
        if not (isinstance(data, list) and len(data) == 2 and data[0] == name and isinstance(data[1], list)
                and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in data[1])):
            raise format_error(path, f"not [\"{name}\", [[value, pages], …]]")
        # Values are the keys of Pagefind's map, so they are unique and the order is total.
        filters[name] = cbor2.dumps([name, sorted(data[1], key=lambda value: value[0])])
    # Read everything before removing anything: a new name may equal an old one.
    for _, filter_hash in listed:
        (bundle / "filter" / f"{filter_hash}.pf_filter").unlink()

    old_hashes = dict(listed)
    taken: dict[str, bytes] = {}
    names = []
    for name in sorted(filters):
        new_hash = _short_hash(old_hashes[name], filters[name], taken)
        taken[new_hash] = filters[name]
        write_pagefind_file(bundle / "filter" / f"{new_hash}.pf_filter", filters[name])
        names.append([name, new_hash])

    meta[_META_FILTERS] = names
    return replace_meta(bundle, meta_hash, meta)


def replace_meta(bundle: Path, meta_hash: str | None, meta: Any, language: str | None = None) -> str:
    """Write `meta` as the language's meta file in place of `pagefind.<meta_hash>.pf_meta` (none: a new
    meta for `language`), named as Pagefind names it; returns the new hash (for pagefind-entry.json)."""
    payload = cbor2.dumps(meta)
    if meta_hash is None:
        new_hash = short_name(language or "", payload, {})
    else:
        new_hash = _short_hash(meta_hash, payload, {})
        (bundle / f"pagefind.{meta_hash}.pf_meta").unlink()
    write_pagefind_file(bundle / f"pagefind.{new_hash}.pf_meta", payload)
    return new_hash


def _short_hash(old: str, payload: bytes, taken: dict[str, bytes]) -> str:
    """A new name for a file Pagefind named `old`, as long as Pagefind made it (short_name)."""
    language, _, digits = old.rpartition("_")
    return short_name(language, payload, taken, len(digits))


def short_name(language: str, payload: bytes, taken: dict[str, bytes], length: int = 7) -> str:
    """`<lang>_` + the first `length` hex digits of the SHA-1 of `payload`, as Pagefind names its files;
    more digits while the name is `taken` by another payload."""
    full = hashlib.sha1(payload).hexdigest()
    while taken.get(f"{language}_{full[:length]}", payload) != payload and length < len(full):
        length += 1
    return f"{language}_{full[:length]}"


def read_payload(path: Path) -> bytes:
    """The payload of a Pagefind file: gzip around the `pagefind_dcd` signature and the payload."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:
        raise format_error(path, f"not gzip ({error})") from None
    if not raw.startswith(SIGNATURE):
        raise format_error(path, "no `pagefind_dcd` signature")
    return raw[len(SIGNATURE):]


def read_pagefind_file(path: Path) -> Any:
    """A gzip'd `pagefind_dcd` + CBOR file, decoded; refused unless re-encoding gives the same bytes."""
    payload = read_payload(path)
    try:
        data = cbor2.loads(payload)
    except cbor2.CBORDecodeError as error:
        raise format_error(path, f"not CBOR ({error})") from None
    if cbor2.dumps(data) != payload:
        raise format_error(path, "re-encoding the CBOR changes it")
    return data


def write_pagefind_file(path: Path, payload: bytes, compresslevel: int = 9) -> None:
    """Write `payload` as Pagefind does (gzip, signature first), without a timestamp."""
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=compresslevel, mtime=0))


def _is_str_pair(item: object) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)


def format_error(path: Path, problem: str) -> SiteGenError:
    return SiteGenError(Diagnostic(str(path), f"unexpected Pagefind file: {problem}",
                                   hint="search_canonical.py reads Pagefind 1.5's format; check the pinned version"))
