#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, skipping what is present:
# the wasm target, wasm-bindgen-cli at the version Cargo.lock pins, wasm-split-cli, npm packages, and the
# local GoTrue stack (scripts/install-stack.sh). `--build`: only what `npm run build` needs;
# `--tests`: also what only the tests use (Decap CMS's bundle, the frameworks).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# The size-optimised build (scripts/build.sh) uses the machine's nightly when there is one.
if rustup toolchain list | grep -q '^nightly'; then
  rustup component list --toolchain nightly --installed | grep -q '^rust-src' ||
    rustup component add rust-src --toolchain nightly || echo "setup: no rust-src for nightly; the stable build will be used"
  rustup target list --toolchain nightly --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown --toolchain nightly || true
fi

wanted=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wanted" ]; then
  echo "setup: installing wasm-bindgen-cli $wanted (about 11 minutes on 2 cores, once)"
  # Without --locked: with it, resolution fails on a yanked dependency (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$wanted"
fi

# wasm-split: cuts the account and user-management chunk off the wasm (src/ui/manage.rs).
split_wanted=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$split_wanted:"; then
  echo "setup: installing wasm-split-cli $split_wanted (about 2 minutes on 2 cores, once)"
  cargo install --locked wasm_split_cli_support --version "$split_wanted" --features build-binary
fi

if [ ! -x node_modules/.bin/esbuild ] || [ ! -d node_modules/playwright-core ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

[ "${1:-}" = --build ] && exit 0
bash scripts/install-stack.sh
# What only the tests use (`--tests`, from scripts/test.sh): not fetched for the demo or the bench.
[ "${1:-}" = --tests ] || exit 0
cache="${GOTRUE_WIDGET_CACHE:-$HOME/.cache/gotrue-widget}"

# Decap CMS's prebuilt bundle, for the test of its login flow (tests/e2e/admin-roles.test.mjs).
decap="$cache/decap-cms-3.16.3"
if [ ! -f "$decap/dist/decap-cms.js" ]; then
  echo "setup: fetching Decap CMS 3.16.3's bundle (for a test)"
  packed=$(mktemp -d)
  (cd "$packed" && npm pack --silent decap-cms@3.16.3 >/dev/null)
  mkdir -p "$decap"
  tar xzf "$packed/decap-cms-3.16.3.tgz" -C "$decap" --strip-components=1 --wildcards 'package/dist/*' --exclude='*.map'
  rm -rf "$packed"
fi

# The frameworks the package test builds a site with (tests/e2e/package.test.mjs): Next.js and
# Astro, each installed once into a folder of its own (about 350 and 160 MB) rather than as dev
# dependencies every `npm install` would fetch. Astro 5: Astro 7 needs Node 22.12.
frameworks="$cache/frameworks"
install_framework() {
  local dir="$frameworks/$1"
  shift
  [ -f "$dir/.installed" ] && return
  echo "setup: installing $* (for a test, once)"
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{ "private": true }' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --save-exact --loglevel=error "$@")
  touch "$dir/.installed"
}
install_framework next-16.4.6 next@16.4.6 react@19.3.1 react-dom@19.3.1
install_framework astro-5.18.2 astro@5.18.2
