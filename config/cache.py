"""Django's cache: Redis, shared by every process, when REDIS_URL is set; this process's memory otherwise.

allauth keeps its sign-in rate limits in the cache, so with several gunicorn workers or machines only a
shared cache makes them limits at all.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def caches_for(redis_url: str) -> dict:
    """The CACHES setting: SharedCache on Redis when a URL is given, the local memory cache otherwise."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"default": {
        "BACKEND": "config.cache.SharedCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "hub",
        # A Redis that does not answer costs a request at most this long, and then nothing for a while.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}


class SharedCache(RedisCache):
    """Django's Redis cache, failing open: while Redis cannot be reached, reads miss, writes are dropped and
    add() succeeds, and Redis is left alone for RETRY_AFTER seconds, so nobody's sign-in waits on it or
    fails for it. The rate limits lapse until Redis is back; the log says so."""

    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self.down_until = 0.0

    def guarded(self, fallback, call, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return call(*args, **kwargs)
        except RedisError:
            self.down_until = time.monotonic() + self.RETRY_AFTER
            log.warning("The cache (Redis) is unreachable: sign-in rate limits lapse until it is back",
                        exc_info=True)
            return fallback

    def add(self, key, *args, **kwargs):
        return self.guarded(True, super().add, key, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self.guarded(default, super().get, key, default, version)

    def set(self, key, *args, **kwargs):
        return self.guarded(None, super().set, key, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        return self.guarded(False, super().touch, key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self.guarded(False, super().delete, key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        return self.guarded({}, super().get_many, keys, *args, **kwargs)

    def has_key(self, key, *args, **kwargs):
        return self.guarded(False, super().has_key, key, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self.guarded([], super().set_many, data, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        return self.guarded(None, super().delete_many, keys, *args, **kwargs)

    def clear(self):
        return self.guarded(None, super().clear)
