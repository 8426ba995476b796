"""Every write of the importers: contributors, sections, tags, images, articles with their
redirects, and comments with their guest authors, each recorded in the import mapping.

Each function checks first (is it new, changed, a duplicate, too big, broken?), then writes in a
transaction, records what it did in the report and returns. A WordPress post and its comments
are one transaction: a failure anywhere leaves nothing of that post. In a dry run the checks run
and the report counts what would happen, but nothing is written.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import ipaddress
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import validate_email, validate_unicode_slug
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published
from wagtail.utils.file import hash_filelike

from paddock.comments import markup
from paddock.comments.models import Comment
from paddock.comments.services import DELETED_TEXT
from paddock.core.db import rows_update
from paddock.newsroom.models import ArticleAuthor, ArticlePage, Contributor, HomePage, SectionPage
from paddock.newsroom.roles import CONTRIBUTORS

from . import convert
from .downloads import Downloader, DownloadFailed
from .models import ImportedCommentAuthor, ImportedObject, ImportRun, Source
from .parsers import DisqusPost, DisqusThread, WxrAuthor, WxrComment, WxrItem, WxrTerm
from .report import ImportReport

logger = logging.getLogger(__name__)
Kind = ImportedObject.Kind

# A field over its limit skips the record it belongs to, naming the field and both sizes.
LIMITS = {
    "title": 255,
    "slug": 255,
    "excerpt": 20_000,
    "body": 1_000_000,
    "comment": 65_535,  # WordPress's own column holds no more
    "author name": 255,
    "author email": 254,
    "author URL": 500,
    "display name": 100,
    "login": 150,
    "category name": 255,
    "tag name": 100,
}
# WordPress post statuses that are not content (autosaves, revisions, the bin).
IGNORED_STATUSES = {"auto-draft", "inherit", "trash"}
POST_STATUSES = {"publish", "draft", "pending", "future", "private"}
# WordPress comment_approved → Paddock's status.
COMMENT_STATUS = {
    "1": Comment.Status.PUBLISHED,
    "approve": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
    "post-trashed": Comment.Status.REJECTED,
}
UNCATEGORISED = ("uncategorised", "Uncategorised")
BATCH = 500


class Skip(Exception):
    """A record that cannot be imported; the message says why."""


# --- The import's state -------------------------------------------------------------------


@dataclass
class ImportContext:
    """One run: where it writes, what it has seen. The caches are bounded by the number of
    authors, categories and threads, not by the size of the file."""

    source: str
    report: ImportReport
    dry_run: bool = False
    downloader: Downloader | None = None
    site_key: str = ""
    run: ImportRun | None = None
    home: HomePage | None = None
    wagtail_site: Site | None = None
    authors_listed: bool = False
    contributors: dict[str, Contributor | None] = field(default_factory=dict)  # by login
    author_users: dict[str, int] = field(default_factory=dict)  # WordPress user id → user id
    unknown_authors: set[str] = field(default_factory=set)
    categories: dict[str, WxrTerm] = field(default_factory=dict)
    sections: dict[str, SectionPage | None] = field(default_factory=dict)
    threads: dict[str, int | None] = field(default_factory=dict)
    # Only in a dry run, where nothing can be marked in the database: ids seen so far.
    seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def run_id(self) -> int | None:
        return self.run.pk if self.run else None


def import_run_start(*, ctx: ImportContext, file_name: str, file_size: int) -> ImportRun | None:
    if ctx.dry_run:
        return None
    ctx.run = ImportRun.objects.create(
        source=ctx.source, site=ctx.site_key[:200], file_name=file_name[:500], file_size=file_size
    )
    return ctx.run


def import_run_finish(*, ctx: ImportContext) -> None:
    if ctx.run is None:
        return
    ctx.run.site = ctx.site_key[:200]
    ctx.run.finished_at = timezone.now()
    ctx.run.summary = ctx.report.summary()
    ctx.run.save(update_fields=["site", "finished_at", "summary"])


def home_ensure(*, ctx: ImportContext, title: str = "") -> HomePage:
    """The home page the import files sections under: the default site's, or a new one."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        home = HomePage.objects.first()
        if home is not None:
            site = Site.objects.filter(root_page=home).first() or site
    if home is None:
        if ctx.dry_run:
            ctx.report.warn("home page", "would be created, and made the default site's root")
            return None  # type: ignore[return-value]
        root = Page.get_first_root_node()
        slug = _free_slug(root, "home")
        home = HomePage(title=(title or "Home")[:255], slug=slug, live=False)
        root.add_child(instance=home)
        home.save_revision().publish(skip_permission_checks=True)
        if site is None:
            site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save(update_fields=["root_page"])
        ctx.report.warn("home page", f'created "{home.title}" and made it the default site\'s root')
    ctx.home, ctx.wagtail_site = home, site
    return home


@contextmanager
def search_deferred() -> Iterator[None]:
    """Articles are saved more than once on import (created, then revised, and on updates
    published), and each save would update the search index at once; inside this block they
    are indexed once, when their post has committed (`post_import` does it). Wagtail offers
    this for its reference index (disable_reference_index_auto_update) but not for search,
    hence the signal."""
    disconnected = post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)


# --- Small helpers --------------------------------------------------------------------------


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def site_key(url: str) -> str:
    """A site's identity from its base URL: host and path, no scheme ("example.com/blog")."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()[:200]
    return ((parts.hostname or "") + parts.path.rstrip("/"))[:200]


_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled)(?=\.\w+$)")


def url_key(url: str, *, attachment: bool = False) -> str:
    """A URL without its scheme, for matching: "host/path" (and "?query" when the path is
    empty); for attachments without WordPress's size suffix, so that "car-300x200.jpg" matches
    the "car.jpg" it was made from."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    path = unquote(parts.path)
    path = _SIZE_SUFFIX.sub("", path) if attachment else path.rstrip("/")
    key = (parts.hostname or "") + path
    if parts.query and not path.strip("/"):
        key += "?" + parts.query
    return key[:500]


