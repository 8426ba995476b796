"""A signed-in reader's notifications page and marking them read (always by a POST, a button
on the page that works without JavaScript, never as a side effect of showing them); their email
preferences, the unsubscribe link of notification emails, and following a discussion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paddock.core.errors import Refused
from paddock.core.ids import parse_id
from paddock.core.pagination import page_number
from paddock.core.ratelimit import Limit, ratelimit
from paddock.newsroom.models import ArticlePage

from . import follows, preferences, selectors, services, tokens
from .forms import PreferencesForm
from .preferences import DESCRIPTIONS, DIGEST


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Replies to the reader's comments, mentions of them, their comments featured, and what
    moderation decided about their comments, newest first."""
    number = page_number(request, "p")
    page = selectors.notification_page(request.user, number)
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


def _back(request: HttpRequest) -> str:
    """Back to the page of notifications the reader marked from (a path of this site only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the reader's notifications read; another reader's answers 404."""
    marked = services.notifications_mark_read(user=request.user, ids=[pk])
    if not marked and not request.user.notifications.filter(pk=pk).exists():
        raise Http404("No such notification.")
    return HttpResponseRedirect(_back(request))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the reader read (up to the newest they were shown: `upto`,
    so one that arrived while they read the page stays unread)."""
    upto = parse_id(request.POST.get("upto"))
    count = services.notifications_mark_read(user=request.user, upto=upto)
    if count:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return HttpResponseRedirect(_back(request))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request: HttpRequest) -> HttpResponse:
    """Choose, for each kind of notification, never, at once or in the daily digest."""
    current = preferences.frequencies(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=current)
    if request.method == "POST" and form.is_valid():
        preferences.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your email preferences have been saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "title": "Email notifications"},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: the mail provider POSTs here on the reader's behalf, with no cookie
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("notifications-unsubscribe", per_ip=Limit(600, 60))
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask (a link scanner that follows the link changes nothing). POST, from the button
    or a mail client's one-click unsubscribe: stop that kind of email. The signed link is the
    authority, so no sign-in and no CSRF token (it holds no cookie to forge)."""
    try:
        data = tokens.unsubscribe_data(token)
    except tokens.LinkInvalid:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"invalid": True, "title": "This link does not work"},
            status=400,
        )
    user = get_user_model().objects.filter(pk=data.user_id, is_active=True).first()
    if user is None:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"gone": True, "title": "No such account"},
            status=404,
        )
    done = False
    if request.method == "POST":
        preferences.preferences_stop(user=user, kind=data.kind)
        done = True
    what = (
        "the daily digest of notifications"
        if data.kind == DIGEST
        else f"emails when {DESCRIPTIONS[data.kind][0].lower()}{DESCRIPTIONS[data.kind][1:]}"
    )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "what": what, "title": "Unsubscribed" if done else "Unsubscribe"},
    )


def _back_to_article(request: HttpRequest, article: ArticlePage) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return (article.url or "/") + "#comments"


@require_POST
@login_required
@ratelimit("notifications-follow", per_user=Limit(60, 600))
def follow(request: HttpRequest, article_id: int) -> HttpResponse:
    article = ArticlePage.objects.published().filter(pk=article_id).first()
    if article is None:
        raise Http404("That article does not exist or is not published.")
    try:
        if request.POST.get("action") == "unfollow":
            follows.follow_stop(user=request.user, article_id=article.pk)
            messages.success(request, "You no longer follow this discussion.")
        else:
            follows.follow_start(user=request.user, article_id=article.pk)
            messages.success(
                request,
                "You follow this discussion: you will hear of each new thread in it, "
                "as your email preferences say.",
            )
    except Refused as error:
        messages.error(request, error.message)
    return redirect(_back_to_article(request, article))
