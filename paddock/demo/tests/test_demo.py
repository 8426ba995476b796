"""The demo loader: what `load_demo` builds, that it builds it once, and the shape of its data."""

from __future__ import annotations

import math
import re
from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from paddock.accounts.display_names import display_name_clean
from paddock.accounts.models import Profile
from paddock.comments import markup
from paddock.comments.models import Comment, Report, Vote, wilson_lower_bound
from paddock.demo import content, discussion
from paddock.demo.loader import published_at_for
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
    """Keep the drawn images out of the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_builds_a_complete_site_in_an_empty_database(
    demo_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        output = _load_demo()
    # Nobody is emailed about the replies in the demo's discussions, weeks or months old.
    assert not [c for c in callbacks if c.__qualname__.startswith("comment_create")]
    # Readers who can sign in with the demo password (test_readers_discuss_vote_and_report).
    assert "reader-1@example.com / paddock-demo" in output

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
    # Contributors sign in with the demo password like the other staff, and are told how.
    assert all(writer.user.check_password("paddock-demo") for writer in writers)
    first = content.CONTRIBUTORS[0]["username"]
    assert f"Editors' approval) with {first} / paddock-demo" in output
    assert f"as a moderator with {content.MODERATORS[0]['username']} / paddock-demo" in output

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

    if connection.vendor == "postgresql":  # analysed once loaded: planned for what it holds
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'comments_comment'")
            estimate = cursor.fetchone()[0]  # -1 never analysed; ANALYZE samples
            assert estimate >= Comment.objects.count() / 2 > 0

    # The admin also shows a draft and an article scheduled to go live later.
    not_live = ArticlePage.objects.filter(live=False)
    assert not_live.filter(go_live_at__isnull=True).exists()
    scheduled = not_live.get(go_live_at__isnull=False)
    assert scheduled.latest_revision.approved_go_live_at == scheduled.go_live_at


def test_reference_article_is_live_newest_and_shaped_like_the_reference_page(demo):
    article = ArticlePage.objects.get(slug=content.REFERENCE_SLUG)
    assert article.live
    assert ArticlePage.objects.published().order_by("-published_at").first() == article
    assert ";" in article.title
    assert article.title.endswith("...")
    assert article.body.count("<blockquote>") >= 2
    assert article.sources.filter(subscription_required=True).exists()
    assert article.authors.count() >= 1
    assert article.url.endswith(f"/{content.REFERENCE_SLUG}/")


def test_second_run_creates_nothing(demo):
    models = [
        Page,
        Revision,
        Contributor,
        get_user_model(),
        Tag,
        Make,
        get_image_model(),
        Comment,
        Vote,
        Report,
    ]
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


def test_readers_discuss_vote_and_report(demo):
    now = timezone.now()

    # Forty readers who can sign in with the demo password and may comment (the loader says
    # so: test_load_demo_builds_a_complete_site_in_an_empty_database).
    readers = get_user_model().objects.filter(username__startswith="reader-")
    assert readers.count() >= 40
    reader = readers.get(username="reader-1")
    assert reader.email == "reader-1@example.com"
    assert reader.check_password("paddock-demo")
    for user in readers:
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()
        # Every name passes the rules a reader choosing it in the profile form would meet.
        name = user.profile.display_name
        assert display_name_clean(name, user=user) == name
    profiles = Profile.objects.filter(user__in=readers)
    assert profiles.exclude(country="").count() >= 0.75 * readers.count()
    assert len({profile.country.code for profile in profiles if profile.country}) >= 15
    assert len({profile.avatar_seed for profile in profiles}) == readers.count()
    assert set(Comment.objects.values_list("author_id", flat=True)) <= {r.pk for r in readers}

    # The reference article opens with the reference page's thread: four comments, three
    # levels deep, nobody has voted yet.
    reference = ArticlePage.objects.get(slug=content.REFERENCE_SLUG)
    first = list(Comment.objects.visible().filter(article=reference).order_by("created_at", "pk"))
    first = first[:4]
    assert len(first) == 4
    assert {c.depth for c in first} == {0, 1, 2}
    assert first[0].parent is None
    assert first[1].parent == first[0]
    assert first[2].parent == first[1]
    assert first[3].parent in (None, first[0])
    assert all(c.score == 0 and c.upvotes == c.downvotes == 0 for c in first)
    assert not Vote.objects.filter(comment__in=first).exists()
    assert len({c.author_id for c in first}) >= 2

    # Most live articles have a discussion, and one has a very long one, deep enough to
    # exercise the display's depth limit.
    live = ArticlePage.objects.published()
    counts = dict(
        live.annotate(
            n=Count("comments", filter=Q(comments__status="published", comments__is_deleted=False))
        ).values_list("slug", "n")
    )
    assert sum(1 for n in counts.values() if n) >= 0.75 * len(counts)
    busiest = max(counts, key=counts.get)
    assert counts[busiest] >= 500
    big = Comment.objects.filter(article__slug=busiest)
    assert big.filter(depth=0).count() >= 50
    assert big.filter(depth__gte=1).count() >= 250
    assert big.filter(depth__gte=5).exists()
    assert big.filter(depth__gte=7).exists()
    assert not Comment.objects.filter(article__live=False).exists()

    # The discussions as readers wrote them; what moderators held, decided or hid since is
    # the moderation demo's (paddock/demo/tests/test_moderation.py).
    discussed = Comment.objects.filter(status="published", moderated_by__isnull=True)
    comments = {c.pk: c for c in discussed.select_related("article__articlepage")}
    tallies = Counter(Vote.objects.values_list("comment_id", "value"))
    for comment in comments.values():
        parent = comments.get(comment.parent_id)
        if parent is None:
            assert comment.parent_id is None
            assert (comment.root_id, comment.depth) == (comment.pk, 0)
        else:
            assert comment.root_id == parent.root_id
            assert comment.depth == parent.depth + 1
            assert comment.article_id == parent.article_id
            assert comment.created_at >= parent.created_at
        assert comment.article.articlepage.published_at <= comment.created_at <= now
        # The tallies agree with the votes, as `vote_cast` keeps them.
        up, down = tallies[(comment.pk, 1)], tallies[(comment.pk, -1)]
        assert (comment.upvotes, comment.downvotes) == (up, down)
        assert comment.score == up - down
        assert math.isclose(comment.wilson, wilson_lower_bound(up, down))
        # Every field is filled as `comment_create` fills it.
        assert comment.body == markup.clean_text(comment.body)
        assert comment.body_html == markup.render(comment.body)
        assert comment.body_text == markup.plain(comment.body_html)
        assert comment.author_id is not None and comment.is_visible

    votes = Vote.objects.select_related("comment")
    assert votes.count() >= 1000
    assert not votes.filter(user=F("comment__author")).exists()
    assert all(v.comment.created_at <= v.created_at <= now for v in votes)
    voted = set(Comment.objects.filter(upvotes__gt=0).values_list("article__slug", flat=True))
    assert len(voted) >= 0.6 * len(counts)

    # A few reports wait for the moderators, for different reasons, none by the author.
    reports = Report.objects.filter(comment__in=discussed).select_related("comment")
    assert 3 <= reports.count() <= 6
    assert len({r.reason for r in reports}) >= 3
    assert all(r.reporter_id != r.comment.author_id for r in reports)
    assert all(r.comment.created_at <= r.created_at <= now for r in reports)


def test_discussion_content_is_well_formed():
    specs = {spec["slug"]: spec for spec in content.ARTICLES}
    live = {slug for slug, spec in specs.items() if spec.get("status", "live") == "live"}
    assert discussion.BIG_SLUG in live
    assert discussion.BIG_COUNT >= 520
    assert not discussion.QUIET & (set(discussion.THREADS) | {discussion.BIG_SLUG})
    assert live >= discussion.QUIET
    assert set(discussion.THREADS) <= live - {content.REFERENCE_SLUG, discussion.BIG_SLUG}

    names = [name for name, _ in content.READERS]
    assert len(names) >= 40
    assert len({name.casefold() for name in names}) == len(names)
    assert all(3 <= len(name) <= 30 for name in names)
    masthead = {spec["display_name"] for spec in content.CONTRIBUTORS + content.MODERATORS}
    assert not masthead & set(names)

    depths = [depth for depth, _, _ in discussion.REFERENCE_THREAD]
    assert len(depths) == 4 and depths[:3] == [0, 1, 2] and depths[3] in (0, 1)
    for slug, thread in discussion.THREADS.items():
        assert thread[0][0] == 0, slug
        for (before, _), (after, _) in zip(thread, thread[1:], strict=False):
            assert after <= before + 1, slug
    for slug, index, reason, details in discussion.REPORTS:
        assert index < len(discussion.THREADS[slug])
        assert reason in Report.Reason.values
        assert details or reason != "other"
    assert len({reason for _, _, reason, _ in discussion.REPORTS}) >= 3

    every_text = [body for _, _, body in discussion.REFERENCE_THREAD]
    every_text += [body for thread in discussion.THREADS.values() for _, body in thread]
    for threads in discussion.THEME_THREADS.values():
        for starter, replies in threads:
            every_text += [starter, *replies]
    every_text += discussion.GENERIC_COMMENTS + discussion.GENERIC_REPLIES
    for sides in discussion.BIG_TOPICS.values():
        every_text += sides["for"] + sides["against"]
    for text in every_text:
        for url in re.findall(r"\]\((\S+?)\)", text):
            assert re.match(r"https://[a-z0-9.-]+\.example/", url), url
        assert markup.clean_text(text) == text.strip()
