"""Bring a site's Disqus comments into Paddock from a Disqus XML export.

Sites that used Disqus keep their discussions there, not in WordPress. This matches each Disqus
thread to its article (by the identifier the Disqus WordPress plugin writes, by slug, or by the
thread's URL, including old WordPress permalinks that now redirect) and imports its comments
with their replies, authors, dates, and deleted or spam state. Deleted comments show as
"[deleted]"; their text stays in the import record.

Import the WordPress export first, so that the articles exist. Running it again imports
nothing twice. Exit codes as for import_wordpress: 0 all imported, 1 something skipped (see
the report), 2 the file cannot be imported.
"""

from __future__ import annotations

from paddock.importers.disqus.pipeline import disqus_import

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import a Disqus XML export onto the articles its threads belong to."
    what = "Disqus export"

    def handle(self, *args, path: str, **options) -> None:
        self.run_import(disqus_import, path, options)
