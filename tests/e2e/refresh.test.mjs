// A short-lived access token (GoTrue's JWT expiry set to 5 s) is refreshed by jwt().
import { test } from 'node:test';
import { assert, createUser, currentEmail, dialog, eventually, forEachBackend, logInThroughForm, openPage, refreshGrant, uniqueEmail, widgetReady } from './helpers.mjs';

// A stand-in for a role-based redirect at the edge: it admits a request whose nf_jwt cookie
// holds an unexpired token with the `member` role.
function membersRoute(url, req, res) {
  if (url.pathname !== '/members/') return false;
  const cookie = (req.headers.cookie || '').split('; ').find((c) => c.startsWith('nf_jwt='));
  let claims = null;
  try { claims = JSON.parse(Buffer.from(cookie.slice('nf_jwt='.length).split('.')[1], 'base64url')); } catch { /* no cookie or not a JWT */ }
  const admitted = claims && claims.exp * 1000 > Date.now() && (claims.app_metadata?.roles || []).includes('member');
  res.writeHead(admitted ? 200 : 401, { 'content-type': 'text/plain' });
  res.end(admitted ? 'members only' : 'not admitted');
  return true;
}

forEachBackend(8911, (env) => {
  test('COMPAT 38: jwt() refreshes a short-lived token and the session continues', async () => {
    const email = uniqueEmail('refresh');
    await createUser(env.stack, email, 'refresh password 1');
    const context = await env.browser.newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, 'refresh password 1');
    await dialog(page).getByText('Logged in as').waitFor();
    const first = await page.evaluate(() => window.netlifyIdentity.currentUser().token.access_token);

    // Past the token's 5 s life: the old token is refused, jwt() gets a new one that works.
    await new Promise((r) => setTimeout(r, 6000));
    const expired = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${first}` } });
    // netlify/gotrue: 401; supabase/auth: 403 bad_jwt.
    assert.ok([401, 403].includes(expired.status), `the first token has expired (${expired.status})`);
    const [a, b] = await page.evaluate(() => Promise.all([window.netlifyIdentity.currentUser().jwt(), window.netlifyIdentity.refresh()]));
    assert.equal(a, b, 'concurrent callers share one refresh');
    assert.notEqual(a, first);
    const fresh = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${a}` } });
    assert.equal(fresh.status, 200);
    assert.equal((await fresh.json()).email, email);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token.access_token);
    assert.equal(stored, a, 'the refreshed token is stored');

    await page.reload();
    await widgetReady(page);
    assert.equal(await currentEmail(page), email);
    const again = await page.evaluate(() => window.netlifyIdentity.currentUser().jwt());
    await eventually(async () => (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${again}` } })).status === 200, 'the token after reload works');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('COMPAT 54: nf_jwt keeps a role-based route open past the token\'s life once jwt() refreshed it', async () => {
    for (const origin of [env.stack.url, env.stack.siteLikeUrl]) {
      const email = uniqueEmail('members');
      const user = await createUser(env.stack, email, 'member password 1');
      const grant = await fetch(`${env.stack.apiUrl}/admin/users/${user.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ app_metadata: { roles: ['member'] } }),
      });
      assert.equal(grant.status, 200);
      const context = await env.browser.newContext();
      await context.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
      const page = await openPage(context, `${origin}/site.html`);
      await logInThroughForm(page, email, 'member password 1');
      await dialog(page).getByText('Logged in as').waitFor();
      const members = () => page.evaluate(() => fetch('/members/').then((r) => r.status));
      assert.equal(await members(), 200, `${origin}: admitted after login`);
      await new Promise((r) => setTimeout(r, 6000));
      assert.equal(await members(), 401, `${origin}: the route refuses an expired nf_jwt`);
      await page.evaluate(() => window.netlifyIdentity.currentUser().jwt());
      assert.equal(await members(), 200, `${origin}: admitted again after the refresh`);
      // A reload restores the session and rewrites nf_jwt from it.
      await context.clearCookies();
      await page.reload();
      await widgetReady(page);
      assert.equal(await members(), 200, `${origin}: admitted after a reload`);
      assert.deepEqual(page.errors, []);
      await context.close();
    }
  });

  // Regression (found by tabs-refresh.test.mjs failing 1 run in 6): a tab that takes the refresh
  // lock just after another tab refreshed can still read the old record (tabs' storage syncs a
  // moment later), spend the used refresh token, be refused, and log the person out. Here Node
  // spends the token, as the other tab would, and its new record reaches this tab's storage
  // 200 ms after the refusal: the tab takes it and stays logged in.
  test("a refresh refused because another tab just spent the token takes that tab's tokens instead of logging out", async () => {
    const email = uniqueEmail('late-sync');
    await createUser(env.stack, email, 'late sync password 1');
    const page = await openPage(await env.browser.newContext(), env.stack.url);
    await logInThroughForm(page, email, 'late sync password 1');
    await dialog(page).getByText('Logged in as').waitFor();
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')));
    const other = await refreshGrant(env.stack, stored.token.refresh_token);
    assert.ok(other.access_token, 'the other tab refreshed');
    const record = { ...stored, token: { ...stored.token, access_token: other.access_token, refresh_token: other.refresh_token, expires_at: Date.now() + other.expires_in * 1000 } };
    const outcome = await page.evaluate((late) => {
      window.loggedOut = false;
      netlifyIdentity.on('logout', () => { window.loggedOut = true; });
      setTimeout(() => localStorage.setItem('gotrue.user', JSON.stringify(late)), 200);
      return netlifyIdentity.refresh(true).then((token) => ({ token }), (error) => ({ error: error.message }));
    }, record);
    // netlify/gotrue refuses the spent token and the tab takes the other's tokens; supabase/auth
    // answers the token just replaced with the current session (SUPABASE.md section 6).
    if (env.backend === 'supabase') assert.equal(typeof outcome.token, 'string', JSON.stringify(outcome));
    else assert.deepEqual(outcome, { token: other.access_token });
    assert.equal(await page.evaluate(() => window.loggedOut), false, 'nobody was logged out');
    assert.equal(await currentEmail(page), email);
    assert.deepEqual(page.errors, []);
  });
}, { jwtExp: 5, extraRoutes: membersRoute });
