"""Structured logs: LOG_FORMAT=json writes one JSON object a line, tagged with the request id."""

from __future__ import annotations

import json
import logging
import sys

from django.core.signals import request_finished, request_started

from paddock.core.logs import JsonFormatter, RequestIdFilter


def _record(message: str, *args, exc_info=None) -> logging.LogRecord:
    record = logging.LogRecord(
        "paddock.test", logging.WARNING, __file__, 1, message, args, exc_info
    )
    RequestIdFilter().filter(record)
    return record


def test_json_lines_carry_the_proxys_request_id_and_the_traceback():
    request_started.send(sender=None, environ={"HTTP_X_REQUEST_ID": "5f2b9c0e-nginx"})
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            line = JsonFormatter().format(_record("Lead %s failed", 7, exc_info=sys.exc_info()))
    finally:
        request_finished.send(sender=None)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Lead 7 failed"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "paddock.test"
    assert entry["request_id"] == "5f2b9c0e-nginx"
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_a_request_without_a_usable_id_gets_a_fresh_one_and_none_outside_requests():
    request_started.send(sender=None, environ={"HTTP_X_REQUEST_ID": "forged\nline"})
    try:
        request_id = _record("x").request_id
    finally:
        request_finished.send(sender=None)
    assert len(request_id) == 32 and "\n" not in request_id
    assert _record("x").request_id == "-"
