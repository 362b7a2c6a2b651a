// npm run bench: our widget against the real netlify-identity-widget (npm 2.0.3 and 1.9.2), in
// one headless Chromium against the same local GoTrue, on identical pages, runs alternating,
// in two profiles: unthrottled (loopback), and mobile (CDP: 1.6 Mbit/s down, 750 kbit/s up,
// 150 ms round trip, CPU 4× slower), beside the same page without a widget (the floor that
// 3 and 7 are read against). A benchmark, not a test: it prints a markdown table per profile
// of medians (min–max) and our/2.0.3 ratios, and writes them to tests/bench-results.md.
// RUNS=15 by default (RUNS=3 for a quick look).
import { readFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TYPES } from './stack.mjs';
import { createUser, setUp, uniqueEmail, waitForMail } from '../tests/e2e/helpers.mjs';
import { memoryUsed, trackWasmMemories } from '../tests/e2e/browser.mjs';
import { writeBenchReport } from './bench-results.mjs';

const RUNS = Number(process.env.RUNS || 15);
const PROFILES = {
  unthrottled: null,
  mobile: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8, cpuSlowdown: 4 },
};
// The scripted person types this fast.
const KEYSTROKE_MS = 1000 / 8;
const PASSWORD = 'bench password 1';
const root = new URL('..', import.meta.url).pathname;
const WIDGETS = {
  ours: { script: '/build/netlify-identity-widget.js', dir: join(root, 'build') },
  'v2.0.3': { script: '/old/v2/netlify-identity-widget.js', dir: join(root, 'node_modules/old-widget-v2/build') },
  'v1.9.2': { script: '/old/v1/netlify-identity-widget.js', dir: join(root, 'node_modules/old-widget-v1/build') },
};
const NAMES = Object.keys(WIDGETS);
const EMPTY = 'empty';

// The same page for each widget: a long-task observer first, the widget, a menu, handlers.
// `empty.html` is that page without a widget: the floor each widget's own cost is read against.
function benchPage(name) {
  if (name === EMPTY) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench empty</title><link rel="icon" href="data:,">
</head><body><nav data-netlify-identity-menu></nav></body></html>`;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench ${name}</title><link rel="icon" href="data:,">
<script>window.marks = {}; window.longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });</script>
<script src="${WIDGETS[name].script}"></script></head><body><nav data-netlify-identity-menu></nav>
<script>netlifyIdentity.on('init', () => { marks.init = performance.now(); });
netlifyIdentity.on('login', () => { marks.login = performance.now(); });</script></body></html>`;
}

// Static files gzipped as a production host would serve them ("bytes as served").
const gzipCache = new Map();
function serve(res, path, type) {
  if (!gzipCache.has(path)) gzipCache.set(path, gzipSync(readFileSync(path), { level: 9 }));
  res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', 'cache-control': 'no-cache' });
  res.end(gzipCache.get(path));
}
function routes(url, req, res) {
  const page = url.pathname.match(/^\/bench\/([\w.]+)\.html$/);
  if (page && (WIDGETS[page[1]] || page[1] === EMPTY)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    res.end(gzipSync(benchPage(page[1]), { level: 9 }));
    return true;
  }
  const file = url.pathname.match(/^\/(build|old\/v1|old\/v2)\/(.+)$/);
  if (!file) return false;
  const dir = { build: WIDGETS.ours.dir, 'old/v1': WIDGETS['v1.9.2'].dir, 'old/v2': WIDGETS['v2.0.3'].dir }[file[1]];
  const path = normalize(join(dir, decodeURIComponent(file[2])));
  if (!path.startsWith(dir) || !existsSync(path)) return false;
  serve(res, path, TYPES[extname(path)] || 'application/octet-stream');
  return true;
}

/** Counts bytes on the wire (gzip as served) for every response of `page`, via CDP. */
async function byteCounter(page) {
  const session = await page.context().newCDPSession(page);
  let bytes = 0;
  session.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await session.send('Network.enable');
  return { session, bytes: () => bytes };
}

/** Waits until no request has started or finished for `quietMs`. */
async function networkQuiet(page, quietMs = 500) {
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  page.on('request', touch);
  page.on('requestfinished', touch);
  while (Date.now() - last < quietMs) await new Promise((r) => setTimeout(r, 50));
  page.off('request', touch);
  page.off('requestfinished', touch);
}

