"""The shared cache (Redis), failing open.

The cache holds what can be rebuilt (published guidance, API throttle counters): when
Redis is down, a read misses and a write is dropped, so requests still succeed (guidance
comes from the database, throttling lapses) instead of answering 500. Socket timeouts in
settings keep a hung Redis from holding a request.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _warn(operation: str) -> None:
    logger.warning("Cache unavailable (%s): carrying on without it", operation, exc_info=True)


class FailOpenRedisCache(RedisCache):
    def ping(self) -> bool:
        """For /healthz: raises when Redis is down, unlike every other method here."""
        return self._cache.get_client(write=True).ping()

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            _warn("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            _warn("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            _warn("has_key")
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            _warn("add")
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            _warn("set")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            _warn("set_many")
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            _warn("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            _warn("delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError:
            _warn("delete_many")

    def clear(self):
        try:
            return super().clear()
        except RedisError:
            _warn("clear")
            return False
