"""Writes the demo site described in `content` into the database.

`demo_load` is the only entry point; the `load_demo` management command wraps it. It builds the
page tree (Home → Section → Article) through Wagtail's own revision and publishing machinery,
so the admin shows authored revisions, a publishing history, a draft and a scheduled article,
exactly as it would for a real newsroom. Then readers sign up and discuss the live articles
(`discussion`): threaded comments posted through the comment services, votes and reports, plus
one very long discussion written in bulk, everything dated after what it answers.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.utils.file import hash_filelike

from paddock.accounts.models import Profile
from paddock.comments import markup
from paddock.comments.models import Comment, Report, Vote, wilson_lower_bound
from paddock.comments.services import (
    comment_create,
    comments_bulk_create,
    comments_bulk_update,
    comments_open,
    report_create,
    vote_cast,
)
from paddock.core.db import rows_update
from paddock.core.roles import CONTRIBUTORS, EDITORS, MODERATORS
from paddock.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleSource,
    Contributor,
    HomePage,
    Make,
    SectionPage,
    VehicleModel,
)

from . import content, discussion
from .images import Scene, render_jpeg

Log = Callable[[str], None]


@dataclass
class DemoReport:
    """What `demo_load` created, for the command to report."""

    home: HomePage | None = None
    sections: int = 0
    contributors: int = 0
    moderators: int = 0
    users_created: list[str] = field(default_factory=list)
    admin_password_set: bool = False
    images: int = 0
    makes: int = 0
    vehicle_models: int = 0
    live: int = 0
    drafts: int = 0
    scheduled: int = 0
    readers: int = 0
    # A reader account to sign in with, when the loader created it and set its password.
    reader_login: str = ""
    comments: int = 0
    votes: int = 0
    reports: int = 0
    # The article with the longest discussion, and how many visible comments it has.
    busiest_slug: str = ""
    busiest_count: int = 0


def demo_is_loaded() -> bool:
    """The demo is only ever loaded into a site that has no articles yet."""
    return ArticlePage.objects.exists()


def demo_load(*, log: Log | None = None) -> DemoReport:
    """Build the whole demo site in one transaction and return what was created."""
    log = log or (lambda _message: None)
    report = DemoReport()
    # Hashed once for every demo account: each hash costs a good part of a second.
    password = make_password(content.DEMO_PASSWORD)
    with transaction.atomic():
        groups = _groups()
        admin = _admin_user(report, password=password)
        editor = _user(content.EDITOR, groups=[groups[EDITORS]], report=report)
        _set_demo_password(editor, password)
        images = _images(uploaded_by=admin, report=report, log=log)
        home = _home_page(owner=admin, report=report, log=log)
        sections = _sections(home, owner=admin, report=report)
        writers = _contributors(content.CONTRIBUTORS, group=groups[CONTRIBUTORS], report=report)
        report.contributors = len(writers)
        moderators = _contributors(
            content.MODERATORS, group=groups[MODERATORS], report=report, password=password
        )
        report.moderators = len(moderators)
        makes, vehicle_models = _vehicles(report)
        articles = {}
        for spec in content.ARTICLES:
            articles[spec["slug"]] = _article(
                spec,
                section=sections[spec["section"]],
                writers=writers,
                editor=editor,
                images=images,
                makes=makes,
                vehicle_models=vehicle_models,
                report=report,
                log=log,
            )
        _discussion(articles, password=password, report=report, log=log)
    return report


def published_at_for(spec: dict) -> datetime:
    """The fixed publication time of an article: `days_ago` days before the base date."""
    return content.BASE_DATE - timedelta(days=spec["days_ago"]) + timedelta(hours=spec["hour"])


# --- People --------------------------------------------------------------------------------


def _groups() -> dict[str, Group]:
    # `roles.roles_ensure` gives these groups their permissions after every migrate.
    return {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (CONTRIBUTORS, EDITORS, MODERATORS)
    }


def _admin_user(report: DemoReport, *, password: str) -> AbstractBaseUser:
    """The superuser, created with the demo password (`password` is its hash)."""
    User = get_user_model()  # noqa: N806
    admin = User.objects.filter(username=content.ADMIN["username"]).first()
    if admin is None:
        admin = User.objects.create_superuser(
            username=content.ADMIN["username"], email=content.ADMIN["email"], password=None
        )
        admin.password = password
        admin.save(update_fields=["password"])
        report.users_created.append(admin.username)
        report.admin_password_set = True
    # An existing admin account keeps its password: the loader never resets credentials.
    return admin


def _user(spec: dict, *, groups: list[Group], report: DemoReport) -> AbstractBaseUser:
    User = get_user_model()  # noqa: N806
    first_name = spec.get("first_name") or spec["display_name"].split(" ", 1)[0]
    last_name = spec.get("last_name") or spec["display_name"].split(" ", 1)[-1]
    user, created = User.objects.get_or_create(
        username=spec["username"],
        defaults={
            "email": spec.get("email") or f"{spec['username']}@paddock.example",
            "first_name": first_name,
            "last_name": last_name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        report.users_created.append(user.username)
    user.groups.add(*groups)
    return user


def _set_demo_password(user: AbstractBaseUser, password: str) -> None:
    """Give a role account the demo password (`password` is its hash), so each role can be
    tried out, once only."""
    if not user.has_usable_password():
        user.password = password
        user.save(update_fields=["password"])


def _contributors(
    specs: list[dict], *, group: Group, report: DemoReport, password: str = ""
) -> dict[str, Contributor]:
    """Masthead profiles and their accounts; with `password` (a hash), accounts that can sign
    in."""
    profiles = {}
    for spec in specs:
        user = _user(spec, groups=[group], report=report)
        if password:
            _set_demo_password(user, password)
        profile, _ = Contributor.objects.get_or_create(
            user=user,
            defaults={
                "display_name": spec["display_name"],
                "country": spec["country"],
                "bio": spec["bio"],
            },
        )
        profiles[spec["username"]] = profile
    return profiles


# --- Images and vehicles -------------------------------------------------------------------


def _images(*, uploaded_by, report: DemoReport, log: Log) -> dict[str, object]:
    ImageModel = get_image_model()  # noqa: N806
    images = {}
    for index, spec in enumerate(content.IMAGES):
        image = ImageModel.objects.filter(title=spec["title"]).first()
        if image is None:
            data = render_jpeg(Scene(**spec), seed=index)
            image = ImageModel(
                title=spec["title"],
                file=ImageFile(BytesIO(data), name=f"paddock-demo-{spec['key']}.jpg"),
                file_size=len(data),
                file_hash=hash_filelike(BytesIO(data)),
                uploaded_by_user=uploaded_by,
            )
            image.save()
            report.images += 1
            log(f"  image: {spec['title']}")
        images[spec["key"]] = image
    return images


def _vehicles(report: DemoReport) -> tuple[dict[str, Make], dict[tuple[str, str], VehicleModel]]:
    makes, vehicle_models = {}, {}
    for make_name, model_names in content.MAKES.items():
        make, created = Make.objects.get_or_create(name=make_name)
        report.makes += created
        makes[make_name] = make
        for model_name in model_names:
            vehicle_model, created = VehicleModel.objects.get_or_create(make=make, name=model_name)
            report.vehicle_models += created
            vehicle_models[(make_name, model_name)] = vehicle_model
    return makes, vehicle_models


# --- Pages ---------------------------------------------------------------------------------


def _home_page(*, owner, report: DemoReport, log: Log) -> HomePage:
    """The home page becomes the default site's root, replacing Wagtail's "Welcome" page."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    home = HomePage.objects.first()
    placeholders: list[Page] = []
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's installer leaves a plain, childless Page (slug "home") under the root; any
        # such page that no other site uses is replaced.
        other_roots = Site.objects.exclude(pk=site.pk if site else None).values("root_page_id")
        placeholders = list(
            root.get_children()
            .filter(content_type=ContentType.objects.get_for_model(Page), numchild=0)
            .exclude(pk__in=other_roots)
        )
        # Free the "home" slug for the new page; the placeholders are deleted below.
        for page in placeholders:
            Page.objects.filter(pk=page.pk).update(slug=f"{page.slug}-replaced-{page.pk}")
        home = HomePage(
            title=content.HOME["title"],
            slug="home",
            tagline=content.HOME["tagline"],
            owner=owner,
            live=False,
        )
        root.add_child(instance=home)
        home.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    report.home = home

    if site is None:
        site = Site(hostname="127.0.0.1", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = content.SITE_NAME
    site.save()

    # Deleting a site's root page would delete the site, so this waits until it points home.
    for page in placeholders:
        log(f"  replaced Wagtail's placeholder page {page.title!r}")
        page.delete()
    return home


def _sections(home: HomePage, *, owner, report: DemoReport) -> dict[str, SectionPage]:
    existing = {page.slug: page for page in SectionPage.objects.child_of(home)}
    sections = {}
    for spec in content.SECTIONS:
        section = existing.get(spec["slug"])
        if section is None:
            section = SectionPage(
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                show_in_menus=True,
                owner=owner,
                live=False,
            )
            home.add_child(instance=section)
            section.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
            report.sections += 1
        sections[spec["slug"]] = section
    return sections


def _article(
    spec: dict,
    *,
    section: SectionPage,
    writers: dict[str, Contributor],
    editor,
    images: dict,
    makes: dict[str, Make],
    vehicle_models: dict[tuple[str, str], VehicleModel],
    report: DemoReport,
    log: Log,
) -> ArticlePage:
    status = spec.get("status", "live")
    authors = [writers[username] for username in spec["authors"]]
    if status == "scheduled":
        go_live_at = timezone.now().replace(microsecond=0) + timedelta(days=spec["days_ahead"])
        published_at = go_live_at
    else:
        go_live_at = None
        published_at = published_at_for(spec) if status == "live" else None

    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        body=_compact(spec["body"]),
        lead_image=images.get(spec["image"]) if spec.get("image") else None,
        lead_image_caption=spec.get("caption", ""),
        published_at=published_at,
        # So the admin's listings date the article as the newsroom did, not as the loader ran.
        first_published_at=published_at if status == "live" else None,
        go_live_at=go_live_at,
        owner=authors[0].user,
        live=False,
        authors=[
            ArticleAuthor(contributor=author, sort_order=i) for i, author in enumerate(authors)
        ],
        sources=[
            ArticleSource(name=name, url=url, subscription_required=sub, sort_order=i)
            for i, (name, url, sub) in enumerate(spec["sources"])
        ],
        makes=[makes[name] for name in spec["makes"]],
        vehicle_models=[vehicle_models[key] for key in spec["models"]],
    )
    article.tags.add(*spec["tags"])
    section.add_child(instance=article)

    # Writers write, the editor publishes: the revision history reads like a newsroom's.
    revision = article.save_revision(user=authors[0].user)
    if status == "draft":
        report.drafts += 1
    else:
        revision.publish(user=editor, skip_permission_checks=True)
        if status == "scheduled":
            report.scheduled += 1
        else:
            report.live += 1
    log(f"  {status:9} {section.title:10} {spec['title'][:70]}")
    return article


