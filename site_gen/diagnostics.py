"""One error format for every stage: `path:line:col: message` plus an optional hint.

Stages collect Diagnostics instead of raising on the first problem, so the CLI can report
all of them with a count. Only the CLI turns them into output and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    path: str
    message: str
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    severity: str = "error"  # "error" | "warning"

    def format(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class SiteGenError(Exception):
    """A user-facing failure carrying one or more diagnostics (never a programming error)."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type, tuple[list[Diagnostic]]]:
        # As a worker process sends it back (pickled). Exception's own reduce would call
        # SiteGenError(message), and the message would be read as diagnostics, one per character.
        return type(self), (self.diagnostics,)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should read it: relative to `root` (or the cwd) when it lies below it."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
