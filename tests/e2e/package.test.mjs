// The npm package as its users take it (COMPAT.md B, items 7–11): `npm pack`, installed into a
// fresh app under the old package's name; Node's require and import; a TypeScript compile of
// consumer code; the same app built by each bundler (Vite, webpack, Parcel, Rollup, esbuild) and
// by two frameworks (Astro, Next.js), and run in Chromium against the real stack.
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { STRICT_CSP, TYPES, cache } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail } from './helpers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The bundled apps get the strict CSP too. Parcel writes an inline import map into the page, and
 * Next.js its inline scripts, which a site with that CSP allows by their hashes, as done here.
 */
function appCsp(html) {
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([^<]+)<\/script>/g)].map(([, text]) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  return inline.length ? STRICT_CSP.replace("script-src 'self'", `script-src 'self' ${inline.join(' ')}`) : STRICT_CSP;
}
const bin = (name) => join(root, 'node_modules', '.bin', name);
// Asynchronous, so the stack's servers in this process keep answering during a build (a build
// that held the event loop for seconds left the HTTP client a closed keep-alive socket).
const execFileAsync = promisify(execFile);
const run = async (command, args, cwd, env = {}) =>
  (await execFileAsync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;

let work;
let app;
let tarball;
let env;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gotrue-widget-package-'));
  const packed = JSON.parse(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root));
  tarball = packed[0];
  app = join(work, 'app');
  cpSync(join(root, 'tests/package/app'), app, { recursive: true });
  for (const dir of ['types', 'node']) cpSync(join(root, 'tests/package', dir), app, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  // Sites swap the dependency and keep their imports: `netlify-identity-widget` is ours.
  manifest.dependencies = { 'netlify-identity-widget': `file:${join(work, tarball.filename)}` };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
  env = await setUp({
    port: 8997,
    extraRoutes(url, req, res) {
      // /<bundler>/… is app/dist-<bundler>/….
      const [, bundler, rest] = url.pathname.match(/^\/(\w+)\/(.*)$/) ?? [];
      if (!bundler || !existsSync(join(app, `dist-${bundler}`))) return false;
      const dist = join(app, `dist-${bundler}`);
      const file = normalize(join(dist, rest || 'index.html'));
      const found = file.startsWith(dist) && existsSync(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream' };
      if (found && extname(file) === '.html') headers['content-security-policy'] = appCsp(readFileSync(file, 'utf8'));
      res.writeHead(found ? 200 : 404, headers);
      res.end(found ? readFileSync(file) : 'not found');
      return true;
    },
  });
});
after(async () => {
  await env?.tearDown();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('COMPAT 10: the package ships the script-tag file, the UMD, an ES module, types, the wasm, the locales and the admin function', () => {
  const files = tarball.files.map((f) => f.path).sort();
  // The styles travel inside the scripts (the loader's and the glue's); no CSS file is fetched.
  for (const name of ['netlify-identity-widget.js', 'netlify-identity-widget-glue.js', 'netlify-identity.js', 'netlify-identity.mjs', 'netlify-identity.d.ts', 'netlify-identity-widget.wasm', 'netlify-identity-widget-manage.wasm', 'locales/fr.txt', 'functions/identity-admin.mjs', 'functions/identity-admin.cjs', 'auth0/login.js', 'auth0/get-user.js']) {
    assert.ok(files.includes(`build/${name}`), `build/${name} is packed (packed: ${files.join(', ')})`);
  }
  for (const name of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) assert.ok(files.includes(name), `${name} is packed`);
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('tests/')), 'sources and tests stay out');
});

test('COMPAT 7, 8: require() and import under Node give the API; nothing throws; nobody is logged in', async () => {
  assert.equal((await run('node', ['require.cjs'], app)).trim(), 'require: ok');
  assert.equal((await run('node', ['import.mjs'], app)).trim(), 'import: ok');
});

test('COMPAT 11: consumer code, the DefinitelyTyped uses included, compiles against our types', async () => {
  for (const config of ['tsconfig.json', 'tsconfig.bundler.json']) {
    try {
      await run(bin('tsc'), ['-p', config], app);
    } catch (error) {
      assert.fail(`tsc -p ${config}:\n${error.stdout}${error.stderr}`);
    }
  }
  // The compile can fail: a wrong use is reported.
  mkdirSync(join(app, 'wrong'));
  writeFileSync(join(app, 'wrong', 'wrong.ts'), "import { open } from 'netlify-identity-widget';\nopen('nonsense');\n");
  const options = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')).compilerOptions;
  writeFileSync(join(app, 'wrong', 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['wrong.ts'] }));
  await assert.rejects(run(bin('tsc'), ['-p', 'wrong/tsconfig.json'], app), (error) => /not assignable/.test(error.stdout));
});

