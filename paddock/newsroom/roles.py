"""The editorial roles, declared once and applied after every migrate.

Contributors write and submit their own articles but cannot publish; Editors publish anything.
Moderators act on the discussion, not on articles, so Wagtail's default page permissions for
its own "Moderators" group are taken away and its approval task goes to Editors instead.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
MODERATORS = "Moderators"

PAGE_PERMISSIONS = {
    CONTRIBUTORS: ["add_page"],
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    MODERATORS: [],
}
COLLECTION_PERMISSIONS = {
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
MODEL_PERMISSIONS = {
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
    ],
    MODERATORS: ["wagtailadmin.access_admin"],
}


def _permission(codename: str, app_label: str | None = None) -> Permission:
    if "." in codename:
        app_label, codename = codename.split(".", 1)
    qs = Permission.objects.filter(codename=codename)
    if app_label:
        qs = qs.filter(content_type__app_label=app_label)
    return qs.get()


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
    for name in (CONTRIBUTORS, EDITORS, MODERATORS):
        group, _ = Group.objects.get_or_create(name=name)
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

    editors = Group.objects.get(name=EDITORS)
    for task in GroupApprovalTask.objects.all():
        if task.groups.filter(name=MODERATORS).exists():
            task.groups.remove(*task.groups.filter(name=MODERATORS))
            task.groups.add(editors)
