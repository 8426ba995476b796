"""What both streaming readers share: the export file, opened as many times as there are passes
(`.gz` read as gzip) with a count of the bytes read, and XML parsed with defusedxml, so that a
DTD or entity declaration is refused with a clear error instead of being expanded.

A file that is not well-formed, not an export, or of an unknown version raises `ExportError`,
whose message says what is wrong and where.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse


class ExportError(Exception):
    """The file cannot be imported at all: unreadable, malformed, or not a known export."""


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.bytes_read += n or 0
        return n

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data


@dataclass
class ExportFile:
    """An export on disk, opened as many times as there are passes; `.gz` is read as gzip."""

    path: str

    @property
    def size(self) -> int:
        return os.path.getsize(self.path)

    def open(self) -> tuple[BinaryIO, CountingReader]:
        """(stream to parse, counter of bytes read from disk)."""
        try:
            raw = open(self.path, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise ExportError(f"Cannot read {self.path}: {exc.strerror or exc}.") from exc
        counter = CountingReader(raw)
        if self.path.endswith(".gz"):
            return gzip.GzipFile(fileobj=counter, mode="rb"), counter  # type: ignore[return-value]
        return counter, counter  # type: ignore[return-value]


def xml_events(stream: BinaryIO, what: str) -> Iterator[tuple[str, object]]:
    """iterparse's events, with every way a file can be broken turned into an ExportError."""
    try:
        yield from iterparse(
            stream,
            events=("start-ns", "start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise ExportError(
            f"The file is not well-formed XML: {reason} at line {line}, column {column + 1}. "
            f"Fix the {what} (or export it again) and run the import again; what was imported "
            "before that point is recognised and not duplicated."
        ) from exc
    except DefusedXmlException as exc:
        raise ExportError(
            f"The file declares a DTD or XML entities ({exc.__class__.__name__}), which no "
            f"{what} does; it was refused rather than expanded."
        ) from exc
    except (OSError, EOFError) as exc:  # gzip damage, a disk error
        raise ExportError(f"Cannot read the file: {exc}.") from exc


def text_of(elem: Element | None) -> str:
    if elem is None or elem.text is None:
        return ""
    return elem.text


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
