"""Django's WSGI handler as the site serves it (config/wsgi.py): requests that let go of what
they hold once answered (memory.FreeingRequest), and each address resolved to its view once a
process.

Django finds a request's view by trying the URL patterns in order; an article, served by
Wagtail's pattern at the end, is tried against every pattern before it (some forty: 40 µs a
request in one process). The resolver gives the same answer for the same path under the same
URL configuration, so the handler keeps it per path: the last RESOLVED_PATHS paths resolved
(forgotten all at once past that, so that a stranger's made-up addresses cost memory for a
moment at most). Each request gets its own copy of the answer, its keyword arguments
included. A request with a URL configuration of its own (`request.urlconf`), or a path no
pattern takes (a 404), is resolved as Django does.
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler
from django.urls import get_resolver
from django.urls.resolvers import ResolverMatch

from .memory import FreeingRequest

RESOLVED_PATHS = 2048

# path → (the root resolver that resolved it, its answer)
_resolved: dict[str, tuple[object, ResolverMatch]] = {}


class Handler(WSGIHandler):
    request_class = FreeingRequest

    def resolve_request(self, request):
        if hasattr(request, "urlconf"):
            return super().resolve_request(request)
        resolver = get_resolver()  # another when the URL configuration changes (tests)
        path = request.path_info
        found = _resolved.get(path)
        if found is None or found[0] is not resolver:
            # A path no pattern takes raises here, and is not kept.
            found = _resolved[path] = (resolver, super().resolve_request(request))
            if len(_resolved) > RESOLVED_PATHS:
                _resolved.clear()
                _resolved[path] = found
        request.resolver_match = match = _copy(found[1])
        return match


def _copy(match: ResolverMatch) -> ResolverMatch:
    """A request's own ResolverMatch: its dictionaries its own, since middleware and views may
    change what they are given."""
    copy = object.__new__(ResolverMatch)
    copy.__dict__.update(match.__dict__)
    copy.kwargs = dict(match.kwargs)
    if match.captured_kwargs is not None:
        copy.captured_kwargs = dict(match.captured_kwargs)
    if match.extra_kwargs is not None:
        copy.extra_kwargs = dict(match.extra_kwargs)
    return copy