// Where each widget's fields live: ours in a shadow root, the old ones in an iframe. A field
// takes input when it shows and is enabled; ours must also have the focus (the old widgets
// never focus it: the person clicks into it, which is not counted against them).
const FIELDS = {
  email: { ours: '#gw-email', old: 'input[name=email]' },
  password: { ours: '#gw-password', old: 'input[name=password]' },
  newPassword: { ours: '#gw-new-password', old: 'input[name=password]' },
};

// Watches, in the page, every frame until the field takes input, and records that frame's time
// in `window.fieldReadyAt`: the page's own clock, not the test's polling after its round trip.
// Armed before what shows the field (as an init script for a page load). The first field of a
// form (email, the new password) is where ours puts the focus.
function fieldProbe(name, kind) {
  const ours = name === 'ours';
  const selector = FIELDS[kind][ours ? 'ours' : 'old'];
  const focused = ours && kind !== 'password';
  return `(() => {
    const takesInput = () => {
      const host = document.querySelector('#netlify-identity-widget');
      const root = ${ours} ? host?.shadowRoot : host?.contentDocument;
      const input = root?.querySelector(${JSON.stringify(selector)});
      return input && input.offsetWidth > 0 && !input.disabled && (${!focused} || root.activeElement === input);
    };
    delete window.fieldReadyAt;
    const frame = () => { if (takesInput()) window.fieldReadyAt = performance.now(); else requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })()`;
}
const fieldReadyAt = (page) => page.waitForFunction(() => window.fieldReadyAt, null, { timeout: 60000 }).then((h) => h.jsonValue());

/** A page in `profile`: its network and CPU slowed through CDP before anything loads. */
async function profiledPage(context, profile) {
  const page = await context.newPage();
  if (profile) {
    const session = await context.newCDPSession(page);
    await session.send('Network.enable');
    await session.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latency, downloadThroughput: profile.downloadThroughput, uploadThroughput: profile.uploadThroughput });
    await session.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
  }
  return page;
}

/** Bytes of every response finished by `time` (the page's clock), as resource timing counts them. */
function bytesBy(page, time) {
  return page.evaluate((t) => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .filter((e) => e.responseEnd <= t).reduce((sum, e) => sum + e.transferSize, 0), time);
}

