"""Wagtail's default workflow and its task are called "Moderators approval", but on this site
Editors approve articles and Moderators moderate comments: existing sites get the name
"Editors' approval" (new ones get it from the same rename, paddock.core.roles, after every
migrate)."""

from django.db import migrations

OLD, NEW = "Moderators approval", "Editors' approval"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=OLD).update(name=NEW)
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=NEW).update(name=OLD)
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_rate_limit_entry"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
