from django.db import migrations, models


def forget_naive_bayes_models(apps, schema_editor):
    # The naive Bayes models cannot become logistic regressions: the next retraining (every
    # six hours) adapts the shipped model instead.
    apps.get_model("moderation", "Classifier").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_discussion_on_any_page")]

    operations = [
        migrations.RunPython(forget_naive_bayes_models, migrations.RunPython.noop),
        migrations.RemoveField(model_name="classifier", name="class_log_prior"),
        migrations.RemoveField(model_name="classifier", name="feature_log_prob"),
        migrations.AddField(
            model_name="classifier", name="arrays", field=models.JSONField(default=dict)
        ),
    ]
