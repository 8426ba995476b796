"""The card's image and the byline's date, made with what each process keeps, are what Wagtail's
{% image %} tag and Django's date filter give."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from .test_queries import make_image

pytestmark = pytest.mark.django_db

WAGTAIL = Template(
    "{% load wagtailimages_tags %}{% image picture fill-640x360 as img %}"
    "{{ img.url }} {{ img.width }}x{{ img.height }}"
)
OURS = Template(
    "{% load newsroom_tags %}{% card_rendition picture as img %}"
    "{{ img.url }} {{ img.width }}x{{ img.height }}"
)


def test_a_cards_image_is_the_rendition_wagtails_tag_gives():
    picture = make_image("Halvorsen plant")
    first = OURS.render(Context({"picture": picture}))
    assert first == WAGTAIL.render(Context({"picture": picture}))
    assert "640x" in first and first == OURS.render(Context({"picture": picture}))
    assert picture.renditions.count() == 1


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_bylines_date_is_what_the_date_filter_gives(zone, language):
    django = Template("""<time datetime="{{ d|date:'c' }}">{{ d|date:"F j, Y" }}</time>""")
    ours = Template("{% load newsroom_tags %}{% published_time d %}")
    moments = [
        dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 23, 59, 59, 999, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo")),
        None,
    ]
    with timezone.override(zone), translation.override(language):
        for moment in moments:
            context = {"d": moment}
            assert ours.render(Context(context)) == django.render(Context(context)), moment