def _check_length(what: str, value: str) -> None:
    limit = LIMITS[what]
    if len(value) > limit:
        raise Skip(f"its {what} is {len(value):,} characters long; the limit is {limit:,}")


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def parse_wp_date(value: str) -> dt.datetime | None:
    """A WordPress "2012-04-05 10:00:00" (UTC for the _gmt fields); None when WordPress left it
    empty ("0000-00-00 00:00:00", as it does for drafts). Raises ValueError when broken."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return _sane(moment.replace(tzinfo=dt.UTC))


def parse_iso_date(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return _sane(moment)


def _date_or_none(value: str) -> dt.datetime | None:
    try:
        return parse_wp_date(value)
    except ValueError:
        return None


def _sane(moment: dt.datetime) -> dt.datetime:
    if not 1900 <= moment.year <= 2200:
        raise ValueError(f"year {moment.year} is out of range")
    return moment


def _mapping(ctx: ImportContext, kind: str, source_id: str) -> ImportedObject | None:
    return ImportedObject.objects.filter(
        source=ctx.source, site=ctx.site_key, kind=kind, source_id=source_id
    ).first()


def _seen_before(ctx: ImportContext, kind: str, source_id: str, mapping) -> bool:
    """Whether this id already came up earlier in this run (a duplicate id in the file)."""
    if ctx.dry_run:
        seen = ctx.seen[kind]
        if source_id in seen:
            return True
        seen.add(source_id)
        return False
    return mapping is not None and mapping.last_run_id == ctx.run_id


def _record(
    ctx: ImportContext,
    *,
    kind: str,
    source_id: str,
    obj: models.Model | None,
    checksum: str,
    mapping: ImportedObject | None = None,
    source_url: str = "",
    data: dict | None = None,
) -> ImportedObject:
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    if mapping is None:
        mapping = ImportedObject(
            source=ctx.source, site=ctx.site_key, kind=kind, source_id=source_id
        )
    mapping.content_type = content_type
    mapping.object_id = obj.pk if obj is not None else None
    mapping.checksum = checksum
    mapping.last_run_id = ctx.run_id
    if source_url:
        mapping.source_url = source_url
    if data is not None:
        mapping.data = data
    mapping.save()
    return mapping


def _outcome(mapping: ImportedObject | None, checksum: str) -> str:
    if mapping is None:
        return "imported"
    return "unchanged" if mapping.checksum == checksum else "updated"


def _touch(ctx: ImportContext, mapping: ImportedObject) -> None:
    if not ctx.dry_run and mapping.last_run_id != ctx.run_id:
        ImportedObject.objects.filter(pk=mapping.pk).update(last_run_id=ctx.run_id)


def _free_slug(parent: Page, slug: str, *, exclude: int | None = None) -> str:
    siblings = Page.objects.child_of(parent)
    if exclude:
        siblings = siblings.exclude(pk=exclude)
    base, candidate, n = slug[:240], slug, 2
    while siblings.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _clean_slug(raw: str, fallback: str) -> str:
    slug = unquote(raw.strip()).lower()
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        slug = ""
    return slug[:255] or slugify(fallback, allow_unicode=True)[:255] or "untitled"


# --- Authors, sections, tags ----------------------------------------------------------------


def contributor_import(*, ctx: ImportContext, author: WxrAuthor) -> Contributor | None:
    """A WordPress author as a contributor, with an account that cannot sign in until its owner
    resets the password, when the export gives an email address."""
    login = author.login.strip()
    what = f'author "{_short(login) or author.id}"'
    try:
        if not login:
            raise Skip("it has no login")
        _check_length("login", login)
        display = (
            author.display_name.strip()
            or f"{author.first_name} {author.last_name}".strip()
            or login
        )
        _check_length("display name", display)
    except Skip as skip:
        ctx.report.skip("authors", what, str(skip))
        ctx.contributors[login] = None
        return None
    ctx.authors_listed = True
    checksum = digest(login, author.email, display, author.first_name, author.last_name)
    mapping = _mapping(ctx, Kind.AUTHOR, login)
    if _seen_before(ctx, Kind.AUTHOR, login, mapping):
        ctx.report.skip("authors", what, "duplicate login: an earlier author has it")
        return ctx.contributors.get(login)
    contributor = None
    if mapping is not None:
        contributor = Contributor.objects.filter(pk=mapping.object_id).first()
        if contributor is None:
            ctx.report.skip("authors", what, "deleted in Paddock after an earlier import")
            ctx.contributors[login] = None
            return None
    if ctx.dry_run:
        ctx.report.count("authors", _outcome(mapping, checksum))
        ctx.contributors[login] = contributor
        return contributor
    with transaction.atomic():
        if contributor is None:
            contributor = _contributor_create(ctx, author=author, login=login, display=display)
            outcome = "imported"
        elif mapping.checksum != checksum:
            contributor.display_name = display
            contributor.save(update_fields=["display_name"])
            outcome = "updated"
        else:
            outcome = "unchanged"
        _record(
            ctx,
            kind=Kind.AUTHOR,
            source_id=login,
            obj=contributor,
            checksum=checksum,
            mapping=mapping,
            data={"wordpress_user_id": author.id},
        )
    ctx.report.count("authors", outcome)
    ctx.contributors[login] = contributor
    if author.id and contributor.user_id:
        ctx.author_users[author.id] = contributor.user_id
    return contributor


def _contributor_create(
    ctx: ImportContext, *, author: WxrAuthor, login: str, display: str
) -> Contributor:
    User = get_user_model()  # noqa: N806
    email = author.email.strip()
    user = None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            ctx.report.warn(f'author "{login}"', f"{email!r} is not an email address; no account")
            email = ""
    if email:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            ctx.report.warn(
                f'author "{login}"', f'linked to the existing account "{user.get_username()}"'
            )
        else:
            user = User(
                username=_free_username(login),
                email=email,
                first_name=author.first_name.strip()[:150],
                last_name=author.last_name.strip()[:150],
            )
            user.set_unusable_password()
            user.save()
            group, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
            user.groups.add(group)
    contributor = Contributor.objects.filter(user=user).first() if user else None
    if contributor is None:
        contributor = Contributor.objects.create(user=user, display_name=display)
    return contributor


def _free_username(login: str) -> str:
    User = get_user_model()  # noqa: N806
    base = re.sub(r"[^\w.@+-]", "_", login)[:140] or "author"
    name, n = base, 2
    while User.objects.filter(username__iexact=name).exists():
        name, n = f"{base}-{n}", n + 1
    return name


def contributor_for_login(*, ctx: ImportContext, login: str, post: str) -> Contributor | None:
    """The contributor a post's dc:creator names. WXR 1.0 lists no authors, so there a
    contributor is made from the login alone; in later versions an unlisted login is reported."""
    login = login.strip()
    if login in ctx.contributors:
        return ctx.contributors[login]
    if not login:
        return None
    if ctx.authors_listed:
        if login not in ctx.unknown_authors:
            ctx.unknown_authors.add(login)
            ctx.report.skip(
                "authors",
                f'author "{_short(login)}"',
                f"named by {post} (and maybe others) but not among the export's authors; "
                "those articles have no byline author",
            )
        return None
    return contributor_import(ctx=ctx, author=WxrAuthor(login=login, display_name=login))


def category_remember(*, ctx: ImportContext, term: WxrTerm) -> None:
    slug = _clean_slug(term.slug, term.name)
    ctx.categories[slug] = term


def section_ensure(*, ctx: ImportContext, slug: str, name: str) -> SectionPage | None:
    """The section a category's posts go to, under the home page: found by the category's
    earlier import or by slug, else created and published."""
    if slug in ctx.sections:
        return ctx.sections[slug]
    what = f'category "{_short(name or slug)}"'
    term = ctx.categories.get(slug)
    title = (term.name if term and term.name else name or slug).strip()
    try:
        _check_length("category name", title)
    except Skip as skip:
        ctx.report.skip("sections", what, str(skip))
        ctx.sections[slug] = None
        return None
    mapping = _mapping(ctx, Kind.CATEGORY, slug)
    section = SectionPage.objects.filter(pk=mapping.object_id).first() if mapping else None
    home = ctx.home
    if section is None and home is not None:
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if ctx.dry_run:
        ctx.report.count("sections", "unchanged" if section else "imported")
        ctx.sections[slug] = section
        return section
    with transaction.atomic():
        if section is None:
            section = SectionPage(
                title=title,
                slug=_free_slug(home, slug),
                introduction=convert.plain_text(term.description) if term else "",
                show_in_menus=True,
                live=False,
            )
            home.add_child(instance=section)
            section.save_revision().publish(skip_permission_checks=True)
            outcome = "imported"
        else:
            outcome = "unchanged"
        _record(
            ctx,
            kind=Kind.CATEGORY,
            source_id=slug,
            obj=section,
            checksum=digest(title),
            mapping=mapping,
        )
    ctx.report.count("sections", outcome)
    ctx.sections[slug] = section
    return section


def tag_import(*, ctx: ImportContext, term: WxrTerm) -> None:
    name = " ".join(term.name.split())
    slug = _clean_slug(term.slug, name)
    what = f'tag "{_short(name or slug)}"'
    try:
        if not name:
            raise Skip("it has no name")
        _check_length("tag name", name)
    except Skip as skip:
        ctx.report.skip("tags", what, str(skip))
        return
    mapping = _mapping(ctx, Kind.TAG, slug)
    if _seen_before(ctx, Kind.TAG, slug, mapping):
        ctx.report.skip("tags", what, "duplicate slug: an earlier tag has it")
        return
    tag = Tag.objects.filter(pk=mapping.object_id).first() if mapping else None
    tag = tag or Tag.objects.filter(name__iexact=name).first()
    if ctx.dry_run:
        ctx.report.count("tags", "unchanged" if tag else "imported")
        return
    with transaction.atomic():
        outcome = "unchanged" if tag else "imported"
        if tag is None:
            tag = Tag.objects.create(name=name)
        _record(ctx, kind=Kind.TAG, source_id=slug, obj=tag, checksum=digest(name), mapping=mapping)
    ctx.report.count("tags", outcome)


# --- Attachments ----------------------------------------------------------------------------


def attachment_import(*, ctx: ImportContext, item: WxrItem) -> None:
    """An attachment's image downloaded into Wagtail's library when reachable and valid; either
    way its URL is recorded, so posts can link to what could not be fetched."""
    source_id = item.post_id.strip()
    url = (item.attachment_url or item.guid).strip()
    what = f"attachment {source_id or '?'} ({_short(url, 80)})"
    if not source_id.isdigit() or not url:
        ctx.report.skip("attachments", what, "it has no numeric id or no URL")
        return
    mapping = _mapping(ctx, Kind.ATTACHMENT, source_id)
    if _seen_before(ctx, Kind.ATTACHMENT, source_id, mapping):
        ctx.report.skip("attachments", what, "duplicate id: an earlier attachment has it")
        return
    ImageModel = get_image_model()  # noqa: N806
    image = None
    if mapping is not None and mapping.object_id:
        image = ImageModel.objects.filter(pk=mapping.object_id).first()
    title = convert.plain_text(item.title)[:255] or convert.file_name(url)[:255] or source_id
    checksum = digest(url, title)
    if image is not None:
        if ctx.dry_run:
            ctx.report.count("attachments", "unchanged")
        elif mapping.checksum != checksum:
            image.title = title
            image.save(update_fields=["title"])
            _record(
                ctx,
                kind=Kind.ATTACHMENT,
                source_id=source_id,
                obj=image,
                checksum=checksum,
                mapping=mapping,
                source_url=url_key(url, attachment=True),
            )
            ctx.report.count("attachments", "updated")
        else:
            _touch(ctx, mapping)
            ctx.report.count("attachments", "unchanged")
        return
    if ctx.dry_run:
        ctx.report.count("attachments", "imported")
        return
    reason = "downloads are off (--no-download)"
    if ctx.downloader is not None:
        try:
            downloaded = ctx.downloader.fetch_image(url)
        except DownloadFailed as failed:
            reason = str(failed)
        else:
            file_hash = hash_filelike(BytesIO(downloaded.data))
            image = ImageModel.objects.filter(file_hash=file_hash).first() or ImageModel(
                title=title,
                file=ImageFile(BytesIO(downloaded.data), name=downloaded.filename),
                file_size=len(downloaded.data),
                file_hash=file_hash,
            )
            if image.pk is None:
                image.save()
    _record(
        ctx,
        kind=Kind.ATTACHMENT,
        source_id=source_id,
        obj=image,
        checksum=checksum,
        mapping=mapping,
        source_url=url_key(url, attachment=True),
        data={"url": url},
    )
    if image is not None:
        ctx.report.count("attachments", "imported")
    else:
        ctx.report.ignore("attachments kept as links to the old site")
        ctx.report.warn(what, f"not downloaded, {reason}: posts link to its URL instead")


def _image_resolver(ctx: ImportContext, item: WxrItem):
    """A resolver for the images this post shows (one query), and what it resolved, for the
    checksum: a post is converted again once an image it shows has been downloaded."""
    srcs, ids = convert.image_refs(item.content)
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    if thumbnail.isdigit():
        ids.add(thumbnail)
    if not srcs and not ids:
        return convert.no_images, None, ()
    keys = {url_key(src, attachment=True) for src in srcs}
    rows = list(
        ImportedObject.objects.filter(source=ctx.source, site=ctx.site_key, kind=Kind.ATTACHMENT)
        .filter(Q(source_id__in=ids) | Q(source_url__in=keys))
        .values_list("source_id", "source_url", "object_id", "data")
    )
    by_id = {sid: (oid, (data or {}).get("url", "")) for sid, _, oid, data in rows}
    by_url = {key: oid for _, key, oid, _ in rows if oid}

    def resolve(src: str, attachment_id: str) -> tuple[int | None, str]:
        image_id, url = by_id.get(attachment_id, (None, ""))
        if not image_id and src:
            image_id = by_url.get(url_key(src, attachment=True))
        return image_id, url

    lead_image_id = by_id.get(thumbnail, (None, ""))[0]
    return resolve, lead_image_id, tuple(sorted((sid, oid or 0) for sid, _, oid, _ in rows))


# --- Posts ----------------------------------------------------------------------------------


@dataclass
class PostFields:
    title: str
    slug: str
    standfirst: str
    status: str  # publish, draft, future
    published_at: dt.datetime | None
    modified_at: dt.datetime | None
    section_slug: str
    section_name: str
    tags: list[str]
    creator: str
    comments_closed: bool
    notes: list[str]


def _post_fields(item: WxrItem) -> PostFields:
    title = convert.plain_text(item.title) if "<" in item.title else " ".join(item.title.split())
    _check_length("title", title)
    _check_length("body", item.content)
    _check_length("excerpt", item.excerpt)
    post_id = item.post_id.strip()
    notes = []
    if not title:
        title = f"Untitled (WordPress post {post_id})"
        notes.append(f'it has no title; it is called "{title}"')
    slug = _clean_slug(item.post_name, title)
    _check_length("slug", slug)
    status = item.status.strip()
    if status == "private":
        notes.append("it was private, and Paddock has no private articles: imported as a draft")
        status = "draft"
    elif status == "pending":
        status = "draft"
    if item.post_password.strip() and status in ("publish", "future"):
        notes.append("it was password-protected: imported as a draft, not published")
        status = "draft"
    published_at = _date_or_none(item.post_date_gmt)
    if published_at is None and item.pub_date.strip() and status != "draft":
        try:
            published_at = _sane(email.utils.parsedate_to_datetime(item.pub_date.strip()))
        except (TypeError, ValueError):
            published_at = None
    if published_at is None and status != "draft":
        published_at = _date_or_none(item.post_date)
        if published_at is None:
            raise Skip(
                f"its date is broken (post_date_gmt {item.post_date_gmt!r}, post_date "
                f"{item.post_date!r}, pubDate {item.pub_date!r}); a {item.status} post needs one"
            )
        notes.append("its GMT date is missing or broken: the local post_date was taken as UTC")
    modified_at = _date_or_none(item.post_modified_gmt)
    categories = [(nicename, name) for domain, nicename, name in item.terms if domain == "category"]
    if not categories and any(domain == "" for domain, _, _ in item.terms):
        # WXR 1.0 writes a post's categories a second time without a domain.
        categories = [(slugify(name), name) for domain, _, name in item.terms if domain == ""]
    if categories:
        section_slug = _clean_slug(categories[0][0], categories[0][1])
        section_name = categories[0][1] or categories[0][0]
    else:
        section_slug, section_name = UNCATEGORISED
    # Categories after the first have no section of their own: they become tags, so nothing
    # is lost. The same name twice (case aside) is one tag.
    names = [name for _, name in categories[1:]]
    names += [name for domain, _, name in item.terms if domain in ("post_tag", "tag")]
    tags: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > LIMITS["tag name"]:
            notes.append(f"a tag of {len(name):,} characters was left out")
            continue
        tags.setdefault(name.lower(), name)
    excerpt = convert.plain_text(item.excerpt) if item.excerpt.strip() else ""
    return PostFields(
        title=title,
        slug=slug,
        standfirst=excerpt,
        status=status,
        published_at=published_at if status in ("publish", "future") else None,
        modified_at=modified_at,
        section_slug=section_slug,
        section_name=section_name,
        tags=sorted(tags.values(), key=str.lower),
        creator=item.creator.strip(),
        comments_closed=item.comment_status.strip() == "closed",
        notes=notes,
    )


def post_import(*, ctx: ImportContext, item: WxrItem) -> None:
    """A WordPress post with its comments and its old permalink's redirect, in one transaction:
    created the first time, updated when the export changed, left alone otherwise."""
    post_id = item.post_id.strip()
    what = f'post {post_id or "?"} "{_short(item.title)}"'
    status = item.status.strip()
    if status in IGNORED_STATUSES:
        ctx.report.ignore(f"{status} posts")
        return
    try:
        if not post_id.isdigit():
            raise Skip("it has no numeric <wp:post_id>")
        if status not in POST_STATUSES:
            raise Skip(f"its status {status!r} is not one WordPress uses for posts")
        fields = _post_fields(item)
    except Skip as skip:
        ctx.report.skip("posts", what, str(skip))
        ctx.report.count("comments", "skipped", len(item.comments))
        return
    mapping = _mapping(ctx, Kind.POST, post_id)
    if _seen_before(ctx, Kind.POST, post_id, mapping):
        ctx.report.skip("posts", what, "duplicate id: an earlier post in this file has it")
        ctx.report.count("comments", "skipped", len(item.comments))
        return
    rows = wp_comment_rows(ctx=ctx, comments=item.comments, post=what)
    # Authors and sections are shared by many posts: they are written in their own
    # transactions, so that one post's rollback cannot take them from the next.
    contributor = contributor_for_login(ctx=ctx, login=fields.creator, post=what)
    section = section_ensure(ctx=ctx, slug=fields.section_slug, name=fields.section_name)
    resolver, lead_image_id, images_seen = _image_resolver(ctx, item)
    checksum = digest(
        item.title, item.post_name, item.content, item.excerpt, item.status, item.post_date_gmt,
        item.post_date, item.post_modified_gmt, item.terms, item.creator, item.comment_status,
        item.post_password, item.link, images_seen,
    )  # fmt: skip
    for note in fields.notes:
        ctx.report.warn(what, note)
    if ctx.dry_run:
        ctx.report.count("posts", _outcome(mapping, checksum))
        existing = _existing_comments(ctx, [row.source_id for row in rows])
        ctx.report.count("comments", "imported", sum(r.source_id not in existing for r in rows))
        ctx.report.count("comments", "unchanged", sum(r.source_id in existing for r in rows))
        return
    if section is None:
        ctx.report.skip("posts", what, f'its section "{fields.section_name}" was not imported')
        ctx.report.count("comments", "skipped", len(rows))
        return
    tally = _Tally()
    try:
        with transaction.atomic(), disable_reference_index_auto_update():
            article = _article_write(
                ctx, item=item, fields=fields, mapping=mapping, checksum=checksum,
                section=section, contributor=contributor, resolver=resolver,
                lead_image_id=lead_image_id, what=what, tally=tally,
            )  # fmt: skip
            if article is not None:
                # Indexed once per post, not at each of the saves above (see search_deferred).
                ReferenceIndex.create_or_update_for_object(article)
                transaction.on_commit(partial(search_index.insert_or_update_object, article))
                if fields.status in ("publish", "future"):
                    _redirect_ensure(ctx, article=article, link=item.link, what=what, tally=tally)
                comments_write(ctx=ctx, article_id=article.pk, rows=rows, what=what, tally=tally)
            else:
                tally.count("comments", "skipped", len(rows))
    except Exception as exc:
        logger.exception("WordPress post %s failed", post_id)
        ctx.report.skip(
            "posts",
            what,
            f"it failed and nothing of it was written ({exc.__class__.__name__}: "
            f"{_short(str(exc), 200)}); its {len(rows):,} comments were not imported either",
        )
        ctx.report.count("comments", "skipped", len(rows))
        return
    tally.apply(ctx.report)


class _Tally:
    """What a transaction did, given to the report only once it has committed."""

    def __init__(self) -> None:
        self.counts: list[tuple[str, str, int]] = []
        self.skips: list[tuple[str, str, str, int]] = []
        self.warnings: list[tuple[str, str]] = []

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts.append((kind, outcome, n))

    def skip(self, kind: str, what: str, reason: str, n: int = 1) -> None:
        self.skips.append((kind, what, reason, n))

    def warn(self, what: str, message: str) -> None:
        self.warnings.append((what, message))

    def apply(self, report: ImportReport) -> None:
        for kind, outcome, n in self.counts:
            report.count(kind, outcome, n)
        for kind, what, reason, n in self.skips:
            report.skip(kind, what, reason, n)
        for what, message in self.warnings:
            report.warn(what, message)


def _article_write(
    ctx: ImportContext,
    *,
    item: WxrItem,
    fields: PostFields,
    mapping: ImportedObject | None,
    checksum: str,
    section: SectionPage,
    contributor: Contributor | None,
    resolver,
    lead_image_id: int | None,
    what: str,
    tally: _Tally,
) -> ArticlePage | None:
    """Create, update or keep the article; None when it cannot take comments (deleted)."""
    post_id = item.post_id.strip()
    if mapping is not None:
        article = ArticlePage.objects.filter(pk=mapping.object_id).first()
        if article is None:
            tally.skip("posts", what, "deleted in Paddock after an earlier import; not recreated")
            _touch(ctx, mapping)
            return None
        if mapping.checksum == checksum:
            tally.count("posts", "unchanged")
            _touch(ctx, mapping)
            return article
        if article.latest_revision_id != (mapping.data or {}).get("revision"):
            tally.skip(
                "posts",
                what,
                "edited in Paddock since it was imported, so the newer export's changes were "
                "not applied (its new comments were)",
            )
            _touch(ctx, mapping)
            return article
    else:
        article = None

    body = convert.rich_text(item.content, images=resolver)
    publish = fields.status in ("publish", "future")
    go_live_at = fields.published_at if fields.status == "future" else None
    if go_live_at and go_live_at <= timezone.now():
        tally.warn(what, "it was scheduled for a date now past: published at once")
        go_live_at = None
    owner = contributor.user if contributor and contributor.user_id else None

    if article is None:
        slug = _free_slug(section, fields.slug)
        if slug != fields.slug:
            tally.warn(what, f'its slug "{fields.slug}" is taken in the section: now "{slug}"')
        live_now = publish and not go_live_at
        article = ArticlePage(
            title=fields.title,
            slug=slug,
            standfirst=fields.standfirst,
            body=body,
            published_at=fields.published_at,
            first_published_at=fields.published_at if live_now else None,
            last_published_at=(fields.modified_at or fields.published_at) if live_now else None,
            go_live_at=go_live_at,
            comments_closed=fields.comments_closed,
            lead_image_id=lead_image_id,
            owner=owner,
            locale_id=section.locale_id,
            live=live_now,
            has_unpublished_changes=not live_now,
            authors=[ArticleAuthor(contributor=contributor, sort_order=0)] if contributor else [],
        )
        if fields.tags:
            article.tags.add(*fields.tags)
        section.add_child(instance=article)
        if live_now:
            return _article_go_live(ctx, article=article, owner=owner, item=item, checksum=checksum,
                                    tally=tally)  # fmt: skip
        outcome = "imported"
    else:
        if article.get_parent().pk != section.pk:
            article.move(section, pos="last-child")
            article.refresh_from_db()
        article.title = fields.title
        if fields.slug != article.slug:
            article.slug = _free_slug(section, fields.slug, exclude=article.pk)
        article.standfirst = fields.standfirst
        article.body = body
        article.published_at = fields.published_at or article.published_at
        article.go_live_at = go_live_at
        article.comments_closed = fields.comments_closed
        article.lead_image_id = lead_image_id
        article.tags.set(fields.tags)
        current = list(article.authors.all())
        if [a.contributor_id for a in current] != ([contributor.pk] if contributor else []):
            keep = [a for a in current if contributor and a.contributor_id == contributor.pk]
            new = [] if keep or not contributor else [ArticleAuthor(contributor=contributor)]
            article.authors = keep + new
        outcome = "updated"

    revision = article.save_revision(user=owner, clean=outcome == "updated")
    if publish:
        revision.publish(skip_permission_checks=True)
        if not go_live_at:
            Page.objects.filter(pk=article.pk).update(
                last_published_at=fields.modified_at or fields.published_at
            )
    elif article.live:
        article.unpublish()
    tally.count("posts", outcome)
    _record(
        ctx,
        kind=Kind.POST,
        source_id=post_id,
        obj=article,
        checksum=checksum,
        mapping=mapping,
        source_url=url_key(item.link),
        data={"revision": revision.pk, "link": item.link, "guid": item.guid},
    )
    return article


def _article_go_live(
    ctx: ImportContext, *, article: ArticlePage, owner, item: WxrItem, checksum: str, tally
) -> ArticlePage:
    """A new article that is live from the start: created live by add_child (Wagtail's own
    default for a new page), given its one revision as the live revision, with the history
    entry and the page_published signal that publishing would give. This is what
    revision.publish() ends in for a new page without a workflow, alias or schedule, without
    reloading the revision as a page and saving the page a second time, which made up half of
    the import's time."""
    revision = article.save_revision(user=owner, changed=False, clean=False)
    Page.objects.filter(pk=article.pk).update(live_revision=revision)
    article.live_revision = revision
    log(instance=article, action="wagtail.publish", user=owner, revision=revision)
    page_published.send(sender=ArticlePage, instance=article, revision=revision)
    tally.count("posts", "imported")
    _record(
        ctx,
        kind=Kind.POST,
        source_id=item.post_id.strip(),
        obj=article,
        checksum=checksum,
        source_url=url_key(item.link),
        data={"revision": revision.pk, "link": item.link, "guid": item.guid},
    )
    return article


