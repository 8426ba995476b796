"""The site's roles, declared once and applied after every migrate.

Readers comment, vote and report. Contributors write and submit their own articles but cannot
publish; Editors publish anything and may close an article's comments. Moderators act on the
discussion and on readers, not on articles, so Wagtail's default page permissions for its own
"Moderators" group are taken away and its approval task goes to Editors instead.
Administrators may do everything (every permission), without being superusers.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

READERS = "Readers"
CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
MODERATORS = "Moderators"
ADMINISTRATORS = "Administrators"
ROLES = (READERS, CONTRIBUTORS, EDITORS, MODERATORS, ADMINISTRATORS)

ALL_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
PAGE_PERMISSIONS = {
    READERS: [],
    CONTRIBUTORS: ["add_page"],
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    MODERATORS: [],
    ADMINISTRATORS: ALL_PAGE_PERMISSIONS,
}
_ALL_COLLECTION_PERMISSIONS = [
    f"{action}_{kind}"
    for kind in ("image", "document")
    for action in ("add", "change", "delete", "choose")
]
COLLECTION_PERMISSIONS = {
    READERS: [],
    ADMINISTRATORS: _ALL_COLLECTION_PERMISSIONS,
    CONTRIBUTORS: ["add_image", "choose_image", "add_document", "choose_document"],
    EDITORS: [
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ],
    MODERATORS: [],
}
MODERATION = [
    "moderation.moderate_comments",
    "moderation.sanction_readers",
    "moderation.view_auditentry",
    "moderation.export_audit_log",
    "moderation.view_moderation_dashboard",
    "comments.view_comment",
    "comments.view_report",
]
MODEL_PERMISSIONS = {
    READERS: ["comments.add_comment", "comments.add_vote", "comments.add_report"],
    CONTRIBUTORS: ["wagtailadmin.access_admin"],
    EDITORS: [
        "wagtailadmin.access_admin",
        *(
            f"newsroom.{action}_{model}"
            for model in ("contributor", "make", "vehiclemodel")
            for action in ("add", "change", "delete", "view")
        ),
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "moderation.close_discussions",
        # Unrouted dealer leads can be sent again once a dealer is added; the shoppers'
        # details stay with administrators and dealers (no leads.view_lead).
        "leads.route_lead",
        # The newsletter's special editions: written, previewed, tested and sent by editors.
        "newsletter.add_edition",
        "newsletter.change_edition",
        "newsletter.view_edition",
        "newsletter.send_edition",
        "newsletter.view_subscriber",
    ],
    MODERATORS: ["wagtailadmin.access_admin", *MODERATION],
    ADMINISTRATORS: [],  # every permission there is, see roles_ensure
}


def _permission(codename: str, app_label: str | None = None) -> Permission:
    if "." in codename:
        app_label, codename = codename.split(".", 1)
    qs = Permission.objects.filter(codename=codename)
    if app_label:
        qs = qs.filter(content_type__app_label=app_label)
    return qs.get()


def group_ensure(name: str) -> Group:
    """The group of this name, created when missing: a role's group exists after every migrate
    (roles_ensure, which gives it its permissions); any other is a plain group of accounts."""
    return Group.objects.get_or_create(name=name)[0]


@transaction.atomic
def roles_ensure() -> None:
    """Create or correct the editorial groups; safe to run any number of times."""
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name == ADMINISTRATORS:
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set([_permission(code) for code in MODEL_PERMISSIONS[name]])
        if root_page is not None:
            wanted = {_permission(code, "wagtailcore") for code in PAGE_PERMISSIONS[name]}
            GroupPagePermission.objects.filter(group=group).exclude(
                page=root_page, permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if root_collection is not None:
            wanted = set()
            for code in COLLECTION_PERMISSIONS[name]:
                app = "wagtailimages" if code.endswith("image") else "wagtaildocs"
                wanted.add(_permission(code, app))
            GroupCollectionPermission.objects.filter(group=group).exclude(
                collection=root_collection, permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )

    # Accounts made before the Readers group existed join it too.
    from django.contrib.auth import get_user_model

    User = get_user_model()
    readers = Group.objects.get(name=READERS)
    Membership = User.groups.through
    missing = User.objects.exclude(groups=readers).values_list("pk", flat=True)
    Membership.objects.bulk_create(
        [Membership(user_id=pk, group_id=readers.pk) for pk in list(missing)],
        batch_size=1000,
        ignore_conflicts=True,
    )

    editors = Group.objects.get(name=EDITORS)
    for task in GroupApprovalTask.objects.all():
        if task.groups.filter(name=MODERATORS).exists():
            task.groups.remove(*task.groups.filter(name=MODERATORS))
            task.groups.add(editors)
