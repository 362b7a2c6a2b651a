// Issue 13: the first dialogs are usable before the WebAssembly arrives. The loader shows the
// markup Leptos rendered at build time (src/prerender.rs) at once; here the wasm is held back by a
// route until the test lets it through, and then takes over without a seam: the same pixels, the
// same typed text, focus, selection and scroll, and a submit made before carried out once.
import { after, before, test } from 'node:test';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { assert, createUser, dialog, isWasmDialog, openPage, passwordWorks, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const PASSWORD = 'instant password 1';

let env;
before(async () => { env = await setUp({ port: 8991 }); });
after(async () => { await env?.tearDown(); });

/** Holds every response for `pattern` until `release()`. */
async function hold(page, pattern) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(pattern, async (route) => { await released; await route.continue().catch(() => {}); });
  return release;
}

/** A page whose wasm is held back: `{page, release}`; `url` is opened after the route is set. */
async function heldPage(url, contextOptions = {}) {
  const page = await openPage(await env.browser.newContext(contextOptions));
  const release = await hold(page, '**/*.wasm');
  if (url) await page.goto(url);
  return { page, release };
}

const shadow = 'document.querySelector("#netlify-identity-widget").shadowRoot';

/** Lets the wasm through and waits until its dialog has replaced the loader's, and a frame. */
async function takeOver(page, release) {
  const old = await page.evaluateHandle(`${shadow}.querySelector('dialog')`);
  release();
  await page.waitForFunction((dialog) => !dialog.isConnected, old, { timeout: 30000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  assert.ok(await isWasmDialog(page), 'the wasm renders the dialog now');
}

/** The pixels where two screenshots differ: their count and bounding box (decoded in a canvas). */
async function pixelDifference(before, after) {
  const page = await (await env.browser.newContext()).newPage();
  try {
    return await page.evaluate(async ([a, b]) => {
      const decode = async (base64) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height);
      };
      const [x, y] = [await decode(a), await decode(b)];
      if (x.width !== y.width || x.height !== y.height) return { count: -1 };
      let count = 0;
      let most = 0;
      const box = [Infinity, Infinity, -1, -1];
      for (let i = 0; i < x.data.length; i += 4) {
        const delta = Math.max(...[0, 1, 2, 3].map((c) => Math.abs(x.data[i + c] - y.data[i + c])));
        if (delta === 0) continue;
        most = Math.max(most, delta);
        const p = i / 4;
        const [px, py] = [p % x.width, Math.floor(p / x.width)];
        count++;
        box[0] = Math.min(box[0], px); box[1] = Math.min(box[1], py); box[2] = Math.max(box[2], px); box[3] = Math.max(box[3], py);
      }
      return { count, most, box };
    }, [before.toString('base64'), after.toString('base64')]);
  } finally {
    await page.context().close();
  }
}

/**
 * Paints the loader's dialog afresh: an identical copy takes its place, with the same input,
 * focus, selection and scroll. Chromium's software raster paints a screen built up step by step
 * (typing, a focus ring appearing) with anti-aliasing a level or a few off from a fresh paint of
 * the same DOM, while two fresh paints match exactly; the wasm's dialog is a fresh paint.
 */
const repaintOwnDialog = (page) => page.evaluate(`(() => {
  const root = ${shadow};
  const old = root.querySelector('dialog');
  const active = root.activeElement;
  const copy = old.cloneNode(true);
  const fields = [...old.querySelectorAll('input')].map((f) => f.value);
  const [start, end, direction, scroll] = [active?.selectionStart, active?.selectionEnd, active?.selectionDirection, old.scrollTop];
  const focused = [...old.querySelectorAll('*')].indexOf(active);
  old.after(copy);
  old.remove();
  copy.removeAttribute('open');
  copy.showModal();
  copy.querySelectorAll('input').forEach((f, i) => { f.value = fields[i]; });
  const target = copy.querySelectorAll('*')[focused];
  target?.focus();
  if (typeof start === 'number') target.setSelectionRange(start, end, direction);
  copy.scrollTop = scroll;
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
})()`);

/**
 * Screenshots around the takeover: the wasm's dialog must be, pixel for pixel, the loader's
 * painted afresh; against the screenshot taken before, only anti-aliasing noise may differ.
 */