def _redirect_ensure(ctx: ImportContext, *, article: ArticlePage, link: str, what: str, tally):
    """A permanent redirect from the post's WordPress permalink path to the article."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return
    path = parts.path or "/"
    if path == "/" and parts.query:
        path = f"/?{parts.query}"  # plain permalinks: /?p=123
    old_path = Redirect.normalise_path(path)
    if not link.strip() or old_path == "/":
        return
    if len(old_path) > 255:
        tally.warn(what, f"its permalink path is {len(old_path)} characters: no redirect")
        return
    # The article's path on the site whose root is the home page (what relative_url() gives,
    # without recomputing every site's root paths).
    new_path = "/" + article.url_path[len(ctx.home.url_path) :]
    if Redirect.normalise_path(new_path) == old_path:
        return  # the old address is the new one
    existing = Redirect.objects.filter(site=ctx.wagtail_site, old_path=old_path).first()
    if existing is None:
        Redirect.objects.create(
            site=ctx.wagtail_site, old_path=old_path, redirect_page=article, is_permanent=True
        )
        tally.count("redirects", "imported")
    elif existing.redirect_page_id == article.pk:
        tally.count("redirects", "unchanged")
    else:
        tally.skip("redirects", what, f"{old_path} already redirects elsewhere; left as it was")


# --- Comments -------------------------------------------------------------------------------


@dataclass
class CommentRow:
    """A source comment made ready to write."""

    source_id: str
    parent_id: str
    created_at: dt.datetime
    body: str
    status: str
    is_deleted: bool = False
    user_id: int | None = None
    name: str = ""
    email: str = ""
    url: str = ""
    ip_address: str | None = None
    original: str = ""
    checksum: str = ""


def _guest_fields(ctx, what: str, name: str, email: str, url: str) -> tuple[str, str, str]:
    name = " ".join(name.split())
    _check_length("author name", name)
    _check_length("author email", email.strip())
    _check_length("author URL", url.strip())
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            email = ""
    link = convert.safe_url(url.strip()) or ""
    if not link.startswith(("http://", "https://")):
        link = ""
    return name, email, link


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def wp_comment_rows(
    *, ctx: ImportContext, comments: list[WxrComment], post: str
) -> list[CommentRow]:
    """The post's comments that can be imported; the rest are reported with their reason."""
    rows: list[CommentRow] = []
    seen: set[str] = set()
    for comment in comments:
        source_id = comment.id.strip()
        what = f"comment {source_id or '?'} on {post}"
        kind = comment.type.strip()
        if kind in ("pingback", "trackback"):
            ctx.report.ignore(f"{kind}s")
            continue
        try:
            if not source_id.isdigit():
                raise Skip("it has no numeric <wp:comment_id>")
            if source_id in seen:
                raise Skip("duplicate id: an earlier comment on this post has it")
            _check_length("comment", comment.content)
            name, email, url = _guest_fields(
                ctx, what, comment.author, comment.author_email, comment.author_url
            )
            created_at = _date_or_none(comment.date_gmt) or _date_or_none(comment.date)
            if created_at is None:
                raise Skip(
                    f"its date is broken (comment_date_gmt {comment.date_gmt!r}, "
                    f"comment_date {comment.date!r})"
                )
            body = markup.clean_text(convert.comment_markdown(comment.content))
            if not body:
                raise Skip("it is empty once its markup is removed")
        except Skip as skip:
            ctx.report.skip("comments", what, str(skip))
            continue
        seen.add(source_id)
        approved = comment.approved.strip()
        status = COMMENT_STATUS.get(approved)
        if status is None:
            ctx.report.warn(what, f"unknown state {approved!r}: held for review")
            status = Comment.Status.PENDING
        parent = comment.parent.strip()
        user_id = ctx.author_users.get(comment.user_id.strip()) if comment.user_id else None
        rows.append(
            CommentRow(
                source_id=source_id,
                parent_id="" if parent in ("", "0") else parent,
                created_at=created_at,
                body=body,
                status=status,
                user_id=user_id,
                name=name,
                email=email,
                url=url,
                ip_address=_ip(comment.author_ip),
                checksum=digest(
                    comment.content,
                    approved,
                    comment.author,
                    comment.author_email,
                    comment.author_url,
                    comment.date_gmt,
                    comment.date,
                    parent,
                    user_id,
                ),  # fmt: skip
            )
        )
    return rows


