"""Measure the screening on labelled comments, changing nothing.

Each comment of the CSV files (the YouTube Spam Collection's format: CONTENT, CLASS with
1 = spam) is judged exactly as posting it would be judged, through the moderation screen with
every scorer and the current policy, as if a reader of a year's standing with a good record
posted it on a fresh site (`--new-account`: a reader who signed up an hour ago). Nothing is
stored. Prints the confusion matrix; with `--json` the last line is
{"spam": N, "ham": N, "spam_caught": N, "ham_held": N}, where caught means held, rejected or
filed as spam, and held means anything but published.

    manage.py evaluate_spam [--json] [--new-account] [--model PATH] FILE...
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from paddock.comments.models import Comment
from paddock.comments.services import CommentError, validated_body
from paddock.moderation import classifier, services
from paddock.moderation.scoring import Candidate, ReaderHistory
from paddock.moderation.spam_model import SpamModel, corpus_read

Status = Comment.Status
OUTCOMES = {Status.PUBLISHED: "published", Status.PENDING: "held"}


def evaluate(rows, *, new_account: bool = False) -> dict:
    """Judge (text, label) rows as posting would; the counts per label and outcome."""
    history = ReaderHistory.new_account() if new_account else ReaderHistory.established_reader()
    # Never saved: the scorers get the history above instead of asking the database.
    reader = get_user_model()(username="evaluation", date_joined=history.joined)
    counts: Counter = Counter()
    for text, label in rows:
        kind = "spam" if label else "ham"
        try:
            _, html, plain = validated_body(text)
        except CommentError:
            counts[kind, "refused"] += 1  # posting would refuse it outright: caught
            continue
        candidate = Candidate(user=reader, text=plain, html=html, article_id=0, history=history)
        verdict, _ = services.screen(candidate, None)
        counts[kind, OUTCOMES.get(verdict.status, "filed")] += 1
    return counts


def summary(counts: Counter) -> dict:
    spam = sum(n for (kind, _), n in counts.items() if kind == "spam")
    ham = sum(n for (kind, _), n in counts.items() if kind == "ham")
    return {
        "spam": spam,
        "ham": ham,
        "spam_caught": spam - counts["spam", "published"],
        "ham_held": ham - counts["ham", "published"],
    }


class Command(BaseCommand):
    help = "Judge labelled comments (CSV: CONTENT, CLASS) as posting would; store nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="labelled comments (CSV)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="end with the figures as JSON"
        )
        parser.add_argument(
            "--new-account",
            action="store_true",
            help="as posted by a reader who signed up an hour ago",
        )
        parser.add_argument(
            "--model", type=Path, help="judge with this spam model file instead of the site's"
        )

    def handle(self, *args, files, as_json: bool, new_account: bool, model, **options):
        try:
            rows = corpus_read(files)
            override = SpamModel.load(model) if model else None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if model:
            with classifier.model_override(override):
                counts = evaluate(rows, new_account=new_account)
        else:
            counts = evaluate(rows, new_account=new_account)
        figures = summary(counts)
        self.stdout.write(self.matrix(counts, figures, new_account))
        if as_json:
            self.stdout.write(json.dumps(figures))

    def matrix(self, counts: Counter, figures: dict, new_account: bool) -> str:
        who = "a new account (an hour old)" if new_account else "an established reader"
        columns = ("published", "held", "filed", "refused")
        lines = [f"Judged as posted by {who}:", f"{'':>10}" + "".join(f"{c:>11}" for c in columns)]
        for kind, label in (("spam", "spam"), ("ham", "not spam")):
            cells = "".join(f"{counts[kind, c]:>11}" for c in columns)
            lines.append(f"{label:>10}{cells}")
        spam, ham = figures["spam"] or 1, figures["ham"] or 1
        lines.append(
            f"Spam caught: {figures['spam_caught']} of {figures['spam']} "
            f"({figures['spam_caught'] / spam:.1%}); legitimate comments held: "
            f"{figures['ham_held']} of {figures['ham']} ({figures['ham_held'] / ham:.1%})."
        )
        return "\n".join(lines)
