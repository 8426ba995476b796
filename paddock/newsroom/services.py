"""Every write of the newsroom's tables made by code rather than by an editor in Wagtail's admin:
the home page and sections, articles with their bylines, sources, vehicles and tags,
contributors, makes and models, and the images articles show. Importers and the demo call
these; editors' own work goes through Wagtail's admin.

Pages are created, revised and published through Wagtail's machinery (add_child,
save_revision, publish), so the admin shows the history an editor's work leaves and Wagtail's
signals fire. The cached pages go stale through those signals, as they do for edits made in the
admin (signals.py: page_published and unpublished; an image's save, a table Wagtail writes).
Every other write here says itself which pages it changed: contributors, makes and models (whose
edits in the admin's snippet views say so through wagtail_hooks.py), and an update of a live
article without a revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Revision, Site
from wagtail.signals import page_published
from wagtail.utils.file import hash_filelike

from paddock.core import pagecache

from .models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    Contributor,
    HomePage,
    Make,
    SectionPage,
    VehicleModel,
)

# --- The page tree ------------------------------------------------------------------------


def home_create(
    *, title: str, slug: str = "home", tagline: str = "", owner=None, replace_welcome: bool = False
) -> HomePage:
    """A published home page under the tree's root, made the default site's root.

    With `replace_welcome`, the childless plain pages Wagtail's installer leaves under the root
    (its "Welcome" page) that no other site uses are deleted, once the site points home.
    """
    root = Page.get_first_root_node()
    placeholders: list[Page] = []
    if replace_welcome:
        site = default_site()
        others = Site.objects.exclude(pk=site.pk if site else None).values("root_page_id")
        placeholders = list(
            root.get_children()
            .filter(content_type=ContentType.objects.get_for_model(Page), numchild=0)
            .exclude(pk__in=others)
        )
        # Free the slug for the new page; the placeholders are deleted below.
        for page in placeholders:
            Page.objects.filter(pk=page.pk).update(slug=f"{page.slug}-replaced-{page.pk}")
    home = HomePage(title=title, slug=slug, tagline=tagline, owner=owner, live=False)
    root.add_child(instance=home)
    home.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    site_root_set(home=home)
    # Deleting a site's root page would delete the site, so this waits until it points home.
    for page in placeholders:
        page.delete()
    return home


def default_site() -> Site | None:
    """The site marked default, else the first one."""
    return Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def site_root_set(
    *, home: HomePage, site_name: str | None = None, hostname: str = "localhost"
) -> Site:
    """Make `home` the default site's root (a new default site on `hostname` when there is
    none), with `site_name` when given."""
    site = default_site()
    if site is None:
        site = Site(hostname=hostname, port=80, is_default_site=True)
    site.root_page = home
    if site_name is not None:
        site.site_name = site_name
    site.save()
    return site


def section_create(
    *, home: HomePage, title: str, slug: str, introduction: str = "", owner=None
) -> SectionPage:
    """A published section under the home page, shown in the menus."""
    section = SectionPage(
        title=title,
        slug=slug,
        introduction=introduction,
        show_in_menus=True,
        owner=owner,
        live=False,
    )
    home.add_child(instance=section)
    section.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    return section


# --- Articles ------------------------------------------------------------------------------


def article_create(
    *,
    section: SectionPage,
    title: str,
    slug: str,
    standfirst: str = "",
    body: str = "",
    writer=None,
    publisher=None,
    publish: bool = False,
    published_at: dt.datetime | None = None,
    last_published_at: dt.datetime | None = None,
    go_live_at: dt.datetime | None = None,
    comments_closed: bool = False,
    lead_image_id: int | None = None,
    lead_image_caption: str = "",
    authors: Sequence[Contributor] = (),
    sources: Sequence[tuple[str, str, bool]] = (),
    makes: Sequence[Make] = (),
    vehicle_models: Sequence[VehicleModel] = (),
    tags: Sequence[str] = (),
) -> tuple[ArticlePage, Revision]:
    """Write an article into its section as a revision saved by `writer` (also its owner).

    With `publish` and no `go_live_at` it is live at once, published by `publisher` and dated
    `published_at` (first published then, last at `last_published_at` or then too); with a
    `go_live_at` it is scheduled by `publisher`; without `publish` it is a draft. `sources` are
    (name, url, subscription required) triples.

    An article live from the start is created live and given its one revision as the live
    revision, with the history entry and the page_published signal publishing gives. That is
    what revision.publish() ends in for a new page without a workflow, alias or schedule,
    without reloading the revision as a page and saving the page a second time, which made up
    half of an import's time.
    """
    live_now = publish and go_live_at is None
    # Live from now unless it went live before (an import, the demo's archive).
    went_live = (published_at or timezone.now()) if live_now else None
    article = ArticlePage(
        title=title,
        slug=slug,
        standfirst=standfirst,
        body=body,
        published_at=published_at,
        first_published_at=went_live,
        last_published_at=(last_published_at or went_live) if live_now else None,
        go_live_at=go_live_at,
        comments_closed=comments_closed,
        lead_image_id=lead_image_id,
        lead_image_caption=lead_image_caption,
        owner=writer,
        locale_id=section.locale_id,
        live=live_now,
        has_unpublished_changes=not live_now,
        authors=[ArticleAuthor(contributor=c, sort_order=i) for i, c in enumerate(authors)],
        sources=[
            ArticleSource(name=name, url=url, subscription_required=sub, sort_order=i)
            for i, (name, url, sub) in enumerate(sources)
        ],
        makes=list(makes),
        vehicle_models=list(vehicle_models),
    )
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    # A new page's fields were just checked by add_child's save: no second full_clean.
    if live_now:
        revision = article.save_revision(user=writer, changed=False, clean=False)
        Page.objects.filter(pk=article.pk).update(live_revision=revision)
        article.live_revision = revision
        log(instance=article, action="wagtail.publish", user=publisher, revision=revision)
        page_published.send(sender=ArticlePage, instance=article, revision=revision)
        return article, revision
    revision = article.save_revision(user=writer, clean=False)
    if publish:
        revision.publish(user=publisher, skip_permission_checks=True)
    return article, revision


def article_update(
    *,
    article: ArticlePage,
    section: SectionPage,
    title: str,
    slug: str,
    standfirst: str,
    body: str,
    published_at: dt.datetime | None,
    go_live_at: dt.datetime | None,
    comments_closed: bool,
    lead_image_id: int | None,
    tags: Sequence[str],
    authors: Sequence[Contributor],
    publish: bool,
    last_published_at: dt.datetime | None = None,
    writer=None,
) -> Revision:
    """Revise an article (moved to `section` when elsewhere), then publish it (scheduled with a
    `go_live_at`; last published at `last_published_at` when given) or, without `publish`,
    take it offline. A byline author who stays keeps their place in the byline's rows."""
    if article.get_parent().pk != section.pk:
        article.move(section, pos="last-child")
        article.refresh_from_db()
    article.title = title
    article.slug = slug
    article.standfirst = standfirst
    article.body = body
    article.published_at = published_at
    article.go_live_at = go_live_at
    article.comments_closed = comments_closed
    article.lead_image_id = lead_image_id
    article.tags.set(tags)
    current = list(article.authors.all())
    if [a.contributor_id for a in current] != [c.pk for c in authors]:
        kept = {a.contributor_id: a for a in current}
        article.authors = [kept.get(c.pk) or ArticleAuthor(contributor=c) for c in authors]
    revision = article.save_revision(user=writer)
    if publish:
        revision.publish(skip_permission_checks=True)
        if go_live_at is None and last_published_at is not None:
            Page.objects.filter(pk=article.pk).update(last_published_at=last_published_at)
    elif article.live:
        article.unpublish()
    return revision


