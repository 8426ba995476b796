"""Stock WordPress beside Paddock in bench/http_load.py: Debian's packages, the same content.

- Debian's `wordpress` and `wordpress-theme-twentytwentyone` packages, with `php-fpm`,
  `php-mysql` and `php-cli`, installed when missing (apt-get, with sudo when not root). Nothing
  of WordPress is changed or added: no plugin, no page cache, opcache as Debian's PHP ships it.
- Its database `wp_bench` on the MariaDB server at --mariadb (created, dropped at the end), and
  its configuration as Debian's wp-config.php looks it up: /etc/wordpress/config-paddock-bench.php
  (chosen by the WORDPRESS_CONFIG parameter nginx passes; removed at the end). The
  configuration also turns WP-Cron off (DISABLE_WP_CRON, as a site run by cron has it) and
  blocks outgoing HTTP (WP_HTTP_BLOCK_EXTERNAL): without them a page view can start the
  update checks, which wait on the network from a PHP worker the benchmark is measuring.
- Installed with wp_install() and filled by bench/http/wp_site.php through WordPress's own
  functions: Twenty Twenty-One, pretty permalinks, the demo's sections as categories, its
  articles as 52 posts (the reference article with its 4 comments as Paddock shows them, the
  long discussion with 500 of its comments, threaded three deep, and 50 others), and the
  default widgets (recent posts and recent comments among them) in the theme's widget area.
- Served by its own php-fpm (Debian's pool settings: pm dynamic, 5 children at most) behind
  the benchmark's nginx, on 127.0.0.1 ports of its own.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "paddock" / "demo" / "data"
ABSPATH = Path("/usr/share/wordpress/")
CONFIG_NAME = "paddock-bench"
CONFIG_FILE = Path(f"/etc/wordpress/config-{CONFIG_NAME}.php")
DATABASE = "wp_bench"
PACKAGES = ["php-fpm", "php-mysql", "php-cli", "wordpress", "wordpress-theme-twentytwentyone"]
POSTS = 52
BIG_COMMENTS = 500
MAX_DEPTH = 3  # comment threads three deep
# Debian's php-fpm pool (/etc/php/*/fpm/pool.d/www.conf) as shipped.
FPM_POOL = {
    "pm": "dynamic",
    "pm.max_children": 5,
    "pm.start_servers": 2,
    "pm.min_spare_servers": 1,
    "pm.max_spare_servers": 3,
}


def _sudo() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo"]


def fpm_binary() -> str | None:
    found = sorted(Path("/usr/sbin").glob("php-fpm*"))
    return str(found[-1]) if found else None


def ensure_packages() -> None:
    """Debian's WordPress, its theme, PHP-FPM and PHP's MySQL driver, when missing."""
    theme = Path("/usr/share/wordpress/wp-content/themes/twentytwentyone/style.css")
    present = [
        (ABSPATH / "wp-settings.php").exists(),
        theme.exists(),
        fpm_binary(),
        shutil.which("php"),
        list(Path("/etc/php").glob("*/mods-available/mysqli.ini")),
    ]
    if all(present):
        return
    print(f"Installing Debian's {', '.join(PACKAGES)}...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*_sudo(), "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        [*_sudo(), "apt-get", "install", "-y", "-q", "--no-install-recommends", *PACKAGES],
        check=True,
        env=env,
    )
    # Debian may start its own php-fpm service; the benchmark runs its own pool.


@dataclass
class MariaDB:
    host: str
    port: int
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> MariaDB:
        parts = urlsplit(url)
        return cls(
            parts.hostname or "127.0.0.1",
            parts.port or 3306,
            parts.username or "root",
            parts.password or "",
        )

    def sql(self, statement: str) -> str:
        command = ["mysql", "-h", self.host, "-P", str(self.port), "-u", self.user, "-N", "-B"]
        env = {**os.environ, "MYSQL_PWD": self.password}
        result = subprocess.run(
            [*command, "-e", statement], capture_output=True, text=True, env=env, timeout=60
        )
        if result.returncode:
            raise SystemExit(f"MariaDB at {self.host}:{self.port}: {result.stderr.strip()}")
        return result.stdout.strip()


def _discussion(database_url: str, slug: str, limit: int) -> list[dict]:
    """The comments of a Paddock article as its page shows them (published, oldest first), as
    WordPress comments: author, address, text and the index of the parent in the list, threads
    cut at three deep (a deeper reply hangs under its ancestor on the third level's parent)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT c.id, c.parent_id, c.body_text, coalesce(p.display_name, u.username),"
            " u.id FROM comments_comment c JOIN wagtailcore_page a ON a.id = c.article_id"
            " LEFT JOIN auth_user u ON u.id = c.author_id"
            " LEFT JOIN accounts_profile p ON p.user_id = u.id"
            " WHERE a.slug = %s AND c.status = 'published' AND NOT c.shadowed"
            " AND NOT c.is_deleted ORDER BY c.created_at, c.id LIMIT %s",
            [slug, limit],
        ).fetchall()
    index, depth, parents, comments = {}, {}, {}, []
    for n, (cid, parent_id, text, name, user_id) in enumerate(rows):
        parents[cid] = parent_id
        parent = parent_id
        while parent is not None and (parent not in index or depth[parent] >= MAX_DEPTH):
            parent = parents.get(parent)
        index[cid] = n
        depth[cid] = 1 if parent is None else depth[parent] + 1
        comments.append(
            {
                "author": name or "Reader",
                "email": f"reader-{user_id or 0}@example.com",
                "text": text,
                "parent": -1 if parent is None else index[parent],
            }
        )
    return comments


