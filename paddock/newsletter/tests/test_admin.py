"""The admin side: editors compose, preview, test, send and schedule special editions; every
action is checked on the server, so other roles get 403; statistics as charts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paddock.newsletter import services
from paddock.newsletter.models import Delivery, EditionStatus, Subscriber
from paddock.newsroom.tests.factories import UserFactory

from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What Editors and Administrators need for the newsletter (the roles module grants them).
EDITOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "newsletter.add_edition",
    "newsletter.change_edition",
    "newsletter.view_edition",
    "newsletter.send_edition",
    "newsletter.view_subscriber",
]


def member_of(name: str, codenames: list[str]):
    group, _ = Group.objects.get_or_create(name=name)
    for code in codenames:
        app_label, codename = code.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def editor():
    return member_of("Newsletter editors", EDITOR_PERMISSIONS)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_editor_previews_tests_and_sends(editor, drain_background_tasks, smtp_server):
    SubscriberFactory.create_batch(3)
    client = _client(editor)
    assert client.get(reverse("wagtailsnippets_newsletter_edition:add")).status_code == 200
    edition = EditionFactory(subject="Motor show special")

    review = client.get(reverse("newsletter_admin:review", args=[edition.pk]))
    assert review.status_code == 200
    assert b"Send to 3 subscribers now" in review.content
    email = client.get(reverse("newsletter_admin:email", args=[edition.pk]))
    assert b"Motor show special" in email.content
    assert email["Content-Security-Policy"] == "script-src 'none'"

    test = client.post(
        reverse("newsletter_admin:test", args=[edition.pk]), {"email": "me@example.com"}
    )
    assert test.status_code == 302
    drain_background_tasks()
    [copy] = smtp_server.messages
    assert copy["Subject"] == "[Test] Motor show special"
    assert Subscriber.objects.count() == 3  # the test touched no subscriber

    client.post(reverse("newsletter_admin:send", args=[edition.pk]))
    drain_background_tasks()
    assert len(smtp_server.messages) == 4
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT

    # A sent edition is read-only: its edit page shows the report instead.
    edit = client.get(reverse("wagtailsnippets_newsletter_edition:edit", args=[edition.pk]))
    assert edit.status_code == 302
    assert edit["Location"] == reverse("newsletter_admin:review", args=[edition.pk])
    report = client.get(edit["Location"])
    assert b'<th scope="row">Sent</th><td>3</td>' in report.content


def test_schedule_then_start_when_due(editor):
    SubscriberFactory()
    edition = EditionFactory()
    client = _client(editor)
    url = reverse("newsletter_admin:schedule", args=[edition.pk])
    past = client.post(url, {"when": "2001-01-01T10:00"})
    assert past.status_code == 400
    assert b"Choose a time in the future" in past.content
    when = timezone.localtime() + dt.timedelta(hours=2)
    client.post(url, {"when": when.strftime("%Y-%m-%dT%H:%M")})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED
    assert services.editions_start_scheduled() == []
    started = services.editions_start_scheduled(now=when + dt.timedelta(minutes=1))
    assert [e.pk for e in started] == [edition.pk]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING
    assert Delivery.objects.filter(edition=edition).count() == 1


def test_unschedule(editor):
    edition = EditionFactory()
    client = _client(editor)
    when = timezone.localtime() + dt.timedelta(days=1)
    client.post(
        reverse("newsletter_admin:schedule", args=[edition.pk]),
        {"when": when.strftime("%Y-%m-%dT%H:%M")},
    )
    client.post(reverse("newsletter_admin:schedule", args=[edition.pk]), {"unschedule": "1"})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


@pytest.mark.parametrize("role", ["Contributors", "Moderators"])
def test_other_roles_get_403_on_every_action(role):
    user = member_of(role, ["wagtailadmin.access_admin"])
    SubscriberFactory()
    edition = EditionFactory()
    client = _client(user)
    for name in ("review", "email"):
        assert client.get(reverse(f"newsletter_admin:{name}", args=[edition.pk])).status_code == 403
    for name in ("test", "send", "schedule"):
        url = reverse(f"newsletter_admin:{name}", args=[edition.pk])
        assert client.post(url, {"email": "x@example.com"}).status_code == 403
    assert client.get(reverse("newsletter_admin:stats")).status_code == 403
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert not Delivery.objects.exists()


def test_a_reader_without_admin_access_cannot_send():
    reader = UserFactory()
    edition = EditionFactory()
    response = _client(reader).post(reverse("newsletter_admin:send", args=[edition.pk]))
    assert response.status_code in (302, 403)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_viewer_without_send_permission_sees_but_cannot_send():
    viewer = member_of("Viewers", ["wagtailadmin.access_admin", "newsletter.view_edition"])
    edition = EditionFactory()
    client = _client(viewer)
    page = client.get(reverse("newsletter_admin:review", args=[edition.pk]))
    assert page.status_code == 200
    assert b"Only editors can send" in page.content
    assert client.post(reverse("newsletter_admin:send", args=[edition.pk])).status_code == 403
    with pytest.raises(services.NewsletterError):
        services.edition_send(edition=edition, user=viewer)


def test_empty_edition_is_not_sent(editor):
    edition = EditionFactory(body="")
    response = _client(editor).post(
        reverse("newsletter_admin:send", args=[edition.pk]), follow=True
    )
    assert b"Write something in the edition" in response.content
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
