// The page-facing contract (COMPAT.md A, C, D, E) and the less common links, in real Chromium
// against the real stack.
import { after, before, test } from 'node:test';
import {
  assert, createUser, currentEmail, dialog, eventually, logInThroughForm, openPage, setUp,
  tokensFor as tokensForUser, uniqueEmail, waitForMail, widgetReady,
} from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 8931 }); });
after(async () => { await env?.tearDown(); });

async function tokensFor(email, password) {
  const tokens = await tokensForUser(env.stack, email, password);
  assert.equal(tokens.status, 200);
  return tokens;
}

test('COMPAT 1, 2, 17, 19, 23, 25, 28, 29: the API exists synchronously; calls made before the wasm is ready are honoured', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/queued.html`);
  await dialog(page).getByLabel('Name').waitFor();
  const state = await page.evaluate(() => ({ keys: window.synchronousKeys, openError: window.openError, seen: window.seen, modal: netlifyIdentity.store.modal }));
  assert.deepEqual(state.keys, ['close', 'currentUser', 'gotrue', 'init', 'logout', 'off', 'on', 'open', 'refresh', 'setLocale', 'store']);
  assert.equal(state.openError, 'Invalid action for open: nonsense');
  assert.deepEqual(state.seen, ['init', 'open:signup']);
  assert.deepEqual(state.modal, { page: 'signup', isOpen: true });
  assert.equal(await page.evaluate(() => typeof window.GoTrue === 'undefined' || typeof window.GoTrue === 'function'), true);
  // Set semantics, off(name, callback), off(name), and a second init() adds nothing.
  const counts = await page.evaluate(() => {
    const calls = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    netlifyIdentity.on('close', a); netlifyIdentity.on('close', a); netlifyIdentity.on('close', b);
    netlifyIdentity.close();
    netlifyIdentity.off('close', a);
    netlifyIdentity.open('login'); netlifyIdentity.close();
    netlifyIdentity.off('close');
    netlifyIdentity.open('login'); netlifyIdentity.close();
    netlifyIdentity.init({ APIUrl: '/.netlify/identity' });
    return { calls, hosts: document.querySelectorAll('#netlify-identity-widget').length };
  });
  assert.deepEqual(counts, { calls: ['a', 'b', 'b'], hosts: 1 });
  assert.equal(await page.evaluate(() => netlifyIdentity.refresh().then(() => 'resolved', (e) => e instanceof Error)), true, 'refresh() without a user rejects');
  assert.equal(await page.evaluate(() => netlifyIdentity.logout()), undefined, 'logout() without a user returns undefined');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 60: keyboard: the control opens the dialog, focus moves in, Escape closes and focus returns', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await widgetReady(page);
  await page.focus('.netlify-identity-login');
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Email').waitFor();
  await eventually(() => page.evaluate(() => document.querySelector('#netlify-identity-widget').shadowRoot.activeElement?.id === 'gw-email'), 'focus in the email field');
  await page.keyboard.press('Escape');
  await eventually(() => page.evaluate(() => !netlifyIdentity.store.modal.isOpen), 'the dialog to close');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'netlify-identity-login', 'focus returned to the opener');
  await page.locator('#event-log').getByText('close').waitFor();

  // The close button works too, and the show-password toggle reveals the text.
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Password', { exact: true }).fill('secret');
  await dialog(page).getByRole('button', { name: 'Show password' }).click();
  assert.equal(await dialog(page).getByLabel('Password', { exact: true }).getAttribute('type'), 'text');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await eventually(() => page.evaluate(() => !netlifyIdentity.store.modal.isOpen), 'the dialog to close');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 20, 48: an external-provider fragment (#access_token=…) logs the user in and leaves the URL', async () => {
  const email = uniqueEmail('external');
  await createUser(env.stack, email, 'external password 1');
  const tokens = await tokensFor(email, 'external password 1');
  const context = await env.browser.newContext();
  const fragment = new URLSearchParams({ access_token: tokens.access_token, expires_in: String(tokens.expires_in), refresh_token: tokens.refresh_token, token_type: 'bearer' });
  const plain = await openPage(context, env.stack.url);
  const baselineHistory = await plain.evaluate(() => history.length);
  const page = await openPage(context, `${env.stack.url}/#${fragment}`);
  await eventually(() => currentEmail(page), 'the external login');
  assert.equal(await currentEmail(page), email);
  assert.ok(!page.url().includes('#'), page.url());
  assert.equal(await page.evaluate(() => history.length), baselineHistory, 'no history entry was added');
  await page.locator('#event-log').getByText(`login — ${email}`).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 49: an #error fragment is shown to the user, as text', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/#error=access_denied&error_description=%3Cb%3EThe+provider+said+no%3C%2Fb%3E`);
  await dialog(page).getByText('There was an error verifying your account').waitFor();
  await dialog(page).getByText('<b>The provider said no</b>').waitFor();
  assert.equal(await dialog(page).locator('b').count(), 0, 'server text is never HTML');
  assert.ok(!page.url().includes('#'));
  await context.close();
});

