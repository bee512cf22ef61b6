#!/usr/bin/env bash
# Package test: builds the Debian package postgresql-15-loyalty from a copy of the checkout, checks that it
# holds what `make install` installs, installs it with dpkg, runs debian/tests/smoke.sql (CREATE EXTENSION, an
# NPS, a BG/NBD fit) in a throwaway cluster, then removes the package again.
# Prints "package: N passed, N failed" last and exits non-zero on any failure.
#
# Installing the package replaces the extension files of the one system PostgreSQL that every checkout on
# this machine shares, and removing it deletes them: run it only under the shared lock, as root,
#   flock /tmp/loyalty-pg.lock bash test/package/build_and_install.sh
# and run `make install` (or scripts/test.sh) again before using the extension from a checkout.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"
PACKAGE=postgresql-$PG_MAJOR-loyalty

[ "$(id -u)" -eq 0 ] || { echo "run as root: dpkg -i and dpkg -r need it" >&2; exit 2; }
started=$SECONDS

# What the package build needs (the Build-Depends of debian/control, plus the tools).
DEBIAN_PACKAGES=(dpkg-dev debhelper postgresql-server-dev-all postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
                 g++ make libboost-math-dev libnlopt-dev)
install_dependencies

work=$(mktemp -d /tmp/loyalty-package.XXXXXX)
chmod 755 "$work"  # the cluster user must reach the cluster folder inside it
cluster=$work/cluster
cleanup() {
  stop_cluster "$cluster"
  if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
    dpkg -r "$PACKAGE" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
finish() {
  echo "package test took $((SECONDS - started)) s"
  echo "package: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# A copy of the checkout: its tracked files and the new ones not ignored (uncommitted edits included), without
# build outputs, so that the build neither reads nor leaves anything in the checkout.
version=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
upstream=${version%-*}
src=$work/loyalty-$upstream
mkdir -p "$src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
   while IFS= read -r -d '' file; do if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\0' "$file"; fi; done |
   tar --null -T - -cf -) | tar -xf - -C "$src"

# 1. The build: dpkg-buildpackage in the copy, binary packages only, unsigned.
log "building $PACKAGE $version in $src (log: build.log)"
if (cd "$src" && dpkg-buildpackage -us -uc -b -j2) >"$work/build.log" 2>&1; then
  pass "dpkg-buildpackage built $(cd "$work" && ls ./*.deb | tr '\n' ' ')"
else
  tail -40 "$work/build.log"
  fail "dpkg-buildpackage (see the log above)"
  finish
fi
deb=$(ls "$work"/${PACKAGE}_"${version}"_*.deb)

# 2. The contents: the shared library, the control file, the install script and every upgrade script that the
# Makefile's install target installs (asked from the Makefile itself, so new upgrade scripts are expected too).
expected=$(make -s --no-print-directory -C "$src" PG_CONFIG="$(pg_config_path)" -f Makefile -f - print-installed <<'MAKE' | sort
print-installed:
	@printf '%s\n' $(addprefix $(datadir)/$(datamoduledir)/,$(notdir $(DATA) $(DATA_built) $(EXTENSION:=.control))) \
	  $(addprefix $(pkglibdir)/,$(MODULE_big)$(DLSUFFIX) $(MODULES:=$(DLSUFFIX)))
MAKE
)
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed -e 's|^\./|/|' | grep -E '/(extension/[^/]+|lib/[^/]+\.so)$' | sort)
if [ -n "$expected" ] && [ "$expected" = "$contents" ]; then
  pass "the package holds the $(wc -l <<<"$expected") files make install installs"
else
  diff <(echo "$expected") <(echo "$contents") | sed -e 's/^/  /' || true
  fail "package contents differ from make install's (< make install, > package)"
fi
depends=$(dpkg-deb -f "$deb" Depends)
echo "  Depends: $depends"

# 3. Installed with dpkg: CREATE EXTENSION and the smoke queries in a throwaway cluster.
log "installing $deb"
if dpkg -i "$deb" >"$work/dpkg.log" 2>&1 && start_cluster "$cluster" &&
   psql -X -q -d postgres -v ON_ERROR_STOP=1 -f "$src/debian/tests/smoke.sql" >"$work/smoke.out" 2>&1 &&
   grep -q 'loyalty smoke test: ok' "$work/smoke.out"; then
  pass "dpkg -i, then CREATE EXTENSION loyalty (version $(psql -X -At -d postgres -c "SELECT extversion FROM pg_extension WHERE extname = 'loyalty'")) and the smoke queries"
else
  cat "$work/dpkg.log" "$work/smoke.out" 2>/dev/null | tail -40
  fail "install and smoke test"
fi
stop_cluster "$cluster"

# 3b. The package's own autopkgtest (debian/tests/smoke: the same queries in a pg_virtualenv cluster).
if (cd "$src" && debian/tests/smoke) >"$work/autopkgtest.out" 2>&1 && grep -q 'loyalty smoke test: ok' "$work/autopkgtest.out"; then
  pass "debian/tests/smoke (pg_virtualenv)"
else
  tail -30 "$work/autopkgtest.out"
  fail "debian/tests/smoke (pg_virtualenv)"
fi

# 4. Removed again, no file of the extension stays owned by dpkg (a later `make install` must own them alone).
dpkg -r "$PACKAGE" >"$work/dpkg-remove.log" 2>&1  # quiet: postgresql-common's triggers talk
if ! dpkg -S "$("$(pg_config_path)" --sharedir)/extension/loyalty.control" >/dev/null 2>&1 &&
   ! dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
  pass "dpkg -r $PACKAGE removed it"
else
  fail "dpkg -r $PACKAGE left files owned by dpkg"
fi
finish
