"""Hostile comment bodies: every string in paddock.core.hostile, posted and shown on the pages.

Each one is either refused with a message or stored and rendered as inert text: the comment's
HTML holds only the tags and attributes the renderer allows, links go only to http, https or
mailto with rel="nofollow ugc noopener", and no page that shows the comment (the article, the
reply page, the author's edit page) carries a script, event handler or dangerous URL taken
from it. Text in other alphabets, emoji and combining marks come back exactly as typed;
control characters do not come back at all.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from paddock.comments import markup, services
from paddock.comments.models import Comment
from paddock.comments.services import MAX_LENGTH, CommentError
from paddock.core.hostile import HOSTILE_STRINGS

pytestmark = pytest.mark.django_db

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre"}
LINK_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# Tags the site's own templates never use: one on a page came from a reader.
FOREIGN_TAGS = {"iframe", "object", "embed", "base", "svg", "math", "frame", "style", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcdoc", "xlink:href"}

# Bugs these tests found, marked until fixed (each mark fails loudly once its bug is gone).
KNOWN_BUGS: dict[str, str] = {}


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\n\t"


def _label(raw: str) -> str:
    # ASCII only, so that right-to-left marks and NULs cannot garble the test report.
    shown = ascii(raw[:30])[1:-1]
    return f"{shown}...({len(raw)})" if len(raw) > 30 else shown


def _cases(strings: list[str]) -> list:
    return [
        pytest.param(
            raw,
            id=f"{HOSTILE_STRINGS.index(raw):02d}:{_label(raw)}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[raw])]
            if raw in KNOWN_BUGS
            else [],
        )
        for raw in strings
    ]


# Text with nothing for Markdown or HTML to act on, in scripts beyond ASCII: it must come back
# character for character.
PLAIN_UNICODE = [
    raw
    for raw in HOSTILE_STRINGS
    if not raw.isascii() and markup.clean_text(raw) == raw and not set(raw) & set("<>&*_[]`\\!#>-")
]
WITH_CONTROLS = [
    raw
    for raw in HOSTILE_STRINGS
    if any(_is_control(ch) for ch in raw) and markup.clean_text(raw)  # else refused as empty
]


class _PageParser(HTMLParser):
    """Every element of a page, and the elements and text inside one comment's body."""

    def __init__(self, comment_pk: int) -> None:
        super().__init__(convert_charrefs=True)
        self.box_id = f"c-{comment_pk}"
        self.in_box = self.in_body = False
        self.bodies = 0
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.body_elements: list[tuple[str, dict[str, str | None]]] = []
        self.body_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        assert len(attributes) == len(attrs), f"repeated attribute on <{tag}>: {attrs}"
        self.elements.append((tag, attributes))
        if self.in_body:
            self.body_elements.append((tag, attributes))
        elif tag == "article" and attributes.get("id") == self.box_id:
            self.in_box = True
        elif self.in_box and tag == "div" and "comment__body" in (attributes.get("class") or ""):
            self.in_body = True
            self.bodies += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        # Nothing the renderer allows is a div, so the first </div> closes the body.
        if self.in_body and tag == "div":
            self.in_body = self.in_box = False

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.body_text.append(data)


def _parse(html: str, comment: Comment) -> _PageParser:
    parser = _PageParser(comment.pk)
    parser.feed(html)
    parser.close()
    return parser


def _assert_page_is_inert(html: str, comment: Comment) -> None:
    """No element on the page could run script or load something the reader chose."""
    for tag, attributes in _parse(html, comment).elements:
        assert tag not in FOREIGN_TAGS, f"<{tag}> on the page"
        if tag == "script":
            src = attributes.get("src") or ""
            assert attributes.get("type") == "application/ld+json" or src.startswith("/static/")
        if tag == "meta":
            assert "http-equiv" not in attributes
        for name, value in attributes.items():
            assert not name.startswith("on"), f"<{tag} {name}=…> on the page"
            if name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme not in {"javascript", "data", "vbscript"}, f"<{tag} {name}={value}>"
    text = comment.body
    if "<" in text:
        assert text not in html, "the reader's markup reached the page unescaped"


