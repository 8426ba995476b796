"""Security headers on every answer: pages rendered by Django, pages answered from the
full-page cache (in front of Django) and from nginx's cache, the admin with its own policy;
`check --deploy` silent with the README's production settings; and, in a real browser, pages
and the Wagtail admin that run under the policy without a single violation."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from paddock.accounts.tests.factories import ReaderFactory
from paddock.comments.services import comment_create
from paddock.core.forms import SALT as STAMP_SALT
from paddock.core.tests.test_pagecache import wsgi  # noqa: F401 - a fixture
from paddock.newsroom.tests.factories import make_article, make_section
from tests.browser.sessions import signed_in

ROOT = Path(__file__).resolve().parents[2]

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
FEATURES_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_site_headers(headers, *, frame_options: str = "DENY") -> None:
    for name, value in {**COMMON, "X-Frame-Options": frame_options}.items():
        assert headers[name] == value, name
    for feature in FEATURES_OFF:
        assert feature in headers["Permissions-Policy"]
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]


@pytest.fixture
def article(db):
    return make_article(make_section("Industry"), title="Plants follow buyers")


@pytest.fixture
def page_cache(settings, tmp_path):
    # On, as in production: a stored page must keep the headers it was rendered with.
    settings.PADDOCK_PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="editor", email="editor@example.com", password="Editor-pass-4471"
    )


@pytest.mark.django_db
def test_the_home_page_and_an_account_page_carry_the_headers(article):
    assert_site_headers(Client().get("/").headers)
    reader = Client()
    reader.force_login(ReaderFactory())
    response = reader.get("/accounts/profile/")
    assert response.status_code == 200
    assert_site_headers(response.headers)
    assert_site_headers(Client().get("/accounts/login/").headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_an_article_carries_the_headers_on_a_miss_and_on_a_hit(article):
    miss = Client().get(article.url)
    hit = Client().get(article.url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("MISS", "HIT")
    assert_site_headers(miss.headers)
    assert_site_headers(hit.headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_a_hit_answered_in_front_of_django_carries_the_headers(article, wsgi):  # noqa: F811
    miss = wsgi(article.url)
    hit = wsgi(article.url)
    assert (miss.state, hit.state) == ("MISS", "HIT") and not hit.by_django
    assert_site_headers(miss.headers)
    assert_site_headers(hit.headers)


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(editor):
    login = Client().get("/admin/login/")
    client = Client()
    client.force_login(editor)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    for response in (login, dashboard):
        policy = directives(response["Content-Security-Policy"])
        # Wagtail's widgets start with inline scripts: no other source of scripts, and no eval.
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_nginx_sends_the_policy_the_app_sends():
    conf = (ROOT / "deploy/nginx/paddock.conf").read_text()

    def value(variable: str) -> str:
        return re.search(rf'map \$host \${variable} \{{\s*default "([^"]+)";', conf).group(1)

    nginx_policy, features = value("paddock_csp_site"), value("paddock_permissions_policy")
    response = Client().get("/robots.txt")
    assert directives(nginx_policy) == directives(response["Content-Security-Policy"])
    assert features == response["Permissions-Policy"]


def test_hsts_is_configured_by_the_environment(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PADDOCK_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["3600", "True", "True"], result.stderr


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/robots.txt", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert "Strict-Transport-Security" not in Client().get("/robots.txt")  # not over HTTP


@pytest.mark.django_db
def test_uploads_served_by_the_app_run_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "upload.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    response = Client().get("/media/upload.svg")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"] and "sandbox" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    conf = (ROOT / "deploy/nginx/paddock.conf").read_text()
    assert f'default "{response["Content-Security-Policy"]}";' in conf


def readme_production_settings() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- production-settings -->", 1)[1].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    values = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
    assert {"DEBUG", "SECRET_KEY", "SECURE_HSTS_SECONDS", "BEHIND_PROXY"} <= values.keys()
    return values


def test_check_deploy_is_silent_with_the_readme_production_settings(tmp_path):
    values = readme_production_settings()
    # The README's key is a placeholder the settings refuse: a real one, as the README says.
    values["SECRET_KEY"] = secrets.token_urlsafe(64)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PADDOCK_DATA_DIR": str(tmp_path / "data"),
        **values,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_readme_placeholder_key_is_refused(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PADDOCK_DATA_DIR": str(tmp_path / "data"),
        **readme_production_settings(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "secrets.token_urlsafe(64)" in result.stderr


# --- nginx in front -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> tuple[int, dict[str, list[str]]]:
    try:
        response = urllib.request.urlopen(url, timeout=10)  # noqa: S310 - a local URL
    except urllib.error.HTTPError as error:
        response = error
    headers: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        headers.setdefault(name.lower(), []).append(value)
    body = response.read()
    if response.status >= 500:
        print(body.decode(errors="replace")[:3000])
    return response.status, headers


@pytest.fixture
def nginx(live_server):
    """deploy/nginx/paddock.conf, rendered as its README says, in front of the live server."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    # Not under pytest's own temporary folder, which nginx's workers (www-data) cannot enter.
    work = Path(tempfile.mkdtemp(prefix="paddock-nginx-"))
    for sub in ("tmp", "cache", "static/js", "media"):
        (work / sub).mkdir(parents=True)
    (work / "static/js/site.js").write_text("// static\n")
    (work / "media/upload.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    port = _free_port()
    values = {
        "PADDOCK_LISTEN": f"127.0.0.1:{port}",
        "PADDOCK_SERVER_NAME": "127.0.0.1",
        "PADDOCK_UPSTREAMS": f"server {live_server.url.removeprefix('http://')};",
        "PADDOCK_CACHE_DIR": str(work / "cache"),
        "PADDOCK_STATIC_ROOT": str(work / "static"),
        "PADDOCK_MEDIA_ROOT": str(work / "media"),
    }
    conf = (ROOT / "deploy/nginx/paddock.conf").read_text()
    (work / "paddock.conf").write_text(
        re.sub(r"\$\{(PADDOCK_[A-Z_]+)\}", lambda m: values[m.group(1)], conf)
    )
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    tmp = work / "tmp"
    (work / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {work}/paddock.conf;
}}
"""
    )
    for path in [*work.rglob("*"), work]:
        path.chmod(0o777 if path.is_dir() else 0o644)
    command = ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work)]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(command, check=True, timeout=30)  # the master daemonises
    deadline = time.monotonic() + 10
    while not (work / "nginx.pid").exists():
        assert time.monotonic() < deadline, (work / "error.log").read_text()
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([*command, "-s", "stop"], check=False, timeout=30)
        print((work / "error.log").read_text())
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("page_cache")
def test_nginx_answers_carry_the_headers_once_cached_or_not(nginx, article):
    answers = [_fetch(nginx + article.url) for _ in range(3)]
    assert [status for status, _ in answers] == [200, 200, 200]
    assert answers[0][1]["x-cache-status"] == ["MISS"]
    assert answers[-1][1]["x-cache-status"] == ["HIT"]
    for _, headers in answers:
        # Each header once: the app's, kept by nginx's cache, never doubled by nginx's own.
        assert headers["content-security-policy"] == answers[0][1]["content-security-policy"]
        flat = {name: values[0] for name, values in headers.items() if len(values) == 1}
        assert {name.lower() for name in COMMON} | {"permissions-policy"} <= flat.keys()
        assert_site_headers({name.title(): value for name, value in flat.items()})
    # An answer nginx makes itself (a body over client_max_body_size) gets them from nginx.
    connection = http.client.HTTPConnection(nginx.removeprefix("http://"), timeout=10)
    connection.putrequest("POST", "/newsletter/")
    connection.putheader("Content-Length", str(50 * 1024 * 1024))
    connection.endheaders()
    own = connection.getresponse()
    assert own.status == 413
    assert_site_headers({name: own.headers[name] for name in own.headers})
    connection.close()
    status, static = _fetch(nginx + "/static/js/site.js")
    assert status == 200 and static["x-content-type-options"] == ["nosniff"]
    assert len(static["content-security-policy"]) == 1
    status, media = _fetch(nginx + "/media/upload.svg")
    assert status == 200
    assert "sandbox" in media["content-security-policy"][0]
    assert media["x-content-type-options"] == ["nosniff"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("page_cache")
def test_nginx_serves_a_changed_page_once_its_copy_is_out_of_date(nginx, article, settings):
    """The front keeps its copies' open files (open_file_cache): a copy nginx replaced is
    never served from the file it held open."""
    settings.PADDOCK_PAGE_CACHE_SHARED_SECONDS = 1
    url = nginx + article.url

    def read() -> tuple[str, str]:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local
            return response.headers["X-Cache-Status"], response.read().decode()

    assert read()[0] == "MISS"
    assert read()[0] == "HIT"
    line = f"Seen through the front {secrets.token_hex(4)}"
    comment_create(
        user=ReaderFactory(display_name="Front Reader"),
        article_id=article.pk,
        body=line,
        screen=False,
        notify=False,
    )
    deadline = time.monotonic() + 20
    while line not in read()[1]:
        assert time.monotonic() < deadline, "nginx kept serving the page from before the comment"
        time.sleep(0.2)
    # From then on every answer, the copies nginx serves from its cache among them, is new.
    answers = []
    for _ in range(12):
        answers.append(read())
        time.sleep(0.1)
    assert all(line in body for _, body in answers)
    assert "HIT" in {status for status, _ in answers}


# --- In a real browser --------------------------------------------------------------------


def _policed(page: Page, url: str, admin: bool = False) -> None:
    """Open `url` and check that the document came with the policy it must run under."""
    response = page.goto(url)
    policy = directives(response.headers.get("content-security-policy", "none"))
    expected = ["'self'", "'unsafe-inline'"] if admin else ["'self'"]
    assert policy.get("script-src") == expected, url


def _violations(page: Page, found: list[str]) -> None:
    def console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_and_the_admin_run_under_the_policy_in_a_browser(
    live_server,
    browser: Browser,
    article,
    editor,
    settings,
    screenshot_dir,
):
    settings.PADDOCK_FORM_MIN_SECONDS = 1
    settings.PADDOCK_NEWSLETTER_MIN_SUBMIT_SECONDS = 1
    found: list[str] = []
    base = live_server.url

    # A visitor: the cached pages' forms get their token and stamp from /csrf/ (csrf.js).
    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = visitor.new_page()
    _violations(page, found)
    _policed(page, base + "/")
    expect(page.get_by_role("heading", name=article.title).first).to_be_visible()
    _policed(page, base + article.url)
    expect(page.locator("html[data-csrf-ready]")).to_have_count(1)
    box = page.locator("#newsletter-signup")
    assert box.locator("input[name=csrfmiddlewaretoken]").input_value()
    # The page's shared stamp swapped for one bound to this browser.
    stamp = signing.loads(box.locator("input[name=started]").input_value(), salt=STAMP_SALT)
    assert stamp["f"] == "newsletter" and stamp["b"]
    _policed(page, base + "/newsletter/")
    page.get_by_label("Email address", exact=True).fill("csp@example.com")
    time.sleep(1.2)
    page.get_by_role("button", name=re.compile("Subscribe|Sign up")).click()
    expect(page).to_have_url(re.compile(r"/newsletter/check-your-inbox/$"))
    visitor.close()

    # A reader comments; htmx sends the form and puts the comment in place.
    reader = signed_in(browser, live_server, ReaderFactory(display_name="Nadia First"))
    page = reader.new_page()
    _violations(page, found)
    _policed(page, base + article.url + "#respond")
    assert page.evaluate("typeof window.htmx") == "object"
    form = page.locator("#comment-form")
    form.get_by_label("Comment").fill("Posted under a strict content security policy.")
    time.sleep(1.2)
    form.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text("Posted under a strict content security policy.")).to_be_visible()
    assert page.url.endswith("#respond")  # in place, not a new page
    page.screenshot(path=str(screenshot_dir / "csp-article.png"), full_page=True)
    reader.close()

    # An editor: the Wagtail dashboard and an article's edit page.
    admin = signed_in(browser, live_server, editor)
    page = admin.new_page()
    _violations(page, found)
    _policed(page, base + "/admin/", admin=True)
    expect(page.locator("main")).to_be_visible()
    _policed(page, base + f"/admin/pages/{article.pk}/edit/", admin=True)
    expect(page.locator("form#page-edit-form")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / "csp-admin-edit.png"), full_page=True)
    # The article as an editor sees it: the public policy, with Wagtail's user bar on top.
    _policed(page, base + article.url)
    expect(page.locator("wagtail-userbar")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    admin.close()

    assert not found, "\n".join(found)
