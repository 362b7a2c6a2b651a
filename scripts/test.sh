#!/usr/bin/env bash
# `npm test`: every check and test. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests

echo "== format and lints"
node scripts/check-paths.mjs
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --features prerender -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings

echo "== core tests and the build-time renderer (native)"
cargo test --features prerender

echo "== build and size budget"
bash scripts/build.sh
node scripts/size.mjs --check

echo "== end-to-end tests (Chromium + netlify/gotrue on MariaDB, supabase/auth on PostgreSQL, an SMTP sink)"
node --test --test-concurrency=1 tests/e2e/
