"""`export_wordpress` writes a WXR 1.2 file WordPress reads, and importing it into an empty
Paddock gives back the same site: articles, standard pages and published comment threads."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from taggit.models import Tag

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.comments.services import comments_bulk_create
from paddock.comments.tests.conftest import create_reader
from paddock.importers.models import ImportedObject, ImportRun
from paddock.newsroom.models import ArticlePage, Contributor, SectionPage
from paddock.newsroom.tests.factories import ContributorFactory, make_article, make_section
from paddock.pages.models import StandardPage
from paddock.pages.services import standard_page_create

from .test_wordpress import table

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
BODY = (
    "<p>Brakes may <b>fail</b>; owners will be written to.</p><h2>What to do</h2>"
    '<ul><li>Call the dealer</li><li>Wait</li></ul><p>See <a href="https://maker.example/'
    'recall">the notice</a>.</p>'
)


def _comment(article, body, at, *, author=None, parent=None, status="published"):
    return Comment(
        article=article,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        body=body,
        body_html=markup.render(body),
        body_text=body,
        status=status,
        created_at=at,
    )


def build_site():
    """Two sections, two writers with accounts, tagged articles citing sources, a draft, nested
    standard pages, and a discussion with a reply to a rejected comment."""
    news, reviews = make_section("News"), make_section("Reviews")
    users = get_user_model().objects
    mara = ContributorFactory(
        display_name="Mara Lindqvist", slug="mara", user=users.create_user("mara", "m@x.example")
    )
    tomo = ContributorFactory(display_name="Tomo Sato", slug="tomo")
    day = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    recall = make_article(
        news, title="Recall: 40,000 hatchbacks", slug="recall", body=BODY, authors=[mara],
        tags=["Recall", "Hatchback"], published_at=day,
        sources=[("Maker", "https://maker.example/", False), ("Paper", "https://p.example/", True)],
    )  # fmt: skip
    review = make_article(
        reviews, title="Review: the red hatchback", slug="red-hatchback", authors=[tomo],
        body="<p>Quick.</p>", tags=["Hatchback"], published_at=day + dt.timedelta(hours=1),
    )  # fmt: skip
    make_article(news, title="Unfinished draft", slug="draft", authors=[tomo], publish=False)
    home = news.get_parent()
    about, _ = standard_page_create(
        parent=home, title="About us", slug="about", introduction="Car news, told straight",
        body="<p>Who we are.</p>", writer=mara.user, publish=True,
    )  # fmt: skip
    for slug, title in (("team", "The team"), ("history", "History")):
        standard_page_create(
            parent=about, title=title, slug=slug, body=f"<p>{title}.</p>", publish=True
        )
    team = StandardPage.objects.get(slug="team")
    standard_page_create(parent=team, title="Our cars", slug="cars", body="<p>Cars.</p>",
                         publish=True)  # fmt: skip

    ana, ben = create_reader("Ana"), create_reader("Ben")
    first = _comment(recall, "First, and *worried*", day + dt.timedelta(hours=2), author=ana)
    reply = _comment(recall, "Call the dealer", day + dt.timedelta(hours=3), author=ben,
                     parent=first)  # fmt: skip
    rejected = _comment(recall, "Buy watches", day + dt.timedelta(hours=4), author=ben,
                        status="rejected")  # fmt: skip
    orphan = _comment(recall, "Replying to a removed one", day + dt.timedelta(hours=5),
                      author=ana, parent=rejected)  # fmt: skip
    deeper = _comment(recall, "Thanks", day + dt.timedelta(hours=6), author=ana, parent=reply)
    other = _comment(review, "Nice colour", day + dt.timedelta(hours=7), author=ben)
    about = StandardPage.objects.get(slug="about")
    on_page = _comment(about, "Who writes here?", day + dt.timedelta(hours=8), author=ben)
    answer = _comment(about, "Six of us", day + dt.timedelta(hours=9), author=ana, parent=on_page)
    comments_bulk_create(comments=[first, reply, rejected, orphan, deeper, other, on_page, answer])


def _name(comment: Comment) -> str:
    if comment.author_id:
        return comment.author.profile.display_name
    return comment.imported_author.name


def snapshot() -> dict:
    """What a reader sees of the site, independent of ids."""
    articles = {}
    for article in ArticlePage.objects.live().order_by("path"):
        comments = {c.pk: c for c in Comment.objects.visible().filter(article=article)}
        articles[(article.get_parent().slug, article.slug)] = {
            "title": article.title,
            "body": str(article.body),
            "standfirst": article.standfirst,
            "published_at": article.published_at,
            "authors": [c.display_name for c in article.author_profiles],
            "section": article.get_parent().title,
            "tags": sorted(t.name for t in article.tags.all()),
            "comments": sorted(
                (
                    c.body,
                    _name(c),
                    c.created_at,
                    comments[c.parent_id].body if c.parent_id in comments else None,
                )
                for c in comments.values()
            ),
        }
    pages = {
        page.url_path.split("/", 2)[2]: (
            page.title,
            str(page.body),
            page.introduction,
            sorted((c.body, _name(c), c.created_at) for c in Comment.objects.filter(article=page)),
        )
        for page in StandardPage.objects.live().order_by("path")
    }
    return {"articles": articles, "pages": pages}


def test_export_then_import_into_an_empty_paddock_gives_back_the_site(home, tmp_path, run_import):
    build_site()
    before = snapshot()
    path = tmp_path / "paddock.xml"

    exported = run_import("export_wordpress", str(path))

    assert exported.code == 0, exported.err
    assert "2 posts, 4 pages, 7 comments, 2 authors, 2 categories, 2 tags" in exported.out
    channel = ET.parse(path).getroot().find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    items = {item.findtext(f"{WP}post_name"): item for item in channel.iter("item")}
    assert "draft" not in items  # only what is live
    recall = items["recall"]
    assert recall.findtext("{http://purl.org/dc/elements/1.1/}creator") == "mara"
    assert [(c.get("domain"), c.get("nicename")) for c in recall.findall("category")] == [
        ("category", "news"), ("post_tag", "hatchback"), ("post_tag", "recall"),
    ]  # fmt: skip
    assert [m.findtext(f"{WP}meta_value") for m in recall.findall(f"{WP}postmeta")] == [
        "Maker — https://maker.example/",
        "Paper — https://p.example/ [sub]",
    ]
    # The reply to the rejected comment hangs where that comment hung: at the top.
    threads = {
        c.findtext(f"{WP}comment_content"): c.findtext(f"{WP}comment_parent")
        for c in recall.findall(f"{WP}comment")
    }
    assert "Buy watches" not in str(threads) and len(threads) == 4
    team = items["team"]
    assert team.findtext(f"{WP}post_type") == "page"
    assert team.findtext(f"{WP}post_parent") == items["about"].findtext(f"{WP}post_id")
    assert team.findtext(f"{WP}menu_order") == "0"
    assert items["history"].findtext(f"{WP}menu_order") == "1"
    about = items["about"].findall(f"{WP}comment")
    assert [c.findtext(f"{WP}comment_parent") for c in about] == [
        "0", about[0].findtext(f"{WP}comment_id")
    ]  # fmt: skip

    # An empty Paddock: only the home page is left.
    for page in [*ArticlePage.objects.all(), *StandardPage.objects.filter(depth=3)]:
        page.delete()
    SectionPage.objects.all().delete()
    get_user_model().objects.filter(contributor__isnull=False).delete()
    Contributor.objects.all().delete()
    Tag.objects.all().delete()
    ImportedObject.objects.all().delete()
    ImportRun.objects.all().delete()
    assert not Comment.objects.exists()

    imported = run_import("import_wordpress", "--no-download", str(path))

    assert imported.code == 0, imported.out + imported.err
    lines = table(imported.out)
    assert lines["posts"] == ["2", "0", "0", "0"] and lines["pages"] == ["4", "0", "0", "0"]
    assert lines["comments"] == ["7", "0", "0", "0"]
    after = snapshot()
    assert after["pages"] == before["pages"]
    assert after["articles"] == before["articles"]
    about = StandardPage.objects.get(slug="about")
    assert [p.slug for p in about.get_children()] == ["team", "history"]