/** One run of one widget in one profile: returns the measures. */
async function run(env, name, site, profile) {
  const measures = {};
  // 1, 3, 4, 7: a page load nobody touches; then 2: open the login dialog.
  let context = await env.browser.newContext();
  await trackWasmMemories(context);
  let page = await profiledPage(context, profile);
  let counter = await byteCounter(page);
  await page.goto(`${site}/bench/${name}.html`);
  await page.waitForFunction(() => window.marks.init !== undefined, null, { timeout: 60000 });
  await networkQuiet(page);
  measures.loadBytes = counter.bytes();
  measures.initMs = await page.evaluate(() => window.marks.init);
  measures.tbtMs = await page.evaluate(() => window.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0));
  const memory = await memoryUsed(counter.session);
  measures.memoryBytes = memory.jsHeap + memory.wasm;
  // What finished downloading before the dialog took input (ours loads the wasm on after that).
  await page.evaluate(fieldProbe(name, 'email'));
  await page.evaluate(() => netlifyIdentity.open('login'));
  measures.dialogBytes = await bytesBy(page, await fieldReadyAt(page));
  await context.close();

  // 5: a recovery link to the new-password field accepting input.
  const email = uniqueEmail(`bench-${name}`);
  await createUser(env.stack, email, PASSWORD);
  await fetch(`${env.stack.apiUrl}/recover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  const token = decodeURIComponent((await waitForMail(env.stack, email, /reset/i)).link.match(/recovery_token=([^&]+)/)[1]);
  context = await env.browser.newContext();
  page = await profiledPage(context, profile);
  await page.addInitScript(fieldProbe(name, 'newPassword'));
  await page.goto(`${site}/bench/${name}.html#recovery_token=${token}`, { waitUntil: 'commit' });
  measures.recoveryMs = await fieldReadyAt(page);
  await context.close();

  // 8, 9: clicking the menu's "Log in" to the email field taking input, and the bytes by then.
  context = await env.browser.newContext();
  page = await profiledPage(context, profile);
  await page.goto(`${site}/bench/${name}.html`);
  await page.waitForFunction(() => window.marks.init !== undefined, null, { timeout: 60000 });
  await markClick(page, name);
  await page.evaluate(fieldProbe(name, 'email'));
  await page.locator('.netlify-identity-login').click();
  const ready = await fieldReadyAt(page);
  measures.formMs = ready - await page.evaluate(() => window.marks.click);
  measures.formBytes = await bytesBy(page, ready);
  await context.close();

  // 10: a person clicks "Log in", types email and password at 8 keys a second, and submits.
  context = await env.browser.newContext();
  page = await profiledPage(context, profile);
  await page.goto(`${site}/bench/${name}.html`);
  await page.waitForFunction(() => window.marks.init !== undefined, null, { timeout: 60000 });
  await markClick(page, name);
  await page.locator('.netlify-identity-login').click();
  const form = name === 'ours' ? page.locator('#netlify-identity-widget') : page.frameLocator('#netlify-identity-widget').locator('body');
  await form.locator(FIELDS.email[name === 'ours' ? 'ours' : 'old']).pressSequentially(email, { delay: KEYSTROKE_MS, timeout: 60000 });
  await form.locator(FIELDS.password[name === 'ours' ? 'ours' : 'old']).pressSequentially(PASSWORD, { delay: KEYSTROKE_MS, timeout: 60000 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.marks.login !== undefined, null, { timeout: 60000 });
  measures.personMs = await page.evaluate(() => window.marks.login - window.marks.click);
  await context.close();

  // 6: clicking "Log in" to the login event, and the API requests in between, with the widget
  // loaded (the old ones' script; ours' wasm, which has loaded the settings): the login itself.
  // A person who types before the wasm arrives is measure 10.
  context = await env.browser.newContext();
  page = await profiledPage(context, profile);
  await page.goto(`${site}/bench/${name}.html`);
  await page.waitForFunction(() => window.marks.init !== undefined);
  await page.evaluate(fieldProbe(name, 'password'));
  await page.evaluate(() => netlifyIdentity.open('login'));
  await fieldReadyAt(page);
  await page.waitForFunction(() => netlifyIdentity.store.settings, null, { timeout: 60000 });
  const frame = name === 'ours' ? page : page.frameLocator('#netlify-identity-widget');
  const scope = name === 'ours' ? page.locator('#netlify-identity-widget') : frame.locator('body');
  await scope.locator(FIELDS.email[name === 'ours' ? 'ours' : 'old']).fill(email);
  await scope.locator(FIELDS.password[name === 'ours' ? 'ours' : 'old']).fill(PASSWORD);
  await markClick(page, name, true);
  await scope.locator('button[type=submit], form button:not([type])').first().click();
  await page.waitForFunction(() => window.marks.login !== undefined, null, { timeout: 60000 });
  measures.loginMs = await page.evaluate(() => window.marks.login - window.marks.click);
  // Requests the page started between the click and the login event (resource timing).
  measures.loginRequests = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/.netlify/identity/') && e.startTime >= window.marks.click && e.startTime <= window.marks.login).length);
  await context.close();
  return measures;
}

/** The page without a widget in `profile`: navigation to DOMContentLoaded, and its JS heap. */
async function runEmpty(env, site, profile) {
  const context = await env.browser.newContext();
  await trackWasmMemories(context);
  const page = await profiledPage(context, profile);
  const counter = await byteCounter(page);
  await page.goto(`${site}/bench/${EMPTY}.html`);
  await networkQuiet(page);
  const readyMs = await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart);
  const memory = await memoryUsed(counter.session);
  await context.close();
  return { readyMs, memoryBytes: memory.jsHeap + memory.wasm };
}

/** Records the next click's time, on the page's clock, from the page or the old widget's frame. */
function markClick(page, name, inDialog = false) {
  return page.evaluate(([ours, inDialog]) => {
    const target = ours || !inDialog ? document : document.querySelector('#netlify-identity-widget').contentDocument;
    target.addEventListener('click', () => { window.marks.click = performance.now(); }, { capture: true, once: true });
  }, [name === 'ours', inDialog]);
}

