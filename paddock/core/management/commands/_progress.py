"""Progress of a backup or restore on a terminal: one line rewritten in place."""

from __future__ import annotations

from django.core.management.base import OutputWrapper


class TerminalProgress:
    """Draws `label rows/total` on one line while stdout is a terminal and verbosity is 1 or
    more; with -v2 and more, or not on a terminal with -v2, a line per finished table."""

    def __init__(self, stdout: OutputWrapper, verbosity: int) -> None:
        self.stdout = stdout
        self.live = verbosity >= 1 and stdout.isatty()
        self.lines = verbosity >= 2
        self.label = ""
        self.count = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label and self.label:
            self._finish()
        self.label, self.count = label, done
        if self.live:
            shown = f"{done}/{total}" if total else f"{done}"
            self.stdout.write(f"\r\033[K  {label}: {shown}", ending="")
            self.stdout.flush()

    def _finish(self) -> None:
        if self.live:
            self.stdout.write("\r\033[K", ending="")
        if self.lines:
            self.stdout.write(f"  {self.label}: {self.count}")

    def close(self) -> None:
        if self.label:
            self._finish()
        self.label = ""

    @property
    def talks(self) -> bool:
        return self.live or self.lines
