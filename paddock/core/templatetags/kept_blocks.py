"""`{% extends %}` as Django's, with the blocks of the template at the root of the chain found
once per compiled template instead of at every render.

Django's tag looks for every `{% block %}` of the root template (base.html, for nearly every
page) by walking its whole node tree each time a page extending it renders: some two hundred
nodes and 19 µs a render, for an answer that only changes when the template is compiled
again. Installed as a template builtin (config/settings.py), so that it stands in for
Django's tag in every template; parsing is Django's own.
"""

from __future__ import annotations

import weakref

from django import template
from django.template.base import TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)

register = template.Library()

# compiled template → its blocks by name when it extends nothing (a root), else None. Weak: a
# template compiled again (templates reloaded in development) is a new key.
_roots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def root_blocks(compiled) -> dict[str, BlockNode] | None:
    """The blocks of `compiled` by name if it is the root of its chain (its first node that
    is not text is not an `{% extends %}`), else None; as Django's ExtendsNode finds them."""
    try:
        return _roots[compiled]
    except KeyError:
        pass
    found = None
    for node in compiled.nodelist:
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                found = {n.name: n for n in compiled.nodelist.get_nodes_by_type(BlockNode)}
            break
    _roots[compiled] = found
    return found


class KeptBlocksExtendsNode(ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        # The parent renders in this template's parser context, as Django's tag has it.
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def extends(parser, token) -> KeptBlocksExtendsNode:
    node = do_extends(parser, token)
    node.__class__ = KeptBlocksExtendsNode
    return node