_SPACE_BEFORE_BLOCK = re.compile(r">\s+<(?=/?(?:p|h2|h3|ul|ol|li|blockquote)>)")


def _compact(html: str) -> str:
    """Join the hand-wrapped lines of `content`'s HTML into the one-line form editors save."""
    joined = " ".join(line.strip() for line in html.strip().splitlines())
    return _SPACE_BEFORE_BLOCK.sub("><", joined)


# --- Readers and their discussion ----------------------------------------------------------

# How many readers vote on a comment: most get a handful, a few draw a crowd.
_VOTES_ORDINARY = (0, 0, 0, 1, 1, 1, 2, 2, 3, 5)
_VOTES_BIG_TOP = (0, 1, 2, 3, 4, 5, 7, 9, 12, 16, 22, 30)
_VOTES_BIG_REPLY = (0, 0, 1, 1, 2, 3, 4, 6, 9)
# The share of up votes a comment gets: readers like most comments, and argue over some.
_UP_SHARES = (0.95, 0.85, 0.75, 0.6, 0.4)
_SIDES = ("for", "against")
_OTHER_SIDE = {"for": "against", "against": "for"}


@dataclass(eq=False)
class _Plan:
    """A comment to write: by whom, what, under which comment and when."""

    body: str
    author: AbstractBaseUser
    at: datetime
    parent: _Plan | None = None
    # False: nobody votes on it (the reference page's comments); "down": readers vote it down.
    votes: bool | str = True
    # The long discussion's comments take a side on a topic, and replies take them up.
    topic: str = ""
    side: str = ""
    heated: bool = False
    comment: Comment | None = None
    depth: int = field(init=False)
    root: _Plan = field(init=False)

    def __post_init__(self) -> None:
        self.depth = 0 if self.parent is None else self.parent.depth + 1
        self.root = self if self.parent is None else self.parent.root


