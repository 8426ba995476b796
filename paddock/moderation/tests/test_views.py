"""The moderators' pages: the queue and its filters, context, the audit log and its CSV, the
dashboard, and readers' notices."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments import services as comments
from paddock.comments.models import Comment
from paddock.moderation.actions import CommentDecideAction, ReaderSanctionAction
from paddock.moderation.models import AuditEntry, QueueSnapshot
from paddock.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation_admin:queue")


def hold(comment, reason="Held."):
    Comment.objects.filter(pk=comment.pk).update(status="pending", status_reason=reason)
    return comment


@pytest.fixture
def signed_in_moderator(client, moderator):
    client.force_login(moderator)
    return moderator


def test_the_queue_shows_each_comment_in_its_context(client, signed_in_moderator, post, reader):
    parent = post(ReaderFactory(display_name="Parent Author"), "The plant was a smart move.")
    reply = hold(post(reader, "No it <b>was</b> not.", parent_id=parent.pk))
    comments.report_create(
        user=ReaderFactory(display_name="Reporter One"),
        comment_id=parent.pk,
        reason="other",
        details="Off-colour joke",
    )
    html = client.get(QUEUE).content.decode()
    assert f'id="q-{reply.pk}"' in html and f'id="q-{parent.pk}"' in html
    assert "In reply to Parent Author" in html
    assert "No it &lt;b&gt;was&lt;/b&gt; not." in html  # escaped when it was stored
    assert "Plants follow buyers" in html
    assert "Reporter One" in html and "Off-colour joke" in html
    assert "0 published · 1 held" in html  # the reader's history
    assert "1 held for review, 1 reported" in html


def test_queue_filters(client, signed_in_moderator, post, section):
    other_article = make_article(section, title="Another story")
    spammer = ReaderFactory(display_name="Spammy Sam")
    a = hold(post(spammer, "Buy cheap parts"))
    b = hold(post(ReaderFactory(), "Held elsewhere", article_id=other_article.pk))
    c = post(ReaderFactory(), "Reported one")
    comments.report_create(user=ReaderFactory(), comment_id=c.pk, reason="abuse")
    Comment.objects.filter(pk=a.pk).update(created_at=timezone.now() - dt.timedelta(days=2))

    def shown(**params):
        html = client.get(QUEUE, params).content.decode()
        return {pk for pk in (a.pk, b.pk, c.pk) if f'id="q-{pk}"' in html}

    assert shown() == {a.pk, b.pk, c.pk}
    assert shown(article=other_article.pk) == {b.pk}
    assert shown(reader="spammy") == {a.pk}
    assert shown(reason="reported") == {c.pk}
    assert shown(reason="report:abuse") == {c.pk}
    assert shown(reason="held") == {a.pk, b.pk}
    assert shown(age="24h") == {a.pk}
    assert shown(age="new") == {b.pk, c.pk}
    assert shown(q="cheap") == {a.pk}
    # Nonsense filters are ignored, not an error.
    assert client.get(QUEUE, {"article": "x", "age": "forever"}).status_code == 200


def test_queue_query_count_does_not_grow_with_its_length(client, signed_in_moderator, post):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        return len(ctx.captured_queries)

    hold(post(ReaderFactory(), "One"))
    queries()  # warm the per-process caches (the site root)
    few = queries()
    for i in range(12):
        author = ReaderFactory()
        parent = post(ReaderFactory(), f"Parent {i}")
        hold(post(author, f"Reply {i}", parent_id=parent.pk))
        comments.report_create(user=ReaderFactory(), comment_id=parent.pk, reason="spam")
    assert queries() == few


def test_bulk_decision_from_the_queue(client, signed_in_moderator, post):
    pending = [hold(post(ReaderFactory(), f"Held {i}")) for i in range(3)]
    response = client.post(
        reverse("moderation_admin:decide"),
        {"action": "approve", "comments": [c.pk for c in pending], "next": QUEUE},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert Comment.objects.filter(status="published").count() == 3
    page = client.get(QUEUE).content.decode()
    assert "Approve: 3 comments." in page


def test_a_reject_without_reason_is_refused_with_a_message(client, signed_in_moderator, post):
    comment = hold(post(ReaderFactory(), "Held"))
    response = client.post(
        reverse("moderation_admin:decide"),
        {"action": "reject", "comments": [comment.pk]},
        follow=True,
    )
    assert "Give the author a reason" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_a_refused_bulk_decision_keeps_the_ticked_comments_and_what_was_typed(
    client, signed_in_moderator, post
):
    held = [hold(post(ReaderFactory(), f"Held {i}")) for i in range(4)]
    ticked = held[1:3]
    here = f"{QUEUE}?reason=held"
    response = client.post(
        reverse("moderation_admin:decide"),
        {
            "action": "reject",
            "comments": [c.pk for c in ticked],
            "reason": "   ",
            "next": here,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed" in html and "Give the author a reason" in html
    for comment in held:
        box = f'aria-label="Select comment {comment.pk}" data-row-check'
        assert (box + " checked" in html) == (comment in ticked)
    assert '<option value="reject" selected>' in html
    assert 'name="reason" maxlength="300" placeholder="Needed to reject" value="   "' in html
    # The page's forms still come back to the filtered queue, not to the decision's address.
    assert f'name="next" value="{QUEUE}?reason=held"' in html
    assert f'action="{QUEUE}"' in html
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}

    # Typed text is escaped when shown again.
    response = client.post(
        reverse("moderation_admin:decide"),
        {"action": "nuke", "comments": [held[0].pk], "reason": '"><script>x</script>'},
    )
    assert response.status_code == 400
    assert "<script>x</script>" not in response.content.decode()
    assert "&quot;&gt;&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "approve", "comments": ["abc"]},
        {"action": "nuke", "comments": ["1"]},
        {"action": "approve", "comments": ["999999"]},
    ],
)
def test_bad_decisions_change_nothing(client, signed_in_moderator, post, data):
    comment = hold(post(ReaderFactory(), "Held"))
    response = client.post(reverse("moderation_admin:decide"), data)
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not AuditEntry.objects.exists()


def test_the_next_parameter_cannot_send_moderators_off_site(client, signed_in_moderator, post):
    comment = hold(post(ReaderFactory(), "Held"))
    response = client.post(
        reverse("moderation_admin:decide"),
        {"action": "approve", "comments": [comment.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == QUEUE


def test_editing_from_the_comment_page(client, signed_in_moderator, post, article):
    comment = post(ReaderFactory(), "Tyop here")
    url = reverse("moderation_admin:comment", args=[comment.pk])
    assert "Tyop here" in client.get(url).content.decode()
    bad = client.post(url, {"body": "   ", "reason": ""})
    assert bad.status_code == 400
    response = client.post(url, {"body": "Typo here", "reason": "spelling"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Typo here" and comment.edited_by_moderator


def test_reader_page_sanctions_with_validation(client, signed_in_moderator, reader):
    url = reverse("moderation_admin:reader", args=[reader.pk])
    assert client.get(url).status_code == 200
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "suspend", "until": past, "reason": "x"})
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    response = client.post(url, {"action": "ban", "reason": ""})
    assert response.status_code == 400
    assert not hasattr(reader, "standing") or not reader.standing.banned
    future = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "suspend", "until": future, "reason": "Flame war"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.standing.is_suspended
    assert "suspended until" in client.get(url).content.decode()


def test_audit_log_search_and_csv(client, signed_in_moderator, post, moderator):
    a = hold(post(ReaderFactory(), '=HYPERLINK("http://evil")'))
    b = hold(post(ReaderFactory(), "Second"))
    CommentDecideAction([a.pk], decision="spam", user=moderator).execute()
    CommentDecideAction([b.pk], decision="reject", reason="Rude words", user=moderator).execute()
    url = reverse("moderation_admin:audit")
    html = client.get(url, {"q": "rude"}).content.decode()
    assert "Rude words" in html and "<strong>Marked as spam</strong>" not in html
    spam_only = client.get(url, {"action": "spam"}).content.decode()
    assert "<strong>Marked as spam</strong>" in spam_only and "Rude words" not in spam_only
    bad = client.get(url, {"since": "2026-12-01", "until": "2026-01-01"})
    assert "comes before the start" in bad.content.decode()
    response = client.get(reverse("moderation_admin:audit_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["time", "moderator", "action", "summary"]
    assert {row[2] for row in rows[1:]} == {"spam", "reject"}
    assert all(row[1] == "Mo Derator" for row in rows[1:])
    # A cell that a spreadsheet would run as a formula is kept as text.
    assert all(not cell.startswith("=") for row in rows for cell in row)
    filtered = client.get(reverse("moderation_admin:audit_csv"), {"action": "reject"})
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 2


def test_the_audit_log_shows_what_changed_in_words_and_the_csv_writes_json(
    client, signed_in_moderator, post, moderator, reader
):
    comment = hold(post(ReaderFactory(), "Held <for> review"))
    CommentDecideAction([comment.pk], decision="reject", reason="Rude", user=moderator).execute()
    until = timezone.now() + dt.timedelta(days=5)
    ReaderSanctionAction(
        reader.pk, sanction="suspend", until=until, reason="Flame war", user=moderator
    ).execute()
    html = client.get(reverse("moderation_admin:audit")).content.decode()
    assert (
        '<span class="mod-change__field">Status:</span> '
        "<del>Held for review</del> → <ins>Rejected</ins>" in html
    )
    stamp = timezone.localtime(until).strftime("%b %-d, %Y %H:%M")
    assert (
        '<span class="mod-change__field">Suspended until:</span> '
        f"<del>—</del> → <ins>{stamp}</ins>" in html
    )
    # Only what changed: the suspension left "banned" and "shadow banned" as they were.
    assert "Banned:" not in html and "Shadow banned:" not in html
    assert "suspended_until" not in html and "False" not in html

    response = client.get(reverse("moderation_admin:audit_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_action = {row["action"]: row for row in rows}
    assert json.loads(by_action["reject"]["before"])["status"] == "pending"
    assert json.loads(by_action["reject"]["after"])["status"] == "rejected"
    after = json.loads(by_action["suspend"]["after"])
    assert after["banned"] is False
    assert dt.datetime.fromisoformat(after["suspended_until"]) == until


def test_dashboard_charts(client, signed_in_moderator, post, moderator):
    now = timezone.now()
    QueueSnapshot.objects.create(taken_at=now - dt.timedelta(days=2), held=7, reported=2)
    comment = hold(post(ReaderFactory(), "Waiting"))
    Comment.objects.filter(pk=comment.pk).update(created_at=now - dt.timedelta(hours=3))
    CommentDecideAction([comment.pk], decision="approve", user=moderator).execute()
    html = client.get(reverse("moderation_admin:dashboard")).content.decode()
    assert "Comments waiting" in html and "<svg" in html
    assert "9</text>" in html  # the snapshot's 7 + 2
    assert "3.0 h" in html  # median time to a decision
    assert "Mo Derator" in html


def test_snapshot_task_records_the_queue(post):
    from paddock.moderation.tasks import snapshot_queue

    hold(post(ReaderFactory(), "Waiting"))
    snapshot_queue.call()
    snap = QueueSnapshot.objects.get()
    assert (snap.held, snap.reported) == (1, 0)


def test_readers_notices_are_on_their_notifications_page(client, post, reader, policy):
    policy.max_links = 0
    policy.save()
    post(reader, "Link: https://example.com")
    client.force_login(reader)
    assert 'aria-label="1 unread"' in client.get("/").content.decode()
    response = client.get("/moderation/notices/")  # the old address, in emails sent before
    assert (response.status_code, response["Location"]) == (301, reverse("notifications:list"))
    html = client.get(response["Location"]).content.decode()
    assert "more than 0 links" in html and "New" in html


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "", "1e3", "٣", "9" * 5000, "999999"])
def test_a_bad_page_number_shows_a_page_of_every_staff_list(client, role_user, post, bad):
    held = hold(post(ReaderFactory(), "Held for a look"))
    administrator = role_user("administrator")
    client.force_login(administrator)
    for name in ("queue", "audit", "discussions"):
        response = client.get(reverse(f"moderation_admin:{name}"), {"p": bad})
        assert response.status_code == 200, name
        assert response.context["page"].number >= 1
    assert f'id="q-{held.pk}"' in client.get(QUEUE, {"p": bad}).content.decode()
    assert client.get(reverse("notifications:list"), {"p": bad}).status_code == 200


def test_editors_close_and_reopen_a_discussion(client, role_user, article, post):
    editor = role_user("editor")
    client.force_login(editor)
    url = reverse("moderation_admin:discussions")
    assert "Plants follow buyers" in client.get(url).content.decode()
    client.post(url, {"article": article.pk, "closed": "1"})
    article.refresh_from_db()
    assert article.comments_closed
    with pytest.raises(comments.CommentError, match="closed"):
        post(ReaderFactory(), "Too late")
    client.post(url, {"article": article.pk, "closed": "0"})
    article.refresh_from_db()
    assert not article.comments_closed
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["open", "close"]
    assert client.post(url, {"article": "nope", "closed": "1"}).status_code == 302
