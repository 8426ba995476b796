"""Writes the demo site described in `content` into the database.

`demo_load` is the only entry point; the `load_demo` management command wraps it. It builds the
page tree (Home → Section → Article) through Wagtail's own revision and publishing machinery,
so the admin shows authored revisions, a publishing history, a draft and a scheduled article,
exactly as it would for a real newsroom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.utils.file import hash_filelike

from ..models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    Contributor,
    HomePage,
    Make,
    SectionPage,
    VehicleModel,
)
from ..roles import CONTRIBUTORS, EDITORS, MODERATORS
from . import content
from .images import Scene, render_jpeg

Log = Callable[[str], None]


@dataclass
class DemoReport:
    """What `demo_load` created, for the command to report."""

    home: HomePage | None = None
    sections: int = 0
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


def demo_is_loaded() -> bool:
    """The demo is only ever loaded into a site that has no articles yet."""
    return ArticlePage.objects.exists()


def demo_load(*, log: Log | None = None) -> DemoReport:
    """Build the whole demo site in one transaction and return what was created."""
    log = log or (lambda _message: None)
    report = DemoReport()
    with transaction.atomic():
        groups = _groups()
        admin = _admin_user(report)
        editor = _user(content.EDITOR, groups=[groups[EDITORS]], report=report)
        _set_demo_password(editor)
        images = _images(uploaded_by=admin, report=report, log=log)
        home = _home_page(owner=admin, report=report, log=log)
        sections = _sections(home, owner=admin, report=report)
        writers = _contributors(content.CONTRIBUTORS, group=groups[CONTRIBUTORS], report=report)
        report.contributors = len(writers)
        moderators = _contributors(
            content.MODERATORS, group=groups[MODERATORS], report=report, password=True
        )
        report.moderators = len(moderators)
        makes, vehicle_models = _vehicles(report)
        for spec in content.ARTICLES:
            _article(
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
    return report


def published_at_for(spec: dict) -> datetime:
    """The fixed publication time of an article: `days_ago` days before the base date."""
    return content.BASE_DATE - timedelta(days=spec["days_ago"]) + timedelta(hours=spec["hour"])


# --- People --------------------------------------------------------------------------------


def _groups() -> dict[str, Group]:
    # `roles.roles_ensure` gives these groups their permissions after every migrate.
    return {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (CONTRIBUTORS, EDITORS, MODERATORS)
    }


def _admin_user(report: DemoReport) -> AbstractBaseUser:
    User = get_user_model()  # noqa: N806
    admin = User.objects.filter(username=content.ADMIN["username"]).first()
    if admin is None:
        admin = User.objects.create_superuser(
            username=content.ADMIN["username"],
            email=content.ADMIN["email"],
            password=content.DEMO_PASSWORD,
        )
        report.users_created.append(admin.username)
        report.admin_password_set = True
    # An existing admin account keeps its password: the loader never resets credentials.
    return admin


def _user(spec: dict, *, groups: list[Group], report: DemoReport) -> AbstractBaseUser:
    User = get_user_model()  # noqa: N806
    first_name = spec.get("first_name") or spec["display_name"].split(" ", 1)[0]
    last_name = spec.get("last_name") or spec["display_name"].split(" ", 1)[-1]
    user, created = User.objects.get_or_create(
        username=spec["username"],
        defaults={
            "email": spec.get("email") or f"{spec['username']}@paddock.example",
            "first_name": first_name,
            "last_name": last_name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        report.users_created.append(user.username)
    user.groups.add(*groups)
    return user


def _set_demo_password(user: AbstractBaseUser) -> None:
    """Give a role account the demo password, so each role can be tried out, once only."""
    if not user.has_usable_password():
        user.set_password(content.DEMO_PASSWORD)
        user.save(update_fields=["password"])


def _contributors(
    specs: list[dict], *, group: Group, report: DemoReport, password: bool = False
) -> dict[str, Contributor]:
    profiles = {}
    for spec in specs:
        user = _user(spec, groups=[group], report=report)
        if password:
            _set_demo_password(user)
        profile, _ = Contributor.objects.get_or_create(
            user=user,
            defaults={
                "display_name": spec["display_name"],
                "country": spec["country"],
                "bio": spec["bio"],
            },
        )
        profiles[spec["username"]] = profile
    return profiles


# --- Images and vehicles -------------------------------------------------------------------


def _images(*, uploaded_by, report: DemoReport, log: Log) -> dict[str, object]:
    ImageModel = get_image_model()  # noqa: N806
    images = {}
    for index, spec in enumerate(content.IMAGES):
        image = ImageModel.objects.filter(title=spec["title"]).first()
        if image is None:
            data = render_jpeg(Scene(**spec), seed=index)
            image = ImageModel(
                title=spec["title"],
                file=ImageFile(BytesIO(data), name=f"paddock-demo-{spec['key']}.jpg"),
                file_size=len(data),
                file_hash=hash_filelike(BytesIO(data)),
                uploaded_by_user=uploaded_by,
            )
            image.save()
            report.images += 1
            log(f"  image: {spec['title']}")
        images[spec["key"]] = image
    return images


def _vehicles(report: DemoReport) -> tuple[dict[str, Make], dict[tuple[str, str], VehicleModel]]:
    makes, vehicle_models = {}, {}
    for make_name, model_names in content.MAKES.items():
        make, created = Make.objects.get_or_create(name=make_name)
        report.makes += created
        makes[make_name] = make
        for model_name in model_names:
            vehicle_model, created = VehicleModel.objects.get_or_create(make=make, name=model_name)
            report.vehicle_models += created
            vehicle_models[(make_name, model_name)] = vehicle_model
    return makes, vehicle_models


# --- Pages ---------------------------------------------------------------------------------


def _home_page(*, owner, report: DemoReport, log: Log) -> HomePage:
    """The home page becomes the default site's root, replacing Wagtail's "Welcome" page."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    home = HomePage.objects.first()
    placeholders: list[Page] = []
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's installer leaves a plain, childless Page (slug "home") under the root; any
        # such page that no other site uses is replaced.
        other_roots = Site.objects.exclude(pk=site.pk if site else None).values("root_page_id")
        placeholders = list(
            root.get_children()
            .filter(content_type=ContentType.objects.get_for_model(Page), numchild=0)
            .exclude(pk__in=other_roots)
        )
        # Free the "home" slug for the new page; the placeholders are deleted below.
        for page in placeholders:
            Page.objects.filter(pk=page.pk).update(slug=f"{page.slug}-replaced-{page.pk}")
        home = HomePage(
            title=content.HOME["title"],
            slug="home",
            tagline=content.HOME["tagline"],
            owner=owner,
            live=False,
        )
        root.add_child(instance=home)
        home.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    report.home = home

    if site is None:
        site = Site(hostname="127.0.0.1", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = content.SITE_NAME
    site.save()

    # Deleting a site's root page would delete the site, so this waits until it points home.
    for page in placeholders:
        log(f"  replaced Wagtail's placeholder page {page.title!r}")
        page.delete()
    return home


def _sections(home: HomePage, *, owner, report: DemoReport) -> dict[str, SectionPage]:
    existing = {page.slug: page for page in SectionPage.objects.child_of(home)}
    sections = {}
    for spec in content.SECTIONS:
        section = existing.get(spec["slug"])
        if section is None:
            section = SectionPage(
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                show_in_menus=True,
                owner=owner,
                live=False,
            )
            home.add_child(instance=section)
            section.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
            report.sections += 1
        sections[spec["slug"]] = section
    return sections


def _article(
    spec: dict,
    *,
    section: SectionPage,
    writers: dict[str, Contributor],
    editor,
    images: dict,
    makes: dict[str, Make],
    vehicle_models: dict[tuple[str, str], VehicleModel],
    report: DemoReport,
    log: Log,
) -> ArticlePage:
    status = spec.get("status", "live")
    authors = [writers[username] for username in spec["authors"]]
    if status == "scheduled":
        go_live_at = timezone.now().replace(microsecond=0) + timedelta(days=spec["days_ahead"])
        published_at = go_live_at
    else:
        go_live_at = None
        published_at = published_at_for(spec) if status == "live" else None

    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        body=_compact(spec["body"]),
        lead_image=images.get(spec["image"]) if spec.get("image") else None,
        lead_image_caption=spec.get("caption", ""),
        published_at=published_at,
        # So the admin's listings date the article as the newsroom did, not as the loader ran.
        first_published_at=published_at if status == "live" else None,
        go_live_at=go_live_at,
        owner=authors[0].user,
        live=False,
        authors=[
            ArticleAuthor(contributor=author, sort_order=i) for i, author in enumerate(authors)
        ],
        sources=[
            ArticleSource(name=name, url=url, subscription_required=sub, sort_order=i)
            for i, (name, url, sub) in enumerate(spec["sources"])
        ],
        makes=[makes[name] for name in spec["makes"]],
        vehicle_models=[vehicle_models[key] for key in spec["models"]],
    )
    article.tags.add(*spec["tags"])
    section.add_child(instance=article)

    # Writers write, the editor publishes: the revision history reads like a newsroom's.
    revision = article.save_revision(user=authors[0].user)
    if status == "draft":
        report.drafts += 1
    else:
        revision.publish(user=editor, skip_permission_checks=True)
        if status == "scheduled":
            report.scheduled += 1
        else:
            report.live += 1
    log(f"  {status:9} {section.title:10} {spec['title'][:70]}")
    return article


_SPACE_BEFORE_BLOCK = re.compile(r">\s+<(?=/?(?:p|h2|h3|ul|ol|li|blockquote)>)")


def _compact(html: str) -> str:
    """Join the hand-wrapped lines of `content`'s HTML into the one-line form editors save."""
    joined = " ".join(line.strip() for line in html.strip().splitlines())
    return _SPACE_BEFORE_BLOCK.sub("><", joined)
