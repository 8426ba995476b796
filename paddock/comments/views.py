"""Comment endpoints. Each works as a plain form post with a redirect, and in place with htmx.

Views stay thin: parse the request, call a service, pick the response. A CommentError turns
into its 4xx status with the message shown to the reader, and nothing is written.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget
from wagtail.models import Page

from paddock.accounts.services import email_verified
from paddock.core import pagecache
from paddock.core.ids import parse_id
from paddock.core.once import once
from paddock.core.pagination import page_number
from paddock.core.ratelimit import Limit, client_ip, hit, ratelimit, too_many
from paddock.newsroom.models import ArticlePage
from paddock.pages.models import StandardPage

from . import rendering, selectors, services
from .forms import VOTE_VALUES, CommentForm, EditForm, ReportForm
from .models import Comment
from .services import CommentError
from .templatetags import comments_tags

POST_LIMITS = {"per_user": Limit(5, 60), "per_ip": Limit(20, 60)}
VOTE_LIMITS = {"per_user": Limit(60, 60), "per_ip": Limit(200, 60)}
REPORT_LIMITS = {"per_user": Limit(10, 3600), "per_ip": Limit(30, 3600)}
# Asked as a reader types after "@" (the script waits for a pause in typing).
MENTION_LIMIT = Limit(120, 60)


def _comment_url(comment: Comment) -> str:
    return comment.get_absolute_url()


def _error(request: HttpRequest, exc: CommentError, **context) -> HttpResponse:
    template = "comments/partials/error.html" if request.htmx else "comments/error.html"
    context = {"message": exc.message, "verify_email": exc.verify_email, **context}
    return render(request, template, context, status=exc.status)


def _page_of(comment: Comment) -> Page:
    """The page a comment is on, as an ArticlePage when it is one (what comments_open and the
    templates read): free when it was selected with the comment (`article__articlepage`), else
    one query, as before comments could be on other pages."""
    if Comment.article.is_cached(comment):
        page = comment.article
        return page if isinstance(page, ArticlePage) else getattr(page, "articlepage", page)
    return ArticlePage.objects.filter(pk=comment.article_id).first() or comment.article


def _comment_context(request: HttpRequest, comment: Comment) -> dict:
    article = _page_of(comment)
    return {
        "comment": comment,
        "article": article,
        "comments_open": services.comments_open(article),
        "my_votes": selectors.user_votes(request.user, [comment.pk]),
        "can_comment": _can_comment(request),
        "comment_badges": selectors.author_badges(article, [comment.author_id]),
    }


def _can_comment(request: HttpRequest) -> bool:
    return email_verified(request.user)


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's permanent address: the article page that holds it, scrolled to it."""
    comment = get_object_or_404(
        Comment.objects.in_threads(request.user).select_related("article", "root"), pk=pk
    )
    article = comment.article
    if not article.live or not article.url:
        raise Http404("That comment's article is not published.")
    page = selectors.permalink_page(comment)
    query = f"?{urlencode({'cpage': page})}" if page > 1 else ""
    return HttpResponseRedirect(f"{article.url}{query}#comment-{comment.pk}")


@require_GET
def threads(request: HttpRequest, article_id: int) -> HttpResponse:
    """The next page of top-level threads ("load more"), in place or as a full page."""
    # An article's, or a standard page's that came with comments from an imported site.
    article = ArticlePage.objects.published().filter(pk=article_id).first() or get_object_or_404(
        StandardPage.objects.live().public(), pk=article_id
    )
    sort = selectors.parse_sort(request.GET.get("csort"))
    number = page_number(request, "cpage")
    if not request.htmx:
        query = urlencode({"csort": sort, "cpage": number or 1})
        return HttpResponseRedirect(f"{article.url}?{query}#comments")
    page = (
        selectors.thread_page(article, sort=sort, number=number, viewer=request.user)
        if number
        else None
    )
    if page is None:
        raise Http404("No more comments.")
    context = {
        "article": article,
        "thread_page": page,
        "comment_badges": page.badges,
        "comments_open": services.comments_open(article),
        "my_votes": selectors.user_votes(request.user, article=article),
        "can_comment": _can_comment(request),
    }
    return render(request, "comments/partials/thread_page.html", context)