def _discussion(
    articles: dict[str, ArticlePage], *, password: str, report: DemoReport, log: Log
) -> None:
    """Readers, their comments on most live articles, their votes and a few reports.

    Ordinary discussions go through the comment services, as a reader's would; the one long
    discussion is written in bulk (a few queries instead of thousands) with every field the
    services would fill. Comments, votes and reports are then dated after what they answer.
    """
    now = timezone.now()
    # Fresh from the database: publishing went through revisions, not these instances.
    live = ArticlePage.objects.published().filter(pk__in=[a.pk for a in articles.values()])
    articles = {article.slug: article for article in live}
    readers = _readers(report, password=password)
    rng = _rng("discussion")
    # Some readers comment far more than others.
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 5)) for _ in readers]
    usage: Counter[str] = Counter()
    plans_by_slug: dict[str, list[_Plan]] = {}

    for spec in content.ARTICLES:
        slug = spec["slug"]
        article = articles.get(slug)
        if article is None or slug in discussion.QUIET or slug == discussion.BIG_SLUG:
            continue
        if not comments_open(article):
            log(f"  comments: closed on {slug}")
            continue
        article_rng = _rng(slug)
        if slug == content.REFERENCE_SLUG:
            plans = _plan_reference(article, readers)
        else:
            plans = _plan_ordinary(
                spec, article, readers=readers, weights=weights, rng=article_rng, usage=usage
            )
        _settle_times(plans, article, now)
        for plan in plans:
            plan.comment = comment_create(
                user=plan.author,
                article_id=article.pk,
                body=plan.body,
                parent_id=plan.parent.comment.pk if plan.parent else None,
                # The demo's discussions are weeks and months old: nobody is emailed, and
                # moderators saw them long ago.
                notify=False,
                screen=False,
            )
        plans_by_slug[slug] = plans
        log(f"  comments: {len(plans):3} on {slug}")

    ordinary = [plan for plans in plans_by_slug.values() for plan in plans]
    for plan in ordinary:
        plan.comment.created_at = plan.at
    comments_bulk_update(comments=[plan.comment for plan in ordinary], fields=["created_at"])
    for plan in ordinary:
        _cast_votes(plan, readers, rng)

    big = articles[discussion.BIG_SLUG]
    big_rng = _rng(discussion.BIG_SLUG)
    big_plans = _plan_big(big, readers=readers, weights=weights, rng=big_rng)
    _settle_times(big_plans, big, now)
    _write_in_bulk(big, big_plans, readers=readers, rng=big_rng)
    log(f"  comments: {len(big_plans):3} on {discussion.BIG_SLUG}")

    all_plans = ordinary + big_plans
    _date_votes(all_plans, rng, now)
    report.reports = _reports(plans_by_slug, readers, rng, now)
    report.comments = len(all_plans)
    report.votes = Vote.objects.filter(comment__in=[p.comment for p in all_plans]).count()
    report.busiest_slug = discussion.BIG_SLUG
    report.busiest_count = Comment.objects.visible().filter(article=big).count()


