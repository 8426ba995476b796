"""Parts of pages kept between renders (paddock/core/fragments.py, newsroom/memos.py): with the
page cache off, every request renders, and every change shows on the next one; a stale part
after a change is a failing test here. With the parts kept, an article page costs a few
queries whatever it shows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.core.tests.pipelines import PLAN_SETTINGS
from paddock.newsroom import services
from paddock.newsroom.memos import site_for_hostname
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import (
    ContributorFactory,
    make_article,
    make_section,
)

# Parts go stale when a change commits, as on the site: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.PADDOCK_FRAGMENT_CACHE = True
    # Every request renders here, so that what it shows comes from the kept parts these tests
    # are about; paddock/core/tests/test_pagecache.py tests them inside cached pages.
    settings.PADDOCK_PAGE_CACHE = False


@pytest.fixture
def site(db):
    section = make_section("Industry")
    writer = ContributorFactory(display_name="Ines Ortega")
    article = make_article(
        section,
        title="Plants follow buyers",
        authors=[writer],
        tags=["factories"],
        sources=[("Trade Weekly", "https://example.com/trade", True)],
    )
    other = make_article(section, title="Another story", tags=["factories"])
    return {"section": section, "article": article, "other": other, "writer": writer}


def html(path: str, client: Client | None = None) -> str:
    response = (client or Client()).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def queries(path: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_an_article_page_costs_a_few_queries_once_its_parts_are_kept(site):
    url = site["article"].url
    reader = ReaderFactory()
    comments.comment_create(user=reader, article_id=site["article"].pk, body="First point.")
    cold = queries(url)
    warm = queries(url)
    # The discussion, read in one query, is all that a page with its parts kept reads.
    assert warm == 1 + PLAN_SETTINGS < cold, (cold, warm)
    for n in range(30):
        comments.comment_create(
            user=reader, article_id=site["article"].pk, body=f"Point number {n} about plants."
        )
    after_comments = queries(url)
    # The discussion is read afresh (it changed) with its kept parts (the featured comments,
    # the authors' badges), the recent comments too; nothing else.
    assert after_comments <= warm + 3
    assert queries(url) == warm


def test_publishing_an_edit_shows_in_the_story_and_the_related_lists(site):
    article, other = site["article"], site["other"]
    assert "Another story" in html(article.url)  # related, by the shared tag
    assert "Trade Weekly" in html(article.url)

    article.title = "Plants now follow buyers"
    article.body = "<p>A rewritten body.</p>"
    article.sources.all().delete()
    article.save_revision().publish()
    page = html(article.url)
    assert "Plants now follow buyers" in page and "A rewritten body." in page
    assert "Trade Weekly" not in page

    other.title = "Another story, revised"
    other.save_revision().publish()
    assert "Another story, revised" in html(article.url)
    url = other.url
    other.unpublish()
    assert "Another story" not in html(article.url)
    assert "Another story" not in html(site["section"].url)
    assert Client().get(url).status_code == 404


def test_lists_are_kept_until_the_site_changes(site):
    section, article = site["section"], site["article"]
    tag_url = reverse("newsroom:tag", args=["factories"])
    lists = ("/", section.url, tag_url)
    for path in lists:
        assert "Plants follow buyers" in html(path)
    # Kept: a list page made stale by a new comment (its sidebar) reads no article again.
    comments.comment_create(
        user=ReaderFactory(), article_id=article.pk, body="Plants follow the buyers, yes."
    )
    with CaptureQueriesContext(connection) as ctx:
        for path in ("/", section.url):
            assert "Plants follow the buyers, yes." in html(path)
    assert not [q for q in ctx.captured_queries if 'FROM "newsroom_articlepage"' in q["sql"]]
    # A new story shows on every list it belongs to, at once.
    make_article(section, title="Paint shops go electric", tags=["factories"])
    for path in lists:
        assert "Paint shops go electric" in html(path)
    assert Client().get("/?page=2").status_code == 404


def test_a_card_is_made_once_for_every_list_that_shows_it(site, monkeypatch):
    from paddock.newsroom import rendering

    made = []
    card = rendering.article_card

    def counted(article, request=None, **kwargs):
        made.append(article.pk)
        return card(article, request, **kwargs)

    monkeypatch.setattr(rendering, "article_card", counted)
    section, article, other = site["section"], site["article"], site["other"]
    assert "Plants follow buyers" in html("/")
    assert sorted(made) == sorted([article.pk, other.pk])
    made.clear()
    # The section's list and the tag's show the same two articles: their cards are kept.
    for path in (section.url, reverse("newsroom:tag", args=["factories"])):
        assert "Plants follow buyers" in html(path)
    assert made == []
    # Another host gets cards with its own URLs.
    assert Client(HTTP_HOST="127.0.0.1").get(section.url).status_code == 200
    assert sorted(made) == sorted([article.pk, other.pk])
    made.clear()
    other.title = "Another story, revised"
    other.save_revision().publish()
    assert "Another story, revised" in html(section.url)
    assert sorted(made) == sorted([article.pk, other.pk])


def test_people_and_tag_names_show_their_changes(site):
    article, writer = site["article"], site["writer"]
    assert "Ines Ortega" in html(article.url)
    # Through the contributors' writer, which says what changed (an editor's rename in the admin
    # goes through the snippet hooks: test_snippet_cache.py).
    services.contributor_rename(contributor=writer, display_name="Ines Ortega-Lind")
    page = html(article.url)
    assert page.count("Ines Ortega-Lind") >= 2  # the byline and the masthead
    assert "Ines Ortega<" not in page

    tag = Tag.objects.get(name="factories")
    tag.name = "Assembly plants"
    tag.save()
    page = html(article.url)
    assert "Assembly plants" in page and ">factories<" not in page


def test_a_lead_image_edited_in_the_library_shows(site, settings, tmp_path):
    from paddock.newsroom.tests.test_queries import make_image

    settings.MEDIA_ROOT = str(tmp_path)
    article = site["article"]
    article.lead_image = make_image("Assembly line")
    article.save_revision().publish()
    assert 'alt="Assembly line"' in html(article.url)
    image = article.lead_image
    image.title = "Assembly line in Pune"
    image.save()
    assert 'alt="Assembly line in Pune"' in html(article.url)


def test_recent_comments_follow_the_discussion_on_every_page(site):
    reader = ReaderFactory()
    other_url = site["other"].url
    assert "Recent Comments" in html(other_url)
    comment = comments.comment_create(
        user=reader, article_id=site["article"].pk, body="Tariffs decide where plants go."
    )
    assert "Tariffs decide where plants go." in html(other_url)
    comments.comment_delete(user=reader, comment_id=comment.pk)
    assert "Tariffs decide where plants go." not in html(other_url)


def test_a_private_section_is_private_at_once_and_public_again(site):
    section, article = site["section"], site["article"]
    assert Client().get(article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    response = Client().get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert "Plants follow buyers" not in html("/")
    restriction.delete()
    assert Client().get(article.url).status_code == 200
    assert "Plants follow buyers" in html("/")


def test_without_private_pages_an_article_s_restrictions_are_nothing_read(site):
    section, article = site["section"], site["article"]
    html(article.url)  # what the site holds private is known
    with CaptureQueriesContext(connection) as read:
        restrictions = article.get_view_restrictions()
        assert list(restrictions) == []
    assert read.captured_queries == []
    # Still a queryset, as the admin's privacy views use it.
    assert not restrictions.order_by("-page__depth").exists()
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    html("/")  # a request that reads what is private now
    assert [r.page_id for r in ArticlePage.objects.get(pk=article.pk).get_view_restrictions()] == [
        section.pk
    ]


def test_a_renamed_article_moves_to_its_new_address_at_once(site):
    article = site["article"]
    old_url = article.url
    html(old_url)  # the article is remembered at its address
    article.slug = "plants-now-follow-buyers"
    article.save_revision().publish()
    new_url = ArticlePage.objects.get(pk=article.pk).url
    assert new_url != old_url
    moved = Client().get(old_url)  # Wagtail's redirect, made when the slug changed
    assert moved.status_code in (301, 302) and moved["Location"].endswith(new_url)
    assert "Plants follow buyers" in html(new_url)


def test_an_address_that_holds_nothing_is_not_kept(site):
    from paddock.core import fragments

    calls = []

    def compute():
        calls.append(1)

    assert fragments.memo("probe-missing", ["site"], compute) is None
    assert fragments.memo("probe-missing", ["site"], compute) is None
    assert len(calls) == 2
    missing = f"{site['section'].url}no-such-story/"
    assert Client().get(missing).status_code == 404
    story = make_article(site["section"], title="No such story", slug="no-such-story")
    assert story.url == missing
    assert "No such story" in html(missing)


def test_closing_a_discussion_shows_on_the_next_render(site):
    from paddock.core.roles import EDITORS
    from paddock.moderation.actions import DiscussionCloseAction

    article = site["article"]
    assert "Comments are closed" not in html(article.url)
    editor = ReaderFactory(groups=[EDITORS])
    DiscussionCloseAction(article.pk, closed=True, user=editor).execute()
    assert "Comments are closed" in html(article.url)
    DiscussionCloseAction(article.pk, closed=False, user=editor).execute()
    assert "Comments are closed" not in html(article.url)


def test_a_new_section_is_found_before_the_memo_knows_it(site):
    html(site["article"].url)  # the sections are remembered
    fresh = make_section("Electric")
    story = make_article(fresh, title="Cells get cheaper")
    page = html(story.url)
    assert "Cells get cheaper" in page and ">Electric<" in page


def test_the_site_of_a_request_is_chosen_as_wagtail_chooses_it(site):
    home = Site.objects.get(is_default_site=True).root_page
    Site.objects.create(hostname="news.example", port=80, root_page=home)
    Site.objects.create(hostname="news.example", port=8080, root_page=home)
    Site.objects.create(hostname="only.example", port=443, root_page=home)
    cases = [
        ("news.example", 80),
        ("news.example", 8080),
        ("news.example", 9999),
        ("only.example", 80),
        ("only.example", 443),
        ("elsewhere.example", 80),
        ("localhost", 80),
    ]
    for hostname, port in cases:
        try:
            expected = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            expected = None
        found = site_for_hostname(hostname, port)
        assert (found and found.pk) == (expected and expected.pk), (hostname, port)
    # A site added later is found: the list is remembered under the "site" version.
    added = Site.objects.create(hostname="later.example", port=80, root_page=home)
    assert site_for_hostname("later.example", 80).pk == added.pk


def test_masthead_follows_the_moderators_group(site):
    moderator = ReaderFactory()
    ContributorFactory(user=moderator, display_name="Mona Moderates")
    assert "Mona Moderates" not in html("/")
    Group.objects.get(name="Moderators").user_set.add(moderator)
    assert "Mona Moderates" in html("/")
    moderator.groups.clear()
    assert "Mona Moderates" not in html("/")


def test_turned_off_every_render_reads_the_database(site, settings):
    settings.PADDOCK_FRAGMENT_CACHE = False
    url = site["article"].url
    first = queries(url)
    assert queries(url) == first
    ArticlePage.objects.filter(pk=site["article"].pk).update(title="Changed behind its back")
    assert "Changed behind its back" in html(url)


def test_a_preview_shows_the_draft_and_leaves_the_kept_story_alone(site):
    article = site["article"]
    assert "Body text about cars." in html(article.url)  # the story is kept
    article.body = "<p>A draft nobody has published.</p>"
    response = article.make_preview_request()
    response.render()
    assert "A draft nobody has published." in response.content.decode()
    live = html(article.url)
    assert "Body text about cars." in live and "A draft nobody" not in live


def test_memo_keeps_a_value_until_its_tag_changes_and_hands_out_copies(site):
    from paddock.core import fragments, pagecache

    calls = []

    def compute():
        calls.append(1)
        return {"sections": ["Industry"]}

    first = fragments.memo("probe", ["site"], compute)
    first["sections"].append("changed by a caller")
    assert fragments.memo("probe", ["site"], compute) == {"sections": ["Industry"]}
    assert len(calls) == 1
    # Another process's change: only the shared version moves, this process's copy stays.
    caches_pages = pagecache._cache()
    caches_pages.set(pagecache.TAG_PREFIX + "site", pagecache.versions(["site"])["site"] + 1)
    fragments.memo("probe", ["site"], compute)
    assert len(calls) == 2


def test_within_a_request_a_kept_part_is_read_once_and_shared(site):
    """Asked for twice by one request (a page and its helpers), a part is read from the cache
    once and is the same object both times; each request gets its own copy."""
    from paddock.core import fragments, pagecache

    fragments.memo("probe-shared", ["site"], lambda: {"sections": ["Industry"]})
    seen = []
    for _ in range(2):
        # The receivers, not the signals: Django's own would end the test's transaction.
        pagecache._request_started(sender=None)
        fragments._request_started(sender=None)
        try:
            first = fragments.memo("probe-shared", ["site"], lambda: {"sections": ["other"]})
            again = fragments.memo("probe-shared", ["site"], lambda: {"sections": ["other"]})
        finally:
            fragments._request_finished(sender=None)
            pagecache._request_finished(sender=None)
        assert first is again and first == {"sections": ["Industry"]}
        seen.append(first)
    assert seen[0] is not seen[1]


def test_an_emptied_cache_never_brings_back_an_old_version(site):
    from paddock.core import pagecache

    before = pagecache.versions(["site"])["site"]
    assert before > 0
    pagecache._cache().clear()
    after = pagecache.versions(["site"])["site"]
    assert after > 0 and after != before


def test_pages_render_when_the_cache_is_down(site, monkeypatch):
    from django.core.cache import caches

    from paddock.core import fragments, pagecache

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    caches[fragments.LOCAL].clear()
    monkeypatch.setattr(pagecache, "versions", down)
    assert "Plants follow buyers" in html(site["article"].url)
    monkeypatch.undo()
    fragments.memo("probe-down", ["site"], lambda: "kept")
    monkeypatch.setattr(fragments.cache, "get", down)
    caches[fragments.LOCAL].clear()
    assert fragments.memo("probe-down-2", ["site"], lambda: "computed") == "computed"


def test_the_kept_menu_marks_the_section_of_each_page(site):
    other_section = make_section("Electric")
    story = make_article(other_section, title="Cells get cheaper")

    def current(path: str) -> list[str]:
        return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', html(path))

    assert current(site["article"].url) == ["Industry"]
    assert current(story.url) == ["Electric"]
    assert current(site["section"].url) == ["Industry"]
    assert current("/") == []
    assert current(site["article"].url) == ["Industry"]  # from the kept copy now


def test_the_kept_sign_up_box_names_its_page_and_never_shares_a_token(site):
    article, other = site["article"], site["other"]
    first = html(article.url)
    assert f'value="{article.url}"' in first and "data-csrf-fill" in first
    second = html(other.url)
    assert f'value="{other.url}"' in second and f'value="{article.url}"' not in second
    reader = ReaderFactory()
    client = Client()
    client.force_login(reader)
    box = html(article.url, client).split('id="newsletter-signup"')[1].split("</form>")[0]
    assert "data-csrf-fill" not in box
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{32,}"', box)
    assert "data-csrf-fill" in html(article.url)  # anonymous readers still get the kept box


def test_a_change_through_another_process_shows_in_the_parts_within_the_local_seconds(
    site, settings
):
    """As with cached pages (test_pagecache.py): a version this process read less than
    PADDOCK_PAGE_CACHE_LOCAL_SECONDS ago is not read again, so a render with its parts kept
    costs no round trip to the cache for them; another process's change shows after that."""
    import time

    from paddock.core import pagecache

    settings.PADDOCK_PAGE_CACHE_LOCAL_SECONDS = 0.5
    article = site["article"]
    html(article.url)
    # Another process renames the article and bumps "site" in the shared cache, not here.
    ArticlePage.objects.filter(pk=article.pk).update(title="Renamed elsewhere")
    pagecache._cache().set(pagecache.TAG_PREFIX + "site", time.time_ns(), timeout=None)
    assert "Renamed elsewhere" not in html(article.url)
    time.sleep(0.6)
    assert "Renamed elsewhere" in html(article.url)
    # This process's own change shows at once.
    services.contributor_rename(contributor=site["writer"], display_name="Ines Ortega-Lind")
    assert "Ines Ortega-Lind" in html(article.url)
