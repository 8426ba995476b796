"""The "New Car Research" widget for the sidebar: a link or GET form, never a CSRF token and
never a query, so that every page stays cacheable and its query count unchanged."""

from __future__ import annotations

from django import template

from paddock.newsroom.models import ArticlePage

register = template.Library()


@register.inclusion_tag("leads/includes/widget.html", takes_context=True)
def dealer_quote_widget(context) -> dict:
    # The article page has its vehicle tags in context already (prefetched by the newsroom's
    # article_detail_context); anywhere else the widget asks only for a ZIP code.
    page = context.get("page")
    vehicle_models = context.get("vehicle_models") if page is not None else None
    makes = context.get("makes") if page is not None else None
    vehicle = vehicle_models[0] if vehicle_models else None
    make = makes[0] if makes and not vehicle else None
    return {
        "vehicle": vehicle,
        "make": make if hasattr(make, "slug") else None,
        "article_id": page.pk if isinstance(page, ArticlePage) else None,
    }
