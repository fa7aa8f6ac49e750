#!/usr/bin/env bash
# Runs a benchmark against a throwaway PostgreSQL: bash bench/run.sh calendar|contention
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_system_packages
install_python test
RUN=$(mktemp -d /tmp/hub-bench.XXXXXX)
trap 'stop_postgres; stop_redis; rm -rf "$RUN"' EXIT
start_postgres "$RUN"
start_redis "$RUN"
# Production shape: PostgreSQL, and Redis as Celery's broker (web processes only hand messages over).
DATABASE_URL=$DATABASE_URL_PG REDIS_URL=$REDIS_URL_TEST .venv/bin/python -m "bench.${1:-calendar}_bench"
