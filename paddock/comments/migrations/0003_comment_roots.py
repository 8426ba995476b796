"""Every comment names its thread's root (a top-level comment itself), as threads are read."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_roots(apps, schema_editor) -> None:
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.filter(parent__isnull=True, root__isnull=True).update(root_id=F("pk"))
    parents = Comment.objects.filter(pk=OuterRef("parent_id"))
    root_of_parent = Subquery(parents.values(thread=Coalesce("root_id", "pk"))[:1])
    missing = Comment.objects.filter(root__isnull=True)
    # A level at a time, so that each reply's parent already has its root.
    for depth in sorted(set(missing.values_list("depth", flat=True))):
        missing.filter(depth=depth).update(root_id=root_of_parent)


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderation")]

    operations = [migrations.RunPython(fill_roots, migrations.RunPython.noop)]