test('COMPAT 47: an email-change link opened while logged out applies after the next login', async () => {
  const email = uniqueEmail('later');
  const newEmail = uniqueEmail('later-new');
  await createUser(env.stack, email, 'later password 1');
  const tokens = await tokensFor(email, 'later password 1');
  const change = await fetch(`${env.stack.apiUrl}/user`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: newEmail }) });
  assert.equal(change.status, 200);
  const mail = await waitForMail(env.stack, newEmail, /email change/i);

  const context = await env.browser.newContext();
  const page = await openPage(context, mail.link);
  await dialog(page).getByLabel('Email').waitFor();
  await logInThroughForm(page, email, 'later password 1');
  await dialog(page).getByText('Your email address has been updated!').waitFor();
  assert.equal(await currentEmail(page), newEmail);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 38: a refresh the server refuses ends the session and fires logout', async () => {
  const email = uniqueEmail('refused');
  await createUser(env.stack, email, 'refused password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, email, 'refused password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  // Logging out on the server deletes every refresh token of the user.
  const token = await page.evaluate(() => netlifyIdentity.currentUser().token.access_token);
  await fetch(`${env.stack.apiUrl}/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const outcome = await page.evaluate(() => netlifyIdentity.currentUser().jwt(true).then(() => 'resolved', (e) => e.message));
  assert.match(outcome, /session has ended/);
  assert.equal(await currentEmail(page), null);
  assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null);
  await page.locator('#event-log').getByText('logout').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 41: a malformed stored session is nobody, without errors', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => localStorage.setItem('gotrue.user', '{"token": {"access_token": 42}, "url": '));
  const page = await openPage(context, env.stack.url);
  await widgetReady(page);
  assert.equal(await currentEmail(page), null);
  assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null, 'the broken record is removed');
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 18, 43: localhost without APIUrl asks for the site URL, stores it, then fires init once', async () => {
  const email = uniqueEmail('local');
  await createUser(env.stack, email, 'local password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/local.html`);
  await widgetReady(page);
  assert.deepEqual(await page.evaluate(() => window.seen), [], 'no init before the site URL is known');
  assert.equal(await currentEmail(page), null);
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByRole('heading', { name: 'Development Settings' }).waitFor();
  await dialog(page).getByLabel('Site URL').fill('not a url');
  await dialog(page).locator('form').evaluate((form) => form.noValidate = true);
  await dialog(page).getByRole('button', { name: "Set site's URL" }).click();
  await dialog(page).getByRole('alert').filter({ hasText: 'starting with https://' }).waitFor();
  await dialog(page).getByLabel('Site URL').fill(`${env.stack.url}/.netlify/identity/`);
  await dialog(page).getByRole('button', { name: "Set site's URL" }).click();
  await dialog(page).getByLabel('Email').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('netlifySiteURL')), env.stack.url);
  assert.deepEqual(await page.evaluate(() => window.seen), ['init']);
  await logInThroughForm(page, email, 'local password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().url), `${env.stack.url}/.netlify/identity`);

  await page.reload();
  await widgetReady(page);
  assert.deepEqual(await page.evaluate(() => window.seen), ['init:' + email, 'login:' + email], 'init once, then the restored login');
  assert.deepEqual(page.errors, []);
  await context.close();
});
