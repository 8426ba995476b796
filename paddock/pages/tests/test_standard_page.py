"""A standard page lives under the home page (or another standard page) and is served, cached,
at its own address."""

import pytest

from paddock.newsroom.tests.factories import site_tree
from paddock.pages.models import StandardPage

pytestmark = pytest.mark.django_db


def test_a_standard_page_and_its_child_are_served_at_their_paths(client):
    home = site_tree()
    about = home.add_child(
        instance=StandardPage(title="About us", slug="about", body="<p>Who we are.</p>")
    )
    about.save_revision().publish()
    team = about.add_child(
        instance=StandardPage(title="The team", slug="team", introduction="Six people.")
    )
    team.save_revision().publish()

    page = client.get("/about/")
    assert page.status_code == 200
    assert b"Who we are." in page.content
    child = client.get("/about/team/")
    assert child.status_code == 200
    assert b"Six people." in child.content
