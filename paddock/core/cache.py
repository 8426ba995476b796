"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` for every cache operation; with redis-py 8 that
means setting up a few hundred response callbacks each time, several times the cost of the
round trip itself on a page that reads the cache a handful of times. A client is thread-safe
(its pool hands each command a connection), so one per pool serves every thread.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
