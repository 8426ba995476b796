"""Export files for tests and the benchmark: WordPress WXR (1.0, 1.1, 1.2) and Disqus XML.

The builders write what WordPress and Disqus write, element for element, from small
dataclasses; `item_xml` and friends return strings, so the benchmark can stream an export of any
size to disk one post at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SITE = "https://oldsite.example"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Author:
    id: int
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Comment:
    id: int
    content: str
    author: str = "A Reader"
    email: str = "reader@example.net"
    url: str = ""
    ip: str = "203.0.113.9"
    date: str = "2012-04-05 12:00:00"
    date_gmt: str | None = None  # the same as `date` unless given
    approved: str = "1"
    parent: int | str = 0
    type: str = "comment"
    user_id: int = 0


@dataclass
class Post:
    id: int
    title: str = "A post"
    content: str = "Some text."
    slug: str | None = None
    status: str = "publish"
    type: str = "post"
    date: str = "2012-04-05 10:00:00"
    date_gmt: str | None = None
    modified_gmt: str = ""
    creator: str = "editor"
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    link: str | None = None
    excerpt: str = ""
    password: str = ""
    comment_status: str = "open"
    attachment_url: str = ""
    parent: int = 0
    menu_order: int = 0
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def permalink(self) -> str:
        if self.link is not None:
            return self.link
        day = self.date[:10].replace("-", "/")
        return f"{SITE}/{day}/{self.slug or self.id}/"


def author_xml(author: Author) -> str:
    return (
        "<wp:author>"
        f"<wp:author_id>{author.id}</wp:author_id>"
        f"<wp:author_login>{cdata(author.login)}</wp:author_login>"
        f"<wp:author_email>{cdata(author.email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(author.display_name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(author.first_name)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(author.last_name)}</wp:author_last_name>"
        "</wp:author>\n"
    )


def category_xml(slug: str, name: str, term_id: int = 0, parent: str = "") -> str:
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
    )


def tag_xml(slug: str, name: str, term_id: int = 0) -> str:
    return (
        f"<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
    )


def comment_xml(comment: Comment) -> str:
    gmt = comment.date if comment.date_gmt is None else comment.date_gmt
    return (
        "<wp:comment>"
        f"<wp:comment_id>{comment.id}</wp:comment_id>"
        f"<wp:comment_author>{cdata(comment.author)}</wp:comment_author>"
        f"<wp:comment_author_email>{escape(comment.email)}</wp:comment_author_email>"
        f"<wp:comment_author_url>{escape(comment.url)}</wp:comment_author_url>"
        f"<wp:comment_author_IP>{escape(comment.ip)}</wp:comment_author_IP>"
        f"<wp:comment_date>{escape(comment.date)}</wp:comment_date>"
        f"<wp:comment_date_gmt>{escape(gmt)}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(comment.content)}</wp:comment_content>"
        f"<wp:comment_approved>{escape(comment.approved)}</wp:comment_approved>"
        f"<wp:comment_type>{escape(comment.type)}</wp:comment_type>"
        f"<wp:comment_parent>{comment.parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{comment.user_id}</wp:comment_user_id>"
        "</wp:comment>\n"
    )


def item_xml(post: Post, *, version: str = "1.2") -> str:
    gmt = post.date if post.date_gmt is None else post.date_gmt
    terms = []
    for slug, name in post.categories:
        if version == "1.0":
            terms.append(f"<category>{cdata(name)}</category>")
        terms.append(
            f'<category domain="category" nicename={quoteattr(slug)}>{cdata(name)}</category>'
        )
    tag_domain = "tag" if version == "1.0" else "post_tag"
    for slug, name in post.tags:
        terms.append(
            f'<category domain="{tag_domain}" nicename={quoteattr(slug)}>{cdata(name)}</category>'
        )
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        for key, value in post.meta.items()
    )
    attachment = (
        f"<wp:attachment_url>{escape(post.attachment_url)}</wp:attachment_url>"
        if post.attachment_url
        else ""
    )
    modified = (
        f"<wp:post_modified_gmt>{post.modified_gmt}</wp:post_modified_gmt>"
        if post.modified_gmt
        else ""
    )
    return (
        "<item>\n"
        f"<title>{escape(post.title)}</title>\n"
        f"<link>{escape(post.permalink)}</link>\n"
        "<pubDate>Thu, 05 Apr 2012 10:00:00 +0000</pubDate>\n"
        f"<dc:creator>{cdata(post.creator)}</dc:creator>\n"
        f'<guid isPermaLink="false">{SITE}/?p={post.id}</guid>\n'
        "<description></description>\n"
        f"<content:encoded>{cdata(post.content)}</content:encoded>\n"
        f"<excerpt:encoded>{cdata(post.excerpt)}</excerpt:encoded>\n"
        f"<wp:post_id>{post.id}</wp:post_id>\n"
        f"<wp:post_date>{escape(post.date)}</wp:post_date>\n"
        f"<wp:post_date_gmt>{escape(gmt)}</wp:post_date_gmt>\n"
        f"{modified}"
        f"<wp:comment_status>{post.comment_status}</wp:comment_status>\n"
        "<wp:ping_status>open</wp:ping_status>\n"
        f"<wp:post_name>{cdata(post.slug if post.slug is not None else '')}</wp:post_name>\n"
        f"<wp:status>{escape(post.status)}</wp:status>\n"
        f"<wp:post_parent>{post.parent}</wp:post_parent>\n"
        f"<wp:menu_order>{post.menu_order}</wp:menu_order>\n"
        f"<wp:post_type>{escape(post.type)}</wp:post_type>\n"
        f"<wp:post_password>{cdata(post.password)}</wp:post_password>\n"
        "<wp:is_sticky>0</wp:is_sticky>\n"
        f"{attachment}{''.join(terms)}{meta}\n"
        f"{''.join(comment_xml(c) for c in post.comments)}"
        "</item>\n"
    )


def wxr_head(
    *,
    version: str = "1.2",
    site: str = SITE,
    title: str = "Old Motor News",
    authors: list[Author] = (),
    categories: list[tuple[str, str]] = (),
    tags: list[tuple[str, str]] = (),
) -> str:
    ns = f"http://wordpress.org/export/{version}/"
    listed = "" if version == "1.0" else "".join(author_xml(a) for a in authors)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0"\n'
        f'\txmlns:excerpt="{ns}excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f'\txmlns:wp="{ns}"\n>\n'
        "<channel>\n"
        f"<title>{escape(title)}</title>\n<link>{site}</link>\n"
        "<description>Car news since 2009</description>\n"
        "<pubDate>Mon, 01 Jul 2024 08:00:00 +0000</pubDate>\n<language>en-GB</language>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n"
        f"<wp:base_site_url>{site}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{site}</wp:base_blog_url>\n"
        f"{listed}"
        f"{''.join(category_xml(s, n, i + 1) for i, (s, n) in enumerate(categories))}"
        f"{''.join(tag_xml(s, n, i + 100) for i, (s, n) in enumerate(tags))}"
        "<generator>https://wordpress.org/?v=6.5</generator>\n"
    )


WXR_TAIL = "</channel>\n</rss>\n"


def wxr(*, items: list[Post] = (), version: str = "1.2", **head) -> str:
    return (
        wxr_head(version=version, **head)
        + "".join(item_xml(p, version=version) for p in items)
        + WXR_TAIL
    )


# --- Disqus ---------------------------------------------------------------------------------


@dataclass
class Thread:
    id: str
    link: str = ""
    identifier: str = ""
    title: str = "A thread"
    forum: str = "oldmotornews"


@dataclass
class DisqusPost:
    id: str
    thread: str
    message: str = "<p>Nice car.</p>"
    parent: str = ""
    created_at: str = "2013-01-02T03:04:05Z"
    name: str = "Disqus Reader"
    email: str = ""
    username: str = "disqusreader"
    anonymous: bool = False
    deleted: bool = False
    spam: bool = False
    ip: str = "198.51.100.7"


def disqus(*, threads: list[Thread] = (), posts: list[DisqusPost] = ()) -> str:
    forum = threads[0].forum if threads else "oldmotornews"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
        'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
        f'<category dsq:id="1"><forum>{forum}</forum><title>General</title>'
        "<isDefault>true</isDefault></category>\n"
    ]
    for thread in threads:
        out.append(
            f'<thread dsq:id="{thread.id}"><id>{escape(thread.identifier)}</id>'
            f'<forum>{thread.forum}</forum><category dsq:id="1" />'
            f"<link>{escape(thread.link)}</link><title>{escape(thread.title)}</title>"
            "<message /><createdAt>2013-01-01T00:00:00Z</createdAt>"
            "<author><name>Old Motor News</name><isAnonymous>false</isAnonymous>"
            "<username>oldmotornews</username></author>"
            "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n"
        )
    for post in posts:
        parent = f'<parent dsq:id="{post.parent}" />' if post.parent else ""
        email = f"<email>{escape(post.email)}</email>" if post.email else ""
        username = f"<username>{escape(post.username)}</username>" if post.username else ""
        out.append(
            f'<post dsq:id="{post.id}"><id />'
            f"<message>{cdata(post.message)}</message>"
            f"<createdAt>{escape(post.created_at)}</createdAt>"
            f"<isDeleted>{str(post.deleted).lower()}</isDeleted>"
            f"<isSpam>{str(post.spam).lower()}</isSpam>"
            f"<author>{email}<name>{escape(post.name)}</name>"
            f"<isAnonymous>{str(post.anonymous).lower()}</isAnonymous>{username}</author>"
            f"<ipAddress>{escape(post.ip)}</ipAddress>"
            f'<thread dsq:id="{post.thread}" />{parent}</post>\n'
        )
    out.append("</disqus>\n")
    return "".join(out)