def disqus_comment_row(*, ctx: ImportContext, post: DisqusPost) -> CommentRow | None:
    what = f"Disqus post {post.id or '?'}"
    try:
        if not post.id:
            raise Skip("it has no dsq:id")
        _check_length("comment", post.message)
        name, email, _ = _guest_fields(ctx, what, post.author_name, post.author_email, "")
        username = post.author_username.strip()
        url = ""
        if username and not post.author_anonymous and re.fullmatch(r"[\w.-]{1,100}", username):
            url = f"https://disqus.com/by/{username}/"
        try:
            created_at = parse_iso_date(post.created_at)
        except ValueError as exc:
            raise Skip(f"its date {post.created_at!r} is broken") from exc
        body = markup.clean_text(convert.comment_markdown(post.message))
        if not body and not post.is_deleted:
            raise Skip("it is empty once its markup is removed")
    except Skip as skip:
        ctx.report.skip("comments", what, str(skip))
        return None
    return CommentRow(
        source_id=post.id,
        parent_id=post.parent_id,
        created_at=created_at,
        body=DELETED_TEXT if post.is_deleted else body,
        status=Comment.Status.SPAM if post.is_spam else Comment.Status.PUBLISHED,
        is_deleted=post.is_deleted,
        name=name or ("Guest" if post.author_anonymous else ""),
        email=email,
        url=url,
        ip_address=_ip(post.ip_address),
        original=body if post.is_deleted else "",
        checksum=digest(
            post.message,
            post.created_at,
            post.is_deleted,
            post.is_spam,
            post.author_name,
            post.author_email,
            post.author_username,
            post.parent_id,
        ),  # fmt: skip
    )


