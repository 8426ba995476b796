"""/search/: finds published articles by their words, and answers any query without a 500."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def articles(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end; each test runs in a
    savepoint within it, as with Django's TestCase.setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with disable_reference_index_auto_update():
                data = _articles()
            yield data
        finally:
            transaction.set_rollback(True)


def _articles() -> dict:
    news = make_section("News")
    return {
        "pickup": make_article(
            news,
            title="Electric pickup arrives in spring",
            body="<p>The battery pack holds enough for a long weekend.</p>",
        ),
        "sedan": make_article(news, title="Diesel sedan discontinued"),
        "arabic": make_article(news, title="سيارة كهربائية جديدة", slug="arabic"),
        "cafe": make_article(news, title="Café racer edition"),
        "draft": make_article(news, title="Electric pickup prototype leaks", publish=False),
    }


def search(client, query: str, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, repr(query)
    page = BeautifulSoup(response.content, "html.parser")
    titles = [" ".join(a.get_text().split()) for a in page.select(".card__title a")]
    notice = page.select_one(".notice")
    return titles, (" ".join(notice.get_text().split()) if notice else "")


def test_search_finds_articles_by_a_word_of_the_title(client, articles):
    assert search(client, "pickup") == (["Electric pickup arrives in spring"], "")


def test_search_finds_articles_by_a_word_of_the_body(client, articles):
    assert search(client, "battery")[0] == ["Electric pickup arrives in spring"]


def test_search_ignores_case(client, articles):
    assert search(client, "DIESEL SEDAN")[0] == ["Diesel sedan discontinued"]


def test_search_never_finds_drafts(client, articles):
    assert search(client, "prototype") == ([], "No articles match “prototype”.")


def test_search_counts_and_paginates_results_keeping_the_query(client, articles, settings):
    settings.PADDOCK_ARTICLES_PER_PAGE = 1
    make_article(articles["pickup"].get_parent(), title="Second electric story")

    response = client.get("/search/", {"q": "electric"})
    page = BeautifulSoup(response.content, "html.parser")

    assert " ".join(page.select_one(".result-count").get_text().split()) == (
        "2 results for “electric”"
    )
    assert page.select_one("a[rel=next]")["href"] == "?q=electric&page=2"
    assert len(search(client, "electric", page="2")[0]) == 1
    assert client.get("/search/", {"q": "electric", "page": "3"}).status_code == 404


def test_search_with_an_empty_query_shows_just_the_form(client, articles):
    response = client.get("/search/", {"q": "   "})
    page = BeautifulSoup(response.content, "html.parser")

    assert response.status_code == 200
    assert page.select_one("form.search-form input[name=q]") is not None
    assert page.select(".card") == [] and page.select_one(".notice") is None


def test_search_with_quotes_or_operators_still_finds_the_words(client, articles):
    queries = ['"pickup"', 'Electric "pickup', 'pickup"', "„pickup“", "«pickup»", "pickup*"]

    missed = [q for q in queries if search(client, q)[0] != ["Electric pickup arrives in spring"]]

    assert missed == []


ODD_QUERIES = [
    '"',
    "'",
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE wagtailcore_page; --",
    "%",
    "_",
    ";",
    "%_%",
    "\\",
    "()",
    "NEAR(a b)",
    "AND OR NOT",
    "<->",
    "a:b",
    "!&|",
    "🚗⚡",
    "👩\u200d🔧",
    "\u202e",
    "\x00",
    "\x1b[2J",
    "\ud7ff\ue000",
    "z\u0336\u0335\u0334",
]


def test_search_answers_odd_queries_with_results_or_a_clear_message(client, articles):
    answers = {query: search(client, query) for query in ODD_QUERIES}

    silent = [query for query, (titles, notice) in answers.items() if not (titles or notice)]
    # An injection that worked would list everything.
    everything = [query for query, (titles, _) in answers.items() if len(titles) >= 4]
    assert silent == [] and everything == []


def test_search_of_only_control_characters_asks_for_words(client, articles):
    assert search(client, "\x00\x1b\u202e") == ([], "Type a word or two to search for.")


def test_search_injection_leaves_the_database_intact(client, articles):
    search(client, "'; DROP TABLE wagtailcore_page; --")
    search(client, "1'); DELETE FROM wagtailcore_page; --")

    assert search(client, "diesel")[0] == ["Diesel sedan discontinued"]


def test_search_finds_arabic_words(client, articles):
    assert search(client, "كهربائية")[0] == ["سيارة كهربائية جديدة"]


def test_search_finds_accented_words_typed_with_combining_marks(client, articles):
    assert search(client, "cafe\u0301 racer")[0] == ["Café racer edition"]
    assert search(client, "café")[0] == ["Café racer edition"]


def test_search_drops_control_characters_from_the_query(client, articles):
    titles, _ = search(client, "\x00pickup\x1b\x07")

    assert titles == ["Electric pickup arrives in spring"]


def test_search_of_ten_kilobytes_asks_to_shorten_it(client, articles):
    titles, notice = search(client, "pickup " * 1500)

    assert titles == []
    assert "please shorten it to at most 200 characters" in notice
    assert notice.startswith("That search is 10,499 characters long")


def test_search_at_the_length_limit_still_runs_and_one_more_character_does_not(
    client, articles, settings
):
    settings.PADDOCK_SEARCH_MAX_LENGTH = len("electric pickup")

    assert search(client, "electric pickup") == (["Electric pickup arrives in spring"], "")
    titles, notice = search(client, "electric pickups")
    assert titles == [] and "please shorten it" in notice


def test_search_with_a_bad_page_number_is_404(client, articles):
    for page in ["abc", "0", "-1", "99999999999999999999", "2"]:
        response = client.get("/search/", {"q": "pickup", "page": page})
        assert response.status_code == 404, page


def test_a_word_in_the_title_ranks_above_it_in_a_tag_and_a_tag_above_the_body(client, articles):
    news = articles["pickup"].get_parent().specific
    make_article(
        news,
        title="Tariffs reshape the parts trade",
        body="<p>" + "Battery cells, battery packs and battery modules pay tariffs. " * 5 + "</p>",
    )
    make_article(news, title="Charging networks grow", tags=["Battery"], body="<p>More.</p>")
    make_article(news, title="Battery prices fall again", body="<p>Cells got cheaper.</p>")

    titles, _ = search(client, "battery")

    assert titles[:2] == ["Battery prices fall again", "Charging networks grow"], titles
    assert set(titles[2:]) == {
        "Tariffs reshape the parts trade",
        "Electric pickup arrives in spring",
    }


def test_each_result_shows_the_passage_with_the_words_marked_and_escaped(client, articles):
    news = articles["pickup"].get_parent().specific
    make_article(
        news,
        title="Range test",
        body="<p>" + "Filler words come first here. " * 10 + "</p>"
        "<p>Owners wrote &lt;b&gt;the battery&lt;/b&gt; lasted.</p>",
    )
    response = client.get("/search/", {"q": "battery"})
    page = BeautifulSoup(response.content, "html.parser")
    card = next(c for c in page.select(".card") if "Range test" in c.get_text())
    passage = card.select_one(".card__excerpt")

    assert [m.get_text() for m in passage.select("mark")] == ["battery"]
    assert passage.get_text().startswith("… ") and "here. Owners wrote <b>the" in passage.get_text()
    # What the text says is shown as text, never as markup.
    assert passage.select("b") == [] and "&lt;b&gt;the" in str(passage)


def test_search_costs_the_same_queries_for_two_results_or_ten(client, articles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    news = articles["pickup"].get_parent().specific

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/", {"q": "gearbox"}).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make_article(news, title=f"Gearbox story {i}", tags=["Gearbox"])
    queries()  # warm the per-process caches
    few = queries()
    for i in range(8):
        make_article(news, title=f"More gearbox news {i}", tags=["Transmission"])
    assert queries() == few
