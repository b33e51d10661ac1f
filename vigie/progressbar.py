"""A progress bar for long exports, on standard error, one bar per phase (reading the ads,
merging their values, writing the file). Nothing is drawn when standard error is not a terminal
(a pipe, a log file, cron) or when the user asked for quiet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class _Bars:
    """`storage.exchange.progress.Progress` drawn by rich: each phase ends the one before."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def start(self, phase: str, total: int | None) -> None:
        self._finish()
        self._task = self._progress.add_task(phase, total=total)

    def advance(self, steps: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)

    def _finish(self) -> None:
        if self._task is not None:
            done = next(t.completed for t in self._progress.tasks if t.id == self._task)
            self._progress.update(self._task, total=done)


class _Silent:
    def start(self, phase: str, total: int | None) -> None:
        return None

    def advance(self, steps: int) -> None:
        return None


@contextmanager
def export_progress(console: Console, *, quiet: bool = False) -> Iterator[_Bars | _Silent]:
    """The progress an export reports to (silent unless `console` is a terminal)."""
    if quiet or not console.is_terminal:
        yield _Silent()
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    with progress:
        bars = _Bars(progress)
        yield bars
        bars._finish()
