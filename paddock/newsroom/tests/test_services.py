"""The newsroom's writes made by code (importers, the demo): pages created, revised and published
through Wagtail, with the history an editor's work leaves and the cached pages made stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Site

from paddock.core import pagecache
from paddock.newsroom import services
from paddock.newsroom.models import ArticlePage, HomePage, SectionPage

from .factories import ContributorFactory, MakeFactory, UserFactory, make_section, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_section("News")


def _article(section, **kwargs):
    fields = {"title": "Recall widens", "slug": "recall-widens", "body": "<p>Brakes.</p>"}
    return services.article_create(section=section, **(fields | kwargs))


def test_a_published_article_is_live_at_once_with_one_revision_and_its_history(
    section, django_capture_on_commit_callbacks
):
    writer, editor = UserFactory(), UserFactory()
    author = ContributorFactory(user=writer)
    make = MakeFactory(name="Kaito")
    when = timezone.now() - dt.timedelta(days=30)
    before = pagecache.versions(["site"])["site"]

    with django_capture_on_commit_callbacks(execute=True):
        article, revision = _article(
            section,
            writer=writer,
            publisher=editor,
            publish=True,
            published_at=when,
            authors=[author],
            sources=[("Wire", "https://wire.example/1", True)],
            makes=[make],
            tags=["recall", "brakes"],
        )

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and not article.has_unpublished_changes
    assert article.get_parent().pk == section.pk
    assert (article.published_at, article.first_published_at) == (when, when)
    assert article.live_revision_id == revision.pk == article.latest_revision_id
    assert revision.user == writer and article.owner == writer
    assert [a.contributor for a in article.authors.all()] == [author]
    assert [(s.name, s.subscription_required) for s in article.sources.all()] == [("Wire", True)]
    assert list(article.makes.all()) == [make]
    assert sorted(article.tags.names()) == ["brakes", "recall"]
    published = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    assert published.user == editor and published.revision_id == revision.pk
    # page_published was sent: the pages listing articles are stale.
    assert pagecache.versions(["site"])["site"] > before


def test_a_published_article_without_a_date_is_dated_when_it_went_live(section):
    article, _ = _article(section, publish=True)
    article.refresh_from_db()
    assert article.published_at == article.first_published_at is not None


def test_an_article_with_a_future_date_is_scheduled_and_one_without_publish_is_a_draft(section):
    later = timezone.now() + dt.timedelta(days=3)
    scheduled, revision = _article(section, publish=True, go_live_at=later, published_at=later)
    draft, _ = _article(section, slug="draft", publish=False)
    scheduled.refresh_from_db()
    revision.refresh_from_db()
    assert not scheduled.live and revision.approved_go_live_at == later
    assert not ArticlePage.objects.get(pk=draft.pk).live
    assert ArticlePage.objects.live().count() == 0


def test_an_update_moves_revises_and_keeps_the_byline_row_of_an_author_who_stays(section):
    ann, bob = ContributorFactory(), ContributorFactory()
    other = make_section("Reviews")
    article, _ = _article(section, publish=True, authors=[ann, bob])
    kept = article.authors.get(contributor=ann).pk

    services.article_update(
        article=article,
        section=other,
        title="Recall widens again",
        slug="recall-widens",
        standfirst="More cars",
        body="<p>More brakes.</p>",
        published_at=article.published_at,
        go_live_at=None,
        comments_closed=True,
        lead_image_id=None,
        tags=["recall"],
        authors=[ann],
        publish=True,
    )

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.get_parent().pk == other.pk
    assert (article.title, article.comments_closed, article.live) == (
        "Recall widens again",
        True,
        True,
    )
    assert list(article.authors.values_list("pk", flat=True)) == [kept]
    assert list(article.tags.names()) == ["recall"]


def test_an_update_without_publish_takes_the_article_offline(section):
    article, _ = _article(section, publish=True)
    services.article_update(
        article=article,
        section=section,
        title=article.title,
        slug=article.slug,
        standfirst="",
        body=article.body,
        published_at=article.published_at,
        go_live_at=None,
        comments_closed=False,
        lead_image_id=None,
        tags=[],
        authors=[],
        publish=False,
    )
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_closing_the_comments_makes_the_article_and_its_routing_stale(
    section, django_capture_on_commit_callbacks
):
    article, _ = _article(section, publish=True)
    tags = [f"article:{article.pk}", "site"]
    before = pagecache.versions(tags)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.article_comments_closed_set(article_id=article.pk, closed=True)
    after = pagecache.versions(tags)
    assert ArticlePage.objects.get(pk=article.pk).comments_closed
    assert all(after[tag] > before[tag] for tag in tags)
    # Closing it again changes nothing, and says so.
    assert not services.article_comments_closed_set(article_id=article.pk, closed=True)


def test_a_new_home_page_replaces_wagtails_welcome_page():
    welcome = Site.objects.get(is_default_site=True).root_page
    assert welcome.slug == "home" and type(welcome.specific) is Page

    home = services.home_create(title="Paddock", tagline="Car news", replace_welcome=True)

    home.refresh_from_db()
    assert (home.slug, home.live) == ("home", True)
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert list(Page.get_first_root_node().get_children().specific()) == [home]


def test_a_section_is_published_in_the_menus_under_the_home_page():
    home = site_tree()
    section = services.section_create(home=home, title="Electric", slug="electric")
    section = SectionPage.objects.get(pk=section.pk)
    assert section.live and section.show_in_menus
    assert section.get_parent().pk == home.pk
    assert isinstance(home, HomePage)


def test_makes_and_models_are_made_once():
    make, created = services.make_ensure(name="Kaito")
    again, created_again = services.make_ensure(name="Kaito")
    model, _ = services.vehicle_model_ensure(make=make, name="Nami")
    assert (created, created_again, again) == (True, False, make)
    assert services.vehicle_model_ensure(make=make, name="Nami") == (model, False)


def test_an_image_is_stored_with_its_size_and_hash():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    image = services.image_create(title="Red", data=buffer.getvalue(), filename="red.png")
    assert (image.width, image.file_size) == (8, len(buffer.getvalue()))
    assert image.file_hash
    services.image_retitle(image=image, title="Crimson")
    image.refresh_from_db()
    assert image.title == "Crimson"
