// Issue 24: at home beside @netlify/identity (2.0.0 from npm), which Netlify recommends for a
// site's own code next to "the widget" for its UI. Its browser build, bundled by esbuild, runs in
// the same page as ours; its server side (getUser(), refreshSession()) runs here as in a Netlify
// Function, with the request's cookies in Netlify.context. A login, a refresh and a logout in
// either are the other's: in the page, after a reload, across tabs, and on the server. Also the
// cookies themselves: an nf_jwt that GoTrue expires is written back, and an HttpOnly one left by
// the server (the widget asked for it before) is replaced.
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as identity from '@netlify/identity';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, setUp, tokensFor, uniqueEmail } from './helpers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'beside password 1';
// The refresh tests' tokens live 62 s: @netlify/identity refreshes once one expires within
// 60 s (its timer, refreshSession()), the widget within 15.5 s (a quarter of the lifetime):
// theirs act first. The other tests' live an hour, so their timer never fires.
const SHORT_LIFETIME_S = 62;
let env;
let short;
let bundle;

/**
 * Runs `work` as a Netlify Function runs @netlify/identity's server side: `Netlify.context`
 * holds the site's URL and the request's cookies, and what it sets or deletes goes back as
 * `Set-Cookie`, as Netlify's runtime does.
 */
async function asNetlifyFunction(site, req, res, work) {
  const jar = Object.fromEntries((req.headers.cookie ?? '').split('; ').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
  }));
  const setCookie = [];
  globalThis.Netlify = {
    context: {
      url: site,
      cookies: {
        get: (name) => jar[name],
        set: ({ name, value }) => setCookie.push(`${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; Secure`),
        delete: (name) => setCookie.push(`${name}=; Path=/; Max-Age=0`),
      },
    },
  };
  try {
    const body = await work();
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': setCookie });
    res.end(JSON.stringify(body ?? null));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: error.message }));
  } finally {
    delete globalThis.Netlify;
  }
}

/** A stack whose site also serves the bundle and two functions using @netlify/identity. */
async function stackBeside(port, jwtExp) {
  const env = await setUp({
    port,
    jwtExp,
    extraRoutes(url, req, res) {
      if (url.pathname === '/beside/netlify-identity.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(bundle);
      } else if (url.pathname === '/api/user') {
        asNetlifyFunction(env.site, req, res, () => identity.getUser());
      } else if (url.pathname === '/api/refresh') {
        asNetlifyFunction(env.site, req, res, async () => ({ jwt: await identity.refreshSession() }));
      } else return false;
      return true;
    },
  });
  env.site = env.stack.siteLikeUrl;
  return env;
}

before(async () => {
  const built = await build({
    stdin: { contents: "import * as identity from '@netlify/identity';\nwindow.nfIdentity = identity;\n", resolveDir: root },
    bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent',
  });
  bundle = built.outputFiles[0].text;
  [env, short] = [await stackBeside(9031, 3600), await stackBeside(9033, SHORT_LIFETIME_S)];
});
after(async () => { await env?.tearDown(); await short?.tearDown(); });

async function newUser(on, label) {
  const email = uniqueEmail(label);
  await createUser(on.stack, email, PASSWORD);
  return email;
}

async function besidePage(on, context) {
  const page = await openPage(context, `${on.site}/beside.html`);
  await page.waitForFunction(() => window.netlifyIdentity && window.nfIdentity && window.ours);
  return page;
}

async function logInWithOurs(page, email) {
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
}

const ourToken = (page) => page.evaluate(() => netlifyIdentity.currentUser()?.token.access_token ?? null);
const last = (page, list) => page.evaluate((name) => window[name].at(-1), list);
const cookies = async (on, context) => Object.fromEntries((await context.cookies(on.site)).filter((c) => c.name.startsWith('nf_')).map((c) => [c.name, decodeURIComponent(c.value)]));

