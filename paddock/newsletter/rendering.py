"""Turning an edition into email messages: HTML and plain text from templates, once per
edition (or per choice of sections, for digests), then personalised per subscriber by filling
in placeholders, so that sending to 100,000 people does not render templates 100,000 times.

Every newsletter message carries RFC 2369 List-Unsubscribe and RFC 8058 List-Unsubscribe-Post
headers pointing at a one-click address, and the same links in its footer.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, field
from email.utils import formataddr
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, strip_tags
from wagtail.rich_text import expand_db_html

from paddock.core.mail import templated_message
from paddock.core.urls import absolute_url

from . import policy, selectors, tokens
from .models import Edition, EditionKind, Subscriber

_RELATIVE_HREF = re.compile(r'(href|src)="/(?!/)')
_LINK = re.compile(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|ul|ol)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def site_host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def absolutise(html: str) -> str:
    """Rich text links to the site's own pages are relative; in an email they cannot be."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{base}/', html)


def html_to_text(html: str) -> str:
    """Plain text of rich text for the text/plain part: paragraphs kept, links spelt out."""
    html = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", html)
    html = re.sub(r"<li[^>]*>", "* ", html, flags=re.IGNORECASE)
    text = unescape(strip_tags(_BLOCK_END.sub("\n\n", html)))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def unsubscribe_url(key: uuid.UUID, edition_id: int | None = None) -> str:
    token = tokens.unsubscribe_token(key, edition_id)
    return absolute_url(reverse("newsletter:unsubscribe", args=[token]))


def one_click_url(key: uuid.UUID, edition_id: int | None = None) -> str:
    token = tokens.unsubscribe_token(key, edition_id)
    return absolute_url(reverse("newsletter:one_click", args=[token]))


def manage_url(key: uuid.UUID) -> str:
    return absolute_url(reverse("newsletter:preferences", args=[tokens.manage_token(key)]))


def _base_context() -> dict:
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        "postal_address": policy.postal_address(),
    }


@dataclass
class _Rendered:
    html: str
    text: str


@dataclass
class EditionRenderer:
    """Renders one edition for many subscribers; keep one per edition while sending."""

    edition: Edition
    _nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    _cache: dict = field(default_factory=dict)
    _articles: list | None = None

    def _placeholder(self, name: str) -> str:
        return f"%%{name}-{self._nonce}%%"

    def articles_for(self, section_ids: frozenset[int]) -> list[selectors.DigestArticle]:
        if self._articles is None:
            self._articles = selectors.digest_articles(self.edition)
        chosen = [a for a in self._articles if not section_ids or a.section_id in section_ids]
        return chosen[: policy.digest_max_articles()]

    def _render(self, section_ids: frozenset[int]) -> _Rendered | None:
        if section_ids in self._cache:
            return self._cache[section_ids]
        edition = self.edition
        context = _base_context() | {
            "edition": edition,
            "subject": edition.subject,
            "preheader": edition.preheader,
            "name": self._placeholder("NAME"),
            "unsubscribe_url": self._placeholder("UNSUBSCRIBE"),
            "manage_url": self._placeholder("MANAGE"),
        }
        if edition.kind == EditionKind.SPECIAL:
            context["body_html"] = absolutise(expand_db_html(edition.body))
            context["body_text"] = html_to_text(context["body_html"])
        else:
            articles = self.articles_for(section_ids)
            if not articles:
                self._cache[section_ids] = None
                return None
            context["articles"] = articles
            # The line shown after the subject: this reader's own first headlines.
            context["preheader"] = " · ".join(a.title for a in articles[:3])
            context["sections"] = selectors.group_by_section(articles)
        rendered = _Rendered(
            html=render_to_string("newsletter/email/edition.html", context),
            text=render_to_string("newsletter/email/edition.txt", context),
        )
        self._cache[section_ids] = rendered
        return rendered

    def message(
        self,
        subscriber: Subscriber,
        *,
        section_ids: frozenset[int] = frozenset(),
        delivery_id: int | None = None,
    ) -> EmailMultiAlternatives | None:
        """The subscriber's copy, or None when a digest has nothing for their sections."""
        rendered = self._render(section_ids)
        if rendered is None:
            return None
        edition_id = self.edition.pk
        values = {
            "NAME": subscriber.name,
            "UNSUBSCRIBE": unsubscribe_url(subscriber.key, edition_id),
            "MANAGE": manage_url(subscriber.key),
        }
        html, text = rendered.html, rendered.text
        for name, value in values.items():
            html = html.replace(self._placeholder(name), escape(value))
            text = text.replace(self._placeholder(name), value)
        message = EmailMultiAlternatives(
            subject=self.edition.subject,
            body=text,
            to=[formataddr((subscriber.name, subscriber.email))],
            headers=list_headers(subscriber.key, edition_id)
            | {"Message-ID": message_id(edition_id, delivery_id)},
        )
        message.attach_alternative(html, "text/html")
        # Read by email providers through django-anymail, ignored by plain SMTP: they come
        # back with bounce and complaint events.
        message.metadata = {"edition": edition_id, "delivery": delivery_id or 0}
        message.tags = [f"newsletter-{self.edition.kind}"]
        return message


def message_id(edition_id: int | None, delivery_id: int | None) -> str:
    """Stable across retries of one delivery, so a receiving server can spot a repeat."""
    if delivery_id:
        return f"<newsletter.{edition_id}.{delivery_id}@{site_host()}>"
    return f"<newsletter.{edition_id or 0}.{secrets.token_hex(8)}@{site_host()}>"


def list_headers(key: uuid.UUID, edition_id: int | None) -> dict[str, str]:
    site = settings.WAGTAIL_SITE_NAME.replace('"', "")
    return {
        "List-Unsubscribe": f"<{one_click_url(key, edition_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f'"{site} newsletter" <newsletter.{site_host()}>',
        "Precedence": "bulk",
        "Auto-Submitted": "auto-generated",
    }


def preview_html(edition: Edition) -> str:
    """The edition as a subscriber of every section would see it, links pointing nowhere."""
    renderer = EditionRenderer(edition)
    rendered = renderer._render(frozenset())
    if rendered is None:
        return render_to_string(
            "newsletter/email/nothing_new.html", _base_context() | {"edition": edition}
        )
    html = rendered.html
    for name, value in {"NAME": "", "UNSUBSCRIBE": "#", "MANAGE": "#"}.items():
        html = html.replace(renderer._placeholder(name), value)
    return html


def test_message(edition: Edition, *, email: str, name: str = "") -> EmailMultiAlternatives:
    """An editor's test copy: the real thing, with links that act on no subscriber."""
    stand_in = Subscriber(email=email, name=name, key=uuid.UUID(int=0))
    message = EditionRenderer(edition).message(stand_in)
    if message is None:
        message = EmailMultiAlternatives(
            subject=edition.subject,
            body="This digest has no articles yet, so subscribers would get nothing.",
            to=[email],
        )
    message.subject = f"[Test] {message.subject}"
    return message


def transactional(*, template: str, subject: str, to: str, context: dict) -> EmailMultiAlternatives:
    """A one-off email to one address (confirmation, preferences link): text and HTML."""
    return templated_message(
        subject=subject,
        template=f"newsletter/email/{template}.txt",
        html_template=f"newsletter/email/{template}.html",
        context=_base_context() | context,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
