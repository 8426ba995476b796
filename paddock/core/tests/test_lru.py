"""The process's bounded least-recently-used store (paddock/core/lru.py)."""

from __future__ import annotations

from paddock.core.lru import SizedLRU


def test_the_least_recently_used_go_first_within_the_number_and_the_bytes():
    kept: SizedLRU[str] = SizedLRU(len)
    for key in "abc":
        kept.put(key, key * 10, max_entries=3, max_bytes=100)
    assert kept.get("a") == "a" * 10  # now the most recently used
    kept.put("d", "d" * 10, max_entries=3, max_bytes=100)
    assert kept.get("b") is None and len(kept) == 3
    kept.put("e", "e" * 75, max_entries=3, max_bytes=100)
    # Four entries, 105 bytes: the least recently used (c) goes, and that is enough.
    assert [kept.get(key) is not None for key in "acde"] == [True, False, True, True]
    assert kept.bytes == 95
    kept.put("f", "f" * 101, max_entries=3, max_bytes=100)  # over the bounds alone: not kept
    assert kept.get("f") is None and kept.bytes == 95
    kept.put("g", "g" * 60, max_entries=3, max_bytes=100)  # its bytes push the three others out
    assert [kept.get(key) is not None for key in "adeg"] == [False, False, False, True]


def test_a_value_is_dropped_only_while_it_is_the_one_kept():
    kept: SizedLRU[str] = SizedLRU(len)
    first = "x" * 4
    kept.put("k", first, max_entries=2, max_bytes=100)
    fresher = "y" * 5
    kept.put("k", fresher, max_entries=2, max_bytes=100)
    kept.drop("k", first)
    assert kept.get("k") == fresher and kept.bytes == 5
    kept.drop("k", fresher)
    assert kept.get("k") is None and kept.bytes == 0 and len(kept) == 0