@dataclass
class _Existing:
    mapping_id: int
    object_id: int | None
    checksum: str
    last_run_id: int | None


def _existing_comments(ctx: ImportContext, ids: Iterable[str]) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    ids = list(ids)
    for start in range(0, len(ids), 2000):
        for row in ImportedObject.objects.filter(
            source=ctx.source, site=ctx.site_key, kind=Kind.COMMENT,
            source_id__in=ids[start : start + 2000],
        ).values_list("source_id", "pk", "object_id", "checksum", "last_run_id"):  # fmt: skip
            found[row[0]] = _Existing(*row[1:])
    return found


def comments_write(
    *, ctx: ImportContext, article_id: int, rows: list[CommentRow], what: str, tally
) -> None:
    """Write the comments of one article in bulk, parents before their replies. The caller
    holds the transaction; counts go to `tally`, to be reported once it has committed."""
    if not rows:
        return
    parent_ids = {row.parent_id for row in rows if row.parent_id}
    existing = _existing_comments(ctx, {row.source_id for row in rows} | parent_ids)
    comment_ids = [e.object_id for e in existing.values() if e.object_id]
    info = {
        pk: (article, depth, root)
        for start in range(0, len(comment_ids), 2000)
        for pk, article, depth, root in Comment.objects.filter(
            pk__in=comment_ids[start : start + 2000]
        ).values_list("pk", "article_id", "depth", "root_id")
    }
    new: dict[str, CommentRow] = {}
    changed: list[tuple[CommentRow, _Existing]] = []
    unchanged: list[int] = []
    seen: list[int] = []  # mapping rows to mark as seen in this run
    for row in rows:
        label = f"comment {row.source_id} on {what}"
        known = existing.get(row.source_id)
        if row.source_id in new:
            tally.skip("comments", label, "duplicate id: an earlier comment in this file has it")
        elif known is None:
            new[row.source_id] = row
        elif known.last_run_id == ctx.run_id:
            tally.skip("comments", label, "duplicate id: it was imported earlier in this file")
        elif known.object_id not in info:
            tally.skip("comments", label, "deleted in Paddock after an earlier import")
            seen.append(known.mapping_id)
        elif info[known.object_id][0] != article_id:
            tally.skip("comments", label, "duplicate id: a comment on another article has it")
        elif known.checksum == row.checksum:
            unchanged.append(known.mapping_id)
        else:
            changed.append((row, known))

    def old_parent(source_id: str) -> int | None:
        known = existing.get(source_id)
        if known and known.object_id in info and info[known.object_id][0] == article_id:
            return known.object_id
        return None

    # Each new comment's parent: another new one, one imported before, or none (top level).
    parents: dict[str, tuple[str, object] | None] = {}
    for row in new.values():
        parent = None
        if row.parent_id and row.parent_id != row.source_id:
            if row.parent_id in new:
                parent = ("new", row.parent_id)
            elif (pk := old_parent(row.parent_id)) is not None:
                parent = ("old", pk)
            else:
                tally.warn(
                    f"comment {row.source_id} on {what}",
                    f"its parent {row.parent_id} is missing: attached at the top level",
                )
        elif row.parent_id:
            tally.warn(f"comment {row.source_id} on {what}", "it is its own parent: top level")
        parents[row.source_id] = parent
    depths = _depths(parents, info, tally, what)

    by_depth: dict[int, list[CommentRow]] = defaultdict(list)
    for row in new.values():
        by_depth[depths[row.source_id]].append(row)
    pks: dict[str, int] = {}
    roots: dict[str, int] = {}
    for depth in sorted(by_depth):
        level = by_depth[depth]
        objects = []
        for row in level:
            parent = parents[row.source_id]
            if parent is None:
                parent_pk = root_pk = None
            elif parent[0] == "old":
                parent_pk = parent[1]
                root_pk = info[parent_pk][2] or parent_pk
            else:
                parent_pk, root_pk = pks[parent[1]], roots[parent[1]]
            html = DELETED_TEXT if row.is_deleted else markup.render(row.body)
            objects.append(
                Comment(
                    article_id=article_id,
                    parent_id=parent_pk,
                    root_id=root_pk,
                    depth=depth,
                    author_id=row.user_id,
                    body=row.body,
                    body_html=html,
                    body_text=DELETED_TEXT if row.is_deleted else markup.plain(html),
                    status=row.status,
                    is_deleted=row.is_deleted,
                    ip_address=row.ip_address,
                )
            )
        Comment.objects.bulk_create(objects, batch_size=BATCH)
        for row, obj in zip(level, objects, strict=True):
            pks[row.source_id] = obj.pk
            roots[row.source_id] = obj.root_id or obj.pk
    if new:
        # created_at is auto_now_add, so bulk_create stamped "now": the source's dates go in
        # afterwards, with each top-level comment's root (itself), in one executemany.
        rows_update(
            Comment,
            ["root", "created_at"],
            [(pks[sid], roots[sid], row.created_at) for sid, row in new.items()],
        )
        ImportedCommentAuthor.objects.bulk_create(
            [
                ImportedCommentAuthor(
                    comment_id=pks[sid], name=row.name, email=row.email, url=row.url
                )
                for sid, row in new.items()
                if row.name or row.email or row.url
            ],
            batch_size=BATCH,
        )
        comment_type = ContentType.objects.get_for_model(Comment)
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=ctx.source,
                    site=ctx.site_key,
                    kind=Kind.COMMENT,
                    source_id=sid,
                    content_type=comment_type,
                    object_id=pks[sid],
                    checksum=row.checksum,
                    last_run_id=ctx.run_id,
                    data={"original_body": row.original} if row.original else {},
                )
                for sid, row in new.items()
            ],
            batch_size=BATCH,
        )
        tally.count("comments", "imported", len(new))
    if changed:
        _comments_update(ctx, changed)
        tally.count("comments", "updated", len(changed))
    seen += unchanged
    for start in range(0, len(seen), 2000):
        ImportedObject.objects.filter(pk__in=seen[start : start + 2000]).update(
            last_run_id=ctx.run_id
        )
    tally.count("comments", "unchanged", len(unchanged))


