// Issue 26: passkey sign-in where the server has passkeys (supabase/auth with
// GOTRUE_PASSKEY_ENABLED, its relying party `localhost`: a browser takes no IP address as one),
// nothing of it where the server lacks them; and a login's second step, the code of an
// authenticator app (TOTP), before the login counts. Chromium's DevTools virtual authenticator
// stands in for the person's device: resident keys, user verification, presence given at once.
// The app's codes are computed here from the secret the server gave when it was set up.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { makeAdmin } from '../../scripts/stack.mjs';
import { runPostgres } from '../../scripts/supabase.mjs';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, passwordWorks, requestRecoveryThroughForm, searchUsers, setUp, tokensFor, uniqueEmail, waitForMail, widgetReady } from './helpers.mjs';

const PASSWORD = 'passkey password 1';
let env;
let netlify;

before(async () => {
  // Rate limits by client address, as on a hosted project (the last test runs into the codes'
  // one). The logins' (/token: a burst of 30, then one every 2 s) is raised: this file's many
  // logins, all from one address, ran into it when the file ran fast.
  const rateLimited = { GOTRUE_RATE_LIMIT_HEADER: 'X-Forwarded-For', GOTRUE_RATE_LIMIT_TOKEN_REFRESH: '100000' };
  [env, netlify] = [await setUp({ backend: 'supabase', port: 9043, passkeys: true, gotrueEnv: rateLimited }), await setUp({ port: 9045 })];
});
after(async () => { await env?.tearDown(); await netlify?.tearDown(); });

/** A device with a platform authenticator that holds passkeys and verifies its user. */
async function addAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/**
 * A passkey for `email`, made as the account page makes one: the server's options, the
 * browser's ceremony on this page's authenticator, the server's check. Returns its id.
 */
async function registerPasskey(page, email) {
  const tokens = await tokensFor(env.stack, email, PASSWORD);
  return page.evaluate(async ({ api, token }) => {
    const post = async (path, body) => (await fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).json();
    const { challenge_id: challengeId, options } = await post('/passkeys/registration/options', {});
    const created = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
    return (await post('/passkeys/registration/verify', { challenge_id: challengeId, credential: created.toJSON() })).id;
  }, { api: env.stack.apiUrl.replace(env.stack.url, env.stack.localhostUrl), token: tokens.access_token }).finally(() => { page.passkeyCalls = []; });
}

/**
 * The site's page on `localhost`, with the authenticator; `autofill: false` is a browser without
 * passkeys in autofill (conditional mediation), as Firefox before 119 or an older Safari: only
 * the button offers them there.
 */
async function sitePage(context, { autofill = true } = {}) {
  if (!autofill) await context.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false); });
  const page = await openPage(context, `${env.stack.localhostUrl}/`);
  page.passkeyCalls = [];
  page.on('request', (request) => {
    if (request.url().includes('/passkeys/')) page.passkeyCalls.push(new URL(request.url()).pathname.replace(/^.*\/passkeys/, '/passkeys'));
  });
  const authenticator = await addAuthenticator(context, page);
  await widgetReady(page);
  return { page, authenticator };
}

async function newUser(label) {
  const email = uniqueEmail(label);
  await createUser(env.stack, email, PASSWORD);
  return email;
}

