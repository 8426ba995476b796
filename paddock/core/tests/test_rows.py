"""Instances made from rows without the model's constructor (paddock/core/rows.py): the same
as Django's `from_db` makes, and made by the constructor whenever it would do more than copy
the row."""

from __future__ import annotations

import pytest
from django.db import models
from django.db.models import DEFERRED
from django.db.models.signals import post_init, pre_init

from paddock.core import rows
from paddock.core.models import ScheduledJob
from paddock.newsroom.models import ArticlePage, Contributor, SectionPage

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


def test_an_instance_is_what_djangos_from_db_makes():
    ScheduledJob.objects.create(name="digest", last_task_id="t-1")
    # Make sure Django's constructor ran once for the model, as it does in a process: the
    # signals then remember that nobody listens for it.
    ScheduledJob(name="warm")
    (job,) = ScheduledJob.objects.all()
    names = ["id", "name", "last_enqueued_at", "last_task_id"]
    values = [getattr(job, name) for name in names]
    assert rows.fillable(ScheduledJob)
    made = rows.make(ScheduledJob, "default", names, values)
    django_made = ScheduledJob.from_db("default", names, values)
    assert type(made) is ScheduledJob
    assert _fields(made) == _fields(django_made)
    assert made._state.adding is False and made._state.db == "default"
    assert made == job and made.name == "digest"


def test_fields_left_out_are_deferred_as_djangos_are():
    ScheduledJob.objects.create(name="digest", last_task_id="t-1")
    ScheduledJob(name="warm")
    job = ScheduledJob.objects.get()
    made = rows.make(ScheduledJob, "default", ["id", "name"], [job.pk, "digest"])
    assert made.get_deferred_fields() == {"last_enqueued_at", "last_task_id"}
    assert made.last_task_id == "t-1"  # read when asked, as a deferred field is
    # DEFERRED among all the values, as Django's from_db takes them.
    every = [f.attname for f in ScheduledJob._meta.concrete_fields]
    values = [job.pk, "digest", DEFERRED, DEFERRED]
    made = rows.make(ScheduledJob, "default", every, values)
    assert (
        made.get_deferred_fields()
        == ScheduledJob.from_db("default", every, values).get_deferred_fields()
    )


def test_a_receiver_of_the_signals_gets_the_constructor():
    ScheduledJob(name="warm")
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(listen, sender=ScheduledJob)
    try:
        assert not rows.fillable(ScheduledJob)
        made = rows.make(ScheduledJob, "default", ["id", "name"], [7, "digest"])
        assert heard == [made]
    finally:
        post_init.disconnect(listen, sender=ScheduledJob)
    ScheduledJob(name="warm")
    assert rows.fillable(ScheduledJob)

    def before(sender, **kwargs):
        heard.append("pre")

    pre_init.connect(before, sender=ScheduledJob)
    try:
        assert not rows.fillable(ScheduledJob)
    finally:
        pre_init.disconnect(before, sender=ScheduledJob)


def test_a_field_whose_descriptor_converts_is_set_through_it():
    Contributor(display_name="warm")
    assert rows.fillable(Contributor)
    names = ["id", "display_name", "country"]
    for country in ("FR", "", None):
        made = rows.make(Contributor, "default", names, [3, "Ann", country])
        django_made = Contributor.from_db("default", names, [3, "Ann", country])
        assert _fields(made) == _fields(django_made)
        assert made.country == django_made.country
        assert made.country_name == django_made.country_name
    assert made.get_deferred_fields() == django_made.get_deferred_fields()


def test_pages_are_what_djangos_constructor_makes(demo_snapshot):
    """An article and a section read with some fields or all, made from their rows, against
    the instances Django's model constructor makes of them."""
    demo_snapshot.restore()
    for model, names in (
        (ArticlePage, ["title", "slug", "path", "depth", "url_path", "live", "published_at"]),
        (SectionPage, [f.name for f in SectionPage._meta.concrete_fields]),
    ):
        found = list(model.objects.order_by("pk").only(*names))
        assert found
        for page in found:
            attnames = [
                f.attname for f in model._meta.concrete_fields if f.attname in page.__dict__
            ]
            values = [page.__dict__[name] for name in attnames]
            constructed = model.__new__(model)
            models.Model.__init__(
                constructed,
                *(page.__dict__.get(f.attname, DEFERRED) for f in model._meta.concrete_fields),
            )
            made = rows.from_row(model, "default", attnames, values)
            assert rows.fillable(model)
            assert _fields(made) == _fields(constructed) == _fields(page)
            assert made.get_deferred_fields() == constructed.get_deferred_fields()
            assert made._state.db == "default" and made._state.adding is False
            assert made.url == constructed.url


def test_a_model_with_a_constructor_of_its_own_gets_it(monkeypatch):
    from wagtail.images import get_image_model

    Image = get_image_model()
    # As if nothing listened to the signals for images (Django's ImageField does): the
    # constructor is still what makes one.
    monkeypatch.setattr(rows, "fillable", lambda model: True)
    names = ["id", "title", "width", "height"]
    made = rows.make(Image, "default", names, [5, "Dawn", 640, 360])
    # Wagtail's image constructor sets what its templates ask of an image.
    assert made.decorative is False and made.contextual_alt_text is None
    assert made.title == "Dawn" and made._state.adding is False