@require_GET
def mention_suggestions(request: HttpRequest, article_id: int) -> HttpResponse:
    """The display names a signed-in reader may mention in this discussion, starting with `q`
    (JSON: {"names": [...]}): only readers with a visible comment on it, never an address."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to mention readers."}, status=403)
    retry = hit("comment-mentions:user", str(request.user.pk), MENTION_LIMIT)
    if retry is not None:
        return too_many(request, retry)
    article = get_object_or_404(ArticlePage.objects.published(), pk=article_id)
    names = selectors.mention_suggestions(
        article.pk, request.GET.get("q", ""), exclude_user=request.user
    )
    response = JsonResponse({"names": names})
    response["Cache-Control"] = "private, no-store"
    return response


def _discussion_page(article_id: int) -> Page:
    """A published article, or a live public standard page that came with a discussion."""
    return ArticlePage.objects.published().filter(pk=article_id).first() or get_object_or_404(
        StandardPage.objects.live().public(), pk=article_id
    )


@require_GET
def live(request: HttpRequest, article_id: int) -> HttpResponse:
    """What a page left open needs to show new comments in place (static/js/discussion.js):
    the discussion's latest comments as a visitor sees them, its visible count and version.

    The answer is the same for every reader of the article, whoever asks (the script sends no
    cookie), so the page cache answers it until the discussion changes, and nginx or a CDN
    keep it PADDOCK_LIVE_SHARED_SECONDS: however many readers poll, the app renders it about
    once a change. With `ids` (a signed-in reader showing what arrived), those comments as
    this reader sees them, with their votes and buttons: personal, never cached."""
    tag = f"article:{article_id}"
    ids = request.GET.get("ids")
    if ids is None:
        seconds = settings.PADDOCK_LIVE_SHARED_SECONDS
        pagecache.cacheable(request, "site", tag, shared=(seconds, seconds))
    version = pagecache.request_versions([tag])[tag]
    article = _discussion_page(article_id)
    open_ = services.comments_open(article)
    if ids is None:
        comments = selectors.live_comments(article)
        viewer = rendering.Viewer(
            comments_open=open_,
            badges=selectors.author_badges(article, {c.author_id for c in comments}),
        )
    else:
        wanted = {parse_id(pk) for pk in ids.split(",")[: selectors.LIVE_COUNT]} - {None}
        comments = selectors.live_comments(article, viewer=request.user, ids=wanted)
        viewer = comments_tags.viewer_for(
            request,
            comments_open=open_,
            can_comment=_can_comment(request),
            my_votes=selectors.user_votes(request.user, [c.pk for c in comments]),
            badges=selectors.author_badges(article, {c.author_id for c in comments}),
        )
    data = {
        "version": str(version),
        "count": selectors.visible_count(article),
        "poll": settings.PADDOCK_LIVE_POLL_SECONDS,
        "max_depth": settings.PADDOCK_COMMENT_MAX_DISPLAY_DEPTH,
        "comments": rendering.live_items(comments, viewer),
    }
    response = JsonResponse(data)
    if ids is not None:
        add_never_cache_headers(response)
    return response


@require_POST
@ratelimit("comment-post", **POST_LIMITS)
@once
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage.objects.live(), pk=article_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{article.url}#respond")
    form = CommentForm(request.POST, request=request)
    parent_id = parse_id(request.POST.get("parent"))
    if not form.is_valid():
        return _form_error(request, article, form, parent_id)
    try:
        comment = services.comment_create(
            user=request.user,
            article_id=article.pk,
            body=form.cleaned_data["body"],
            parent_id=form.cleaned_data["parent"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            referrer=request.headers.get("Referer", ""),
            permalink=request.build_absolute_uri(article.url or "/"),
        )
    except CommentError as exc:
        form.add_error(None, exc.message)
        return _form_error(request, article, form, parent_id, status=exc.status)
    if not request.htmx:
        return HttpResponseRedirect(_comment_url(comment))
    response = render(
        request,
        "comments/partials/posted.html",
        {
            **_comment_context(request, comment),
            "count": selectors.visible_count(article),
            "form": CommentForm(request=request),
        },
    )
    if comment.parent_id:
        anchor = comment.parent
        while anchor.depth > settings.PADDOCK_COMMENT_MAX_DISPLAY_DEPTH - 1:
            anchor = anchor.parent
        response = retarget(response, f"#replies-{anchor.pk}")
    else:
        response = retarget(response, "#comment-list")
    return reswap(response, "beforeend")


def _form_error(request, article, form, parent_id, status: int = 400) -> HttpResponse:
    parent = None
    if parent_id is not None:
        # Only a comment the reader may answer is quoted back to them.
        parent = (
            Comment.objects.answerable(request.user).filter(pk=parent_id, article=article).first()
        )
    context = {"article": article, "form": form, "parent": parent, "can_comment": True}
    if request.htmx:
        # Re-render the form where it stands, the reader's text kept, errors shown.
        response = render(request, "comments/partials/form.html", context, status=status)
        return reswap(retarget(response, "this"), "outerHTML")
    return render(request, "comments/form_page.html", context, status=status)


@require_http_methods(["GET"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form for one comment: inline with htmx, a page of its own without."""
    comment = get_object_or_404(
        Comment.objects.answerable(request.user).select_related(
            "article__articlepage", "author__profile"
        ),
        pk=pk,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "article": _page_of(comment),
        "parent": comment,
        "form": CommentForm(initial={"parent": comment.pk}, request=request),
        "can_comment": _can_comment(request),
        "comments_open": services.comments_open(_page_of(comment)),
    }
    template = "comments/partials/form.html" if request.htmx else "comments/form_page.html"
    return render(request, template, context)


