"""The contact form of a standard page: from the cached page to the editors' inbox and mailbox,
its mistakes, its rate limit, and who may read the inbox."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from paddock.accounts.tests.factories import ReaderFactory
from paddock.core import ratelimit
from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS
from paddock.newsroom.tests.factories import site_tree
from paddock.pages import services
from paddock.pages.models import ContactMessage

MESSAGE = {
    "name": "Ines Ortega",
    "email": "ines@example.com",
    "subject": "A wrong price in the Fjell review",
    "message": "The base price is $41,900, not $14,900.\nThanks for the review!",
}


@pytest.fixture
def contact_page(db):
    page, _ = services.standard_page_create(
        parent=site_tree(),
        title="Contact the editors",
        slug="contact",
        body="<p>Write to us.</p>",
        show_contact_form=True,
        publish=True,
    )
    return page


def send_url(page) -> str:
    return reverse("pages:contact_send", kwargs={"page_id": page.pk})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_from_the_cached_page_reaches_the_inbox_and_the_editors(
    contact_page, smtp_server, drain_background_tasks
):
    editor = ReaderFactory(username="editor", email="editor@example.com", groups=[EDITORS])
    ReaderFactory(username="writer", email="writer@example.com", groups=[CONTRIBUTORS])
    # The page is shared by every anonymous visitor: its form holds no token and no stamp of
    # its own, which the browser fetches (static/js/csrf.js), as this client does.
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get("/contact/").headers.get("X-Page-Cache") != "HIT"
    page = visitor.get("/contact/")
    html = page.content.decode()
    assert page.headers["X-Page-Cache"] == "HIT"
    assert 'value="" data-csrf-fill' in html and 'data-stamp-fill="contact"' in html
    fill = visitor.get("/csrf/?form=contact").json()
    response = visitor.post(
        send_url(contact_page),
        {**MESSAGE, "csrfmiddlewaretoken": fill["token"], "started": fill["stamps"]["contact"]},
    )
    assert response.status_code == 302
    answer = visitor.get(response["Location"])
    assert answer.status_code == 200
    assert "Your message is with the editors" in answer.content.decode()
    assert "ines@example.com" in answer.content.decode()

    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject, stored.page_id) == (
        "Ines Ortega",
        "ines@example.com",
        MESSAGE["subject"],
        contact_page.pk,
    )
    assert stored.message == MESSAGE["message"] and stored.ip_address == "127.0.0.1"

    drain_background_tasks()
    [mail] = smtp_server.messages
    assert mail["To"] == editor.email
    assert mail["Reply-To"] == "ines@example.com"
    assert MESSAGE["subject"] in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "$41,900, not $14,900" in body
    assert reverse("pages_admin:message", args=[stored.pk]) in body


def test_mistakes_come_back_with_the_errors_and_what_was_typed(client, contact_page):
    response = client.post(
        send_url(contact_page),
        {"name": "Ines <b>Ortega</b>", "email": "ines@", "subject": "", "message": "Hello"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a complete email address" in html
    assert "Give your message a subject." in html
    assert 'value="Ines &lt;b&gt;Ortega&lt;/b&gt;"' in html and ">\nHello</textarea>" in html
    assert "Your message was not sent yet" in html
    # A robot filling the hidden field is refused too; nothing was stored either time.
    response = client.post(send_url(contact_page), {**MESSAGE, "website": "http://spam"})
    assert "Leave the hidden field empty" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_only_pages_with_the_form_take_messages(client, contact_page):
    other, _ = services.standard_page_create(
        parent=site_tree(), title="About", slug="about", publish=True
    )
    assert client.post(send_url(other), MESSAGE).status_code == 404
    assert "contact-form" not in client.get("/about/").content.decode()
    assert client.get(send_url(contact_page)).status_code == 405


def test_a_stranger_sending_too_many_gets_429(client, contact_page, monkeypatch):
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    statuses = [client.post(send_url(contact_page), MESSAGE).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert ContactMessage.objects.count() == 5


def test_editors_read_the_inbox_and_mark_messages_handled_and_no_one_else(contact_page):
    stored = services.contact_message_create(page=contact_page, **MESSAGE)
    urls = [reverse("pages_admin:inbox"), reverse("pages_admin:message", args=[stored.pk])]
    handled = reverse("pages_admin:handled", args=[stored.pk])

    reader, moderator = Client(), Client()
    reader.force_login(ReaderFactory())
    moderator.force_login(ReaderFactory(groups=[MODERATORS]))
    for url in urls:
        assert reader.get(url).status_code == 302  # no admin at all: to the admin's sign-in
        refused = moderator.get(url)
        assert refused.status_code == 403 and "Ines" not in refused.content.decode()
    assert reader.post(handled).status_code == 302
    assert moderator.post(handled).status_code == 403
    stored.refresh_from_db()
    assert stored.handled_at is None

    user = ReaderFactory(groups=[EDITORS])
    editor = Client()
    editor.force_login(user)
    inbox = editor.get(urls[0]).content.decode()
    assert MESSAGE["subject"] in inbox and "1 waiting" in inbox
    assert "Contact messages" in editor.get(reverse("wagtailadmin_home")).content.decode()
    read = editor.get(urls[1]).content.decode()
    assert "$41,900, not $14,900" in read and "Mark as handled" in read
    assert editor.post(handled, {"handled": "1"}).status_code == 302
    stored.refresh_from_db()
    assert stored.handled_by == user and stored.handled_at is not None
    assert MESSAGE["subject"] not in editor.get(urls[0]).content.decode()
    assert MESSAGE["subject"] in editor.get(urls[0] + "?show=handled").content.decode()


def test_without_javascript_the_first_post_comes_back_to_confirm_and_the_second_is_stored(
    contact_page,
):
    # The cached page's form has no token (csrf.js fills it in); without JavaScript the post
    # comes back once, filled in and with a token, for one confirming click.
    browser = Client(enforce_csrf_checks=True)
    html = browser.get("/contact/").content.decode()
    stamp = html.split('name="started" value="')[1].split('"')[0]
    first = browser.post(send_url(contact_page), {**MESSAGE, "started": stamp})
    assert first.status_code == 403
    page = first.content.decode()
    assert "Send it again" in page and "$41,900, not $14,900" in page
    assert not ContactMessage.objects.exists()
    resend = {
        name: page.split(f'name="{name}" value="')[1].split('"')[0]
        for name in ("csrfmiddlewaretoken", "started")
    }
    second = browser.post(send_url(contact_page), {**MESSAGE, **resend})
    assert second.status_code == 302
    assert ContactMessage.objects.get().email == "ines@example.com"


def test_the_same_message_sent_twice_is_stored_once_and_answered_alike(client, contact_page):
    stamp = client.get("/csrf/?form=contact").json()["stamps"]["contact"]
    data = {**MESSAGE, "started": stamp}
    first = client.post(send_url(contact_page), data)
    again = client.post(send_url(contact_page), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert ContactMessage.objects.count() == 1
