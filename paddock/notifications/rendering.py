"""The Follow/Unfollow button under an article's discussion, built in Python (the discussion
around it is: comments/rendering.py). Every value in it is escaped."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from paddock.core.forms import csrf_field
from paddock.core.text import escape
from paddock.core.urls import reverse_one, reverse_plain


def follow_html(request: HttpRequest, article_id: int, *, following: bool) -> SafeString:
    """A signed-in reader's form to follow the discussion, or to stop; everyone else's link to
    sign in first, the same for every anonymous reader (the page cache keeps it)."""
    if not request.user.is_authenticated:
        login = reverse_plain("account_login")
        return mark_safe(  # noqa: S308 - the path is quoted, then escaped
            f'<p class="comments__follow"><a href="{escape(login)}?next='
            f'{escape(quote(request.path, safe="/"))}%23comments">'
            "Sign in to follow this discussion</a></p>"
        )
    if following:
        choice = (
            '<input type="hidden" name="action" value="unfollow">\n'
            '<button class="button button--quiet" type="submit" aria-pressed="true">'
            "Unfollow this discussion</button>\n"
            '<span class="comments__follow-help">You hear of each new thread here.</span>'
        )
    else:
        preferences = reverse_plain("notifications:preferences")
        choice = (
            '<input type="hidden" name="action" value="follow">\n'
            '<button class="button button--quiet" type="submit" aria-pressed="false">'
            "Follow this discussion</button>\n"
            '<span class="comments__follow-help">Hear of each new thread here, '
            f'<a href="{escape(preferences)}">as you choose</a>.</span>'
        )
    action = reverse_one("notifications:follow", article_id)
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<form class="comments__follow" method="post" action="{escape(action)}">\n'
        f"{csrf_field(request)}\n"
        f'<input type="hidden" name="next" value="{escape(request.get_full_path())}#comments">\n'
        f"{choice}\n</form>"
    )
