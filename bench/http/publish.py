"""An article published while the site is under load, as an editor publishes it in Wagtail.

Run by bench/http_load.py with the benchmark's environment. Writes a draft article (a copy of
the reference article, in its section, through newsroom's article_create), prints
`ready <id> <path>` and waits for a line on its standard input: then publishes the draft's
latest revision with Wagtail's Revision.publish(), the path the admin's Publish button takes
(signals, page cache invalidation, search index), and prints `published <start> <end>` (Unix
times). Django is set up, and its URL patterns loaded, before the wait, so the publish alone
falls in the measured run.

  .venv/bin/python bench/http/publish.py REFERENCE_SLUG
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Site  # noqa: E402

from paddock.newsroom import services  # noqa: E402
from paddock.newsroom.models import ArticlePage  # noqa: E402


def main() -> None:
    reference = ArticlePage.objects.get(slug=sys.argv[1])
    section = reference.get_parent().specific
    editor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    stamp = int(time.time())
    article, _revision = services.article_create(
        section=section,
        title=f"Breaking: {reference.title} ({stamp})",
        slug=f"breaking-{stamp}",
        standfirst=reference.standfirst,
        body=reference.body,
        writer=editor,
        publish=False,
        authors=[a.contributor for a in reference.authors.all()],
        tags=[t.name for t in reference.tags.all()],
    )
    site = Site.objects.get(is_default_site=True)
    path = "/" + article.url_path.removeprefix(site.root_page.url_path)
    # The URL patterns loaded, as in the admin's process an editor publishes from: the first
    # reverse() of a process imports every URLconf (0.24 s of CPU), which is no part of a
    # publish (page URLs are reversed when a page is published).
    reverse("wagtailadmin_home")
    print(f"ready {article.pk} {path}", flush=True)
    sys.stdin.readline()
    started = time.time()
    article.get_latest_revision().publish(user=editor)
    print(f"published {started:.3f} {time.time():.3f}", flush=True)


if __name__ == "__main__":
    main()
