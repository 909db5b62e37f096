"""Django's cache: local memory by default, Redis when SAGSTILSYN_CACHE_URL is set (ADR 0005, 0006)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

REDIS_URL = "redis://127.0.0.1:6379/1"


def _cache(values: dict[str, object]) -> dict[str, object]:
    caches = values["CACHES"]
    assert isinstance(caches, dict)
    return caches["default"]  # type: ignore[no-any-return]


def test_local_memory_without_a_cache_url(
    monkeypatch: pytest.MonkeyPatch, settings_from_env: Callable[..., dict[str, object]]
) -> None:
    monkeypatch.delenv("SAGSTILSYN_CACHE_URL", raising=False)
    cache = _cache(settings_from_env())
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert _cache(settings_from_env(SAGSTILSYN_CACHE_URL=" "))["BACKEND"] == cache["BACKEND"]


def test_redis_when_the_cache_url_is_set(settings_from_env: Callable[..., dict[str, object]]) -> None:
    cache = _cache(settings_from_env(SAGSTILSYN_CACHE_URL=REDIS_URL))
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sagstilsyn",
    }


def test_a_cache_url_that_is_not_redis_is_refused(
    settings_from_env: Callable[..., dict[str, object]],
) -> None:
    with pytest.raises(ImproperlyConfigured, match="SAGSTILSYN_CACHE_URL skal være en Redis-adresse"):
        settings_from_env(SAGSTILSYN_CACHE_URL="memcached://127.0.0.1:11211")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="Redis kører ikke på 127.0.0.1:6379")
def test_the_redis_cache_stores_and_reads_values(settings_from_env: Callable[..., dict[str, object]]) -> None:
    config = _cache(settings_from_env(SAGSTILSYN_CACHE_URL=REDIS_URL))
    location = config["LOCATION"]
    assert isinstance(location, str)
    cache = RedisCache(location, {"KEY_PREFIX": f"sagstilsyn-test-{uuid.uuid4().hex}"})
    try:
        cache.set("progress", {"done": 3, "total": 10}, timeout=30)
        assert cache.get("progress") == {"done": 3, "total": 10}
    finally:
        cache.delete("progress")
        cache.close()
