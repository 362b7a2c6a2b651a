// Wraps the wasm-bindgen glue and the loader (src/js/*.js) into the package's three entry files
// (COMPAT.md item 10), each minified:
// - netlify-identity-widget.js: classic script, sets window.netlifyIdentity, initialises itself,
//   and adds netlify-identity-widget-glue.js (the wasm-bindgen glue) only when the wasm is needed;
// - netlify-identity.js: UMD (CommonJS, AMD, or the global `netlifyIdentity`), no auto-init;
// - netlify-identity.mjs: ES module (default and named exports), no auto-init.
// The loader carries English — src/prerender.rs's en.json: the controls' texts and the first
// dialogs, rendered ahead of time — and those dialogs' styles; the styles of the screens only
// the wasm shows (style/screens.css, style/users.css) come with the glue, and those of a chunk's
// screens with the chunk (src/js/chunk.js). The wasm, its chunks and the other locales load from the folder `assetsUrl` (or a script tag's data-assets-url)
// names, else from beside the script (its src) or the module (import.meta.url).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { minify as terser } from 'terser';

const [glueFile, splitFile, prerenderDir, outDir] = process.argv.slice(2);
const source = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

// wasm-split's loader (__wasm_split.js) is an ES module that imports the glue's initSync and
// exports one load function per chunk; the no-modules glue `require`s it. It becomes an
// expression in the glue's own scope (where initSync is), fetching each chunk from
// assets(path), which every entry file defines. A bundler may inline a small chunk as a
// `data:` URL (Vite does below 4 KB), which a page's CSP (`connect-src 'self'`) refuses to
// fetch: fetchChunk decodes those itself. A chunk file the server does not have fails with a
// message naming it, which the wasm shows (src/browser/chunk.rs reads it by the name
// missingChunkFile, in the glue's scope as the glue's imports look everything up); a network
// failure leaves none, and the wasm says offline.
const FETCH_CHUNK = `var chunkMissing;
function missingChunkFile() { return chunkMissing; }
function fetchChunk(url) {
  chunkMissing = undefined;
  if (url.slice(0, 5) != 'data:') return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(chunkMissing = 'netlify-identity-widget: ' + url + ' answered HTTP ' + response.status + '. The files of build/ go together: copy all of them.');
    return response;
  });
  var bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), function (c) { return c.charCodeAt(0); });
  return Promise.resolve(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
}`;
// A chunk split_X.wasm (or the code two chunks share, chunk_N.wasm) is published beside the
// wasm as netlify-identity-widget-X.wasm (-chunk_N.wasm).
const published = (file) => `netlify-identity-widget-${file.replace(/^split_/, '')}`;
const chunkFiles = [];
function splitLoader(code) {
  const names = [];
  const body = code
    .replace(/^import \{ initSync \} from "\.\/gotrue_widget\.js";$/m, '')
    .replace(/^export const (\w+) =/gm, (_, name) => { names.push(name); return `const ${name} =`; })
    .replace(/\/\*[^*]*\*\//g, '')
    .replace(/fetch\(new URL\("\.\/((?:split_\w+|chunk_\d+)\.wasm)", import\.meta\.url\)\)/g, (_, file) => { chunkFiles.push(published(file)); return `fetchChunk(assets(${JSON.stringify(published(file))}))`; });
  // What is left of the module outside its strings (a chunk may be named `import`).
  const outsideStrings = body.replace(/"[^"]*"/g, '""');
  if (/\bimport\b|\bexport\b/.test(outsideStrings) || names.length === 0) throw new Error(`bundle: ${splitFile} is not in the expected shape`);
  return `(function () {\n${body}\nreturn { ${names.join(', ')} };\n})()`;
}
// The glue requires it once per chunk: the first require makes it, the others take that one.
const REQUIRE_SPLIT = 'require("./__wasm_split.js")';
const glueSource = readFileSync(glueFile, 'utf8');
if (!glueSource.includes(REQUIRE_SPLIT)) throw new Error(`bundle: the glue does not ${REQUIRE_SPLIT}`);
const glue = `var wasmSplit;\n${FETCH_CHUNK}\n${glueSource
  .replace(REQUIRE_SPLIT, () => `(wasmSplit = ${splitLoader(readFileSync(splitFile, 'utf8'))})`)
  .replaceAll(REQUIRE_SPLIT, 'wasmSplit')}`;
// esbuild keeps custom properties' values as written, and the spaces around `*` and `/` (in
// calc() and rgb()); the space after their colon and after a comma means nothing there, nor
// those, and the loader counts every byte.
const css = async (files) => (await transform(files.map(source).join('\n'), { loader: 'css', minify: true })).code.trim()
  .replace(/(--[\w-]+): ([^;}]*)/g, (_, name, value) => `${name}:${value.replace(/, /g, ',')}`)
  .replace(/ ([*/]) /g, '$1');
