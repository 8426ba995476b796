"""Train the spam model that ships with Paddock (paddock/moderation/data/spam_model.json).

The model is learned from labelled public comments, in the YouTube Spam Collection's CSV
format (CONTENT, CLASS with 1 = spam), so that a new site screens well before its moderators
have decided anything; each site then adapts it to its own decisions (classifier.py). Its
calibration and the thresholds of the screening rule are chosen by cross-validation, under the
current moderation policy, and recorded in the file. The same files give the same model.

    manage.py train_spam_model ../shared/data/comment-spam/*.csv
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from paddock.moderation import policy as policies
from paddock.moderation.spam_model import BASE_MODEL_PATH, corpus_read
from paddock.moderation.training import base_train


class Command(BaseCommand):
    help = "Train the shipped spam model from labelled comments (CSV: CONTENT, CLASS)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="labelled comments (CSV)")
        parser.add_argument(
            "--output",
            type=Path,
            default=BASE_MODEL_PATH,
            help=f"where to write the model (default: {BASE_MODEL_PATH})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="train and report, write nothing"
        )

    def handle(self, *args, files, output, dry_run, verbosity, **options):
        try:
            rows = corpus_read(files)
            model = base_train(
                rows, policy=policies.current(), sources=[path.name for path in files]
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if verbosity:
            thresholds = ", ".join(f"{k} {v:.4f}" for k, v in model.thresholds.items())
            self.stdout.write(
                f"Trained on {model.ham_examples} not-spam and {model.spam_examples} spam "
                f"comments: {len(model.weights)} weights; thresholds: {thresholds}."
            )
        if dry_run:
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(model.dumps(), encoding="utf-8")
        if verbosity:
            self.stdout.write(f"Wrote {output} ({output.stat().st_size // 1024} KB).")
