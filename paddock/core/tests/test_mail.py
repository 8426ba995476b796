"""Templated emails reach a real SMTP server as one message, with their HTML part and headers."""

from __future__ import annotations

import pytest
from django.template import TemplateDoesNotExist

from paddock.core.mail import send_templated, templated_message

TEMPLATES = {
    "mail/lap.txt": "{% autoescape off %}Hello {{ name }}, lap {{ lap }} is in.{% endautoescape %}",
    "mail/lap.html": "<p>Hello {{ name }}, lap <b>{{ lap }}</b> is in.</p>",
}


@pytest.fixture
def mail_templates(settings):
    # Core owns no email of its own: these stand in for an app's templates.
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def test_a_text_email_to_several_is_one_message(smtp_server, mail_templates, settings):
    sent = send_templated(
        subject="Track day “report”",
        template="mail/lap.txt",
        context={"name": "Ann & Bob", "lap": 3},
        to=["ann@example.com", "bob@example.com"],
    )
    assert sent == 1
    [message] = smtp_server.messages
    assert message["Subject"] == "Track day “report”"
    assert message["To"] == "ann@example.com, bob@example.com"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Hello Ann & Bob, lap 3 is in."


def test_an_html_alternative_and_headers(smtp_server, mail_templates):
    send_templated(
        subject="Lap",
        template="mail/lap.txt",
        html_template="mail/lap.html",
        context={"name": "<Ann>", "lap": 4},
        to=["ann@example.com"],
        headers={"Auto-Submitted": "auto-generated"},
    )
    [message] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.strip() == "Hello <Ann>, lap 4 is in."
    assert html.strip() == "<p>Hello &lt;Ann&gt;, lap <b>4</b> is in.</p>"


def test_a_built_message_is_not_sent_until_asked(smtp_server, mail_templates):
    message = templated_message(
        subject="Lap", template="mail/lap.txt", context={"name": "Ann", "lap": 1}, to=["a@b.c"]
    )
    assert smtp_server.messages == []
    assert message.send() == 1
    assert len(smtp_server.messages) == 1


def test_a_missing_template_sends_nothing(smtp_server, mail_templates):
    with pytest.raises(TemplateDoesNotExist):
        send_templated(
            subject="Lap",
            template="mail/lap.txt",
            html_template="mail/gone.html",
            context={},
            to=["a@b.c"],
        )
    assert smtp_server.messages == []
