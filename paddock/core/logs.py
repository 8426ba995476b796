"""Structured logs: one JSON object a line (LOG_FORMAT=json), each tagged with its request's id.

The id is the X-Request-ID header that nginx in front sets (`proxy_set_header X-Request-ID
$request_id`), so the proxy's access log and the app's lines about one request share it; with
no proxy a fresh one is made. Outside requests (workers, commands) it is "-".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

from django.core.signals import request_finished, request_started
from django.dispatch import receiver

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("paddock_request_id", default="-")
# A client can send any header: keep only what looks like an id, so a log line stays one line.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


@receiver(request_started, dispatch_uid="paddock.core.logs.request_started")
def _request_started(sender, environ=None, **kwargs) -> None:
    given = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    _request_id.set(given if _VALID_ID.match(given) else uuid.uuid4().hex)


@receiver(request_finished, dispatch_uid="paddock.core.logs.request_finished")
def _request_finished(sender, **kwargs) -> None:
    _request_id.set("-")


def request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, and
    the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
