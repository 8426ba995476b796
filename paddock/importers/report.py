"""What an import did, for the person who ran it: counts per kind, every skip with its reason,
warnings, and a progress line while it runs.

Skips and warnings are spooled to a temporary file rather than kept in a list, so that a file
with a million spam comments does not make the report the thing that runs out of memory.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterator

KINDS = (
    "authors",
    "sections",
    "tags",
    "attachments",
    "posts",
    "pages",
    "threads",
    "comments",
    "redirects",
)
OUTCOMES = ("imported", "updated", "unchanged", "skipped")


class _Spool:
    def __init__(self) -> None:
        # Kept open for the report's lifetime; closed (and removed) when it is collected.
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=1 << 20, mode="w+", encoding="utf-8"
        )
        self.count = 0

    def add(self, line: str) -> None:
        self.file.write(" ".join(line.split()) + "\n")
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        self.file.seek(0)
        for line in self.file:
            yield line.rstrip("\n")
        self.file.seek(0, 2)


class ImportReport:
    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        self.ignored: Counter = Counter()
        self._skips = _Spool()
        self._warnings = _Spool()

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def skip(self, kind: str, what: str, reason: str, n: int = 1) -> None:
        """`n` of `kind` were not imported (a thread's comments share one line)."""
        self.counts[kind]["skipped"] += n
        self._skips.add(f"{what}: {reason}")

    def warn(self, what: str, message: str) -> None:
        self._warnings.add(f"{what}: {message}")

    def ignore(self, what: str) -> None:
        """Something the export holds that Paddock has no use for (menus, revisions...)."""
        self.ignored[what] += 1

    @property
    def skipped(self) -> int:
        return sum(counter["skipped"] for counter in self.counts.values())

    @property
    def skips(self) -> Iterator[str]:
        return iter(self._skips)

    @property
    def warnings(self) -> Iterator[str]:
        return iter(self._warnings)

    def summary(self) -> dict:
        return {
            "counts": {kind: dict(counter) for kind, counter in self.counts.items() if counter},
            "ignored": dict(self.ignored),
            "skipped": self.skipped,
            "warnings": self._warnings.count,
        }

    def lines(self, *, verbosity: int = 1) -> Iterator[str]:
        shown = [kind for kind in KINDS if self.counts[kind]]
        yield f"{'':12}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES)
        for kind in shown:
            yield f"{kind:12}" + "".join(f"{self.counts[kind][o]:>11,}" for o in OUTCOMES)
        if self.ignored:
            ignored = ", ".join(f"{n:,} {what}" for what, n in sorted(self.ignored.items()))
            yield f"Ignored (nothing Paddock has a place for): {ignored}."
        if self._skips.count:
            yield f"Skipped ({self._skips.count:,}):"
            for line in self._skips:
                yield f"  {line}"
        if self._warnings.count:
            if verbosity >= 1:
                yield f"Warnings ({self._warnings.count:,}):"
                for line in self._warnings:
                    yield f"  {line}"
            else:
                yield f"Warnings: {self._warnings.count:,} (run with -v1 to list them)."


class Progress:
    """One line on stderr, rewritten in place: records, megabytes read of the total, rate."""

    def __init__(self, stream, *, total_bytes: int, enabled: bool, every: float = 0.5) -> None:
        self.stream = stream
        self.total = max(total_bytes, 1)
        self.enabled = enabled
        self.every = every
        self.label = ""
        self.started = self.last = time.monotonic()
        self.records = 0
        self.width = 0

    def start(self, label: str) -> None:
        self.label = label
        self.records = 0
        self.started = self.last = time.monotonic()

    def tick(self, bytes_read: int) -> None:
        self.records += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._draw(bytes_read, now)

    def done(self, bytes_read: int) -> None:
        if self.enabled:
            self._draw(bytes_read, time.monotonic())
            self.stream.write("", ending="\n")
            self.stream.flush()

    def _draw(self, bytes_read: int, now: float) -> None:
        rate = self.records / max(now - self.started, 1e-6)
        line = (
            f"{self.label}: {self.records:,} records · {bytes_read / 1e6:,.1f} of "
            f"{self.total / 1e6:,.1f} MB ({min(100, 100 * bytes_read // self.total)}%) · "
            f"{rate:,.0f}/s"
        )
        self.stream.write("\r" + line.ljust(self.width), ending="")
        self.stream.flush()
        self.width = len(line)
