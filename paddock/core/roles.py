"""The site's roles, and the registry in which each app declares what they may do in it.

Readers comment, vote and report. Contributors write and submit their own articles but cannot
publish; Editors publish anything and may close an article's comments. Moderators act on the
discussion and on readers, not on articles, so Wagtail's default page permissions for its own
"Moderators" group are taken away, and its approval workflow and task go to Editors instead,
named for them ("Editors' approval", not Wagtail's "Moderators approval").
Administrators may do everything (every permission), without being superusers.

Each app grants its own permissions in a `roles.py` module of its own, which the core app
imports at start-up (as the admin finds `admin.py` modules), so no app names a permission of
an app above it:

    from paddock.core.roles import EDITORS, grant
    grant(EDITORS, "leads.route_lead")

After the last app's `migrate`, `roles_ensure` makes every group hold exactly what was granted
(paddock/core/apps.py connects it): a permission taken out of a `roles.py` is taken away from
the group at the next deploy.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

READERS = "Readers"
CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
MODERATORS = "Moderators"
ADMINISTRATORS = "Administrators"
ROLES = (READERS, CONTRIBUTORS, EDITORS, MODERATORS, ADMINISTRATORS)

# Wagtail's default workflow and its task carry this name; on this site Editors approve.
WAGTAIL_APPROVAL = "Moderators approval"
EDITORS_APPROVAL = "Editors' approval"

# Role -> "app_label.codename": model permissions, page permissions (held on the root page, so
# on the whole tree) and collection permissions (held on the root collection).
_MODEL: dict[str, set[str]] = {role: set() for role in ROLES}
_PAGE: dict[str, set[str]] = {role: set() for role in ROLES}
_COLLECTION: dict[str, set[str]] = {role: set() for role in ROLES}


def _add(table: dict[str, set[str]], role: str, permissions: Iterable[str]) -> None:
    if role not in table:
        raise ValueError(f"{role!r} is not a role; the roles are {', '.join(ROLES)}.")
    for permission in permissions:
        app_label, dot, codename = permission.partition(".")
        if not (app_label and dot and codename):
            raise ValueError(
                f"Name the permission {permission!r} with its app, as 'app_label.codename' "
                "(for example 'comments.add_comment')."
            )
        table[role].add(permission)


def grant(role: str, *permissions: str) -> None:
    """Give `role` model permissions ("comments.add_comment"). Administrators hold every
    permission already."""
    _add(_MODEL, role, permissions)


def grant_pages(role: str, *permissions: str) -> None:
    """Give `role` Wagtail page permissions ("wagtailcore.publish_page") on the whole tree."""
    _add(_PAGE, role, permissions)


def grant_collections(role: str, *permissions: str) -> None:
    """Give `role` image or document permissions ("wagtailimages.add_image") on every
    collection."""
    _add(_COLLECTION, role, permissions)


def granted(role: str) -> dict[str, frozenset[str]]:
    """What the apps have granted `role`, by kind ("model", "page", "collection")."""
    return {
        "model": frozenset(_MODEL[role]),
        "page": frozenset(_PAGE[role]),
        "collection": frozenset(_COLLECTION[role]),
    }


def group_ensure(name: str) -> Group:
    """The group of this name, created when missing: a role's group exists after every migrate
    (roles_ensure, which gives it its permissions); any other is a plain group of accounts."""
    return Group.objects.get_or_create(name=name)[0]


def group_ids_sql(names: Iterable[str]) -> str:
    """The ids of these roles' groups as SQL to write into a statement ("3, 5"; "-1", no
    group's, when there is none, so that IN and NOT IN both still say something), rather than
    their names sent as parameters: every account is a Reader, so one group holds nearly every
    membership, and PostgreSQL, which cannot tell one group's size from another's through a
    join on its name, plans for an average group and reads every membership to find a handful
    of moderators. Given the ids, it plans for each group's own size. The ids are integers
    read from the database, nothing a request sends."""
    ids = sorted(Group.objects.filter(name__in=list(names)).values_list("id", flat=True))
    return ", ".join(str(int(pk)) for pk in ids) or "-1"


def discover() -> None:
    """Import every installed app's `roles` module, where its grants are declared."""
    autodiscover_modules("roles")


def _permission(name: str, role: str) -> Permission:
    app_label, codename = name.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise LookupError(
            f"{role} are granted {name!r}, which no installed app defines: check the app label "
            "and codename in the roles.py that grants it (and that its app is migrated)."
        ) from None


@transaction.atomic
def roles_ensure() -> None:
    """Create or correct the role groups; safe to run any number of times."""
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Task,
        Workflow,
    )

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name == ADMINISTRATORS:
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set([_permission(code, name) for code in sorted(_MODEL[name])])
        if root_page is not None:
            wanted = {_permission(code, name) for code in _PAGE[name]}
            GroupPagePermission.objects.filter(group=group).exclude(
                page=root_page, permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if root_collection is not None:
            wanted = {_permission(code, name) for code in _COLLECTION[name]}
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
    approval_rename(Workflow, Task)


def approval_rename(workflow_model, task_model) -> None:
    """Give Wagtail's default workflow and task their name on this site. Takes the models, so
    the data migration that renames them on existing sites can pass its historical ones."""
    task_model.objects.filter(name=WAGTAIL_APPROVAL).update(name=EDITORS_APPROVAL)
    workflow_model.objects.filter(name=WAGTAIL_APPROVAL).update(name=EDITORS_APPROVAL)


def roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    """post_migrate receiver: set the roles up after the last app's migrate, so that every
    role finds all of its permissions."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is with_models[-1]:
        roles_ensure()