def _depths(parents: dict, info: dict, tally, what: str) -> dict[str, int]:
    """Each new comment's depth; a cycle of parents (a broken export) is cut at the top."""
    depths: dict[str, int] = {}
    for start in parents:
        chain: list[str] = []
        on_chain: set[str] = set()
        current = start
        while current not in depths:
            if current in on_chain:
                tally.warn(
                    f"comment {current} on {what}",
                    "its parents form a loop: attached at the top level",
                )
                parents[current] = None
                depths[current] = 0
                break
            chain.append(current)
            on_chain.add(current)
            parent = parents[current]
            if parent is None:
                depths[current] = 0
                break
            if parent[0] == "old":
                depths[current] = info[parent[1]][1] + 1
                break
            current = parent[1]
        for source_id in reversed(chain):
            if source_id not in depths:
                depths[source_id] = depths[parents[source_id][1]] + 1
    return depths


def _comments_update(ctx: ImportContext, changed: list[tuple[CommentRow, _Existing]]) -> None:
    rows = []
    for row, known in changed:
        html = DELETED_TEXT if row.is_deleted else markup.render(row.body)
        text = DELETED_TEXT if row.is_deleted else markup.plain(html)
        rows.append(
            (known.object_id, row.body, html, text, row.status, row.is_deleted, row.created_at,
             row.user_id)
        )  # fmt: skip
    rows_update(
        Comment,
        ["body", "body_html", "body_text", "status", "is_deleted", "created_at", "author"],
        rows,
    )
    ids = [known.object_id for _, known in changed]
    ImportedCommentAuthor.objects.filter(comment_id__in=ids).delete()
    ImportedCommentAuthor.objects.bulk_create(
        [
            ImportedCommentAuthor(
                comment_id=known.object_id, name=row.name, email=row.email, url=row.url
            )
            for row, known in changed
            if row.name or row.email or row.url
        ]
    )
    rows_update(
        ImportedObject,
        ["checksum", "last_run", "data"],
        [
            (
                known.mapping_id,
                row.checksum,
                ctx.run_id,
                {"original_body": row.original} if row.original else {},
            )
            for row, known in changed
        ],
    )