def _rng(name: str) -> random.Random:
    """A generator of its own for each part of the discussion, so that adding comments to
    one article does not reshuffle every other."""
    return random.Random(f"{discussion.SEED}:{name}")  # noqa: S311 - demo data, not security


def _readers(report: DemoReport, *, password: str) -> list[AbstractBaseUser]:
    """The demo readers: verified email addresses, profiles and the demo password (`password`
    is its hash)."""
    User = get_user_model()  # noqa: N806
    rng = _rng("readers")
    readers = []
    for n, (name, country) in enumerate(content.READERS, start=1):
        username = f"reader-{n}"
        avatar_seed = f"{rng.getrandbits(64):016x}"
        notify = rng.random() < 0.8
        user = User.objects.filter(username=username).first()
        if user is None:
            # The post_save signal gives the new user a profile, which is then filled in.
            user = User.objects.create(
                username=username, email=f"{username}@example.com", password=password
            )
            report.users_created.append(username)
            if n == 1:
                report.reader_login = user.email
            profile = user.profile
            if not Profile.objects.filter(display_name__iexact=name).exists():
                profile.display_name = name
            profile.country = country
            profile.avatar_seed = avatar_seed
            profile.notify_replies = notify
            profile.save()
        if user.email:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        readers.append(user)
    report.readers = len(readers)
    return readers


