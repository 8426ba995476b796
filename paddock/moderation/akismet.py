"""A small client for Akismet's REST API (comment-check, submit-spam, submit-ham, verify-key).

Used only when AKISMET_API_KEY is set. Every call has a short timeout: when Akismet is slow or
down, comments go on through the other scorers instead of waiting for it.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from paddock.core.urls import absolute_url

from .scoring import Candidate

logger = logging.getLogger(__name__)
TIMEOUT = 3.0


class AkismetError(Exception):
    pass


def configured() -> bool:
    return bool(settings.AKISMET_API_KEY)


def _endpoint(method: str) -> str:
    return settings.AKISMET_URL.rstrip("/") + "/" + method


def _post(method: str, data: dict) -> tuple[str, dict]:
    data = {"api_key": settings.AKISMET_API_KEY, "blog": absolute_url("/"), **data}
    body = urllib.parse.urlencode({k: v for k, v in data.items() if v is not None}).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is a setting, http(s) only
        _endpoint(method),
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "Paddock/1.0 | paddock-akismet/1.0",
        },
    )
    if not request.full_url.startswith(("http://", "https://")):
        raise AkismetError("AKISMET_URL must be an http(s) address.")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.read(2048).decode("utf-8", "replace").strip(), dict(response.headers)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise AkismetError(f"Akismet could not be reached: {exc}") from exc


def _comment_fields(candidate) -> dict:
    user = candidate.user
    profile = getattr(user, "profile", None)
    return {
        "user_ip": candidate.ip_address or "",
        "user_agent": candidate.user_agent,
        "referrer": candidate.referrer,
        "permalink": candidate.permalink,
        "comment_type": "comment",
        "comment_author": getattr(profile, "display_name", "") or "",
        "comment_author_email": getattr(user, "email", "") or "",
        "comment_content": candidate.text,
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }


def check(candidate) -> str | None:
    """'spam', 'discard' (blatant spam), 'ham', or None when Akismet gave no answer."""
    try:
        text, headers = _post("comment-check", _comment_fields(candidate))
    except AkismetError:
        logger.warning("Akismet comment-check failed", exc_info=True)
        return None
    if text == "true":
        tip = {k.lower(): v for k, v in headers.items()}.get("x-akismet-pro-tip", "")
        return "discard" if tip == "discard" else "spam"
    if text == "false":
        return "ham"
    logger.warning("Akismet answered %r: %s", text, headers.get("X-akismet-debug-help", ""))
    return None


def submit(comment, *, spam: bool) -> bool:
    """Tell Akismet a moderator's verdict on a comment, so it learns; True when accepted."""

    candidate = Candidate(
        user=comment.author,
        text=comment.body_text,
        html=comment.body_html,
        article_id=comment.article_id,
        ip_address=comment.ip_address,
        permalink=absolute_url(comment.get_absolute_url()),
    )
    try:
        text, _ = _post("submit-spam" if spam else "submit-ham", _comment_fields(candidate))
    except AkismetError:
        logger.warning("Akismet submit failed", exc_info=True)
        return False
    return text.startswith("Thanks")


def verify_key() -> bool:
    try:
        text, _ = _post("verify-key", {"key": settings.AKISMET_API_KEY})
    except AkismetError:
        return False
    return text == "valid"