test('"Sign in with a passkey" logs in with no email or password typed: `login` with the user, as a password login', async () => {
  const email = await newUser('passkey-button');
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await registerPasskey(page, email);
  await page.evaluate(() => { window.logins = []; netlifyIdentity.on('login', (user) => logins.push(user.email)); });
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.deepEqual(await page.evaluate(() => logins), [email]);
  const claims = await page.evaluate(() => JSON.parse(atob(netlifyIdentity.currentUser().token.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))));
  assert.deepEqual([claims.aal, claims.amr.map((entry) => entry.method)], ['aal1', ['passkey']]);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).email), email);
  assert.deepEqual(page.passkeyCalls, ['/passkeys/authentication/options', '/passkeys/authentication/verify']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a browser without the WebAuthn JSON methods (Safari before 18.4, Firefox before 119) adds a passkey and signs in with it all the same', async () => {
  const email = await newUser('passkey-no-json');
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    delete PublicKeyCredential.parseCreationOptionsFromJSON;
    delete PublicKeyCredential.parseRequestOptionsFromJSON;
    delete PublicKeyCredential.prototype.toJSON;
  });
  const { page } = await sitePage(context, { autofill: false });
  assert.equal(await page.evaluate(() => typeof PublicKeyCredential.parseRequestOptionsFromJSON), 'undefined');
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  const section = dialog(page).getByRole('region', { name: 'Passkeys' });
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await section.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
  assert.equal((await serverPasskeys(email)).length, 1);
  await page.evaluate(() => netlifyIdentity.logout());
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  const claims = await page.evaluate(() => JSON.parse(atob(netlifyIdentity.currentUser().token.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))));
  assert.deepEqual(claims.amr.map((entry) => entry.method), ['passkey']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the email field offers the site\'s passkeys in its autofill (conditional mediation); a passkey picked there logs in', async () => {
  // Headless Chromium shows no autofill list: its virtual authenticator answers the waiting
  // request at once, as a person's pick would. What is checked is the offer (the field's
  // autocomplete, the request waiting with `mediation: 'conditional'`) and what a pick does.
  const email = await newUser('passkey-autofill');
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    const get = navigator.credentials.get.bind(navigator.credentials);
    // Each request's mediation, and the email field's autocomplete when it was made.
    window.mediations = [];
    navigator.credentials.get = (options) => {
      const field = document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('#gw-email');
      mediations.push(`${options.mediation}: ${field?.getAttribute('autocomplete')}`);
      return get(options);
    };
  });
  const { page } = await sitePage(context);
  await registerPasskey(page, email);
  await page.click('.netlify-identity-login');
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().email), email);
  assert.deepEqual(await page.evaluate(() => window.mediations), ['conditional: username webauthn']);
  assert.deepEqual(page.passkeyCalls, ['/passkeys/authentication/options', '/passkeys/authentication/verify']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a ceremony that ends without a passkey says so in the person\'s language and leaves the form as it was', async () => {
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await page.evaluate(() => netlifyIdentity.setLocale('de'));
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('E-Mail').fill('typed@example.com');
  // This device holds no passkey of the site: the browser ends the ceremony (NotAllowedError).
  await dialog(page).getByRole('button', { name: 'Mit einem Passkey anmelden', exact: true }).click();
  await dialog(page).getByRole('alert').getByText('Es wurde kein Passkey verwendet.', { exact: false }).waitFor();
  assert.equal(await dialog(page).getByLabel('E-Mail').inputValue(), 'typed@example.com');
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  assert.equal(await dialog(page).getByRole('button', { name: 'Mit einem Passkey anmelden', exact: true }).isEnabled(), true);
  assert.deepEqual(page.passkeyCalls, ['/passkeys/authentication/options']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a passkey removed from the account is refused by the server: the dialog says it may have been removed', async () => {
  const email = await newUser('passkey-removed');
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  const id = await registerPasskey(page, email);
  const tokens = await tokensFor(env.stack, email, PASSWORD);
  const removed = await fetch(`${env.stack.apiUrl}/passkeys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(removed.status, 204);
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByRole('alert').getByText('This passkey was not accepted; it may have been removed from your account.', { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('on netlify/gotrue nothing of it appears and nothing is asked for: no passkey offered, no section on the account page, no chunk loaded', async () => {
  const email = uniqueEmail('netlify-account');
  await createUser(netlify.stack, email, PASSWORD);
  const context = await netlify.browser.newContext();
  const page = await openPage(context, `${netlify.stack.url}/`);
  const asked = [];
  page.on('request', (request) => { if (/passkeys|factors|security\.(wasm|txt)/.test(request.url())) asked.push(request.url()); });
  await widgetReady(page);
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').fill('someone@example.com');
  await dialog(page).getByText('Forgot password?').waitFor();
  assert.equal(await dialog(page).getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  await dialog(page).getByRole('region', { name: 'Roles' }).waitFor();
  assert.equal(await dialog(page).getByRole('region', { name: 'Passkeys' }).count(), 0);
  assert.equal(await dialog(page).getByRole('region', { name: 'Two-step sign-in' }).count(), 0);
  assert.deepEqual(asked, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** RFC 6238's code for `secret` (base32) at `atMs`: 6 digits, 30-second steps, HMAC-SHA-1. */
function appCode(secret, atMs = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.replace(/=+$/, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[19] & 15;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code the server refuses: none of the three it accepts now (one step of skew each way). */
function wrongCode(secret) {
  const accepted = [-30_000, 0, 30_000, 60_000].map((skew) => appCode(secret, Date.now() + skew));
  let code = 0;
  while (accepted.includes(String(code).padStart(6, '0'))) code++;
  return String(code).padStart(6, '0');
}

/**
 * Sets up an authenticator app for `email` through the server's API, as the account page does,
 * with a new session's token or the given one's (which the server then makes `aal2`).
 */
async function addApp(email, token) {
  token ??= (await tokensFor(env.stack, email, PASSWORD)).access_token;
  const call = async (path, body) => (await fetch(`${env.stack.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const app = await call('/factors', { factor_type: 'totp', friendly_name: 'Phone' });
  const challenge = await call(`/factors/${app.id}/challenge`, {});
  const verified = await call(`/factors/${app.id}/verify`, { challenge_id: challenge.id, code: appCode(app.totp.secret) });
  assert.ok(verified.access_token, 'the app is set up');
  return app.totp.secret;
}

/** A new user with an authenticator app, and the site's page in a new browser context. */
async function userWithApp(label) {
  const email = await newUser(label);
  const secret = await addApp(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await widgetReady(page);
  return { email, secret, context, page };
}

const claimsOf = (page) => page.evaluate(() => {
  const token = netlifyIdentity.currentUser()?.token.access_token;
  return token ? JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) : null;
});

test('a user with an authenticator app: the login counts only after its code — a wrong one says so and can be typed again; then `login`, an aal2 session stored, refreshed and kept over a reload', async () => {
  const { email, secret, context, page } = await userWithApp('second-step');
  await page.evaluate(() => { window.logins = []; netlifyIdentity.on('login', (user) => logins.push(user.email)); });
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.deepEqual(await page.evaluate(() => [netlifyIdentity.currentUser(), localStorage.getItem('gotrue.user'), logins]), [null, null, []]);
  assert.equal(await page.evaluate(() => document.cookie.includes('nf_jwt')), false);

  // By keyboard: the code's field has the focus; Enter sends it.
  const code = dialog(page).getByLabel('Code from the app');
  await eventually(() => code.evaluate((field) => field.getRootNode().activeElement === field), 'the focus in the code\'s field');
  await page.keyboard.type(wrongCode(secret));
  await page.keyboard.press('Enter');
  await dialog(page).getByRole('alert').getByText('That code is not right, or it has expired.', { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);

  await code.fill(appCode(secret).replace(/^(...)/, '$1 '));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.deepEqual(await page.evaluate(() => logins), [email]);
  const claims = await claimsOf(page);
  assert.deepEqual([claims.aal, claims.amr.map((entry) => entry.method).sort()], ['aal2', ['password', 'totp']]);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token);
  assert.equal(stored.access_token, await page.evaluate(() => netlifyIdentity.currentUser().token.access_token));

  // The refresh token the code's answer gave is the session's: a refresh works, and keeps aal2.
  await page.evaluate(() => netlifyIdentity.currentUser().jwt(true));
  assert.notEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token.refresh_token), stored.refresh_token);
  assert.equal((await claimsOf(page)).aal, 'aal2');
  await page.reload();
  await widgetReady(page);
  assert.equal((await claimsOf(page)).aal, 'aal2');
  assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.isOpen), false, 'no code asked again');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a passkey sign-in of a user with an authenticator app asks for its code too; "Never mind" drops the waiting login', async () => {
  const email = await newUser('passkey-second-step');
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await registerPasskey(page, email);
  const secret = await addApp(email);
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  await dialog(page).getByRole('button', { name: 'Never mind', exact: true }).click();
  await dialog(page).getByLabel('Password', { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);

  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  const claims = await claimsOf(page);
  assert.deepEqual([claims.aal, claims.amr.map((entry) => entry.method).sort()], ['aal2', ['passkey', 'totp']]);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a recovery link of a user with an authenticator app asks for its code, then for the new password (the server takes it only from an aal2 session), then logs in', async () => {
  const email = await newUser('recovery-second-step');
  const secret = await addApp(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await requestRecoveryThroughForm(page, email);
  const mail = await waitForMail(env.stack, email, /reset/i);
  const linked = await openPage(context, mail.link);
  await linked.evaluate(() => { window.logins = []; netlifyIdentity.on('login', (user) => logins.push(user.email)); });
  await dialog(linked).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.equal(await linked.evaluate(() => netlifyIdentity.currentUser()), null);
  await dialog(linked).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(linked).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(linked).getByLabel('New password').fill('a new second step password 2');
  assert.deepEqual(await linked.evaluate(() => logins), [], 'announced once the password is set');
  await dialog(linked).getByRole('button', { name: 'Update password' }).click();
  await dialog(linked).getByText('Logged in as').waitFor();
  assert.deepEqual(await linked.evaluate(() => logins), [email]);
  assert.equal((await claimsOf(linked)).aal, 'aal2');
  assert.equal(await passwordWorks(env.stack, email, 'a new second step password 2'), true);
  assert.deepEqual(linked.errors, []);
  await context.close();
});

test('axe-core finds no WCAG 2.2 AA violation on the login page offering passkeys, the second step, and the account page\'s passkeys and app (on, turning off, setting up), light and dark, ltr and rtl', async () => {
  const axe = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  const email = await newUser('second-step-a11y');
  const secret = await addApp(email);
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await page.evaluate(axe); // evaluated, not a script tag: the page's CSP allows no inline script
  const violations = [];
  const check = async (screen) => {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const locale of ['en', 'ar']) {
        await page.evaluate((code) => netlifyIdentity.setLocale(code), locale);
        await dialog(page).and(page.locator(`[dir="${locale === 'ar' ? 'rtl' : 'ltr'}"]`)).waitFor();
        const found = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } })
          .then((result) => result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)), tags);
        violations.push(...found.map((v) => `${screen} (${scheme}, ${locale}) ${v}`));
      }
    }
    await page.evaluate(() => netlifyIdentity.setLocale('en'));
  };
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).waitFor();
  await check('login with passkeys');
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  await check('second step');
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  const app = dialog(page).getByRole('region', { name: 'Two-step sign-in' });
  await dialog(page).getByRole('region', { name: 'Passkeys' }).getByText('No passkeys yet.').waitFor();
  await check('account page, the app on');
  await app.getByRole('button', { name: 'Turn off' }).click();
  await check('turning the app off');
  await app.getByRole('button', { name: 'Turn off' }).click();
  await app.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await app.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  await check('setting an app up');
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** The account page of the logged-in person. */
async function openAccount(page) {
  if (!(await page.evaluate(() => netlifyIdentity.store.modal.isOpen))) await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  await dialog(page).getByRole('heading', { name: 'Account settings' }).waitFor();
}

