"""Model instances made from database rows, as Django's `Model.from_db` makes them, without its
constructor where the constructor would only set the values into the instance.

`Model.__init__` walks every concrete field of the model (an article page has 36, most of
them deferred in a list), sets each value through its descriptor, and sends `pre_init` and
`post_init`: about 10 µs an instance, and a first render after a publish makes some fifty
(the cards, their sections, the sites, the masthead's people). When nothing listens to those
two signals for the model, the same instance is its `__dict__` filled with the row (0.5 µs):
the values of fields whose descriptors store what they are given as it is (Django's plain and
foreign-key attributes) copied in, the others (a country's, a file's) set through their
descriptors, as the constructor sets them. A model with a receiver (Django's ImageField
listens to `post_init` for Wagtail's images and renditions), or with a constructor of its own,
goes through the constructor (page classes excepted: their `from_db` skips Wagtail's and
modelcluster's constructors on purpose, newsroom.models.CachedPageMixin).
"""

from __future__ import annotations

import inspect

from django.db import models
from django.db.models import DEFERRED
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

# Descriptors that store a value in the instance's __dict__ under the field's attname and do
# nothing else for an instance being made (a foreign key's forgets a cached object first: a
# new instance has none).
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)

_FROM_DB = models.Model.from_db.__func__
_MODEL_INIT = models.Model.__init__

# model → the attnames of its concrete fields whose descriptors do more than store a value.
_converted: dict[type, frozenset[str]] = {}


def _converting(model: type[models.Model]) -> frozenset[str]:
    found = _converted.get(model)
    if found is None:
        found = _converted[model] = frozenset(
            field.attname
            for field in model._meta.concrete_fields
            if type(inspect.getattr_static(model, field.attname, None)) not in _PLAIN_DESCRIPTORS
        )
    return found


def _unheard(signal, model: type[models.Model]) -> bool:
    # What Signal.send asks before calling anyone; the answer for a model is remembered once
    # something was sent for it (the first instance made through the constructor).
    return not signal.receivers or signal.sender_receivers_cache.get(model) is NO_RECEIVERS


def fillable(model: type[models.Model]) -> bool:
    """Whether `from_row` can make `model`'s instances without its constructor now."""
    return _unheard(pre_init, model) and _unheard(post_init, model)


def from_row(model: type[models.Model], db: str, field_names, values) -> models.Model:
    """`model.from_db(db, field_names, values)` as Django's makes it: the fields not named
    deferred (as are those whose value is DEFERRED), the instance saved in `db`. Only for a
    model that is `fillable`."""
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = db
    fields = instance.__dict__
    fields["_state"] = state
    if len(values) == len(model._meta.concrete_fields) and any(v is DEFERRED for v in values):
        fields.update(
            (name, v) for name, v in zip(field_names, values, strict=True) if v is not DEFERRED
        )
    else:
        fields.update(zip(field_names, values, strict=True))
    converting = _converting(model)
    if converting:
        for name in converting.intersection(fields):
            setattr(instance, name, fields.pop(name))
    return instance


def make(model: type[models.Model], db: str, field_names, values) -> models.Model:
    """An instance of `model` from a row, by `from_row` when it can, else by `model.from_db`
    (a model's own, or Django's through the model's constructor). A model with a constructor
    of its own (Wagtail's images set attributes in theirs) always goes through it."""
    if model.from_db.__func__ is _FROM_DB and model.__init__ is _MODEL_INIT and fillable(model):
        return from_row(model, db, field_names, values)
    return model.from_db(db, field_names, values)
