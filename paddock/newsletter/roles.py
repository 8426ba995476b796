"""What each role may do with the newsletter: Editors write, preview, test and send its
special editions, and see who subscribes."""

from __future__ import annotations

from paddock.core.roles import EDITORS, grant

grant(
    EDITORS,
    "newsletter.add_edition",
    "newsletter.change_edition",
    "newsletter.view_edition",
    "newsletter.send_edition",
    "newsletter.view_subscriber",
)
