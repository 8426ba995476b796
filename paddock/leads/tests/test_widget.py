"""The sidebar widget on articles."""

from __future__ import annotations

import pytest

from paddock.newsroom.tests.factories import (
    make_article,
    make_section,
)

pytestmark = pytest.mark.django_db


def _sidebar(html: str) -> str:
    return html.split('aria-labelledby="quote-widget-heading"', 1)[1].split("</section>", 1)[0]


def test_article_about_a_vehicle_prefills_the_quote_link(client, vehicle):
    article = make_article(make_section(), makes=[vehicle.make], vehicle_models=[vehicle])
    html = client.get(article.url).content.decode()
    widget = _sidebar(html)
    assert "Thinking about the Kaito Motor Nami?" in widget
    assert f'name="make" value="{vehicle.make.slug}"' in widget
    assert 'name="model" value="nami"' in widget
    assert 'method="get"' in widget
    assert "csrfmiddlewaretoken" not in widget
    assert f'name="article" value="{article.pk}"' in widget  # the dealer learns where from


def test_other_pages_get_a_plain_zip_form(client, db):
    make_section()
    widget = _sidebar(client.get("/").content.decode())
    assert 'name="zip"' in widget and 'name="make"' not in widget
