"""Send reads that tolerate lag to a read replica; everything else stays on the primary.

Active only when DATABASE_REPLICA_URL is set (config/settings.py adds the "replica" alias and
this router). Routing every read to a replica is how sites lose a reader's own comment after
posting it, or sign them out because their new session row has not arrived yet. So a read goes
to the replica only when all of these hold:

- something asked for it: a GET or HEAD request under one of DATABASE_REPLICA_PATHS (the
  sitemap and search by default), or code inside `with replica_reads():`;
- nothing in the same request (or block) has written, or asked for the write database, yet:
  from the first write on, every read is on the primary;
- the primary is not inside a transaction (a service that reads and then writes reads there);
- the model is one of the published-content apps (REPLICA_APPS). Sessions, accounts,
  comments, moderation, leads, the newsletter and the task queues always read the primary.

The state lives in a context variable, set at the start of every request (or `replica_reads`
block outside one) and cleared at its end, so one thread's requests never share it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver

REPLICA = "replica"
# Published content: Wagtail's pages, the newsroom's models, tags, images, the search index.
REPLICA_APPS = frozenset(
    {"wagtailcore", "newsroom", "taggit", "wagtailimages", "wagtailsearch", "contenttypes"}
)
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class _State:
    replica_ok: bool = False
    wrote: bool = False


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar(
    "paddock_replica_state", default=None
)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads of published content inside the block use the replica (when there is one).

    Within a request the request's own writes still count; outside one (a task, a command)
    the block is a scope of its own, from which a write pins the rest of it to the primary.
    """
    state = _state.get()
    if state is None:
        token = _state.set(_State(replica_ok=True))
        try:
            yield
        finally:
            _state.reset(token)
        return
    before = state.replica_ok
    state.replica_ok = True
    try:
        yield
    finally:
        state.replica_ok = before


def replica_configured() -> bool:
    return REPLICA in connections.settings


@receiver(request_started, dispatch_uid="paddock.core.routers.request_started")
def _request_started(sender, environ=None, **kwargs) -> None:
    environ = environ or {}
    path = environ.get("PATH_INFO", "")
    _state.set(
        _State(
            replica_ok=environ.get("REQUEST_METHOD") in SAFE_METHODS
            and any(path.startswith(p) for p in getattr(settings, "DATABASE_REPLICA_PATHS", [])),
        )
    )


@receiver(request_finished, dispatch_uid="paddock.core.routers.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _state.set(None)


class ReplicaRouter:
    """Reads to "replica" when the rules above allow it; writes and migrations to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        state = _state.get()
        if (
            state is None
            or not state.replica_ok
            or state.wrote
            or model._meta.app_label not in REPLICA_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not replica_configured()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        # Reads after this one must see it: pin the rest of the request (or block) to the
        # primary. Outside both nothing reads the replica, so there is nothing to pin.
        if (state := _state.get()) is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: objects from either may be related.
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica follows the primary's schema through replication, never through migrate.
        return False if db == REPLICA else None
