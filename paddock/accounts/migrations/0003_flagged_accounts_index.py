"""An index of the accounts with Django's staff or superuser flag, the handful that carry a
newsroom badge without a staff group (comments/chrome.py): found through it, they are found
without reading every reader's account. Partial, so it holds only them; SQLite and
PostgreSQL both have partial indexes."""

from django.conf import settings
from django.db import migrations

INDEX = "accounts_user_flagged"


def _table(apps) -> str:
    app_label, model = settings.AUTH_USER_MODEL.split(".")
    return apps.get_model(app_label, model)._meta.db_table


def create(apps, schema_editor) -> None:
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote(INDEX)} ON {quote(_table(apps))} (id) "
        "WHERE is_staff OR is_superuser"
    )


def drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_remove_profile_notify_replies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create, drop)]
