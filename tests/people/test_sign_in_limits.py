"""Sign-in limits that hold in production: kept in Redis for every process, counted by the person's
own address behind our proxy, wide per address and strict per account."""

import runpy
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.cache import caches_for
from tests.conftest import PASSWORD

SETTINGS_FILE = str(Path(__file__).resolve().parents[2] / "config" / "settings.py")
TOO_MANY = "Too many failed login attempts"


def _settings(monkeypatch, **environment) -> dict:
    for name in ("REDIS_URL", "ALLAUTH_TRUSTED_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_the_cache_is_redis_when_redis_url_is_set_and_this_processes_memory_otherwise(monkeypatch):
    assert _settings(monkeypatch)["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    cache = _settings(monkeypatch, REDIS_URL="redis://redis.example:6379/0")["CACHES"]["default"]
    assert cache["BACKEND"] == "config.cache.SharedCache" and cache["LOCATION"] == "redis://redis.example:6379/0"


def test_the_number_of_trusted_proxies_comes_from_the_environment(monkeypatch):
    assert _settings(monkeypatch)["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert _settings(monkeypatch, ALLAUTH_TRUSTED_PROXY_COUNT="1")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    with pytest.raises(ImproperlyConfigured, match="ALLAUTH_TRUSTED_PROXY_COUNT"):
        _settings(monkeypatch, ALLAUTH_TRUSTED_PROXY_COUNT="-1")


def _fail(client, email: str, address: str = "192.0.2.10", forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post("/accounts/login/", {"login": email, "password": "wrong-password"}, REMOTE_ADDR=address,
                       **headers)


def test_a_whole_council_behind_one_address_can_sign_in_while_each_account_is_guarded(client, practitioner,
                                                                                       colleague):
    """allauth's defaults allow 30 sign-ins and 10 failures a minute per address: one council's morning."""
    for n in range(40):
        response = _fail(client, f"worker{n}@halton.gov.uk")
        assert response.status_code == 200 and TOO_MANY not in response.content.decode(), n
    for _ in range(5):
        _fail(client, practitioner.email)
    refused = client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD},
                          REMOTE_ADDR="192.0.2.10")
    assert TOO_MANY in refused.content.decode() and "_auth_user_id" not in client.session
    signed_in = client.post("/accounts/login/", {"login": "tom@halton.gov.uk", "password": PASSWORD},
                            REMOTE_ADDR="192.0.2.10")
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(colleague.pk)


def test_behind_the_trusted_proxy_each_person_is_counted_by_their_own_address(client, settings, db):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login_failed": "3/m/ip,5/5m/key"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request reaches gunicorn from the TLS proxy
    for n in range(3):
        _fail(client, f"a{n}@halton.gov.uk", proxy, forwarded="203.0.113.7")
    assert TOO_MANY in _fail(client, "a9@halton.gov.uk", proxy, forwarded="203.0.113.7").content.decode()
    other = _fail(client, "b@halton.gov.uk", proxy, forwarded="198.51.100.4")
    assert TOO_MANY not in other.content.decode()  # someone else, elsewhere, is not turned away
    # A forged header in front of the proxy's own is not believed: the proxy appends what it saw.
    forged = _fail(client, "c@halton.gov.uk", proxy, forwarded="198.51.100.4, 203.0.113.7")
    assert TOO_MANY in forged.content.decode()


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, settings, db):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login_failed": "3/m/ip,5/5m/key"}
    for n in range(3):
        _fail(client, f"a{n}@halton.gov.uk", forwarded=f"203.0.113.{n}")
    assert TOO_MANY in _fail(client, "b@halton.gov.uk", forwarded="198.51.100.4").content.decode()


def test_a_request_that_skipped_a_proxy_is_counted_by_its_peer_not_refused_with_an_error(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = _fail(client, "a@halton.gov.uk", forwarded="203.0.113.7")
    assert response.status_code == 200 and "password" in response.content.decode()


@pytest.fixture
def redis_cache(tmp_path, settings):
    from tests.bookings.test_outbox import RealRedis

    redis = RealRedis(tmp_path)
    redis.start()
    settings.CACHES = caches_for(redis.url)
    yield redis
    redis.stop()


@pytest.mark.redis
def test_sign_in_limits_live_in_redis_so_every_process_counts_together(client, practitioner, redis_cache):
    import redis as redis_py

    for _ in range(5):
        _fail(client, practitioner.email)
    shared = redis_py.Redis.from_url(redis_cache.url)
    assert any(b"allauth:rl:allauth.account:login_failed" in key for key in shared.keys("hub:*"))
    refused = client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD})
    assert TOO_MANY in refused.content.decode()


@pytest.mark.redis
def test_signing_in_works_while_redis_is_down(client, practitioner, redis_cache):
    redis_cache.stop()
    started = time.monotonic()
    response = client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(practitioner.pk)
    assert time.monotonic() - started < 5, "a sign-in must not wait long on a Redis that is down"
