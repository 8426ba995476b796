"""Moderators' pages in the admin: the queue, one comment in its context, a reader, the audit
log with its CSV export, the dashboard, and discussions editors can close; and the button with
which editors and moderators feature a comment on the article page. (Readers see the notices
about their own comments on their notifications page, paddock/notifications.)

Every view checks its permission on the server; the actions (actions/) check again before
writing, and a refusal (paddock.core.errors.Refused) is shown to the person with its message.
"""

from __future__ import annotations

import csv
import functools
import json
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paddock.comments.models import Comment
from paddock.core.errors import Refused
from paddock.core.ids import parse_id
from paddock.core.pagination import page_number, parse_page_number
from paddock.newsroom.models import ArticlePage

from . import selectors
from .actions import (
    CLOSE,
    FEATURE,
    MODERATE,
    SANCTION,
    CommentDecideAction,
    CommentEditAction,
    CommentFeatureAction,
    DiscussionCloseAction,
    ReaderSanctionAction,
)
from .forms import (
    AuditFilterForm,
    DecisionForm,
    ModeratorEditForm,
    QueueFilterForm,
    SanctionForm,
)

PER_PAGE = 50
AUDIT_PER_PAGE = 100


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied("Your account does not have permission for this.")


def staff_view(view):
    """Moderation pages live beside the admin, not inside its URL wrapper: a visitor who is
    not signed in goes to the admin's sign-in page, anyone signed in without the permission
    gets a plain 403 (the admin's wrapper would redirect them instead)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return view(request, *args, **kwargs)

    return wrapped


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
@staff_view
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, MODERATE)
    return _queue_page(request, request.GET, request.get_full_path())


def _queue_page(
    request: HttpRequest,
    params: QueryDict,
    here: str,
    *,
    kept: dict | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue as `params` filter it. `here` is its address, where forms come back to; `kept`
    is what a refused decision had ticked and typed, shown again with its `errors`."""
    form = QueueFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    comments = selectors.queue(filters)
    page = Paginator(comments, PER_PAGE).get_page(parse_page_number(params.get("p")))
    items = list(page.object_list)
    summaries = selectors.reader_summaries(c.author_id for c in items)
    article = None
    if filters.get("article"):
        article = ArticlePage.objects.filter(pk=filters["article"]).first()
    query = params.copy()
    query.pop("p", None)
    return render(
        request,
        "moderation/admin/queue.html",
        {
            "tab": "queue",
            "form": form,
            "page": page,
            "rows": [(c, summaries.get(c.author_id)) for c in items],
            "counts": selectors.queue_counts_for(request),
            "article": article,
            "query": query.urlencode(),
            "here": here,
            "can_sanction": request.user.has_perm(SANCTION),
            "can_close": request.user.has_perm(CLOSE),
            "decisions": DecisionForm.base_fields["action"].choices,
            "kept": kept or {"comments": set(), "action": "", "reason": ""},
            "decision_errors": errors or [],
        },
        status=status,
    )


def _refused_decision(request: HttpRequest, back: str, errors: list[str]) -> HttpResponse:
    """A decision that cannot be made. Back on the queue, the page is shown again with what was
    ticked and typed, so nothing has to be selected twice; elsewhere (one comment's page) the
    errors go back as messages."""
    target = urlsplit(back)
    if target.path != reverse("moderation_admin:queue"):
        for error in errors:
            messages.error(request, error)
        return HttpResponseRedirect(back)
    kept = {
        "comments": {i for i in map(parse_id, request.POST.getlist("comments")) if i},
        "action": request.POST.get("action", ""),
        "reason": request.POST.get("reason", "")[:300],
    }
    params = QueryDict(target.query)
    return _queue_page(request, params, back, kept=kept, errors=errors, status=400)


@require_POST
@staff_view
def decide(request: HttpRequest) -> HttpResponse:
    _require(request, MODERATE)
    form = DecisionForm(request.POST)
    back = _back(request, reverse("moderation_admin:queue"))
    if not form.is_valid():
        return _refused_decision(
            request, back, [error for errors in form.errors.values() for error in errors]
        )
    try:
        changed = CommentDecideAction(
            form.cleaned_data["comments"],
            decision=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        ).execute()
    except Refused as exc:
        return _refused_decision(request, back, [exc.message])
    label = dict(form.fields["action"].choices)[form.cleaned_data["action"]]
    messages.success(
        request, f"{label}: {changed} comment{'s' if changed != 1 else ''}.", extra_tags="done"
    )
    return HttpResponseRedirect(back)


