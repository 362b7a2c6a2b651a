// COMPAT.md's numbered contract, item by item where other files do not already name it: a
// "deployed" site on 127.0.0.2 (loopback, but not a localhost name, so the widget behaves as
// on a real domain), the real GoTrue behind /.netlify/identity, and real Chromium.
import { after, before, test } from 'node:test';
import {
  assert, createUser, dialog, eventually, logInThroughForm, openPage, setUp, tokensFor, uniqueEmail, waitForMail, widgetReady } from './helpers.mjs';
import { startStack } from '../../scripts/stack.mjs';

const PASSWORD = 'compat password 1';
let env;
let site; // http://127.0.0.2:<port>
before(async () => {
  env = await setUp({ port: 8991 });
  site = env.stack.siteLikeUrl;
});
after(async () => { await env?.tearDown(); });

/** A new user, logged in through the form of site.html; returns {context, page, email}. */
async function loggedIn(label) {
  const email = uniqueEmail(label);
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${site}/site.html`);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  return { context, page, email };
}

/** Requests the page sends whose URL contains `part`, as {method, url, headers, body}. */
function watchRequests(page, part) {
  const seen = [];
  page.on('request', (request) => {
    if (request.url().includes(part)) seen.push({ method: request.method(), url: request.url(), headers: request.headers(), body: request.postData() });
  });
  return seen;
}

const tokenFrom = (link, name) => decodeURIComponent(new URL(link).hash.match(new RegExp(`${name}=([^&]+)`))[1]);

test('COMPAT 1, 2, 3, 4, 24: widget in <head>, the Decap-docs snippet in <body>; an init handler\'s login handler sees the hash login', async () => {
  const email = uniqueEmail('head');
  await createUser(env.stack, email, PASSWORD);
  const tokens = await tokensFor(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const hash = `#access_token=${tokens.access_token}&expires_in=3600&refresh_token=${tokens.refresh_token}&token_type=bearer`;
  const page = await openPage(context, `${site}/site.html${hash}`);
  await eventually(() => page.evaluate(() => window.record.includes('login:' + window.netlifyIdentity.currentUser()?.email)), 'the login');
  const record = await page.evaluate(() => window.record);
  assert.deepEqual(record.filter((e) => !e.startsWith('open') && !e.startsWith('close')), ['init', `login:${email}`, `login-seen-by-init-handler:${email}`]);
  assert.deepEqual(await page.evaluate(() => window.keysAtParse), ['close', 'currentUser', 'gotrue', 'init', 'logout', 'off', 'on', 'open', 'refresh', 'setLocale', 'store']);
  assert.equal(await page.evaluate(() => typeof window.netlifyIdentity.gotrue.login), 'function');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 6, 13, 14, 17: after a CMS bundle, deferred, and as a module with init(), with a stored session', async () => {
  const { context, page, email } = await loggedIn('orders');
  for (const order of ['order-after.html', 'order-defer.html']) {
    await page.goto(`${site}/${order}`);
    await eventually(() => page.evaluate(() => window.record.some((e) => e.startsWith('hosts:'))), `${order}: the CMS's fallback init`);
    const record = await page.evaluate(() => window.record);
    assert.deepEqual(record, ['found:object', `user-at-mount:${email}`, 'hosts:1'], order);
  }
  await page.goto(`${site}/order-module.html`);
  await eventually(() => page.evaluate(() => window.record?.length >= 2), 'init and login from the module');
  assert.deepEqual(await page.evaluate(() => window.record), [`init:${email}`, `login:${email}`]);
  assert.deepEqual(await page.evaluate(() => window.beforeInit), { global: 'undefined', hosts: 0 });
  assert.deepEqual(await page.evaluate(() => window.afterInit), { email, storeUser: true, gotrue: true });
  // A stored session loads the wasm at once (it keeps nf_jwt and refreshes).
  await page.locator('#netlify-identity-widget').waitFor({ state: 'attached' });
  assert.equal(await page.locator('.netlify-identity-user').textContent(), email);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 9, 12, 15, 16, 22, 55: UMD init with options; settings load on first open; a failed load is Decap\'s error', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const settings = watchRequests(page, '/settings');
  await page.goto(`${site}/umd-options.html`);
  assert.deepEqual(await page.evaluate(() => window.beforeInit), { hosts: 0, global: 'object' });
  await page.waitForTimeout(300);
  assert.equal(settings.length, 0, 'no /settings before the first open');
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByLabel('Email').waitFor();
  await page.locator('#here > #netlify-identity-widget').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#netlify-identity-widget').count(), 1);
  // Closed, the host takes no space and no clicks.
  await page.evaluate(() => netlifyIdentity.close());
  const closed = await page.evaluate(() => {
    const host = document.querySelector('#netlify-identity-widget');
    const box = host.getBoundingClientRect();
    return { area: box.width * box.height, hit: document.elementFromPoint(innerWidth / 2, innerHeight / 2) === host };
  });
  assert.deepEqual(closed, { area: 0, hit: false });
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByLabel('Email').waitFor();
  await eventually(() => settings.length === 1, 'one /settings request');
  assert.equal(new URL(settings[0].url).href, `${site}/.netlify/identity/settings`, 'the default API root, on the page origin');
  // Open, it covers the viewport: the corners belong to it (the modal dialog's backdrop).
  const corners = await page.evaluate(() => [[2, 2], [innerWidth - 3, innerHeight - 3]]
    .map(([x, y]) => document.elementFromPoint(x, y) === document.querySelector('#netlify-identity-widget')));
  assert.deepEqual(corners, [true, true]);
  const invalidDomain = await page.evaluate(() => { try { netlifyIdentity.init({ cookieDomain: 'example.com;x=1' }); return 'accepted'; } catch (error) { return error.message; } });
  assert.match(invalidDomain, /cookieDomain/);

  // An API that is not there: the error Decap CMS recognises.
  const api = `${site}/nowhere/.netlify/identity`;
  await page.goto(`${site}/umd-options.html?api=${encodeURIComponent(api)}`);
  await page.evaluate(() => netlifyIdentity.open());
  await eventually(() => page.evaluate(() => window.record.length > 0), 'the error event');
  const [message] = await page.evaluate(() => window.record);
  assert.equal(message, `Failed to load settings from ${api}`);
  assert.match(message, /^Failed to load settings from.+\.netlify\/identity$/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 5, 31, 44, 51, 57, 58: gotrue-js\'s client, with the real server and its emails', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${site}/site.html`);
  const verify = watchRequests(page, '/verify');
  const settings = watchRequests(page, '/settings');
  await widgetReady(page);
  const basics = await page.evaluate(async () => {
    const client = netlifyIdentity.gotrue;
    const made = new window.GoTrue({ APIUrl: '/.netlify/identity/', audience: 'compat-audience' });
    await made.settings();
    return {
      constructor: typeof window.GoTrue, apiURL: client.api.apiURL, madeApiURL: made.api.apiURL,
      settings: Object.keys(await client.settings()).filter((k) => ['external', 'disable_signup', 'autoconfirm'].includes(k)).sort(),
      loginUrl: client.loginExternalUrl('github'),
      inviteUrl: client.acceptInviteExternalUrl('gitlab', 'a b'),
      sameUser: client.currentUser() === netlifyIdentity.currentUser(),
    };
  });
  assert.deepEqual(basics, {
    constructor: 'function', apiURL: '/.netlify/identity', madeApiURL: '/.netlify/identity',
    settings: ['autoconfirm', 'disable_signup', 'external'],
    loginUrl: '/.netlify/identity/authorize?provider=github',
    inviteUrl: '/.netlify/identity/authorize?provider=gitlab&invite_token=a%20b',
    sameUser: true,
  });
  assert.ok(settings.some((r) => r.headers['x-jwt-aud'] === 'compat-audience'), 'the audience option sends X-JWT-AUD');

  // signup → the emailed token → confirm(token, remember): the page's user, without a login event.
  const email = uniqueEmail('client');
  const signedUp = await page.evaluate(([email, password]) => netlifyIdentity.gotrue.signup(email, password, { full_name: 'Client User' }).then((u) => u.email), [email, PASSWORD]);
  assert.equal(signedUp, email);
  const confirmation = await waitForMail(env.stack, email, /confirm/i);
  const confirmed = await page.evaluate((token) => netlifyIdentity.gotrue.confirm(token, true).then((u) => ({
    email: u.email, same: u === netlifyIdentity.currentUser(), stored: JSON.parse(localStorage.getItem('gotrue.user')).email,
  })), tokenFrom(confirmation.link, 'confirmation_token'));
  assert.deepEqual(confirmed, { email, same: true, stored: email });
  assert.equal(await page.evaluate(() => window.record.filter((e) => e.startsWith('login')).length), 0, 'gotrue calls fire no login event');
  assert.equal(verify[0].headers['x-use-cookie'], undefined, 'a remembered /verify: the widget writes the cookies itself');
  assert.ok(await page.evaluate(() => document.cookie.split('; ').includes('nf_jwt=' + netlifyIdentity.currentUser().token.access_token)), 'the remembered user\'s nf_jwt');
  assert.deepEqual(JSON.parse(verify[0].body), { token: tokenFrom(confirmation.link, 'confirmation_token'), type: 'signup' });

  // A refusal reads as gotrue-js reports it: the server's words, status and body.
  const refused = await page.evaluate((email) => netlifyIdentity.gotrue.login(email, 'wrong password').then(() => null, (e) => ({ message: e.message, status: e.status, json: typeof e.json })), email);
  assert.equal(refused.status, 400);
  assert.equal(refused.json, 'object');
  assert.match(refused.message, /^invalid_grant: /);

  // recover(token) without remember: a user of its own; the page's user stays.
  await page.evaluate((email) => netlifyIdentity.gotrue.requestPasswordRecovery(email), email);
  const recovery = await waitForMail(env.stack, email, /recover|reset/i);
  const recovered = await page.evaluate(async (token) => {
    const user = await netlifyIdentity.gotrue.recover(token);
    const jwt = await user.jwt();
    await user.update({ data: { full_name: 'Renamed Apart' } });
    return { email: user.email, separate: user !== netlifyIdentity.currentUser(), jwt: jwt === user.token.access_token, name: user.user_metadata.full_name };
  }, tokenFrom(recovery.link, 'recovery_token'));
  assert.deepEqual(recovered, { email, separate: true, jwt: true, name: 'Renamed Apart' });

  // createUser(tokenResponse) from a password grant made elsewhere.
  const tokens = await tokensFor(env.stack, email, PASSWORD);
  const created = await page.evaluate((tokens) => netlifyIdentity.gotrue.createUser(tokens).then((u) => [u.email, u.token.access_token === tokens.access_token]), tokens);
  assert.deepEqual(created, [email, true]);

  // acceptInvite(token, password, remember) for an address an operator invited.
  const invitee = uniqueEmail('client-invite');
  const invite = await fetch(`${env.stack.apiUrl}/invite`, { method: 'POST', headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: invitee }) });
  assert.equal(invite.status, 200);
  const inviteMail = await waitForMail(env.stack, invitee, /invite/i);
  const accepted = await page.evaluate(([token, password]) => netlifyIdentity.gotrue.acceptInvite(token, password, true).then((u) => u.email), [tokenFrom(inviteMail.link, 'invite_token'), PASSWORD]);
  assert.equal(accepted, invitee);
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().email), invitee);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 21, 27, 28, 32, 33, 35, 36, 40, 53: the user object, the store, and logout', async () => {
  const email = uniqueEmail('object');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${site}/site.html`);
  const tokenResponses = [];
  page.on('response', async (response) => {
    if (response.url().endsWith('/token')) tokenResponses.push(await response.json());
  });
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  const shape = await page.evaluate(async () => {
    const user = netlifyIdentity.currentUser();
    const copy = { ...user };
    const json = JSON.parse(JSON.stringify(user));
    return {
      sameAsLogin: window.loginArgument === user,
      keys: ['id', 'aud', 'role', 'email', 'confirmed_at', 'created_at', 'updated_at', 'app_metadata', 'user_metadata', 'url', 'audience', 'token', 'api'].filter((k) => !Object.prototype.hasOwnProperty.call(user, k)),
      provider: user.app_metadata.provider,
      url: user.url,
      api: user.api.apiURL,
      expiresAtMs: user.token.expires_at === JSON.parse(atob(user.token.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000,
      methods: ['jwt', 'update', 'getUserData', 'tokenDetails', 'logout', 'clearSession'].filter((m) => typeof user[m] !== 'function'),
      admin: typeof user.admin.listUsers,
      jwt: await user.jwt.bind(user)(),
      jsonToken: json.token.access_token === user.token.access_token && json.email === user.email && !!json.app_metadata && !!json.user_metadata,
      copy: copy.email === user.email && copy.token === user.token,
      store: { user: netlifyIdentity.store.user === user, gotrue: netlifyIdentity.store.gotrue === netlifyIdentity.gotrue, isOpen: netlifyIdentity.store.modal.isOpen, page: netlifyIdentity.store.modal.page, saving: netlifyIdentity.store.saving, settings: typeof netlifyIdentity.store.settings?.external },
    };
  });
  assert.deepEqual({ ...shape, jwt: undefined }, {
    sameAsLogin: true, keys: [], provider: 'email', url: '/.netlify/identity', api: '/.netlify/identity', expiresAtMs: true,
    methods: [], admin: 'function', jwt: undefined, jsonToken: true, copy: true,
    store: { user: true, gotrue: true, isOpen: true, page: 'user', saving: false, settings: 'object' },
  });
  assert.equal(shape.jwt, tokenResponses[0].access_token, 'the token handed out is GoTrue\'s, unchanged');
  const nfJwt = async () => (await context.cookies(site)).find((c) => c.name === 'nf_jwt')?.value;
  assert.equal(await nfJwt(), shape.jwt, 'nf_jwt carries the access token');

  // Decap's clearStore: store.user = null logs the UI out and fires logout once.
  await page.evaluate(() => { netlifyIdentity.store.user = null; });
  assert.deepEqual(await page.evaluate(() => ({ user: netlifyIdentity.currentUser(), stored: localStorage.getItem('gotrue.user'), logouts: window.record.filter((e) => e === 'logout').length })), { user: null, stored: null, logouts: 1 });
  await page.locator('.netlify-identity-login').waitFor();

  // logout(): null at once; POST /logout with the token; storage and cookie gone; one event.
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  const logouts = watchRequests(page, '/logout');
  const result = await page.evaluate(async () => {
    const token = netlifyIdentity.currentUser().token.access_token;
    const before = window.record.filter((e) => e === 'logout').length;
    const promise = netlifyIdentity.logout();
    const nullAtOnce = netlifyIdentity.currentUser() === null;
    await promise;
    return { token, nullAtOnce, stored: localStorage.getItem('gotrue.user'), events: window.record.filter((e) => e === 'logout').length - before };
  });
  assert.deepEqual({ ...result, token: undefined }, { token: undefined, nullAtOnce: true, stored: null, events: 1 });
  await eventually(async () => (await nfJwt()) === undefined, 'nf_jwt to be cleared');
  await eventually(() => logouts.length === 1, 'POST /logout');
  assert.equal(logouts[0].method, 'POST');
  assert.equal(logouts[0].headers.authorization, `Bearer ${result.token}`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 29, 34, 37, 38, 39: jwt() without network when fresh, one shared refresh, tokens that are not JWTs', async () => {
  const { context, page } = await loggedIn('tokens');
  const grants = watchRequests(page, '/token');
  const fresh = await page.evaluate(async () => [await netlifyIdentity.refresh(), netlifyIdentity.currentUser().token.access_token]);
  assert.equal(fresh[0], fresh[1]);
  assert.equal(grants.length, 0, 'a fresh token needs no request');
  const forced = await page.evaluate(async () => {
    const before = localStorage.getItem('gotrue.user');
    const tokens = await Promise.all([netlifyIdentity.refresh(true), netlifyIdentity.currentUser().jwt(true), netlifyIdentity.refresh(true)]);
    return { same: new Set(tokens).size === 1, current: tokens[0] === netlifyIdentity.currentUser().token.access_token, rewritten: localStorage.getItem('gotrue.user') !== before && JSON.parse(localStorage.getItem('gotrue.user')).token.access_token === tokens[0] };
  });
  assert.deepEqual(forced, { same: true, current: true, rewritten: true });
  assert.equal(grants.length, 1, 'concurrent callers share one refresh');
  assert.equal(grants[0].headers['content-type'], 'application/x-www-form-urlencoded');
  assert.match(grants[0].body, /^grant_type=refresh_token&refresh_token=[^&]+$/);

  // Decap's Cypress fixtures: a token that is not a JWT, and user_metadata null.
  await page.evaluate(() => localStorage.setItem('gotrue.user', JSON.stringify({
    token: { access_token: 'access_token', token_type: 'bearer', expires_in: 3600, refresh_token: 'refresh_token', expires_at: Date.now() + 3_600_000 },
    url: '/.netlify/identity', id: 'fixture', email: 'fixture@example.com', app_metadata: { provider: 'email' }, user_metadata: null,
  })));
  await page.reload();
  assert.deepEqual(await page.evaluate(async () => [await netlifyIdentity.currentUser().jwt(), netlifyIdentity.currentUser().user_metadata]), ['access_token', {}]);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 51, 52: the widget writes nf_jwt and nf_refresh, readable, kept in step through a refresh; httpOnlyCookie asks GoTrue for its HttpOnly nf_jwt instead, never on localhost or with cookieDomain', async () => {
  const readable = async (page) => page.evaluate(() => {
    const { access_token: jwt, refresh_token: refresh } = netlifyIdentity.currentUser().token;
    const cookies = document.cookie.split('; ');
    return cookies.includes(`nf_jwt=${jwt}`) && cookies.includes(`nf_refresh=${refresh}`);
  });
  const { context, page } = await loggedIn('cookie');
  const grants = watchRequests(page, '/token');
  assert.equal(await readable(page), true, 'after a login: both cookies, readable by the page');
  const before = await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token);
  await page.evaluate(() => netlifyIdentity.refresh(true));
  assert.equal(grants[0].headers['x-use-cookie'], undefined, 'the server is not asked for its cookie');
  assert.notEqual(await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token), before);
  assert.equal(await readable(page), true, 'after a refresh: the new tokens');
  assert.equal((await context.cookies(site)).find((c) => c.name === 'nf_jwt').httpOnly, false);
  await page.evaluate(() => netlifyIdentity.logout());
  assert.deepEqual((await context.cookies(site)).filter((c) => c.name.startsWith('nf_')), [], 'a logout expires both');
  await context.close();

  const email = uniqueEmail('cookie-http-only');
  await createUser(env.stack, email, PASSWORD);
  const logIn = async (url) => {
    const other = await env.browser.newContext();
    await other.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
    const local = await openPage(other, url);
    const localGrants = watchRequests(local, '/token');
    await local.evaluate(() => netlifyIdentity.open('login'));
    await logInThroughForm(local, email, PASSWORD);
    await dialog(local).getByText('Logged in as').waitFor();
    return { other, local, localGrants };
  };
  // httpOnlyCookie on a real domain: GoTrue's cookie, which no script reads; no nf_refresh.
  const httpOnly = await logIn(`${site}/umd-options.html?httpOnlyCookie=1`);
  assert.equal(httpOnly.localGrants[0].headers['x-use-cookie'], '1', 'the password grant asks for the server\'s cookie');
  const serverCookie = (await httpOnly.other.cookies(site)).find((c) => c.name === 'nf_jwt');
  assert.deepEqual([serverCookie.httpOnly, serverCookie.value === await httpOnly.local.evaluate(() => netlifyIdentity.currentUser().token.access_token)], [true, true]);
  assert.equal(await httpOnly.local.evaluate(() => /nf_(jwt|refresh)=/.test(document.cookie)), false, 'nothing readable');
  await httpOnly.local.evaluate(() => netlifyIdentity.refresh(true));
  assert.equal(httpOnly.localGrants[1].headers['x-use-cookie'], '1', 'a refresh asks GoTrue to rewrite nf_jwt');
  await httpOnly.other.close();
  // Where the server is not asked even then, the widget writes nf_jwt itself (COMPAT.md item 52).
  for (const url of [`${env.stack.url}/umd-options.html?httpOnlyCookie=1`, `${site}/umd-options.html?httpOnlyCookie=1&cookieDomain=127.0.0.2`]) {
    const { other, local, localGrants } = await logIn(url);
    assert.equal(localGrants[0].headers['x-use-cookie'], undefined, `${url}: no X-Use-Cookie`);
    const written = await local.evaluate(() => document.cookie.split('; ').includes('nf_jwt=' + netlifyIdentity.currentUser().token.access_token));
    assert.equal(written, true, `${url}: nf_jwt written by the widget`);
    await other.close();
  }
});

