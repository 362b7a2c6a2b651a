// npm run size:parts: where the wasm's bytes go, by part — the Leptos runtime, our views page by
// page, the core, the gotrue-js client, the browser bindings, Rust's std — for the login path's
// module and the management chunk. Reads the modules `npm run build` leaves with their names
// (before wasm-opt) through twiggy (installed on first use), sorts each function and data
// segment into a part by its symbol, and scales each part's share to the shipped module's gzip
// size: an estimate of what each part costs on the wire.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const MODULES = [
  { name: 'login path (netlify-identity-widget.wasm)', named: 'target/wasm-bindgen/gotrue_widget_bg.wasm', shipped: 'build/netlify-identity-widget.wasm' },
  { name: 'management chunk (-manage.wasm)', named: 'target/wasm-split/split_manage.wasm', shipped: 'build/netlify-identity-widget-manage.wasm' },
];

// Our own code by module (a view by its component); first match wins.
const OURS = [
  ['view: log in / sign up / forgot / set password / invite / notice / site URL (ui::pages)', /ui::pages::/],
  ['view: the modal (ui::modal)', /ui::modal::/],
  ['view: form fields (ui::fields, ui::signup_fields)', /ui::(fields|signup_fields)::/],
  ['view: account page (ui::account)', /ui::account::/],
  ['view: user management (ui::users, ui::user_detail)', /ui::(users|user_detail)::/],
  ['view: chunk loading (ui::manage, ui::mount)', /ui::/],
  ['gotrue-js client (core::client, widget::client, entry::client)', /(core::client|widget::client|entry::client)/],
  ['admin calls (core::admin*, widget::admin, entry::admin)', /(core::admin|widget::admin|entry::admin|entry::run_admin)/],
  ['core: JSON reader and writer (core::json)', /core::json/],
  ['core: API, session, links, flow, i18n, options (core::*)', /core::/],
  ['widget operations and entry points (widget::*, entry)', /(widget|entry)::/],
  ['browser wrappers (browser::*)', /browser::/],
];
// Everything else by the crate its symbol names first (a primitive's method: its trait's crate).
const CRATES = [
  ['Leptos runtime (reactive_graph, tachys, leptos, …)', /^(reactive_graph|reactive_stores|tachys|leptos\w*|any_spawner|or_poisoned|throw_error|hydration_context|oco_ref|next_tuple|slotmap|send_wrapper|guardian|either_of|rustc_hash|server_fn|wasm_split_helpers|indexmap|async_once_cell|drain_filter_polyfill|erased)$/],
  ['wasm-bindgen, js-sys, web-sys, gloo, futures, wasm-streams', /^(wasm_bindgen\w*|js_sys|web_sys|gloo\w*|futures\w*|wasm_streams|pin_project\w*|bindings)$/],
  ['Rust std, alloc, core, hashbrown, allocator', /^(std|alloc|core|hashbrown|dlmalloc|compiler_builtins|primitive)$/],
  ['data (strings, tables)', /^data$/],
];

/** The crate a symbol belongs to, as far as its name tells. */
function crateOf(name) {
  if (/^data segment|^elem\[/.test(name)) return 'data';
  if (/^(import|export) |externref|__wbindgen|__wbg_/.test(name)) return 'bindings';
  if (/^(memcpy|memset|memmove|memcmp|__rust|__rdl|__rg|__stack)/.test(name)) return 'std';
  const receiver = name.match(/^<*&?(?:mut )?(\w+)\[[0-9a-f]+\]/);
  if (receiver) return receiver[1];
  const trait = name.match(/ as (\w+)\[[0-9a-f]+\]/);
  return trait ? trait[1] : 'primitive';
}

function twiggyRows(path) {
  if (!existsSync(path)) {
    console.error(`size:parts: ${path} is missing; run npm run build`);
    process.exit(1);
  }
  const json = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'json', path], { maxBuffer: 1 << 30 });
  return JSON.parse(json).filter((row) => !/"(function names|name)" subsection|custom section/.test(row.name));
}

function ensureTwiggy() {
  try {
    execFileSync('twiggy', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('size:parts: installing twiggy (about 2 minutes, once)');
    execFileSync('cargo', ['install', 'twiggy', '--version', '0.8.0'], { stdio: 'inherit' });
  }
}

ensureTwiggy();
for (const module of MODULES) {
  const rows = twiggyRows(module.named);
  const total = rows.reduce((sum, row) => sum + row.shallow_size, 0);
  const gzip = gzipSync(readFileSync(module.shipped), { level: 9 }).length;
  const parts = new Map([...OURS, ...CRATES].map(([name]) => [name, 0]));
  let other = 0;
  for (const row of rows) {
    // A generic instantiated for one of our views belongs to that view: its first path of ours.
    const ours = row.name.match(/gotrue_widget\[\w+\]::([\w:]+)/);
    const crate = crateOf(row.name);
    const part = ours ? OURS.find(([, pattern]) => pattern.test(ours[1])) : CRATES.find(([, pattern]) => pattern.test(crate));
    if (part) parts.set(part[0], parts.get(part[0]) + row.shallow_size);
    else other += row.shallow_size;
  }
  parts.set('other', other);
  console.log(`\n### ${module.name}: ${total.toLocaleString('en')} B of code and data before wasm-opt, ${gzip.toLocaleString('en')} B gzip shipped\n`);
  console.log('| part | bytes before wasm-opt | share | ≈ gzip shipped |\n|---|---:|---:|---:|');
  for (const [name, bytes] of [...parts].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1])) {
    console.log(`| ${name} | ${bytes.toLocaleString('en')} | ${(100 * bytes / total).toFixed(1)} % | ${Math.round(gzip * bytes / total).toLocaleString('en')} |`);
  }
}
