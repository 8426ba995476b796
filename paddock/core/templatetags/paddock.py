"""Template helpers shared by every app: JSON-LD output, absolute URLs, CSRF fields on cached
pages, kept fragments of pages and markup made once a process."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from paddock.core import forms, fragments, pagination, shells
from paddock.core.pagecache import shareable
from paddock.core.urls import current_script_prefix, request_absolute

register = template.Library()


@register.filter
def jsonld(value) -> SafeString:
    """Serialise a dict for a <script type="application/ld+json"> block, safe inside HTML."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped just above


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    return request_absolute(context.get("request"), url)


@register.simple_tag
def current_year() -> int:
    """This year in the current time zone, as `{% now "Y" %}` gives it without formatting a
    date."""
    return timezone.localdate().year


@register.simple_tag(takes_context=True)
def page_links(context, page) -> SafeString:
    """A list's links to its newer and older pages, with the search's words when there are
    some (pagination.links)."""
    return pagination.links(page, context.get("query") or "")


@register.simple_tag(takes_context=True)
def csrf_field(context) -> SafeString:
    """The CSRF field of a form on a page the full-page cache may keep (forms.csrf_field)."""
    return forms.csrf_field(context.get("request"))


@register.simple_tag
def human_check(form) -> SafeString:
    """A public form's honeypot and signed start time (forms.human_check_html)."""
    return forms.human_check_html(form)


class FragmentNode(template.Node):
    def __init__(
        self,
        nodelist,
        name: str,
        vary_on,
        tags: tuple[str, ...],
        anonymous: bool = False,
        process: bool = False,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.tags = tags
        self.anonymous = anonymous
        self.process = process

    def render(self, context) -> SafeString:
        request = context.get("request")
        if getattr(request, "is_preview", False):  # a draft: never kept, never reused
            return self.nodelist.render(context)
        if self.anonymous and not (request is not None and shareable(request)):
            return self.nodelist.render(context)
        if not fragments.enabled():  # nothing kept: made in place, its name never needed
            return mark_safe(self._render_unrecorded(context))  # noqa: S308 - rendered
        vary = ":".join(self._resolve(var, context) for var in self.vary_on)
        name = f"fragment:{self.name}:{vary}"
        render = lambda: self._render_unrecorded(context)  # noqa: E731
        if self.process:
            html = fragments.here(name, self.tags, render)
        else:  # after a publish, one process renders it again while the others serve the last
            html = fragments.memo(name, self.tags, render, stale_ok=True)
        return mark_safe(html)  # noqa: S308 - rendered (and escaped) by the template

    def _render_unrecorded(self, context) -> str:
        # Kept apart from the page: a hole inside is part of the copy, never a page's marker.
        with shells.unrecorded():
            return str(self.nodelist.render(context))

    @staticmethod
    def _resolve(var, context) -> str:
        try:
            return str(var.resolve(context, ignore_failures=True))
        except template.VariableDoesNotExist:  # a filter's argument missing
            return ""


@register.tag
def fragment(parser, token) -> FragmentNode:
    """Keep a part of a page until what it shows changes (paddock/core/fragments.py):

        {% fragment story page.pk %}…{% endfragment %}           (until the site changes)
        {% fragment sidebar tags="site,recent" %}…{% endfragment %}
        {% fragment signup request.path anonymous %}…{% endfragment %}
        {% fragment masthead process %}…{% endfragment %}

    The name and the values after it (resolved) name one copy; `tags` are the page-cache tags
    whose versions it is kept under ("site" when not given). Nothing personal belongs inside:
    every reader gets the same copy. `anonymous`: kept and reused only for requests whose page
    could be shared (no session), for parts that are personal otherwise, such as a form's
    CSRF field (`csrf_field`). `process`: kept by each process alone (`fragments.here`), for
    parts made from the site chrome's snapshot, which costs less than a shared cache's round
    trip."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name.")
    tags: tuple[str, ...] = ("site",)
    anonymous = process = False
    while len(bits) > 2 and (bits[-1] in ("anonymous", "process") or bits[-1].startswith("tags=")):
        last = bits.pop()
        if last == "anonymous":
            anonymous = True
        elif last == "process":
            process = True
        else:
            tags = tuple(last.removeprefix("tags=").strip("\"'").split(","))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return FragmentNode(nodelist, bits[1], vary_on, tags, anonymous, process)


class HoleNode(template.Node):
    def __init__(self, nodelist) -> None:
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        html = self.nodelist.render(context)
        return mark_safe(shells.hole(self.nodelist, html, context))  # noqa: S308 - rendered


@register.tag
def hole(parser, token) -> HoleNode:
    """A part of a page that changes more often than the page around it, left open in the
    page's kept shell and rendered again at each request (paddock/core/shells.py):

        {% hole %}{% comment_section %}{% endhole %}

    What is inside reads only the request, the reader, the context processors' values and
    what the view gives the shell when it fills it; never inside a {% fragment %}, whose copy
    keeps it whole."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("'hole' takes no arguments.")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)


class OnceNode(template.Node):
    """Markup that depends on nothing but the settings, made once a process (see `once`)."""

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        # (script prefix, language, autoescape) → the markup. On the node, so a template
        # compiled again (templates reloaded in development) starts afresh.
        self.made: dict[tuple, SafeString] = {}

    def render(self, context) -> SafeString:
        key = (current_script_prefix(), translation.get_language(), context.autoescape)
        found = self.made.get(key)
        if found is None:
            # Not the page's context: nothing of the request, the reader or the page can reach
            # markup that every later page is given.
            bare = template.Context(
                {"SITE_NAME": settings.WAGTAIL_SITE_NAME}, autoescape=context.autoescape
            )
            bare.template = context.template
            found = self.made[key] = SafeString(self.nodelist.render(bare))
        return found


@register.tag
def once(parser, token) -> OnceNode:
    """{% once %}…{% endonce %}: markup made once a process and given to every page after, for
    what depends only on the settings: addresses of URLs without arguments, static files, the
    site's name (SITE_NAME, the only variable it sees). A template's many small tags cost more
    to render on every page than the markup they make."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% once %} takes nothing.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)