/** The user's passkeys as the server lists them. */
async function serverPasskeys(email) {
  const { access_token: token } = await tokensFor(env.stack, email, PASSWORD);
  return (await fetch(`${env.stack.apiUrl}/passkeys`, { headers: { authorization: `Bearer ${token}` } })).json();
}

/** Removes the one passkey `section` lists (Remove, then Remove to confirm); the server has none after. */
async function removeOnlyPasskey(section, email) {
  await section.getByRole('button', { name: 'Remove' }).click();
  await section.getByRole('button', { name: 'Remove' }).click();
  await section.getByRole('status').filter({ hasText: 'Passkey removed.' }).waitFor();
  await section.getByText('No passkeys yet.').waitFor();
  assert.deepEqual(await serverPasskeys(email), []);
}

test('the account page adds a passkey (named by the server), renames it by keyboard, shows when it was last used, and removes it after a confirmation', async () => {
  const email = await newUser('account-passkeys');
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  const section = dialog(page).getByRole('region', { name: 'Passkeys' });
  await section.getByText('No passkeys yet.').waitFor();
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await section.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
  const [added] = await serverPasskeys(email);
  await section.getByText(added.friendly_name, { exact: true }).waitFor();
  await section.getByText(`Added ${added.created_at.slice(0, 10)}, not used yet`).waitFor();

  // By keyboard: Rename puts the focus in the name's field; Enter saves.
  await section.getByRole('button', { name: 'Rename' }).focus();
  await page.keyboard.press('Enter');
  const name = section.getByLabel('Passkey name');
  await eventually(() => name.evaluate((field) => field.getRootNode().activeElement === field), 'the focus in the name\'s field');
  await name.fill('Work laptop');
  await page.keyboard.press('Enter');
  await section.getByRole('status').filter({ hasText: 'Passkey renamed.' }).waitFor();
  await section.getByText('Work laptop', { exact: true }).waitFor();
  assert.deepEqual((await serverPasskeys(email)).map((passkey) => passkey.friendly_name), ['Work laptop']);

  // It logs in; the list then says when.
  await page.evaluate(() => netlifyIdentity.logout());
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  const today = new Date().toISOString().slice(0, 10);
  await section.getByText(new RegExp(`last used ${today}`)).waitFor();

  await section.getByRole('button', { name: 'Remove' }).click();
  await section.getByText('Remove the passkey “Work laptop”? It will no longer log you in.').waitFor();
  await section.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await serverPasskeys(email)).length, 1, 'Cancel removes nothing');
  await removeOnlyPasskey(section, email);

  // Leaving the page while a passkey is added (the server's answer held back a second): it is
  // added, and nothing of the page left is read (a value of a page gone would stop the wasm).
  await page.route('**/passkeys/registration/verify', async (route) => { await new Promise((done) => setTimeout(done, 1000)); await route.continue(); });
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await dialog(page).getByRole('button', { name: 'Back', exact: true }).click();
  await page.unroute('**/passkeys/registration/verify');
  await eventually(async () => (await serverPasskeys(email)).length === 1, 'the passkey added');
  await openAccount(page);
  await section.getByText(/not used yet/).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the account page sets up an authenticator app: its QR code an image (never markup), the key written out, a first code turns it on (aal2, a new refresh token); logins then ask for the code; it turns off', async () => {
  const email = await newUser('account-app');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await widgetReady(page);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  await openAccount(page);
  const section = dialog(page).getByRole('region', { name: 'Two-step sign-in' });
  await section.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const qr = section.getByRole('img', { name: 'QR code for your authenticator app' });
  await qr.waitFor();
  const src = await qr.getAttribute('src');
  assert.match(decodeURIComponent(src), /^data:image\/svg\+xml;charset=utf-8,(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)?<svg /s);
  assert.ok(await qr.evaluate((image) => image.complete && image.naturalWidth > 0), 'the browser draws it');
  assert.equal(await dialog(page).locator('svg').count(), 0, 'the server\'s SVG is not in the page');
  const key = (await section.locator('code').textContent()).trim();
  assert.match(key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the key in groups of four');
  const secret = key.replace(/ /g, '');
  const code = section.getByLabel('Code from the app');
  await eventually(() => code.evaluate((field) => field.getRootNode().activeElement === field), 'the focus in the code\'s field');

  await code.fill(wrongCode(secret));
  await section.getByRole('button', { name: 'Turn on' }).click();
  await section.getByRole('alert').getByText('That code is not right, or it has expired.', { exact: false }).waitFor();
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token.refresh_token);
  await code.fill(appCode(secret));
  await section.getByRole('button', { name: 'Turn on' }).click();
  await section.getByRole('status').filter({ hasText: 'Two-step sign-in is on.' }).waitFor();
  await section.getByText(`On since ${new Date().toISOString().slice(0, 10)}`, { exact: false }).waitFor();
  assert.equal((await claimsOf(page)).aal, 'aal2');
  assert.notEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token.refresh_token), before);
  await page.evaluate(() => netlifyIdentity.currentUser().jwt(true));
  assert.equal((await claimsOf(page)).aal, 'aal2', 'the new refresh token is the session\'s');

  await page.evaluate(() => netlifyIdentity.logout());
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();

  await openAccount(page);
  await section.getByRole('button', { name: 'Turn off' }).click();
  await section.getByText('Turn off two-step sign-in? Logins will no longer ask for a code.').waitFor();
  await section.getByRole('button', { name: 'Turn off' }).click();
  await section.getByRole('status').filter({ hasText: 'Two-step sign-in is off.' }).waitFor();
  await section.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
  const { access_token: token } = await tokensFor(env.stack, email, PASSWORD);
  const user = await (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.deepEqual(user.factors ?? [], []);
  await page.evaluate(() => netlifyIdentity.logout());
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a step the server guards with aal2 asks for the code first: an app set up where this login is not ended, then a password change', async () => {
  // supabase/auth ends a user's aal1 sessions when an app is confirmed, and the widget keeps no
  // aal1 session of a user with one (its logins, a page load and another client's login wait
  // for the code). A server that keeps them (older GoTrue releases) or an app written by an
  // administrator's tool leaves this login aal1 with an app: the database stands in for both.
  const email = await newUser('guarded-step');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await widgetReady(page);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  await runPostgres(`INSERT INTO auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
    SELECT gen_random_uuid(), id, 'Set up elsewhere', 'totp', 'verified', now(), now(), '${secret}' FROM auth.users WHERE email = '${email}';`, env.stack.database);
  await openAccount(page);
  await dialog(page).getByLabel('New password', { exact: true }).fill('a guarded new password 3');
  await dialog(page).getByRole('button', { name: 'Save' }).nth(2).click();
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.equal(await passwordWorks(env.stack, email, 'a guarded new password 3'), false);
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByRole('heading', { name: 'Account settings' }).waitFor();
  assert.equal((await claimsOf(page)).aal, 'aal2');
  await dialog(page).getByLabel('New password', { exact: true }).fill('a guarded new password 3');
  await dialog(page).getByRole('button', { name: 'Save' }).nth(2).click();
  await dialog(page).getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
  assert.equal(await passwordWorks(env.stack, email, 'a guarded new password 3'), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an aal1 session another client stores while the page is open waits for the code there: no `login` until it; that user\'s own aal2 session stays', async () => {
  const { email, secret, context, page } = await userWithApp('follow-aal1');
  await page.evaluate(() => {
    window.events = [];
    for (const name of ['login', 'logout']) netlifyIdentity.on(name, (who) => events.push(who ? `${name} ${who.email}` : name));
  });
  const other = await openPage(context, `${env.stack.url}/blank.html`);
  await other.evaluate((stored) => localStorage.setItem('gotrue.user', stored), JSON.stringify(await storedRecord(email)));
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.deepEqual(await page.evaluate(() => [netlifyIdentity.currentUser(), events]), [null, []]);
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal((await claimsOf(page)).aal, 'aal2');
  assert.deepEqual(await page.evaluate(() => events), [`login ${email}`]);

  // The same user's password login elsewhere again: this page's aal2 session is not replaced.
  const session = await page.evaluate(() => netlifyIdentity.currentUser().token.access_token);
  // Storage events arrive in order: once the probe's is here, the record's was handled.
  await page.evaluate(() => { window.probed = new Promise((resolve) => addEventListener('storage', (e) => e.key === 'probe' && resolve())); });
  await other.evaluate((stored) => { localStorage.setItem('gotrue.user', stored); localStorage.setItem('probe', '1'); }, JSON.stringify(await storedRecord(email)));
  await page.evaluate(() => window.probed);
  await page.evaluate(() => new Promise(requestAnimationFrame));
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().token.access_token), session);
  assert.equal(await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).count(), 0);
  assert.deepEqual(await page.evaluate(() => events), [`login ${email}`]);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** The record a password login of `email` elsewhere on the site (gotrue-js) stores: aal1, with the user's factors. */
