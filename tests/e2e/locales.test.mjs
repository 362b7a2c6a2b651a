// Languages (issue 6): every locale loads only when used, switches the open dialog and the
// controls at once, follows the browser with `auto`, and Arabic runs right to left.
import { after, before, test } from 'node:test';
import { assert, dialog, eventually, openPage, setUp } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 8985 }); });
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
