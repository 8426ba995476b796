"""Django's template backend, with template contexts that leave no cycle behind.

A context made for a request (RequestContext) holds the layers it pushes, and each layer holds
the context back, so that it can pop itself: once the template has rendered, the context and
everything its layers hold (the page, its comments, its related articles…) wait for the
garbage collector instead of being freed at once (core.memory). The backend's templates empty
the context they made when their render is over; a context passed to the engine's own
templates (`{% include %}`, a tag rendering a template with the page's context) is the
caller's and is left alone.
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        # As Django's backend renders, then the context it made let go of its layers.
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            context.dicts.clear()
