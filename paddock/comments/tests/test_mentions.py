"""Mentions in comment markup: "@Name" of a reader in the discussion becomes a link to their
profile that only the renderer can write, whatever a reader types."""

from __future__ import annotations

import re

import pytest

from paddock.comments import markup

NAMES = {"anna": "/readers/6/", "anna lee": "/readers/5/", "j.r. smith": "/readers/7/"}


def render(text: str) -> str:
    return markup.render(text, NAMES)


def mention(path: str, text: str) -> str:
    return f'<a href="{path}" class="mention" rel="nofollow ugc noopener">{text}</a>'


def test_the_longest_name_wins_without_case():
    html = render("@Anna Lee and @anna, then @J.R. Smith.")
    assert mention("/readers/5/", "@Anna Lee") in html
    assert mention("/readers/6/", "@anna") in html
    assert mention("/readers/7/", "@J.R. Smith") + "." in html
    assert markup.mentioned_profile_ids(html) == [5, 6, 7]


@pytest.mark.parametrize(
    "text",
    [
        "anna@example.com",
        "@Annabel",
        "`@Anna`",
        "[@Anna](https://example.com/)",
        "https://example.com/@anna",
        "@@Anna",
    ],
)
def test_no_mention_where_the_name_does_not_stand_alone(text):
    assert 'class="mention"' not in render(text)


@pytest.mark.parametrize(
    "text",
    [
        '<a href="/readers/5/" class="mention">@Anna Lee</a>',
        "[x](/readers/5/)",
        "[x](//readers/5/)",
        '[x](https://example.com/ "class=mention")',
        "<https://example.com/readers/5/>",
    ],
)
def test_readers_cannot_forge_a_mention(text):
    html = markup.render(text)  # nobody may be mentioned here
    assert not re.search(r'<a\s[^>]*class="mention"', html)
    assert markup.mentioned_profile_ids(html) == []
    assert '<a href="/' not in html


def test_without_names_nothing_is_linked_and_relative_links_lose_their_address():
    assert (
        markup.render("@Anna [x](/admin/)") == '<p>@Anna <a rel="nofollow ugc noopener">x</a></p>'
    )
