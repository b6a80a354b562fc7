"""The compressed-body cache keeps versioned files only, and only so many."""
from web.compression import VersionedCache


def test_cache_skips_unversioned_keys_and_stops_at_its_limit():
    cache = VersionedCache()
    cache.set("br;", b"callback")
    assert cache.get("br;") is None
    for i in range(VersionedCache.LIMIT + 50):
        cache.set(f"br;/assets/x.js?m={i}", b"x")
    assert len(cache.bodies) == VersionedCache.LIMIT
    assert cache.get("br;/assets/x.js?m=0") == b"x"
    assert cache.get(f"br;/assets/x.js?m={VersionedCache.LIMIT}") is None