test('in one page: our login is theirs at once, theirs is ours without a reload, and so are both logouts', async () => {
  const [ada, bob] = [await newUser(env, 'beside-ada'), await newUser(env, 'beside-bob')];
  const context = await env.browser.newContext();
  const page = await besidePage(env, context);

  await logInWithOurs(page, ada);
  assert.deepEqual(await page.evaluate(async () => ({
    theirs: (await nfIdentity.getUser())?.email,
    ours: netlifyIdentity.currentUser()?.email,
    kept: !!localStorage.getItem('gotrue.user'),
  })), { theirs: ada, ours: ada, kept: true }, 'their getUser() right after our login: the same user, the record kept');
  await eventually(async () => (await last(page, 'theirs')) === `login:${ada}`, 'their onAuthChange to hear our login');

  await page.evaluate(() => netlifyIdentity.logout());
  assert.equal(await page.evaluate(() => nfIdentity.getUser()), null, 'their getUser() right after our logout');
  await eventually(async () => (await last(page, 'theirs')) === 'logout', 'their onAuthChange to hear our logout');

  await page.evaluate(([email, password]) => nfIdentity.login(email, password).then(() => undefined), [bob, PASSWORD]);
  await page.waitForFunction((email) => netlifyIdentity.currentUser()?.email === email, bob);
  assert.equal(await last(page, 'ours'), `login:${bob}`, 'our login event for their login');
  await page.locator('.netlify-identity-user', { hasText: bob }).waitFor();

  await page.evaluate(() => nfIdentity.logout());
  await page.waitForFunction(() => netlifyIdentity.currentUser() === null);
  assert.equal(await last(page, 'ours'), 'logout', 'our logout event for their logout');
  assert.deepEqual(await cookies(env, context), {}, 'no cookie left');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a refresh in either is the other\'s: their timer\'s, ours, and theirs after ours (their timer holding the token ours spent)', async () => {
  const email = await newUser(short, 'beside-refresh');
  const context = await short.browser.newContext();
  const page = await besidePage(short, context);
  await logInWithOurs(page, email);
  const first = await ourToken(page);
  // Their getUser() starts their timer, due 60 s before expiry: 2 s from now.
  await page.evaluate(() => nfIdentity.getUser());
  await eventually(async () => (await ourToken(page)) !== first, 'their timer\'s refresh to become our session', 10_000);
  const afterTheirs = await page.evaluate(() => netlifyIdentity.currentUser().token);
  assert.deepEqual(await cookies(short, context), { nf_jwt: afterTheirs.access_token, nf_refresh: afterTheirs.refresh_token });

  // Ours now: their timer (set again after its refresh) still holds the refresh token this
  // spends; when it fires, GoTrue refuses it (expiring nf_jwt) and gotrue-js removes the record.
  await page.evaluate(() => netlifyIdentity.refresh(true));
  const ours = await page.evaluate(() => netlifyIdentity.currentUser().token);
  await page.waitForTimeout(4000);
  assert.equal(await ourToken(page), ours.access_token, 'our session stands after their stale refresh');
  assert.equal(await last(page, 'ours'), `login:${email}`, 'no logout');
  assert.deepEqual(await cookies(short, context), { nf_jwt: ours.access_token, nf_refresh: ours.refresh_token }, 'the cookies hold it');
  // Their getUser() finds it in the cookies and stores it again; their timer then refreshes
  // with the token ours left, and ours follows.
  assert.equal((await page.evaluate(() => nfIdentity.getUser()))?.email, email, 'their getUser() still has the user');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('gotrue.user'))?.token.refresh_token === netlifyIdentity.currentUser().token.refresh_token);
  await eventually(async () => (await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token)) !== ours.refresh_token, 'their next refresh to become ours', 10_000);
  const theirs = await page.evaluate(() => netlifyIdentity.currentUser().token);
  assert.deepEqual(await cookies(short, context), { nf_jwt: theirs.access_token, nf_refresh: theirs.refresh_token });
  assert.equal(await last(page, 'ours'), `login:${email}`, 'still no logout');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('across two tabs and after a reload, each hears the other\'s login and logout', async () => {
  const email = await newUser(env, 'beside-tabs');
  const context = await env.browser.newContext();
  const [one, two] = [await besidePage(env, context), await besidePage(env, context)];

  await logInWithOurs(one, email);
  await two.waitForFunction((e) => netlifyIdentity.currentUser()?.email === e, email);
  await eventually(async () => (await last(two, 'theirs')) === `login:${email}`, 'their onAuthChange in the other tab to hear our login');
  assert.equal((await two.evaluate(() => nfIdentity.getUser()))?.email, email);

  await two.evaluate(() => nfIdentity.logout());
  await one.waitForFunction(() => netlifyIdentity.currentUser() === null);
  assert.equal(await last(one, 'ours'), 'logout');
  await eventually(async () => (await last(one, 'theirs')) === 'logout', 'their onAuthChange in the first tab to hear their logout');

  await one.evaluate(([e, p]) => nfIdentity.login(e, p).then(() => undefined), [email, PASSWORD]);
  await two.waitForFunction((e) => netlifyIdentity.currentUser()?.email === e, email, { timeout: 5000 }).catch(async (error) => {
    console.log(await two.evaluate(() => JSON.stringify({ ours: window.ours, theirs: window.theirs, stored: localStorage.getItem('gotrue.user')?.slice(0, 50), cookie: document.cookie.slice(0, 80), user: netlifyIdentity.currentUser()?.email })));
    console.log(await one.evaluate(() => JSON.stringify({ ours: window.ours, theirs: window.theirs, stored: localStorage.getItem('gotrue.user')?.slice(0, 50), cookie: document.cookie.slice(0, 80), user: netlifyIdentity.currentUser()?.email })));
    throw error;
  });
  await two.reload();
  await two.waitForFunction((e) => window.netlifyIdentity?.currentUser()?.email === e, email);
  assert.equal((await two.evaluate(() => nfIdentity.getUser()))?.email, email, 'theirs after a reload');
  await two.evaluate(() => netlifyIdentity.logout());
  await one.reload();
  await one.waitForFunction(() => window.nfIdentity);
  assert.deepEqual(await one.evaluate(async () => [netlifyIdentity.currentUser(), await nfIdentity.getUser()]), [null, null], 'nobody after our logout and a reload');
  assert.deepEqual([...one.errors, ...two.errors], []);
  await context.close();
});

