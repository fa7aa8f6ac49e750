# Shared steps for scripts/run.sh and scripts/test.sh (sourced, not run).

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root to run: $* (install those packages by hand)" >&2; return 1; fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# install_pdf_libraries: Pango, which WeasyPrint prints PDFs with, from Debian, only when missing.
install_pdf_libraries() {
  local missing=() library known
  # ldconfig is not on a non-root PATH everywhere; read its list once (a pipe into grep -q can fail
  # under pipefail when grep stops reading early)
  known=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p)
  for library in libpango-1.0-0:libpango-1.0.so.0 libpangoft2-1.0-0:libpangoft2-1.0.so.0 \
                 libharfbuzz-subset0:libharfbuzz-subset.so.0; do
    grep -q "${library#*:}" <<<"$known" || missing+=("${library%%:*}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# install_system_packages: PostgreSQL, Redis and Chromium from Debian (and Pango), only when missing.
install_system_packages() {
  install_pdf_libraries
  local missing=()
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# install_python [extra]: the virtualenv in .venv with the project (and its test extras).
install_python() {
  local extra=${1:-}
  if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    python3 -m venv .venv
  fi
  echo "== installing Python packages"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  local target="."
  [ -n "$extra" ] && target=".[$extra]"
  local log; log=$(mktemp)
  if ! .venv/bin/pip install -q --disable-pip-version-check -e "$target" >"$log" 2>&1; then
    cat "$log"; rm -f "$log"; echo "pip install failed" >&2; return 1
  fi
  rm -f "$log"
  .venv/bin/python -c "import django, allauth, rest_framework, celery" # fail here if the install did
}

# install_frontend: govuk-frontend (and axe-core, ical.js for the tests) from npm, built into static/build.
install_frontend() {
  echo "== installing and building the front end"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  npm run --silent build
}

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_postgres DIR: a throwaway PostgreSQL on a free loopback port; sets DATABASE_URL_PG and PG_DATA.
start_postgres() {
  local run=$1 bin; bin=$(pg_bin)
  PG_PORT=$(free_port); PG_DATA="$run/pg"
  mkdir -p "$PG_DATA"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$run/pg"; chmod 755 "$run"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  # Settings in the config file, so that a plain "pg_ctl start" (the fault tests restart it) keeps them.
  # fsync off is for throwaway test data only.
  cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
logging_collector = off
CONF
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE app LOGIN CREATEDB PASSWORD 'app'" -c "CREATE DATABASE app OWNER app" >/dev/null
  DATABASE_URL_PG="postgresql://app:app@127.0.0.1:$PG_PORT/app"
}

stop_postgres() {
  [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
  local as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
}

# start_redis DIR: a throwaway Redis on a free loopback port; sets REDIS_URL_TEST.
start_redis() {
  local run=$1
  REDIS_PORT=$(free_port); REDIS_DIR="$run/redis"; mkdir -p "$REDIS_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  REDIS_URL_TEST="redis://127.0.0.1:$REDIS_PORT/0"
}

stop_redis() {
  [ -n "${REDIS_DIR:-}" ] && [ -f "$REDIS_DIR/redis.pid" ] || return 0
  kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
}
