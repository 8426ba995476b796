"""SQL queries per page, counted through Django's test client (no network, no page cache in
front unless the settings enable one), and the statements that repeat most on each page.

Prints JSON: for each page, the queries of the first request and of the second (a cached page
answers the second from the cache), and the tables most queried; then the same for one comment
posted by a signed-in reader. Run by bench/http_load.py with the benchmark's environment:
  .venv/bin/python bench/http/page_queries.py '{"article": "/industry/…/", …}' READER_ID
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TABLE = re.compile(r'\bFROM "([a-z_]+)"')


def _shapes(queries) -> list[tuple[str, int]]:
    """The tables the page reads most often, with how many queries start from each."""
    tables = Counter()
    for query in queries:
        match = TABLE.search(query["sql"])
        tables[match.group(1) if match else query["sql"].split(" ", 1)[0]] += 1
    return tables.most_common(6)


def measure(pages: dict[str, str], reader_id: int, post_path: str) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for name, url in pages.items():
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}, not 200.")
            counts.append(len(ctx.captured_queries))
            if len(counts) == 1:
                shapes = _shapes(ctx.captured_queries)
        result[name] = {"first": counts[0], "second": counts[1], "tables": shapes}
    if not reader_id:
        return result
    reader = get_user_model().objects.get(pk=reader_id)
    client.force_login(reader)
    body = "Counting the queries of one comment: range, winter tyres and the dealer's warranty."
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(post_path, {"body": body, "website": "", "started": ""})
    if response.status_code != 302:
        raise SystemExit(f"Posting a comment answered {response.status_code}, not a redirect.")
    result["post"] = {
        "first": len(ctx.captured_queries),
        "second": None,
        "tables": _shapes(ctx.captured_queries),
    }
    return result


if __name__ == "__main__":
    print(json.dumps(measure(json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3])))
