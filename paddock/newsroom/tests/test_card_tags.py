"""The card's image and the byline's date, made with what each process keeps, are what Wagtail's
{% image %} tag and Django's date filter give."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from paddock.newsroom import rendering, selectors
from paddock.newsroom.models import ArticlePage

from .factories import ContributorFactory, make_article, make_section
from .test_queries import make_image

pytestmark = pytest.mark.django_db

WAGTAIL = Template(
    "{% load wagtailimages_tags %}{% image article.lead_image fill-640x360 as img %}"
    "{{ img.url }} {{ img.width }}x{{ img.height }}"
)


def ours(article) -> str:
    """What a card shows of its image (rendering.article_card), as WAGTAIL writes it."""
    image = selectors.card_rendition(article)
    return f"{image.url} {image.width}x{image.height}" if image is not None else " x"


def _cards(*articles):
    return selectors.attach_cards(ArticlePage.objects.filter(pk__in=[a.pk for a in articles]))


def test_a_page_of_cards_reads_bylines_and_images_in_two_statements_whatever_its_length():
    news = make_section("News")
    writers = [ContributorFactory(display_name=name) for name in ("Ana", "Bo", "Cy")]
    articles = [
        make_article(
            news, authors=writers[n % 3 :] + writers[: n % 3], lead_image=make_image(f"P{n}")
        )
        for n in range(5)
    ]
    articles.append(make_article(news, authors=[writers[1]]))  # no image
    for article in articles:  # each image's rendition made, as the first render makes it
        WAGTAIL.render(Context({"article": article}))
    for count in (2, 6):
        with CaptureQueriesContext(connection) as queries:
            cards = _cards(*articles[:count])
            rendered = [ours(card) for card in cards]
            names = [[c.display_name for c in card.author_profiles] for card in cards]
        # The list, its bylines and its renditions (and the sections, which a request reads
        # with the site's chrome).
        read = [
            q["sql"] for q in queries.captured_queries if "newsroom_sectionpage" not in q["sql"]
        ]
        assert len(read) == 3, read
        by_pk = {a.pk: a for a in articles}
        for card, html, authors in zip(cards, rendered, names, strict=True):
            fresh = ArticlePage.objects.get(pk=card.pk)
            assert authors == [c.display_name for c in fresh.author_profiles]
            if by_pk[card.pk].lead_image_id:
                assert html == WAGTAIL.render(Context({"article": fresh}))
                assert "640x" in html
            else:
                assert html == " x"


def test_a_card_whose_rendition_is_missing_or_stale_gets_wagtails():
    news = make_section("News")
    article = make_article(news, lead_image=make_image("Halvorsen plant"))
    first = WAGTAIL.render(Context({"article": article}))
    image = article.lead_image
    # The focal point moved: the rendition made before no longer matches the image.
    image.focal_point_x, image.focal_point_y = 80, 10
    image.focal_point_width = image.focal_point_height = 10
    image.save()
    (card,) = _cards(article)
    assert card.listed_rendition is None
    shown = ours(card)
    assert shown == WAGTAIL.render(Context({"article": ArticlePage.objects.get(pk=article.pk)}))
    assert shown != first and image.renditions.count() == 2  # a rendition for the new point


LEAD = Template(
    "{% load wagtailimages_tags %}{% image article.lead_image width-1200 as img %}"
    "{{ img.url }} {{ img.width }}x{{ img.height }} {{ img.alt }}"
)


def _lead(rendition) -> str:
    return f"{rendition.url} {rendition.width}x{rendition.height} {rendition.alt}"


def test_an_articles_lead_image_is_read_with_its_details_or_made_by_wagtail():
    news = make_section("News")
    article = make_article(news, lead_image=make_image("Halvorsen plant"))
    first = LEAD.render(Context({"article": article}))  # made, as the first render makes it
    with CaptureQueriesContext(connection) as queries:
        details = selectors._published_details(article)
    assert _lead(details["lead_rendition"]) == first
    # Read with the article's other details (one statement of theirs), not by Wagtail.
    renditions = [
        q["sql"] for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]
    ]
    assert len(renditions) == 1, renditions
    # No rendition yet (a new image, or one whose renditions were cleared): Wagtail makes it.
    image = article.lead_image
    image.renditions.all().delete()
    fresh = ArticlePage.objects.get(pk=article.pk)
    ours = _lead(selectors._published_details(fresh)["lead_rendition"])
    assert ours == LEAD.render(Context({"article": fresh})) and image.renditions.count() == 1
    # No lead image: nothing read for it.
    bare = make_article(news, title="No picture")
    with CaptureQueriesContext(connection) as queries:
        assert selectors._published_details(bare)["lead_rendition"] is None
    assert not [q for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]]


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("shown", ["F j, Y", "M j, Y"])
def test_a_bylines_date_is_what_the_date_filter_gives(zone, language, shown):
    django = Template("""<time datetime="{{ d|date:'c' }}">{{ d|date:shown }}</time>""")
    tag = Template("{% load newsroom_tags %}{% published_time d shown %}")
    moments = [
        dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 23, 59, 59, 999, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo")),
        None,
    ]
    with timezone.override(zone), translation.override(language):
        for moment in moments:
            context = {"d": moment, "shown": shown}
            assert tag.render(Context(context)) == django.render(Context(context)), moment
            # Given the zone and language read once for many dates, as a list of cards does.
            now = rendering.clock()
            assert rendering.published_time(moment, shown, now=now) == django.render(
                Context(context)
            )
        naive = dt.datetime(2026, 12, 3, 0, 30)
        now = rendering.clock()
        assert rendering.published_time(naive, shown, now=now) == django.render(
            Context({"d": naive, "shown": shown})
        )