async function storedRecord(email) {
  const tokens = await tokensFor(env.stack, email, PASSWORD);
  const user = await (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
  assert.equal(user.factors.length, 1);
  return { ...user, url: env.stack.apiUrl, token: { ...tokens, expires_at: Date.now() + tokens.expires_in * 1000 } };
}

test('a stored aal1 session of a user with a confirmed app (written by another client) is not restored as logged in: `logout` for what the loader announced, the code asked, then `login` with aal2', async () => {
  const { email, secret, context, page } = await userWithApp('restored-aal1');
  // A password login elsewhere on the site (the old gotrue-js) stored the user, app and all.
  await page.evaluate((stored) => localStorage.setItem('gotrue.user', stored), JSON.stringify(await storedRecord(email)));
  await context.addInitScript(() => {
    window.events = [];
    window.addEventListener('DOMContentLoaded', () => {
      for (const name of ['login', 'logout']) netlifyIdentity.on(name, (who) => events.push(who ? `${name} ${who.email}` : name));
    });
  });
  await page.reload();
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null);
  await dialog(page).getByLabel('Code from the app').fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Verify', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal((await claimsOf(page)).aal, 'aal2');
  const events = await page.evaluate(() => window.events);
  assert.equal(events.at(-1), `login ${email}`);
  // The loader told the page of the stored user at start (maybe before these handlers were on).
  assert.equal(events.at(-2), 'logout', 'the page hears that nobody is logged in meanwhile');

  // The page's gotrue-js client remembering such a login: the same code first.
  await page.evaluate(() => netlifyIdentity.logout());
  await page.evaluate(({ address, password }) => netlifyIdentity.gotrue.login(address, password, true), { address: email, password: PASSWORD });
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an administrator sees a user\'s passkeys on the user page and removes one', async () => {
  const admin = await newUser('passkey-admin');
  await makeAdmin(env.stack, admin);
  const email = await newUser('passkey-managed');
  const context = await env.browser.newContext();
  const { page } = await sitePage(context, { autofill: false });
  await registerPasskey(page, email);
  await logInThroughForm(page, admin, PASSWORD);
  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await searchUsers(page, email);
  await dialog(page).getByRole('button', { name: email }).click();
  const section = dialog(page).getByRole('region', { name: 'Passkeys' });
  const [passkey] = await serverPasskeys(email);
  await section.getByText(passkey.friendly_name, { exact: true }).waitFor();
  assert.equal(await section.getByRole('button', { name: 'Rename' }).count(), 0, 'only its owner renames it');
  await removeOnlyPasskey(section, email);
  assert.deepEqual(page.errors, []);
  await context.close();
});

// Last: it spends this client's allowance of codes for a minute.
test('too many codes: the server\'s limit says to wait a minute, in the person\'s language', async () => {
  const { email, secret, context, page } = await userWithApp('second-step-limit');
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  // This client (one address: the browser and this test) tries codes until the server stops it.
  const { access_token: token } = await tokensFor(env.stack, email, PASSWORD);
  const factor = (await (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${token}` } })).json()).factors[0].id;
  let status = 200;
  for (let tries = 0; status !== 429 && tries < 100; tries++) {
    status = (await fetch(`${env.stack.apiUrl}/factors/${factor}/challenge`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).status;
  }
  assert.equal(status, 429, 'the server limits codes');
  await page.evaluate(() => netlifyIdentity.setLocale('fr'));
  await dialog(page).getByLabel("Code de l'application").fill(appCode(secret));
  await dialog(page).getByRole('button', { name: 'Vérifier', exact: true }).click();
  await dialog(page).getByRole('alert').getByText('Trop de codes essayés. Patientez une minute', { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});
