"""What a WordPress import remembers while it reads the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from paddock.newsroom.models import Contributor, SectionPage

from ..context import ImportContext
from ..downloads import Downloader
from .parsers import WxrTerm


@dataclass
class WordPressContext(ImportContext):
    """A WordPress run: its downloader, and the authors, categories and sections seen so far."""

    downloader: Downloader | None = None
    authors_listed: bool = False
    contributors: dict[str, Contributor | None] = field(default_factory=dict)  # by login
    author_users: dict[str, int] = field(default_factory=dict)  # WordPress user id → user id
    unknown_authors: set[str] = field(default_factory=set)
    categories: dict[str, WxrTerm] = field(default_factory=dict)
    sections: dict[str, SectionPage | None] = field(default_factory=dict)
