"""How well Paddock's spam screening does on comments its model never saw.

Cross-validation on labelled public comments, the CSV files given (the YouTube Spam
Collection: Alberto, Lochter and Almeida, 2015; CC BY 4.0; one file per video):

- 5-fold: the comments split in five (stratified); for each fifth, the shipped model is trained
  on the other four (`train_spam_model`'s code, thresholds chosen by its own inner
  cross-validation) and the fifth is judged by `manage.py evaluate_spam` with that model;
- one file out: trained on all videos but one, judged on that one (a different sample, as a
  new site's comments are).

Each held-out part is judged as posted by an established reader, by a new account under the
default policy (whose first comment a moderator reads) and by a new account with
pre-moderation off (the scoring alone). Prints the table and writes it into
docs/moderation.md (--no-docs: print only). Builds a throwaway SQLite site.

Run: .venv/bin/python bench/spam_eval.py [--no-docs] [FILE...]
(by default the CSV files in ../shared/data/comment-spam/, beside the repository)
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PADDOCK_DATA_DIR", tempfile.mkdtemp(prefix="paddock-bench-"))
os.environ.setdefault("PADDOCK_TESTING", "1")
os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite site

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from paddock.moderation import policy as policies  # noqa: E402
from paddock.moderation.models import ModerationPolicy  # noqa: E402
from paddock.moderation.spam_model import corpus_read, folds  # noqa: E402
from paddock.moderation.training import base_train  # noqa: E402

DOCS = ROOT / "docs" / "moderation.md"
CORPUS = ROOT.parent / "shared" / "data" / "comment-spam"
BEGIN, END = "<!-- spam-eval:begin -->", "<!-- spam-eval:end -->"
READERS = {
    "established": ([], "an established reader"),
    "new": (["--new-account"], "a new account (default policy)"),
    "new-scoring": (["--new-account"], "a new account, pre-moderation off"),
}


def write_csv(rows, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"])
        for n, (text, label) in enumerate(rows):
            writer.writerow([n, "", "", html.escape(text, quote=False), label])


def judge(model, held_out, workdir: Path) -> dict[str, dict]:
    model_path, data_path = workdir / "model.json", workdir / "held-out.csv"
    model_path.write_text(model.dumps(), encoding="utf-8")
    write_csv(held_out, data_path)
    figures = {}
    for reader, (options, _) in READERS.items():
        policy = ModerationPolicy.objects.order_by("pk").first() or ModerationPolicy()
        policy.premoderate_first = 0 if reader == "new-scoring" else 1
        policy.save()
        out = io.StringIO()
        call_command(
            "evaluate_spam",
            "--json",
            "--model",
            str(model_path),
            *options,
            str(data_path),
            stdout=out,
        )
        figures[reader] = json.loads(out.getvalue().strip().splitlines()[-1])
    return figures


def add(total: dict, part: dict) -> None:
    for reader, figures in part.items():
        for key, value in figures.items():
            total.setdefault(reader, {}).setdefault(key, 0)
            total[reader][key] += value


def table(results: dict[str, dict]) -> str:
    lines = [
        "| Held out | Posted by | Spam caught | Legitimate held |",
        "|---|---|---:|---:|",
    ]
    for scheme, totals in results.items():
        for reader, (_, label) in READERS.items():
            f = totals[reader]
            lines.append(
                f"| {scheme} | {label} | {f['spam_caught']} of {f['spam']} "
                f"({f['spam_caught'] / f['spam']:.1%}) | {f['ham_held']} of {f['ham']} "
                f"({f['ham_held'] / f['ham']:.1%}) |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled comments (CSV)")
    parser.add_argument("--no-docs", action="store_true")
    arguments = parser.parse_args()
    files = arguments.files or sorted(CORPUS.glob("*.csv"))
    if not files:
        parser.error(f"no labelled comments: give CSV files, or put them in {CORPUS}")
    call_command("migrate", verbosity=0)
    by_file = {path.name: corpus_read([path]) for path in files}
    rows = [row for part in by_file.values() for row in part]
    labels = np.array([label for _, label in rows])
    results: dict[str, dict] = {"5-fold": {}, "one file out": {}}
    with tempfile.TemporaryDirectory() as workdir:
        for n, test in enumerate(folds(labels, 5), start=1):
            chosen = set(test.tolist())
            train = [row for i, row in enumerate(rows) if i not in chosen]
            model = base_train(train, policy=policies.current())
            add(results["5-fold"], judge(model, [rows[i] for i in test], Path(workdir)))
            print(f"fold {n}/5: thresholds {model.thresholds}", flush=True)
        if len(by_file) > 1:
            for name, held_out in by_file.items():
                train = [row for other, part in by_file.items() if other != name for row in part]
                model = base_train(train, policy=policies.current())
                add(results["one file out"], judge(model, held_out, Path(workdir)))
                print(f"{name} out: thresholds {model.thresholds}", flush=True)
        else:
            del results["one file out"]
    text = table(results)
    print(text)
    if not arguments.no_docs:
        sources = ", ".join(by_file)
        block = (
            f"{BEGIN}\nMeasured by `bench/spam_eval.py` on {len(rows)} labelled comments "
            f"({sources}), {int(labels.sum())} of them spam:\n\n{text}\n{END}"
        )
        docs = DOCS.read_text(encoding="utf-8")
        if BEGIN in docs:
            head, rest = docs.split(BEGIN, 1)
            docs = head + block + rest.split(END, 1)[1]
        else:
            docs = docs.rstrip() + "\n\n" + block + "\n"
        DOCS.write_text(docs, encoding="utf-8")


if __name__ == "__main__":
    main()
