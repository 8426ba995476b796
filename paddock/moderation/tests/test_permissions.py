"""Every role against every moderation action, through the real views: allowed ones succeed,
the rest are refused (403, or the sign-in page for anonymous visitors) and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.models import Comment
from paddock.moderation.models import AuditEntry, BannedTerm, ModerationPolicy, ReaderStanding

ROLES = ["anonymous", "reader", "contributor", "editor", "moderator", "administrator"]
MODERATORS_AND_UP = {"moderator", "administrator"}
EDITORS_AND_UP = {"editor", "administrator"}
WAGTAIL_VIEWS = {"edit_policy", "add_banned_term"}
ACTIONS = {
    # action: roles allowed
    "view_queue": MODERATORS_AND_UP,
    "approve": MODERATORS_AND_UP,
    "reject": MODERATORS_AND_UP,
    "spam": MODERATORS_AND_UP,
    "bulk_approve": MODERATORS_AND_UP,
    "edit_comment": MODERATORS_AND_UP,
    "view_comment": MODERATORS_AND_UP,
    "view_reader": MODERATORS_AND_UP,
    "suspend": MODERATORS_AND_UP,
    "ban": MODERATORS_AND_UP,
    "shadow_ban": MODERATORS_AND_UP,
    "view_audit": MODERATORS_AND_UP,
    "export_audit": MODERATORS_AND_UP,
    "dashboard": MODERATORS_AND_UP,
    "close_comments": EDITORS_AND_UP,
    "edit_policy": {"administrator"},
    "add_banned_term": {"administrator"},
}


@pytest.fixture
def world(article, post):
    author = ReaderFactory(display_name="Author")
    comments = []
    for i in range(2):
        comment = post(author, f"Held comment {i}")
        Comment.objects.filter(pk=comment.pk).update(status="pending")
        comments.append(comment)
    return {"author": author, "comments": comments, "article": article}


def snapshot(world) -> dict:
    article = world["article"]
    article.refresh_from_db()
    policy = ModerationPolicy.load()
    return {
        "statuses": list(Comment.objects.order_by("pk").values_list("status", "body")),
        "standing": list(ReaderStanding.objects.values_list("banned", "shadow_banned")),
        "suspended": list(ReaderStanding.objects.values_list("suspended_until", flat=True)),
        "closed": article.comments_closed,
        "policy": (policy.report_threshold, policy.max_links),
        "terms": BannedTerm.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def perform(client, action: str, world):
    comment = world["comments"][0]
    both = [c.pk for c in world["comments"]]
    author = world["author"]
    queue = reverse("moderation_admin:queue")
    decide = reverse("moderation_admin:decide")
    reader_url = reverse("moderation_admin:reader", args=[author.pk])
    until = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    requests = {
        "view_queue": ("get", queue, None),
        "approve": ("post", decide, {"action": "approve", "comments": [comment.pk]}),
        "reject": ("post", decide, {"action": "reject", "comments": [comment.pk], "reason": "R"}),
        "spam": ("post", decide, {"action": "spam", "comments": [comment.pk]}),
        "bulk_approve": ("post", decide, {"action": "approve", "comments": both}),
        "edit_comment": (
            "post",
            reverse("moderation_admin:comment", args=[comment.pk]),
            {"body": "Edited text", "reason": "typo"},
        ),
        "view_comment": ("get", reverse("moderation_admin:comment", args=[comment.pk]), None),
        "view_reader": ("get", reader_url, None),
        "suspend": ("post", reader_url, {"action": "suspend", "until": until, "reason": "Heat"}),
        "ban": ("post", reader_url, {"action": "ban", "reason": "Abuse"}),
        "shadow_ban": ("post", reader_url, {"action": "shadow_ban", "reason": "Troll"}),
        "view_audit": ("get", reverse("moderation_admin:audit"), None),
        "export_audit": ("get", reverse("moderation_admin:audit_csv"), None),
        "dashboard": ("get", reverse("moderation_admin:dashboard"), None),
        "close_comments": (
            "post",
            reverse("moderation_admin:discussions"),
            {"article": world["article"].pk, "closed": "1"},
        ),
        "edit_policy": (
            "post",
            reverse(
                "wagtailsettings:edit",
                args=["moderation", "moderationpolicy", ModerationPolicy.load().pk],
            ),
            {
                "premoderate_first": 1,
                "max_links": 5,
                "report_threshold": 7,
                "hold_score": 0.5,
                "reject_score": 0.9,
                "velocity_limit": 5,
                "purge_spam_after_days": 30,
            },
        ),
        "add_banned_term": (
            "post",
            reverse("wagtailsnippets_moderation_bannedterm:add"),
            {"phrase": "dimwit", "action": "hold"},
        ),
    }
    method, url, data = requests[action]
    return getattr(client, method)(url, data) if data is not None else client.get(url)


def succeeded(action: str, response, before: dict, after: dict) -> bool:
    if response.request["REQUEST_METHOD"] == "GET":
        return response.status_code == 200
    return response.status_code in (200, 302) and after != before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action_matrix(client, role_user, world, role, action):
    user = role_user(role)
    if user is not None:
        client.force_login(user)
    before = snapshot(world)
    response = perform(client, action, world)
    after = snapshot(world)
    if role in ACTIONS[action]:
        assert succeeded(action, response, before, after), (role, action, response.status_code)
        # Every change leaves an audit entry, the policy's and banned terms' too (their
        # Wagtail views save through moderation's actions).
        if response.request["REQUEST_METHOD"] == "POST":
            assert after["audit"] > before["audit"]
    else:
        if user is None:
            assert response.status_code == 302
            assert "/login/" in response["Location"]
        elif action in WAGTAIL_VIEWS:
            # Wagtail's own editing views refuse with a redirect (to the admin's home, or its
            # sign-in page for people without admin access) and a message.
            assert response.status_code == 302, (role, action, response.status_code)
            assert "login" in response["Location"] or response["Location"] == "/admin/"
        else:
            assert response.status_code == 403, (role, action, response.status_code)
        assert after == before, (role, action)