def site_content(database_url: str, reference_slug: str, big_slug: str, host: str) -> dict:
    """What wp_site.php writes: the demo's sections, 52 posts from its articles, comments."""
    articles = json.loads((DATA / "articles.json").read_text())
    posts = []
    specs = [a for a in articles["articles"] if a.get("status", "live") == "live"]
    others = [a for a in specs if a["slug"] not in (reference_slug, big_slug)]
    chosen = [a for a in specs if a["slug"] in (reference_slug, big_slug)]
    copy = 0
    while len(chosen) < POSTS:
        for spec in others:
            if len(chosen) == POSTS:
                break
            if copy == 0:
                chosen.append(spec)
            else:
                chosen.append(
                    spec
                    | {
                        "slug": f"{spec['slug']}-{copy + 1}",
                        "title": f"{spec['title']} ({copy + 1})",
                        "days_ago": spec["days_ago"] + 45 * copy,
                    }
                )
        copy += 1
    for spec in chosen:
        if spec["slug"] == reference_slug:
            comments = _discussion(database_url, reference_slug, 1000)
        elif spec["slug"] == big_slug:
            comments = _discussion(database_url, big_slug, BIG_COMMENTS)
        else:
            comments = []
        posts.append(
            {
                "slug": spec["slug"],
                "title": spec["title"],
                "excerpt": spec["standfirst"],
                "content": spec["body"].strip(),
                "categories": [spec["section"]],
                "tags": spec["tags"],
                "days_ago": spec["days_ago"] + spec.get("hour", 9) / 24,
                "comments": comments,
            }
        )
    return {
        "host": host,
        "config": CONFIG_NAME,
        "abspath": str(ABSPATH) + "/",
        "title": articles["site_name"],
        "categories": {s["slug"]: s["title"] for s in articles["sections"]},
        "posts": posts,
    }


