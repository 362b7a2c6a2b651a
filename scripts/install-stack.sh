#!/usr/bin/env bash
# Installs what the local GoTrue stack needs, idempotently: Debian packages (MariaDB,
# Chromium), the netlify/gotrue server built from its Go module, and the database.
# Re-running skips whatever is already in place.
set -euo pipefail
cache="${GOTRUE_WIDGET_CACHE:-$HOME/.cache/gotrue-widget}"
mkdir -p "$cache/bin"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
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
