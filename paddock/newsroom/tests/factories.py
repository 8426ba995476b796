"""Factories for newsroom tests: a site tree, contributors and published articles."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from paddock.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    Contributor,
    HomePage,
    Make,
    SectionPage,
    VehicleModel,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    display_name = factory.Sequence(lambda n: f"Writer {n}")
    country = "DE"
    bio = "Writes about cars."


class MakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Make
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Make {n}")


class VehicleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleModel

    make = factory.SubFactory(MakeFactory)
    name = factory.Sequence(lambda n: f"Model {n}")


def site_tree() -> HomePage:
    """A HomePage as the default site's root, replacing Wagtail's welcome page."""
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-page"))
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk and not isinstance(old_root.specific, HomePage):
        old_root.delete()
    return home


def make_section(title: str = "News", **kwargs) -> SectionPage:
    home = site_tree()
    section = SectionPage(title=title, show_in_menus=True, **kwargs)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


_counter = iter(range(1, 10**9))


def make_article(
    section: SectionPage,
    *,
    title: str | None = None,
    authors: list[Contributor] | None = None,
    sources: list[tuple[str, str, bool]] = (),
    tags: list[str] = (),
    makes: list[Make] = (),
    vehicle_models: list[VehicleModel] = (),
    published_at: dt.datetime | None = None,
    body: str = "<p>Body text about cars.</p>",
    publish: bool = True,
    **kwargs,
) -> ArticlePage:
    n = next(_counter)
    article = ArticlePage(
        title=title or f"Article number {n}",
        standfirst=f"Standfirst {n}",
        body=body,
        published_at=published_at or timezone.now() - dt.timedelta(hours=n),
        live=False,
        **kwargs,
    )
    # In byline order, as the editor's form numbers them (saving does not).
    for i, contributor in enumerate(authors or [ContributorFactory()]):
        article.authors.add(ArticleAuthor(contributor=contributor, sort_order=i))
    for i, (name, url, sub) in enumerate(sources):
        article.sources.add(
            ArticleSource(name=name, url=url, subscription_required=sub, sort_order=i)
        )
    section.add_child(instance=article)
    if tags:
        article.tags.add(*tags)
    if makes:
        article.makes.set(makes)
    if vehicle_models:
        article.vehicle_models.set(vehicle_models)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article