const METRICS = [
  ['loadBytes', '1. bytes on a page load nobody touches (gzip as served)', 'B', 0.15],
  ['dialogBytes', '2. bytes by the time the login dialog is usable', 'B', 1.0],
  ['initMs', '3. navigation to the `init` event', 'ms', null],
  ['tbtMs', '4. total blocking time during load', 'ms', 0.5],
  ['recoveryMs', '5. `#recovery_token=` link to the new-password field accepting input', 'ms', 0.5],
  ['loginMs', '6. clicking "Log in" to the `login` event', 'ms', 1.0],
  ['loginRequests', '6b. API requests for a login', '', null],
  ['memoryBytes', '7. JS heap plus wasm memory after init', 'B', null],
  ['formMs', '8. clicking the menu\'s "Log in" to the email field taking input', 'ms', 0.5],
  ['formBytes', '9. bytes transferred by then', 'B', 0.3],
  ['personMs', '10. a person clicks "Log in", types at 8 keys/s and submits: click to `login`', 'ms', 1.0],
];

// Each widget's own cost in 3 and 7: its median less the same page's without a widget.
const OWN_COSTS = {
  initMs: { floorKey: 'readyMs', label: '3f. own time: 3 less the empty page\'s navigation to DOMContentLoaded', unit: 'ms' },
  memoryBytes: { floorKey: 'memoryBytes', label: '7f. own memory: 7 less the empty page\'s JS heap', unit: 'B' },
};

const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const show = (value, unit) => unit === 'ms' ? value.toFixed(1) : Math.round(value).toLocaleString('en');

const env = await setUp({ port: 8969, extraRoutes: routes });
try {
  const site = env.stack.siteLikeUrl; // loopback, but not a localhost name: no dev prompt
  const sections = [];
  for (const [profileName, profile] of Object.entries(PROFILES)) {
    const results = Object.fromEntries(NAMES.map((n) => [n, []]));
    const floor = [];
    const pages = [...NAMES, EMPTY];
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order each run so no page always goes first.
      for (const name of [...pages.slice(i % pages.length), ...pages.slice(0, i % pages.length)]) {
        if (name === EMPTY) floor.push(await runEmpty(env, site, profile));
        else results[name].push(await run(env, name, site, profile));
      }
      process.stderr.write(`bench: ${profileName} run ${i + 1}/${RUNS}\n`);
    }
    sections.push(`## ${profileName}${profile ? ' (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU 4× slower)' : ' (loopback)'}\n\n${table(results, floor)}`);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${env.browser.version()} (Chromium, headless); ${RUNS} runs each per profile, alternating`;
  const report = sections.join('\n\n');
  writeBenchReport(`# Benchmark: gotrue-widget against netlify-identity-widget\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. ${machine}.\n\n${report}\n`);
  console.log(report);
  console.log(`\n${machine}`);
} finally {
  await env.tearDown();
}

function table(results, floor) {
  const header = `| measure | ${NAMES.map((n) => `${n} median (min–max)`).join(' | ')} | ours / 2.0.3 | target |`;
  const lines = [header, `|---|${NAMES.map(() => '---:').join('|')}|---:|---:|`];
  for (const [key, label, unit, target] of METRICS) {
    const cells = NAMES.map((n) => {
      const values = results[n].map((r) => r[key]);
      return `${show(median(values), unit)} (${show(Math.min(...values), unit)}–${show(Math.max(...values), unit)})`;
    });
    const [ours, old] = [median(results.ours.map((r) => r[key])), median(results['v2.0.3'].map((r) => r[key]))];
    const ratio = ours / old;
    // Both nothing (no blocking time at all): as good as it gets, not a failed ratio.
    const met = ratio <= target || (ours === 0 && old === 0);
    const verdict = target === null ? '' : `≤ ${target} ${met ? 'met' : 'not met'}`;
    lines.push(`| ${label}${unit ? ` (${unit})` : ''} | ${cells.join(' | ')} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'} | ${verdict} |`);
    const own = OWN_COSTS[key];
    if (own) lines.push(ownCostRow(results, floor, key, own));
  }
  return lines.join('\n');
}

function ownCostRow(results, floor, key, { floorKey, label, unit }) {
  const empty = median(floor.map((r) => r[floorKey]));
  const own = (name) => median(results[name].map((r) => r[key])) - empty;
  // An own cost within the noise of the floor (at or below it) has no meaningful ratio.
  const ratio = own('ours') > 0 && own('v2.0.3') > 0 ? (own('ours') / own('v2.0.3')).toFixed(2) : '–';
  const cells = NAMES.map((n) => show(own(n), unit));
  return `| ${label}, ${show(empty, unit)} ${unit} (${unit}) | ${cells.join(' | ')} | ${ratio} | |`;
}
