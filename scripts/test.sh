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
echo "== import-linter (the layers in .importlinter)"
.venv/bin/lint-imports --no-cache

RUN=$(mktemp -d /tmp/hub-test.XXXXXX)
cleanup() {
  local status=$?
  if [ $status -ne 0 ] && [ -f "$RUN/pg/server.log" ]; then
    echo "---- PostgreSQL server log (last lines)"; tail -n 30 "$RUN/pg/server.log"
  fi
  jobs -p | xargs -r kill 2>/dev/null || true
  stop_postgres
  rm -rf "$RUN"
  exit $status
}
trap cleanup EXIT
start_postgres "$RUN"

# The two passes run side by side (each test run is mostly one core), each with its share of the tests
# (tests/conftest.py, HUB_TEST_PASS): the PostgreSQL pass every test but the browser journeys; the SQLite
# pass the browser journeys and the tests of code whose SQL differs between the databases. Each writes
# its own log, printed whole when both are done. The tests that need Redis start their own redis-server,
# so that they can stop it.
unset DATABASE_URL REDIS_URL
echo "== pass 1 (SQLite) and pass 2 (PostgreSQL) running side by side"
HUB_TEST_PASS=sqlite .venv/bin/python -m pytest -p no:cacheprovider "$@" > "$RUN/sqlite.log" 2>&1 &
sqlite=$!
# The fault tests stop and start this PostgreSQL themselves.
HUB_TEST_PASS=postgres DATABASE_URL=$DATABASE_URL_PG TEST_PG_DATA=$PG_DATA TEST_PG_BIN=$(pg_bin) \
  .venv/bin/python -m pytest -p no:cacheprovider "$@" > "$RUN/pg.log" 2>&1 &
pg=$!
# pytest's 5 is "no test ran": a failure for the whole suite, but fine for one pass when arguments chose
# tests that all belong to the other.
passed() { local code=$1; [ "$code" = 0 ] || { [ "$code" = 5 ] && [ $# -gt 1 ]; }; }
status=0 code=0
wait $sqlite || code=$?
echo "== pass 1 of 2: SQLite"; cat "$RUN/sqlite.log"
passed $code "$@" || status=$code
code=0
wait $pg || code=$?
echo "== pass 2 of 2: PostgreSQL"; cat "$RUN/pg.log"
passed $code "$@" || status=$code
exit $status
