"""WordPress pages become standard pages with their hierarchy, slugs, menu order and redirects;
an empty post is still an article; an item that fails is reported and the rest goes on."""

from __future__ import annotations

import logging

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from paddock.comments.models import Comment
from paddock.newsroom.models import ArticlePage
from paddock.pages.models import StandardPage

from .builders import SITE, Author, Post, wxr
from .builders import Comment as C
from .test_wordpress import table

pytestmark = pytest.mark.django_db

AUTHORS = [Author(2, "mara", "mara@oldsite.example", "Mara Lindqvist")]


def page(id: int, title: str, slug: str, *, parent: int = 0, order: int = 0, **kw) -> Post:
    return Post(
        id,
        title=title,
        slug=slug,
        type="page",
        parent=parent,
        menu_order=order,
        creator="mara",
        link=kw.pop("link", f"{SITE}/?page_id={id}"),
        **kw,
    )


# The grandchild comes first, then its parent, then the grandparent; siblings out of menu order.
PAGES = [
    page(33, "Our cars", "cars", parent=32, content="<p>The long-termers.</p>"),
    page(32, "The team", "team", parent=31, order=2, content="Six people.",
         link=f"{SITE}/who-we-are/team/"),
    page(34, "History", "history", parent=31, order=1, content="Since 2009."),
    page(31, "About us", "about", content="<p>Who we are.</p>", excerpt="Car news, told straight",
         link=f"{SITE}/about-old/"),
    page(35, "Terms", "terms", order=5, content="Be nice."),
    page(36, "Contact", "contact", order=3, content="Write to us."),
    page(37, "Old draft", "old-draft", status="draft", date_gmt="0000-00-00 00:00:00"),
    page(38, "Binned", "binned", status="trash"),
    page(39, "Orphan", "orphan", parent=999, content="Lost my parent."),
]  # fmt: skip


def tree() -> dict[str, tuple[str, str]]:
    """Each standard page's path → (title, live), in tree order."""
    return {
        p.url_path: (p.title, p.live)
        for p in StandardPage.objects.order_by("path").only("url_path", "title", "live")
    }


def test_pages_keep_their_hierarchy_slugs_order_and_old_addresses(
    home, export_file, run_import, client
):
    result = run_import("import_wordpress", export_file(wxr(items=PAGES, authors=AUTHORS)))

    assert result.code == 0, result.out + result.err
    assert table(result.out)["pages"] == ["8", "0", "0", "0"]
    assert 'page 39 "Orphan": its parent page 999 is not in the export' in result.out
    assert "1 trash pages" in result.out
    about = StandardPage.objects.get(slug="about")
    assert about.get_parent().pk == home.pk
    assert about.introduction == "Car news, told straight"
    assert about.owner.email == "mara@oldsite.example"
    # Children in menu order (History 1, The team 2), the grandchild under the team, the home
    # page's pages after its sections in menu order (Contact 3, Terms 5; the rest 0 by title).
    assert [p.slug for p in about.get_children()] == ["history", "team"]
    assert StandardPage.objects.get(slug="cars").get_parent().slug == "team"
    top = [p.slug for p in Page.objects.child_of(home).type(StandardPage)]
    assert top == ["about", "old-draft", "orphan", "contact", "terms"]
    assert not StandardPage.objects.get(slug="old-draft").live

    grandchild = client.get("/about/team/cars/")
    assert grandchild.status_code == 200
    assert b"The long-termers." in grandchild.content
    assert client.get("/about/").status_code == 200
    # The old addresses redirect: pretty permalinks and plain ?page_id= ones.
    moved = client.get("/about-old/")
    assert moved.status_code == 301 and moved["Location"].endswith("/about/")
    assert Redirect.objects.get(old_path="/who-we-are/team").redirect_page.slug == "team"
    assert Redirect.objects.get(old_path="/?page_id=33").redirect_page.slug == "cars"
    assert not Redirect.objects.filter(redirect_page__slug="old-draft").exists()

    # Again, with the pages in another order: nothing changes, nothing moves.
    before = tree()
    again = run_import(
        "import_wordpress", export_file(wxr(items=PAGES[::-1], authors=AUTHORS), "again.xml")
    )
    assert again.code == 0, again.out + again.err
    assert table(again.out)["pages"] == ["0", "0", "8", "0"]
    assert tree() == before
    assert Redirect.objects.count() == 7


