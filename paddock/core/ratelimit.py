"""Rate limits on actions a stranger can trigger, counted in the "limits" cache.

A fixed window per key is enough here: it is cheap (one atomic increment), shared by every app
process through the limits store (Redis, else the database: paddock/core/limitstore.py), and
its worst case (twice the limit across a window edge) is still a limit. Over the limit, views
answer 429 with Retry-After.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
    the outermost trusted proxy saw (X-Forwarded-For is read from the right, since a client
    can put anything on its left)."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(scope: str, key: str, limit: Limit) -> int | None:
    """Count one action; None when allowed, else the seconds until the window reopens."""
    window = int(time.time() // limit.seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    cache = caches["limits"]
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=limit.seconds + 1)
            count = 1
    if count > limit.count:
        return max(1, (window + 1) * limit.seconds - int(time.time()))
    return None


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    body = render_to_string(
        "core/too_many_requests.html", {"retry_after": retry_after}, request=request
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str, *, per_user: Limit | None = None, per_ip: Limit | None = None):
    """Decorate a view: over either limit, answer 429 instead of running it. Only POSTs count."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method == "POST":
                checks = []
                if per_ip:
                    checks.append(("ip", client_ip(request), per_ip))
                if per_user and request.user.is_authenticated:
                    checks.append(("user", str(request.user.pk), per_user))
                for kind, key, limit in checks:
                    retry = hit(f"{scope}:{kind}", key, limit)
                    if retry is not None:
                        return too_many(request, retry)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
