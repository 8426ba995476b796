"""Ids a database cannot hold (past 2^63 - 1, zero, negative) are a 404 or a 400, never a 500.

PostgreSQL refuses a bigint out of range and SQLite overflows its own way: every id that comes
from a URL, a query string or a form goes through one range check first.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.leads.tests.factories import DealerStaffFactory
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BAD_IDS = [str(2**63), str(2**64), "0", "-1", "99999999999999999999999"]
PLACE = 123456789


def url(name: str, key: str = "pk", bad: str = "", **extra) -> str:
    """The URL `name` with `bad` where its id goes (reverse() would refuse a negative one)."""
    return reverse(name, kwargs={key: PLACE, **extra}).replace(str(PLACE), bad)


@pytest.fixture
def world(db):
    article = make_article(make_section("Industry"), title="Plants follow buyers")
    author = ReaderFactory(display_name="Ann Author")
    comment = comments.comment_create(user=author, article_id=article.pk, body="A fair point.")
    return {"article": article, "comment": comment}


@pytest.fixture
def reader(client, world):
    user = ReaderFactory(display_name="Rita Reader")
    client.force_login(user)
    return user


@pytest.fixture
def admin(client, world):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-Gearbox-42")
    client.force_login(user)
    return user


@pytest.fixture
def dealer(client, world):
    staff = DealerStaffFactory()
    client.force_login(staff.user)
    return staff


READER_PATHS = [
    ("GET", "comments:permalink", "pk", {}),
    ("GET", "comments:reply", "pk", {}),
    ("POST", "comments:vote", "pk", {"value": "up"}),
    ("GET", "comments:edit", "pk", {}),
    ("POST", "comments:edit", "pk", {"body": "New text"}),
    ("GET", "comments:delete", "pk", {}),
    ("POST", "comments:delete", "pk", {}),
    ("GET", "comments:report", "pk", {}),
    ("POST", "comments:report", "pk", {"reason": "spam"}),
    ("POST", "comments:post", "article_id", {"body": "Hello"}),
    ("GET", "comments:threads", "article_id", {"cpage": "2"}),
    ("GET", "accounts:profile", "pk", {}),
    ("POST", "pages:contact_send", "page_id", {"subject": "Hello"}),
    ("GET", "pages:contact_sent", "page_id", {}),
]


def _send(client, method: str, path: str, data: dict, **headers):
    if method == "GET":
        return client.get(path, data, **headers)
    return client.post(path, data, **headers)


def _answers(client, method: str, name: str, key: str, data: dict, **headers) -> dict:
    """Every bad id in the URL `name`, each answered on its own: {bad id: status}. The ids of
    one URL share a test (and its set-up), the range check being the URL's own."""
    return {
        bad: _send(client, method, url(name, key, bad), data, **headers).status_code
        for bad in BAD_IDS
    }


@pytest.mark.parametrize(("method", "name", "key", "data"), READER_PATHS)
def test_reader_urls_with_out_of_range_ids(client, reader, method, name, key, data):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        answers = _answers(client, method, name, key, data, **headers)
        assert answers == dict.fromkeys(BAD_IDS, 404), headers


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("body", ["", "A reply"], ids=["empty", "with-text"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_reply_to_an_out_of_range_parent(client, reader, world, bad, body, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    path = reverse("comments:post", kwargs={"article_id": world["article"].pk})
    response = client.post(path, {"body": body, "parent": bad}, **headers)
    assert response.status_code in (400, 404)


STAFF_PATHS = [
    ("GET", "moderation_admin:comment", "pk", {}),
    ("POST", "moderation_admin:comment", "pk", {"body": "Edited"}),
    ("GET", "moderation_admin:reader", "user_id", {}),
    ("POST", "moderation_admin:reader", "user_id", {"action": "reinstate"}),
    ("GET", "newsletter_admin:review", "pk", {}),
    ("GET", "newsletter_admin:email", "pk", {}),
    ("POST", "newsletter_admin:test", "pk", {}),
    ("POST", "newsletter_admin:send", "pk", {}),
    ("POST", "newsletter_admin:schedule", "pk", {}),
    ("POST", "leads_admin:route", "pk", {}),
    ("GET", "pages_admin:message", "pk", {}),
    ("POST", "pages_admin:handled", "pk", {}),
]


@pytest.mark.parametrize(("method", "name", "key", "data"), STAFF_PATHS)
def test_staff_urls_with_out_of_range_ids(client, admin, method, name, key, data):
    assert _answers(client, method, name, key, data) == dict.fromkeys(BAD_IDS, 404)


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("GET", "leads:portal_detail", {}),
        ("POST", "leads:portal_status", {"status": "contacted"}),
        ("POST", "leads:portal_note", {"text": "Called"}),
    ],
)
def test_dealer_urls_with_out_of_range_ids(client, dealer, method, name, data):
    assert _answers(client, method, name, "lead_id", data) == dict.fromkeys(BAD_IDS, 404)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_moderation_queue_filter_by_an_out_of_range_article(client, admin, bad):
    response = client.get(reverse("moderation_admin:queue"), {"article": bad})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_deciding_on_an_out_of_range_comment(client, admin, world, bad):
    response = client.post(
        reverse("moderation_admin:decide"),
        {"action": "approve", "comments": [bad, str(world["comment"].pk)]},
    )
    assert response.status_code in (302, 400)
    world["comment"].refresh_from_db()
    assert world["comment"].status == "published"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_closing_an_out_of_range_discussion(client, admin, bad):
    response = client.post(
        reverse("moderation_admin:discussions"), {"article": bad, "closed": "1", "reason": "x"}
    )
    assert response.status_code in (302, 400)