def test_a_page_moved_and_reordered_in_wordpress_moves_in_paddock(home, export_file, run_import):
    run_import("import_wordpress", export_file(wxr(items=PAGES, authors=AUTHORS)))
    changed = [
        page(33, "Our cars", "cars", parent=31, order=0, content="<p>The long-termers.</p>")
        if p.id == 33
        else p
        for p in PAGES
    ]
    result = run_import("import_wordpress", export_file(wxr(items=changed, authors=AUTHORS), "2"))
    assert result.code == 0, result.out + result.err
    assert table(result.out)["pages"] == ["0", "1", "7", "0"]
    about = StandardPage.objects.get(slug="about")
    assert [p.slug for p in about.get_children()] == ["cars", "history", "team"]
    assert StandardPage.objects.get(slug="cars").url_path.endswith("/about/cars/")


def test_page_comments_are_kept_threaded_and_shown_read_only(
    home, export_file, run_import, client, django_assert_max_num_queries
):
    discussion = [
        C(900, "Nice page", author="Ana"),
        C(901, "Thanks, Ana", author="Mara", parent=900, date="2012-04-05 13:00:00"),
        C(902, "Held one", approved="0"),
    ]
    about = page(31, "About us", "about", comments=discussion)
    export = export_file(wxr(items=[about], authors=AUTHORS))
    result = run_import("import_wordpress", export)

    assert result.code == 0, result.out + result.err
    assert table(result.out)["comments"] == ["3", "0", "0", "0"]
    about = StandardPage.objects.get(slug="about")
    reply = Comment.objects.get(article=about, body="Thanks, Ana")
    assert reply.parent.body == "Nice page" and reply.imported_author.name == "Mara"
    with django_assert_max_num_queries(20):
        response = client.get("/about/")
    content = response.content.decode()
    assert "Nice page" in content and "Thanks, Ana" in content and "Held one" not in content
    assert '<span id="comment-count">2</span> Comments' in content
    assert 'id="comment-form"' not in content  # a standard page takes no new comments
    # Again: nothing new.
    again = run_import("import_wordpress", export)
    assert table(again.out)["comments"] == ["0", "0", "3", "0"]
    assert Comment.objects.filter(article=about).count() == 3


def test_an_empty_post_is_an_article_with_an_empty_body_and_keeps_its_comment(
    home, export_file, run_import, client
):
    empty = Post(40, title="Photo of the day", slug="photo-of-the-day", content="", creator="mara",
                 categories=[("news", "News")], comments=[C(400, "Lovely colour")])  # fmt: skip
    result = run_import("import_wordpress", export_file(wxr(items=[empty], authors=AUTHORS)))

    assert result.code == 0, result.out + result.err
    article = ArticlePage.objects.get(slug="photo-of-the-day")
    assert article.live and article.body == ""
    assert list(Comment.objects.filter(article=article).values_list("body", flat=True)) == [
        "Lovely colour"
    ]
    response = client.get(article.url)
    assert response.status_code == 200 and b"Lovely colour" in response.content


def test_an_item_that_fails_is_reported_without_a_traceback_and_the_rest_imports(
    home, export_file, run_import, caplog, capsys
):
    # Markup nested thousands deep breaks the body's conversion: that post alone fails.
    nested = "<div>" * 5000 + "deep" + "</div>" * 5000
    items = [
        Post(41, title="Broken", slug="broken", content=nested, creator="mara",
             categories=[("news", "News")], comments=[C(410, "Lost with it")]),
        Post(42, title="Fine", slug="fine", content="All good.", creator="mara",
             categories=[("news", "News")], comments=[C(420, "Kept")]),
        page(43, "Broken page", "broken-page", content=nested),
        page(44, "Fine page", "fine-page", content="Also good."),
    ]  # fmt: skip
    with caplog.at_level(logging.DEBUG, logger="paddock.importers"):
        result = run_import("import_wordpress", export_file(wxr(items=items, authors=AUTHORS)))

    assert result.code == 1
    assert 'post 41 "Broken": it failed and nothing of it was written (RecursionError' in result.out
    assert 'page 43 "Broken page": it failed and nothing of it was written (RecursionError' in (
        result.out
    )
    assert "Traceback" not in result.out + result.err + capsys.readouterr().err
    # The traceback is in the log, at debug level only.
    failures = [r for r in caplog.records if r.exc_info]
    assert failures and all(r.levelno == logging.DEBUG for r in failures)
    assert set(ArticlePage.objects.values_list("slug", flat=True)) == {"fine"}
    assert set(StandardPage.objects.values_list("slug", flat=True)) == {"fine-page"}
    assert list(Comment.objects.values_list("body", flat=True)) == ["Kept"]