def article_date_first_publish(*, article: ArticlePage) -> None:
    """An article just went live with no byline date: it is dated the moment it went live.
    (Called from the page_published signal, whose own invalidation covers this change.)"""
    moment = article.first_published_at or article.last_published_at
    ArticlePage.objects.filter(pk=article.pk).update(published_at=moment)
    article.published_at = moment


def article_comments_closed_set(*, article_id: int, closed: bool) -> bool:
    """Close or reopen comments on an article; True when that changed anything.

    An update, not a revision: the switch is about the discussion, not the article's text, so
    the live page changes without being published again, and no signal sees it. Once
    committed, the article's page is stale, and so is "site": the article kept for routing
    (memos.article_at) holds the switch.
    """
    with transaction.atomic():
        changed = (
            ArticlePage.objects.filter(pk=article_id)
            .exclude(comments_closed=closed)
            .update(comments_closed=closed)
        )
        if changed:
            pagecache.invalidate(f"article:{article_id}", "site")
    return bool(changed)


# --- Snippets, tags and images -------------------------------------------------------------


def contributor_create(
    *, display_name: str, user=None, country: str = "", bio: str = ""
) -> Contributor:
    """A person on the masthead, with the account they sign in with when they have one."""
    contributor = Contributor.objects.create(
        user=user, display_name=display_name, country=country, bio=bio
    )
    pagecache.invalidate("site")
    return contributor


def contributor_rename(*, contributor: Contributor, display_name: str) -> Contributor:
    contributor.display_name = display_name
    contributor.save(update_fields=["display_name"])
    pagecache.invalidate("site")
    return contributor


def make_ensure(*, name: str) -> tuple[Make, bool]:
    """The make of this name, created when new; (make, whether it was created)."""
    make, created = Make.objects.get_or_create(name=name)
    if created:
        pagecache.invalidate("site")
    return make, created


def vehicle_model_ensure(*, make: Make, name: str) -> tuple[VehicleModel, bool]:
    """The make's model line of this name, created when new; (model, whether created)."""
    model, created = VehicleModel.objects.get_or_create(make=make, name=name)
    if created:
        pagecache.invalidate("site")
    return model, created


def tag_create(*, name: str) -> Tag:
    return Tag.objects.create(name=name)


def image_create(*, title: str, data: bytes, filename: str, uploaded_by=None):
    """An image in Wagtail's library from its file's bytes."""
    image = get_image_model()(
        title=title,
        file=ImageFile(BytesIO(data), name=filename),
        file_size=len(data),
        file_hash=hash_filelike(BytesIO(data)),
        uploaded_by_user=uploaded_by,
    )
    image.save()
    return image


def image_retitle(*, image, title: str):
    image.title = title
    image.save(update_fields=["title"])
    return image
