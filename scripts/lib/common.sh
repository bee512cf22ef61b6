# Shared by the project's scripts: installing what the build needs, building, and throwaway clusters.
# Sourced, not run. Expects $ROOT (the checkout).

PG_MAJOR=15
DEBIAN_PACKAGES=(
  postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR  # the server and PGXS
  g++ make cmake pkg-config                              # compilers and build tools
  libboost-math-dev                                      # Boost.Math: special functions, distributions
  libnlopt-dev                                           # NLopt: the optimiser behind the model fits
  libgtest-dev                                           # GoogleTest for the core's unit tests
  python3                                                # the benchmark driver
)

log() { printf '==> %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages that are missing (apt-get update only when something is).
install_dependencies() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pg_bindir() { "$(pg_config_path)" --bindir; }
# LOYALTY_PG_CONFIG may name the pg_config of another installation, e.g. a private copy of this one
# (PostgreSQL finds its files relative to its binaries), so that a build installs there and not system-wide.
pg_config_path() { echo "${LOYALTY_PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}"; }

# Builds the extension with PGXS and installs it into the server's directories.
build_and_install_extension() {
  log "building and installing the extension"
  make -C "$ROOT" -s -j"$(nproc)" PG_CONFIG="$(pg_config_path)" >/dev/null
  as_root make -C "$ROOT" -s install PG_CONFIG="$(pg_config_path)" >/dev/null
}

# The server runs as an unprivileged user: initdb refuses root. Root uses Debian's `postgres` account.
cluster_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
as_cluster_user() {
  # From /: the caller's folder may be closed to the cluster user.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# A TCP port on 127.0.0.1 that nothing listens on.
# From a random point of the range, so that clusters started at the same moment (parallel test runs on one
# machine) rarely pick the same port.
free_port() {
  local port offset=$((RANDOM % 100)) i
  for i in $(seq 0 99); do
    port=$((54330 + (offset + i) % 100))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port between 54330 and 54429" >&2
  return 1
}

# start_cluster DIR: a fresh cluster in DIR (removed first), owned by the cluster user, listening on 127.0.0.1
# on a free port with its unix socket in DIR. Sets PGHOST, PGPORT, PGUSER for the clients that follow.
start_cluster() {
  local dir=$1
  stop_cluster "$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if ! as_cluster_user test -w "$dir"; then
    echo "the cluster user $(cluster_user) cannot write $dir (a parent folder is closed to it)" >&2
    return 1
  fi
  local port
  port=$(free_port)
  as_cluster_user "$(pg_bindir)/initdb" -D "$dir/data" -U "$(cluster_user)" --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  as_cluster_user "$(pg_bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
    -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c jit=off" start
  export PGHOST=$dir PGPORT=$port PGUSER=$(cluster_user)
  log "PostgreSQL $PG_MAJOR running in $dir (port $port, socket in $dir)"
}

stop_cluster() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_cluster_user "$(pg_bindir)/pg_ctl" -D "$dir/data" -m fast -w -s stop || true
  fi
}

# A folder inside the checkout that the cluster user can reach, or a private one under /tmp when the checkout
# sits below a folder closed to that user (e.g. a CI clone in a mode-700 temporary folder).
cluster_folder() {
  local name=$1
  if as_cluster_user test -x "$ROOT"; then
    echo "$ROOT/$name"
  else
    log "the checkout is not reachable by user $(cluster_user); using a folder under /tmp"
    mktemp -d "/tmp/loyalty-${name#.}.XXXXXX"
  fi
}

# parts_option SCRIPT [ARG]: the --sql-only / --unit-only option of test.sh and sanitize.sh; sets run_unit and
# run_sql (both 1 without an option), or prints the usage and exits.
parts_option() {
  run_unit=1 run_sql=1
  case "${2:-}" in
    --sql-only) run_unit=0 ;;
    --unit-only) run_sql=0 ;;
    "") ;;
    *) echo "usage: $1 [--sql-only|--unit-only]" >&2; exit 2 ;;
  esac
}
