// The npm package as its users take it (COMPAT.md B, items 7–11): `npm pack`, installed into a
// fresh app under the old package's name; Node's require and import; a TypeScript compile of
// consumer code; a Vite app built from it and run in Chromium against the real stack.
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT_CSP, TYPES } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail } from './helpers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let work;
let app;
let tarball;
let env;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gotrue-widget-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root));
  tarball = packed[0];
  app = join(work, 'app');
  cpSync(join(root, 'tests/package/app'), app, { recursive: true });
  for (const dir of ['types', 'node']) cpSync(join(root, 'tests/package', dir), app, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  // Sites swap the dependency and keep their imports: `netlify-identity-widget` is ours.
  manifest.dependencies = { 'netlify-identity-widget': `file:${join(work, tarball.filename)}` };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
  env = await setUp({
    port: 8997,
    extraRoutes(url, req, res) {
      if (!url.pathname.startsWith('/vite/')) return false;
      const file = normalize(join(app, 'dist', url.pathname.slice('/vite/'.length) || 'index.html'));
      const found = file.startsWith(join(app, 'dist')) && existsSync(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream' };
      if (extname(file) === '.html') headers['content-security-policy'] = STRICT_CSP; // the bundled app too
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
  for (const name of ['netlify-identity-widget.js', 'netlify-identity-widget-glue.js', 'netlify-identity.js', 'netlify-identity.mjs', 'netlify-identity.d.ts', 'netlify-identity-widget.wasm', 'netlify-identity-widget-manage.wasm', 'locales/fr.json', 'functions/identity-admin.mjs', 'functions/identity-admin.cjs']) {
    assert.ok(files.includes(`build/${name}`), `build/${name} is packed (packed: ${files.join(', ')})`);
  }
  for (const name of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) assert.ok(files.includes(name), `${name} is packed`);
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('tests/')), 'sources and tests stay out');
});

test('COMPAT 7, 8: require() and import under Node give the API; nothing throws; nobody is logged in', () => {
  assert.equal(run('node', ['require.cjs'], app).trim(), 'require: ok');
  assert.equal(run('node', ['import.mjs'], app).trim(), 'import: ok');
});

test('COMPAT 11: consumer code, the DefinitelyTyped uses included, compiles against our types', () => {
  for (const config of ['tsconfig.json', 'tsconfig.bundler.json']) {
    try {
      run(bin('tsc'), ['-p', config], app);
    } catch (error) {
      assert.fail(`tsc -p ${config}:\n${error.stdout}${error.stderr}`);
    }
  }
  // The compile can fail: a wrong use is reported.
  mkdirSync(join(app, 'wrong'));
  writeFileSync(join(app, 'wrong', 'wrong.ts'), "import { open } from 'netlify-identity-widget';\nopen('nonsense');\n");
  const options = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')).compilerOptions;
  writeFileSync(join(app, 'wrong', 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['wrong.ts'] }));
  assert.throws(() => run(bin('tsc'), ['-p', 'wrong/tsconfig.json'], app), (error) => /not assignable/.test(error.stdout));
});

test('COMPAT 9: a Vite app that imports the package builds, and after init() logs a user in', async () => {
  run(bin('vite'), ['build', '--config', 'vite.config.mjs'], app);
  const email = uniqueEmail('vite');
  await createUser(env.stack, email, 'vite-password-1');
  const context = await env.browser.newContext();
  // The app runs on a local server, so the widget needs the site's URL (COMPAT.md item 18).
  await context.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
  const page = await openPage(context, `${env.stack.url}/vite/`);
  await eventually(() => page.evaluate(() => window.seen?.includes('init:nobody')), 'the init event');
  // The module neither initialised itself nor set the global before init().
  assert.deepEqual(await page.evaluate(() => window.beforeInit), { global: 'undefined', hosts: 0 });
  await logInThroughForm(page, email, 'vite-password-1');
  await eventually(() => page.evaluate(() => window.app.currentUser()?.email), 'the login');
  assert.equal(await page.locator('#status').textContent(), `Hello ${email}`);
  // The account page's chunk: Vite copied it (its URL is a literal new URL(…, import.meta.url)).
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  await dialog(page).getByLabel('Name', { exact: true }).waitFor();
  await page.reload();
  await eventually(() => page.evaluate(() => window.seen?.join(',')), 'init after the reload');
  assert.deepEqual(await page.evaluate(() => window.seen), [`init:${email}`, `login:${email}`]);
  assert.deepEqual(page.errors, []);
  await context.close();
});
