"""Cards and bylines built in Python (paddock/newsroom/rendering.py) are the markup the
templates they replace wrote, escaped the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from paddock.newsroom import rendering, selectors
from paddock.newsroom.models import ArticlePage

from .factories import ContributorFactory, make_article, make_section
from .test_queries import make_image

pytestmark = pytest.mark.django_db

# The templates the functions replaced, as they were: what a card must still say.
BYLINE = (
    '<p class="byline">By {% for author in authors %}<a href="{{ author.get_absolute_url }}" '
    'rel="author">{{ author.display_name }}</a>{% if not forloop.last %}'
    "{% if forloop.revcounter == 2 %} and {% else %}, {% endif %}{% endif %}{% endfor %} on "
    '<time datetime="{{ date|date:\'c\' }}">{{ date|date:"F j, Y" }}</time></p>'
)
CARD = Template(
    "{% load wagtailcore_tags wagtailimages_tags %}"
    '<article class="card">{% if article.lead_image_id %}'
    "{% image article.lead_image fill-640x360 as img %}"
    '<a class="card__image" href="{% pageurl article %}" tabindex="-1" aria-hidden="true">'
    '<img src="{{ img.url }}" width="{{ img.width }}" height="{{ img.height }}" alt="" '
    'loading="lazy"></a>{% endif %}<div class="card__body">'
    '{% if article.section %}<p class="card__section"><a href="{% pageurl article.section %}">'
    "{{ article.section.title }}</a></p>{% endif %}"
    '<h2 class="card__title"><a href="{% pageurl article %}">{{ article.title }}</a></h2>'
    '{% if article.standfirst %}<p class="card__standfirst">{{ article.standfirst }}</p>'
    '{% endif %}{% if excerpt %}<p class="card__excerpt">{{ excerpt }}</p>{% endif %}'
    "{% with authors=article.author_profiles date=article.published_at %}"
    + BYLINE
    + "{% endwith %}"
    "</div></article>"
)


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_a_card_says_what_the_template_said_escaped_alike():
    news = make_section("News & Views")
    writers = [ContributorFactory(display_name=name) for name in ("Ana <b>", 'Bo "Q"', "Cy & Co")]
    cases = [
        make_article(
            news,
            title='Plants <script>alert("x")</script> & more',
            authors=writers,
            lead_image=make_image("Plant"),
        ),
        make_article(news, title="Two writers", authors=writers[:2]),
        make_article(news, title="One writer", authors=writers[2:]),
    ]
    ArticlePage.objects.filter(pk=cases[1].pk).update(standfirst="")
    request = RequestFactory().get("/")
    cards = selectors.attach_cards(ArticlePage.objects.filter(pk__in=[a.pk for a in cases]))
    for card in cards:
        fresh = ArticlePage.objects.get(pk=card.pk)
        for excerpt in ("", mark_safe("a <mark>word</mark> found"), "<i>plain</i>"):
            ours = rendering.article_card(card, request, excerpt=excerpt)
            theirs = CARD.render(
                Context({"article": fresh, "excerpt": excerpt, "request": request})
            )
            assert _tight(ours) == _tight(theirs)
    first = rendering.article_card(cards[0], request)
    assert "<script>" not in first and "&lt;script&gt;" in first
    assert "Ana &lt;b&gt;</a>, " in first and " and <a" in first


def test_a_byline_names_one_two_or_three_writers_as_a_sentence():
    writers = [ContributorFactory(display_name=name) for name in ("Ana", "Bo", "Cy")]
    article = make_article(make_section("News"), authors=writers)

    def names(count: int) -> str:
        html = rendering.byline(writers[:count], article.published_at)
        return re.sub(r"<[^>]+>", "", html).split(" on ")[0]

    assert [names(n) for n in (1, 2, 3)] == ["By Ana", "By Ana and Bo", "By Ana, Bo and Cy"]
    template = Template(BYLINE)
    for count in (0, 1, 2, 3):
        context = Context({"authors": writers[:count], "date": article.published_at})
        assert rendering.byline(writers[:count], article.published_at) == template.render(context)


MASTHEAD = Template(
    '<section class="widget" aria-labelledby="contributors-heading"><h2 id="contributors-heading"'
    ' class="widget__title"><a href="{% url \'newsroom:contributors\' %}">Contributors</a></h2>'
    '<ul class="people-list">{% for person in contributors %}<li><a href="'
    '{{ person.get_absolute_url }}">{{ person.display_name }}</a>{% with '
    'country=person.country_name %}{% if country %} <span class="country">({{ country }})</span>'
    "{% endif %}{% endwith %}</li>{% empty %}<li>No contributors yet.</li>{% endfor %}</ul>"
    '</section><section class="widget" aria-labelledby="moderators-heading"><h2 '
    'id="moderators-heading" class="widget__title"><a href="{% url \'newsroom:moderators\' %}">'
    'Moderators</a></h2><ul class="people-list">{% for person in moderators %}<li>'
    "{{ person.display_name }}{% with country=person.country_name %}{% if country %} "
    '<span class="country">({{ country }})</span>{% endif %}{% endwith %}</li>{% empty %}'
    "<li>No moderators yet.</li>{% endfor %}</ul></section>"
)


def test_the_masthead_says_what_its_template_said():
    people = [
        ContributorFactory(display_name="Ana <b>", country="NO"),
        ContributorFactory(display_name='Bo "Q" & Co', country=""),
    ]
    for contributors, moderators in ((people, people[1:]), ([], []), (people[:1], [])):
        ours = rendering.masthead(contributors, moderators)
        theirs = MASTHEAD.render(Context({"contributors": contributors, "moderators": moderators}))
        assert _tight(ours) == _tight(theirs)
    assert "Ana &lt;b&gt;" in ours and "(Norway)" in ours and "No moderators yet." in ours


# The article page's kept parts as its template wrote them (newsroom/article_page.html).
SPECS = Path(__file__).parent / "specs"
STORY = Template((SPECS / "article_story.html").read_text())
HEAD = Template((SPECS / "article_head.html").read_text())
_BLOCKS = "article|header|footer|section|figure|figcaption|div|p|h1|h2|ul|li|meta|script|img"


def _spaced(html: str) -> str:
    """Whitespace as a browser shows it: runs as one space, none around block elements."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(rf" ?(</?(?:{_BLOCKS})\b[^>]*>) ?", r"\1", html).strip()