# --- Disqus threads ---------------------------------------------------------------------------

_WP_IDENTIFIER = re.compile(r"^(\d+)(?:\s+(\S+))?$")


def thread_match(*, ctx: ImportContext, thread: DisqusThread) -> tuple[int | None, str]:
    """The article a Disqus thread belongs to, and how it was found: by an earlier import of
    the thread, by its identifier (the Disqus WordPress plugin writes "<post id> <guid>"; a
    slug also works), or by its URL (the article's own, or a WordPress permalink redirected to
    it)."""
    mapping = _mapping(ctx, Kind.THREAD, thread.id)
    if mapping and ArticlePage.objects.filter(pk=mapping.object_id).exists():
        return mapping.object_id, "earlier import"
    identifier = thread.identifier
    wp_match = _WP_IDENTIFIER.match(identifier)
    if wp_match:
        posts = ImportedObject.objects.filter(
            source=Source.WORDPRESS, kind=Kind.POST, source_id=wp_match.group(1)
        )
        if wp_match.group(2):
            host = urlsplit(wp_match.group(2)).hostname or ""
            posts = [p for p in posts if p.site.split("/")[0] == host] or list(posts)
        candidates = {p.object_id for p in posts}
        if len(candidates) == 1:
            return candidates.pop(), "identifier (WordPress post id)"
    elif identifier:
        found = list(ArticlePage.objects.filter(slug=identifier).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0], "identifier (slug)"
    if thread.link:
        article_id = _article_for_url(ctx, thread.link)
        if article_id:
            return article_id, "URL"
    return None, ""


