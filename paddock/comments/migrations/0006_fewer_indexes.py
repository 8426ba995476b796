"""Three indexes fewer on comments: `article` and `root` lose the ones Django gives a foreign
key (comment_thread, comment_featured and comment_root begin with them), `status` its two
(the plain one and PostgreSQL's pattern one) for a plain b-tree. Every index on the table is
weighed each time a statement reading it is planned, and written at each new comment.

The indexes are dropped by name rather than by altering the fields, which on PostgreSQL would
drop and validate the foreign keys again and on SQLite copy the whole table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = {
    "comments_comment_article_id_94fe60a2": "article_id",
    "comments_comment_root_id_23b4c218": "root_id",
    "comments_comment_status_2ed23eb9": "status",
}


def _drop(name: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "comments_comment" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_featured"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                *(_drop(name, column) for name, column in DROPPED.items()),
                # PostgreSQL's index for LIKE on a CharField's values (not made on SQLite).
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "comments_comment_status_2ed23eb9_like"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="comment",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="root",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="comments.comment",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("pending", "Held for review"),
                            ("rejected", "Rejected"),
                            ("spam", "Spam"),
                        ],
                        default="published",
                        max_length=16,
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["status"], name="comment_status"),
        ),
    ]
