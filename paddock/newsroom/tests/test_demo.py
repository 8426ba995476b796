"""The demo loader: what `load_demo` builds, that it builds it once, and the shape of its data."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from paddock.newsroom.demo import content
from paddock.newsroom.demo.loader import published_at_for
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


@pytest.fixture
def demo_settings(settings, tmp_path):
    """Keep the drawn images out of the data folder and hash passwords quickly."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_builds_a_complete_site_in_an_empty_database(demo_settings):
    output = _load_demo()

    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert site.site_name == content.SITE_NAME
    # Wagtail's welcome page is gone: the home page is the only page under the root.
    assert list(Page.get_first_root_node().get_children().specific()) == [home]

    sections = SectionPage.objects.child_of(home).live()
    assert sections.count() >= 4
    assert all(section.show_in_menus for section in sections)

    live = ArticlePage.objects.published()
    assert live.count() >= 30
    assert {article.get_parent().pk for article in live} == {section.pk for section in sections}

    writers = Contributor.objects.filter(article_links__isnull=False).distinct()
    assert writers.count() >= 6
    assert len({writer.country.code for writer in writers}) >= 3
    assert all(writer.bio for writer in writers)
    assert all(writer.user.groups.filter(name="Contributors").exists() for writer in writers)

    moderators = Contributor.objects.filter(user__groups__name="Moderators")
    assert moderators.count() >= 2
    assert all(moderator.country for moderator in moderators)
    assert not ArticleAuthor.objects.filter(contributor__in=moderators).exists()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("paddock-demo")
    assert "admin / paddock-demo" in output
    assert Group.objects.get(name="Editors").user_set.exists()

    assert ArticleSource.objects.filter(subscription_required=True).exists()
    assert Make.objects.count() >= 4
    assert VehicleModel.objects.exists()
    assert get_image_model().objects.count() >= 6
    assert live.filter(lead_image__isnull=False).count() > live.count() / 2

    # The admin also shows a draft and an article scheduled to go live later.
    not_live = ArticlePage.objects.filter(live=False)
    assert not_live.filter(go_live_at__isnull=True).exists()
    scheduled = not_live.get(go_live_at__isnull=False)
    assert scheduled.latest_revision.approved_go_live_at == scheduled.go_live_at


@pytest.mark.django_db
def test_reference_article_is_live_newest_and_shaped_like_the_reference_page(demo_settings):
    _load_demo()

    article = ArticlePage.objects.get(slug=content.REFERENCE_SLUG)
    assert article.live
    assert ArticlePage.objects.published().order_by("-published_at").first() == article
    assert ";" in article.title
    assert article.title.endswith("...")
    assert article.body.count("<blockquote>") >= 2
    assert article.sources.filter(subscription_required=True).exists()
    assert article.authors.count() >= 1
    assert article.url.endswith(f"/{content.REFERENCE_SLUG}/")


@pytest.mark.django_db
def test_second_run_creates_nothing(demo_settings):
    _load_demo()
    models = [Page, Revision, Contributor, get_user_model(), Tag, Make, get_image_model()]
    before = {model: model.objects.count() for model in models}

    output = _load_demo()

    assert "already exist" in output
    assert {model: model.objects.count() for model in models} == before


def test_demo_content_is_well_formed():
    slugs = [spec["slug"] for spec in content.ARTICLES]
    assert len(slugs) == len(set(slugs))
    usernames = {spec["username"] for spec in content.CONTRIBUTORS + content.MODERATORS}
    writers = {spec["username"] for spec in content.CONTRIBUTORS}
    section_slugs = {spec["slug"] for spec in content.SECTIONS}
    image_keys = {spec["key"] for spec in content.IMAGES}

    for spec in content.ARTICLES:
        paragraphs = len(re.findall(r"<p>", spec["body"]))
        assert 3 <= paragraphs <= 6, spec["slug"]
        assert 1 <= len(spec["authors"]) <= 2 and set(spec["authors"]) <= writers, spec["slug"]
        assert 1 <= len(spec["sources"]) <= 3, spec["slug"]
        assert all(".example/" in url for _, url, _ in spec["sources"]), spec["slug"]
        assert 2 <= len(spec["tags"]) <= 4, spec["slug"]
        assert spec["section"] in section_slugs, spec["slug"]
        assert set(spec["makes"]) <= set(content.MAKES), spec["slug"]
        assert all(model in content.MAKES[make] for make, model in spec["models"]), spec["slug"]
        assert spec.get("image") is None or spec["image"] in image_keys, spec["slug"]
    assert len(usernames) == len(content.CONTRIBUTORS) + len(content.MODERATORS)

    live = [spec for spec in content.ARTICLES if spec.get("status", "live") == "live"]
    dates = sorted(published_at_for(spec) for spec in live)
    assert len(dates) == len(set(dates))
    assert (
        published_at_for(next(s for s in live if s["slug"] == content.REFERENCE_SLUG)) == dates[-1]
    )
    assert (dates[-1] - dates[0]).days >= 365
