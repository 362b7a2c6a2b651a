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
// assets.chunk(file), which every entry file defines. A bundler may inline a small chunk as a
// `data:` URL (Vite does below 4 KB), which a page's CSP (`connect-src 'self'`) refuses to
// fetch: fetchChunk decodes those itself.
const FETCH_CHUNK = `function fetchChunk(url) {
  if (url.slice(0, 5) != 'data:') return fetch(url);
  var bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), function (c) { return c.charCodeAt(0); });
  return Promise.resolve(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
}`;
const chunkFiles = [];
function splitLoader(code) {
  const names = [];
  const body = code
    .replace(/^import \{ initSync \} from "\.\/gotrue_widget\.js";$/m, '')
    .replace(/^export const (\w+) =/gm, (_, name) => { names.push(name); return `const ${name} =`; })
    .replace(/\/\*[^*]*\*\//g, '')
    .replace(/fetch\(new URL\("\.\/((?:split_\w+|chunk_\d+)\.wasm)", import\.meta\.url\)\)/g, (_, file) => { chunkFiles.push(file); return `fetchChunk(assets.chunk(${JSON.stringify(file)}))`; });
  if (/\bimport\b|\bexport\b/.test(body) || names.length === 0) throw new Error(`bundle: ${splitFile} is not in the expected shape`);
  return `(function () {\n${FETCH_CHUNK}\n${body}\nreturn { ${names.join(', ')} };\n})()`;
}
// The glue requires it once per chunk: the first require makes it, the others take that one.
const REQUIRE_SPLIT = 'require("./__wasm_split.js")';
const glueSource = readFileSync(glueFile, 'utf8');
if (!glueSource.includes(REQUIRE_SPLIT)) throw new Error(`bundle: the glue does not ${REQUIRE_SPLIT}`);
const glue = `var wasmSplit;\n${glueSource
  .replace(REQUIRE_SPLIT, () => `(wasmSplit = ${splitLoader(readFileSync(splitFile, 'utf8'))})`)
  .replaceAll(REQUIRE_SPLIT, 'wasmSplit')}`;
// A chunk split_X.wasm (or the code two chunks share, chunk_N.wasm) is published beside the
// wasm as netlify-identity-widget-X.wasm (-chunk_N.wasm).
const CHUNK_URL = '"netlify-identity-widget-" + file.replace(/^split_/, "")';
// esbuild keeps custom properties' values as written; the space after their colon and after a
// comma means nothing there, and the loader counts every byte.
const css = async (files) => (await transform(files.map(source).join('\n'), { loader: 'css', minify: true })).code.trim()
  .replace(/(--[\w-]+): ([^;}]*)/g, (_, name, value) => `${name}:${value.replace(/, /g, ',')}`);
// The localhost prompt for a site URL never shows on a deployed site: it stays in locales/en.json.
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
// Beside the script: its src is read while it runs (currentScript is null afterwards). The
// chunk's URL serves the glue, which the UMD carries inline (the script tag's glue has its own).
const scriptAssets = (withChunk) => `var scriptBase = document.currentScript && document.currentScript.src || location.href;
var assets = { wasm: new URL("netlify-identity-widget.wasm", scriptBase).href,
  locale: function (code) { return new URL("locales/" + code + ".json", scriptBase).href; }${withChunk ? `,
  chunk: function (file) { return new URL(${CHUNK_URL}, scriptBase).href; }` : ''} };`;
// Literal `new URL('./x', import.meta.url)`: bundlers (Vite, webpack 5, Parcel) copy the files.
// It is put in after minifying, which would otherwise hoist `import.meta` into a variable.
const MODULE_ASSETS = 'MODULE_ASSETS_AFTER_MINIFY';
const moduleAssets = `var assets = ${MODULE_ASSETS};`;
// One literal per locale file, so a bundler copies each.
const localeUrls = fetchedLocales.map((code) => `${JSON.stringify(code)}: new URL("./locales/${code}.json", import.meta.url).href`).join(', ');
const chunkUrls = chunkFiles.map((file) => `${JSON.stringify(file)}: new URL("./netlify-identity-widget-${file.replace(/^split_/, '')}", import.meta.url).href`).join(', ');
const moduleAssetUrls = `{ wasm: new URL("./netlify-identity-widget.wasm", import.meta.url).href, locale: function (code) { return ({ ${localeUrls} })[code]; }, chunk: function (file) { return ({ ${chunkUrls} })[file]; } }`;
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
${scriptAssets(false)}
function loadGlue() {
  return new Promise(function (resolve, reject) {
    window.__netlifyIdentityGlue = resolve;
    var script = document.createElement("script");
    script.src = new URL("netlify-identity-widget-glue.js", scriptBase).href;
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
var assets = { chunk: function (file) { return new URL(${CHUNK_URL}, glueBase).href; } };
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
${inlineApi(scriptAssets(true))}
// \`import x from\` compiled without interop reads \`.default\`.
Object.defineProperty(api, "default", { value: api });
return api;
});`,
  'netlify-identity.mjs': `var api = (function () {
"use strict";
${inlineApi(moduleAssets)}
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
  writeFileSync(`${outDir}/${name}`, code.replace(MODULE_ASSETS, moduleAssetUrls));
}
