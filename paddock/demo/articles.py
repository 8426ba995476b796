"""The demo's newsroom: illustrations, makes and models, the home page in place of Wagtail's
"Welcome" page, the sections and the articles, written through the newsroom's services.

Writers write and the editor publishes, so the admin shows authored revisions and a publishing
history, a draft and a scheduled article, as it would for a real newsroom.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from wagtail.images import get_image_model

from paddock.newsroom.models import (
    ArticlePage,
    Contributor,
    HomePage,
    Make,
    SectionPage,
    VehicleModel,
)
from paddock.newsroom.services import (
    article_create,
    home_create,
    image_create,
    make_ensure,
    section_create,
    site_root_set,
    vehicle_model_ensure,
)

from . import content
from .images import Scene, render_jpeg

if TYPE_CHECKING:
    from .loader import DemoReport, Log


def published_at_for(spec: dict) -> datetime:
    """The fixed publication time of an article: `days_ago` days before the base date."""
    return content.BASE_DATE - timedelta(days=spec["days_ago"]) + timedelta(hours=spec["hour"])


def images(*, uploaded_by, report: DemoReport, log: Log) -> dict[str, object]:
    ImageModel = get_image_model()  # noqa: N806
    found = {}
    for index, spec in enumerate(content.IMAGES):
        image = ImageModel.objects.filter(title=spec["title"]).first()
        if image is None:
            image = image_create(
                title=spec["title"],
                data=render_jpeg(Scene(**spec), seed=index),
                filename=f"paddock-demo-{spec['key']}.jpg",
                uploaded_by=uploaded_by,
            )
            report.images += 1
            log(f"  image: {spec['title']}")
        found[spec["key"]] = image
    return found


def vehicles(report: DemoReport) -> tuple[dict[str, Make], dict[tuple[str, str], VehicleModel]]:
    makes, vehicle_models = {}, {}
    for make_name, model_names in content.MAKES.items():
        make, created = make_ensure(name=make_name)
        report.makes += created
        makes[make_name] = make
        for model_name in model_names:
            vehicle_model, created = vehicle_model_ensure(make=make, name=model_name)
            report.vehicle_models += created
            vehicle_models[(make_name, model_name)] = vehicle_model
    return makes, vehicle_models


def home_page(*, owner, report: DemoReport, log: Log) -> HomePage:
    """The home page becomes the default site's root, replacing Wagtail's "Welcome" page."""
    home = HomePage.objects.first()
    if home is None:
        home = home_create(
            title=content.HOME["title"],
            tagline=content.HOME["tagline"],
            owner=owner,
            replace_welcome=True,
        )
        log(f"  home page: {home.title}, in place of Wagtail's placeholder")
    site_root_set(home=home, site_name=content.SITE_NAME, hostname="127.0.0.1")
    report.home = home
    return home


def sections(home: HomePage, *, owner, report: DemoReport) -> dict[str, SectionPage]:
    existing = {page.slug: page for page in SectionPage.objects.child_of(home)}
    found = {}
    for spec in content.SECTIONS:
        section = existing.get(spec["slug"])
        if section is None:
            section = section_create(
                home=home,
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                owner=owner,
            )
            report.sections += 1
        found[spec["slug"]] = section
    return found


def article(
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
    image = images.get(spec["image"]) if spec.get("image") else None
    # Writers write, the editor publishes: the revision history reads like a newsroom's.
    created, _ = article_create(
        section=section,
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        body=_compact(spec["body"]),
        writer=authors[0].user,
        publisher=editor,
        publish=status != "draft",
        # So the admin's listings date the article as the newsroom did, not as the loader ran.
        published_at=published_at,
        go_live_at=go_live_at,
        lead_image_id=image.pk if image else None,
        lead_image_caption=spec.get("caption", ""),
        authors=authors,
        sources=spec["sources"],
        makes=[makes[name] for name in spec["makes"]],
        vehicle_models=[vehicle_models[key] for key in spec["models"]],
        tags=spec["tags"],
    )
    if status == "draft":
        report.drafts += 1
    elif status == "scheduled":
        report.scheduled += 1
    else:
        report.live += 1
    log(f"  {status:9} {section.title:10} {spec['title'][:70]}")
    return created


_SPACE_BEFORE_BLOCK = re.compile(r">\s+<(?=/?(?:p|h2|h3|ul|ol|li|blockquote)>)")


def _compact(html: str) -> str:
    """Join the hand-wrapped lines of `content`'s HTML into the one-line form editors save."""
    joined = " ".join(line.strip() for line in html.strip().splitlines())
    return _SPACE_BEFORE_BLOCK.sub("><", joined)