def _article_for_url(ctx: ImportContext, link: str) -> int | None:
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    path = parts.path or "/"
    if path == "/" and parts.query:
        path = f"/?{parts.query}"
    old_path = Redirect.normalise_path(path)
    redirect = (
        Redirect.objects.filter(old_path=old_path, redirect_page__isnull=False)
        .filter(Q(site=ctx.wagtail_site) | Q(site__isnull=True))
        .values_list("redirect_page_id", flat=True)
        .first()
    )
    if redirect and ArticlePage.objects.filter(pk=redirect).exists():
        return redirect
    for site in Site.objects.select_related("root_page"):
        url_path = site.root_page.url_path + unquote(path).strip("/") + "/"
        found = ArticlePage.objects.filter(url_path=url_path).values_list("pk", flat=True).first()
        if found:
            return found
    found = (
        ImportedObject.objects.filter(kind=Kind.POST, source_url=url_key(link))
        .values_list("object_id", flat=True)
        .first()
    )
    if found and ArticlePage.objects.filter(pk=found).exists():
        return found
    return None


def thread_record(*, ctx: ImportContext, thread: DisqusThread, article_id: int) -> str:
    """Remember which article a thread went to; returns the outcome for the report."""
    mapping = _mapping(ctx, Kind.THREAD, thread.id)
    if mapping is not None and mapping.object_id == article_id:
        _touch(ctx, mapping)
        return "unchanged"
    if ctx.dry_run:
        return "imported" if mapping is None else "updated"
    article = ArticlePage(pk=article_id)
    _record(
        ctx,
        kind=Kind.THREAD,
        source_id=thread.id,
        obj=article,
        checksum=digest(thread.link, thread.identifier),
        mapping=mapping,
        source_url=url_key(thread.link),
        data={"identifier": thread.identifier, "link": thread.link},
    )
    return "imported" if mapping is None else "updated"


def disqus_comments_import(
    *, ctx: ImportContext, batch: dict[int, list[CommentRow]], labels: dict[int, str]
) -> None:
    """Comments of several articles (one batch of the file) in one transaction; when that
    fails, article by article, so that one bad thread costs only its own comments."""
    if ctx.dry_run:
        for rows in batch.values():
            existing = _existing_comments(ctx, [row.source_id for row in rows])
            new = sum(1 for row in rows if row.source_id not in existing)
            ctx.report.count("comments", "imported", new)
            ctx.report.count("comments", "unchanged", len(rows) - new)
        return
    tally = _Tally()
    try:
        with transaction.atomic():
            for article_id, rows in batch.items():
                comments_write(
                    ctx=ctx, article_id=article_id, rows=rows, what=labels[article_id], tally=tally
                )
    except Exception:
        logger.exception("A batch of Disqus comments failed; retrying article by article")
    else:
        tally.apply(ctx.report)
        return
    for article_id, rows in batch.items():
        tally = _Tally()
        try:
            with transaction.atomic():
                comments_write(
                    ctx=ctx, article_id=article_id, rows=rows, what=labels[article_id], tally=tally
                )
        except Exception as exc:
            ctx.report.skip(
                "comments",
                f"{len(rows):,} Disqus comments on {labels[article_id]}",
                f"they failed and none was written ({exc.__class__.__name__}: "
                f"{_short(str(exc), 200)})",
                n=len(rows),
            )
        else:
            tally.apply(ctx.report)
