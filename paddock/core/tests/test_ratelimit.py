"""Rate limits: counted per scope and key, 429 with Retry-After once over."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from paddock.core.ratelimit import Limit, client_ip, hit, ratelimit


@pytest.mark.django_db  # the limits store is a table when there is no Redis
def test_hit_allows_up_to_the_limit_then_says_when_to_retry():
    limit = Limit(3, 60)
    assert [hit("t", "k", limit) for _ in range(3)] == [None, None, None]
    retry = hit("t", "k", limit)
    assert retry is not None and 1 <= retry <= 60
    assert hit("t", "other", limit) is None  # another key has its own count


@pytest.mark.django_db
def test_decorated_view_answers_429_with_retry_after(rf: RequestFactory):
    @ratelimit("demo", per_ip=Limit(2, 60))
    def view(request):
        return HttpResponse("ok")

    def post():
        request = rf.post("/x", REMOTE_ADDR="203.0.113.9")
        request.user = AnonymousUser()
        return view(request)

    assert [post().status_code for _ in range(2)] == [200, 200]
    response = post()
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "too many times" in response.content.decode()
    get = rf.get("/x", REMOTE_ADDR="203.0.113.9")
    get.user = AnonymousUser()
    assert view(get).status_code == 200  # reading is never limited


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"
