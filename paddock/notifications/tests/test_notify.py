"""Who is told what: replies, mentions, featured comments and moderation notices become
notifications, once, and never for what others cannot see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.core.roles import EDITORS, MODERATORS
from paddock.moderation.actions import (
    CommentDecideAction,
    CommentFeatureAction,
    ReaderSanctionAction,
)
from paddock.moderation.models import Notice
from paddock.newsroom.tests.factories import make_article
from paddock.notifications.models import Notification

pytestmark = pytest.mark.django_db


def told(user) -> list[tuple[str, int | None]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "comment_id")
    )


def mention_link(user) -> str:
    return f'<a href="/readers/{user.profile.pk}/" class="mention"'


def test_a_visible_reply_tells_the_parents_author_once(post, ana, bob):
    first = post(ana, "The plant closing is the real story.")
    reply = post(bob, "It moved, it did not close.", parent=first)
    assert told(ana) == [("reply", reply.pk)]
    notification = Notification.objects.get(recipient=ana)
    assert (notification.actor, notification.article_id) == (bob, first.article_id)
    post(ana, "Replying to myself tells nobody.", parent=first)
    assert told(ana) == [("reply", reply.pk)] and told(bob) == []


def test_a_held_reply_tells_once_a_moderator_lets_it_through(post, ana, bob, holding_links):
    first = post(ana, "No link here.")
    reply = post(bob, "See https://example.com/plant", parent=first)
    assert reply.status == Comment.Status.PENDING
    assert told(ana) == []
    assert told(bob) == [("moderation", reply.pk)]  # the author's notice, mirrored

    moderator = ReaderFactory(groups=[MODERATORS])
    CommentDecideAction([reply.pk], decision="approve", user=moderator).execute()
    assert told(ana) == [("reply", reply.pk)]
    # Each notice about the comment is listed: held, then published.
    assert told(bob) == [("moderation", reply.pk), ("moderation", reply.pk)]
    assert Notice.objects.filter(user=bob).count() == 2


def test_a_rejected_reply_tells_nobody(post, ana, bob, holding_links):
    first = post(ana, "No link here.")
    reply = post(bob, "See https://example.com/plant", parent=first)
    moderator = ReaderFactory(groups=[MODERATORS])
    CommentDecideAction([reply.pk], decision="reject", reason="Spam", user=moderator).execute()
    assert told(ana) == []


def test_a_mention_links_to_the_profile_and_tells_the_reader_once(post, ana, bob, cy):
    post(ana, "First.")
    post(cy, "Second.")
    comment = post(bob, "@Ana Berg is right, and @ana berg again; @Cy Long-Name too.")
    assert comment.body_html.count(mention_link(ana)) == 2
    assert mention_link(cy) in comment.body_html
    assert ">@Ana Berg</a> is right" in comment.body_html
    assert comment.status == Comment.Status.PUBLISHED  # mentions are no links out
    assert told(ana) == [("mention", comment.pk)]
    assert told(cy) == [("mention", comment.pk)]
    # Its page shows the link to the profile.
    assert ana.profile.get_absolute_url() == f"/readers/{ana.profile.pk}/"


def test_only_readers_of_the_discussion_can_be_mentioned(post, article, ana, bob):
    elsewhere = make_article(article.get_parent().specific, title="Another story")
    post(ana, "I comment elsewhere.", on=elsewhere)
    comment = post(bob, "Hello @Ana Berg")
    assert "mention" not in comment.body_html and told(ana) == []


def test_the_longest_name_wins_and_words_must_end(post, bob):
    anna = ReaderFactory(display_name="Anna")
    anna_lee = ReaderFactory(display_name="Anna Lee")
    post(anna, "Hi.")
    post(anna_lee, "Hello.")
    comment = post(bob, "@Anna Lee and @Anna, not @Annabel nor anna@example.com")
    assert comment.body_html.count('class="mention"') == 2
    assert ">@Anna Lee</a> and " in comment.body_html and ">@Anna</a>, not" in comment.body_html
    assert told(anna) == [("mention", comment.pk)] and told(anna_lee) == [("mention", comment.pk)]


def test_a_self_mention_links_but_does_not_notify(post, bob):
    post(bob, "Earlier.")
    comment = post(bob, "As @Bob said earlier…")
    assert mention_link(bob) in comment.body_html
    assert told(bob) == []


def test_the_replied_to_reader_mentioned_too_is_told_once(post, ana, bob):
    first = post(ana, "First.")
    reply = post(bob, "@Ana Berg, no.", parent=first)
    assert told(ana) == [("reply", reply.pk)]


def test_mentions_in_code_links_and_escaped_html_are_not_mentions(post, ana, bob):
    post(ana, "First.")
    comment = post(
        bob,
        "`@Ana Berg` [@Ana Berg](https://example.com/) "
        '<a class="mention" href="/readers/1/">Ana</a> [x](/readers/1/)',
    )
    assert '<a href="/readers/' not in comment.body_html  # a reader's relative link is dropped
    assert 'class="mention" rel=' not in comment.body_html
    assert "&lt;a class=" in comment.body_html  # typed HTML shows as text
    assert told(ana) == []


def test_a_shadow_banned_or_held_author_mentions_nobody(post, ana, bob, holding_links):
    post(ana, "First.")
    held = post(bob, "@Ana Berg look: https://example.com")
    assert held.status == Comment.Status.PENDING and told(ana) == []

    moderator = ReaderFactory(groups=[MODERATORS])
    ReaderSanctionAction(bob.pk, sanction="shadow_ban", reason="Trolling", user=moderator).execute()
    shadowed = post(bob, "@Ana Berg again")
    assert shadowed.shadowed and told(ana) == []
    # Let through later while shadow-banned: still nobody is told.
    CommentDecideAction([held.pk], decision="approve", user=moderator).execute()
    assert told(ana) == []


def test_an_author_suspended_before_approval_tells_nobody(post, ana, bob, holding_links):
    first = post(ana, "First.")
    held = post(bob, "@Ana Berg look: https://example.com", parent=first)
    moderator = ReaderFactory(groups=[MODERATORS])
    until = timezone.now() + dt.timedelta(days=3)
    ReaderSanctionAction(
        bob.pk, sanction="suspend", until=until, reason="x", user=moderator
    ).execute()
    CommentDecideAction([held.pk], decision="approve", user=moderator).execute()
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PUBLISHED
    assert told(ana) == []


def test_featuring_tells_the_author_once_and_unfeaturing_quietly(post, ana):
    comment = post(ana, "Plants follow buyers.")
    editor = ReaderFactory(groups=[EDITORS])
    CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    CommentFeatureAction(comment.pk, featured=False, user=editor).execute()
    CommentFeatureAction(comment.pk, featured=True, user=editor).execute()
    assert told(ana) == [("featured", comment.pk)]
    assert Notification.objects.get(recipient=ana).actor == editor


def test_an_edit_keeps_mentions_linked(post, ana, bob):
    post(ana, "First.")
    comment = post(bob, "Hello.")
    edited = comments.comment_edit(user=bob, comment_id=comment.pk, body="Hello @Ana Berg")
    assert mention_link(ana) in edited.body_html


def test_notifications_roll_back_with_the_comment(article, ana, bob):
    first = comments.comment_create(user=ana, article_id=article.pk, body="First.")
    with pytest.raises(RuntimeError), transaction.atomic():
        comments.comment_create(
            user=bob, article_id=article.pk, body="@Ana Berg hi", parent_id=first.pk
        )
        raise RuntimeError
    assert told(ana) == []


def test_a_readers_download_holds_what_they_were_told(post, ana, bob):
    from paddock.accounts.personal_data import sections

    first = post(ana, "First.")
    reply = post(bob, "A reply.", parent=first)
    told_ana = list(sections(ana)["notifications"])
    assert [(n["kind"], n["comment_id"]) for n in told_ana] == [("reply", reply.pk)]
    assert "actor_id" not in told_ana[0]
    assert list(sections(bob)["notifications"]) == []
