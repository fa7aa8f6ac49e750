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

# The two passes run side by side (each test run is mostly one core); each writes its own log,
# printed whole when both are done. The tests that need Redis start their own redis-server, so
# that they can stop it.
unset DATABASE_URL REDIS_URL
echo "== pass 1 (SQLite) and pass 2 (PostgreSQL) running side by side"
.venv/bin/python -m pytest -p no:cacheprovider "$@" > "$RUN/sqlite.log" 2>&1 &
sqlite=$!
# The fault tests stop and start this PostgreSQL themselves.
DATABASE_URL=$DATABASE_URL_PG TEST_PG_DATA=$PG_DATA TEST_PG_BIN=$(pg_bin) \
  .venv/bin/python -m pytest -p no:cacheprovider "$@" > "$RUN/pg.log" 2>&1 &
pg=$!
status=0
wait $sqlite || status=$?
echo "== pass 1 of 2: SQLite"; cat "$RUN/sqlite.log"
wait $pg || status=$?
echo "== pass 2 of 2: PostgreSQL"; cat "$RUN/pg.log"
exit $status