@require_POST
@ratelimit("comment-vote", **VOTE_LIMITS)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        comment = get_object_or_404(Comment.objects.answerable(request.user), pk=pk)
        return redirect_to_login(_comment_url(comment))
    value = VOTE_VALUES.get(request.POST.get("value", ""))
    if value is None:
        return _error(request, CommentError("A vote is up, down or clear."))
    try:
        comment = services.vote_cast(user=request.user, comment_id=pk, value=value)
    except CommentError as exc:
        return _error(request, exc)
    if not request.htmx:
        return HttpResponseRedirect(_comment_url(comment))
    return render(request, "comments/partials/votes.html", _comment_context(request, comment))


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.in_threads(request.user)
        .filter(is_deleted=False)
        .select_related("article__articlepage", "author__profile"),
        pk=pk,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author can edit a comment.")
    form = EditForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(
                user=request.user, comment_id=pk, body=form.cleaned_data["body"]
            )
        except CommentError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            if not request.htmx:
                return HttpResponseRedirect(_comment_url(comment))
            return render(
                request, "comments/partials/comment.html", _comment_context(request, comment)
            )
    elif request.method == "POST":
        status = 400
    elif not services.edit_window_open(comment):
        form.add_error(None, "The time to edit this comment has passed.")
        status = 403
    template = "comments/partials/edit_form.html" if request.htmx else "comments/edit_page.html"
    return render(request, template, {"comment": comment, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.in_threads(request.user)
        .filter(is_deleted=False)
        .select_related("article__articlepage", "author__profile"),
        pk=pk,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author can delete a comment.")
    if request.method == "GET":
        return render(request, "comments/delete_page.html", {"comment": comment})
    services.comment_delete(user=request.user, comment_id=pk)
    if request.htmx:
        comment.refresh_from_db()
        return render(request, "comments/partials/comment.html", _comment_context(request, comment))
    return HttpResponseRedirect(f"{comment.article.url}#comments")


@require_http_methods(["GET", "POST"])
@ratelimit("comment-report", **REPORT_LIMITS)
@once
def report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.answerable(request.user).select_related(
            "article__articlepage", "author__profile"
        ),
        pk=pk,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        # Said before the form is shown, not after the reader has filled it in.
        services.check_verified(request.user, "reporting a comment")
    except CommentError as exc:
        return _error(request, exc, comment=comment)
    form = ReportForm(request.POST or None, request=request)
    context = {"comment": comment, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                user=request.user,
                comment_id=pk,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except CommentError as exc:
            return _error(request, exc, comment=comment)
        context["done"] = True
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    template = "comments/partials/report.html" if request.htmx else "comments/report_page.html"
    return render(request, template, context, status=status)
