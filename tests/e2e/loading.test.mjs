// Issue 7: a page pays only for the loader until identity is needed. The glue and the wasm load
// on a control click, open(), a link in the URL or a stored session, and (issue 13) start on
// intent: a control pointed at for a moment, focused or touched; never on a page nobody
// touches, whose controls still show at once. The styles come inside the scripts.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, serveBuilt, setUp, tokensFor, uniqueEmail } from './helpers.mjs';

// /lonely/ holds the loader alone, as a site that copied only the script has it.
function lonelyLoader(url, req, res) {
  if (url.pathname !== '/lonely/netlify-identity-widget.js') return false;
  serveBuilt(res, 'netlify-identity-widget.js');
  return true;
}

// /partial/ is build/ without the management chunk, as a site that copied its files one by one.
function partialBuild(url, req, res) {
  const [, file] = url.pathname.match(/^\/partial\/(.+)$/) ?? [];
  if (!file) return false;
  if (file === 'netlify-identity-widget-manage.wasm') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  } else {
    serveBuilt(res, file);
  }
  return true;
}

let env;
before(async () => { env = await setUp({ port: 8967, extraRoutes: (...route) => lonelyLoader(...route) || partialBuild(...route) }); });
after(async () => { await env?.tearDown(); });

const LAZY = /netlify-identity-widget-glue\.js|\.wasm|\.css/;
function lazyRequests(page) {
  const seen = [];
  page.on('request', (request) => { if (LAZY.test(request.url())) seen.push(new URL(request.url()).pathname); });
  return seen;
}