def write_config(db: MariaDB, home: str, work: Path) -> None:
    """/etc/wordpress/config-paddock-bench.php, read by www-data's PHP workers."""
    salts = "".join(
        f"define('{name}', '{secrets.token_hex(32)}');\n"
        for name in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    text = (
        "<?php\n// Written by Paddock's bench/http_load.py for its WordPress; removed at its end.\n"
        f"define('DB_NAME', '{DATABASE}');\n"
        f"define('DB_USER', '{db.user}');\n"
        f"define('DB_PASSWORD', '{db.password}');\n"
        f"define('DB_HOST', '{db.host}:{db.port}');\n"
        "define('DB_CHARSET', 'utf8mb4');\n"
        f"define('WP_HOME', '{home}');\n"
        f"define('WP_SITEURL', '{home}');\n"
        "define('DISABLE_WP_CRON', true);\n"
        "define('WP_HTTP_BLOCK_EXTERNAL', true);\n"
        f"{salts}"
    )
    tmp = work / f"config-{CONFIG_NAME}.php"
    tmp.write_text(text)
    group = "www-data" if _group_exists("www-data") else "root"
    subprocess.run(
        [*_sudo(), "install", "-m", "0640", "-o", "root", "-g", group, str(tmp), str(CONFIG_FILE)],
        check=True,
    )
    tmp.unlink()


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def install(db: MariaDB, site: dict, work: Path) -> dict:
    """A fresh wp_bench database, wp_install(), then the content; returns wp_site.php's report
    (each post's address and comment count, the theme, the version)."""
    drop(db)
    db.sql(f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    path = work / "wp-site.json"
    path.write_text(json.dumps(site))
    out = {}
    for mode in ("install", "content"):
        result = subprocess.run(
            ["php", str(HERE / "wp_site.php"), mode, str(path)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        lines = result.stdout.strip().splitlines()
        if result.returncode or not lines or not lines[-1].startswith("{"):
            raise SystemExit(
                f"WordPress {mode} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
        out = json.loads(lines[-1])
    return out


def drop(db: MariaDB) -> None:
    db.sql(f"DROP DATABASE IF EXISTS {DATABASE}")


def remove_config() -> None:
    if CONFIG_FILE.exists():
        subprocess.run([*_sudo(), "rm", "-f", str(CONFIG_FILE)], check=False)


def start_fpm(work: Path, port: int) -> subprocess.Popen:
    """php-fpm with Debian's php.ini and extensions, one pool on 127.0.0.1:port."""
    conf = work / "php-fpm.conf"
    user = "user = www-data\ngroup = www-data\n" if os.geteuid() == 0 else ""
    pool = "".join(f"{key} = {value}\n" for key, value in FPM_POOL.items())
    conf.write_text(
        f"[global]\npid = {work}/php-fpm.pid\nerror_log = {work}/php-fpm.log\n"
        f"daemonize = no\n\n[wordpress]\n{user}listen = 127.0.0.1:{port}\n{pool}"
    )
    process = subprocess.Popen(
        [fpm_binary(), "--nodaemonize", "--fpm-config", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=(work / "php-fpm.out").open("ab"),
    )
    deadline = time.monotonic() + 20
    while not (work / "php-fpm.pid").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"php-fpm did not start; see {work}/php-fpm.log")
        time.sleep(0.1)
    return process


def nginx_server(port: int, fpm_port: int) -> str:
    """The server block for WordPress, as its documentation gives it for nginx."""
    return f"""
    server {{
        listen 127.0.0.1:{port};
        root {ABSPATH};
        index index.php;
        location / {{ try_files $uri $uri/ /index.php?$args; }}
        location /wp-content/ {{ alias /var/lib/wordpress/wp-content/; }}
        location ~ \\.php$ {{
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            # Debian's fastcgi_params gives HTTP_HOST without the port, which WordPress's
            # canonical redirect then adds back, forever.
            fastcgi_param HTTP_HOST $host:$server_port;
            fastcgi_param WORDPRESS_CONFIG {CONFIG_NAME};
            fastcgi_pass 127.0.0.1:{fpm_port};
        }}
    }}
"""


def versions(db: MariaDB, wp_version: str) -> str:
    php = subprocess.run(["php", "-v"], capture_output=True, text=True, check=False).stdout
    php_version = php.split()[1] if php else "?"
    opcache = "?"
    binary = fpm_binary()
    if binary:
        info = subprocess.run([binary, "-i"], capture_output=True, text=True, check=False).stdout
        match = re.search(r"^opcache\.enable => (\w+)", info, re.MULTILINE)
        opcache = match.group(1) if match else "not loaded"
    mariadb = db.sql("SELECT VERSION()")
    return f"WordPress {wp_version}; PHP {php_version} (FPM, opcache {opcache}); MariaDB {mariadb}"


def queries(site_json: Path, path: str) -> int:
    """The SQL statements of one anonymous view of `path` (wp_site.php's SAVEQUERIES count)."""
    result = subprocess.run(
        ["php", str(HERE / "wp_site.php"), "queries", str(site_json), path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode or not lines or not lines[-1].startswith("{"):
        raise SystemExit(f"Counting WordPress's queries on {path} failed:\n{result.stderr[-2000:]}")
    data = json.loads(lines[-1])
    if not data["bytes"]:
        raise SystemExit(f"WordPress rendered nothing for {path}.")
    return data["queries"]


def check_pages(base_url: str, paths: dict[str, str], expected: dict[str, int]) -> dict[str, int]:
    """Each page answers 200 with the recent comments widget; articles show their comments.
    Returns the size of each page in bytes."""
    import urllib.request

    sizes = {}
    for name, path in paths.items():
        with urllib.request.urlopen(base_url + path, timeout=60) as response:
            html = response.read().decode()
            if response.status != 200:
                raise SystemExit(f"WordPress answered {response.status} for {path}")
        if "wp-block-latest-comments__comment" not in html:
            raise SystemExit(f"WordPress's {path} shows no recent comments widget.")
        shown = html.count('class="comment-body"')
        if name in expected and shown != expected[name]:
            raise SystemExit(f"WordPress's {path} shows {shown} comments, not {expected[name]}.")
        sizes[name] = len(html.encode())
    return sizes
