#!/usr/bin/env bash
# Builds build/: the entry files (facade + wasm-bindgen glue, minified), the wasm
# (optimised for gzip size), and the CSS the shadow root adopts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/wasm-bindgen
mkdir -p build "$out"

# The smallest build: nightly rebuilds std for size and aborts without panic formatting
# (-15 KB gzip measured). Without a working nightly, the stable release profile is used;
# it works the same and is larger. GOTRUE_WIDGET_STABLE=1 forces stable.
wasm=""
if [ "${GOTRUE_WIDGET_STABLE:-}" != 1 ] && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  if RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    CARGO_TARGET_DIR=target/nightly cargo +nightly build --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort; then
    wasm=target/nightly/wasm32-unknown-unknown/release/gotrue_widget.wasm
    echo "build: nightly build-std (immediate-abort)"
  else
    echo "build: the nightly build failed; using the stable build" >&2
  fi
fi
if [ -z "$wasm" ]; then
  cargo build --release --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/release/gotrue_widget.wasm
  echo "build: stable release profile"
fi
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" "$wasm"

# The features are named explicitly, as TOOLCHAIN.md advises. Inlining off gave the smallest
# gzip (plain -Oz grows gzip). wasm-opt drops the names section (no -g).
node_modules/.bin/wasm-opt "$out/gotrue_widget_bg.wasm" -o build/netlify-identity-widget.wasm \
  -Oz -aimfs 0 -fimfs 0 -ocimfs 0 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue

# The three entry files (script tag, UMD, ES module) and their type declarations.
node scripts/bundle.mjs "$out/gotrue_widget.js" build
cp src/js/netlify-identity.d.ts build/netlify-identity.d.ts
# Locale tables, loaded only by pages that use them (English is in the wasm).
node scripts/locales.mjs src/locales build/locales

cat style/tokens.css style/dialog.css style/forms.css style/users.css > "$out/widget.css"
node_modules/.bin/esbuild "$out/widget.css" --minify --log-level=warning --outfile=build/netlify-identity-widget.css
echo "build: build/ ready"
node scripts/size.mjs
