"""What readers noticed in a discussion: badges beside the newsroom's names, deleted comments
that keep nothing of their author, pages of comments without JavaScript, linked addresses."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paddock.comments import markup, services
from paddock.comments.models import Comment
from paddock.comments.selectors import BADGE_AUTHOR, BADGE_MODERATOR, BADGE_STAFF, author_badges
from paddock.core.roles import ADMINISTRATORS, EDITORS, MODERATORS
from paddock.newsroom.tests.factories import ContributorFactory, make_article

pytestmark = pytest.mark.django_db


def post(author, article, body: str, **kwargs) -> Comment:
    return services.comment_create(
        user=author, article_id=article.pk, body=body, screen=False, notify=False, **kwargs
    )


def in_group(user, name: str):
    from django.contrib.auth.models import Group

    Group.objects.get(name=name).user_set.add(user)
    return user


def badge_of(page: str, comment: Comment) -> str | None:
    box = re.search(rf'<article id="c-{comment.pk}".*?</header>', page, re.S).group()
    found = re.search(r'class="comment__badge[^"]*">([^<]+)<', box)
    return found.group(1) if found else None


def test_the_newsroom_carries_badges_whatever_the_thread(client, section, reader_factory):
    writer = reader_factory("Wren Writer")
    moderator = in_group(reader_factory("Mo Derator"), MODERATORS)
    editor = in_group(reader_factory("Ed Itor"), EDITORS)
    admin = in_group(reader_factory("Ad Min"), ADMINISTRATORS)
    reader = reader_factory("Plain Reader")
    article = make_article(section, title="Badged", authors=[ContributorFactory(user=writer)])
    other = make_article(section, title="Someone else's")
    people = [writer, moderator, editor, admin, reader]
    mine = {user.pk: post(user, article, f"From {user.profile.display_name}") for user in people}
    page = client.get(article.url).content.decode()
    assert badge_of(page, mine[writer.pk]) == BADGE_AUTHOR
    assert badge_of(page, mine[moderator.pk]) == BADGE_MODERATOR
    assert badge_of(page, mine[editor.pk]) == BADGE_STAFF
    assert badge_of(page, mine[admin.pk]) == BADGE_STAFF
    assert badge_of(page, mine[reader.pk]) is None
    # On an article they did not write, the writer is staff (a Contributor) only if in a role.
    assert author_badges(other, [writer.pk, reader.pk]) == {}

    # As many queries for one author as for many (the article's details and the newsroom's
    # roles, which the article page reads anyway), then kept until the site changes.
    caches["local"].clear()
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        author_badges(article, [writer.pk])
    caches["local"].clear()
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        author_badges(article, [user.pk for user in people])
    assert len(few.captured_queries) == len(many.captured_queries)
    with CaptureQueriesContext(connection) as again:
        author_badges(article, [user.pk for user in people])
    assert again.captured_queries == []


def test_a_change_to_an_account_s_staff_flags_shows_on_its_comments(
    client, article, reader_factory, django_capture_on_commit_callbacks
):
    boss, reader = reader_factory("Bo Boss"), reader_factory("Ree Der")
    theirs, mine = post(boss, article, "From the top."), post(reader, article, "From below.")
    assert badge_of(client.get(article.url).content.decode(), theirs) is None
    boss.is_superuser = True
    with django_capture_on_commit_callbacks(execute=True):
        boss.save()  # as Wagtail's account form saves it
    page = client.get(article.url).content.decode()
    assert badge_of(page, theirs) == BADGE_STAFF
    assert badge_of(page, mine) is None
    boss.is_superuser = False
    with django_capture_on_commit_callbacks(execute=True):
        boss.save(update_fields=["is_superuser"])
    assert badge_of(client.get(article.url).content.decode(), theirs) is None
    with django_capture_on_commit_callbacks() as after_login:
        reader.save(update_fields=["last_login"])  # nothing of the newsroom's changed
        boss.save()  # nor here: the flags are as the pages know them
    assert after_login == []


def test_a_deleted_comment_keeps_no_name_avatar_or_profile_link(client, article, reader_factory):
    ann, bob = reader_factory("Ann Author"), reader_factory("Bob")
    top = post(ann, article, "I will think better of this.")
    reply = post(bob, article, "Answered before it went.", parent_id=top.pk)
    services.comment_delete(user=ann, comment_id=top.pk)
    page = client.get(article.url).content.decode()
    box = re.search(rf'<article id="c-{top.pk}".*?</article>', page, re.S).group()
    assert "[deleted]" in box
    assert "Ann Author" not in box
    assert "<img" not in box and "/readers/" not in box
    # Replies under it do not name the author they answered either.
    assert f'id="c-{reply.pk}"' in page
    assert "Ann Author" not in page.split('id="comments"')[1]


def test_without_javascript_pages_have_numbers_a_way_back_and_permalinks_name_theirs(
    client, settings, article, reader_factory
):
    settings.PADDOCK_COMMENTS_PER_PAGE = 2
    ann = reader_factory("Ann")
    made = [post(ann, article, f"Thread {i}") for i in range(7)]  # 4 pages of 2
    first = client.get(article.url).content.decode()
    assert f'href="{article.url}?csort=oldest&amp;cpage=2#comments"' in first  # load more
    assert 'aria-label="Pages of comments"' in first
    assert '<span aria-current="page">1</span>' in first

    second = client.get(f"{article.url}?csort=oldest&cpage=2").content.decode()
    assert f'id="comment-{made[2].pk}"' in second and f'id="comment-{made[0].pk}"' not in second
    assert "Page 2 of 4 of the discussion." in second
    assert 'href="?csort=oldest#comments">Back to the first page</a>' in second
    assert 'href="?csort=oldest&amp;cpage=1#comments" rel="prev">Previous</a>' in second
    assert '<span aria-current="page">2</span>' in second

    landing = client.get(made[5].get_absolute_url())
    assert landing["Location"] == f"{article.url}?cpage=3#comment-{made[5].pk}"
    third = client.get(landing["Location"]).content.decode()
    assert "Page 3 of 4 of the discussion." in third
    assert f'id="comment-{made[5].pk}"' in third
    assert client.get(f"{article.url}?cpage=5").status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "See https://example.com/a_(b)). Really",
            '<p>See <a href="https://example.com/a_(b)" rel="nofollow ugc noopener">'
            "https://example.com/a_(b)</a>). Really</p>",
        ),
        (
            "(https://example.com/x?a=1&b=2),",
            '<p>(<a href="https://example.com/x?a=1&amp;b=2" rel="nofollow ugc noopener">'
            "https://example.com/x?a=1&amp;b=2</a>),</p>",
        ),
        (
            "[named](https://example.com/n) and http://example.org.",
            '<p><a href="https://example.com/n" rel="nofollow ugc noopener">named</a> and '
            '<a href="http://example.org" rel="nofollow ugc noopener">http://example.org</a>.</p>',
        ),
    ],
)
def test_bare_addresses_become_links_for_nobody_to_follow(raw, expected):
    assert markup.render(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        'https://e.example/"><img src=x onerror=alert(1)>',
        "https://e.example/<script>alert(1)</script>",
        "javascript://example.com/%0Aalert(1)",
        "`https://in.code.example/`",
        "http\\://escaped.example/",
        "https://\"onmouseover='alert(1)'",
        "https://e.example/\u202eevil",
        "data:text/html,https://e.example/<svg/onload=alert(1)>",
    ],
)
def test_hostile_addresses_stay_inert(raw, article, reader_factory, client):
    html = markup.render(raw)
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "onerror=" not in html.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in html and 'href="data' not in html
    assert "onmouseover" not in re.sub(r">[^<]*<", "><", html)  # never inside a tag
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://"))
    if "code" in raw or "\\:" in raw:
        assert "<a " not in html
    comment = post(reader_factory(), article, raw)
    assert comment.body_html == html
    page = client.get(article.url).content.decode()
    assert html in page


def test_a_standard_page_s_discussion_carries_the_newsroom_s_badges_and_no_author_s(
    reader_factory,
):
    from paddock.newsroom.tests.factories import site_tree
    from paddock.pages.models import StandardPage

    about = site_tree().add_child(instance=StandardPage(title="About us", slug="about"))
    about.save_revision().publish()
    editor = in_group(reader_factory("Ed Itor"), EDITORS)
    reader = reader_factory("Plain Reader")
    assert author_badges(about, [editor.pk, reader.pk]) == {editor.pk: BADGE_STAFF}
