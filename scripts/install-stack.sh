#!/usr/bin/env bash
# Installs what the local GoTrue stack needs, idempotently: Debian packages (MariaDB,
# PostgreSQL, Chromium), the netlify/gotrue server built from its Go module, supabase/auth
# built from the vendored source snapshot, and their databases. Re-running skips whatever is
# already in place.
set -euo pipefail
cache="${GOTRUE_WIDGET_CACHE:-$HOME/.cache/gotrue-widget}"
mkdir -p "$cache/bin"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v pg_createcluster >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v go >/dev/null || missing+=(golang-go)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "stack: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# netlify/gotrue: the module proxy serves v1.0.1 only (the master commit GOTRUE.md pins is
# refused with 403 here), so that is the version built. `go install` refuses modules with
# `replace` lines, hence the build from a writable copy.
gotrue_version=v1.0.1
gotrue_bin="$cache/bin/gotrue-netlify-$gotrue_version"
if [ ! -x "$gotrue_bin" ]; then
  echo "stack: building netlify/gotrue $gotrue_version from its Go module (a few minutes, once)"
  module_dir=$(go mod download -json "github.com/netlify/gotrue@$gotrue_version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rm -rf "$cache/netlify-src" && cp -r "$module_dir" "$cache/netlify-src" && chmod -R u+w "$cache/netlify-src"
  (cd "$cache/netlify-src" && CGO_ENABLED=0 go build -trimpath -o "$gotrue_bin.tmp" .)
  mv "$gotrue_bin.tmp" "$gotrue_bin"
fi

# MariaDB on loopback only, one database for the whole stack.
if ! mariadb-admin ping --silent >/dev/null 2>&1; then
  echo "stack: starting MariaDB"
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root service mariadb start >/dev/null 2>&1 || as_root service mysql start >/dev/null
  for _ in $(seq 60); do mariadb-admin ping --silent >/dev/null 2>&1 && break; sleep 0.5; done
fi
as_root mariadb -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS gotrue CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'gotrue'@'127.0.0.1' IDENTIFIED BY 'gotrue';
GRANT ALL PRIVILEGES ON gotrue.* TO 'gotrue'@'127.0.0.1';
-- Test stacks each get a fresh database named gotrue_test_<port>.
GRANT ALL PRIVILEGES ON `gotrue\_test\_%`.* TO 'gotrue'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
echo "$gotrue_bin" > "$cache/gotrue-path"
echo "$cache/netlify-src/migrations" > "$cache/gotrue-migrations"

# supabase/auth, the maintained GoTrue fork. The module proxy refuses it (403), so it is built
# from the vendored snapshot (../shared/vendor, see its README), or through the proxy at the
# same commit where that snapshot is absent.
supabase_commit=bc32168e13fdc928c98b449fc76bc3fdb9a293c5
supabase_sha256=2b98cabfe86626aff3bb67c67c91fd7e9741424e51b4dcf63841d670e7f85cec
supabase_bin="$cache/bin/supabase-auth-${supabase_commit:0:8}"
if [ ! -x "$supabase_bin" ]; then
  echo "stack: building supabase/auth ${supabase_commit:0:8} (about 3 minutes, once)"
  tarball="${SUPABASE_AUTH_TARBALL:-$(cd "$(dirname "$0")/.." && pwd)/../shared/vendor/supabase-auth-${supabase_commit:0:8}.tar.gz}"
  src="$cache/supabase-src"
  rm -rf "$src" && mkdir -p "$src"
  if [ -f "$tarball" ]; then
    echo "$supabase_sha256  $tarball" | sha256sum --check --quiet
    tar -xzf "$tarball" -C "$src" --strip-components=1
  else
    echo "stack: $tarball is absent; asking the Go module proxy for github.com/supabase/auth@$supabase_commit"
    if ! module_dir=$(go mod download -json "github.com/supabase/auth@$supabase_commit" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || [ -z "$module_dir" ]; then
      echo "stack: cannot build supabase/auth: no source snapshot at $tarball and the Go module proxy refused the module; set SUPABASE_AUTH_TARBALL to the snapshot's path" >&2
      exit 1
    fi
    cp -r "$module_dir/." "$src" && chmod -R u+w "$src"
  fi
  (cd "$src" && CGO_ENABLED=0 go build -buildvcs=false -o "$supabase_bin.tmp" \
    -ldflags "-X github.com/supabase/auth/internal/utilities.Version=v2.196.0-${supabase_commit:0:8}" .)
  mv "$supabase_bin.tmp" "$supabase_bin"
fi
echo "$supabase_bin" > "$cache/supabase-auth-path"

# PostgreSQL for supabase/auth: a cluster of our own on localhost:54329 (loopback only). The
# auth server's user may create a fresh database for each test stack (supabase_test_<port>).
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx gotrue-widget; then
  echo "stack: creating the PostgreSQL $pg_version cluster gotrue-widget (port 54329)"
  as_root pg_createcluster "$pg_version" gotrue-widget -p 54329 >/dev/null
fi
if ! pg_lsclusters -h | awk '$2 == "gotrue-widget" {print $4}' | grep -qx online; then
  echo "stack: starting PostgreSQL"
  as_root pg_ctlcluster "$pg_version" gotrue-widget start
fi
as_root runuser -u postgres -- psql -q -p 54329 -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supabase_admin') THEN
    CREATE USER supabase_admin LOGIN CREATEROLE CREATEDB REPLICATION BYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supabase_auth_admin') THEN
    CREATE USER supabase_auth_admin NOINHERIT CREATEROLE CREATEDB LOGIN NOREPLICATION PASSWORD 'root';
  END IF;
END $$;
ALTER USER supabase_auth_admin CREATEDB;
ALTER USER supabase_auth_admin SET search_path = 'auth';
SQL