async function assertSeamless(page, release, name) {
  const before = await page.screenshot();
  await repaintOwnDialog(page);
  const fresh = await page.screenshot();
  await takeOver(page, release);
  const after = await page.screenshot();
  const difference = await pixelDifference(fresh, after);
  const noise = await pixelDifference(before, after);
  if (difference.count === 0 && noise.most <= 8) return noise;
  const dir = new URL('../../target/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  for (const [when, png] of [['before', before], ['fresh', fresh], ['after', after]]) writeFileSync(`${dir}takeover-${name}-${when}.png`, png);
  assert.fail(`the takeover of ${name} changed ${difference.count} pixels in ${JSON.stringify(difference.box)} (noise against the first screenshot: ${JSON.stringify(noise)}); see target/takeover-${name}-*.png`);
}

/** Focus, selection, values and the password toggle, as the person sees them. */
const formState = (page) => page.evaluate(`(() => {
  const root = ${shadow};
  const active = root.activeElement;
  return {
    focused: active && (active.id || active.textContent),
    selection: active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null,
    values: [...root.querySelectorAll('input[id]')].map((i) => i.id + '=' + i.value + ':' + i.type),
    pressed: [...root.querySelectorAll('[aria-pressed]')].map((b) => b.getAttribute('aria-pressed')),
    scroll: root.querySelector('dialog').scrollTop,
  };
})()`);

test('a click shows the login form, focused and taking keys, at the next frame, before the wasm', async () => {
  const { page, release } = await heldPage(`${env.stack.siteLikeUrl}/site.html`);
  // What the next frame after the click shows, measured in the page.
  await page.evaluate(`document.addEventListener('click', () => requestAnimationFrame(() => {
    const root = document.querySelector('#netlify-identity-widget')?.shadowRoot;
    const email = root?.getElementById('gw-email');
    window.nextFrame = { focused: root?.activeElement?.id, visible: !!email && email.offsetWidth > 0, open: !!root?.querySelector('dialog')?.open };
  }), { capture: true, once: true })`);
  await page.locator('.netlify-identity-login').click();
  await page.waitForFunction(() => window.nextFrame);
  assert.deepEqual(await page.evaluate(() => window.nextFrame), { focused: 'gw-email', visible: true, open: true });
  await page.keyboard.type('someone@example.com');
  assert.equal(await dialog(page).getByLabel('Email').inputValue(), 'someone@example.com');
  assert.equal(await isWasmDialog(page), false, 'the wasm is still held back');
  assert.deepEqual(await page.evaluate(() => [netlifyIdentity.store.modal.isOpen, netlifyIdentity.store.modal.page, window.record.join()]), [true, 'login', 'init,open:login']);
  release();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a login submitted before the takeover is busy at once and carried out once when the wasm arrives', async () => {
  const email = uniqueEmail('early');
  await createUser(env.stack, email, PASSWORD);
  const { page, release } = await heldPage(`${env.stack.siteLikeUrl}/site.html`);
  const tokenRequests = [];
  page.on('request', (request) => { if (request.url().includes('/.netlify/identity/token')) tokenRequests.push(request.url()); });
  await page.locator('.netlify-identity-login').click();
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  const busy = dialog(page).locator('button[type=submit]');
  assert.equal(await busy.getAttribute('aria-busy'), 'true');
  assert.equal(await busy.innerText(), 'Logging in');
  assert.ok(await busy.isDisabled());
  assert.equal(await page.evaluate(() => netlifyIdentity.store.saving), true);
  await dialog(page).getByRole('button', { name: 'Logging in' }).click({ force: true }).catch(() => {}); // a second press does nothing more
  assert.deepEqual(tokenRequests, [], 'nothing is sent before the wasm');
  await takeOver(page, release);
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(tokenRequests.length, 1, 'one login request');
  assert.equal(await page.evaluate(() => window.record.filter((e) => e.startsWith('login:')).length), 1, 'one login event');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the takeover is pixel-identical and keeps the text, the focus, the selection, the shown password and the scroll', async () => {
  const email = uniqueEmail('seamless');
  await createUser(env.stack, email, PASSWORD);
  // A short window, so the dialog scrolls.
  const { page, release } = await heldPage(`${env.stack.siteLikeUrl}/site.html`, { viewport: { width: 480, height: 360 } });
  await page.locator('.netlify-identity-login').click();
  await dialog(page).getByLabel('Email').fill(email);
  const password = dialog(page).getByLabel('Password', { exact: true });
  await password.fill(PASSWORD);
  await dialog(page).getByRole('button', { name: 'Show password' }).click();
  await password.focus();
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.evaluate(`${shadow}.querySelector('dialog').scrollTop = 40`);
  const before = await formState(page);
  assert.deepEqual(before.selection, [PASSWORD.length - 4, PASSWORD.length - 3]);
  assert.equal(before.scroll, 40, 'the dialog scrolled');
  await assertSeamless(page, release, 'login');
  assert.deepEqual(await formState(page), before);
  // The wasm has the text, not only the DOM: Enter in the password field logs in.
  await page.keyboard.press('Enter');
  await dialog(page).getByText('Logged in as').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a recovery link: the token leaves the URL at once, the new-password field takes input before the wasm, the takeover is seamless and the password works', async () => {
  const email = uniqueEmail('instant-recovery');
  await createUser(env.stack, email, PASSWORD);
  await fetch(`${env.stack.apiUrl}/recover`, { method: 'POST', body: JSON.stringify({ email }) });
  const link = (await waitForMail(env.stack, email, /reset/i)).link.replace(env.stack.url, env.stack.siteLikeUrl);
  const { page, release } = await heldPage();
  const releaseVerify = await hold(page, '**/.netlify/identity/verify');
  await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => { window.hashAtDomReady = location.hash; }));
  await page.goto(link.replace(/\/#/, '/site.html#'));
  assert.equal(await page.evaluate(() => window.hashAtDomReady), '', 'gone before the page finished parsing');
  const { entries } = await (await page.context().newCDPSession(page)).send('Page.getNavigationHistory');
  assert.ok(entries.every((entry) => !entry.url.includes('recovery_token')), `no history entry holds it (${entries.map((e) => e.url).join(', ')})`);
  const field = dialog(page).getByLabel('New password');
  await field.fill('brand new password 1');
  assert.ok(await dialog(page).getByText('Checking your link…').isVisible());
  assert.ok(await dialog(page).getByRole('button', { name: 'Update password' }).isDisabled(), 'the submit waits for the check');
  assert.equal(await isWasmDialog(page), false);
  await assertSeamless(page, release, 'recovery');
  assert.equal(await field.inputValue(), 'brand new password 1');
  releaseVerify();
  await dialog(page).getByRole('button', { name: 'Update password' }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.ok(await passwordWorks(env.stack, email, 'brand new password 1'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an invite link: the password form takes input before the wasm, the takeover is seamless, the invited person is in', async () => {
  const invitee = uniqueEmail('instant-invite');
  await fetch(`${env.stack.apiUrl}/invite`, { method: 'POST', headers: { authorization: `Bearer ${env.stack.operatorToken}` }, body: JSON.stringify({ email: invitee }) });
  const link = (await waitForMail(env.stack, invitee, /invited/i)).link.replace(env.stack.url, env.stack.siteLikeUrl);
  const { page, release } = await heldPage(link.replace(/\/#/, '/site.html#'));
  assert.equal(await page.evaluate(() => location.hash), '');
  await dialog(page).getByRole('heading', { name: 'Complete your signup' }).waitFor();
  await dialog(page).getByLabel('Password', { exact: true }).fill('invited password 1');
  await assertSeamless(page, release, 'invite');
  await dialog(page).getByRole('button', { name: 'Sign up' }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.ok(await passwordWorks(env.stack, invitee, 'invited password 1'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('by keyboard alone before the takeover: the control, the tabs, Tab wrapping, Escape, and a login', async () => {
  const email = uniqueEmail('keyboard');
  await createUser(env.stack, email, PASSWORD);
  const { page, release } = await heldPage(`${env.stack.siteLikeUrl}/site.html`);
  const focusedId = () => page.evaluate(`${shadow}.activeElement?.id || ${shadow}.activeElement?.textContent`);
  // Tab reaches the menu's "Log in"; Enter opens the loader's dialog on the email field.
  for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement.className)) !== 'netlify-identity-login'; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Email').waitFor();
  assert.equal(await focusedId(), 'gw-email');
  // Back to the first control (the Sign up tab); Shift+Tab wraps to the last (close), Tab back.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedId(), 'Sign up', 'the first control is the Sign up tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedId(), '×', 'Shift+Tab from the first wraps to the last');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(), 'Sign up', 'Tab from the last wraps to the first');
  // The tab switch, by keyboard.
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Name').waitFor();
  assert.equal(await focusedId(), 'gw-name');
  assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.page), 'signup');
  // Escape closes; focus goes back to the control.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !netlifyIdentity.store.modal.isOpen);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'netlify-identity-login');
  assert.deepEqual(await page.evaluate(() => window.record.join()), 'init,open:login,close');
  // Open again and log in with keys only; the wasm arrives while the request waits.
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Email').waitFor();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  assert.equal(await dialog(page).locator('button[type=submit]').getAttribute('aria-busy'), 'true');
  await takeOver(page, release);
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()?.email), email);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** Runs axe on the page, in light and dark; returns the violations found. */
async function axeViolations(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
      .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)));
    found.push(...violations.map((v) => `${label} (${scheme}) ${v}`));
  }
  return found;
}

test('axe-core finds nothing on each dialog the loader shows, in light and dark, left to right and right to left', async () => {
  const violations = [];
  const checked = [];
  for (const locale of ['en', 'ar']) {
    const base = `${env.stack.siteLikeUrl}/locale.html?locale=${locale}`;
    const { page } = await heldPage(base);
    await page.evaluate(() => netlifyIdentity.open('login'));
    await dialog(page).locator('#gw-email').waitFor();
    // login; its Sign up tab; back to login, and "Forgot password?".
    for (const [name, clicks] of [['login', []], ['signup', ['signup']], ['amnesia', ['login', 'amnesia']]]) {
      for (const go of clicks) await dialog(page).locator(`[data-go="${go}"]`).click();
      await page.waitForFunction((p) => netlifyIdentity.store.modal.page === p, name);
      violations.push(...await axeViolations(page, `${name} ${locale}`));
      checked.push(`${name} ${locale}`);
    }
    await page.context().close();
    for (const [name, fragment] of [['recovery', '#recovery_token=held'], ['invite', '#invite_token=held']]) {
      const { page: linked } = await heldPage(base + fragment);
      await linked.waitForFunction((p) => netlifyIdentity.store.modal.page === p && netlifyIdentity.store.modal.isOpen, name);
      violations.push(...await axeViolations(linked, `${name} ${locale}`));
      checked.push(`${name} ${locale}`);
      await linked.context().close();
    }
  }
  // On localhost without a site URL, the prompt for it.
  const { page: local } = await heldPage(`${env.stack.url}/local.html`);
  await local.evaluate(() => netlifyIdentity.open());
  await dialog(local).getByLabel('Site URL').waitFor();
  violations.push(...await axeViolations(local, 'siteURL en'));
  checked.push('siteURL en');
  assert.equal(await isWasmDialog(local), false);
  await local.context().close();
  assert.equal(checked.length, 11);
  assert.deepEqual(violations, []);
});

// The markup the loader shows against what the wasm renders for the same state. Both are put in
// one canonical form: elements with their attributes sorted (but `open`, the dialog's state), and
// text; no comments (Leptos's markers) or whitespace-only text.
const CANONICAL = `window.canonical = function canonical(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.data.trim() ? JSON.stringify(node.data) : '';
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const attributes = [...node.attributes].filter((a) => a.name !== 'open').map((a) => a.name + '=' + JSON.stringify(a.value)).sort();
  return '<' + [node.localName, ...attributes].join(' ') + '>' + [...node.childNodes].map(canonical).join('') + '</' + node.localName + '>';
};
window.shownMarkup = () => canonical(${shadow}.querySelector('dialog'));
window.fileMarkup = async (code, page) => {
  const file = await (await fetch('/build/locales/' + code + '.txt')).json();
  const template = document.createElement('template');
  template.innerHTML = file.pages[page];
  return [file.lang, canonical(template.content.firstElementChild)];
};`;
const LOCALES = readdirSync(new URL('../../src/locales/', import.meta.url)).map((f) => f.replace(/\.json$/, '')).sort();

/** Moves the wasm's dialog to `target` (login, signup or amnesia) by its own buttons. */
async function goTo(page, target) {
  const at = () => page.evaluate(() => netlifyIdentity.store.modal.page);
  if (await at() === target) return;
  if (await at() !== 'login') await dialog(page).locator('[data-go="login"]').click();
  if (target !== 'login') await dialog(page).locator(`[data-go="${target}"]`).click();
  await page.waitForFunction((p) => netlifyIdentity.store.modal.page === p, target);
}

/** For each locale but English, what the wasm shows on `pages` equals the locale file's markup. */
async function compareLocales(page, pages, mismatches) {
  for (const code of LOCALES) {
    await page.evaluate((c) => netlifyIdentity.setLocale(c), code);
    const [lang] = await page.evaluate(([c, p]) => window.fileMarkup(c, p), [code, pages[0]]);
    await page.waitForFunction((l) => document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('dialog').lang === l, lang);
    for (const name of pages) {
      if (['login', 'signup', 'amnesia'].includes(name)) await goTo(page, name);
      const [, expected] = await page.evaluate(([c, p]) => window.fileMarkup(c, p), [code, name]);
      if (await page.evaluate(() => window.shownMarkup()) !== expected) mismatches.push(`${name} ${code}`);
    }
  }
}

test('each dialog the loader shows is what the wasm renders for the same state, in every locale', async () => {
  const mismatches = [];
  let compared = 0;
  // Log in, sign up, forgot password: English as the loader showed it, then the wasm's.
  const { page, release } = await heldPage(`${env.stack.siteLikeUrl}/locale.html`);
  await page.evaluate(CANONICAL);
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).locator('#gw-email').waitFor();
  const english = { login: await page.evaluate(() => window.shownMarkup()) };
  await dialog(page).locator('[data-go="signup"]').click();
  english.signup = await page.evaluate(() => window.shownMarkup());
  await dialog(page).locator('[data-go="login"]').click();
  await dialog(page).locator('[data-go="amnesia"]').click();
  english.amnesia = await page.evaluate(() => window.shownMarkup());
  await takeOver(page, release);
  for (const name of ['amnesia', 'login', 'signup']) {
    await goTo(page, name);
    if (await page.evaluate(() => window.shownMarkup()) !== english[name]) mismatches.push(`${name} en`);
    compared++;
  }
  await compareLocales(page, ['signup', 'login', 'amnesia'], mismatches);
  compared += LOCALES.length * 3;
  await page.context().close();

  // The pages links and localhost open: their own page loads, the link's check held back.
  for (const [name, url] of [
    ['recovery', `${env.stack.siteLikeUrl}/locale.html#recovery_token=held`],
    ['invite', `${env.stack.siteLikeUrl}/locale.html#invite_token=held`],
    ['siteURL', `${env.stack.url}/local.html`],
  ]) {
    const { page: other, release: releaseOther } = await heldPage();
    await hold(other, '**/.netlify/identity/verify');
    await other.goto(url);
    await other.evaluate(CANONICAL);
    if (name === 'siteURL') await other.evaluate(() => netlifyIdentity.open());
    await other.waitForFunction((p) => netlifyIdentity.store.modal.page === p && netlifyIdentity.store.modal.isOpen, name);
    const shown = await other.evaluate(() => window.shownMarkup());
    await takeOver(other, releaseOther);
    if (await other.evaluate(() => window.shownMarkup()) !== shown) mismatches.push(`${name} en`);
    await compareLocales(other, [name], mismatches);
    compared += 1 + LOCALES.length;
    assert.deepEqual(other.errors, []);
    await other.context().close();
  }
  assert.equal(compared, 6 * (LOCALES.length + 1), 'six pages in every locale');
  assert.deepEqual(mismatches, []);
});

test('offline before the wasm: opening says so, a submit clears it and says it again, no longer busy; back online, the login works', async () => {
  const OFFLINE = 'You seem to be offline. Check your connection and try again.';
  const email = uniqueEmail('offline-early');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.siteLikeUrl}/site.html`);
  const failedLoads = (count) => page.waitForFunction((n) => window.record.filter((e) => e.startsWith('error:')).length === n, count);
  await context.setOffline(true);
  // Opening the dialog starts the load, which fails: the dialog says so before any submit.
  await page.locator('.netlify-identity-login').click();
  await failedLoads(1);
  assert.equal(await dialog(page).getByRole('alert').textContent(), OFFLINE);
  await page.evaluate(`(() => {
    const alert = ${shadow}.querySelector('dialog [role=alert]');
    window.alertTexts = [];
    new MutationObserver(() => window.alertTexts.push(alert.textContent)).observe(alert, { childList: true, characterData: true, subtree: true });
  })()`);
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  // The submit tries again and fails again: the message went and came back, so it is announced again.
  await failedLoads(2);
  assert.deepEqual(await page.evaluate(() => window.alertTexts), ['', OFFLINE]);
  const submit = dialog(page).locator('button[type=submit]');
  assert.equal(await submit.getAttribute('aria-busy'), 'false');
  assert.equal(await submit.isDisabled(), false);
  assert.equal(await dialog(page).getByLabel('Email').inputValue(), email, 'nothing typed is lost');
  assert.equal(await page.evaluate(() => netlifyIdentity.store.saving), false);
  await context.setOffline(false);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()?.email), email);
  assert.deepEqual(page.errors, []);
  await context.close();
});
