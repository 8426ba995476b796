"""WSGI entry point, served by gunicorn in `make run` and in production.

Django's application sits behind the full-page cache's own WSGI layer, which answers an
anonymous reader's cache hit without Django's handler (paddock/core/pagecache.py).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")  # before anything reads it

from django.core.wsgi import get_wsgi_application  # noqa: E402

from paddock.core.pagecache import PageCacheApp  # noqa: E402

application = PageCacheApp(get_wsgi_application())
