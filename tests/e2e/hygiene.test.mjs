// Issue 8: token hygiene. For every kind of link GoTrue emails (and the provider redirect
// and a refused one): once the widget has handled it, neither the URL nor any entry of the
// tab's history holds the token; no token reaches the console, an error or an event; no
// request the page makes afterwards carries one in its Referer; and no cookie but nf_refresh
// holds the refresh token (nf_jwt holds the access token, as the old widget's does; nf_refresh
// is the one @netlify/identity's server side reads, README "Cookies").
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, tokensFor, uniqueEmail, waitForMail } from './helpers.mjs';

let env;
let supabase;
before(async () => {
  env = await setUp({ port: 9005 });
  supabase = await setUp({ port: 9305, backend: 'supabase' });
});
after(async () => {
  await env?.tearDown();
  await supabase?.tearDown();
});

const api = (path, body, token = env.stack.operatorToken) => fetch(`${env.stack.apiUrl}${path}`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

// Every event from the first moment: the handlers go on as the loader sets the global.
function recordEvents() {
  window.eventLog = [];
  let api;
  Object.defineProperty(window, 'netlifyIdentity', {
    configurable: true,
    get: () => api,
    set(value) {
      api = value;
      for (const name of ['init', 'login', 'logout', 'error', 'open', 'close']) {
        value.on(name, (argument) => window.eventLog.push(`${name} ${argument instanceof Error ? `${argument.message} ${argument.stack}` : argument && argument.token ? JSON.stringify({ email: argument.email }) : String(argument ?? '')}`));
      }
    },
  });
}

/** Opens `link` in a tab that first showed the site without one; records where a token could leak. */
async function follow(context, link, ready, site = env) {
  const page = await openPage(context, `${site.stack.url}/?before-the-link`);
  const seen = { console: [], requests: [] };
  let recording = false;
  page.on('console', (message) => seen.console.push(message.text()));
  page.on('request', (request) => { if (recording) seen.requests.push({ url: request.url(), referer: request.headers().referer ?? '' }); });
  await page.goto(link);
  await ready(page);
  // What the page fetches afterwards: an API call and an image.
  recording = true;
  await page.evaluate(() => fetch('/.netlify/identity/settings').then(() => new Promise((resolve) => { const img = new Image(); img.onload = img.onerror = resolve; img.src = '/logo.svg?after'; })));
  recording = false;
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  seen.history = entries.map((e) => e.url);
  seen.url = page.url();
  seen.events = await page.evaluate(() => window.eventLog);
  seen.errors = page.errors.map((e) => `${e.message} ${e.stack}`);
  seen.cookies = await context.cookies();
  assert.equal(seen.history.length, 3, `the link replaced its own entry (${seen.history.join(', ')})`);
  assert.ok(seen.requests.length >= 2, 'requests after the link were seen');
  return { page, seen };
}

function assertNoLeak(seen, secrets, what) {
  for (const secret of secrets.filter(Boolean)) {
    const short = secret.slice(0, 12);
    assert.ok(!seen.url.includes(short), `${what}: the URL holds no token (${seen.url})`);
    for (const url of seen.history) assert.ok(!url.includes(short), `${what}: no history entry holds a token (${url})`);
    for (const text of [...seen.console, ...seen.errors, ...seen.events]) assert.ok(!text.includes(short), `${what}: "${text}" holds a token`);
    for (const { url, referer } of seen.requests) assert.ok(!referer.includes(short) && !url.includes(short), `${what}: ${url} carries a token (Referer ${referer})`);
  }
  for (const cookie of seen.cookies.filter((c) => c.name !== 'nf_refresh')) {
    assert.ok(!secrets.slice(1).filter(Boolean).some((secret) => cookie.value.includes(secret.slice(0, 12))), `${what}: cookie ${cookie.name} holds no refresh token`);
  }
}

test('every link leaves no token in the URL, history, console, errors, events, Referer or a cookie', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(recordEvents);

  // Signup confirmation.
  const confirmed = uniqueEmail('hygiene-confirm');
  assert.equal((await api('/signup', { email: confirmed, password: 'hygiene password 1' })).status, 200);
  const confirmLink = (await waitForMail(env.stack, confirmed, /confirm/i)).link;
  const confirmToken = new URL(confirmLink).hash.split('=')[1];
  let { page: confirmedPage, seen } = await follow(context, confirmLink, (page) => dialog(page).getByText('Your email address is confirmed and you are logged in.').waitFor());
  const stored = JSON.parse(await confirmedPage.evaluate(() => localStorage.getItem('gotrue.user')));
  assertNoLeak(seen, [confirmToken, stored.token.refresh_token], 'confirmation');
  assert.ok(seen.cookies.some((c) => c.name === 'nf_jwt'), 'nf_jwt is set (and holds the access token only)');

  // Recovery.
  const recovered = uniqueEmail('hygiene-recover');
  await createUser(env.stack, recovered, 'hygiene password 1');
  await api('/recover', { email: recovered });
  const recoverLink = (await waitForMail(env.stack, recovered, /reset/i)).link;
  ({ seen } = await follow(context, recoverLink, async (page) => {
    await dialog(page).getByLabel('New password').fill('hygiene password 2');
    await dialog(page).getByRole('button', { name: 'Update password' }).click();
    await dialog(page).getByText('Logged in as').waitFor();
  }));
  assertNoLeak(seen, [new URL(recoverLink).hash.split('=')[1]], 'recovery');

  // Invite.
  const invited = uniqueEmail('hygiene-invite');
  assert.equal((await api('/invite', { email: invited })).status, 200);
  const inviteLink = (await waitForMail(env.stack, invited, /invited/i)).link;
  ({ seen } = await follow(context, inviteLink, (page) => dialog(page).getByRole('heading', { name: 'Complete your signup' }).waitFor()));
  assertNoLeak(seen, [new URL(inviteLink).hash.split('=')[1]], 'invite');

  // A provider's redirect with the tokens themselves.
  const external = uniqueEmail('hygiene-external');
  await createUser(env.stack, external, 'hygiene password 1');
  const tokens = await tokensFor(env.stack, external, 'hygiene password 1');
  ({ seen } = await follow(context, `${env.stack.url}/#access_token=${tokens.access_token}&token_type=bearer&expires_in=3600&refresh_token=${tokens.refresh_token}`,
    (page) => page.waitForFunction((email) => netlifyIdentity.currentUser()?.email === email, external)));
  assertNoLeak(seen, [tokens.access_token, tokens.refresh_token], 'provider redirect');

  // An email change (the user is logged in from the step above).
  const page = await openPage(context, env.stack.url);
  await page.waitForFunction(() => netlifyIdentity.currentUser() !== null);
  const changed = uniqueEmail('hygiene-changed');
  await page.evaluate((address) => netlifyIdentity.currentUser().update({ email: address }), changed);
  const changeLink = (await waitForMail(env.stack, changed, /email change/i)).link;
  ({ seen } = await follow(context, changeLink, (p) => dialog(p).getByText('Your email address has been updated!').waitFor()));
  assertNoLeak(seen, [new URL(changeLink).hash.split('=')[1]], 'email change');

  // A spent or forged token: refused, with a message, and still gone from the URL.
  ({ seen } = await follow(context, `${env.stack.url}/#recovery_token=forged-token-0123456789`, (p) => dialog(p).getByText('This link is not valid, or it was already used').waitFor()));
  assertNoLeak(seen, ['forged-token-0123456789'], 'a refused token');
  await context.close();
});

