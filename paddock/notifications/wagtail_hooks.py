"""Where notifications show on pages of the layers below: the Follow button of an article's
discussion, and what a reader downloads of their own."""

from __future__ import annotations

from wagtail import hooks

from paddock.accounts.hooks import PERSONAL_DATA_HOOK
from paddock.newsroom.models import ARTICLE_CONTEXT_HOOK

from . import follows, selectors


@hooks.register(ARTICLE_CONTEXT_HOOK)
def discussion_follow(article, request) -> dict:
    """The Follow/Unfollow button: a signed-in reader's page is rendered for them alone (one
    query more); an anonymous visitor's, kept by the page cache, shows the same sign-in link to
    everyone and reads nothing."""
    user = request.user
    signed_in = user.is_authenticated
    return {
        "discussion_follow": {
            "article_id": article.pk,
            "signed_in": signed_in,
            "following": signed_in and follows.is_following(user, article.pk),
            "path": request.path,
        }
    }


# What a reader downloads of their own: what they were told, the discussions they follow,
# their email choices.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
