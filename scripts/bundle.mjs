// Wraps the wasm-bindgen glue and the loader (src/js/*.js) into the package's three entry files
// (COMPAT.md item 10), each minified:
// - netlify-identity-widget.js: classic script, sets window.netlifyIdentity, initialises itself,
//   and adds netlify-identity-widget-glue.js (the wasm-bindgen glue) only when the wasm is needed;
// - netlify-identity.js: UMD (CommonJS, AMD, or the global `netlifyIdentity`), no auto-init;
// - netlify-identity.mjs: ES module (default and named exports), no auto-init.
// The loader carries English — src/prerender.rs's en.json: the controls' texts and the first
// dialogs, rendered ahead of time — and those dialogs' styles; the styles of the screens only
// the wasm shows (style/screens.css, style/users.css) come with the glue. The wasm, its chunk
// and the other locales load from beside the script (its src) or the module (import.meta.url).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { transform } from 'esbuild';

const [glueFile, splitFile, prerenderDir, outDir] = process.argv.slice(2);
const source = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

// wasm-split's loader (__wasm_split.js) is an ES module that imports the glue's initSync and
// exports one load function per chunk; the no-modules glue `require`s it. It becomes an
// expression in the glue's own scope (where initSync is), fetching each chunk from
// assets(path), which every entry file defines. A bundler may inline a small chunk as a
// `data:` URL (Vite does below 4 KB), which a page's CSP (`connect-src 'self'`) refuses to
// fetch: fetchChunk decodes those itself.
const FETCH_CHUNK = `function fetchChunk(url) {
  if (url.slice(0, 5) != 'data:') return fetch(url);
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
  return `(function () {\n${FETCH_CHUNK}\n${body}\nreturn { ${names.join(', ')} };\n})()`;
}
// The glue requires it once per chunk: the first require makes it, the others take that one.
const REQUIRE_SPLIT = 'require("./__wasm_split.js")';
const glueSource = readFileSync(glueFile, 'utf8');
if (!glueSource.includes(REQUIRE_SPLIT)) throw new Error(`bundle: the glue does not ${REQUIRE_SPLIT}`);
const glue = `var wasmSplit;\n${glueSource
  .replace(REQUIRE_SPLIT, () => `(wasmSplit = ${splitLoader(readFileSync(splitFile, 'utf8'))})`)
  .replaceAll(REQUIRE_SPLIT, 'wasmSplit')}`;
// esbuild keeps custom properties' values as written; the space after their colon and after a
// comma means nothing there, and the loader counts every byte.
const css = async (files) => (await transform(files.map(source).join('\n'), { loader: 'css', minify: true })).code.trim()
  .replace(/(--[\w-]+): ([^;}]*)/g, (_, name, value) => `${name}:${value.replace(/, /g, ',')}`);
// The localhost prompt for a site URL never shows on a deployed site: it stays in locales/en.txt.
const english = JSON.parse(readFileSync(`${prerenderDir}/en.json`, 'utf8'));
delete english.pages.siteURL;
const localeCodes = readdirSync(prerenderDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const fetchedLocales = localeCodes;
const LOADER_FILES = ['controls', 'locale', 'dialog', 'user', 'wasm', 'api'];
const facade = `var ENGLISH = ${JSON.stringify(english)};
var LOCALE_CODES = ${JSON.stringify(localeCodes)};
var CONTROLS_CSS = ${JSON.stringify(await css(['style/controls.css']))};
var DIALOG_CSS = ${JSON.stringify(await css(['style/tokens.css', 'style/dialog.css', 'style/forms.css']))};
${LOADER_FILES.map((name) => source(`src/js/${name}.js`)).join('\n')}`;
// What arrives with the wasm, beside its glue: the styles of the screens only it shows, and the
// takeover of the loader's dialog.
const arrival = `var WASM_CSS = ${JSON.stringify(await css(['style/screens.css', 'style/users.css']))};
${source('src/js/takeover.js')}`;
const server = source('src/js/server.js');

const NO_BROWSER = 'typeof window === "undefined" || typeof document === "undefined"';
// Every entry defines `assets(path)`: the URL of one of the widget's files (the wasm, a chunk, a
// locale) by its path in build/; and ASSETS_HELP, what a developer reads when one is not there.
// The script tag's are beside the script: its src is read while it runs (currentScript is null
// afterwards).
const SCRIPT_BASE = 'var scriptBase = document.currentScript && document.currentScript.src || location.href;';
const scriptAssets = `${SCRIPT_BASE}
function assets(path) { return new URL(path, scriptBase).href; }
var ASSETS_HELP = "";`;
// The bundled entries (UMD and ES module): the `assetsUrl` option names the folder of the files
// when given, for a bundler that copies none of them or a bundle whose own URL is not theirs;
// otherwise they are where the entry found them (`found(path)`, which may throw), and when it
// cannot tell, an error says what to do.
const bundledAssets = (found) => `${found}
var ASSETS_HELP = ". Copy node_modules/netlify-identity-widget/build/ into the site, and name its URL with init's assetsUrl option.";
function assets(path) {
  var folder = startOptions && startOptions.assetsUrl;
  if (folder) return new URL(path, new URL(String(folder).replace(/\\/?$/, "/"), location.href)).href;
  try { return found(path); } catch (error) {
    throw new Error("netlify-identity-widget: this bundle cannot tell where its files are (" + error.message + ")" + ASSETS_HELP);
  }
}`;
// The UMD's are beside the script that holds it (right in a script tag, not in a bundle).
const umdFound = `${SCRIPT_BASE}
function found(path) { return new URL(path, scriptBase).href; }`;
// The ES module's: one literal `new URL('./x', import.meta.url)` per file, which bundlers (Vite,
// webpack 5, Parcel) copy. Each is made when asked for: in an IIFE bundle `import.meta` is
// empty and `new URL` throws, which must not break the page. They are put in after minifying,
// which would otherwise hoist `import.meta` into a variable.
const MODULE_ASSETS = 'MODULE_ASSETS_AFTER_MINIFY';
const moduleFound = `var moduleFiles = ${MODULE_ASSETS};
function found(path) { return moduleFiles[path](); }`;
const moduleFiles = () => ['netlify-identity-widget.wasm', ...fetchedLocales.map((code) => `locales/${code}.txt`), ...chunkFiles]
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
${scriptAssets}
function loadGlue() {
  return new Promise(function (resolve, reject) {
    window.__netlifyIdentityGlue = resolve;
    var script = document.createElement("script");
    script.src = assets("netlify-identity-widget-glue.js");
    script.onerror = function () { reject(new Error("netlify-identity-widget: " + script.src + " did not load")); };
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
${inlineApi(bundledAssets(umdFound))}
// \`import x from\` compiled without interop reads \`.default\`.
Object.defineProperty(api, "default", { value: api });
return api;
});`,
  'netlify-identity.mjs': `var api = (function () {
"use strict";
${inlineApi(bundledAssets(moduleFound))}
return api;
})();
export default api;
export var init = api.init, open = api.open, close = api.close, on = api.on, off = api.off,
  currentUser = api.currentUser, logout = api.logout, refresh = api.refresh,
  setLocale = api.setLocale, store = api.store, gotrue = api.gotrue;
`,
};

for (const [name, source] of Object.entries(outputs)) {
  const format = name.endsWith('.mjs') ? 'esm' : undefined;
  const { code } = await transform(source, { minify: true, target: 'es2019', format, logLevel: 'warning' });
  writeFileSync(`${outDir}/${name}`, code.replace(MODULE_ASSETS, `{ ${moduleFiles()} }`));
}
