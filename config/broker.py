"""Celery's Redis broker: kombu's own transport, with one change, that publishing reuses a redis-py client.

kombu's Redis channel makes a new redis-py client for every command it sends
(`Channel.conn_or_acquire`), and each new client copies redis-py's table of some 170 response
callbacks: about 0.1 ms of CPU for every message a web process hands to Celery, a quarter of the
hand-over (measured by `bench/contention_bench.py`). All those clients share the channel's connection
pool, which is what holds the connections, so one client a pool does the same work; when kombu makes
a new pool (after a connection error), the next command gets a new client on it.

Used when REDIS_URL is set (config/settings.py: CELERY_BROKER_TRANSPORT).
"""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _shared_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool, shared = self.pool, self._shared_client
        if shared is None or shared.connection_pool is not pool:
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(redis.Transport):
    Channel = Channel
