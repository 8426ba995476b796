"""Site search: which published articles match, in what order, and the passage that matched.

Wagtail's index (its database backend, on SQLite or PostgreSQL) finds the matches, with its
stemming and relevance. Its SQLite backend keeps only two columns, the title and everything
else, and weighs them alike, so a word found once in a long body can outrank the article with
the word in its title. The order is therefore settled here, the same on every database: for
each word of the query, an article scores 4 when the word is in its title, 2 in its
standfirst or a tag, 1 in its body only; articles with equal scores keep the index's order.
The boosts on ArticlePage.search_fields say the same to the index (PostgreSQL weighs fields
by them), so within a score the more relevant comes first there too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import ArticlePage, ArticleTag

# How many matches are ranked: more than anyone pages through, few enough to rank quickly.
RANK_LIMIT = 1000
TITLE, STANDFIRST_OR_TAG, BODY = 4, 2, 1
# The excerpt: this much text before the first match and after it, in characters.
BEFORE, AFTER = 80, 160
_WORD = re.compile(r"\w+")
# Endings dropped so that "battery" finds "batteries" and "charging" finds "charge".
_ENDINGS = ("ies", "ing", "es", "ed", "s", "y", "e")


def query_words(query: str) -> list[str]:
    """The query's words, lower-cased, each once."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def word_patterns(words: Iterable[str]) -> list[re.Pattern]:
    """One pattern per word: the word's stem at the start of a word, in any case."""
    return [re.compile(rf"\b{re.escape(_stem(w))}\w*", re.IGNORECASE) for w in words]


def ranked_ids(queryset, terms: str) -> list[int]:
    """The ids of the articles in `queryset` that match `terms`, best first (see above)."""
    patterns = word_patterns(query_words(terms))
    found = queryset.only("pk", "title", "standfirst").search(terms, order_by_relevance=True)
    rows = [(a.pk, a.title, a.standfirst) for a in found[:RANK_LIMIT]]
    tags: dict[int, list[str]] = {}
    for article_id, name in ArticleTag.objects.filter(
        content_object_id__in=[pk for pk, _, _ in rows]
    ).values_list("content_object_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)

    def score(row) -> int:
        pk, title, standfirst = row
        tagged = " ".join(tags.get(pk, ()))
        total = 0
        for pattern in patterns:
            if pattern.search(title):
                total += TITLE
            elif pattern.search(standfirst) or pattern.search(tagged):
                total += STANDFIRST_OR_TAG
            else:
                total += BODY
        return total

    return [pk for pk, *_ in sorted(rows, key=score, reverse=True)]


def excerpt(article: ArticlePage, terms: str) -> SafeString:
    """The passage of the article's body around the first word of the query found in it, the
    words marked (<mark>) and everything else escaped; empty when the body has none of them."""
    # A space before every tag, so that paragraphs do not run into each other.
    text = " ".join(html.unescape(strip_tags((article.body or "").replace("<", " <"))).split())
    patterns = word_patterns(query_words(terms))
    matches = [m for p in patterns if (m := p.search(text))]
    if not matches:
        return mark_safe("")
    first = min(m.start() for m in matches)
    start, end = max(first - BEFORE, 0), min(first + AFTER, len(text))
    # Cut at spaces, so no word is shown in part.
    if start > 0:
        start = text.find(" ", start, first) + 1 or start
    if end < len(text):
        end = text.rfind(" ", first, end) if text.rfind(" ", first, end) > first else end
    passage = text[start:end]
    combined = re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    parts, last = [], 0
    for match in combined.finditer(passage):
        parts.append(escape(passage[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(passage[last:]))
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(lead + "".join(parts) + tail)  # every piece of text above is escaped