@pytest.mark.parametrize("raw", _cases(HOSTILE_STRINGS))
def test_hostile_body_is_refused_or_shown_as_inert_text(raw, article, reader_factory, client):
    author = reader_factory()
    if not markup.clean_text(raw):
        with pytest.raises(CommentError, match="Your comment is empty."):
            services.comment_create(user=author, article_id=article.pk, body=raw)
        assert not Comment.objects.exists()
        return

    try:
        comment = services.comment_create(user=author, article_id=article.pk, body=raw)
    except CommentError as exc:
        # Refused with a reason (e.g. quotes nested too deep to show any text): nothing kept.
        assert "no text that can be shown" in exc.message
        assert not Comment.objects.exists()
        return
    comment.refresh_from_db()
    for stored in (comment.body, comment.body_html, comment.body_text):
        assert not any(_is_control(ch) for ch in stored)

    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    page = _parse(html, comment)
    assert page.bodies == 1, "the comment's body is not on the article page"
    for tag, attributes in page.body_elements:
        assert tag in ALLOWED_TAGS, f"<{tag}> in the comment body"
        if tag == "a":
            assert set(attributes) <= {"href", "rel"}, attributes
            assert attributes.get("rel") == LINK_REL
            # A link to a refused address (relative, javascript:...) keeps its text, no href.
            if "href" in attributes:
                href = attributes["href"] or ""
                assert urlsplit(href).scheme in LINK_SCHEMES, f"link to {href!r}"
        else:
            assert not attributes, f"<{tag} {attributes}> in the comment body"
    _assert_page_is_inert(html, comment)

    # The same body on the other pages that show it: the reply page and the author's edit page.
    client.force_login(reader_factory())
    reply_page = client.get(reverse("comments:reply", kwargs={"pk": comment.pk}))
    assert reply_page.status_code == 200
    _assert_page_is_inert(reply_page.content.decode(), comment)
    client.force_login(author)
    edit_page = client.get(reverse("comments:edit", kwargs={"pk": comment.pk}))
    assert edit_page.status_code == 200
    _assert_page_is_inert(edit_page.content.decode(), comment)


@pytest.mark.parametrize("raw", _cases(PLAIN_UNICODE))
def test_other_scripts_emoji_and_combining_marks_round_trip(raw, article, reader_factory, client):
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body=raw)
    comment.refresh_from_db()
    assert comment.body == raw
    page = _parse(client.get(article.url).content.decode(), comment)
    assert "".join(page.body_text).strip() == raw


@pytest.mark.parametrize("raw", _cases(WITH_CONTROLS))
def test_nul_and_control_characters_are_removed_and_the_rest_kept(
    raw, article, reader_factory, client
):
    comment = services.comment_create(user=reader_factory(), article_id=article.pk, body=raw)
    comment.refresh_from_db()
    page = _parse(client.get(article.url).content.decode(), comment)
    shown = "".join(page.body_text)
    assert not any(_is_control(ch) for ch in shown)
    assert [ch for ch in shown if ch.isalnum()] == [ch for ch in raw if ch.isalnum()]


def test_nul_between_words_disappears_without_a_trace(article, reader_factory):
    comment = services.comment_create(
        user=reader_factory(), article_id=article.pk, body="before\x00after"
    )
    assert comment.body == "beforeafter"
    assert comment.body_html == "<p>beforeafter</p>"


def test_lone_surrogate_is_dropped(article, reader_factory):
    # Not in HOSTILE_STRINGS: it cannot be encoded, so only code can send one, never a browser.
    comment = services.comment_create(
        user=reader_factory(), article_id=article.pk, body="half \ud800 a pair"
    )
    assert comment.body == "half  a pair"
    comment.body.encode("utf-8")


def test_over_long_body_is_refused_by_the_service_with_a_message(article, reader_factory):
    with pytest.raises(CommentError) as refused:
        services.comment_create(
            user=reader_factory(), article_id=article.pk, body="x" * (MAX_LENGTH + 1)
        )
    assert refused.value.message == (
        f"Your comment is {MAX_LENGTH + 1:,} characters long; the limit is {MAX_LENGTH:,}."
    )
    assert refused.value.status == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain-post", "htmx"])
def test_over_long_body_is_refused_by_the_form_with_a_message(
    htmx, article, reader_factory, client
):
    client.force_login(reader_factory())
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        {"body": "x" * (MAX_LENGTH + 1)},
        headers=headers,
    )
    assert response.status_code == 400
    assert f"at most {MAX_LENGTH} characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_body_at_the_limit_is_accepted(article, reader_factory):
    comment = services.comment_create(
        user=reader_factory(), article_id=article.pk, body="y" * MAX_LENGTH
    )
    assert len(comment.body) == MAX_LENGTH


def test_body_at_the_limit_with_line_breaks_as_a_browser_sends_it_is_accepted(
    article, reader_factory, client
):
    client.force_login(reader_factory())
    lines = ["z" * 99] * (MAX_LENGTH // 100)  # 100 lines, 99 characters and a line end each
    body = "\r\n".join(lines)  # browsers submit textarea line ends as CRLF
    assert len(markup.clean_text(body)) <= MAX_LENGTH
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}), {"body": body}
    )
    assert response.status_code == 302
    assert Comment.objects.exists()


def test_deeply_quoted_words_are_not_lost(article, reader_factory):
    raw = "> " * 25 + "deeply quoted"
    try:
        comment = services.comment_create(user=reader_factory(), article_id=article.pk, body=raw)
    except CommentError:
        return  # refusing it is fine too
    assert "deeply quoted" in comment.body_text
