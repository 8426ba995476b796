"""Django settings for Paddock, read from the environment with safe defaults.

The embedded default needs nothing but this checkout: SQLite (WAL) in the data folder, the local
memory cache and the console email backend. At scale the same code runs on PostgreSQL and Redis,
chosen only by DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("PADDOCK_DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, so that its templates override allauth's own.
    "paddock.accounts",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Last, so that their post_migrate set-up finds every other app's permissions in place.
    "paddock.core",
    "paddock.newsroom",
    "paddock.pages",
    "paddock.comments",
    "paddock.moderation",
    "paddock.importers",
    "paddock.leads",
    "anymail",
    "paddock.newsletter",
    "paddock.notifications",
    # Above every other app: it loads the demo site through their services.
    "paddock.demo",
]

MIDDLEWARE = [
    # Outermost: a page is stored with the headers every other middleware gave it, which its
    # hits (answered in front of Django, config/wsgi.py) carry in turn.
    "paddock.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (paddock/core/security.py), inside the
    # page cache, so that a stored page and every hit of it carry them.
    "paddock.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The request's Wagtail site from the cache, for routing, links and redirects.
    "paddock.newsroom.memos.SiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Django's, with contexts that let go of what they hold once rendered (its module).
        "BACKEND": "paddock.core.template_backend.DjangoTemplates",
        "NAME": "django",  # as Django names its own backend: engines["django"]
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paddock.core.context_processors.site",
            ],
            # `{% url %}` with no arguments worked out once per process, `{% extends %}` with
            # the root template's blocks found once, and `truncatechars` without a walk
            # through every character (their own modules).
            "builtins": [
                "paddock.core.templatetags.kept_urls",
                "paddock.core.templatetags.kept_blocks",
                "paddock.core.templatetags.text_filters",
            ],
        },
    },
]

# Django's own widgets keep their HTML for each plain context (paddock/core/form_renderer.py).
FORM_RENDERER = "paddock.core.form_renderer.KeptWidgetsRenderer"

# --- Database -------------------------------------------------------------------------------


def _prepare_database(database: dict) -> None:
    """PostgreSQL plans each statement it is sent; planning the joins of a page's queries
    costs more than running them (0.2 to 0.6 ms each, against 0.1 ms once prepared). With the
    parameters bound by the server, psycopg prepares a statement on a connection once it has
    run DB_PREPARE_THRESHOLD times there (the ORM's SQL for one query shape is the same text
    whatever its values) and keeps the 100 most used; connections are kept
    (CONN_MAX_AGE), so a page's queries are planned once a connection. DB_PREPARE_THRESHOLD=0
    binds on the client and prepares nothing, for a pooler in transaction mode that does not
    keep prepared statements (docs/operations.md)."""
    if database.get("ENGINE") == "django.db.backends.postgresql":
        # Django's, with a health check that needs no round trip (paddock/core/postgresql).
        database["ENGINE"] = "paddock.core.postgresql"
    options = database.setdefault("OPTIONS", {})
    threshold = env.int("DB_PREPARE_THRESHOLD", default=5)
    if threshold > 0:
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", threshold)


DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'paddock.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE transactions take the write
    # lock up front, so concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for the lock, below gunicorn's worker timeout (then 503).
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
    # Kept open between requests, as on PostgreSQL: opening one and setting it up (the
    # pragmas above and Django's own) cost more than the health check's whole request.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # Tests use a file too, not SQLite's in-memory database: its shared cache locks whole
    # tables, so concurrent requests in tests would fail where the site itself would queue.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # A statement, or a wait for a lock, is cut off well before gunicorn's worker timeout
    # (gunicorn.conf.py): one blocked table then answers its requests "try again" (503 with
    # Retry-After, paddock.core.views.server_error) instead of holding every worker until
    # they are killed. Milliseconds; 0 turns one off (e.g. for a long `migrate`).
    server_options = [
        f"-c statement_timeout={env.int('DB_STATEMENT_TIMEOUT_MS', default=15_000)}",
        f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=5_000)}",
    ]
    if env.bool("PADDOCK_TESTING", default=False):
        # Tests keep nothing past their run: commits need not wait for the WAL to reach the
        # disk (2.8 ms each on this machine's PostgreSQL, 0.1 ms without), which is most of
        # what a transactional test, a flush and a live server's writes cost. What a commit
        # means to other connections is unchanged.
        server_options.append("-c synchronous_commit=off")
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", " ".join(server_options))
    _prepare_database(DATABASES["default"])
# A read replica takes only the reads that tolerate lag, and only when asked for
# (paddock/core/routers.py says which and why); every write and every other read stays on the
# primary. Tests use the primary under both names, as Django's TEST MIRROR describes.
if replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(replica_url)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    _prepare_database(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["paddock.core.routers.ReplicaRouter"]
# Request paths (prefixes) whose GET and HEAD requests read articles from the replica.
DATABASE_REPLICA_PATHS = env.list("DATABASE_REPLICA_PATHS", default=["/sitemap.xml", "/search/"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis is only ever a cache: while it cannot be reached, reads miss and pages render from
    # the database (paddock/core/cache.py). A Redis that stops answering costs a request at
    # most these timeouts, once a second.
    CACHES = {
        "default": {
            "BACKEND": "paddock.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="paddock"),
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_TIMEOUT", default=1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's copies of the kept parts of pages (paddock/core/fragments.py), in front of the
# default cache; their keys hold the versions of what they show, so a copy is never stale.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "paddock-kept-parts",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# Wagtail's renditions: the default cache, without the write Wagtail repeats each time a
# rendition is asked for (paddock/core/cache.py).
CACHES["renditions"] = {"BACKEND": "paddock.core.cache.WrittenOnceCache"}
# The full-page cache (paddock/core/pagecache.py) must be one for every app process, so that
# an invalidation reaches them all: Redis when there is one, else files in the data folder.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="paddock") + ":p"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "page-cache"),
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
)
# Rate limits (Paddock's own and allauth's) count in a store every app process shares and that
# outlives a restart: Redis when there is one, else a table in the database (created by
# core's migrations). Should it be unreachable, each process counts on its own meanwhile
# (paddock/core/limitstore.py).
CACHES["limits"] = {
    "BACKEND": "paddock.core.limitstore.LimitCache",
    "OPTIONS": {
        "STORE": (
            {
                **CACHES["default"],
                # Raises when Redis cannot be reached, so that LimitCache counts locally.
                "BACKEND": "paddock.core.cache.RedisCache",
                "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="paddock") + ":rl",
            }
            if REDIS_URL
            else {"BACKEND": "paddock.core.limitstore.DatabaseStore"}
        )
    },
}
PADDOCK_PAGE_CACHE = env.bool("PADDOCK_PAGE_CACHE", default=True)
# Parts of pages kept between renders until what they show changes (paddock/core/fragments.py):
# the menu, the sidebar, an article's story and related articles, the sites and sections.
PADDOCK_FRAGMENT_CACHE = env.bool("PADDOCK_FRAGMENT_CACHE", default=True)
# A CDN or Varnish in front is told what changed through Wagtail's frontend cache, e.g.
# FRONTEND_CACHE='{"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
# "LOCATION": "http://127.0.0.1:8080"}}' (or Cloudflare's or CloudFront's backend).
WAGTAILFRONTENDCACHE = env.json("FRONTEND_CACHE", default={})
# How long a page stays in the cache (changes invalidate it sooner; this bounds how stale its
# "2 hours ago" times and time-based states, such as comments closing with age, can get), and
# what nginx or a CDN in front is told (s-maxage, stale-while-revalidate).
PADDOCK_PAGE_CACHE_SECONDS = env.int("PADDOCK_PAGE_CACHE_SECONDS", default=300)
# Each app process also keeps the pages it served last in memory (at most this many), and
# trusts a tag version it read from the shared cache for this long: a change made through
# another process shows within that time, one made through this process at once.
PADDOCK_PAGE_CACHE_LOCAL_ENTRIES = env.int("PADDOCK_PAGE_CACHE_LOCAL_ENTRIES", default=500)
PADDOCK_PAGE_CACHE_LOCAL_SECONDS = env.float("PADDOCK_PAGE_CACHE_LOCAL_SECONDS", default=0.25)
PADDOCK_PAGE_CACHE_SHARED_SECONDS = env.int("PADDOCK_PAGE_CACHE_SHARED_SECONDS", default=10)
PADDOCK_PAGE_CACHE_STALE_SECONDS = env.int("PADDOCK_PAGE_CACHE_STALE_SECONDS", default=30)

# --- Auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- Reader accounts (django-allauth) -------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Readers verify their address before they can sign in. This is what lets sign-up answer an
# address that already has an account exactly as a new one (and mail its owner instead):
# allauth's enumeration prevention needs it, as it cannot sign the newcomer in either way.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Following the link in the browser that signed up finishes that sign-up's sign-in (and goes on
# to its `next`); anywhere else the reader signs in as usual.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("HTTP_PROTOCOL", default="http")
# Signup asks for a display name too; allauth names people by it in its pages and emails.
ACCOUNT_FORMS = {
    "login": "paddock.accounts.forms.LoginForm",
    "signup": "paddock.accounts.forms.SignupForm",
}
# Public forms carry a honeypot and refuse to be sent back sooner than this after showing.
PADDOCK_FORM_MIN_SECONDS = env.float("PADDOCK_FORM_MIN_SECONDS", default=3)
# ...and once this long has passed (their stamp, bound to the browser and the form, expires):
# the form comes back to be sent again, nothing typed lost.
PADDOCK_FORM_MAX_AGE = env.int("PADDOCK_FORM_MAX_AGE", default=4 * 3600)
ACCOUNT_USER_DISPLAY = "paddock.accounts.services.user_display"
# The account page says whether the address is verified yet; `next` still wins when given.
ACCOUNT_SIGNUP_REDIRECT_URL = "/accounts/profile/"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/accounts/profile/"
# Changing the email address asks for the password again (a borrowed session cannot take the
# account over), and the reader is emailed whenever their password or email address changes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# "amount/period/per", several separated by commas; per is ip, key (the email typed) or user.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "5/10m/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Behind a reverse proxy the client's address is in X-Forwarded-For; the limits above need it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_PROXY", default=False) else 0
)

# --- Background tasks -----------------------------------------------------------------------
# Wagtail's own housekeeping (search and reference indexes) runs inline on the default
# backend, so that a published article is searchable at once; Paddock's own work (emails,
# retraining) goes to the "background" queue that `make worker` drains: kept in Redis and run
# by RQ's workers when REDIS_URL is set, in the database otherwise.
TASKS_BACKEND = env.str(
    "TASKS_BACKEND",
    default="django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend",
)
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": TASKS_BACKEND},
}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    TASKS_REDIS_URL = env.str("TASKS_REDIS_URL", default=REDIS_URL)
    if not TASKS_REDIS_URL:
        raise environ.ImproperlyConfigured(
            "TASKS_BACKEND=django_tasks_rq.RQBackend keeps tasks in Redis: set REDIS_URL "
            "(or TASKS_REDIS_URL), e.g. redis://127.0.0.1:6379/0."
        )
    INSTALLED_APPS.append("django_rq")
    # No time limit, as with the database worker: a newsletter delivery task sends until its
    # edition is done (its claims expire on their own if the worker dies).
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": -1}}

# Periodic jobs: `manage.py run_scheduler` (started by `make run` and `make worker`) queues each
# task (a no-argument django-tasks Task, by dotted path) on the background queue every `every`
# seconds; any number of schedulers may run, each period still queues a job once.
PADDOCK_SCHEDULE = {
    "prune-task-results": {"task": "paddock.core.tasks.prune_task_results", "every": 24 * 3600},
    "anonymise-leads": {"task": "paddock.leads.tasks.anonymise_leads", "every": 3600},
    "retrain-spam-classifier": {
        "task": "paddock.moderation.tasks.retrain_classifier",
        "every": 6 * 3600,
    },
    "purge-old-spam": {"task": "paddock.moderation.tasks.purge_old_spam", "every": 24 * 3600},
    "snapshot-moderation-queue": {
        "task": "paddock.moderation.tasks.snapshot_queue",
        "every": 3600,
    },
    # Each digest goes out once per period whatever the rate; dispatch starts scheduled
    # editions and carries on sendings whose workers stopped.
    "newsletter-digests": {"task": "paddock.newsletter.tasks.send_digests", "every": 900},
    "newsletter-dispatch": {"task": "paddock.newsletter.tasks.dispatch", "every": 60},
    # Followed discussions' batches and readers' daily digests of notifications, and any
    # at-once email whose task was lost; each notification is emailed once whatever the rate.
    "notification-emails": {"task": "paddock.notifications.tasks.send_pending", "every": 300},
    "newsletter-prune-requests": {
        "task": "paddock.newsletter.tasks.prune_signup_requests",
        "every": 24 * 3600,
    },
}
PADDOCK_TASK_RESULTS_KEEP_DAYS = env.int("PADDOCK_TASK_RESULTS_KEEP_DAYS", default=14)

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Paddock <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An email provider instead of SMTP, through django-anymail: e.g.
# EMAIL_BACKEND=anymail.backends.postmark.EmailBackend and ANYMAIL='{"POSTMARK_SERVER_TOKEN":
# "...", "WEBHOOK_SECRET": "user:password"}'. Its tracking webhook then reports bounces at
# /newsletter/anymail/<provider>/tracking/ (see docs/newsletter.md).
if backend := env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = backend
ANYMAIL = env.json("ANYMAIL", default={})

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Tests start many clients: re-scanning every collected static file for each would dominate.
WHITENOISE_AUTOREFRESH = env.bool("PADDOCK_TESTING", default=False)
# With no web server in front (the embedded default) the app serves uploaded media itself.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("PADDOCK_TESTING", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page is shown in a frame, except the admin's previews (which say so themselves).
X_FRAME_OPTIONS = "DENY"
# HTTPS only, remembered by browsers for this many seconds (0: not sent). Turn it on once the
# site answers on HTTPS for good; subdomains and preloading only when all of them do too.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Scripts and styles only from the site itself, never inline: the pages' only <script> blocks
# are JSON-LD data, which browsers do not run. Embedded videos (the article body's "embed"
# feature) play in frames from PADDOCK_CSP_FRAME_SRC; the admin has its own policy below.
PADDOCK_CSP_FRAME_SRC = env.list(
    "PADDOCK_CSP_FRAME_SRC",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *PADDOCK_CSP_FRAME_SRC],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin (everything under /admin/), as Wagtail 8 needs it: its form widgets start
# themselves with inline scripts (choosers, inline panels, date pickers) and it sets inline
# styles, with no nonce to allow them by; its previews are frames of the admin itself; embed
# thumbnails come from the video sites and uploads are previewed from blob: URLs. Only signed-in
# editors see it. docs/operations.md has the details.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "frame-ancestors": ["'self'"],
    }
}
# Browser features no page of the site uses, turned off for it and any frame it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "interest-cohort": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SESSION_COOKIE_HTTPONLY = True
# A form without a valid CSRF token is refused with a page that says what to do; only the
# forms of these views (URL names), where a forged request does no harm, come back for one
# confirming click (a form from a cached page sent with JavaScript off).
CSRF_FAILURE_VIEW = "paddock.core.views.csrf_failure"
PADDOCK_CSRF_RESEND_VIEWS = ("newsletter:signup", "newsroom:search", "pages:contact_send")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Paddock")
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# The public address, when BASE_URL is set: migrate, load_demo and `manage.py site_address` put
# its hostname and port on Wagtail's default Site, which every page URL is built from
# (paddock/core/sites.py). Empty: the Site stays as set in the admin.
PADDOCK_PUBLIC_URL = env.str("BASE_URL", default="")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv", "docx", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Wagtail's default, written out: Wagtail and page URLs ask for it with getattr(…, False),
# dozens of times a page, and a setting that is absent costs an AttributeError each time.
WAGTAIL_I18N_ENABLED = False
# Gravatar is asked for avatars by the hash of each person's email address, which tells it who
# reads and who works here: off unless the site opts in; generated avatars serve instead.
PADDOCK_GRAVATAR = env.bool("PADDOCK_GRAVATAR", default=False)
WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar" if PADDOCK_GRAVATAR else None
TAGGIT_CASE_INSENSITIVE = True

# --- Paddock --------------------------------------------------------------------------------
PADDOCK_ARTICLES_PER_PAGE = env.int("PADDOCK_ARTICLES_PER_PAGE", default=12)
PADDOCK_SEARCH_MAX_LENGTH = 200
PADDOCK_COMMENTS_PER_PAGE = env.int("PADDOCK_COMMENTS_PER_PAGE", default=50)
# Comments close by themselves this many days after publication; unset: never.
PADDOCK_COMMENTS_CLOSE_AFTER_DAYS = env.int("PADDOCK_COMMENTS_CLOSE_AFTER_DAYS", default=None)
PADDOCK_COMMENT_EDIT_MINUTES = 15
# Replies deeper than this are shown under their ancestor at this depth, "in reply to" someone.
PADDOCK_COMMENT_MAX_DISPLAY_DEPTH = 5
# A page left open asks for new comments every PADDOCK_LIVE_POLL_SECONDS; nginx and CDNs keep
# the answer (the same for every reader of an article) PADDOCK_LIVE_SHARED_SECONDS.
PADDOCK_LIVE_POLL_SECONDS = env.float("PADDOCK_LIVE_POLL_SECONDS", default=5.0)
PADDOCK_LIVE_SHARED_SECONDS = env.int("PADDOCK_LIVE_SHARED_SECONDS", default=1)
# Moderation. The policy itself (thresholds, links, reports) is edited by administrators in the
# admin (Settings → Moderation policy); this is only the first-comments default it starts with.
PADDOCK_PREMODERATE_FIRST = env.int("PADDOCK_PREMODERATE_FIRST", default=1)
# Akismet is asked about every new comment when a key is set.
AKISMET_API_KEY = env.str("AKISMET_API_KEY", default="")
AKISMET_URL = env.str("AKISMET_URL", default="https://rest.akismet.com/1.1/")
# The classifier learns once it has this many examples of each kind; its weight caps how far
# it alone can push a comment's spam score.
PADDOCK_CLASSIFIER_MIN_EXAMPLES = env.int("PADDOCK_CLASSIFIER_MIN_EXAMPLES", default=20)
# The spam model shipped with Paddock (manage.py train_spam_model); empty: none until the site's
# own decisions train one.
PADDOCK_SPAM_MODEL = env.str(
    "PADDOCK_SPAM_MODEL",
    default=str(BASE_DIR / "paddock" / "moderation" / "data" / "spam_model.json"),
)
# A classifier that learned from fewer examples of either kind never holds a comment alone.
PADDOCK_CLASSIFIER_CONFIDENT_EXAMPLES = env.int(
    "PADDOCK_CLASSIFIER_CONFIDENT_EXAMPLES", default=200
)
# Newsletter (paddock/newsletter/policy.py has every default and what it means).
PADDOCK_NEWSLETTER_RATE = env.float("PADDOCK_NEWSLETTER_RATE", default=0)
PADDOCK_NEWSLETTER_BATCH_SIZE = env.int("PADDOCK_NEWSLETTER_BATCH_SIZE", default=200)
PADDOCK_NEWSLETTER_LEASE_SECONDS = env.int("PADDOCK_NEWSLETTER_LEASE_SECONDS", default=600)
PADDOCK_NEWSLETTER_PARALLEL_TASKS = env.int("PADDOCK_NEWSLETTER_PARALLEL_TASKS", default=2)
# Local hour (TIME_ZONE) of readers' daily digest of notifications (docs/notifications.md).
PADDOCK_NOTIFICATIONS_DIGEST_HOUR = env.int("PADDOCK_NOTIFICATIONS_DIGEST_HOUR", default=17)
PADDOCK_NEWSLETTER_DIGEST_HOUR = env.int("PADDOCK_NEWSLETTER_DIGEST_HOUR", default=7)
PADDOCK_NEWSLETTER_WEEKLY_DAY = env.int("PADDOCK_NEWSLETTER_WEEKLY_DAY", default=0)
PADDOCK_NEWSLETTER_POSTAL_ADDRESS = env.str("PADDOCK_NEWSLETTER_POSTAL_ADDRESS", default="")
# Where the contact form's messages are emailed; every active editor when empty.
PADDOCK_CONTACT_EMAILS = env.list("PADDOCK_CONTACT_EMAILS", default=[])
# Emails the public forms can send one address: at most one per interval, a few a day.
PADDOCK_NEWSLETTER_RESEND_SECONDS = env.int("PADDOCK_NEWSLETTER_RESEND_SECONDS", default=120)
PADDOCK_NEWSLETTER_NOTICES_PER_DAY = env.int("PADDOCK_NEWSLETTER_NOTICES_PER_DAY", default=3)
PADDOCK_NEWSLETTER_REQUEST_KEEP_DAYS = env.int("PADDOCK_NEWSLETTER_REQUEST_KEEP_DAYS", default=30)

# LOG_FORMAT=json writes one JSON object a line for a log collector; both formats carry the
# request's id (X-Request-ID from the proxy in front, else a new one).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise environ.ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "paddock.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "paddock.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Every background task logs its start and end at INFO; only problems are worth a line.
        "django_tasks": {"level": "WARNING"},
    },
}

if not DEBUG and SECRET_KEY.startswith(("django-insecure", "change-me")):
    raise environ.ImproperlyConfigured(
        "SECRET_KEY must not be an insecure development key or the README's placeholder: "
        "generate one with python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
