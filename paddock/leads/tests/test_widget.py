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


def _spaced(html: str) -> str:
    """As a browser shows it: runs of whitespace as one space."""
    import re

    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("about", ["vehicle", "make", "nothing"])
@pytest.mark.parametrize("article_id", [None, 42])
def test_the_widget_says_what_its_template_said(about, article_id):
    from pathlib import Path

    from django.template import Context, Template

    from paddock.leads.templatetags.leads_tags import widget_html
    from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory

    spec = Template((Path(__file__).parent / "specs" / "widget.html").read_text())
    make = MakeFactory(name='Kaito <Motor> & "Sons"')
    vehicle = VehicleModelFactory(make=make, name="Nami <GT>") if about == "vehicle" else None
    make = make if about == "make" else None
    values = {"vehicle": vehicle, "make": make, "article_id": article_id}
    ours = widget_html(vehicle, make, article_id)
    assert _spaced(ours) == _spaced(spec.render(Context(values)))
    assert "<Motor>" not in ours and "<GT>" not in ours