def _settle_times(plans: list[_Plan], article: ArticlePage, now: datetime) -> None:
    """Keep every comment after its article's publication and never in the future.

    Plans are in posting order with rising times, and clamping keeps that order, so a reply
    still comes after the comment it answers.
    """
    for plan in plans:
        plan.at = max(article.published_at, min(plan.at, now))


def _pick_author(
    rng: random.Random,
    readers: list[AbstractBaseUser],
    weights: list[int],
    parent: _Plan | None,
    earlier: list[_Plan],
) -> AbstractBaseUser:
    """A reader to write the next comment: not the parent's author, often a new voice, and
    sometimes the grandparent's author answering back."""
    grandparent = parent.parent if parent is not None else None
    if (
        grandparent is not None
        and grandparent.author.pk != parent.author.pk
        and rng.random() < 0.35
    ):
        return grandparent.author
    answered = {parent.author.pk} if parent is not None else set()
    excluded = answered | {plan.author.pk for plan in earlier} if rng.random() < 0.8 else answered
    choices = [(r, w) for r, w in zip(readers, weights, strict=True) if r.pk not in excluded]
    if not choices:
        choices = [(r, w) for r, w in zip(readers, weights, strict=True) if r.pk not in answered]
    people, odds = zip(*choices, strict=True)
    return rng.choices(people, weights=odds)[0]


def _plan_reference(article: ArticlePage, readers: list[AbstractBaseUser]) -> list[_Plan]:
    """The reference page's four comments, posted in the first hours after the article."""
    plans: list[_Plan] = []
    at = article.published_at
    for (depth, reader, body), minutes in zip(
        discussion.REFERENCE_THREAD, (95, 160, 47, 212), strict=True
    ):
        at += timedelta(minutes=minutes)
        parent = _last_at_depth(plans, depth - 1)
        plans.append(_Plan(body, readers[reader - 1], at, parent, votes=False))
    return plans


def _last_at_depth(plans: list[_Plan], depth: int) -> _Plan | None:
    """The comment a scripted entry at `depth + 1` answers: the latest one at `depth`."""
    if depth < 0:
        return None
    return next(plan for plan in reversed(plans) if plan.depth == depth)


