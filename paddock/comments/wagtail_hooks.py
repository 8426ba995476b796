"""Where the discussion shows on pages of the layers below: the article page (newsroom's
ArticlePage asks its context hook), a standard page that came with comments from an imported
site (pages' StandardPage asks its own; comments_open keeps it read-only) and a reader's public
page (accounts' profile view)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from wagtail import hooks

from paddock.accounts.hooks import PERSONAL_DATA_HOOK, PROFILE_CONTEXT_HOOK
from paddock.accounts.services import email_verified
from paddock.core.pagination import page_number, page_or_404
from paddock.newsroom.models import ARTICLE_AHEAD_HOOK, ARTICLE_CONTEXT_HOOK
from paddock.pages.models import STANDARD_PAGE_CONTEXT_HOOK

from . import selectors
from .forms import CommentForm
from .models import Comment
from .rules import comments_open
from .selectors import (
    SORT_LABELS,
    discussion,
    parse_sort,
    user_votes,
    visible_count,
)


@hooks.register(STANDARD_PAGE_CONTEXT_HOOK)
@hooks.register(ARTICLE_CONTEXT_HOOK)
def article_discussion(article, request) -> dict:
    """What the article page's comment section needs; a bad page number is a 404."""
    sort = parse_sort(request.GET.get("csort"))
    number = page_number(request, "cpage")
    if not number:
        raise Http404("There is no such page of comments.")
    page, featured = discussion(article, sort=sort, number=number, viewer=request.user)
    if page is None:
        raise Http404("There is no such page of comments.")
    can_comment = email_verified(request.user)
    return {
        "featured_comments": featured,
        # Every author on the discussion's, the featured comments' too.
        "comment_badges": page.badges,
        "comment_count": (
            page.visible_total if page.visible_total is not None else visible_count(article)
        ),
        "thread_page": page,
        "comments_open": comments_open(article),
        "my_votes": user_votes(request.user, article=article),
        "can_comment": can_comment,
        "sorts": list(SORT_LABELS.items()),
        "page_numbers": page_numbers(page.number, page.page_count),
        # Only a reader who may comment is shown the form.
        "form": CommentForm(request=request) if can_comment else None,
    }


@hooks.register(ARTICLE_AHEAD_HOOK)
def read_article_discussion_ahead(article_id: int, request) -> None:
    """What `article_discussion` will read for this request, sent ahead (nothing kept)."""
    number = page_number(request, "cpage")
    if number:
        selectors.read_discussion_ahead(
            article_id,
            sort=parse_sort(request.GET.get("csort")),
            number=number,
            viewer=request.user,
        )


def page_numbers(current: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers the discussion's pager links: the first, the last and a few around the
    current one, None where some are left out."""
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


READER_COMMENTS_PER_PAGE = 20


@hooks.register(PROFILE_CONTEXT_HOOK)
def reader_comments(profile, request) -> dict:
    """What a reader has said, newest first, a page at a time; a bad page number is a 404."""
    comments = (
        Comment.objects.visible()
        .on_live_articles()
        .filter(author_id=profile.user_id)
        .select_related("article")
        .order_by("-created_at", "-pk")
    )
    page = page_or_404(Paginator(comments, READER_COMMENTS_PER_PAGE), page_number(request))
    return {"page_obj": page}


# What a reader downloads of their own: their comments, votes and reports.
hooks.register(PERSONAL_DATA_HOOK, selectors.personal_data)
