"""The "New Car Research" widget for the sidebar: a link or GET form, never a CSRF token and
never a query, so that every page stays cacheable and its query count unchanged."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from paddock.core.text import escape
from paddock.core.urls import reverse_plain
from paddock.newsroom.models import ArticlePage

register = template.Library()


@register.simple_tag(takes_context=True)
def dealer_quote_widget(context) -> SafeString:
    # The article page has its vehicle tags in context already (prefetched by the newsroom's
    # article_detail_context); anywhere else the widget asks only for a ZIP code.
    page = context.get("page")
    vehicle_models = context.get("vehicle_models") if page is not None else None
    makes = context.get("makes") if page is not None else None
    vehicle = vehicle_models[0] if vehicle_models else None
    make = makes[0] if makes and not vehicle else None
    return widget_html(
        vehicle,
        make if hasattr(make, "slug") else None,
        page.pk if isinstance(page, ArticlePage) else None,
    )


def widget_html(vehicle, make, article_id: int | None) -> SafeString:
    """The widget, its words and hidden fields about the article's first vehicle model or else
    its first make (every value escaped)."""
    if vehicle is not None:
        about = f"Thinking about the {escape(vehicle)}? "
        given = (
            f'<input type="hidden" name="make" value="{escape(vehicle.make.slug)}">'
            f'<input type="hidden" name="model" value="{escape(vehicle.slug)}">'
        )
    elif make is not None:
        about = f"Shopping for a {escape(make.name)}? "
        given = f'<input type="hidden" name="make" value="{escape(make.slug)}">'
    else:
        about = given = ""
    if article_id:
        given += f'<input type="hidden" name="article" value="{escape(article_id)}">'
    return mark_safe(  # noqa: S308 - every value is escaped
        '<section class="widget quote-widget" aria-labelledby="quote-widget-heading">\n'
        '<h2 id="quote-widget-heading" class="widget__title">New Car Research</h2>\n'
        f"<p>{about}Get a free dealer quote: dealers near you send their best price.</p>\n"
        '<form class="quote-widget__form" method="get" '
        f'action="{escape(reverse_plain("leads:quote"))}">\n{given}\n'
        '<label for="quote-widget-zip">Your ZIP or postal code</label>\n'
        '<input id="quote-widget-zip" name="zip" maxlength="7" autocomplete="postal-code">\n'
        '<button class="button" type="submit">Get a free dealer quote</button>\n'
        "</form>\n</section>"
    )
