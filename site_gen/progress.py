"""What a person sees while the tool works: progress for long stages and the closing summary.

Input: stage events from the build (start, items done out of a total, finish with seconds).
Output: on a terminal, a live bar (rich) on stderr; in CI (`CI=true`) or when stderr is not a TTY,
plain lines, few enough to read in a CI log; nothing at all with `--quiet`.
Stages know nothing about terminals: they call a ProgressHook, and this module decides how it looks.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Protocol, TextIO

# Plain mode prints a line at most every this many seconds per stage (plus the first and last),
# so a CI log of a 100,000-seed import stays a few dozen lines long.
PLAIN_INTERVAL = 5.0


class ProgressHook(Protocol):
    """How a stage reports its work; the build passes one to each long stage."""

    def start(self, stage: str, total: int | None = None) -> None: ...

    def update(self, done: int, total: int | None = None) -> None: ...

    def finish(self, stage: str, seconds: float) -> None: ...


class NoProgress:
    """The hook for callers that show nothing (tests, `--quiet`, library use)."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def update(self, done: int, total: int | None = None) -> None:
        pass

    def finish(self, stage: str, seconds: float) -> None:
        pass


def is_live_terminal(stream: TextIO) -> bool:
    """A live bar only on an interactive terminal, never in CI logs (which claim a TTY sometimes)."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class PlainProgress:
    """One line per stage start and finish, and a `done/total` line at most every PLAIN_INTERVAL seconds."""

    stream: TextIO
    verbose: bool = False
    _stage: str = ""
    _last: float = 0.0
    _announced: bool = False

    def start(self, stage: str, total: int | None = None) -> None:
        self._stage = stage
        self._last = time.monotonic()
        self._announced = False
        if total or self.verbose:
            self._announce(total)

    def _announce(self, total: int | None) -> None:
        self._announced = True
        suffix = f" ({total:,} items)" if total else ""
        print(f"{self._stage}…{suffix}", file=self.stream, flush=True)

    def update(self, done: int, total: int | None = None) -> None:
        if not self._announced and total:  # a stage that learns its size only once it runs (import)
            self._announce(total)
        now = time.monotonic()
        if now - self._last >= PLAIN_INTERVAL:
            self._last = now
            share = f" ({100 * done // total}%)" if total else ""
            print(f"{self._stage}: {done:,}/{total or '?'}{share}", file=self.stream, flush=True)

    def finish(self, stage: str, seconds: float) -> None:
        if self.verbose:
            print(f"{stage}: done in {seconds:.2f}s", file=self.stream, flush=True)


class LiveProgress:
    """A rich progress bar per long stage on an interactive terminal; short stages show as one line."""

    def __init__(self, stream: TextIO, verbose: bool = False):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream)
        self.verbose = verbose
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=self.console, transient=True)
        self.task: int | None = None

    def start(self, stage: str, total: int | None = None) -> None:
        if not self.progress.live.is_started:
            self.progress.start()
        self.task = self.progress.add_task(stage, total=total)

    def update(self, done: int, total: int | None = None) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total)

    def finish(self, stage: str, seconds: float) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
        if self.verbose:
            self.console.print(f"{stage}: done in {seconds:.2f}s", highlight=False)

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


def make_progress(quiet: bool = False, verbose: bool = False, stream: TextIO | None = None) -> ProgressHook:
    stream = stream or sys.stderr
    if quiet:
        return NoProgress()
    if is_live_terminal(stream):
        return LiveProgress(stream, verbose)
    return PlainProgress(stream, verbose)


def close_progress(hook: ProgressHook) -> None:
    """Stop a live display so the summary prints below it, not inside it."""
    close = getattr(hook, "close", None)
    if close is not None:
        close()


def print_table(rows: list[tuple[str, ...]], header: tuple[str, ...], stream: TextIO | None = None,
                title: str | None = None) -> None:
    """A summary table: rich on a terminal, aligned plain text in CI and pipes (so logs stay greppable)."""
    stream = stream or sys.stdout
    if is_live_terminal(stream):
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for i, name in enumerate(header):
            table.add_column(name, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        Console(file=stream).print(table)
        return
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    if title:
        print(title, file=stream)
    for row in [header, *rows]:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  " + "  ".join(cells).rstrip(), file=stream)
