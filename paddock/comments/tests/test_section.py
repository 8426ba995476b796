"""The discussion built in Python (rendering.section_html, `{% comment_section %}`) is the
markup its template wrote (tests/specs/section.html, as it was), escaped the same way: a short
discussion, one with featured comments, a later page of a long one, an order with nothing in
it, and a signed-in reader's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory

from paddock.comments import services
from paddock.comments.models import Comment
from paddock.comments.tests.test_queries import bulk_comments
from paddock.newsroom.models import ArticlePage
from paddock.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

SPEC = Template((Path(__file__).parent / "specs" / "section.html").read_text())
OURS = Template("{% load comments_tags %}{% comment_section %}")


def _spaced(html: str) -> str:
    """Whitespace as a browser shows it here (runs as one space, none between tags), the CSRF
    tokens (masked anew each time) blanked."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _both(article, query: str = "", user=None) -> tuple[str, str]:
    request = RequestFactory().get(f"{article.url}{query}", HTTP_HOST="testserver")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    page = ArticlePage.objects.get(pk=article.pk)
    values = page.get_context(request)
    values["article"] = values["page"]  # as the page template included it
    return (
        OURS.render(RequestContext(request, values)),
        SPEC.render(RequestContext(request, values)),
    )


def test_the_discussion_says_what_its_template_said(section, reader_factory, settings):
    settings.PADDOCK_COMMENTS_PER_PAGE = 5
    editor = reader_factory("Editor")
    readers = [reader_factory(name) for name in ("Ana <b>", 'Bo "Q"', "Cy & Co")]
    short = make_article(section, title='Short <script>alert("x")</script> & more')
    bulk_comments(short, readers, 4)
    featured = make_article(section, title="Featured")
    bulk_comments(featured, readers, 6)
    for comment in Comment.objects.filter(article=featured, depth=0)[:2]:
        services.comment_feature_set(comment, featured=True, by=editor)
    long = make_article(section, title="Long")
    bulk_comments(long, readers, 80)
    empty = make_article(section, title="No comments")
    cases = [
        (short, ""),
        (featured, ""),
        (featured, "?csort=featured"),
        (short, "?csort=featured"),
        (long, ""),
        (long, "?cpage=2"),
        (long, "?csort=top&cpage=3"),
        (empty, ""),
    ]
    for article, query in cases:
        ours, theirs = _both(article, query)
        assert _spaced(ours) == _spaced(theirs), (article.title, query)
        ours, theirs = _both(article, query, user=readers[0])
        assert _spaced(ours) == _spaced(theirs), (article.title, query, "signed in")
    ours, _ = _both(short)
    assert "&lt;script&gt;alert" in ours and "<script>alert" not in ours
    ours, _ = _both(long, "?cpage=2")
    assert 'rel="prev"' in ours and 'rel="next"' in ours and 'id="load-more"' in ours
    ours, _ = _both(featured)
    assert "Featured comments</h3>" in ours
    ours, _ = _both(short, user=readers[0])
    assert "data-live-personal" in ours
