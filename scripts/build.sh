#!/usr/bin/env bash
# Builds dist/: the script-tag file (facade + wasm-bindgen glue, minified), the wasm
# (optimised for gzip size), and the CSS the shadow root adopts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/wasm-bindgen
mkdir -p dist "$out"

cargo build --release --target wasm32-unknown-unknown
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/release/gotrue_widget.wasm

# strip=true drops the target_features section, so the features are named explicitly.
# Inlining off gave the smallest gzip (TOOLCHAIN.md: -Oz alone grows gzip).
node_modules/.bin/wasm-opt "$out/gotrue_widget_bg.wasm" -o dist/netlify-identity-widget.wasm \
  -Oz -aimfs 0 -fimfs 0 -ocimfs 0 \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue

# One classic script: the glue's `wasm_bindgen` stays private inside the wrapper.
{
  echo '(function () {'
  echo '"use strict";'
  echo 'if (typeof window === "undefined" || typeof document === "undefined") return;'
  cat "$out/gotrue_widget.js"
  cat src/js/facade.js
  echo '})();'
} > "$out/bundle.js"
node_modules/.bin/esbuild "$out/bundle.js" --minify --target=es2019 --log-level=warning \
  --outfile=dist/netlify-identity-widget.js

cat style/tokens.css style/dialog.css style/forms.css > "$out/widget.css"
node_modules/.bin/esbuild "$out/widget.css" --minify --log-level=warning --outfile=dist/netlify-identity-widget.css
echo "build: dist/ ready"
node scripts/size.mjs
