"""Writes the demo site described in `content` into the database, through every app's services.

`demo_load` is the only entry point; the `load_demo` management command wraps it. The people
(`people`), then the newsroom's pages and articles (`articles`) with the standard pages and
footer menu (`pages`), then the readers and their discussion (`threads`), all in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS
from paddock.newsroom.models import ArticlePage, HomePage

from . import articles, content, pages, people, threads
from .articles import published_at_for

__all__ = ["DemoReport", "demo_is_loaded", "demo_load", "published_at_for"]

Log = Callable[[str], None]


@dataclass
class DemoReport:
    """What `demo_load` created, for the command to report."""

    home: HomePage | None = None
    sections: int = 0
    pages: int = 0
    contributors: int = 0
    moderators: int = 0
    users_created: list[str] = field(default_factory=list)
    admin_password_set: bool = False
    images: int = 0
    makes: int = 0
    vehicle_models: int = 0
    live: int = 0
    drafts: int = 0
    scheduled: int = 0
    readers: int = 0
    # A reader account to sign in with, when the loader created it and set its password.
    reader_login: str = ""
    # A contributor's and a moderator's account to sign in with, likewise.
    contributor_login: str = ""
    moderator_login: str = ""
    comments: int = 0
    votes: int = 0
    reports: int = 0
    # The article with the longest discussion, and how many visible comments it has.
    busiest_slug: str = ""
    busiest_count: int = 0


def demo_is_loaded() -> bool:
    """The demo is only ever loaded into a site that has no articles yet."""
    return ArticlePage.objects.exists()


def demo_load(*, log: Log | None = None) -> DemoReport:
    """Build the whole demo site in one transaction and return what was created."""
    log = log or (lambda _message: None)
    report = DemoReport()
    # Hashed once for every demo account: each hash costs a good part of a second.
    password = make_password(content.DEMO_PASSWORD)
    with transaction.atomic():
        groups = people.groups()
        admin = people.admin_user(report, password=password)
        editor = people.account(
            content.EDITOR, groups=[groups[EDITORS]], report=report, password=password
        )
        images = articles.images(uploaded_by=admin, report=report, log=log)
        home = articles.home_page(owner=admin, report=report, log=log)
        sections = articles.sections(home, owner=admin, report=report)
        pages.pages(home, owner=admin, report=report)

        # Contributors sign in too, so the contributor → editor flow can be tried.
        writers = people.contributors(
            content.CONTRIBUTORS, group=groups[CONTRIBUTORS], report=report, password=password
        )
        report.contributors = len(writers)
        moderators = people.contributors(
            content.MODERATORS, group=groups[MODERATORS], report=report, password=password
        )
        report.moderators = len(moderators)
        created = set(report.users_created)
        report.contributor_login = next((name for name in writers if name in created), "")
        report.moderator_login = next((name for name in moderators if name in created), "")
        makes, vehicle_models = articles.vehicles(report)
        written = {}
        for spec in content.ARTICLES:
            written[spec["slug"]] = articles.article(
                spec,
                section=sections[spec["section"]],
                writers=writers,
                editor=editor,
                images=images,
                makes=makes,
                vehicle_models=vehicle_models,
                report=report,
                log=log,
            )
        readers = people.readers(report, password=password)
        threads.discuss(written, readers, report=report, log=log)
    return report
