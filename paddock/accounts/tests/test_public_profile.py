"""The public reader page: who they are and their visible comments, in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paddock.comments.models import Comment
from paddock.newsroom.tests.factories import make_article, make_section

from .factories import ReaderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(make_section("News"), title="Hot hatch of the year")


def _main(response) -> str:
    """The page's main column (the sidebar lists recent comments from everyone)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _comment(article, author, body="Nice car", **fields) -> Comment:
    return Comment.objects.create(
        article=article,
        author=author,
        body=body,
        body_html=f"<p>{body}</p>",
        body_text=body,
        **fields,
    )


def test_profile_shows_name_country_joined_and_visible_comments(client, article):
    reader = ReaderFactory(display_name="Rally Fan")
    reader.date_joined = dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    reader.save()
    reader.profile.country = "FI"
    reader.profile.save()
    visible = _comment(article, reader, "Visible words")
    _comment(article, reader, "Pending words", status=Comment.Status.PENDING)
    _comment(article, reader, "Rejected words", status=Comment.Status.REJECTED)
    _comment(article, reader, "Spam words", status=Comment.Status.SPAM)
    _comment(article, reader, "Deleted words", is_deleted=True)
    _comment(article, ReaderFactory(), "Someone else's words")

    response = client.get(reader.profile.get_absolute_url())
    html = _main(response)
    assert response.status_code == 200
    assert "Rally Fan" in html
    assert "Finland" in html
    assert "Joined March 2024" in html
    assert "<p>Visible words</p>" in html  # sanitised HTML, shown as HTML
    assert f'href="{visible.get_absolute_url()}"' in html
    assert "Hot hatch of the year" in html
    for hidden in ("Pending", "Rejected", "Spam", "Deleted", "Someone else"):
        assert hidden not in html


def test_comments_on_unpublished_articles_are_not_listed(client, article):
    reader = ReaderFactory()
    draft = make_article(make_section("Drafts"), title="Secret launch", publish=False)
    _comment(draft, reader, "Early words")
    html = client.get(reader.profile.get_absolute_url()).content.decode()  # sidebar included
    assert "Secret launch" not in html
    assert "Early words" not in html


def test_country_is_optional(client):
    reader = ReaderFactory(display_name="No Country")
    response = client.get(reader.profile.get_absolute_url())
    assert 'class="profile__country"' not in response.content.decode()


def test_comments_are_paged_twenty_at_a_time_newest_first(client, article):
    reader = ReaderFactory()
    now = timezone.now()
    for n in range(25):
        comment = _comment(article, reader, f"Comment number {n:02d}")
        Comment.objects.filter(pk=comment.pk).update(created_at=now - dt.timedelta(minutes=n))
    url = reader.profile.get_absolute_url()

    first = _main(client.get(url))
    assert first.count('class="reader-comment"') == 20
    assert first.index("Comment number 00") < first.index("Comment number 19")
    assert "Comment number 20" not in first
    second = _main(client.get(url, {"page": 2}))
    assert second.count('class="reader-comment"') == 5
    assert "Comment number 24" in second


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "1.5", "99999999999999999999"])
def test_bad_page_numbers_are_not_found(client, article, page):
    reader = ReaderFactory()
    for _ in range(21):
        _comment(article, reader)
    assert client.get(reader.profile.get_absolute_url(), {"page": page}).status_code == 404


def test_a_reader_without_comments_has_a_first_page(client):
    reader = ReaderFactory()
    response = client.get(reader.profile.get_absolute_url())
    assert response.status_code == 200
    assert "has not commented yet" in response.content.decode()


def test_inactive_readers_and_unknown_profiles_are_not_found(client):
    reader = ReaderFactory(is_active=False)
    assert client.get(reader.profile.get_absolute_url()).status_code == 404
    assert client.get(reverse("accounts:profile", kwargs={"pk": 999999})).status_code == 404


def _count_queries(client, url, **params) -> int:
    client.get(url, params)  # warm what the site chrome caches (sidebar widgets)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_comments(client, article):
    other_article = make_article(make_section("Reviews"), title="Estate car test")
    few = ReaderFactory()
    _comment(article, few)
    many = ReaderFactory()
    for n in range(45):
        _comment(article if n % 2 else other_article, many)

    baseline = _count_queries(client, few.profile.get_absolute_url())
    assert _count_queries(client, many.profile.get_absolute_url()) == baseline
    assert _count_queries(client, many.profile.get_absolute_url(), page=3) == baseline
    # Profile with user, count, one page of comments with their articles; plus the site chrome.
    assert baseline <= 12


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ request }}",
    ],
)
def test_names_stored_before_validation_existed_are_shown_inert(client, hostile):
    # Imports and old data may hold names today's rules refuse: templates must escape them.
    reader = ReaderFactory()
    reader.profile.display_name = hostile[:30]
    reader.profile.save()
    html = client.get(reader.profile.get_absolute_url()).content.decode()
    assert hostile[:30] not in html or hostile == "{{ request }}"
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;" in html or hostile == "{{ request }}"


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "", "1e3", "٣", "9" * 5000, "100001"])
def test_a_bad_page_number_is_404_not_an_error(client, article, bad):
    reader = ReaderFactory()
    _comment(article, reader)
    url = reader.profile.get_absolute_url()
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": bad}).status_code == 404
    assert client.get(url, {"page": "2"}).status_code == 404
