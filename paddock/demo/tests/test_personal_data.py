"""A reader downloads everything Paddock holds about them, and nothing about anyone else."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paddock.comments.models import Comment, Report, Vote
from paddock.core.limitstore import DatabaseStore
from paddock.leads.models import Lead
from paddock.moderation.models import Notice
from paddock.newsroom.models import VehicleModel
from paddock.pages.services import contact_message_create

pytestmark = pytest.mark.django_db

URL = reverse("accounts:personal_data")


def reader(number: int):
    return get_user_model().objects.get(email=f"reader-{number}@example.com")


def lead_for(email: str) -> Lead:
    vehicle = VehicleModel.objects.select_related("make").order_by("pk").first()
    return Lead.objects.create(
        make=vehicle.make,
        vehicle_model=vehicle,
        timeframe="month",
        zip_code="10115",
        name=f"Shopper {email}",
        email=email,
        consent_text="I agree.",
    )


def download(client, user) -> tuple[dict, object, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL)
        body = b"".join(response.streaming_content)
    return json.loads(body), response, len(queries)


def test_only_a_signed_in_reader_downloads_and_only_by_post(client, demo):
    response = client.post(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(reader(1))
    assert client.get(URL).status_code == 405


def test_the_download_holds_the_readers_data_and_nobody_elses(client, demo):
    me, other = reader(1), reader(2)
    mine = lead_for("reader-1@example.com")
    theirs = lead_for("reader-2@example.com")
    # An address anyone can add without proving it is theirs finds nothing.
    EmailAddress.objects.create(user=me, email="Reader-2@example.com", verified=False)
    Notice.objects.create(user=other, message="Only for reader two")
    for email, subject in [
        ("reader-1@example.com", "My question"),
        ("reader-2@example.com", "Theirs"),
    ]:
        contact_message_create(
            page=None, name="Reader", email=email, subject=subject, message="About a review."
        )

    data, response, _ = download(client, me)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="paddock-data-')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]

    assert data["account"]["email"] == "reader-1@example.com"
    assert data["profile"]["display_name"] == me.profile.display_name
    my_comments = set(Comment.objects.filter(author=me).values_list("pk", flat=True))
    assert my_comments
    assert {c["id"] for c in data["comments"]} == my_comments
    assert len(data["comment_votes"]) == Vote.objects.filter(user=me).count()
    assert len(data["comment_reports"]) == Report.objects.filter(reporter=me).count()
    assert [q["id"] for q in data["quote_requests"]] == [mine.pk]
    assert [m["subject"] for m in data["contact_messages"]] == ["My question"]
    assert {"moderation_notices", "newsletter_subscriptions", "standing"} <= data.keys()

    text = json.dumps(data)
    assert theirs.name not in text
    assert "Only for reader two" not in text
    assert "Theirs" not in text
    # The unverified address shows among the reader's own addresses, and nowhere else.
    assert text.lower().count("reader-2@example.com") == 1
    others = Comment.objects.filter(author=other).values_list("body", flat=True)
    assert not any(body in text for body in others if len(body) > 20)


def test_queries_do_not_grow_with_what_the_reader_wrote(client, demo, monkeypatch):
    # The rate limit's store clears out expired counts at one write in 200, picked at random
    # (three statements with the savepoint around them): not what this test counts.
    monkeypatch.setattr(DatabaseStore, "_maybe_prune", lambda store: None)
    me, other = reader(1), reader(2)
    download(client, me)  # the first request of a session costs its own queries
    before, _, queries_before = download(client, me)
    # Reader two's comments become reader one's: far more to export, at the same cost.
    Comment.objects.filter(author=other).update(author=me)
    after, _, queries_after = download(client, me)
    assert len(after["comments"]) > len(before["comments"]) + 10
    assert queries_after == queries_before
