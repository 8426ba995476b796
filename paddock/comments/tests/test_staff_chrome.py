"""The site chrome's newsroom people (the accounts with a badge, the masthead's moderators) are
found through the few rows that hold them, however many readers the site has; and a staff
group made again under a new id is still found."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from paddock.comments.selectors import BADGE_MODERATOR, BADGE_STAFF, STAFF
from paddock.core import chrome
from paddock.core.roles import EDITORS, MODERATORS, READERS
from paddock.newsroom.chrome import MODERATORS as MODERATORS_PART
from paddock.newsroom.tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db

READERS_MANY = 3000


def _join(user, name: str) -> None:
    Group.objects.get(name=name).user_set.add(user)


def _many_readers() -> None:
    """As on a site with thousands of readers: every one of them in the Readers group."""
    User = get_user_model()
    made = User.objects.bulk_create(
        User(username=f"reader{i}", email=f"reader{i}@example.com") for i in range(READERS_MANY)
    )
    readers = Group.objects.get(name=READERS)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=readers.pk) for user in made
    )
    with connection.cursor() as cursor:
        for model in (User, User.groups.through, Group):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _rows_read(sql: str, params) -> dict[str, int]:
    """The most rows any one scan of each table returned, as PostgreSQL ran the statement."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found: dict[str, int] = {}
    for table, rows in re.findall(r"Scan .*?on (\w+) \w+ .*?actual time=\S+ rows=(\d+)", plan):
        found[table] = max(found.get(table, 0), int(rows))
    assert found, plan
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_newsroom_s_people_are_read_without_reading_every_reader(reader_factory):
    moderator, editor = reader_factory("Mo Derator"), reader_factory("Ed Itor")
    _join(moderator, MODERATORS)
    _join(editor, EDITORS)
    ContributorFactory(user=moderator, display_name="Mo Derator")
    _many_readers()
    chrome.clear()
    for part in (STAFF, MODERATORS_PART):
        read = _rows_read(*chrome._compiled("default", chrome._PARTS[part]))
        # A handful of rows from the accounts and their memberships, not thousands.
        assert max(read.get("auth_user", 0), read.get("auth_user_groups", 0)) < 50, (part, read)
    staff = chrome.get(STAFF)
    assert staff.badges[moderator.pk] == BADGE_MODERATOR
    assert staff.badges[editor.pk] == BADGE_STAFF
    assert [person.display_name for person in chrome.get(MODERATORS_PART)] == ["Mo Derator"]


def test_a_staff_group_made_again_under_a_new_id_is_still_found(
    reader_factory, django_capture_on_commit_callbacks
):
    first, second = reader_factory("First Mod"), reader_factory("Second Mod")
    _join(first, MODERATORS)
    ContributorFactory(user=first, display_name="First Mod")
    ContributorFactory(user=second, display_name="Second Mod")
    chrome.clear()
    assert chrome.get(STAFF).badges == {first.pk: BADGE_MODERATOR}
    assert [p.display_name for p in chrome.get(MODERATORS_PART)] == ["First Mod"]

    # Deleted in the admin and made again (as `migrate` makes the roles' groups): a new id,
    # which the SQL this process wrote does not hold.
    old = Group.objects.get(name=MODERATORS)
    old_id = old.pk
    with django_capture_on_commit_callbacks(execute=True):
        old.delete()
        again = Group.objects.create(name=MODERATORS)
        again.user_set.add(second)  # joining a staff group says the site changed
    assert again.pk != old_id

    assert chrome.get(STAFF).badges == {second.pk: BADGE_MODERATOR}
    assert [p.display_name for p in chrome.get(MODERATORS_PART)] == ["Second Mod"]
