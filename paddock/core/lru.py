"""A process's own least-recently-used store of values, bounded by their number and by their
total size: the pages a process served last (pagecache.py), the shells of pages it made
(shells.py). gunicorn may run several threads a process: a lock guards every change."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class SizedLRU(Generic[V]):
    def __init__(self, size: Callable[[V], int]) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._values: OrderedDict[str, V] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: str) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: V, *, max_entries: int, max_bytes: int) -> None:
        """Keep `value` (none when it alone is over the bounds), the least recently used out
        until the rest fits."""
        size = self._size(value)
        if max_entries <= 0 or size > max_bytes:
            return
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self.bytes -= self._size(old)
            self._values[key] = value
            self.bytes += size
            while len(self._values) > max_entries or self.bytes > max_bytes:
                _, dropped = self._values.popitem(last=False)
                self.bytes -= self._size(dropped)

    def drop(self, key: str, value: V) -> None:
        """Forget `value`, unless a fresher one was put under its key since."""
        with self._lock:
            if self._values.get(key) is value:
                del self._values[key]
                self.bytes -= self._size(value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.bytes = 0
