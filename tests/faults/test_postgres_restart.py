"""PostgreSQL restarted under a running web process: requests fail cleanly (503), then recover."""

import os
import subprocess
import urllib.request

import pytest
from django.db import connection

from bench.harness import gunicorn, timed

pytestmark = pytest.mark.postgres


def pg_ctl(action: str) -> None:
    data, bin_dir = os.environ.get("TEST_PG_DATA"), os.environ.get("TEST_PG_BIN")
    if not data or not bin_dir:
        pytest.skip("needs TEST_PG_DATA and TEST_PG_BIN (scripts/test.sh sets them)")
    command = [f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{data}/server.log", "-w", "-t", "60", "-m", "fast", action]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=90)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_requests_fail_cleanly_while_postgresql_is_down_and_recover(transactional_db, soon_session, monkeypatch):
    soon_session()
    test_db = connection.settings_dict
    url = (f"postgresql://{test_db['USER']}:{test_db['PASSWORD']}@{test_db['HOST']}:{test_db['PORT']}/"
           f"{test_db['NAME']}")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    with gunicorn(workers=1) as base:
        assert timed(base + "/api/v1/sessions/")[1] == 200
        connection.close()
        pg_ctl("stop")
        try:
            for path in ("/api/v1/sessions/", "/"):
                status, body = fetch(base + path)
                assert status == 503, path
                assert b"cannot reach its database" in body
        finally:
            pg_ctl("start")
        assert timed(base + "/api/v1/sessions/")[1] == 200  # the next requests recover
        assert timed(base + "/")[1] == 200