test('COMPAT 18, 43: on localhost the site URL is asked for, shown, cleared and changed', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/site.html`);
  await widgetReady(page);
  assert.deepEqual(await page.evaluate(() => [window.record.length, netlifyIdentity.currentUser()]), [0, null], 'no init before the site URL is known');
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByLabel('Site URL').fill(`${env.stack.url}/.netlify/identity/`);
  await dialog(page).getByRole('button', { name: "Set site's URL" }).click();
  await dialog(page).getByText(`Local development against ${env.stack.url}`).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('netlifySiteURL')), env.stack.url);
  assert.deepEqual(await page.evaluate(() => window.record.filter((e) => e === 'init')), ['init']);

  await dialog(page).getByRole('button', { name: 'Clear localhost URL' }).click();
  await dialog(page).getByLabel('Site URL').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('netlifySiteURL')), null);
  await dialog(page).getByLabel('Site URL').fill(env.stack.url);
  await dialog(page).getByRole('button', { name: "Set site's URL" }).click();
  await dialog(page).getByLabel('Email').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.gotrue.api.apiURL), `${env.stack.url}/.netlify/identity`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 26, 45, 48, 49, 50, 59, 60: controls, closing resets errors, locales, and the rarer fragments', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${site}/site.html`);
  const menu = page.locator('[data-netlify-identity-menu]');
  await menu.locator('ul.netlify-identity-menu > li.netlify-identity-item > .netlify-identity-signup').waitFor();
  await menu.locator('ul.netlify-identity-menu > li.netlify-identity-item > .netlify-identity-login').waitFor();
  const button = page.locator('.netlify-identity-button');
  assert.equal((await button.textContent()).trim(), 'Members', 'the button keeps its own text');
  await button.click();
  await dialog(page).getByLabel('Email').fill('nobody@example.com');
  await dialog(page).getByLabel('Password', { exact: true }).fill('wrong');
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  const problem = dialog(page).getByRole('alert');
  await problem.waitFor();
  await page.keyboard.press('Escape');
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByLabel('Email').waitFor();
  assert.equal(await dialog(page).getByRole('alert').count(), 0, 'close() reset the error');
  // Any code is accepted; an unknown one is English (locales.test.mjs switches languages).
  await page.evaluate(() => { netlifyIdentity.setLocale('no-such-locale'); });
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).waitFor();
  await page.keyboard.press('Escape');

  // Logged in: the user details item with name or email, and a logout control.
  const email = uniqueEmail('controls');
  await createUser(env.stack, email, PASSWORD, { full_name: 'Control Person' });
  await logInThroughForm(page, email, PASSWORD);
  await menu.locator('li.netlify-identity-item.netlify-identity-user-details span.netlify-identity-user').waitFor();
  assert.equal(await menu.locator('.netlify-identity-user').textContent(), 'Control Person');
  await page.keyboard.press('Escape');
  await menu.locator('.netlify-identity-logout').click();
  await menu.locator('.netlify-identity-login').waitFor();

  // #error=access_denied&error_description=403 opens signup, saying why.
  await page.goto(`${site}/site.html?refused#error=access_denied&error_description=403`);
  await dialog(page).getByText('Public signups are disabled').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.page), 'signup');
  // (Each link has its own query: a change of fragment alone would not load the page.)
  // A leading #/ (hash routers) is tolerated.
  await page.goto(`${site}/site.html?router#/confirmation_token=not-a-real-token`);
  await dialog(page).getByText('There was an error verifying your account').waitFor();
  assert.equal(new URL(page.url()).hash, '');
  // An invite link: store.invite_token, the invite page.
  await page.goto(`${site}/site.html?invite#invite_token=an-invite-token`);
  await dialog(page).getByLabel('Password', { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.store.invite_token), 'an-invite-token');
  // Decap's implicit grant: the hash is left for Decap and no nf_jwt is written.
  const state = encodeURIComponent(JSON.stringify({ auth_type: 'implicit', nonce: 'n' }));
  await page.goto(`${site}/site.html?implicit#access_token=not-ours&token_type=bearer&state=${state}`);
  await widgetReady(page);
  assert.ok(page.url().includes('access_token=not-ours'));
  assert.equal(await page.evaluate(() => [document.cookie.includes('nf_jwt'), netlifyIdentity.currentUser()].join()), 'false,');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 20: with autoconfirm, a signup logs in at once and fires login', async () => {
  const stack = await startStack({ port: 8989, freshDatabase: true, gotrueEnv: { GOTRUE_MAILER_AUTOCONFIRM: 'true' } });
  try {
    const context = await env.browser.newContext();
    const page = await openPage(context, `${stack.siteLikeUrl}/site.html`);
    const email = uniqueEmail('autoconfirm');
    await page.locator('.netlify-identity-signup').click();
    await dialog(page).getByLabel('Name').fill('Auto Confirmed');
    await dialog(page).getByLabel('Email').fill(email);
    await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
    await dialog(page).getByText('Logged in as').waitFor();
    assert.deepEqual(await page.evaluate(() => window.record.filter((e) => e.startsWith('login:'))), [`login:${email}`]);
    assert.deepEqual(page.errors, []);
    await context.close();
  } finally {
    await stack.close();
  }
});