test('their server side: getUser() in a function sees our user, and the tokens its refreshSession() sets become our session', async () => {
  const email = await newUser(short, 'beside-server');
  const context = await short.browser.newContext();
  const page = await besidePage(short, context);
  await logInWithOurs(page, email);
  const user = await page.evaluate(() => fetch('/api/user').then((r) => r.json()));
  assert.deepEqual([user?.email, user?.id], [email, await page.evaluate(() => netlifyIdentity.currentUser().id)]);

  const before = await ourToken(page);
  await page.waitForTimeout(2500); // within 60 s of expiry: refreshSession() refreshes
  const { jwt } = await page.evaluate(() => fetch('/api/refresh').then((r) => r.json()));
  assert.ok(jwt && jwt !== before, 'the function refreshed');
  await eventually(async () => (await ourToken(page)) === jwt, 'our session to take the function\'s tokens');
  assert.equal((await cookies(short, context)).nf_refresh, await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token));
  // The function's refresh token is the session's now: ours refreshes with it (GoTrue gives
  // the same access token within a second, a new refresh token every time).
  const spent = await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token);
  await page.evaluate(() => netlifyIdentity.refresh(true));
  assert.notEqual(await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token), spent);
  assert.equal(await last(page, 'ours'), `login:${email}`, 'no logout');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('tokens of our user that someone else writes in the cookies are taken with the server\'s user: another tab\'s finished email change is not undone', async () => {
  // Another tab finished an email change: its new tokens reach this tab's cookies before its
  // record reaches this tab's storage (they travel apart). Here the change is made on the
  // server and the tokens written as that tab (or a function) would write them.
  const email = await newUser(env, 'beside-changed');
  const context = await env.browser.newContext();
  const page = await besidePage(env, context);
  await logInWithOurs(page, email);
  const id = await page.evaluate(() => netlifyIdentity.currentUser().id);
  const changed = uniqueEmail('beside-changed-to');
  const update = await fetch(`${env.stack.apiUrl}/admin/users/${id}`, { method: 'PUT', headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: changed }) });
  assert.equal(update.status, 200);
  // Tokens issued after the session's (their `exp` later than its expiry): newer ones.
  const expiresAt = await page.evaluate(() => netlifyIdentity.currentUser().token.expires_at);
  let tokens;
  await eventually(async () => {
    tokens = await tokensFor(env.stack, changed, PASSWORD);
    return tokens.status === 200 && JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url')).exp * 1000 > expiresAt;
  }, 'tokens issued after the session\'s');
  await page.evaluate(({ access, refresh }) => {
    document.cookie = `nf_jwt=${access}; path=/; SameSite=Lax`;
    document.cookie = `nf_refresh=${refresh}; path=/; SameSite=Lax`;
  }, { access: tokens.access_token, refresh: tokens.refresh_token });
  await eventually(async () => (await ourToken(page)) === tokens.access_token, 'the written tokens to be the session\'s');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')));
  assert.deepEqual([await page.evaluate(() => netlifyIdentity.currentUser().email), stored.email, stored.token.access_token], [changed, changed, tokens.access_token]);
  assert.equal(await last(page, 'ours'), `login:${email}`, 'the same user: no logout, no new login');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a login in a function alone (only the cookies hold it) becomes the widget\'s session at page load; one logged out since does not', async () => {
  const email = await newUser(env, 'beside-cookie-login');
  const logIn = async () => (await fetch(`${env.stack.apiUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD }) })).json();
  // As @netlify/identity's server-side login() leaves them.
  const withCookies = async (tokens) => {
    const context = await env.browser.newContext();
    await context.addCookies([['nf_jwt', tokens.access_token], ['nf_refresh', tokens.refresh_token]].map(([name, value]) => ({ name, value, url: env.site, sameSite: 'Lax' })));
    return { context, page: await besidePage(env, context) };
  };
  const tokens = await logIn();
  const { context, page } = await withCookies(tokens);
  await page.waitForFunction((e) => netlifyIdentity.currentUser()?.email === e, email);
  assert.equal(await last(page, 'ours'), `login:${email}`);
  // Its refresh token was spent to prove the login stands (a logout since would refuse it).
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('gotrue.user')));
  assert.notEqual(stored.token.refresh_token, tokens.refresh_token);
  assert.deepEqual(await cookies(env, context), { nf_jwt: stored.token.access_token, nf_refresh: stored.token.refresh_token });
  assert.deepEqual(page.errors, []);
  await context.close();

  // Logged out since (the access token itself still passes until it expires).
  const loggedOut = await logIn();
  assert.equal((await fetch(`${env.stack.apiUrl}/logout`, { method: 'POST', headers: { authorization: `Bearer ${loggedOut.access_token}` } })).status, 204);
  const stale = await withCookies(loggedOut);
  await eventually(async () => Object.keys(await cookies(env, stale.context)).length === 0, 'the dead cookies expired');
  assert.deepEqual(await stale.page.evaluate(() => [netlifyIdentity.currentUser(), localStorage.getItem('gotrue.user'), window.ours]), [null, null, []]);
  await stale.context.close();
});

test('nf_jwt that GoTrue expires (its answer to a request without a token) is written back; an HttpOnly one left from before is replaced', async () => {
  const email = await newUser(env, 'beside-expired');
  const context = await env.browser.newContext();
  await context.addCookies([{ name: 'nf_jwt', value: 'left-by-the-server', url: env.site, httpOnly: true, secure: true, sameSite: 'Lax' }]);
  const page = await besidePage(env, context);
  await logInWithOurs(page, email);
  const token = await ourToken(page);
  await eventually(async () => (await context.cookies(env.site)).some((c) => c.name === 'nf_jwt' && !c.httpOnly && c.value === token), 'the HttpOnly cookie replaced by the widget\'s');

  assert.equal(await page.evaluate(() => fetch('/.netlify/identity/user').then((r) => r.status)), 401);
  await eventually(async () => (await cookies(env, context)).nf_jwt === token, 'nf_jwt written back');
  assert.deepEqual(page.errors, []);
  await context.close();
});
