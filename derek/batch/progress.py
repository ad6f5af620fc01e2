"""A rich progress bar on standard error (or nothing, when disabled or not a terminal)."""
from __future__ import annotations


class Bar:
    def __init__(self, total: int, enabled: bool = True):
        self.total = total
        self.enabled = enabled
        self._progress = None
        self._task = None

    def __enter__(self) -> "Bar":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            console = Console(stderr=True)
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TextColumn("{task.speed_text}"),
                                      TimeElapsedColumn(), TimeRemainingColumn(),
                                      console=console, transient=False)
            self._progress.start()
            self._task = self._progress.add_task("analyzing", total=self.total, speed_text="")
        return self

    def workers(self, n: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=f"analyzing on {n} worker{'s' if n != 1 else ''}")

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            task = self._progress.tasks[0]
            speed = task.speed
            self._progress.update(self._task, advance=n,
                                  speed_text=f"{speed:.0f}/s" if speed else "")

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