def _plan_ordinary(
    spec: dict,
    article: ArticlePage,
    *,
    readers: list[AbstractBaseUser],
    weights: list[int],
    rng: random.Random,
    usage: Counter[str],
) -> list[_Plan]:
    """Between 2 and 12 comments: the article's own discussion, then threads from the pools of
    its themes (with the replies written for them), and short replies here and there."""
    slug = spec["slug"]
    thread = discussion.THREADS.get(slug, [])
    reported = [index for s, index, *_ in discussion.REPORTS if s == slug]
    total = rng.randint(max(2, *(i + 1 for i in reported), 0), 12)
    themes = dict.fromkeys(
        [discussion.SECTION_THEMES[spec["section"]]]
        + [discussion.TAG_THEMES[t] for t in spec["tags"] if t in discussion.TAG_THEMES]
    )
    starters = {text: replies for t in themes for text, replies in discussion.THEME_THREADS[t]}
    starters |= {text: [] for text in discussion.GENERIC_COMMENTS}
    spam = {i for s, i, reason, _ in discussion.REPORTS if s == slug and reason == "spam"}

    plans: list[_Plan] = []
    used: set[str] = set()
    # Replies written for a pool comment already posted, waiting for their turn.
    waiting: list[tuple[_Plan, str]] = []
    at = article.published_at + timedelta(minutes=rng.randint(20, 240))
    for index in range(total):
        replies: list[str] = []
        if index < len(thread):
            depth, body = thread[index]
            parent = _last_at_depth(plans, depth - 1)
        elif waiting and rng.random() < 0.6:
            parent, body = waiting.pop(0)
        elif plans and rng.random() < 0.3:
            # Later comments draw more replies; threads stop a few levels down.
            open_ = [p for p in plans if p.depth < 4]
            parent = rng.choices(open_, weights=range(1, len(open_) + 1))[0]
            body, _ = _pick_text(discussion.GENERIC_REPLIES, rng, usage, used)
        else:
            parent = None
            body, reused = _pick_text(list(starters), rng, usage, used)
            replies = starters[body]
            if reused and rng.random() < 0.6:
                body = f"{body} {rng.choice(discussion.TAILS)}"
        author = _pick_author(rng, readers, weights, parent, plans)
        votes = "down" if index in spam else True
        plan = _Plan(body, author, at, parent, votes=votes)
        plans.append(plan)
        waiting += [(plan, reply) for reply in replies if rng.random() < 0.7]
        at += timedelta(minutes=4 + rng.expovariate(1 / 300))
    return plans


def _pick_text(
    pool: list[str], rng: random.Random, usage: Counter[str], used: set[str]
) -> tuple[str, bool]:
    """One of the least used texts of the pool not yet on this article, and whether another
    article already has it."""
    fresh = [text for text in pool if text not in used] or pool
    fewest = min(usage[text] for text in fresh)
    text = rng.choice([t for t in fresh if usage[t] == fewest])
    usage[text] += 1
    used.add(text)
    return text, fewest > 0


def _cast_votes(plan: _Plan, readers: list[AbstractBaseUser], rng: random.Random) -> None:
    if not plan.votes:
        return
    others = [r for r in readers if r.pk != plan.author.pk]
    up_share = 0.1 if plan.votes == "down" else rng.choice(_UP_SHARES)
    for voter in rng.sample(others, rng.choice(_VOTES_ORDINARY)):
        value = 1 if rng.random() < up_share else -1
        vote_cast(user=voter, comment_id=plan.comment.pk, value=value)


# The long discussion ----------------------------------------------------------------------


