"""The demo site's content, read from the JSON files in `data/`.

Every company, person, race series, publication, quotation and remark there is invented for
the demo and was written for Paddock. Source links point at ``.example`` domains, which never
resolve. Dates are offsets from `BASE_DATE` (articles) or from the time of loading (comments,
moderation, newsletter, leads), so the demo is the same on every run.

The files, and the shapes this module gives their rows:

- ``articles.json``: the site's name and home page, sections, makes and their model lines,
  illustrations (drawn by `images.render_jpeg`; colours are RGB triples, the title doubles as
  the alt text) and articles. An article is published `days_ago` days before the base date at
  `hour` UTC; its `status` is "live" unless "draft" or "scheduled", and a scheduled article
  goes live `days_ahead` days after the loader runs. `models` are (make, model) pairs and
  `sources` (name, url, subscription required) triples.
- ``people.json``: the demo password, the admin and editor accounts, writers (Contributors),
  moderators, readers as (display name, ISO country or ""), each becoming the account
  reader-<n> with the address reader-<n>@example.com, and the dealers as (name, street, city,
  state, ZIP, indexes of the makes sold into the sorted demo makes) with their shoppers as
  (name, ZIP).
- ``discussion.json``: what readers write, read by `threads` with a random generator seeded
  by `seed`. The reference article's thread as (depth, reader number, body); per-article
  threads as (depth, body), a reply hanging under the nearest entry above it with one less
  depth; reports as (article slug, index of the comment in that article's list, reason,
  details); theme pools as (comment, [replies written for it]); the long discussion's topics,
  each with sentences for and against. Bodies use the comments' Markdown subset.
- ``moderation.json``: banned terms as (phrase, action), a month of decisions as (text,
  decision, reason) and comments waiting now as (new reader's name, text).
- ``pages.json``: the standard pages (About, Privacy policy, Terms of use, Contact) as
  (slug, title, introduction, HTML body, contact form), the footer menu as (label, page slug)
  and the privacy policy's slug.
- ``newsletter.json``: how many subscribers, the first one's address and the special
  edition's body.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def read(name: str) -> dict[str, Any]:
    """One of the data files, by name (``"articles"`` for ``data/articles.json``)."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)


def tuples(rows: list) -> list[tuple]:
    """Rows of a JSON array as tuples (nested arrays too), as the loader unpacks and keys them."""
    return [tuple(_deep_tuple(value) for value in row) for row in rows]


def _deep_tuple(value: Any) -> Any:
    return tuple(_deep_tuple(v) for v in value) if isinstance(value, list) else value


def _article(spec: dict) -> dict:
    return spec | {"models": tuples(spec["models"]), "sources": tuples(spec["sources"])}


_articles = read("articles")
_people = read("people")

SITE_NAME: str = _articles["site_name"]
BASE_DATE: datetime = datetime.fromisoformat(_articles["base_date"])
HOME: dict[str, str] = _articles["home"]
SECTIONS: list[dict[str, str]] = _articles["sections"]
MAKES: dict[str, list[str]] = _articles["makes"]
IMAGES: list[dict] = [
    {key: _deep_tuple(value) for key, value in spec.items()} for spec in _articles["images"]
]
REFERENCE_SLUG: str = _articles["reference_slug"]
ARTICLES: list[dict] = [_article(spec) for spec in _articles["articles"]]

DEMO_PASSWORD: str = _people["demo_password"]
ADMIN: dict[str, str] = _people["admin"]
EDITOR: dict[str, str] = _people["editor"]
CONTRIBUTORS: list[dict[str, str]] = _people["contributors"]
MODERATORS: list[dict[str, str]] = _people["moderators"]
READERS: list[tuple[str, str]] = tuples(_people["readers"])
DEALERS_GROUP: str = _people["dealers_group"]
DEALERS: list[tuple] = tuples(_people["dealers"])
SHOPPERS: list[tuple[str, str]] = tuples(_people["shoppers"])
FAR_SHOPPERS: list[tuple[str, str]] = tuples(_people["far_shoppers"])
