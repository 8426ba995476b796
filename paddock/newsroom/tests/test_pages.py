"""The public pages: what each list shows, the article page's parts, and drafts kept out of all."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from paddock.core.roles import MODERATORS
from paddock.newsroom.models import ArticlePage

from .factories import (
    ContributorFactory,
    MakeFactory,
    UserFactory,
    VehicleModelFactory,
    make_article,
    make_section,
    site_tree,
)

pytestmark = pytest.mark.django_db


UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text().split())


def card_titles(response) -> list[str]:
    return [text_of(a) for a in soup_of(response).select(".card__title a")]


def draft(section, **kwargs) -> ArticlePage:
    """An article saved but never published."""
    return make_article(section, publish=False, **kwargs)


def unpublished(section, **kwargs) -> ArticlePage:
    article = make_article(section, **kwargs)
    article.unpublish()
    return article


def moderator(name: str, country: str, *, active: bool = True):
    user = UserFactory(is_active=active)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return ContributorFactory(display_name=name, country=country, user=user)


# --- Lists ---------------------------------------------------------------------------------


def test_home_lists_published_articles_newest_first(client):
    news, reviews = make_section("News"), make_section("Reviews")
    make_article(news, title="Oldest", published_at=at(2026, 1, 1))
    make_article(reviews, title="Newest", published_at=at(2026, 3, 1))
    make_article(news, title="Middle", published_at=at(2026, 2, 1))

    assert card_titles(client.get("/")) == ["Newest", "Middle", "Oldest"]


def test_home_paginates_by_the_articles_per_page_setting(client, settings):
    settings.PADDOCK_ARTICLES_PER_PAGE = 2
    news = make_section("News")
    for day in range(1, 6):
        make_article(news, title=f"Day {day}", published_at=at(2026, 1, day))

    first = client.get("/")
    assert card_titles(first) == ["Day 5", "Day 4"]
    links = soup_of(first).select_one(".pagination")
    assert text_of(links.select_one("span")) == "Page 1"
    assert links.select_one('a[rel="next"]')["href"] == "?page=2"
    assert not links.select('a[rel="prev"]')
    second = client.get("/?page=2")
    assert card_titles(second) == ["Day 3", "Day 2"]
    links = soup_of(second).select_one(".pagination")
    assert links.select_one('a[rel="prev"]')["href"] == "?page=1"
    assert links.select_one('a[rel="next"]')["href"] == "?page=3"
    last = client.get("/?page=3")
    assert card_titles(last) == ["Day 1"]
    assert not soup_of(last).select('.pagination a[rel="next"]')
    assert client.get("/?page=4").status_code == 404


def test_a_list_that_ends_with_a_full_page_offers_no_older_one(client, settings):
    settings.PADDOCK_ARTICLES_PER_PAGE = 2
    news = make_section("News")
    for day in range(1, 5):
        make_article(news, title=f"Day {day}", published_at=at(2026, 1, day))

    last = client.get("/?page=2")
    assert card_titles(last) == ["Day 2", "Day 1"]
    assert not soup_of(last).select('.pagination a[rel="next"]')
    assert client.get("/?page=3").status_code == 404
    assert client.get(news.url + "?page=3").status_code == 404


def test_a_list_goes_back_a_capped_number_of_pages_and_is_not_counted(
    client, settings, monkeypatch
):
    from django.db import connection

    from paddock.newsroom import selectors

    settings.PADDOCK_ARTICLES_PER_PAGE = 2
    settings.PADDOCK_PAGE_CACHE = False
    settings.PADDOCK_FRAGMENT_CACHE = False
    monkeypatch.setattr(selectors, "MAX_LIST_PAGES", 2)
    news = make_section("News")
    for day in range(1, 6):
        make_article(news, title=f"Day {day}", published_at=at(2026, 1, day))

    statements = []

    def note(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(note):
        first = client.get("/")
    assert soup_of(first).select_one('.pagination a[rel="next"]')["href"] == "?page=2"
    # The newest four: page 2 is the last, though older articles exist.
    second = client.get("/?page=2")
    assert card_titles(second) == ["Day 3", "Day 2"]
    assert not soup_of(second).select('.pagination a[rel="next"]')
    assert client.get("/?page=3").status_code == 404
    assert not [sql for sql in statements if "COUNT(" in sql.upper()]
    # The page and the first card of the next one, in one statement.
    (listed,) = [sql for sql in statements if 'FROM "newsroom_articlepage"' in sql]
    assert "LIMIT 3" in listed, listed


def test_home_without_articles_says_so(client):
    site_tree()

    page = soup_of(client.get("/"))

    assert text_of(page.select_one(".empty")) == "No articles yet."


def test_section_page_lists_only_its_own_articles(client):
    news, reviews = make_section("News"), make_section("Reviews")
    make_article(news, title="A news story")
    make_article(reviews, title="A road test")

    assert card_titles(client.get(news.url)) == ["A news story"]
    assert card_titles(client.get(reviews.url)) == ["A road test"]


def test_tag_page_lists_only_articles_with_that_tag(client):
    news = make_section("News")
    make_article(news, title="Battery news", tags=["batteries", "ev"])
    make_article(news, title="Diesel news", tags=["diesel"])

    response = client.get("/tags/batteries/")

    assert card_titles(response) == ["Battery news"]
    assert text_of(soup_of(response).h1) == "Tagged “batteries”"


def test_tags_with_accents_or_other_scripts_have_working_pages(client):
    news = make_section("News")
    article = make_article(news, title="Accented story", tags=["électrique", "Škoda", "سيارات"])
    make_article(news, title="Plain story", tags=["diesel"])

    chips = soup_of(client.get(article.url)).select(".story__meta a[rel=tag]")

    assert sorted(text_of(a) for a in chips) == sorted(["électrique", "Škoda", "سيارات"])
    for chip in chips:
        assert card_titles(client.get(chip["href"])) == ["Accented story"], chip["href"]
    assert client.get("/sitemap.xml").status_code == 200


def test_make_page_lists_articles_about_the_make_and_links_its_models(client):
    news = make_section("News")
    volvo, saab = MakeFactory(name="Volvo"), MakeFactory(name="Saab")
    ex30 = VehicleModelFactory(make=volvo, name="EX30")
    make_article(news, title="Volvo story", makes=[volvo], vehicle_models=[ex30])
    make_article(news, title="Saab story", makes=[saab])

    response = client.get("/makes/volvo/")

    assert card_titles(response) == ["Volvo story"]
    models = soup_of(response).select("ul[aria-label=Models] a")
    assert [(a["href"], text_of(a)) for a in models] == [("/makes/volvo/ex30/", "EX30")]


def test_vehicle_model_page_lists_only_that_models_articles(client):
    news = make_section("News")
    volvo = MakeFactory(name="Volvo")
    ex30, ex90 = (
        VehicleModelFactory(make=volvo, name="EX30"),
        VehicleModelFactory(make=volvo, name="EX90"),
    )
    make_article(news, title="Small Volvo", makes=[volvo], vehicle_models=[ex30])
    make_article(news, title="Big Volvo", makes=[volvo], vehicle_models=[ex90])

    response = client.get("/makes/volvo/ex30/")

    assert card_titles(response) == ["Small Volvo"]
    assert text_of(soup_of(response).h1) == "Volvo EX30"


def test_vehicle_models_with_non_latin_or_look_alike_names_get_working_pages(client):
    news = make_section("News")
    byd = MakeFactory(name="BYD")
    models = [VehicleModelFactory(make=byd, name=name) for name in ("汉", "唐", "ID.4", "ID4")]
    article = make_article(news, title="Model story", makes=[byd], vehicle_models=models)

    slugs = [model.slug for model in models]
    assert all(slugs) and len(set(slugs)) == 4
    links = soup_of(client.get(article.url)).select(".story__meta a.chip")
    chips = [a for a in links if a["href"].startswith("/makes/byd/") and a["href"] != "/makes/byd/"]
    assert len(chips) == 4
    for chip in chips:
        assert card_titles(client.get(chip["href"])) == ["Model story"], chip["href"]
    assert client.get("/makes/byd/").status_code == 200


def test_author_page_shows_profile_and_only_the_authors_articles(client):
    news = make_section("News")
    ana = ContributorFactory(display_name="Ana Ruiz", country="ES", bio="Covers Spain.")
    ben = ContributorFactory(display_name="Ben Ode")
    make_article(news, title="By Ana", authors=[ana])
    make_article(news, title="By both", authors=[ben, ana])
    make_article(news, title="By Ben", authors=[ben])

    response = client.get("/authors/ana-ruiz/")
    page = soup_of(response)

    assert set(card_titles(response)) == {"By Ana", "By both"}
    assert text_of(page.h1) == "Ana Ruiz"
    assert text_of(page.select_one(".profile__country")) == "Spain"
    assert "Covers Spain." in text_of(page.select_one(".page-header"))


def test_year_archive_lists_that_years_articles_and_links_its_months(client):
    news = make_section("News")
    make_article(news, title="March 2024", published_at=at(2024, 3, 5))
    make_article(news, title="July 2024", published_at=at(2024, 7, 9))
    make_article(news, title="New Year 2025", published_at=at(2025, 1, 1, 0, 0))
    make_article(news, title="New Year's Eve 2023", published_at=at(2023, 12, 31, 23, 59))

    response = client.get("/archive/2024/")

    assert card_titles(response) == ["July 2024", "March 2024"]
    months = soup_of(response).select("ul[aria-label=Months] a")
    assert [(a["href"], text_of(a)) for a in months] == [
        ("/archive/2024/7/", "July 2024"),
        ("/archive/2024/3/", "March 2024"),
    ]


def test_month_archive_lists_only_that_months_articles(client):
    news = make_section("News")
    make_article(news, title="Early March", published_at=at(2024, 3, 1, 0, 0))
    make_article(news, title="Late March", published_at=at(2024, 3, 31, 23, 59))
    make_article(news, title="April", published_at=at(2024, 4, 1, 0, 0))
    make_article(news, title="February", published_at=at(2024, 2, 29, 23, 59))

    response = client.get("/archive/2024/3/")

    assert card_titles(response) == ["Late March", "Early March"]
    assert text_of(soup_of(response).h1) == "Archive: March 2024"


def test_december_archive_ends_at_the_new_year(client):
    news = make_section("News")
    make_article(news, title="December", published_at=at(2024, 12, 31, 12, 0))
    make_article(news, title="January", published_at=at(2025, 1, 1, 12, 0))

    assert card_titles(client.get("/archive/2024/12/")) == ["December"]


def test_contributors_page_lists_writers_with_published_articles_and_countries(client):
    news = make_section("News")
    ana = ContributorFactory(display_name="Ana Ruiz", country="ES")
    kai = ContributorFactory(display_name="Kai Berg", country="DE")
    make_article(news, authors=[ana])
    make_article(news, authors=[kai, ana])
    draft(news, authors=[ContributorFactory(display_name="Only Drafts")])
    ContributorFactory(display_name="No Articles")

    page = soup_of(client.get("/contributors/"))

    people = [
        (text_of(li.select_one(".person__name")), text_of(li.select_one(".person__country")))
        for li in page.select("li.person")
    ]
    assert people == [("Ana Ruiz", "Spain"), ("Kai Berg", "Germany")]
    assert page.select_one(".person__name a")["href"] == "/authors/ana-ruiz/"
    # The masthead beside every page lists the same writers (the site chrome's own query).
    masthead = soup_of(client.get("/")).select_one('[aria-labelledby="contributors-heading"]')
    assert [text_of(a) for a in masthead.select(".people-list a")] == ["Ana Ruiz", "Kai Berg"]
    assert masthead.select_one(".people-list a")["href"] == "/authors/ana-ruiz/"


def test_moderators_page_lists_active_moderator_profiles_with_countries(client):
    site_tree()
    moderator("Mia Nakamura", "JP")
    moderator("Lars Holm", "SE")
    moderator("Gone Away", "FR", active=False)
    ContributorFactory(display_name="Not A Moderator", user=UserFactory())

    page = soup_of(client.get("/moderators/"))

    people = [
        (text_of(li.select_one(".person__name")), text_of(li.select_one(".person__country")))
        for li in page.select("li.person")
    ]
    assert people == [("Lars Holm", "Sweden"), ("Mia Nakamura", "Japan")]


def test_people_pages_say_when_nobody_is_listed(client):
    site_tree()

    for url in ("/contributors/", "/moderators/"):
        assert (
            text_of(soup_of(client.get(url)).select_one(".empty")) == "Nobody is listed here yet."
        )


# --- The article page ----------------------------------------------------------------------


def test_article_byline_names_the_author_and_the_date(client):
    news = make_section("News")
    ana = ContributorFactory(display_name="Ana Ruiz")
    article = make_article(news, authors=[ana], published_at=at(2026, 3, 5, 9, 30))

    byline = soup_of(client.get(article.url)).select_one(".story__header .byline")

    assert text_of(byline) == "By Ana Ruiz on March 5, 2026"
    assert byline.a["href"] == "/authors/ana-ruiz/"
    assert byline.time["datetime"].startswith("2026-03-05T09:30:00")


def test_article_byline_joins_two_authors_with_and(client):
    news = make_section("News")
    ana, ben = (
        ContributorFactory(display_name="Ana Ruiz"),
        ContributorFactory(display_name="Ben Ode"),
    )
    article = make_article(news, authors=[ana, ben], published_at=at(2026, 3, 5))

    byline = soup_of(client.get(article.url)).select_one(".story__header .byline")

    assert text_of(byline) == "By Ana Ruiz and Ben Ode on March 5, 2026"


def test_article_byline_lists_three_authors_in_order(client):
    news = make_section("News")
    people = [ContributorFactory(display_name=name) for name in ("Cy Ash", "Ana Ruiz", "Ben Ode")]
    article = make_article(news, authors=people, published_at=at(2026, 11, 30))

    byline = soup_of(client.get(article.url)).select_one(".story__header .byline")

    assert text_of(byline) == "By Cy Ash, Ana Ruiz and Ben Ode on November 30, 2026"


def test_article_shows_headline_standfirst_and_body_with_quotation(client):
    news = make_section("News")
    headline = "Maker to build cars where it sells them; plants to move within five years…"
    article = make_article(
        news,
        title=headline,
        body=(
            "<p>The chief executive spoke on Monday.</p>"
            "<blockquote>We will build where our customers live.</blockquote>"
        ),
    )

    page = soup_of(client.get(article.url))

    assert text_of(page.select_one("h1.story__title")) == headline
    assert text_of(page.select_one(".story__standfirst")) == article.standfirst
    quote = page.select_one(".story__body blockquote")
    assert text_of(quote) == "We will build where our customers live."
    assert "The chief executive spoke on Monday." in text_of(page.select_one(".story__body"))


def test_article_sources_are_links_marked_sub_only_when_subscription_required(client):
    news = make_section("News")
    article = make_article(
        news,
        sources=[
            ("Financial Daily", "https://daily.example/story", True),
            ("Open Wire", "https://wire.example/item", False),
        ],
    )

    items = soup_of(client.get(article.url)).select(".story__sources li")

    assert [text_of(li) for li in items] == ["Financial Daily [sub]", "Open Wire"]
    assert [li.a["href"] for li in items] == [
        "https://daily.example/story",
        "https://wire.example/item",
    ]
    # "[sub]" follows the link rather than sitting inside it.
    assert text_of(items[0].a) == "Financial Daily"


def test_article_without_sources_has_no_sources_section(client):
    article = make_article(make_section("News"))

    assert soup_of(client.get(article.url)).select_one(".story__sources") is None


def test_article_links_related_articles_by_tag_and_section_but_not_drafts(client):
    news, reviews = make_section("News"), make_section("Reviews")
    article = make_article(news, title="The story", tags=["tariffs"])
    make_article(reviews, title="Same tag elsewhere", tags=["tariffs"])
    make_article(news, title="Same section")
    make_article(reviews, title="Unrelated")
    draft(reviews, title="Draft with the tag", tags=["tariffs"])
    unpublished(news, title="Withdrawn from the section")

    related = soup_of(client.get(article.url)).select(".related__list a")

    assert [text_of(a) for a in related] == ["Same tag elsewhere", "Same section"]


def test_article_ends_with_back_to_top_link_to_the_top_anchor(client):
    article = make_article(make_section("News"))

    page = soup_of(client.get(article.url))

    link = page.find("a", string="Back to Top")
    assert link is not None and link["href"] == "#top"
    assert page.find(id="top") is not None


def test_article_sidebar_lists_contributors_and_moderators_with_countries(client):
    news = make_section("News")
    article = make_article(
        news, authors=[ContributorFactory(display_name="Ana Ruiz", country="ES")]
    )
    moderator("Mia Nakamura", "JP")

    sidebar = soup_of(client.get(article.url)).select_one("aside.layout__sidebar")
    contributors = sidebar.select_one("[aria-labelledby=contributors-heading] ul")
    moderators = sidebar.select_one("[aria-labelledby=moderators-heading] ul")

    assert [text_of(li) for li in contributors.select("li")] == ["Ana Ruiz (Spain)"]
    assert [text_of(li) for li in moderators.select("li")] == ["Mia Nakamura (Japan)"]


# --- Drafts --------------------------------------------------------------------------------


def test_drafts_unpublished_and_scheduled_articles_are_shown_nowhere(client):
    news = make_section("News")
    volvo = MakeFactory(name="Volvo")
    ex30 = VehicleModelFactory(make=volvo, name="EX30")
    ghost = ContributorFactory(display_name="Ghost Writer")
    shared = {
        "authors": [ghost],
        "tags": ["secret"],
        "makes": [volvo],
        "vehicle_models": [ex30],
        "published_at": at(2024, 5, 5),
        "body": "<p>Embargoed zeppelin content.</p>",
    }
    hidden = [
        draft(news, title="Hidden draft", **shared),
        unpublished(news, title="Hidden withdrawn", **shared),
        make_article(
            news,
            title="Hidden scheduled",
            go_live_at=timezone.now() + dt.timedelta(days=3),
            **shared,
        ),
    ]
    visible = make_article(news, title="Visible story", tags=["open"], makes=[volvo])
    assert not any(ArticlePage.objects.filter(pk__in=[a.pk for a in hidden], live=True))

    pages = [
        "/",
        news.url,
        "/tags/secret/",
        "/makes/volvo/",
        "/makes/volvo/ex30/",
        "/authors/ghost-writer/",
        "/contributors/",
        "/search/?q=zeppelin",
        visible.url,
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/sections/{news.slug}/rss/",
        "/feeds/authors/ghost-writer/rss/",
        "/sitemap.xml",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Hidden" not in body, url
        assert "Embargoed" not in body, url
        assert "Ghost Writer" not in body or "ghost-writer" in url, url
        assert "EX30" not in body or url == "/makes/volvo/ex30/", url
    for article in hidden:
        assert client.get(article.url).status_code == 404
    assert client.get("/archive/2024/5/").status_code == 404


# --- published_at --------------------------------------------------------------------------


def test_first_publish_without_a_date_sets_published_at_to_the_go_live_moment(client):
    news = make_section("News")
    article = draft(news, title="Undated")
    ArticlePage.objects.filter(pk=article.pk).update(published_at=None)
    article.refresh_from_db()
    before = timezone.now()

    article.save_revision().publish()

    article.refresh_from_db()
    assert article.published_at is not None
    assert article.published_at == article.first_published_at
    assert before <= article.published_at <= timezone.now()
    assert card_titles(client.get("/")) == ["Undated"]


def test_scheduled_article_gets_its_date_when_it_goes_live_not_when_scheduled():
    news = make_section("News")
    article = draft(news, title="Embargoed")
    ArticlePage.objects.filter(pk=article.pk).update(published_at=None)
    article.refresh_from_db()
    article.go_live_at = timezone.now() + dt.timedelta(hours=2)
    revision = article.save_revision()

    revision.publish()  # Wagtail sends page_published now, though it only schedules

    article.refresh_from_db()
    assert article.live is False and article.published_at is None
    # Two hours later, the scheduler publishes it.
    went_live = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = went_live.isoformat()
    revision.approved_go_live_at = went_live
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live is True
    assert article.published_at is not None
    assert article.published_at == article.first_published_at


def test_published_at_set_by_hand_is_kept_on_publish():
    news = make_section("News")
    article = draft(news, published_at=at(2025, 6, 1, 8, 0))

    article.save_revision().publish()

    article.refresh_from_db()
    assert article.published_at == at(2025, 6, 1, 8, 0)


def test_republishing_keeps_the_first_go_live_moment():
    news = make_section("News")
    article = draft(news)
    ArticlePage.objects.filter(pk=article.pk).update(published_at=None)
    article.refresh_from_db()
    article.save_revision().publish()
    article.refresh_from_db()
    first = article.published_at

    # The editor's next revision is built from the latest one, where the date is still blank.
    edited = article.get_latest_revision_as_object()
    edited.title = "Corrected headline"
    edited.save_revision().publish()

    article.refresh_from_db()
    assert article.title == "Corrected headline"
    assert article.published_at == first
