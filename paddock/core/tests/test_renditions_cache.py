"""Wagtail's renditions cache (core.cache.WrittenOnceCache): Wagtail writes a rendition to the
cache each time it is asked for one; a key this process wrote lately is not written again,
while reads and deletes go to the default cache as they are."""

from __future__ import annotations

from django.core.cache import cache, caches


def test_a_key_written_lately_is_not_written_again_until_deleted(monkeypatch):
    renditions = caches["renditions"]
    writes = []
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda *a, **k: writes.append(a[0]) or real_set(*a, **k))
    for _ in range(3):
        renditions.set("r:1", "first")
    assert writes == ["r:1"] and renditions.get("r:1") == "first" == cache.get("r:1")
    renditions.delete("r:1")  # Wagtail deletes a rendition's key when it deletes it
    assert renditions.get("r:1") is None
    renditions.set("r:1", "second")
    assert writes == ["r:1", "r:1"] and cache.get("r:1") == "second"


def test_a_key_deleted_elsewhere_is_read_as_missing_never_from_a_copy_here():
    renditions = caches["renditions"]
    renditions.set("r:2", "first")
    cache.delete("r:2")  # another process deleted the rendition
    renditions.set("r:2", "first")  # not written again so soon...
    assert renditions.get("r:2") is None  # ...so it is read from the database: no stale copy


def test_set_many_writes_only_what_is_due(monkeypatch):
    renditions = caches["renditions"]
    renditions.set("r:3", "a")
    written = []
    real = cache.set_many
    monkeypatch.setattr(
        cache, "set_many", lambda data, *a, **k: written.append(sorted(data)) or real(data, *a, **k)
    )
    renditions.set_many({"r:3": "a", "r:4": "b"})
    assert written == [["r:4"]]
    assert renditions.get_many(["r:3", "r:4"]) == {"r:3": "a", "r:4": "b"}