def test_an_articles_story_and_head_say_what_their_templates_said():
    from paddock.newsroom.tests.factories import MakeFactory, VehicleModelFactory

    news = make_section("News & <Views>")
    writers = [ContributorFactory(display_name=n) for n in ("Ana <b>", 'Bo "Q"', "Cy & Co")]
    make = MakeFactory(name="Volvo & Sons")
    model = VehicleModelFactory(make=make, name="EX<30>")
    full = make_article(
        news,
        title='Plants <script>alert("x")</script> & more',
        authors=writers,
        lead_image=make_image("Plant <i>"),
        lead_image_caption="A caption & <b>more</b>",
        sources=[
            ("The Times & Co", "https://example.com/a?b=1&c=2", True),
            ("Blog", "https://b.example/", False),
        ],
        tags=["batteries", "<script>"],
        makes=[make],
        vehicle_models=[model],
        body=(
            '<p>Body with <a href="https://example.com/x?a=1&amp;b=2">a link</a> and '
            f'<a linktype="page" id="{news.pk}">its section</a>.</p>'
        ),
        search_description='Search "description" & <more>',
    )
    bare = make_article(
        news, title="Bare", authors=writers[:1], sources=[("One", "https://o.example/", False)]
    )
    ArticlePage.objects.filter(pk=bare.pk).update(standfirst="")
    only_makes = make_article(news, title="Makes only", makes=[make])
    long_summary = make_article(news, title="Long", search_description="word " * 120)
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    for article in (full, bare, only_makes, long_summary):
        page = ArticlePage.objects.get(pk=article.pk)
        context = selectors.article_detail_context(page, request)
        values = {**context, "page": page, "request": request, "SITE_NAME": "Paddock & Co"}
        details = {**context}
        ours = rendering.article_story(page, request, details)
        theirs = STORY.render(Context(values))
        assert _spaced(ours) == _spaced(theirs)
        ours = rendering.article_head(page, request, details, "Paddock & Co")
        theirs = HEAD.render(Context(values))
        assert _spaced(ours) == _spaced(theirs)
    page = ArticlePage.objects.get(pk=full.pk)
    story = rendering.article_story(page, request, selectors.article_detail_context(page, request))
    assert "<script>alert" not in story and "&lt;script&gt;alert" in story
    assert "Sources</h2>" in story and "[sub]</abbr>" in story
    assert "</a> <a" in story  # the chips stay apart
    # The body as Wagtail's rich text filter writes it: its page link made a link to the page.
    assert f'<a href="{news.url}">its section</a>' in story
    head = rendering.article_head(
        page, request, selectors.article_detail_context(page, request), "Paddock"
    )
    assert 'property="og:image" content="http://testserver/' in head
    assert '"@type": "NewsArticle"' in head or '"@type":"NewsArticle"' in head


RELATED = Template((SPECS / "related_list.html").read_text())
NAV = Template((SPECS / "site_nav.html").read_text())


def test_the_related_list_and_the_section_menu_say_what_their_templates_said():
    from django.core.paginator import Paginator

    from paddock.newsroom.chrome import menu_sections

    news = make_section("News & <Views>")
    reviews = make_section('Reviews "Q"')
    articles = [
        make_article(news, title=f'Related <b>{n}</b> & "more"', authors=[ContributorFactory()])
        for n in range(4)
    ]
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    for related in ([], articles[:1], articles):
        ours = rendering.related_list(related, request)
        theirs = RELATED.render(Context({"related_articles": related, "request": request}))
        assert _spaced(ours) == _spaced(theirs)
    assert "&lt;b&gt;1&lt;/b&gt;" in rendering.related_list(articles, request)
    sections = menu_sections()
    pages = [None, news, reviews, articles[0], Paginator([1, 2], 1).page(1)]
    for page in pages:
        ours = rendering.site_nav(sections, page, request)
        theirs = NAV.render(Context({"page": page, "request": request}))
        assert _spaced(ours) == _spaced(theirs)
    marked = rendering.site_nav(sections, articles[0], request)
    assert marked.count('aria-current="page"') == 1 and "News &amp; &lt;Views&gt;" in marked