test('a login through the form logs no credential or token anywhere', async () => {
  const email = uniqueEmail('hygiene-login');
  await createUser(env.stack, email, 'secret hygiene password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  const consoleText = [];
  page.on('console', (message) => consoleText.push(message.text()));
  await logInThroughForm(page, email, 'secret hygiene password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  const { token } = JSON.parse(await page.evaluate(() => localStorage.getItem('gotrue.user')));
  for (const text of consoleText) {
    for (const secret of ['secret hygiene password 1', token.access_token.slice(0, 12), token.refresh_token]) assert.ok(!text.includes(secret), `console: ${text}`);
  }
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name !== 'nf_refresh' && c.value.includes(token.refresh_token)), 'no cookie but nf_refresh holds the refresh token');
  assert.equal(cookies.find((c) => c.name === 'nf_refresh')?.value, token.refresh_token, 'nf_refresh holds it, for @netlify/identity');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('supabase/auth: its links (through /verify, back with tokens or a message) leave nothing anywhere either', async () => {
  const site = supabase;
  const post = (path, body, headers = {}) => fetch(`${site.stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const context = await site.browser.newContext();
  await context.addInitScript(recordEvents);
  const linkToken = (link) => new URL(link).searchParams.get('token');
  const session = async (page) => JSON.parse(await page.evaluate(() => localStorage.getItem('gotrue.user'))).token;

  // Signup confirmation: the link's token, then the tokens its redirect carried.
  const confirmed = uniqueEmail('sb-hygiene-confirm');
  assert.equal((await post(`/signup?redirect_to=${encodeURIComponent(`${site.stack.url}/`)}`, { email: confirmed, password: 'hygiene password 1' })).status, 200);
  const confirmLink = (await waitForMail(site.stack, confirmed, /confirm/i)).link;
  let { page, seen } = await follow(context, confirmLink, (p) => dialog(p).getByText('Your email address is confirmed and you are logged in.').waitFor(), site);
  let token = await session(page);
  assertNoLeak(seen, [token.access_token, linkToken(confirmLink), token.refresh_token], 'confirmation');

  // A sign-in link (passwordless).
  assert.equal((await post(`/otp?redirect_to=${encodeURIComponent(`${site.stack.url}/`)}`, { email: confirmed, create_user: false })).status, 200);
  const magicLink = (await waitForMail(site.stack, confirmed, /sign-in link/i)).link;
  ({ page, seen } = await follow(context, magicLink, (p) => p.waitForFunction(() => netlifyIdentity.currentUser() !== null), site));
  token = await session(page);
  assertNoLeak(seen, [token.access_token, linkToken(magicLink), token.refresh_token], 'sign-in link');

  // Email change: the current address's link (a message), then the new one's (tokens).
  const changed = uniqueEmail('sb-hygiene-changed');
  await page.evaluate((address) => netlifyIdentity.currentUser().update({ email: address }), changed);
  const first = (await waitForMail(site.stack, confirmed, /new email address/i)).link;
  ({ seen } = await follow(context, first, (p) => dialog(p).getByText('One of the two links is confirmed.', { exact: false }).waitFor(), site));
  assertNoLeak(seen, [linkToken(first)], 'email change, first link');
  const second = (await waitForMail(site.stack, changed, /new email address/i)).link;
  ({ page, seen } = await follow(context, second, (p) => dialog(p).getByText('Your email address has been updated!').waitFor(), site));
  token = await session(page);
  assertNoLeak(seen, [token.access_token, linkToken(second), token.refresh_token], 'email change, second link');

  // A forged token: the server redirects with an error fragment, shown and gone from the URL.
  const forged = `${site.stack.apiUrl}/verify?token=forged0123456789abcdef&type=recovery&redirect_to=${encodeURIComponent(`${site.stack.url}/`)}`;
  ({ seen } = await follow(context, forged, (p) => dialog(p).getByText('This link has expired').waitFor(), site));
  assertNoLeak(seen, ['forged0123456789abcdef'], 'a refused token');
  assert.ok(!seen.url.includes('#'), `the error left the URL: ${seen.url}`);
  await context.close();
});
