"""Template helpers for discussions: the thread, single comments, and Recent Comments."""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from paddock.core import chrome

from .. import hooks, rendering
from ..chrome import RECENT

register = template.Library()


def _viewer(context) -> rendering.Viewer:
    request = context.get("request")
    return viewer_for(
        request,
        user=context.get("user") or getattr(request, "user", None),
        comments_open=context.get("comments_open", True),
        can_comment=bool(context.get("can_comment")),
        my_votes=context.get("my_votes") or {},
        badges=context.get("comment_badges") or {},
    )


def viewer_for(
    request,
    *,
    user=None,
    comments_open: bool = True,
    can_comment: bool = False,
    my_votes: dict[int, int] | None = None,
    badges: dict[int, str] | None = None,
) -> rendering.Viewer:
    """Who looks at the comments this request shows, and what they may do there."""
    user = user or getattr(request, "user", None)
    badges = badges or {}
    if user is None or not user.is_authenticated:
        return rendering.Viewer(comments_open=comments_open, badges=badges)
    button = hooks.feature_button()
    return rendering.Viewer(
        user_id=user.pk,
        can_comment=can_comment,
        comments_open=comments_open,
        my_votes=my_votes or {},
        csrf_input=format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
        badges=badges,
        feature_url_name=button.url_name if button and user.has_perm(button.permission) else "",
    )


@register.simple_tag(takes_context=True)
def comment_thread(context, tokens) -> SafeString:
    return rendering.thread_html(tokens, _viewer(context))


@register.simple_tag(takes_context=True)
def comment_section(context) -> SafeString:
    """The discussion under the page in the context (rendering.section_html), with what the
    discussion hook gave it, and the "follow" button of the layer that owns it when the page's
    context carries one (`discussion_follow_html`, escaped there)."""
    return rendering.section_html(
        page=context["page"],
        request=context["request"],
        viewer=_viewer(context),
        comment_count=context.get("comment_count") or 0,
        thread_page=context["thread_page"],
        featured=context.get("featured_comments") or [],
        sorts=context.get("sorts") or [],
        page_numbers=context.get("page_numbers") or [],
        follow_html=context.get("discussion_follow_html") or "",
    )


@register.simple_tag(takes_context=True)
def comment_respond(context) -> SafeString:
    """The "Leave a Reply" section under the page's discussion (rendering.respond_html), with
    the comment form from its template for a reader who may comment."""
    page, user = context["page"], context.get("user")
    comments_open, can_comment = context.get("comments_open"), context.get("can_comment")
    signed_in = bool(user is not None and user.is_authenticated)
    form = ""
    if comments_open and signed_in and can_comment:
        template = context.template.engine.get_template("comments/partials/form.html")
        with context.push(article=page, parent=None):
            form = template.render(context)
    return rendering.respond_html(
        page.url or "",
        comments_open=bool(comments_open),
        signed_in=signed_in,
        can_comment=bool(can_comment),
        form_html=form,
    )


@register.simple_tag(takes_context=True)
def comment_load_more(context) -> SafeString:
    """The "Load more comments" button under a page of threads (rendering.load_more_html)."""
    article = context["article"]
    html = rendering.load_more_html(article.url, article.pk, context["thread_page"])
    return mark_safe(html)  # noqa: S308 - escaped in rendering


@register.simple_tag(takes_context=True)
def comment_box(context, comment) -> SafeString:
    return mark_safe(rendering.comment_box(comment, _viewer(context)))  # noqa: S308


@register.simple_tag(takes_context=True)
def featured_comments(context, comments) -> SafeString:
    """The featured comments above a discussion (rendering.featured_html)."""
    html = rendering.featured_html(comments, _viewer(context))
    return mark_safe(html)  # noqa: S308 - escaped in rendering


@register.simple_tag(takes_context=True)
def comment_li(context, comment) -> SafeString:
    html = rendering.comment_open(comment, _viewer(context), depth=comment.depth)
    return mark_safe(html + "</ol></li>")  # noqa: S308 - escaped in rendering


@register.simple_tag(takes_context=True)
def comment_votes(context, comment) -> SafeString:
    html = rendering.votes_html(comment, _viewer(context), context.get("error", ""))
    return mark_safe(html)  # noqa: S308 - escaped in rendering


@register.simple_tag
def recent_comments() -> SafeString:
    """The sidebar's list, from the site chrome's snapshot (paddock/core/chrome.py)."""
    return rendering.recent_html(chrome.get(RECENT))