def _plan_big(
    article: ArticlePage,
    *,
    readers: list[AbstractBaseUser],
    weights: list[int],
    rng: random.Random,
) -> list[_Plan]:
    """A long argument: many threads, many replies and a few back-and-forths between two
    readers that run six to eight replies deep, all in the days after publication."""
    topics = list(discussion.BIG_TOPICS)
    bodies: set[str] = set()
    start = article.published_at
    tops: list[_Plan] = []
    count = discussion.BIG_COUNT
    for _ in range(count // 4):
        topic, side = rng.choice(topics), rng.choice(_SIDES)
        at = start + timedelta(minutes=10 + rng.expovariate(1 / (36 * 60)))
        author = _pick_author(rng, readers, weights, None, [])
        body = _unique(bodies, lambda t=topic, s=side: _big_top(rng, t, s))
        tops.append(_Plan(body, author, at, topic=topic, side=side))
    tops.sort(key=lambda plan: plan.at)
    plans = list(tops)

    # Two readers who will not let it go.
    for root in rng.sample(tops, 10):
        rival = _pick_author(rng, readers, weights, root, [])
        parent = root
        length = rng.randint(6, 8)
        for step in range(length):
            author = rival if step % 2 == 0 else root.author
            if step == length - 1 and rng.random() < 0.4:
                tone = "settle"
            else:
                tone = "heated" if step >= 2 and rng.random() < 0.6 else "disagree"
            parent = _big_reply(rng, parent, author, tone, bodies)
            plans.append(parent)

    depth_weights = {0: 4.0, 1: 2.0, 2: 1.2, 3: 0.8, 4: 0.5, 5: 0.3}
    while len(plans) < count:
        open_ = [p for p in plans if p.depth in depth_weights and p.topic]
        parent = rng.choices(open_, weights=[depth_weights[p.depth] for p in open_])[0]
        author = _pick_author(rng, readers, weights, parent, [])
        roll = rng.random()
        tone = "agree" if roll < 0.4 else "heated" if roll < 0.55 else "disagree"
        plans.append(_big_reply(rng, parent, author, tone, bodies))
    plans.sort(key=lambda plan: plan.at)
    return plans


def _unique(bodies: set[str], make: Callable[[], str]) -> str:
    body = make()
    for _ in range(20):
        if body not in bodies:
            break
        body = make()
    bodies.add(body)
    return body


def _big_top(rng: random.Random, topic: str, side: str) -> str:
    sentences = discussion.BIG_TOPICS[topic][side]
    first = rng.sample(sentences, min(len(sentences), rng.choice((1, 2, 2, 3))))
    if rng.random() < 0.3:
        first.insert(0, rng.choice(discussion.BIG_OPENERS))
    paragraphs = [" ".join(first)]
    if rng.random() < 0.3:
        other = rng.choice([t for t in discussion.BIG_TOPICS if t != topic])
        paragraphs.append(rng.choice(discussion.BIG_TOPICS[other][side]))
    if rng.random() < 0.2:
        paragraphs[-1] += " " + rng.choice(discussion.BIG_CLOSERS)
    return "\n\n".join(paragraphs)


def _big_reply(
    rng: random.Random, parent: _Plan, author: AbstractBaseUser, tone: str, bodies: set[str]
) -> _Plan:
    """A reply that agrees with its parent, argues with it (politely or not) or, at the end
    of a long argument, lets it go."""
    side = parent.side if tone == "agree" else _OTHER_SIDE[parent.side]
    topic = parent.topic if rng.random() < 0.75 else rng.choice(list(discussion.BIG_TOPICS))

    def make() -> str:
        if tone == "settle":
            return rng.choice(discussion.BIG_SETTLE)
        opener = rng.choice(
            {
                "agree": discussion.BIG_AGREE,
                "disagree": discussion.BIG_DISAGREE,
                "heated": discussion.BIG_HEATED,
            }[tone]
        )
        candidates = [s for s in discussion.BIG_TOPICS[topic][side] if s not in parent.body]
        said = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
        body = " ".join([opener, *said])
        if tone != "agree" and rng.random() < 0.2:
            body = f"> {_first_sentence(parent.body)}\n\n{body}"
        if rng.random() < 0.1:
            body += " " + rng.choice(discussion.BIG_CLOSERS)
        return body

    body = make() if tone == "settle" else _unique(bodies, make)
    at = parent.at + timedelta(minutes=3 + rng.expovariate(1 / 180))
    return _Plan(body, author, at, parent, topic=topic, side=side, heated=tone == "heated")


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.DOTALL)


