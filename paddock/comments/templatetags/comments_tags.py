"""Template helpers for discussions: the Recent Comments widget and per-reader lookups."""

from __future__ import annotations

from django import template

from .. import markup, selectors, services

register = template.Library()


@register.inclusion_tag("comments/includes/recent.html")
def recent_comments():
    items = [
        {
            "comment": comment,
            "name": selectors.author_name(comment),
            "excerpt": markup.excerpt(comment.body_text, 100),
        }
        for comment in selectors.recent_comments()
    ]
    return {"items": items}


@register.filter
def vote_of(my_votes: dict, comment_id: int) -> int:
    return (my_votes or {}).get(comment_id, 0)


@register.filter
def editable(comment) -> bool:
    return services.edit_window_open(comment)


@register.filter
def author_name(comment) -> str:
    return selectors.author_name(comment)
