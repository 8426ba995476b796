"""The admin side: editors compose, preview, test, send and schedule special editions, each
send or schedule only after a confirmation naming the edition and its audience, and can cancel
a sending under way; every action is checked on the server, so other roles get 403;
statistics as charts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paddock.newsletter import delivery, services
from paddock.newsletter.models import Delivery, DeliveryStatus, EditionStatus, Subscriber
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


def _confirmation(response) -> str:
    """The signed confirmation a confirmation page hands out."""
    found = re.search(rb'name="confirmation" value="([^"]+)"', response.content)
    assert found, response.content.decode()[:2000]
    return found.group(1).decode()


def _confirm_and_send(client, edition):
    url = reverse("newsletter_admin:send", args=[edition.pk])
    return client.post(url, {"confirmation": _confirmation(client.get(url))})


def _confirm_and_schedule(client, edition, when: str):
    url = reverse("newsletter_admin:schedule", args=[edition.pk])
    page = client.post(url, {"when": when})
    return client.post(url, {"when": when, "confirmation": _confirmation(page)})


def test_editor_previews_tests_and_sends(editor, drain_background_tasks, smtp_server):
    SubscriberFactory.create_batch(3)
    client = _client(editor)
    assert client.get(reverse("wagtailsnippets_newsletter_edition:add")).status_code == 200
    edition = EditionFactory(subject="Motor show special")

    review = client.get(reverse("newsletter_admin:review", args=[edition.pk]))
    assert review.status_code == 200
    assert b"To 3 active subscribers who asked for special editions" in review.content
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

    assert _confirm_and_send(client, edition).status_code == 302
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
    _confirm_and_schedule(client, edition, when.strftime("%Y-%m-%dT%H:%M"))
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
    _confirm_and_schedule(client, edition, when.strftime("%Y-%m-%dT%H:%M"))
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED
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
    for name in ("test", "send", "schedule", "cancel"):
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
    client = _client(editor)
    _confirm_and_send(client, edition)
    response = client.get(reverse("newsletter_admin:review", args=[edition.pk]))
    assert b"Write something in the edition" in response.content
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_sending_takes_a_confirmation_that_names_the_edition_and_its_audience(editor):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(special_editions=False)  # not in a special edition's audience
    edition = EditionFactory(subject="Motor show special")
    client = _client(editor)
    url = reverse("newsletter_admin:send", args=[edition.pk])

    # One click on the old form sends nothing: it answers with the confirmation page.
    one_click = client.post(url)
    assert one_click.status_code == 200
    page = one_click.content.decode()
    assert "Send this edition now?" in page
    assert "“Motor show special”" in page
    assert "<strong>3 subscribers</strong>: active subscribers who asked for special" in page
    assert "Send “Motor show special” to 3 subscribers now" in page
    token = _confirmation(one_click)

    # A forged or stale confirmation sends nothing either.
    assert client.post(url, {"confirmation": token[:-2] + "xx"}).status_code == 200
    SubscriberFactory()  # the audience grows while the editor reads the page
    stale = client.post(url, {"confirmation": token})
    assert stale.status_code == 409
    assert "the audience is now 4 subscriber(s), not 3" in stale.content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert not Delivery.objects.exists()

    # A confirmation for another edition does not send this one.
    other = EditionFactory()
    other_token = _confirmation(client.get(reverse("newsletter_admin:send", args=[other.pk])))
    client.post(url, {"confirmation": other_token})
    assert not Delivery.objects.exists()

    assert client.post(url, {"confirmation": _confirmation(stale)}).status_code == 302
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING
    assert edition.recipients == Delivery.objects.count() == 4


def test_scheduling_takes_a_confirmation_with_the_time(editor):
    SubscriberFactory.create_batch(2)
    edition = EditionFactory(subject="Season preview")
    client = _client(editor)
    url = reverse("newsletter_admin:schedule", args=[edition.pk])
    when = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=9, minute=30)
    page = client.post(url, {"when": when.strftime("%Y-%m-%dT%H:%M")})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Schedule this edition?" in text
    assert "<strong>2 subscribers</strong>" in text
    assert when.strftime("%H:%M") in text
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT

    # The confirmation holds for that time only.
    later = (when + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"when": later, "confirmation": _confirmation(page)})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT

    client.post(url, {"when": when.strftime("%Y-%m-%dT%H:%M"), "confirmation": _confirmation(page)})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED
    assert timezone.localtime(edition.scheduled_for).strftime("%H:%M") == "09:30"


def test_cancelling_stops_what_is_left_and_keeps_what_was_sent(
    editor, drain_background_tasks, picky_smtp_server, settings
):
    settings.PADDOCK_NEWSLETTER_RETRY_BASE_SECONDS = 60
    SubscriberFactory(email="ok@example.com")
    flaky = SubscriberFactory(email="flaky@example.com")  # refused once: waits for a retry
    edition = EditionFactory(subject="Half-way")
    client = _client(editor)
    _confirm_and_send(client, edition)
    drain_background_tasks()
    assert len(picky_smtp_server.messages) == 1
    review = client.get(reverse("newsletter_admin:review", args=[edition.pk]))
    assert b"Cancel the rest of this sending" in review.content

    response = client.post(reverse("newsletter_admin:cancel", args=[edition.pk]), follow=True)
    assert "Cancelled. 1 already sent stay sent; 1 will not be sent." in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.CANCELLED
    assert edition.cancelled_by == editor
    assert Delivery.objects.get(subscriber=flaky).status == DeliveryStatus.CANCELLED

    # The retry comes due: nothing more goes out.
    Delivery.objects.filter(subscriber=flaky).update(not_before=timezone.now())
    delivery.deliver_edition(edition.pk)
    assert len(picky_smtp_server.messages) == 1

    report = client.get(reverse("newsletter_admin:review", args=[edition.pk])).content.decode()
    assert "1 sent before that stay sent, 1 were not sent" in report
    assert '<th scope="row">Not sent (the edition was cancelled)</th><td>1</td>' in report
    assert "Cancel the rest" not in report
    stats = client.get(reverse("newsletter_admin:stats")).content.decode()
    assert "Cancelled · Half-way" in stats
    assert "1 not sent (cancelled)" in stats


def test_a_worker_holding_a_batch_sends_nothing_after_the_cancel(smtp_server):
    SubscriberFactory.create_batch(3)
    edition = EditionFactory()
    services.edition_send(edition=edition)
    batch = delivery._claim(edition.pk, "worker-1")
    assert len(batch) == 3
    services.edition_cancel(edition=edition)
    renderer = delivery.EditionRenderer(edition)
    report = delivery.Report()
    from django.core.mail import get_connection

    delivery._send_batch(batch, "worker-1", renderer, get_connection(), delivery._Pacer(0), report)
    assert smtp_server.messages == []
    assert report.sent == 0
    assert Delivery.objects.filter(status=DeliveryStatus.CANCELLED).count() == 3


def test_only_a_sending_edition_can_be_cancelled(editor):
    edition = EditionFactory()
    response = _client(editor).post(
        reverse("newsletter_admin:cancel", args=[edition.pk]), follow=True
    )
    assert b"Only an edition that is still sending can be cancelled" in response.content
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
