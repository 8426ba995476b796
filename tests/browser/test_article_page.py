"""The reference article page, read in a real browser the way PAGE.md describes it.

One journey: a visitor reads the demo site's reference article on a desktop and on a phone,
checks the thread, jumps back to the top, signs in from "Leave a Reply" and lands back at the
form, then follows a link to a comment deep in the busiest discussion.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import dateformat, timezone
from playwright.sync_api import Browser, Page, expect

from paddock.comments import selectors as comment_selectors
from paddock.comments.models import Comment
from paddock.newsroom import selectors as newsroom_selectors
from paddock.newsroom.models import ArticlePage

REFERENCE_SLUG = "halvorsen-motors-build-where-it-sells"
REFERENCE_PATH = f"/industry/{REFERENCE_SLUG}/"
READER_EMAIL = "reader-1@example.com"
READER_PASSWORD = "paddock-demo"
PHONE_WIDTH = 390

# Like every transactional test here, put back what migrations made (the page tree's root, the
# default site, locales, groups) after the flush, and flush without re-running post_migrate.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_reads_the_reference_article_signs_in_and_follows_a_permalink(
    demo_site, browser: Browser, screenshot_dir
):
    article = ArticlePage.objects.get(slug=REFERENCE_SLUG)
    url = demo_site.url + REFERENCE_PATH

    for width, shot in ((1280, "article-desktop.png"), (PHONE_WIDTH, "article-phone.png")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(url)
            _check_reference_parts(page, article)
            _check_accessibility(page, width)
            page.screenshot(path=str(screenshot_dir / shot), full_page=True)
        finally:
            context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        _sign_in_from_leave_a_reply(page)
        _open_a_permalink_on_page_two(page, demo_site.url)
    finally:
        context.close()


def _check_reference_parts(page: Page, article: ArticlePage) -> None:
    # 1. Byline: "By <author> on <Month D, YYYY>".
    authors = [link.contributor.display_name for link in article.authors.all()]
    day = dateformat.format(timezone.localtime(article.published_at), "F j, Y")
    byline = page.locator(".story__header .byline")
    expect(byline).to_have_text(f"By {' and '.join(authors)} on {day}")
    assert re.fullmatch(r"By .+ on [A-Z][a-z]+ \d{1,2}, \d{4}", byline.inner_text())

    # 2. The long headline, with a semicolon and a trailing ellipsis.
    headline = page.locator("h1")
    expect(headline).to_have_text(article.title)
    assert ";" in article.title and article.title.endswith("...")

    # 3. Body with quoted speech in blockquotes, and the source flagged "[sub]".
    quotes = page.locator(".story__body blockquote")
    assert quotes.count() >= 1
    expect(quotes.first).to_contain_text('"')
    sub_source = page.locator(".story__sources li").filter(has=page.locator("abbr.sub"))
    expect(sub_source).to_have_count(1)
    source_link = sub_source.get_by_role("link")
    expect(source_link).to_have_attribute("href", re.compile(r"^https://"))
    assert source_link.evaluate("a => a.nextElementSibling.textContent") == "[sub]"

    # 5. "<N> Comments on “<headline>”", N being the comments actually shown.
    comments = page.locator("#comment-list li.comment")
    shown = comments.count()
    assert shown == comment_selectors.visible_count(article) >= 4
    expect(page.locator("#comments-heading")).to_have_text(f"{shown} Comments on “{article.title}”")

    # 6. Threaded three levels deep; every comment with a loaded avatar and its score.
    expect(
        page.locator("#comment-list > li.comment > ol.replies > li.comment > ol.replies > li")
    ).not_to_have_count(0)
    scores = dict(Comment.objects.filter(article=article).values_list("pk", "score"))
    for i in range(shown):
        comment = comments.nth(i)
        pk = int(comment.get_attribute("id").removeprefix("comment-"))
        avatar = comment.locator(":scope > article img.avatar")
        avatar.scroll_into_view_if_needed()  # avatars load lazily
        expect(avatar).to_have_js_property("complete", True)
        assert avatar.evaluate("img => img.naturalWidth") > 0, f"avatar of comment {pk}"
        expect(comment.locator(":scope > article .votes__score")).to_have_text(str(scores[pk]))

    # 7. "Back to Top" really goes to the top.
    page.get_by_role("link", name="Back to Top").click()
    # Waited for through the document's scroll position (expect retries until it holds):
    # wait_for_function evaluates its predicate with eval() in the page, which the site's
    # Content-Security-Policy (rightly) refuses.
    expect(page.locator(":root")).to_have_js_property("scrollTop", 0)
    assert page.evaluate("window.scrollY") == 0

    # 8. "Leave a Reply" for a visitor.
    respond = page.locator("#respond")
    expect(respond.get_by_role("heading", level=2)).to_have_text("Leave a Reply")
    expect(respond.locator(".must-log-in")).to_have_text("You must be logged in to post a comment.")

    # 9. Recent Comments: the latest eight, site-wide, each "<name>: <excerpt>" to its permalink.
    recent = page.locator(".recent-comments li a")
    expect(recent).to_have_count(8)
    expected = comment_selectors.recent_comments()
    for link, comment in zip(recent.all(), expected, strict=True):
        expect(link).to_have_attribute("href", comment.get_absolute_url())
        name = comment.author.profile.display_name
        assert link.inner_text().startswith(f"{name}: "), link.inner_text()

    # 11, 12. Contributors and moderators, each with a country.
    for heading, people in (
        ("contributors-heading", newsroom_selectors.contributors_with_articles()),
        ("moderators-heading", newsroom_selectors.moderators()),
    ):
        items = page.locator(f"section[aria-labelledby={heading}] li")
        wanted = [f"{p.display_name} ({p.country.name})" for p in people]
        assert wanted, heading
        expect(items).to_have_text(wanted)


def _check_accessibility(page: Page, width: int) -> None:
    headings = page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
        ".map(h => [Number(h.tagName[1]), h.textContent.trim()])"
    )
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1, headings
    for (before, _), (level, text) in zip(headings, headings[1:], strict=False):
        assert level <= before + 1, f"heading {text!r} skips from h{before} to h{level}"

    without_alt = page.evaluate(
        "() => [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src)"
    )
    assert without_alt == []

    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Sections")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)

    # The skip link is the first thing the keyboard reaches on a freshly loaded page, and it
    # moves focus to the content.
    page.goto(page.url.split("#")[0])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.url.endswith("#main")

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{scroll_width}px wide at a {width}px viewport"


def _sign_in_from_leave_a_reply(page: Page) -> None:
    page.locator("#respond .must-log-in").get_by_role("link", name="logged in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(READER_EMAIL)
    page.get_by_label("Password").fill(READER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(REFERENCE_PATH) + "#respond$"))
    form = page.locator("#respond form#comment-form")
    expect(form).to_be_visible()
    expect(form.get_by_label("Comment")).to_be_editable()
    expect(form.get_by_role("button", name="Post Comment")).to_be_visible()
    expect(page.locator("#respond .must-log-in")).to_have_count(0)


def _open_a_permalink_on_page_two(page: Page, base_url: str) -> None:
    busiest = (
        ArticlePage.objects.live()
        .annotate(n=Count("comments"))
        .order_by("-n")
        .only("pk", "title")
        .first()
    )
    per_page = settings.PADDOCK_COMMENTS_PER_PAGE
    roots = Comment.objects.visible().filter(article=busiest, depth=0).order_by("created_at", "pk")
    assert roots.count() > per_page, "the busiest demo article should need a second page"
    # A reply inside a thread on the second page: the harder case for a permalink.
    root = roots[per_page + 3]
    comment = (
        Comment.objects.visible().filter(root=root, depth__gt=0).order_by("created_at").first()
        or root
    )
    assert comment_selectors.permalink_page(comment) == 2

    page.goto(base_url + comment.get_absolute_url())
    expect(page).to_have_url(re.compile(rf"\?cpage=2#comment-{comment.pk}$"))
    target = page.locator(f"#comment-{comment.pk}")
    expect(target).to_be_in_viewport()
    expect(target.locator(":scope > article .comment__body")).to_have_text(
        re.compile(re.escape(comment.body_text[:40]))
    )
    assert page.evaluate("document.querySelector(':target')?.id") == f"comment-{comment.pk}"
    highlight = target.locator(":scope > article").evaluate(
        "box => getComputedStyle(box).boxShadow"
    )
    plain = page.locator("li.comment:not(:target) > article").first.evaluate(
        "box => getComputedStyle(box).boxShadow"
    )
    assert highlight != plain, "the linked comment should be highlighted"
