"""The demo's standard pages (About, Privacy policy, Terms of use, Contact) and the footer menu
that links to them, from ``data/pages.json``, written through the pages app's services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paddock.newsroom.models import HomePage
from paddock.newsroom.services import default_site
from paddock.pages.models import StandardPage
from paddock.pages.services import MenuLink, footer_menu_set, standard_page_create

from . import content

if TYPE_CHECKING:
    from .loader import DemoReport


def pages(home: HomePage, *, owner, report: DemoReport) -> dict[str, StandardPage]:
    data = content.read("pages")
    existing = {page.slug: page for page in StandardPage.objects.child_of(home)}
    found = {}
    for spec in data["pages"]:
        page = existing.get(spec["slug"])
        if page is None:
            page, _ = standard_page_create(
                parent=home,
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                body=spec["body"],
                show_contact_form=spec["contact_form"],
                writer=owner,
                publish=True,
            )
            report.pages += 1
        found[spec["slug"]] = page
    footer_menu_set(
        site=default_site(),
        links=[MenuLink(label=label, page=found[slug]) for label, slug in data["footer"]],
        privacy_page=found[data["privacy_page"]],
    )
    return found
