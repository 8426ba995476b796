"""Where notifications show on pages of the layers below: the Follow button of an article's
discussion, and what a reader downloads of their own."""

from __future__ import annotations

from wagtail import hooks

from paddock.accounts.hooks import PERSONAL_DATA_HOOK
from paddock.newsroom.models import ARTICLE_CONTEXT_HOOK

from . import follows, rendering, selectors


@hooks.register(ARTICLE_CONTEXT_HOOK)
def discussion_follow(article, request) -> dict:
    """The Follow/Unfollow button, for the discussion to show under its heading: a signed-in
    reader's page is rendered for them alone (one query more); an anonymous visitor's, kept
    by the page cache, shows the same sign-in link to everyone and reads nothing."""
    user = request.user
    following = user.is_authenticated and follows.is_following(user, article.pk)
    return {
        "discussion_follow_html": rendering.follow_html(request, article.pk, following=following)
    }


# What a reader downloads of their own: what they were told, the discussions they follow,
# their email choices.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
