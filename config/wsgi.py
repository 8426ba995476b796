"""WSGI entry point, served by gunicorn in `make run` and in production.

Django's application sits behind the full-page cache's own WSGI layer, which answers an
anonymous reader's cache hit without Django's handler (paddock/core/pagecache.py). Each
process keeps the memory its renders free for the next, and its garbage collector looks past
what it made to start; its requests let go of what hung on them once answered, so a render
leaves nothing for that collector (paddock/core/memory.py), and each address is resolved to
its view once (paddock/core/handler.py).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")  # before anything reads it

import django  # noqa: E402

django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does

from paddock.core.handler import Handler  # noqa: E402
from paddock.core.memory import keep_freed_memory, settle_heap  # noqa: E402
from paddock.core.pagecache import PageCacheApp  # noqa: E402

keep_freed_memory()  # a render's large strings reuse the heap the last one freed
application = PageCacheApp(Handler())
settle_heap()  # start-up's objects out of the garbage collector's way
