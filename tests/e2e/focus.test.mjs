// Issue 24: whenever the dialog closes — Escape, its close button, a finished flow, close() —
// focus goes back to what had it when the dialog opened: a control of the page's, or the page's
// own button that called open(). Before the WebAssembly takes over and after; and when the
// control was drawn again meanwhile (a login turns "Log in" into "Log out"), to the control
// that stands in its place. Everything by keyboard.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, openPage, setUp, uniqueEmail, wasmDialogShown } from './helpers.mjs';

const PASSWORD = 'focus password 1';
let env;
before(async () => { env = await setUp({ port: 9035 }); });
after(async () => { await env?.tearDown(); });

const focused = (page) => page.evaluate(() => document.activeElement.id || document.activeElement.className);
const shadowFocused = (page) => page.evaluate(() => document.querySelector('#netlify-identity-widget').shadowRoot.activeElement?.textContent);

/** Presses Tab until `target` (an id or class name) has focus. */
async function tabTo(page, target) {
  for (let i = 0; i < 10 && (await focused(page)) !== target; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(page), target, `Tab reaches ${target}`);
}

/** Opens the dialog from `control` by keyboard and waits for its email field to have focus. */
async function openFrom(page, control) {
  await tabTo(page, control);
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Email').waitFor();
  await page.waitForFunction(() => document.querySelector('#netlify-identity-widget').shadowRoot.activeElement?.id === 'gw-email');
}

/** Moves focus to the dialog's close button by keyboard (Shift+Tab from the first field wraps). */
async function closeButtonByKeys(page) {
  for (let i = 0; i < 8 && (await shadowFocused(page)) !== '×'; i++) await page.keyboard.press('Shift+Tab');
  assert.equal(await shadowFocused(page), '×');
  await page.keyboard.press('Enter');
}

const closed = (page) => page.waitForFunction(() => !netlifyIdentity.store.modal.isOpen);

test('before the takeover: Escape and the close button give focus back to the control', async () => {
  const page = await openPage(await env.browser.newContext());
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => { await released; await route.continue().catch(() => {}); });
  await page.goto(`${env.stack.siteLikeUrl}/focus.html`);
  await openFrom(page, 'netlify-identity-button');
  await page.keyboard.press('Escape');
  await closed(page);
  assert.equal(await focused(page), 'netlify-identity-button', 'Escape');
  await openFrom(page, 'netlify-identity-button');
  await closeButtonByKeys(page);
  await closed(page);
  assert.equal(await focused(page), 'netlify-identity-button', 'the close button');
  assert.equal(await page.evaluate(() => document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('.gw-root') !== null), true, 'still the loader\'s dialog');
  release();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('after the takeover: Escape, the close button and close() give focus back to the control or the page\'s button', async () => {
  const page = await openPage(await env.browser.newContext());
  await page.goto(`${env.stack.siteLikeUrl}/focus.html`);
  // The loader's dialog opens at once; the wasm takes it over while it is open.
  await openFrom(page, 'netlify-identity-button');
  await wasmDialogShown(page);
  await page.keyboard.press('Escape');
  await closed(page);
  assert.equal(await focused(page), 'netlify-identity-button', 'Escape after the takeover');

  await openFrom(page, 'netlify-identity-button');
  await closeButtonByKeys(page);
  await closed(page);
  assert.equal(await focused(page), 'netlify-identity-button', 'the close button');

  await openFrom(page, 'page-button');
  await page.evaluate(() => netlifyIdentity.close());
  await closed(page);
  assert.equal(await focused(page), 'page-button', 'close() from the page');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a finished flow: a login by keyboard closes the dialog, and focus goes to the control drawn in the place of "Log in"', async () => {
  const email = uniqueEmail('focus');
  await createUser(env.stack, email, PASSWORD);
  const page = await openPage(await env.browser.newContext());
  await page.goto(`${env.stack.siteLikeUrl}/focus.html?closeAfterLogin`);
  await openFrom(page, 'netlify-identity-login');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await closed(page);
  await page.waitForFunction(() => netlifyIdentity.currentUser());
  assert.equal(await focused(page), 'netlify-identity-logout', 'the menu\'s "Log out" that took the place of "Log in"');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
