"""The honeypot and the minimum time on public forms: comments, reports, sign-up, sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from paddock.accounts.tests.factories import READER_PASSWORD, ReaderFactory
from paddock.comments.models import Comment, Report
from paddock.core.tests.stamps import stamp_for
from paddock.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def shown_ago(client, seconds: float, form: str = "comment") -> str:
    return stamp_for(client, form, ago=seconds)


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
    response = post_comment(client, article, started=shown_ago(client, 5))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def signed_long_ago(client, days: float) -> str:
    return stamp_for(client, "comment", ago=days * 86400)


@pytest.mark.parametrize(
    "make_extra, message",
    [
        (lambda c: {"started": shown_ago(c, 5), "website": "http://spam.example"}, "catch robots"),
        (lambda c: {"started": shown_ago(c, 0.5)}, "That was quick!"),
        (lambda c: {}, "expired"),
        (lambda c: {"started": "12345.0"}, "expired"),  # not signed by us
        (lambda c: {"started": signed_long_ago(c, 8)}, "expired"),
    ],
)
def test_robot_like_comments_are_refused_and_the_text_kept(client, article, make_extra, message):
    client.force_login(ReaderFactory())
    response = post_comment(client, article, **make_extra(client))
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
    stamp = shown_ago(client, 5, form="report")
    refused = client.post(url, {"reason": "spam", "website": "x", "started": stamp})
    assert refused.status_code == 400 and not Report.objects.exists()
    accepted = client.post(url, {"reason": "spam", "started": shown_ago(client, 5, "report")})
    assert accepted.status_code == 200 and Report.objects.count() == 1


def test_signup_with_the_honeypot_filled_creates_nobody(client):
    data = {
        "display_name": "Robo Signup",
        "email": "robo@example.com",
        "password1": "Horse-Battery-Staple-77",
        "password2": "Horse-Battery-Staple-77",
        "website": "http://spam.example",
        "started": shown_ago(client, 10, "signup"),
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "catch robots" in response.content.decode()
    assert not get_user_model().objects.filter(email="robo@example.com").exists()
    data.pop("website")
    data["started"] = shown_ago(client, 10, "signup")
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert get_user_model().objects.filter(email="robo@example.com").exists()


def test_sign_in_allows_a_password_manager_but_not_an_instant_script(client):
    reader = ReaderFactory()
    data = {"login": reader.email, "password": READER_PASSWORD}
    instant_stamp = shown_ago(client, 0, "login")
    instant = client.post(reverse("account_login"), {**data, "started": instant_stamp})
    assert instant.status_code == 200 and "That was quick!" in instant.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("account_login"), {**data, "started": shown_ago(client, 1.5, "login")}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)
