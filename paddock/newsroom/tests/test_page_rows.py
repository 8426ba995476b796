"""Pages read from the database are made by Django's model constructor alone
(CachedPageMixin.from_db): the same page as the full chain of constructors makes, deferred
fields included; a page being created still gets what Wagtail fills in."""

from __future__ import annotations

import pytest
from django.db import models
from wagtail.models import Page

from paddock.newsroom.models import ArticlePage, HomePage, SectionPage
from paddock.newsroom.tests.factories import make_article, make_section
from paddock.pages.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("only", [(), ("title", "slug")])
def test_a_page_from_a_row_is_the_page_every_constructor_makes(only):
    section = make_section("Industry")
    article = make_article(section, title="Plants follow buyers")
    for model, pk in ((ArticlePage, article.pk), (SectionPage, section.pk)):
        queryset = model.objects.filter(pk=pk)
        read = (queryset.only(*only) if only else queryset).get()
        names = [f.attname for f in model._meta.concrete_fields if f.attname in vars(read)]
        values = [getattr(read, name) for name in names]
        # Django's Model.from_db, through Wagtail's and modelcluster's constructors.
        full = models.Model.from_db.__func__(model, "default", names, values)
        assert type(full) is model
        assert {n: getattr(read, n) for n in names} == {n: vars(full)[n] for n in names}
        # What was not read stays deferred (Wagtail's constructor would read the id of a page
        # read without it, with a query of its own, only to find it is not a new page).
        concrete = {f.attname for f in model._meta.concrete_fields}
        assert read.get_deferred_fields() == concrete - set(names)
        assert (read._state.adding, read._state.db) == (False, "default")
    # Relations and the specific page work as before.
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.specific is page and page.get_parent().specific == section
    assert Page.objects.get(pk=article.pk).specific.title == "Plants follow buyers"


def test_a_page_being_made_still_gets_wagtail_s_defaults():
    make_section("Industry")
    page = StandardPage(title="About us", slug="about")
    assert page.content_type_id and page.show_in_menus == StandardPage.show_in_menus_default
    assert HomePage.objects.get().content_type.model_class() is HomePage
