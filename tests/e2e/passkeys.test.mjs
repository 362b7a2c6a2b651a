// Issue 26: passkey sign-in where the server has passkeys (supabase/auth with
// GOTRUE_PASSKEY_ENABLED, its relying party `localhost`: a browser takes no IP address as one),
// nothing of it where the server lacks them. Chromium's DevTools virtual authenticator stands in
// for the person's device: resident keys, user verification, presence given at once.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, openPage, setUp, tokensFor, uniqueEmail, widgetReady } from './helpers.mjs';

const PASSWORD = 'passkey password 1';
let env;
let netlify;

before(async () => {
  [env, netlify] = [await setUp({ backend: 'supabase', port: 9043, passkeys: true }), await setUp({ port: 9045 })];
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
    window.mediations = [];
    navigator.credentials.get = (options) => { mediations.push(options.mediation); return get(options); };
  });
  const { page } = await sitePage(context);
  await registerPasskey(page, email);
  await page.click('.netlify-identity-login');
  assert.equal(await dialog(page).getByLabel('Email').getAttribute('autocomplete'), 'username webauthn');
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().email), email);
  assert.deepEqual(await page.evaluate(() => window.mediations), ['conditional']);
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
