"""What each role may do with the pages app: Editors read the contact messages and mark them
handled, and change the footer menu (standard pages themselves follow the page permissions of
paddock/newsroom/roles.py)."""

from __future__ import annotations

from paddock.core.roles import EDITORS, grant

grant(
    EDITORS,
    "pages.view_contactmessage",
    "pages.change_contactmessage",
    "pages.change_footermenu",
)
