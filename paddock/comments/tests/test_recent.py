"""The sidebar's Recent Comments built in Python (rendering.recent_html, `{% recent_comments %}`)
is the markup its template wrote (tests/specs/recent.html, as it was), escaped the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from paddock.comments.chrome import RecentComment
from paddock.comments.rendering import recent_html

SPEC = Template((Path(__file__).parent / "specs" / "recent.html").read_text())


def _spaced(html: str) -> str:
    """As a browser shows it: runs of whitespace as one space."""
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize(
    "items",
    [
        (),
        (
            RecentComment("/c/1/", "Ana <b>", 'Plants "follow" buyers & <script>x</script>'),
            RecentComment("/c/2/?a=1&b=2", "عربي", "Right to left, then… left"),
        ),
    ],
)
def test_the_list_says_what_its_template_said(items):
    ours = recent_html(items)
    assert _spaced(ours) == _spaced(SPEC.render(Context({"items": items})))
    assert "<script>" not in ours and "<b>" not in ours