def _first_sentence(body: str) -> str:
    """The first sentence of a comment's own words (quoted lines skipped), for quoting it."""
    paragraphs = [p for p in body.split("\n\n") if not p.startswith(">")]
    text = paragraphs[0] if paragraphs else body
    match = _SENTENCE.match(text)
    return (match.group(1) if match else text).strip()


def _write_in_bulk(
    article: ArticlePage,
    plans: list[_Plan],
    *,
    readers: list[AbstractBaseUser],
    rng: random.Random,
) -> None:
    """Write the long discussion with the comments' bulk insert, filling every field
    `comment_create` would, then its votes, and the vote tallies `vote_cast` would keep."""
    for plan in plans:  # in time order, so ids rise with the dates within each level
        text = markup.clean_text(plan.body)
        html = markup.render(text)
        plan.comment = Comment(
            article=article,
            parent=plan.parent.comment if plan.parent else None,
            depth=plan.depth,
            author=plan.author,
            body=text,
            body_html=html,
            body_text=markup.plain(html),
            created_at=plan.at,
        )
    comments_bulk_create(comments=[plan.comment for plan in plans])

    votes = []
    for plan in plans:
        comment = plan.comment
        others = [r for r in readers if r.pk != plan.author.pk]
        choices = _VOTES_BIG_TOP if plan.parent is None else _VOTES_BIG_REPLY
        up_share = rng.choice((0.3, 0.45, 0.55)) if plan.heated else rng.choice(_UP_SHARES)
        for voter in rng.sample(others, rng.choice(choices)):
            value = 1 if rng.random() < up_share else -1
            votes.append(Vote(comment=comment, user=voter, value=value))
            if value == 1:
                comment.upvotes += 1
            else:
                comment.downvotes += 1
        comment.score = comment.upvotes - comment.downvotes
        comment.wilson = wilson_lower_bound(comment.upvotes, comment.downvotes)
    # Votes have no bulk service: `vote_cast` is one reader's vote, with its checks and locks.
    Vote.objects.bulk_create(votes, batch_size=1000)
    comments_bulk_update(
        comments=[plan.comment for plan in plans],
        fields=["upvotes", "downvotes", "score", "wilson"],
    )


def _date_votes(plans: list[_Plan], rng: random.Random, now: datetime) -> None:
    """Votes arrive in the days after the comment they are on, never in the future."""
    dated = {plan.comment.pk: plan.at for plan in plans}
    rows = []
    votes = Vote.objects.filter(comment__in=list(dated)).order_by("pk")
    for pk, comment_id in votes.values_list("pk", "comment_id"):
        after = timedelta(minutes=rng.uniform(2, 3 * 24 * 60))
        rows.append((pk, max(dated[comment_id], min(dated[comment_id] + after, now))))
    rows_update(Vote, ["created_at"], rows)


def _reports(
    plans_by_slug: dict[str, list[_Plan]],
    readers: list[AbstractBaseUser],
    rng: random.Random,
    now: datetime,
) -> int:
    """A few reports waiting in the moderation queue, filed by readers, one per reason."""
    count = 0
    for slug, index, reason, details in discussion.REPORTS:
        plans = plans_by_slug.get(slug)
        if not plans or index >= len(plans):
            continue
        plan = plans[index]
        reporter = rng.choice([r for r in readers if r.pk != plan.author.pk])
        filed = report_create(
            user=reporter, comment_id=plan.comment.pk, reason=reason, details=details
        )
        at = min(plan.at + timedelta(minutes=rng.uniform(30, 600)), now)
        Report.objects.filter(pk=filed.pk).update(created_at=max(plan.at, at))
        count += 1
    return count
