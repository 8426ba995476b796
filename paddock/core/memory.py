"""How an app process's C library keeps the memory a render frees, and how often its garbage
collector looks for cycles.

A page's markup is built in strings of hundreds of kilobytes (a long discussion's, 700 KB, and
its encoded copy beside it). glibc's malloc, as it comes, hands the top of its heap back to
the kernel once more than twice its largest block so far lies free there; a worker serving one
render after another grew its heap again at each one, and the kernel mapped and zeroed the same
megabytes anew: 630 page faults and 2 ms of system time for the long discussion's page, an
eighth of what the machine spent answering it. With blocks of up to MMAP_THRESHOLD taken from
the heap and up to TRIM_THRESHOLD of it left free for the next render, there are none; a worker
keeps that much more memory at most.

A render's objects are freed by their reference counts as soon as nothing holds them, unless
they hold each other in a cycle: then only the garbage collector frees them, and a worker
walked some 200 such objects left by each article's render (the request and what middleware
hung on it, the template context, the page's models) in a collection every hundred renders,
3% of its time. Django's authentication, messages and htmx middleware each hang on the
request an object pointing back at it: a `FreeingRequest` (what core.handler serves) lets go
of all that once its response is closed. The template backend (core.template_backend) and the
page shells (core.shells) empty each template context they made once it has rendered.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

from django.core.handlers.wsgi import WSGIRequest

MMAP_THRESHOLD = 8 * 1024 * 1024
TRIM_THRESHOLD = 32 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # malloc.h


def keep_freed_memory() -> bool:
    """Set glibc's two thresholds for this process (each also stops glibc from moving the
    other as blocks are freed); False where the C library has no mallopt or refuses them."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


# Python's collector looks for unreachable cycles among the young objects once the objects
# made exceed those freed by GC_THRESHOLD (700 as Python comes), and through everything the
# process holds when enough has survived to the oldest generation.
GC_THRESHOLD = 20_000


def settle_heap() -> None:
    """For a process that has loaded the app: what it made to start is frozen (Python's
    collector never walks it again), and the young generation's threshold raised to
    GC_THRESHOLD. A render frees nearly all it makes through reference counts, so young
    collections are rare either way (counted over 2,400 renders in one process: about twenty,
    of some 6 ms each, at 700 as at 20,000); the full pass through a worker's start-up heap (a
    few hundred thousand objects) took 70-140 ms a time, and with that heap frozen it walks
    only what was made since."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


# What a closed request keeps: plain values, which point at nothing that points back (for a
# log line or an error report made after the response).
_KEPT = frozenset({"environ", "META", "path", "path_info", "method", "content_type"})


class FreeingRequest(WSGIRequest):
    """A request that forgets, once its response is closed, everything middleware and views
    hung on it (the user, the session, the messages, the page routed to…), so that none of it
    waits for the garbage collector in a cycle through the request."""

    def close(self) -> None:
        super().close()
        held = self.__dict__
        kept = {name: held[name] for name in _KEPT if name in held}
        held.clear()
        held.update(kept)
