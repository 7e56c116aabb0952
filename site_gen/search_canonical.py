"""Pagefind's file format, as site_gen reads and writes it: the same articles give the same bytes and file
names on every build.

Why: two builds of the same input must be byte-identical (issue 9). Pagefind 1.5.2 builds each filter
file from a Rust HashMap with a random seed, so the order of its values changes on every run, and with it
the file's bytes and its content-hash name. The merge (site_gen/search_merge.py) writes every filter's
values in code-point order and names its files as Pagefind does (`short_name`: `<lang>_` plus the leading
hex digits of the SHA-1 of the CBOR payload, one more on a clash).

The files are gzip (written here with mtime 0) around `pagefind_dcd` followed by CBOR. Each decoded file
is re-encoded and compared with the original (`read_pagefind_file`): a Pagefind release that changed the
format stops the build with a message instead of producing a bundle the page cannot read.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import cbor2
from isal import igzip

from site_gen.diagnostics import Diagnostic, SiteGenError

SIGNATURE = b"pagefind_dcd"


def write_meta(bundle: Path, language: str, meta: Any) -> str:
    """Write `meta` as the language's meta file, named as Pagefind names it; returns its hash (for
    pagefind-entry.json)."""
    payload = cbor2.dumps(meta)
    meta_hash = short_name(language, payload, {})
    write_pagefind_file(bundle / f"pagefind.{meta_hash}.pf_meta", payload)
    return meta_hash


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


def write_pagefind_file(path: Path, payload: bytes) -> None:
    """Write `payload` as Pagefind does (gzip, signature first), without a timestamp."""
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))


def write_index_chunk(path: Path, payload: bytes) -> None:
    """Write an index chunk: a Pagefind file gzipped by ISA-L (level 3), which compressed 3,000 chunks of a 10,000-
    article bundle (136 MB) in 0.41 s of CPU instead of zlib's 2.72 s at level 4, for 0.5 % more bytes. (Fragments
    keep zlib's level 9: ISA-L's best made them 14 % larger, and they are most of a 100,000-article bundle.)"""
    path.write_bytes(igzip.compress(SIGNATURE + payload, 3, mtime=0))


def format_error(path: Path, problem: str) -> SiteGenError:
    return SiteGenError(Diagnostic(str(path), f"unexpected Pagefind file: {problem}",
                                   hint="search_canonical.py reads Pagefind 1.5's format; check the pinned version"))