// The localhost prompt for a site URL never shows on a deployed site, and an invite's password
// form only to the few an invite link brings: they stay in locales/en.txt, fetched when opened.
const english = JSON.parse(readFileSync(`${prerenderDir}/en.json`, 'utf8'));
delete english.pages.siteURL;
delete english.pages.invite;
const localeCodes = readdirSync(prerenderDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const LOADER_FILES = ['controls', 'locale', 'dialog', 'user', 'wasm', 'api'];
// The locale codes travel as one string: fewer bytes than an array literal.
const facade = `var ENGLISH = ${JSON.stringify(english)};
var LOCALE_CODES = ${JSON.stringify(localeCodes.join(' '))}.split(" ");
var CONTROLS_CSS = ${JSON.stringify(await css(['style/controls.css']))};
var DIALOG_CSS = ${JSON.stringify(await css(['style/tokens.css', 'style/dialog.css', 'style/forms.css']))};
${LOADER_FILES.map((name) => source(`src/js/${name}.js`)).join('\n')}`;
// What arrives with the wasm, beside its glue: the styles of the screens only it shows, the
// takeover of the loader's dialog, and the cookie, storage, passkey and chunk calls the wasm
// imports.
const arrival = `var WASM_CSS = ${JSON.stringify(await css(['style/screens.css', 'style/users.css']))};
${source('src/js/takeover.js')}
${source('src/js/cookies.js')}
${source('src/js/passkey.js')}
${source('src/js/chunk.js')}`;
// What a chunk shows that is not code (wasm-split leaves data in the main module): its styles
// and the English of its texts (src/prerender.rs's chunks/<chunk>.json), in
// netlify-identity-widget-<chunk>.txt, which src/js/chunk.js fetches with the chunk.
const CHUNK_STYLES = { account_security: ['style/account-security.css'] };
const extrasFiles = [];
for (const [chunk, styles] of Object.entries(CHUNK_STYLES)) {
  const english = JSON.parse(readFileSync(`${prerenderDir}/chunks/${chunk}.json`, 'utf8'));
  const file = `netlify-identity-widget-${chunk}.txt`;
  writeFileSync(`${outDir}/${file}`, JSON.stringify({ css: await css(styles), english }));
  extrasFiles.push(file);
}
const server = source('src/js/server.js');

const NO_BROWSER = 'typeof window === "undefined" || typeof document === "undefined"';
// Every entry defines `assets(path)`: the URL of one of the widget's files (the wasm, a chunk, a
// locale) by its path in build/, one way for all: in the folder init's `assetsUrl` option names,
// else where the entry found them (`found(path)`, which may throw: then the error says what to
// do). ASSETS_HELP is what a developer reads when a file is not there.
const entryAssets = (found, help) => `${found}
var ASSETS_HELP = ${JSON.stringify(help)};
function folderUrl(folder) { return folder && new URL(String(folder).replace(/\\/?$/, "/"), location.href); }
function assets(path) {
  try {
    var folder = folderUrl(startOptions && startOptions.assetsUrl);
    return folder ? new URL(path, folder).href : found(path);
  } catch (error) {
    throw missingFiles("cannot tell where its files are (" + error.message + ")");
  }
}`;
// A script tag's (the loader's, or the UMD's right in a page) are in the folder its
// data-assets-url names, else beside it: both read while it runs (currentScript is null
// afterwards), the folder resolved when asked for (a wrong one must not break the page).
const besideScript = `var ownScript = document.currentScript;
var scriptFolder = ownScript && ownScript.dataset.assetsUrl;
var scriptBase = ownScript && ownScript.src || location.href;
function found(path) { return new URL(path, folderUrl(scriptFolder) || scriptBase).href; }`;
const scriptHelp = '. Serve build/ beside the script, or name its URL in data-assets-url.';
const bundleHelp = '. Copy node_modules/netlify-identity-widget/build/ into the site, and name its URL with init\'s assetsUrl option.';
// The ES module's: one literal `new URL('./x', import.meta.url)` per file, which bundlers (Vite,
// webpack 5, Parcel) copy. Each is made when asked for: in an IIFE bundle `import.meta` is
// empty and `new URL` throws, which must not break the page. They are put in after minifying,
// which would otherwise hoist `import.meta` into a variable.
const MODULE_ASSETS = 'MODULE_ASSETS_AFTER_MINIFY';
const moduleFound = `var moduleFiles = ${MODULE_ASSETS};
function found(path) { return moduleFiles[path](); }`;
const moduleFiles = () => ['netlify-identity-widget.wasm', ...localeCodes.map((code) => `locales/${code}.txt`), ...chunkFiles, ...extrasFiles]
  .map((path) => `${JSON.stringify(path)}: function () { return new URL("./${path}", import.meta.url).href; }`).join(', ');
const publish = 'if (typeof window.GoTrue === "undefined") window.GoTrue = GoTrue;';

// The UMD and ES module body: the API with the glue inline (bundlers take one file), or the
// same-shape server API where there is no browser.
const inlineApi = (assetsCode) => `${server}
if (${NO_BROWSER}) return serverApi;
${assetsCode}
${glue}
${arrival}
function loadGlue() { return Promise.resolve({ bindgen: wasm_bindgen, css: WASM_CSS, swapIn: swapIn }); }
${facade}
${publish}`;

const outputs = {
  // The loader: no glue; it adds the glue's script when the wasm is needed.
  'netlify-identity-widget.js': `(function () {
"use strict";
if (${NO_BROWSER}) return;
${entryAssets(besideScript, scriptHelp)}
function loadGlue() {
  return new Promise(function (resolve, reject) {
    window.__netlifyIdentityGlue = resolve;
    var script = document.createElement("script");
    script.src = assets("netlify-identity-widget-glue.js");
    script.onerror = function () { reject(missingFiles(script.src + " did not load")); };
    document.head.appendChild(script);
  });
}
${facade}
window.netlifyIdentity = api;
${publish}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { api.init(); });
else api.init();
})();`,
  // The wasm-bindgen glue, loaded by the script-tag loader on demand.
  'netlify-identity-widget-glue.js': `(function () {
"use strict";
var glueBase = document.currentScript && document.currentScript.src || location.href;
function assets(path) { return new URL(path, glueBase).href; }
${glue}
${arrival}
var hand = window.__netlifyIdentityGlue;
delete window.__netlifyIdentityGlue;
hand({ bindgen: wasm_bindgen, css: WASM_CSS, swapIn: swapIn });
})();`,
  'netlify-identity.js': `(function (root, factory) {
if (typeof define === "function" && define.amd) define([], factory);
else if (typeof module === "object" && module.exports) module.exports = factory();
else root.netlifyIdentity = factory();
})(typeof self !== "undefined" ? self : this, function () {
"use strict";
${inlineApi(entryAssets(besideScript, bundleHelp))}
// \`import x from\` compiled without interop reads \`.default\`.
Object.defineProperty(api, "default", { value: api });
return api;
});`,
  'netlify-identity.mjs': `var api = (function () {
"use strict";
${inlineApi(entryAssets(moduleFound, bundleHelp))}
return api;
})();
export default api;
export var init = api.init, open = api.open, close = api.close, on = api.on, off = api.off,
  currentUser = api.currentUser, logout = api.logout, refresh = api.refresh,
  setLocale = api.setLocale, store = api.store, gotrue = api.gotrue;
`,
};

// The script tag's two files load straight into browsers, which all run ES2020 where wasm runs:
// terser's further passes (function expressions as arrows among them) take about 150 B off the
// loader every page pays for. The UMD and the ES module stay ES2019 for old bundlers' parsers.
const SCRIPT_TAG_FILES = ['netlify-identity-widget.js', 'netlify-identity-widget-glue.js'];
const TERSER = { ecma: 2020, compress: { passes: 2, unsafe_arrows: true, unsafe_methods: true }, mangle: true };
for (const [name, source] of Object.entries(outputs)) {
  const format = name.endsWith('.mjs') ? 'esm' : undefined;
  const { code } = await transform(source, { minify: true, target: 'es2019', format, logLevel: 'warning' });
  const final = SCRIPT_TAG_FILES.includes(name) ? (await terser(code, TERSER)).code : code;
  writeFileSync(`${outDir}/${name}`, final.replace(MODULE_ASSETS, `{ ${moduleFiles()} }`));
}
