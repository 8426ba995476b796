"""Stale-while-revalidate of the kept parts of pages (fragments.memo(..., stale_ok=True)): once
the site changed, one process makes a part again while the others serve the copy made before,
unless the change said nothing made before it may show (pagecache.invalidate(..., fresh=True)).

"Another process" is another thread here: it shares the cache, and a request's state of its own
(contextvars start empty in a new thread), as a second app process would."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache

from paddock.core import fragments, pagecache


@pytest.fixture(autouse=True)
def parts_kept(settings):
    settings.PADDOCK_FRAGMENT_CACHE = True


def elsewhere(call):
    """`call()` run as another process would: in a thread, with a request state of its own."""
    result = {}

    def run():
        result["value"] = call()
        result["stale"] = pagecache.served_stale()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result


def keep(value, made: list | None = None):
    def compute():
        if made is not None:
            made.append(value)
        return value

    return fragments.memo("part", ["site"], compute, stale_ok=True)


def lock_of(name: str) -> str:
    stamp = "-".join(str(v) for v in pagecache.versions(["site"]).values())
    return f"{fragments.LOCK_PREFIX}{name}:{stamp}"


def test_one_process_makes_the_part_again_while_the_others_serve_the_last_copy():
    assert keep("first") == "first"
    pagecache.bump("site")
    made, meanwhile = [], []

    def make_again():
        made.append("second")
        # Another process asks for the part while this one makes it.
        meanwhile.append(elsewhere(lambda: keep("made twice", made)))
        return "second"

    assert fragments.memo("part", ["site"], make_again, stale_ok=True) == "second"
    assert made == ["second"]  # made once
    assert meanwhile == [{"value": "first", "stale": True}]
    # Once made, every process gets the new copy, and nothing was served stale to them.
    assert elsewhere(lambda: keep("made again", made)) == {"value": "second", "stale": False}
    assert made == ["second"]


def test_with_no_other_process_making_it_the_part_is_made_at_once():
    assert keep("first") == "first"
    pagecache.bump("site")
    assert elsewhere(lambda: keep("second")) == {"value": "second", "stale": False}


def test_a_lock_left_by_a_process_that_stopped_does_not_stop_the_part_for_long():
    assert keep("first") == "first"
    pagecache.bump("site")
    cache.add(lock_of("part"), 1, timeout=fragments.LOCK_SECONDS)  # held, never released
    assert elsewhere(lambda: keep("second")) == {"value": "first", "stale": True}
    cache.delete(lock_of("part"))  # what its timeout does
    assert elsewhere(lambda: keep("second")) == {"value": "second", "stale": False}


def test_after_a_change_that_must_show_at_once_nothing_older_is_served():
    assert keep("first") == "first"
    pagecache.bump("site", fresh=True)  # e.g. an article unpublished
    cache.add(lock_of("part"), 1, timeout=fragments.LOCK_SECONDS)  # another process makes it
    assert elsewhere(lambda: keep("second")) == {"value": "second", "stale": False}


def test_a_copy_made_after_the_change_that_must_show_may_be_served_stale_later():
    pagecache.bump("site", fresh=True)
    assert keep("first") == "first"
    pagecache.bump("site")  # an ordinary publish
    cache.add(lock_of("part"), 1, timeout=fragments.LOCK_SECONDS)
    assert elsewhere(lambda: keep("second")) == {"value": "first", "stale": True}


def test_parts_not_marked_stale_ok_are_always_made_fresh():
    assert fragments.memo("routing", ["site"], lambda: "first") == "first"
    pagecache.bump("site")
    cache.add(lock_of("routing"), 1, timeout=fragments.LOCK_SECONDS)
    found = elsewhere(lambda: fragments.memo("routing", ["site"], lambda: "second"))
    assert found == {"value": "second", "stale": False}


def test_a_part_made_from_a_stale_part_is_not_kept():
    assert keep("first") == "first"
    pagecache.bump("site")
    cache.add(lock_of("part"), 1, timeout=fragments.LOCK_SECONDS)

    def outer():
        return fragments.memo("outer", ["site"], lambda: f"around {keep('second')}", stale_ok=True)

    assert elsewhere(outer) == {"value": "around first", "stale": True}
    cache.delete(lock_of("part"))
    assert elsewhere(outer) == {"value": "around second", "stale": False}


def test_nothing_kept_means_no_stale_part_either(settings):
    assert keep("first") == "first"
    settings.PADDOCK_FRAGMENT_CACHE = False
    pagecache.bump("site")
    cache.add(lock_of("part"), 1, timeout=fragments.LOCK_SECONDS)
    assert elsewhere(lambda: keep("second")) == {"value": "second", "stale": False}