test('the types declare every method and option the README documents', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const types = readFileSync(join(root, 'src/js/netlify-identity.d.ts'), 'utf8');
  // What a site calls: from "Use it on a site" to the events (later sections name other
  // libraries' functions, @netlify/identity's, and the development notes name tools).
  const usage = readme.slice(readme.indexOf('## Use it on a site'), readme.indexOf('### Emailed links'));
  const methods = new Set();
  for (const [, code] of usage.matchAll(/`([^`\n]+)`/g)) {
    for (const [, name] of code.matchAll(/(?:^|[.\s])([a-zA-Z_]\w*)\(/g)) methods.add(name);
  }
  // Rollup's plugin, named where the README tells how to bundle the package.
  methods.delete('importMetaAssets');
  const declared = (name) => new RegExp(`(?:^|[\\s(])(?:function |new )?${name}\\??(?:<[^>]*>)?\\(|\\b${name}\\??: *(?:\\(|new|typeof)`, 'm').test(types);
  assert.ok(methods.has('importUsers') && methods.size > 30, `the README's methods were found (${[...methods].join(', ')})`);
  assert.deepEqual([...methods].filter((name) => !declared(name)), [], 'documented methods missing from netlify-identity.d.ts');
  const table = usage.slice(usage.indexOf('### Options'), usage.indexOf('### API'));
  const options = [...table.matchAll(/^\| `(\w+)` \|/gm)].map(([, name]) => name);
  assert.ok(options.length > 15, `the options table was found (${options.join(', ')})`);
  const initOptions = types.slice(types.indexOf('export interface InitOptions'), types.indexOf('\n}\n', types.indexOf('export interface InitOptions')));
  assert.deepEqual(options.filter((name) => !new RegExp(`^  ${name}\\?:`, 'm').test(initOptions)), [], 'documented options missing from InitOptions');
});

/** The app's page for a bundle: `script` its script tag, `assets` the folder named by a meta tag. */
function appPage(dir, { script, assets }) {
  const html = readFileSync(join(app, 'index.html'), 'utf8')
    .replace('<script type="module" src="./main.js"></script>', script)
    .replace('</head>', `${assets ? `<meta name="identity-assets" content="${assets}">` : ''}</head>`);
  writeFileSync(join(app, dir, 'index.html'), html);
}

// Each bundler as the README tells users to run it, with the least config it needs, building the
// same app into dist-<name>/, which the stack serves at /<name>/.
const rootModule = (name) => `${pathToFileURL(join(root, 'node_modules', name)).href}/`;
const BUNDLERS = {
  vite: () => run(bin('vite'), ['build', '--config', 'vite.config.mjs', '--outDir', 'dist-vite'], app),
  webpack: async () => {
    await run(bin('webpack'), ['--mode', 'production', '--entry', './main.js', '--output-path', 'dist-webpack'], app);
    appPage('dist-webpack', { script: '<script src="main.js" defer></script>' });
  },
  parcel: () => run(bin('parcel'), ['build', 'index.html', '--dist-dir', 'dist-parcel', '--public-url', '/parcel/', '--no-cache'], app),
  rollup: async () => {
    // Rollup copies assets with a plugin: its config, as the README gives it.
    writeFileSync(join(app, 'rollup.config.mjs'), `import { nodeResolve } from '${rootModule('@rollup/plugin-node-resolve')}dist/es/index.js';
import { importMetaAssets } from '${rootModule('@web/rollup-plugin-import-meta-assets')}index.mjs';
export default { input: 'main.js', output: { dir: 'dist-rollup', format: 'es' }, plugins: [nodeResolve(), importMetaAssets()] };
`);
    await run(bin('rollup'), ['-c'], app);
    appPage('dist-rollup', { script: '<script type="module" src="main.js"></script>' });
  },
  // esbuild copies no asset and makes an IIFE (no import.meta): the files are copied by hand and
  // named with the assetsUrl option.
  esbuild: async () => {
    await run(bin('esbuild'), ['main.js', '--bundle', '--minify', '--outdir=dist-esbuild'], app);
    cpSync(join(app, 'node_modules', 'netlify-identity-widget', 'build'), join(app, 'dist-esbuild', 'identity'), { recursive: true });
    appPage('dist-esbuild', { script: '<script src="main.js" defer></script>', assets: '/esbuild/identity/' });
  },
};

// Each framework builds a site of its own in its folder of the cache (scripts/setup.sh installs
// it there once), with the package copied in as npm installed it into the app; the site lands in
// dist-<name>/ like a bundler's.
const NO_TELEMETRY = { NEXT_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1' };
async function frameworkSite(name, installed, build, output) {
  assert.ok(existsSync(join(cache, 'frameworks', installed, '.installed')), `${installed} is not installed: run bash scripts/setup.sh --tests`);
  const site = join(cache, 'frameworks', installed, 'site');
  rmSync(site, { recursive: true, force: true });
  cpSync(join(root, 'tests/package/frameworks', name), site, { recursive: true });
  cpSync(join(app, 'node_modules', 'netlify-identity-widget'), join(site, 'node_modules', 'netlify-identity-widget'), { recursive: true });
  await build(site, join(cache, 'frameworks', installed, 'node_modules', '.bin'));
  cpSync(join(site, output), join(app, `dist-${name}`), { recursive: true });
}
const FRAMEWORKS = {
  // Astro bundles the page's <script> (the app's main.js) with Vite.
  astro: () => frameworkSite('astro', 'astro-5.18.2', async (site, bins) => {
    cpSync(join(app, 'main.js'), join(site, 'src', 'main.js'));
    await run(join(bins, 'astro'), ['build'], site, NO_TELEMETRY);
  }, 'dist'),
  // Next.js renders the page on the server (at build time: a static export), importing the
  // client component and the widget there; its default bundler (Turbopack) bundles them.
  next: () => frameworkSite('next', 'next-16.4.6', async (site, bins) => {
    await run(join(bins, 'next'), ['build'], site, NO_TELEMETRY);
    assert.match(readFileSync(join(site, 'out', 'index.html'), 'utf8'), /<nav data-netlify-identity-menu="[^"]*"><\/nav><p id="status">loading<\/p>/, 'the component rendered on the server');
  }, 'out'),
};

for (const [bundler, build] of Object.entries({ ...BUNDLERS, ...FRAMEWORKS })) {
  test(`COMPAT 9: the app built with ${bundler} runs, and after init() logs a user in, in French, with the account page's chunk`, async () => {
    await build();
    const email = uniqueEmail(bundler);
    await createUser(env.stack, email, 'bundled-password-1');
    const context = await env.browser.newContext();
    // The app runs on a local server, so the widget needs the site's URL (COMPAT.md item 18).
    await context.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
    const page = await openPage(context, `${env.stack.url}/${bundler}/`);
    await eventually(() => page.evaluate(() => window.seen?.includes('init:nobody')), 'the init event');
    // The module neither initialised itself nor set the global before init().
    assert.deepEqual(await page.evaluate(() => window.beforeInit), { global: 'undefined', hosts: 0 });
    await logInThroughForm(page, email, 'bundled-password-1');
    await eventually(() => page.evaluate(() => window.app.currentUser()?.email), 'the login');
    assert.equal(await page.locator('#status').textContent(), `Hello ${email}`);
    // A locale file the bundler copied (or left as it was).
    await page.evaluate(() => window.netlifyIdentity.setLocale('fr'));
    await dialog(page).getByText('Connecté en tant que').waitFor();
    // The account page's chunk.
    await dialog(page).getByRole('button', { name: 'Paramètres du compte' }).click();
    await dialog(page).getByLabel('Nom', { exact: true }).waitFor();
    await page.reload();
    await eventually(() => page.evaluate(() => window.seen?.join(',')), 'init after the reload');
    assert.deepEqual(await page.evaluate(() => window.seen), [`init:${email}`, `login:${email}`]);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

test('a bundle that cannot find the files breaks nothing: the page runs, the controls show, and opening the dialog says in it, in an error event and in the console what to do', async () => {
  // esbuild's IIFE (no import.meta) without the assetsUrl option.
  await run(bin('esbuild'), ['main.js', '--bundle', '--minify', '--outdir=dist-bare'], app);
  appPage('dist-bare', { script: '<script src="main.js" defer></script>' });
  const context = await env.browser.newContext();
  await context.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
  const page = await openPage(context, `${env.stack.url}/bare/`);
  const logged = [];
  page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
  await eventually(() => page.evaluate(() => window.seen?.includes('init:nobody')), 'the init event');
  await page.locator('.netlify-identity-login').waitFor();
  const failed = await page.evaluate(() => new Promise((resolve) => {
    window.netlifyIdentity.on('error', (error) => resolve(error.message));
    window.netlifyIdentity.open();
  }));
  assert.match(failed, /cannot tell where its files are.*assetsUrl/);
  await dialog(page).getByRole('alert').filter({ hasText: failed }).waitFor();
  await eventually(() => logged.some((text) => /did not load/.test(text)), 'the console says so');
  assert.deepEqual(page.errors, [], 'nothing uncaught');
  await context.close();
});
