"""Admin menu pieces several apps share."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding `permission` (the view checks it again)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
