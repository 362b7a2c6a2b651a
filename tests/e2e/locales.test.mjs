// Languages (issue 6): every locale loads only when used, switches the open dialog and the
// controls at once, follows the browser with `auto`, and Arabic runs right to left.
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, serveBuilt, setUp, uniqueEmail } from './helpers.mjs';

// /broken-locales/ is build/ on a server that lost es.txt, answers de.txt with its HTML error
// page and holds an it.txt that is JSON but not a locale (its texts not a table).
const build = new URL('../../build/', import.meta.url);
function brokenLocales(url, req, res) {
  const [, file] = url.pathname.match(/^\/broken-locales\/(.+)$/) ?? [];
  if (!file) return false;
  if (file === 'locales/es.txt') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  } else if (file === 'locales/de.txt') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Page not found</title>');
  } else if (file === 'locales/it.txt') {
    const italian = JSON.parse(readFileSync(new URL(file, build), 'utf8'));
    italian.texts = Object.fromEntries(italian.texts.entries());
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(JSON.stringify(italian));
  } else {
    serveBuilt(res, file);
  }
  return true;
}

let env;
before(async () => { env = await setUp({ port: 8985, extraRoutes: brokenLocales }); });
after(async () => { await env?.tearDown(); });

function localeRequests(page) {
  const seen = [];
  page.on('request', (request) => { if (request.url().includes('/locales/')) seen.push(new URL(request.url()).pathname); });
  return seen;
}

const dialogAttributes = (page) => page.evaluate(() => {
  const element = document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('dialog');
  return [element.getAttribute('lang'), element.getAttribute('dir')];
});

test('COMPAT 30: setLocale switches the open dialog and the controls at once, loading only that table', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const loaded = localeRequests(page);
  await page.goto(`${env.stack.url}/locale.html`);
  await page.locator('.netlify-identity-login').click();
  await dialog(page).getByLabel('Email').waitFor();
  assert.deepEqual(loaded, [], 'English needs no table');

  await page.evaluate(() => netlifyIdentity.setLocale('fr'));
  await dialog(page).getByLabel('E-mail').waitFor();
  assert.equal(await page.locator('.netlify-identity-login').textContent(), 'Se connecter');
  assert.deepEqual(await dialogAttributes(page), ['fr', 'ltr']);
  // A server error, mapped by its code, in French.
  await dialog(page).getByLabel('E-mail').fill('nobody@example.com');
  await dialog(page).getByLabel('Mot de passe', { exact: true }).fill('wrong password');
  await dialog(page).locator('form').getByRole('button', { name: 'Se connecter' }).click();
  await dialog(page).getByRole('alert').getByText('Cet e-mail et ce mot de passe ne correspondent à aucun compte').waitFor();

  await page.evaluate(() => netlifyIdentity.setLocale('ar'));
  await dialog(page).getByLabel('البريد الإلكتروني').waitFor();
  assert.deepEqual(await dialogAttributes(page), ['ar', 'rtl']);
  assert.equal(await page.locator('.netlify-identity-menu').getAttribute('dir'), 'rtl');

  await page.evaluate(() => { netlifyIdentity.setLocale('zh-cn'); netlifyIdentity.setLocale('no-such-locale'); });
  await dialog(page).getByLabel('Email').waitFor();
  assert.deepEqual(await dialogAttributes(page), ['en', 'ltr']);
  await new Promise((r) => setTimeout(r, 300)); // the zhCN table arriving late must not win
  assert.deepEqual(await dialogAttributes(page), ['en', 'ltr']);
  assert.deepEqual(loaded, ['/build/locales/fr.txt', '/build/locales/ar.txt', '/build/locales/zhCN.txt']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("locale: 'auto' follows the browser's languages; an init option picks a table", async () => {
  for (const [browserLocale, option, label] of [['de-DE', 'auto', 'Anmelden'], ['en-US', 'ja', 'ログイン'], ['pt-BR', 'auto', 'Entrar']]) {
    const context = await env.browser.newContext({ locale: browserLocale });
    const page = await openPage(context, `${env.stack.url}/locale.html?locale=${option}`);
    await eventually(async () => (await page.locator('.netlify-identity-login').textContent().catch(() => null)) === label, `${browserLocale}/${option}: ${label}`);
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('a locale file that is missing, not JSON or not a locale leaves the UI in its language, before the wasm and with it, the error caught and logged', async () => {
  const email = uniqueEmail('broken-locale');
  await createUser(env.stack, email, 'broken locale password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const logged = [];
  page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
  await page.goto(`${env.stack.siteLikeUrl}/broken-locales.html`);
  const login = page.locator('.netlify-identity-login');
  // Before the wasm: the file is missing, then an HTML page.
  for (const code of ['es', 'de']) {
    await page.evaluate((c) => netlifyIdentity.setLocale(c), code);
    await eventually(() => logged.some((text) => text.includes(`locale ${code} did not load`)), `the console names ${code}`);
    assert.equal(await login.textContent(), 'Log in');
  }
  // With the wasm: a file that is not a locale.
  await logInThroughForm(page, email, 'broken locale password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  await page.evaluate(() => netlifyIdentity.setLocale('it'));
  await eventually(() => logged.some((text) => text.includes('locale it did not load')), 'the console names it');
  assert.equal(await dialog(page).getByText('Logged in as').count(), 1, 'still English');
  assert.deepEqual(await dialogAttributes(page), ['en', 'ltr']);
  // A good table still switches.
  await page.evaluate(() => netlifyIdentity.setLocale('fr'));
  await dialog(page).getByText('Connecté en tant que').waitFor();
  assert.deepEqual(page.errors, [], 'nothing uncaught');
  await context.close();
});
