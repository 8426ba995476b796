"""The Akismet client against a local HTTP server that speaks Akismet's protocol."""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from paddock.comments.models import Comment
from paddock.moderation import akismet

KEY = "abc123def456"


class FakeAkismet(BaseHTTPRequestHandler):
    """Answers as rest.akismet.com/1.1 does: comment-check says "true" for spam (with the
    "discard" pro tip when blatant), "false" for ham, "invalid" for a bad key."""

    calls: list[tuple[str, dict]] = []

    def do_POST(self):  # noqa: N802 - the name http.server calls
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        method = self.path.rsplit("/", 1)[-1]
        type(self).calls.append((method, form))
        headers = {}
        if form.get("api_key") != KEY:
            body = "invalid"
            headers["X-akismet-debug-help"] = "We were unable to parse your blog URI"
        elif method == "comment-check":
            content = form.get("comment_content", "")
            if "viagra-test-123" in content:
                body, headers["X-akismet-pro-tip"] = "true", "discard"
            elif "cheap replica" in content:
                body = "true"
            else:
                body = "false"
        elif method in ("submit-spam", "submit-ham"):
            body = "Thanks for making the web a better place."
        elif method == "verify-key":
            body = "valid"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def akismet_server(settings):
    FakeAkismet.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AKISMET_API_KEY = KEY
    settings.AKISMET_URL = f"http://127.0.0.1:{server.server_address[1]}/1.1/"
    yield FakeAkismet
    server.shutdown()
    server.server_close()


pytestmark = pytest.mark.django_db


def test_ham_goes_through_and_akismet_saw_the_comment(akismet_server, post, reader):
    comment = post(reader, "A thoughtful note on plant capacity.", ip_address="203.0.113.9")
    assert comment.status == Comment.Status.PUBLISHED
    method, form = akismet_server.calls[0]
    assert method == "comment-check"
    assert form["comment_content"] == "A thoughtful note on plant capacity."
    assert form["user_ip"] == "203.0.113.9"
    assert form["comment_type"] == "comment"
    assert form["comment_author"] == "Ana Reader"
    assert form["blog"].startswith("http")


def test_spam_is_held_and_blatant_spam_is_filed_as_spam(akismet_server, post, reader, policy):
    policy.hold_score, policy.reject_score = 0.5, 0.9
    policy.save()
    spam = post(reader, "Get a cheap replica watch today")
    assert spam.status == Comment.Status.PENDING
    assert "Akismet: spam" in spam.flags
    blatant = post(reader, "viagra-test-123 obviously")
    assert blatant.status == Comment.Status.SPAM
    assert "Akismet: blatant spam" in blatant.flags


def test_a_bad_key_or_no_server_leaves_comments_to_the_other_scorers(
    akismet_server, settings, post, reader
):
    settings.AKISMET_API_KEY = "wrong"
    assert post(reader, "cheap replica, but the key is wrong").status == "published"
    settings.AKISMET_API_KEY = KEY
    settings.AKISMET_URL = "http://127.0.0.1:9/1.1/"  # nothing listens on the discard port
    assert post(reader, "cheap replica, but nobody answers").status == "published"


def test_without_a_key_akismet_is_never_called(akismet_server, settings, post, reader):
    settings.AKISMET_API_KEY = ""
    post(reader, "cheap replica")
    assert akismet_server.calls == []


def test_key_verification(akismet_server, settings):
    assert akismet.verify_key()
    settings.AKISMET_API_KEY = "wrong"
    assert not akismet.verify_key()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderators_verdicts_are_sent_back_to_akismet(
    akismet_server, post, reader, moderator, drain_background_tasks
):
    from paddock.moderation.actions import CommentDecideAction

    missed = post(reader, "Friendly-looking text that was actually spam.")
    held = post(reader, "Get a cheap replica watch today")
    CommentDecideAction([missed.pk], decision="spam", user=moderator).execute()
    CommentDecideAction([held.pk], decision="approve", user=moderator).execute()
    drain_background_tasks()
    sent = [(method, form["comment_content"]) for method, form in akismet_server.calls]
    assert ("submit-spam", "Friendly-looking text that was actually spam.") in sent
    assert ("submit-ham", "Get a cheap replica watch today") in sent
