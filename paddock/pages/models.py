"""The pages every publication has besides its articles: About, the privacy policy, terms of use,
Contact. A standard page sits under the home page (or under another standard page, so that an
imported site keeps its page hierarchy); it is edited, revisioned and scheduled like an article.

Beside them: the messages sent through a standard page's contact form (the editors' inbox), and
the footer menu, a per-site setting editors change in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
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
        from .forms import ContactForm  # the form module imports these models

        context = super().get_context(request, *args, **kwargs)
        if self.show_contact_form and "contact_form" not in context:
            context["contact_form"] = ContactForm.for_page(request)
        if request is not None and hasattr(request, "GET"):
            for hook in hooks.get_hooks(STANDARD_PAGE_CONTEXT_HOOK):
                context.update(hook(self, request))
        return context


class ContactMessage(models.Model):
    """A message a visitor sent the editors through a contact form. Written only by
    paddock/pages/services.py."""

    page = models.ForeignKey(
        StandardPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=150)
    message = models.TextField(max_length=5000)
    # Kept for abuse prevention only (the privacy policy says so), like a comment's address.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "contact message"

    def __str__(self) -> str:
        return f"{self.subject} ({self.name})"

    @property
    def handled(self) -> bool:
        return self.handled_at is not None


@register_setting(icon="list-ul")
class FooterMenu(ClusterableModel, BaseSiteSetting):
    """The links in the site's footer, in order, and which page is the privacy policy (the
    consent text of every form that asks for personal data links to it)."""

    privacy_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer's consent texts: quote form, newsletter, sign-up.",
    )

    panels = [
        InlinePanel("links", heading="Footer links", label="Link"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = "footer menu"


class FooterLink(Orderable):
    """One link of the footer menu: a page of the site, or any address, with its label."""

    menu = ParentalKey(FooterMenu, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, blank=True, help_text="Defaults to the page's title.")
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(
        "address",
        max_length=300,
        blank=True,
        help_text="Another address, used when no page is chosen (https://… or /path/).",
    )

    panels = [FieldPanel("label"), FieldPanel("page"), FieldPanel("url")]

    def clean(self) -> None:
        super().clean()
        if not self.page_id and not self.url:
            raise ValidationError("Choose a page or give an address.")
        if self.url and not self.url.startswith(("https://", "http://", "/", "mailto:")):
            raise ValidationError({"url": "Start the address with https://, http:// or /."})
        if not self.page_id and not self.label:
            raise ValidationError({"label": "Give the link a label."})
