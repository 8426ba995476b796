"""Who may do what once `migrate` has run: every group's permissions, its page and collection
permissions in Wagtail, and who approves in Wagtail's workflows, compared with a snapshot.

The snapshot (roles_snapshot.json) is the site's permission policy as data: a change to any
app's roles shows in review as a change to that file. After changing a role on purpose, write
it again with PADDOCK_WRITE_ROLES_SNAPSHOT=1 and read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
)

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).with_name("roles_snapshot.json")
EVERY_PERMISSION = "every permission"


def _name(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def roles_snapshot() -> dict:
    """Every group and what it may do, in a stable order."""
    every = {_name(p) for p in Permission.objects.select_related("content_type")}
    groups = {}
    for group in Group.objects.order_by("name"):
        own = sorted(_name(p) for p in group.permissions.select_related("content_type"))
        pages = GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission__content_type"
        )
        collections = GroupCollectionPermission.objects.filter(group=group).select_related(
            "collection", "permission__content_type"
        )
        groups[group.name] = {
            "permissions": EVERY_PERMISSION if set(own) == every else own,
            "page_permissions": sorted(f"{g.page.url_path} {_name(g.permission)}" for g in pages),
            "collection_permissions": sorted(
                f"{g.collection.name} {_name(g.permission)}" for g in collections
            ),
        }
    approvers = {
        task.name: sorted(task.groups.values_list("name", flat=True))
        for task in GroupApprovalTask.objects.order_by("name")
    }
    return {"groups": groups, "approval_tasks": approvers}


def _expected() -> dict:
    if os.environ.get("PADDOCK_WRITE_ROLES_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(roles_snapshot(), indent=1, ensure_ascii=False) + "\n")
    return json.loads(SNAPSHOT.read_text())


def test_migrate_leaves_every_group_with_the_permissions_of_the_snapshot():
    assert roles_snapshot() == _expected()


def test_set_up_again_after_tampering_the_roles_are_as_migrate_left_them():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    expected = _expected()
    # An account made before the Readers group existed (or taken out of it).
    earlier = get_user_model().objects.create_user("earlier", "earlier@example.com", "x")
    earlier.groups.clear()
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    editors.permissions.clear()
    moderators.permissions.add(Permission.objects.get(codename="publish_page"))
    GroupPagePermission.objects.create(
        group=moderators,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    GroupCollectionPermission.objects.filter(group=editors).delete()
    GroupCollectionPermission.objects.create(
        group=moderators,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="delete_image"),
    )
    for task in GroupApprovalTask.objects.all():
        task.groups.set([moderators])
    GroupApprovalTask.objects.update(name="Moderators approval")
    Workflow.objects.update(name="Moderators approval")
    assert roles_snapshot() != expected

    # What every deploy runs; with nothing to migrate it still ends with the roles set up.
    call_command("migrate", verbosity=0)

    assert roles_snapshot() == expected
    assert list(Workflow.objects.values_list("name", flat=True)) == ["Editors' approval"]
    assert list(earlier.groups.values_list("name", flat=True)) == ["Readers"]


def test_the_approval_workflow_is_named_for_the_editors_who_approve():
    from importlib import import_module

    from django.apps import apps

    [workflow] = Workflow.objects.all()
    [task] = workflow.tasks.all()
    assert workflow.name == task.name == "Editors' approval"
    assert list(task.specific.groups.values_list("name", flat=True)) == ["Editors"]

    # An existing site, set up before the rename: the data migration renames both.
    Workflow.objects.update(name="Moderators approval")
    Task.objects.update(name="Moderators approval")
    import_module("paddock.core.migrations.0003_editors_approval").rename(apps, None)
    assert Workflow.objects.get().name == Task.objects.get().name == "Editors' approval"


def test_each_app_grants_its_own_permissions():
    # Declared in each app's roles.py, found by the core app at start-up.
    from paddock.core.roles import EDITORS, MODERATORS, READERS, granted

    assert "leads.route_lead" in granted(EDITORS)["model"]
    assert "newsletter.send_edition" in granted(EDITORS)["model"]
    assert "wagtailcore.publish_page" in granted(EDITORS)["page"]
    assert "comments.add_comment" in granted(READERS)["model"]
    assert "moderation.moderate_comments" in granted(MODERATORS)["model"]
    assert granted(MODERATORS)["page"] == frozenset()


@pytest.mark.parametrize(
    ("role", "permission", "message"),
    [
        ("Moderator", "comments.view_comment", "not a role"),
        ("Editors", "view_comment", "as 'app_label.codename'"),
        ("Editors", "comments.", "as 'app_label.codename'"),
    ],
)
def test_a_grant_that_names_no_role_or_no_app_is_refused(role, permission, message):
    from paddock.core.roles import grant

    with pytest.raises(ValueError, match=message):
        grant(role, permission)


def test_a_granted_permission_no_app_defines_fails_loudly(monkeypatch):
    from paddock.core import roles

    monkeypatch.setitem(roles._MODEL, roles.READERS, {"comments.add_commment"})
    with pytest.raises(LookupError, match="Readers are granted 'comments.add_commment'"):
        roles.roles_ensure()
