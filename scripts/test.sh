#!/usr/bin/env bash
# Installs everything and runs the whole test suite twice: on SQLite, then on a real PostgreSQL,
# both with a real Redis. PostgreSQL and Redis are started here on free loopback ports and
# stopped on exit, pass or fail. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

install_system_packages
install_python test
install_frontend

echo "== ruff"
.venv/bin/ruff check --quiet .

RUN=$(mktemp -d /tmp/hub-test.XXXXXX)
cleanup() {
  local status=$?
  if [ $status -ne 0 ]; then
    for log in "$RUN"/pg/server.log "$RUN"/redis/redis.log; do
      [ -f "$log" ] && { echo "---- $log (last lines)"; tail -n 30 "$log"; }
    done
  fi
  stop_postgres; stop_redis
  rm -rf "$RUN"
  exit $status
}
trap cleanup EXIT
start_postgres "$RUN"
start_redis "$RUN"

unset DATABASE_URL REDIS_URL
export TEST_REDIS_URL=$REDIS_URL_TEST
echo "== pass 1 of 2: SQLite (Redis at $TEST_REDIS_URL)"
.venv/bin/python -m pytest -p no:cacheprovider "$@"
echo "== pass 2 of 2: PostgreSQL (Redis at $TEST_REDIS_URL)"
# The fault tests stop and start this PostgreSQL themselves.
DATABASE_URL=$DATABASE_URL_PG TEST_PG_DATA=$PG_DATA TEST_PG_BIN=$(pg_bin) \
  .venv/bin/python -m pytest -p no:cacheprovider "$@"
