"""The pages every publication has besides its articles: About, the privacy policy, terms of use,
Contact. A standard page sits under the home page (or under another standard page, so that an
imported site keeps its page hierarchy); it is edited, revisioned and scheduled like an article.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from paddock.newsroom.models import BODY_FEATURES, CachedPageMixin


class StandardPage(CachedPageMixin, Page):
    """A page of prose (About, Privacy policy, Terms of use), optionally with a contact form."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences under the title, also used as summary."
    )
    body = RichTextField(features=BODY_FEATURES, blank=True)
    show_contact_form = models.BooleanField(
        default=False,
        help_text="Show a form (name, email, subject, message) that reaches the editors.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("show_contact_form")], heading="Contact form"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["newsroom.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = "standard page"
