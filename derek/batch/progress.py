"""A rich progress bar on standard error (or nothing, when disabled or not a terminal)."""
from __future__ import annotations


class Bar:
    def __init__(self, total: int, enabled: bool = True):
        self.total = total
        self.enabled = enabled
        self._progress = None
        self._task = None
        self._done = 0
        self._t0 = 0.0

    def __enter__(self) -> "Bar":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            console = Console(stderr=True)
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TextColumn("{task.fields[speed_text]}"),
                                      TimeElapsedColumn(), TimeRemainingColumn(),
                                      console=console, transient=False)
            self._progress.start()
            import time

            self._t0 = time.monotonic()
            self._task = self._progress.add_task("analyzing", total=self.total, speed_text="")
        return self

    def workers(self, n: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=f"analyzing on {n} worker{'s' if n != 1 else ''}")

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            # rate since the start: results arrive a chunk at a time, so rich's own
            # windowed speed would show bursts of thousands per second
            import time

            self._done += n
            elapsed = time.monotonic() - self._t0
            self._progress.update(self._task, advance=n,
                                  speed_text=f"{self._done / elapsed:.1f}/s" if elapsed > 0 else "")

    def print(self, message: str) -> None:
        """A line above the bar (errors as they happen)."""
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)
        else:
            import sys

            print(message, file=sys.stderr, flush=True)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
