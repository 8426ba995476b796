"""WordPress authors, categories and tags: authors become contributors (with accounts that
cannot sign in until a password is set), a post's first category its section, the rest tags."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_unicode_slug
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag

from paddock.accounts.services import account_create
from paddock.core.roles import CONTRIBUTORS, group_ensure
from paddock.newsroom.models import Contributor, SectionPage
from paddock.newsroom.services import (
    contributor_create,
    contributor_rename,
    section_create,
    tag_create,
)

from ..context import (
    Kind,
    Skip,
    check_length,
    digest,
    free_slug,
    mapping_get,
    mapping_save,
    outcome_of,
    seen_before,
    short,
)
from . import convert
from .context import WordPressContext
from .parsers import WxrAuthor, WxrTerm

UNCATEGORISED = ("uncategorised", "Uncategorised")


def clean_slug(raw: str, fallback: str) -> str:
    slug = unquote(raw.strip()).lower()
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        slug = ""
    return slug[:255] or slugify(fallback, allow_unicode=True)[:255] or "untitled"


def contributor_import(*, ctx: WordPressContext, author: WxrAuthor) -> Contributor | None:
    """A WordPress author as a contributor, with an account that cannot sign in until its owner
    resets the password, when the export gives an email address."""
    login = author.login.strip()
    what = f'author "{short(login) or author.id}"'
    try:
        if not login:
            raise Skip("it has no login")
        check_length("login", login)
        display = (
            author.display_name.strip()
            or f"{author.first_name} {author.last_name}".strip()
            or login
        )
        check_length("display name", display)
    except Skip as skip:
        ctx.report.skip("authors", what, str(skip))
        ctx.contributors[login] = None
        return None
    ctx.authors_listed = True
    checksum = digest(login, author.email, display, author.first_name, author.last_name)
    mapping = mapping_get(ctx, Kind.AUTHOR, login)
    if seen_before(ctx, Kind.AUTHOR, login, mapping):
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
        ctx.report.count("authors", outcome_of(mapping, checksum))
        ctx.contributors[login] = contributor
        return contributor
    with transaction.atomic():
        if contributor is None:
            contributor = _contributor_create(ctx, author=author, login=login, display=display)
            outcome = "imported"
        elif mapping.checksum != checksum:
            contributor_rename(contributor=contributor, display_name=display)
            outcome = "updated"
        else:
            outcome = "unchanged"
        mapping_save(
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
    ctx: WordPressContext, *, author: WxrAuthor, login: str, display: str
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
            # No usable password: its owner sets one through "forgot password".
            user = account_create(
                username=_free_username(login),
                email=email,
                first_name=author.first_name.strip(),
                last_name=author.last_name.strip(),
                groups=[group_ensure(CONTRIBUTORS)],
            )
    contributor = Contributor.objects.filter(user=user).first() if user else None
    if contributor is None:
        contributor = contributor_create(user=user, display_name=display)
    return contributor


def _free_username(login: str) -> str:
    User = get_user_model()  # noqa: N806
    base = re.sub(r"[^\w.@+-]", "_", login)[:140] or "author"
    name, n = base, 2
    while User.objects.filter(username__iexact=name).exists():
        name, n = f"{base}-{n}", n + 1
    return name


def contributor_for_login(*, ctx: WordPressContext, login: str, post: str) -> Contributor | None:
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
                f'author "{short(login)}"',
                f"named by {post} (and maybe others) but not among the export's authors; "
                "those articles have no byline author",
            )
        return None
    return contributor_import(ctx=ctx, author=WxrAuthor(login=login, display_name=login))


def category_remember(*, ctx: WordPressContext, term: WxrTerm) -> None:
    slug = clean_slug(term.slug, term.name)
    ctx.categories[slug] = term


def section_ensure(*, ctx: WordPressContext, slug: str, name: str) -> SectionPage | None:
    """The section a category's posts go to, under the home page: found by the category's
    earlier import or by slug, else created and published."""
    if slug in ctx.sections:
        return ctx.sections[slug]
    what = f'category "{short(name or slug)}"'
    term = ctx.categories.get(slug)
    title = (term.name if term and term.name else name or slug).strip()
    try:
        check_length("category name", title)
    except Skip as skip:
        ctx.report.skip("sections", what, str(skip))
        ctx.sections[slug] = None
        return None
    mapping = mapping_get(ctx, Kind.CATEGORY, slug)
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
            section = section_create(
                home=home,
                title=title,
                slug=free_slug(home, slug),
                introduction=convert.plain_text(term.description) if term else "",
            )
            outcome = "imported"
        else:
            outcome = "unchanged"
        mapping_save(
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


def tag_import(*, ctx: WordPressContext, term: WxrTerm) -> None:
    name = " ".join(term.name.split())
    slug = clean_slug(term.slug, name)
    what = f'tag "{short(name or slug)}"'
    try:
        if not name:
            raise Skip("it has no name")
        check_length("tag name", name)
    except Skip as skip:
        ctx.report.skip("tags", what, str(skip))
        return
    mapping = mapping_get(ctx, Kind.TAG, slug)
    if seen_before(ctx, Kind.TAG, slug, mapping):
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
            tag = tag_create(name=name)
        mapping_save(
            ctx, kind=Kind.TAG, source_id=slug, obj=tag, checksum=digest(name), mapping=mapping
        )
    ctx.report.count("tags", outcome)
