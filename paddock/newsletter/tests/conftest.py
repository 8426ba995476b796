"""Fixtures for newsletter tests: no minimum time-to-submit, a site with sections, and helpers
to read the links out of received emails."""

from __future__ import annotations

import re

import pytest

from paddock.newsroom.tests.factories import make_section


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 0
    settings.PADDOCK_NEWSLETTER_RATE = 0
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"


@pytest.fixture
def sections(db):
    return {"news": make_section("News"), "reviews": make_section("Reviews")}


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(message, path_part: str) -> str:
    """The first link in a message's text whose path contains `path_part`, as a path."""
    for url in re.findall(r"https?://\S+", text_part(message)):
        if path_part in url:
            return url.replace("http://testserver", "").rstrip(".,)")
    raise AssertionError(f"No {path_part} link in:\n{text_part(message)}")


class _PickyHandler:
    """Accepts mail like the shared SMTP server, but refuses some recipients: `gone` ones for
    good (550), `flaky` ones once (451)."""

    def __init__(self, server) -> None:
        self.server = server
        self.refused_once: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 No such user here"
        if address.startswith("flaky") and address not in self.refused_once:
            self.refused_once.add(address)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.server.deliver(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def picky_smtp_server(smtp_server, settings):
    """The shared SMTP server's settings, pointed at a server that refuses some recipients."""
    from aiosmtpd.controller import Controller

    import conftest as root

    server = root.SMTPServer(host="127.0.0.1", port=root._free_port("127.0.0.1"))
    controller = Controller(
        _PickyHandler(server), hostname=server.host, port=server.port, server_hostname="localhost"
    )
    controller.start()
    settings.EMAIL_PORT = server.port
    try:
        yield server
    finally:
        controller.stop()
