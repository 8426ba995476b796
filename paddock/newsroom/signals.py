"""Signal receivers of the newsroom: the byline date on first publish, and the full-page cache
told when what readers see of articles, sections and people changed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index as search_index
from wagtail.signals import page_published, page_unpublished, post_page_move

from paddock.core import pagecache
from paddock.core.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, MODERATORS

from .models import ArticlePage, HomePage, SectionPage
from .services import article_date_first_publish


@receiver(page_published, sender=ArticlePage, dispatch_uid="newsroom_published_at")
def _date_on_first_publish(sender, instance: ArticlePage, **kwargs) -> None:
    # An editor may set the byline date by hand; otherwise it is the moment the article went live.
    if instance.published_at is None:
        article_date_first_publish(article=instance)


@receiver(page_published, sender=ArticlePage, dispatch_uid="newsroom_index_tags")
def _index_with_tags(sender, instance: ArticlePage, **kwargs) -> None:
    # The search index is written when the page is saved, and its tags (a cluster relation)
    # are saved just after: once published, the article is indexed again with them, so a
    # word in a tag finds it (and ranks it above one in a body only: search.py).
    search_index.insert_or_update_object(instance)


# The full-page cache: what readers see of articles, sections and people changed.
PAGE_MODELS = (HomePage, SectionPage, ArticlePage)


def _site_changed(sender, **kwargs) -> None:
    pagecache.invalidate("site")


def _site_removed(sender, **kwargs) -> None:
    """Something no longer shows, or shows elsewhere (unpublished, deleted, moved, made
    private): no part kept before may be served, not even while it is made again."""
    pagecache.invalidate("site", fresh=True)


# Wagtail records an image's size and hash the first time it needs them: nothing shown changes.
BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})


def _site_saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS:
        pagecache.invalidate("site")


for model in PAGE_MODELS:
    page_published.connect(_site_changed, sender=model, dispatch_uid=f"pc_pub_{model.__name__}")
    page_unpublished.connect(_site_removed, sender=model, dispatch_uid=f"pc_unpub_{model.__name__}")
    post_delete.connect(_site_removed, sender=model, dispatch_uid=f"pc_del_{model.__name__}")
post_page_move.connect(_site_removed, dispatch_uid="pc_move")


# Paddock's own tables say what they changed where they are written (services.py, and the
# snippet hooks in wagtail_hooks.py for the admin). Wagtail's tables are written by Wagtail alone,
# so its receivers are the one place to hear of a change to what pages show or how they are found
# (memos.py, the article's details): the sites, private subtrees, images (a new file, a new
# title) and tag names.
def _site_saved_fresh(sender, **kwargs) -> None:
    pagecache.invalidate("site", fresh=True)


for model in (Site, PageViewRestriction, get_image_model(), Tag):
    name = f"{model._meta.app_label}_{model.__name__}"
    routing = model in (Site, PageViewRestriction)  # where pages are, and who may see them
    post_save.connect(
        _site_saved_fresh if routing else _site_saved, sender=model, dispatch_uid=f"pc_save_{name}"
    )
    post_delete.connect(_site_removed, sender=model, dispatch_uid=f"pc_sdel_{name}")


# Groups whose members the pages name: the masthead (moderators) and comments' staff badges.
STAFF_GROUPS = (MODERATORS, CONTRIBUTORS, EDITORS, ADMINISTRATORS)


def _groups_changed(sender, instance, action: str = "", pk_set=None, **kwargs) -> None:
    """The masthead lists the Moderators group's members, and comments carry their authors'
    staff badges: joining or leaving a staff group shows."""
    from django.contrib.auth.models import Group

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Group):
        staff = instance.name in STAFF_GROUPS
    else:
        ids = Group.objects.filter(name__in=STAFF_GROUPS).values_list("pk", flat=True)
        staff = pk_set is None or bool(set(ids) & set(pk_set))
    if staff:
        pagecache.invalidate("site")


m2m_changed.connect(
    _groups_changed, sender=get_user_model().groups.through, dispatch_uid="pc_user_groups"
)


def _article_urls(value: str) -> list[str]:
    """The frontend cache's addresses for "article:<id>": the live page of the article (or
    other page) whose discussion is <id>'s."""
    article = Page.objects.filter(pk=int(value)).first() if value.isdigit() else None
    return [article.full_url] if article and article.live and article.full_url else []


pagecache.purge_resolver_register("article", _article_urls)
