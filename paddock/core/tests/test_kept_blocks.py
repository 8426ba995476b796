"""`{% extends %}` finds the root template's blocks once, and renders what Django's tag renders."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, engines
from django.template.base import NodeList
from django.template.loader import get_template

from paddock.core.templatetags import kept_blocks
from paddock.core.templatetags.kept_blocks import KeptBlocksExtendsNode

TEMPLATES = {
    "root.html": (
        "<title>{% block title %}Site{% endblock %}</title>"
        "{% block body %}<main>{% block content %}root{% endblock %}</main>{% endblock %}"
        "{% if flag %}{% block aside %}aside{% endblock %}{% endif %}"
    ),
    "middle.html": (
        '{% extends "root.html" %}'
        "{% block title %}{{ block.super }} · Middle{% endblock %}"
        "{% block content %}middle [{{ block.super }}]{% block inner %}{% endblock %}{% endblock %}"
    ),
    "leaf.html": (
        '{% extends "middle.html" %}'
        "{% block inner %} leaf {{ name }}{% endblock %}"
        "{% block aside %}{{ block.super }}+leaf{% endblock %}"
    ),
    "by-variable.html": "{% extends parent %}{% block content %}given{% endblock %}",
}


def _engines() -> tuple[Engine, Engine]:
    # Cached, as the site's loaders are: a parent is compiled once, then found again.
    loaders = [
        (
            "django.template.loaders.cached.Loader",
            [("django.template.loaders.locmem.Loader", TEMPLATES)],
        )
    ]
    return (
        Engine(loaders=loaders, builtins=["paddock.core.templatetags.kept_blocks"]),
        Engine(loaders=loaders),
    )


@pytest.mark.parametrize("name", ["middle.html", "leaf.html"])
@pytest.mark.parametrize("flag", [True, False])
def test_renders_what_djangos_tag_renders(name, flag):
    kept, django = _engines()
    context = {"name": "<Ana>", "flag": flag}
    expected = django.get_template(name).render(Context(context))
    assert kept.get_template(name).render(Context(context)) == expected
    assert kept.get_template(name).render(Context(context)) == expected  # found once, kept
    assert isinstance(kept.get_template(name).nodelist[0], KeptBlocksExtendsNode)


def test_a_parent_given_as_a_template():
    kept, django = _engines()
    for engine in (kept, django):
        parent = engine.get_template("root.html")
        html = engine.get_template("by-variable.html").render(Context({"parent": parent}))
        assert html == "<title>Site</title><main>given</main>"


def test_the_root_is_walked_once(monkeypatch):
    kept, _ = _engines()
    leaf = kept.get_template("leaf.html")
    walks = []
    walk = NodeList.get_nodes_by_type

    def counting(self, nodetype):
        walks.append(nodetype)
        return walk(self, nodetype)

    monkeypatch.setattr(NodeList, "get_nodes_by_type", counting)
    leaf.render(Context({"name": "x"}))
    first = len(walks)
    assert first  # the root's blocks, found on the first render
    leaf.render(Context({"name": "y"}))
    assert len(walks) == first  # not again
    root = kept.get_template("root.html")
    assert kept_blocks.root_blocks(root).keys() == {"title", "body", "content", "aside"}
    assert kept_blocks.root_blocks(kept.get_template("middle.html")) is None  # not a root


def test_the_sites_templates_use_it():
    page = get_template("newsroom/article_page.html").template
    assert isinstance(page.nodelist[0], KeptBlocksExtendsNode)
    libraries = engines["django"].engine.template_builtins
    assert [lib.tags["extends"] for lib in libraries if "extends" in lib.tags][-1] is (
        kept_blocks.extends
    )
