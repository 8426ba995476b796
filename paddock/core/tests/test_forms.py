"""The honeypot and the minimum time on public forms: comments, reports, sign-up, sign-in."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory
from paddock.comments.models import Comment, Report
from paddock.core.forms import SALT, form_started
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def shown_ago(seconds: float) -> str:
    return signing.dumps(time.time() - seconds, salt=SALT)


@pytest.fixture(autouse=True)
def people_take_time(settings):
    settings.PADDOCK_FORM_MIN_SECONDS = 3


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


def post_comment(client, article, **extra):
    data = {"body": "A considered comment.", **extra}
    return client.post(reverse("comments:post", args=[article.pk]), data)


def test_a_comment_sent_after_a_human_pause_goes_through(client, article):
    client.force_login(ReaderFactory())
    response = post_comment(client, article, started=shown_ago(5))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def signed_long_ago(days: float, monkeypatch) -> str:
    then = time.time() - days * 86400
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: then)
        return signing.dumps(then, salt=SALT)


@pytest.mark.parametrize(
    "make_extra, message",
    [
        (lambda mp: {"started": shown_ago(5), "website": "http://spam.example"}, "catch robots"),
        (lambda mp: {"started": shown_ago(0.5)}, "That was quick!"),
        (lambda mp: {}, "expired"),
        (lambda mp: {"started": "12345.0"}, "expired"),  # not signed by us
        (lambda mp: {"started": signed_long_ago(8, mp)}, "expired"),
    ],
)
def test_robot_like_comments_are_refused_and_the_text_kept(
    client, article, monkeypatch, make_extra, message
):
    client.force_login(ReaderFactory())
    response = post_comment(client, article, **make_extra(monkeypatch))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "A considered comment." in html  # the reader's text is kept in the form
    assert not Comment.objects.exists()
    # The form comes back with a fresh stamp, so a person can send it again after a moment.
    assert 'name="started"' in html


def test_the_rendered_forms_carry_the_stamp_and_a_hidden_honeypot(client, article):
    client.force_login(ReaderFactory())
    html = client.get(article.url).content.decode()
    assert 'class="honeypot" aria-hidden="true"' in html
    assert 'name="website"' in html and 'name="started"' in html


def test_reports_are_checked_too(client, article):
    from paddock.comments.services import comment_create

    comment = comment_create(user=ReaderFactory(), article_id=article.pk, body="Hot take")
    client.force_login(ReaderFactory())
    url = reverse("comments:report", args=[comment.pk])
    refused = client.post(url, {"reason": "spam", "website": "x", "started": shown_ago(5)})
    assert refused.status_code == 400 and not Report.objects.exists()
    accepted = client.post(url, {"reason": "spam", "started": shown_ago(5)})
    assert accepted.status_code == 200 and Report.objects.count() == 1


def test_signup_with_the_honeypot_filled_creates_nobody(client):
    data = {
        "display_name": "Robo Signup",
        "email": "robo@example.com",
        "password1": "Horse-Battery-Staple-77",
        "password2": "Horse-Battery-Staple-77",
        "website": "http://spam.example",
        "started": shown_ago(10),
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "catch robots" in response.content.decode()
    assert not get_user_model().objects.filter(email="robo@example.com").exists()
    data.pop("website")
    data["started"] = shown_ago(10)
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert get_user_model().objects.filter(email="robo@example.com").exists()


def test_sign_in_allows_a_password_manager_but_not_an_instant_script(client):
    reader = ReaderFactory()
    data = {"login": reader.email, "password": READER_PASSWORD}
    instant = client.post(reverse("account_login"), {**data, "started": form_started()})
    assert instant.status_code == 200 and "That was quick!" in instant.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {**data, "started": shown_ago(1.5)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)