@require_http_methods(["GET", "POST"])
@staff_view
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MODERATE)
    comment = get_object_or_404(
        Comment.objects.select_related(
            "article", "author__profile", "parent__author__profile", "moderated_by"
        ),
        pk=pk,
    )
    form = ModeratorEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            CommentEditAction(
                comment.pk,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            ).execute()
        except Refused as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, "Comment edited; readers see it as edited by a moderator.")
            return HttpResponseRedirect(_back(request, request.path))
    replies = (
        Comment.objects.filter(parent=comment)
        .select_related("author__profile")
        .order_by("created_at")[:20]
    )
    reports = comment.reports.select_related("reporter__profile").order_by("created_at")
    summary = selectors.reader_summaries([comment.author_id]).get(comment.author_id)
    history = (
        selectors.reader_comments(comment.author).exclude(pk=comment.pk)[:10]
        if comment.author_id
        else []
    )
    audit = selectors.audit_log({}).filter(comment=comment)[:20]
    return render(
        request,
        "moderation/admin/comment.html",
        {
            "comment": comment,
            "form": form,
            "replies": replies,
            "reports": reports,
            "summary": summary,
            "history": history,
            "audit": audit,
            "decisions": DecisionForm.base_fields["action"].choices,
            "can_sanction": request.user.has_perm(SANCTION),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_view
def reader_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    _require(request, MODERATE)
    reader = get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id)
    form = SanctionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require(request, SANCTION)
        if form.is_valid():
            try:
                ReaderSanctionAction(
                    reader.pk,
                    sanction=form.cleaned_data["action"],
                    until=form.cleaned_data.get("until"),
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                ).execute()
            except Refused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "The reader's standing was updated.")
                return HttpResponseRedirect(request.path)
        else:
            status = 400
    summary = selectors.reader_summaries([reader.pk]).get(reader.pk)
    return render(
        request,
        "moderation/admin/reader.html",
        {
            "reader": reader,
            "summary": summary,
            "comments": selectors.reader_comments(reader)[:50],
            "audit": selectors.audit_log({"reader": reader.pk})[:50],
            "form": form,
            "can_sanction": request.user.has_perm(SANCTION),
        },
        status=status,
    )


@require_GET
@staff_view
def audit_log(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_auditentry")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    paginator = Paginator(selectors.audit_log(filters), AUDIT_PER_PAGE)
    page = paginator.get_page(page_number(request, "p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "moderation/admin/audit.html",
        {
            "tab": "audit",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": request.user.has_perm("moderation.export_audit_log"),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value) -> str:
    """Spreadsheets run cells that start with these as formulas; a quote keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _json(value) -> str:
    """A recorded state as JSON, which any tool reads (not Python's repr of a dict)."""
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


@require_GET
@staff_view
def audit_csv(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.export_audit_log")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_log(filters)
    writer = csv.writer(_Echo())
    header = [
        "time",
        "moderator",
        "action",
        "summary",
        "reason",
        "comment",
        "reader",
        "article",
        "before",
        "after",
    ]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _csv_safe(value)
                    for value in (
                        entry.created_at.isoformat(),
                        entry.actor_name,
                        entry.action,
                        entry.summary,
                        entry.reason,
                        entry.comment_id or "",
                        entry.reader_id or "",
                        entry.article_id or "",
                        _json(entry.before),
                        _json(entry.after),
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="moderation-audit-{stamp}.csv"'
    return response


@require_GET
@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_moderation_dashboard")
    return render(
        request,
        "moderation/admin/dashboard.html",
        {"stats": selectors.dashboard(), "tab": "dashboard"},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def discussions(request: HttpRequest) -> HttpResponse:
    """The liveliest discussions, each with a switch to close or reopen it (editors)."""
    _require(request, CLOSE)
    if request.method == "POST":
        article_id = parse_id(request.POST.get("article"))
        closed = request.POST.get("closed") == "1"
        if article_id is None:
            messages.error(request, "Choose an article.")
        else:
            try:
                article = DiscussionCloseAction(
                    article_id,
                    closed=closed,
                    reason=request.POST.get("reason", ""),
                    user=request.user,
                ).execute()
            except Refused as exc:
                messages.error(request, exc.message)
            else:
                state = "closed" if closed else "open"
                messages.success(request, f"Comments on “{article.title}” are now {state}.")
        return HttpResponseRedirect(_back(request, request.path))
    since = timezone.now() - timezone.timedelta(days=14)
    articles = (
        ArticlePage.objects.live()
        .annotate(
            recent=Count("comments", filter=Q(comments__created_at__gte=since)),
            last_comment=Max("comments__created_at"),
        )
        .order_by("-recent", "-published_at")
    )
    term = (request.GET.get("q") or "").strip()[:200]
    if term:
        articles = articles.filter(title__icontains=term)
    page = Paginator(articles, 30).get_page(page_number(request, "p"))
    return render(
        request,
        "moderation/admin/discussions.html",
        {"page": page, "q": term, "tab": "discussions"},
    )


@require_POST
@login_required
def feature(request: HttpRequest, pk: int) -> HttpResponse:
    """Feature a comment (`featured=1`) or take it down (`featured=0`), from the article page;
    back to the comment either way."""
    _require(request, FEATURE)
    featured = request.POST.get("featured")
    back = _back(request, reverse("comments:permalink", args=[pk]))
    if featured not in ("0", "1"):
        messages.error(request, "Say whether to feature the comment or take it down.")
        return HttpResponseRedirect(back)
    try:
        CommentFeatureAction(pk, featured=featured == "1", user=request.user).execute()
    except Refused as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(back)
    done = "Comment featured." if featured == "1" else "Comment no longer featured."
    messages.success(request, done)
    return HttpResponseRedirect(back)
