import pytest

from .helpers import NOW_MS, api_for

MINUTE = 60 * 1000


@pytest.fixture
def clock():
    now = {"ms": NOW_MS}
    return now


@pytest.fixture
def cache(clock):
    api, session = api_for("post-login", now_ms=lambda: clock["ms"])
    return api.cache, session


def test_set_get_delete(cache):
    api_cache, session = cache
    assert api_cache.set("k", "v") == {"type": "success", "record": {"value": "v", "expires_at": NOW_MS + 15 * MINUTE}}
    assert api_cache.get("k") == {"value": "v", "expires_at": NOW_MS + 15 * MINUTE}
    assert session.cache == {"k": {"value": "v", "expires_at": NOW_MS + 15 * MINUTE}}
    assert api_cache.delete("k") == {"type": "success"}
    assert api_cache.get("k") is None
    assert api_cache.delete("k") == {"type": "error", "code": "CacheKeyDoesNotExist"}
    assert session.commands == [
        {"type": "cache.set", "key": "k", "value": "v", "expires_at": NOW_MS + 15 * MINUTE},
        {"type": "cache.delete", "key": "k"},
    ]


def test_key_and_value_limits(cache):
    api_cache, session = cache
    assert api_cache.set("k" * 64, "v")["type"] == "success"
    assert api_cache.set("k" * 65, "v") == {"type": "error", "code": "CacheKeySizeExceeded"}
    assert api_cache.set("é" * 33, "v") == {"type": "error", "code": "CacheKeySizeExceeded"}  # 66 bytes
    assert api_cache.set("big", "v" * 4097) == {"type": "error", "code": "CacheValueSizeExceeded"}
    assert api_cache.set("big", "v" * 4096)["type"] == "success"
    assert "big" in session.cache and ("k" * 65) not in session.cache


def test_at_most_twenty_entries(cache):
    api_cache, session = cache
    for index in range(20):
        assert api_cache.set(f"k{index}", "v")["type"] == "success"
    assert api_cache.set("k20", "v") == {"type": "error", "code": "CacheSizeExceeded"}
    assert api_cache.set("k3", "replaced")["type"] == "success"  # overwriting is not a new entry
    assert len(session.cache) == 20


def test_total_size_of_keys_and_values(cache):
    api_cache, _ = cache
    assert api_cache.set("a", "x" * 4000)["type"] == "success"
    assert api_cache.set("b", "x" * 4000)["type"] == "success"
    # 2 + 8000 bytes used; 8192 is the limit
    assert api_cache.set("c", "x" * 200) == {"type": "error", "code": "CacheSizeExceeded"}
    assert api_cache.set("c", "x" * 189)["type"] == "success"
    assert api_cache.set("a", "x" * 4000)["type"] == "success"  # replacing frees its old size


def test_ttl_and_expires_at(cache, clock):
    api_cache, _ = cache
    assert api_cache.set("t", "v", ttl=1000)["record"]["expires_at"] == NOW_MS + 1000
    assert api_cache.set("e", "v", expires_at=NOW_MS + 5000)["record"]["expires_at"] == NOW_MS + 5000
    both = api_cache.set("b", "v", {"ttl": 9000, "expires_at": NOW_MS + 2000})
    assert both["record"]["expires_at"] == NOW_MS + 2000
    both = api_cache.set("b", "v", ttl=2000, expires_at=NOW_MS + 9000)
    assert both["record"]["expires_at"] == NOW_MS + 2000
    capped = api_cache.set("long", "v", ttl=48 * 60 * MINUTE)
    assert capped["record"]["expires_at"] == NOW_MS + 24 * 60 * MINUTE


def test_expiry_errors(cache):
    api_cache, _ = cache
    assert api_cache.set("k", "v", ttl=float("nan")) == {"type": "error", "code": "InvalidExpiry"}
    assert api_cache.set("k", "v", expires_at="tomorrow") == {"type": "error", "code": "InvalidExpiry"}
    assert api_cache.set("k", "v", expires_at=2**60) == {"type": "error", "code": "InvalidExpiry"}
    assert api_cache.set("k", "v", ttl=0) == {"type": "error", "code": "ItemAlreadyExpired"}
    assert api_cache.set("k", "v", expires_at=NOW_MS - 1) == {"type": "error", "code": "ItemAlreadyExpired"}


def test_expired_entries_are_invisible(cache, clock):
    api_cache, session = cache
    api_cache.set("short", "v", ttl=1000)
    for index in range(19):
        api_cache.set(f"k{index}", "v", ttl=10 * MINUTE)
    clock["ms"] += 1000
    assert api_cache.get("short") is None
    assert api_cache.delete("short") == {"type": "error", "code": "CacheKeyDoesNotExist"}
    assert api_cache.set("new", "v")["type"] == "success"  # the expired entry no longer counts
    assert "short" not in session.cache


def test_cache_from_the_session_is_shared(clock):
    api, session = api_for(
        "event-stream", cache={"seen": {"value": "1", "expires_at": NOW_MS + 10}}, now_ms=lambda: clock["ms"]
    )
    assert api.cache.get("seen") == {"value": "1", "expires_at": NOW_MS + 10}


def test_keys_and_values_must_be_strings(cache):
    api_cache, _ = cache
    with pytest.raises(TypeError):
        api_cache.set("k", 5)
    with pytest.raises(TypeError):
        api_cache.set(5, "v")
