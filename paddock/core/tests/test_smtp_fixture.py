"""The smtp_server fixture receives what Django's SMTP backend sends."""

from django.core.mail import send_mail


def test_smtp_server_receives_mail_sent_by_django(smtp_server):
    sent = send_mail(
        "Track day report",
        "Lap times are in.",
        "news@example.com",
        ["reader@example.com"],
    )

    assert sent == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Track day report"
    assert message["To"] == "reader@example.com"
    assert message["From"] == "news@example.com"
    assert message.get_content().strip() == "Lap times are in."
