#!/usr/bin/env bash
# Builds build/: the entry files (the loader, with the dialogs Leptos rendered ahead of time
# and their styles; the wasm-bindgen glue), the wasm (optimised for gzip size), its chunk, and
# the locale files.
set -euo pipefail
cd "$(dirname "$0")/.."
# A fresh clone has none of the tools: install them first (scripts/setup.sh --build).
missing=""
for tool in wasm-bindgen wasm-split-cli node_modules/.bin/wasm-opt node_modules/.bin/esbuild; do
  command -v "$tool" >/dev/null || missing="$missing $tool"
done
rustup target list --installed | grep -qx wasm32-unknown-unknown || missing="$missing wasm32-unknown-unknown"
if [ -n "$missing" ]; then
  echo "build: missing$missing; installing the build tools first (scripts/setup.sh --build)"
  bash scripts/setup.sh --build
fi
out=target/wasm-bindgen
mkdir -p build "$out"

# The first dialogs, rendered natively by the same Leptos components the wasm runs
# (src/prerender.rs), in every locale: target/prerender/<code>.json.
cargo run --quiet --features prerender --bin prerender -- src/locales target/prerender

# The smallest build: nightly rebuilds std for size and aborts without panic formatting
# (-15 KB gzip measured). Without a working nightly, the stable release profile is used;
# it works the same and is larger. GOTRUE_WIDGET_STABLE=1 forces stable. --emit-relocs lets
# wasm-split move code between modules.
relocs="-Clink-args=--emit-relocs"
wasm=""
if [ "${GOTRUE_WIDGET_STABLE:-}" != 1 ] && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  if RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none $relocs" \
    CARGO_TARGET_DIR=target/nightly cargo +nightly build --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort; then
    wasm=target/nightly/wasm32-unknown-unknown/release/gotrue_widget.wasm
    echo "build: nightly build-std (immediate-abort)"
  else
    echo "build: the nightly build failed; using the stable build" >&2
  fi
fi
if [ -z "$wasm" ]; then
  RUSTFLAGS="$relocs" CARGO_TARGET_DIR=target/stable cargo build --release --target wasm32-unknown-unknown
  wasm=target/stable/wasm32-unknown-unknown/release/gotrue_widget.wasm
  echo "build: stable release profile"
fi

# The account page and user management become a chunk loaded on first use (src/ui/manage.rs):
# split_manage.wasm, and __wasm_split.js, the loader that bundle.mjs puts into the glue.
split=target/wasm-split
rm -rf "$split" && mkdir -p "$split"
wasm-split-cli "$wasm" "$split" --target web --out-name gotrue_widget
wasm-bindgen --target no-modules --no-typescript --keep-lld-exports --out-dir "$out" "$split/gotrue_widget.wasm"
node scripts/drop-streams.mjs "$out/gotrue_widget_bg.wasm" "$out/gotrue_widget.js"

# The features are named explicitly, as TOOLCHAIN.md advises. Inlining off gave the smallest
# gzip (plain -Oz grows gzip). wasm-opt drops the names section (no -g).
optimise() {
  node_modules/.bin/wasm-opt "$1" -o "$2" \
    -Oz -aimfs 0 -fimfs 0 -ocimfs 0 --strip-debug --strip-producers \
    --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue
}
rm -f build/netlify-identity-widget-*.wasm
optimise "$out/gotrue_widget_bg.wasm" build/netlify-identity-widget.wasm
# Each chunk, and the code two chunks share (chunk_N.wasm), when there is such code.
for chunk in "$split"/split_*.wasm "$split"/chunk_*.wasm; do
  [ -e "$chunk" ] || continue
  name=$(basename "$chunk" .wasm)
  optimise "$chunk" "build/netlify-identity-widget-${name#split_}.wasm"
done

# The three entry files (script tag, UMD, ES module) and their type declarations.
node scripts/bundle.mjs "$out/gotrue_widget.js" "$split/__wasm_split.js" target/prerender build
cp src/js/netlify-identity.d.ts build/netlify-identity.d.ts
# The functions for user management, each one self-contained file (src/functions/admin-core.mjs
# bundled in): for Netlify as an ES module and as CommonJS, for Supabase an ES module.
rm -rf build/functions && mkdir -p build/functions
functions="--bundle --log-level=warning --legal-comments=inline"
netlify="// gotrue-widget's identity-admin Netlify Function: copy it into netlify/functions/ and set the widget's adminUrl to /.netlify/functions/identity-admin (README: User management on a Netlify site)."
supabase="// gotrue-widget's identity-admin for Supabase (a Web-standard handler; Deno serves it as an Edge Function): deploy it as supabase/functions/identity-admin and set the widget's adminUrl to its URL (README: User management on Supabase)."
node_modules/.bin/esbuild src/functions/identity-admin.mjs $functions --format=esm --platform=node --target=node18 \
  "--banner:js=$netlify" --outfile=build/functions/identity-admin.mjs
node_modules/.bin/esbuild src/functions/identity-admin.mjs $functions --format=cjs --platform=node --target=node18 \
  "--banner:js=$netlify" --outfile=build/functions/identity-admin.cjs
node_modules/.bin/esbuild src/functions/identity-admin-supabase.mjs $functions --format=esm --platform=neutral \
  --target=es2022 "--banner:js=$supabase" --outfile=build/functions/identity-admin-supabase.mjs
# The Auth0 scripts of a lazy migration (README: To Auth0), each one self-contained file, as
# Auth0 takes a custom database's scripts: the script, then the profile both answer with.
rm -rf build/auth0 && mkdir -p build/auth0
for script in login get-user; do cat "src/auth0/$script.js" src/auth0/profile.js > "build/auth0/$script.js"; done
# The locales, loaded only by pages that use them (English is in the loader and the wasm, but
# for the localhost site-URL prompt, which only a local server without a site URL fetches).
# JSON named .txt: bundlers copy a .txt as it is, where Parcel turns a .json into a JS module.
rm -rf build/locales build/netlify-identity-widget.css && mkdir -p build/locales
for file in target/prerender/*.json; do cp "$file" "build/locales/$(basename "$file" .json).txt"; done
echo "build: build/ ready"
node scripts/size.mjs