test('nobody acts: only the loader loads, and the controls show; a click loads the rest', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const loaded = lazyRequests(page);
  await page.goto(`${env.stack.siteLikeUrl}/site.html`);
  await page.locator('.netlify-identity-login').waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(loaded, [], 'no glue or wasm before anyone acts');
  assert.equal(await page.evaluate(() => window.record.join()), 'init');
  await page.locator('.netlify-identity-login').click();
  await dialog(page).getByLabel('Email').waitFor();
  assert.deepEqual(loaded.sort(), ['/build/netlify-identity-widget-glue.js', '/build/netlify-identity-widget.wasm']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a stored session or a link in the URL loads the wasm at once', async () => {
  const email = uniqueEmail('eager');
  await createUser(env.stack, email, 'eager password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.siteLikeUrl}/site.html`);
  await logInThroughForm(page, email, 'eager password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  const again = await openPage(context);
  const loaded = lazyRequests(again);
  await again.goto(`${env.stack.siteLikeUrl}/site.html`);
  await again.locator('#netlify-identity-widget').waitFor({ state: 'attached' });
  assert.equal(loaded.length, 2, 'a session: the wasm keeps nf_jwt and refreshes');
  assert.equal(await again.locator('.netlify-identity-user').textContent(), email);

  const tokens = await tokensFor(env.stack, email, 'eager password 1');
  const fresh = await openPage(await env.browser.newContext(), `${env.stack.siteLikeUrl}/site.html#access_token=${tokens.access_token}&expires_in=3600&refresh_token=${tokens.refresh_token}&token_type=bearer`);
  await fresh.locator('.netlify-identity-user').waitFor();
  assert.equal(await fresh.evaluate(() => netlifyIdentity.currentUser().email), email);
  await context.close();
});

test('intent starts the download: a pointer resting on a control, its focus, a touch; a pointer passing over does not', async () => {
  for (const [what, act, expected] of [
    // Over and out in one task: a real hover then a move can take longer than the 50 ms that
    // counts as resting when the machine is loaded (CI once saw it).
    ['a pointer passing over', (page) => page.locator('.netlify-identity-login').evaluate((button) => {
      button.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
      button.dispatchEvent(new PointerEvent('pointerout', { bubbles: true }));
    }), 0],
    ['a pointer resting', (page) => page.locator('.netlify-identity-login').hover().then(() => page.waitForTimeout(100)), 2],
    ['focus', (page) => page.locator('.netlify-identity-login').focus(), 2],
    ['a touch', (page) => page.locator('.netlify-identity-login').dispatchEvent('touchstart'), 2],
  ]) {
    const context = await env.browser.newContext();
    const page = await openPage(context);
    const loaded = lazyRequests(page);
    await page.goto(`${env.stack.siteLikeUrl}/site.html`);
    await page.locator('.netlify-identity-login').waitFor();
    await act(page);
    await page.waitForTimeout(300);
    assert.equal(loaded.length, expected, `${what}: ${loaded.join(', ') || 'nothing'} loaded`);
    assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.isOpen), false, `${what} opens nothing`);
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('open() called before init() opens once init() runs', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.siteLikeUrl}/open-before-init.html`);
  await dialog(page).getByLabel('Name').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the account page and user management load their own chunk on first use; offline, the dialog says so and "Try again" recovers', async () => {
  const email = uniqueEmail('chunk');
  await createUser(env.stack, email, 'chunk password 1', { full_name: 'Chunk User' });
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const loaded = lazyRequests(page);
  await page.goto(`${env.stack.siteLikeUrl}/site.html`);
  await logInThroughForm(page, email, 'chunk password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  assert.ok(!loaded.some((path) => path.includes('manage')), `the login needs no chunk (loaded: ${loaded.join(', ')})`);

  await context.setOffline(true);
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  await dialog(page).getByRole('heading', { name: 'Account settings' }).waitFor();
  await dialog(page).getByRole('alert').filter({ hasText: 'You seem to be offline. Check your connection and try again.' }).waitFor();
  await context.setOffline(false);
  await dialog(page).getByRole('button', { name: 'Try again' }).click();
  const name = dialog(page).getByLabel('Name', { exact: true });
  await name.waitFor();
  assert.equal(await name.inputValue(), 'Chunk User');
  const chunkLoads = () => loaded.filter((path) => path === '/build/netlify-identity-widget-manage.wasm').length;
  assert.equal(chunkLoads(), 2, 'the failed fetch, then the one that worked');

  // Loaded once, it renders at once afterwards: no new request, no "Loading…".
  await page.evaluate(() => netlifyIdentity.close());
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByRole('button', { name: 'Account settings' }).click({ timeout: 5000 })
    .catch(async (error) => { throw new Error(`the dialog says "${await dialog(page).innerText()}"; user ${await page.evaluate(() => JSON.stringify([netlifyIdentity.currentUser()?.email, netlifyIdentity.store.modal]))}`, { cause: error }); });
  await name.waitFor();
  assert.equal(chunkLoads(), 2);
  assert.deepEqual(page.errors, []);

  // The UMD build finds the chunk beside itself too.
  const umd = await openPage(context);
  const umdLoaded = lazyRequests(umd);
  await umd.goto(`${env.stack.siteLikeUrl}/umd-options.html`);
  await umd.evaluate(() => netlifyIdentity.open());
  await dialog(umd).getByRole('button', { name: 'Account settings' }).click();
  await dialog(umd).getByLabel('Name', { exact: true }).waitFor();
  assert.ok(umdLoaded.includes('/build/netlify-identity-widget-manage.wasm'));
  assert.deepEqual(umd.errors, []);
  await context.close();
});

test('a script tag without its files beside it breaks nothing: the controls show, and opening the dialog says there and in the console which file is missing where, and what to do; data-assets-url names them', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const logged = [];
  page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
  await page.goto(`${env.stack.siteLikeUrl}/assets-elsewhere.html`);
  await page.locator('.netlify-identity-login').click();
  const missing = `${env.stack.siteLikeUrl}/lonely/netlify-identity-widget.wasm answered HTTP 404. Serve build/ beside the script, or name its URL in data-assets-url.`;
  await dialog(page).getByRole('alert').filter({ hasText: missing }).waitFor();
  await eventually(() => page.evaluate(() => window.record.some((entry) => entry.startsWith('error:'))), 'the error event');
  assert.deepEqual(await page.evaluate(() => window.record), ['init', 'open:login', `error:netlify-identity-widget: ${missing}`]);
  assert.equal(logged.filter((text) => text.includes('the WebAssembly did not load')).length, 1, `the console says it once (${logged.join(' | ')})`);
  assert.deepEqual(page.errors, [], 'nothing uncaught');

  const email = uniqueEmail('assets-url');
  await createUser(env.stack, email, 'assets url password 1');
  const named = await openPage(context, `${env.stack.siteLikeUrl}/assets-named.html`);
  const loaded = lazyRequests(named);
  await logInThroughForm(named, email, 'assets url password 1');
  await dialog(named).getByText('Logged in as').waitFor();
  assert.deepEqual(loaded.sort(), ['/build/netlify-identity-widget-glue.js', '/build/netlify-identity-widget.wasm']);
  assert.deepEqual(named.errors, []);
  await context.close();
});

test('a site that lost a chunk file: the account page names it and what to do, "Try again" says it again, the page\'s calls reject with it', async () => {
  const email = uniqueEmail('partial');
  await createUser(env.stack, email, 'partial password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const logged = [];
  page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
  await page.goto(`${env.stack.siteLikeUrl}/partial.html`);
  await logInThroughForm(page, email, 'partial password 1');
  await dialog(page).getByText('Logged in as').waitFor();

  const missing = `netlify-identity-widget: ${env.stack.siteLikeUrl}/partial/netlify-identity-widget-manage.wasm answered HTTP 404. The files of build/ go together: copy all of them.`;
  const said = dialog(page).getByRole('alert').filter({ hasText: missing });
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  await said.waitFor();
  await dialog(page).getByRole('button', { name: 'Try again' }).click();
  await said.waitFor();
  const told = () => logged.filter((text) => text.includes(missing)).length;
  await eventually(() => told() === 2, 'the console says it once per attempt');

  // The page's own calls that run in the chunk reject with the same message.
  const rejected = await page.evaluate(() => netlifyIdentity.gotrue.settings().then(() => 'resolved', (error) => error.message));
  assert.equal(rejected, missing);
  assert.deepEqual(page.errors, [], 'nothing uncaught');
  await context.close();
});
