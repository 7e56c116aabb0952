"""What the importer wrote last time: content/.import-state.json.

Input: the content directory. Output: an ImportState saying, per content file, the hash of the text
the importer wrote and of the inputs (seed + sidecar) it was made from, and the importer version that
made them. It is how re-import knows that a file was edited by hand (its text no longer has the
written hash: keep it), that a seed is unchanged (same inputs, same version: nothing to do), or that
the importer has improved since (older version: convert again, and overwrite only untouched files).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

STATE_FILE = ".import-state.json"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Written:
    sha256: str  # of the content file's text as the importer wrote it
    inputs: str = ""  # of the seed bytes and its sidecar


@dataclass
class ImportState:
    version: int | None = None  # importer version that wrote the files; None for a state from before versions
    files: dict[str, Written] = field(default_factory=dict)

    def is_current(self, name: str, inputs: str, version: int) -> bool:
        entry = self.files.get(name)
        return self.version == version and entry is not None and entry.inputs == inputs

    def is_untouched(self, name: str, text: str) -> bool:
        entry = self.files.get(name)
        return entry is not None and entry.sha256 == sha256_text(text)


def load_state(content_dir: Path) -> ImportState:
    try:
        raw = json.loads((content_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ImportState()
    if not isinstance(raw, dict):
        return ImportState()
    if "files" not in raw:  # first format: {file name: sha256 of the written text}
        return ImportState(None, {k: Written(v) for k, v in raw.items() if isinstance(v, str)})
    files = {name: Written(str(entry.get("sha256", "")), str(entry.get("inputs", "")))
             for name, entry in (raw.get("files") or {}).items() if isinstance(entry, dict)}
    version = raw.get("importer_version")
    return ImportState(version if isinstance(version, int) else None, files)


def save_state(content_dir: Path, state: ImportState, version: int) -> None:
    """Write the state (only if it changed, so an unchanged re-import leaves every byte alone)."""
    files = {name: {"inputs": w.inputs, "sha256": w.sha256}
             for name, w in sorted(state.files.items()) if (content_dir / name).exists()}
    text = json.dumps({"importer_version": version, "files": files}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path = content_dir / STATE_FILE
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
