"""The pages every publication has besides its articles: About, the privacy policy, terms of use,
Contact. A standard page sits under the home page (or under another standard page, so that an
imported site keeps its page hierarchy); it is edited, revisioned and scheduled like an article.
"""

from __future__ import annotations

from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from paddock.core.pagecache import PAGE_TAGS
from paddock.newsroom.models import BODY_FEATURES, CachedPageMixin

# The Wagtail hook an app registers on to add to a standard page's template context:
# `fn(page, request) -> dict`, as newsroom's ARTICLE_CONTEXT_HOOK for articles. Its queries
# must not grow with the page's content. (The discussion registers on it: a page imported
# with its comments shows them.)
STANDARD_PAGE_CONTEXT_HOOK = "paddock_standard_page_context"


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

    def page_cache_tags(self) -> tuple[str, ...]:
        # "article:<id>" is the tag a change to the discussion on page <id> bumps.
        return (*PAGE_TAGS, f"article:{self.pk}")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request is not None and hasattr(request, "GET"):
            for hook in hooks.get_hooks(STANDARD_PAGE_CONTEXT_HOOK):
                context.update(hook(self, request))
        return context
