// Issue 26: passkey sign-in where the server has passkeys (supabase/auth with
// GOTRUE_PASSKEY_ENABLED, its relying party `localhost`: a browser takes no IP address as one),
// nothing of it where the server lacks them; and a login's second step, the code of an
// authenticator app (TOTP), before the login counts. Chromium's DevTools virtual authenticator
// stands in for the person's device: resident keys, user verification, presence given at once.
// The app's codes are computed here from the secret the server gave when it was set up.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, passwordWorks, requestRecoveryThroughForm, setUp, tokensFor, uniqueEmail, waitForMail, widgetReady } from './helpers.mjs';

const PASSWORD = 'passkey password 1';
let env;
let netlify;

before(async () => {
  // Rate limits by client address, as on a hosted project (the last test runs into one).
  const rateLimited = { GOTRUE_RATE_LIMIT_HEADER: 'X-Forwarded-For' };
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

test('on netlify/gotrue no passkey is offered and none is asked for', async () => {
  const context = await netlify.browser.newContext();
  const page = await openPage(context, `${netlify.stack.url}/`);
  const asked = [];
  page.on('request', (request) => { if (request.url().includes('passkeys')) asked.push(request.url()); });
  await widgetReady(page);
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').fill('someone@example.com');
  await dialog(page).getByText('Forgot password?').waitFor();
  assert.equal(await dialog(page).getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
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

/** Sets up an authenticator app for `email` through the server's API, as the account page does. */
async function addApp(email) {
  const { access_token: token } = await tokensFor(env.stack, email, PASSWORD);
  const call = async (path, body) => (await fetch(`${env.stack.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const app = await call('/factors', { factor_type: 'totp', friendly_name: 'Phone' });
  const challenge = await call(`/factors/${app.id}/challenge`, {});
  const verified = await call(`/factors/${app.id}/verify`, { challenge_id: challenge.id, code: appCode(app.totp.secret) });
  assert.ok(verified.access_token, 'the app is set up');
  return app.totp.secret;
}

const claimsOf = (page) => page.evaluate(() => {
  const token = netlifyIdentity.currentUser()?.token.access_token;
  return token ? JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) : null;
});

test('a user with an authenticator app: the login counts only after its code — a wrong one says so and can be typed again; then `login`, an aal2 session stored, refreshed and kept over a reload', async () => {
  const email = await newUser('second-step');
  const secret = await addApp(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await widgetReady(page);
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

test('axe-core finds no WCAG 2.2 AA violation on the login page offering passkeys nor on the second step, light and dark, ltr and rtl', async () => {
  const axe = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  const email = await newUser('second-step-a11y');
  await addApp(email);
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
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

// Last: it spends this client's allowance of codes for a minute.
test('too many codes: the server\'s limit says to wait a minute, in the person\'s language', async () => {
  const email = await newUser('second-step-limit');
  const secret = await addApp(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/`);
  await widgetReady(page);
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
