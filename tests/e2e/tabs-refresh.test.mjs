// Issues 8 and 16: many tabs never lose the session. Three tabs of one site, access tokens that
// live 8 seconds, two minutes of every tab calling jwt() on a timer, against each real server:
// both rotate refresh tokens, and supabase/auth runs with its reuse interval at 0 (its default
// is 10 s), so a spent token is refused at once and two tabs refreshing the same token would log
// everybody out. One tab refreshes per expiry (Web Locks); the others take its tokens.
import { test } from 'node:test';
import { assert, createUser, dialog, forEachBackend, logInThroughForm, openPage, uniqueEmail, widgetReady } from './helpers.mjs';

const LIFETIME_S = 8;
const ACTIVITY_MS = 120_000;

forEachBackend(8999, (env) => {
  test('three tabs, 8-second tokens, two minutes of jwt() calls: no logout, one refresh per expiry, one session at the end', { timeout: ACTIVITY_MS + 60_000 }, () => threeTabs(env));
}, { jwtExp: LIFETIME_S });

async function threeTabs(env) {
  const email = uniqueEmail('many-tabs');
  await createUser(env.stack, email, 'many tabs password 1');
  const context = await env.browser.newContext();
  const tabs = [];
  const refreshes = [];
  for (let i = 0; i < 3; i++) {
    const tab = await openPage(context, env.stack.url);
    tab.on('request', (request) => {
      // netlify/gotrue takes the grant as a form field, supabase/auth in the query.
      if (/\/token(\?|$)/.test(request.url()) && /grant_type=refresh_token/.test(`${request.url()} ${request.postData() ?? ''}`)) {
        const refresh = { tab: i, at: Date.now() };
        refreshes.push(refresh);
        // Each refresh's answer, for the messages below: which one was refused, and when.
        request.response().then((response) => { refresh.status = response?.status(); }, () => { refresh.status = 'failed'; });
      }
    });
    await widgetReady(tab);
    tabs.push(tab);
  }
  await logInThroughForm(tabs[0], email, 'many tabs password 1');
  await dialog(tabs[0]).getByText('Logged in as').waitFor();
  for (const tab of tabs) {
    await tab.waitForFunction(() => netlifyIdentity.currentUser() !== null);
    await tab.evaluate(() => {
      window.activity = { tokens: 0, expired: 0, failures: [], logouts: 0 };
      netlifyIdentity.on('logout', () => { activity.logouts++; });
      window.timer = setInterval(() => {
        netlifyIdentity.currentUser()?.jwt().then((token) => {
          activity.tokens++;
          const { exp } = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
          if (exp * 1000 <= Date.now()) activity.expired++;
        }, (error) => activity.failures.push(error.message));
      }, 400 + Math.random() * 400);
    });
  }
  await new Promise((resolve) => setTimeout(resolve, ACTIVITY_MS));
  const results = [];
  for (const tab of tabs) {
    results.push(await tab.evaluate(() => { clearInterval(window.timer); return window.activity; }));
  }

  const history = refreshes.map((r) => `tab ${r.tab} → ${r.status} at ${r.at - refreshes[0].at} ms`).join('; ');
  for (const [i, result] of results.entries()) {
    assert.equal(result.logouts, 0, `tab ${i} was never logged out (refreshes: ${history})`);
    assert.deepEqual(result.failures, [], `tab ${i}: every jwt() answered`);
    assert.equal(result.expired, 0, `tab ${i}: no jwt() answered with an expired token`);
    assert.ok(result.tokens > 100, `tab ${i} kept asking (${result.tokens} answers)`);
  }
  // Each refresh buys a token for LIFETIME_S; it is refreshed in its last quarter. Two
  // refreshes for the same expiry would come within a moment of each other.
  const expiries = ACTIVITY_MS / 1000 / LIFETIME_S;
  assert.ok(refreshes.length >= Math.floor(expiries * 0.9), `the session was refreshed as tokens expired (${refreshes.length} refreshes)`);
  assert.ok(refreshes.length <= Math.ceil(expiries * 1.5), `no more than one refresh per expiry (${refreshes.length} refreshes)`);
  const gaps = refreshes.slice(1).map((r, i) => r.at - refreshes[i].at);
  assert.ok(Math.min(...gaps) > (LIFETIME_S * 1000) / 2, `refreshes are a token's lifetime apart (gaps: ${gaps.join(', ')} ms)`);
  assert.ok(new Set(refreshes.map((r) => r.tab)).size >= 1);

  const sessions = await Promise.all(tabs.map((tab) => tab.evaluate(() => ({
    token: netlifyIdentity.currentUser()?.token.access_token,
    stored: JSON.parse(localStorage.getItem('gotrue.user')).token.access_token,
  }))));
  assert.ok(sessions[0].token, 'still logged in');
  for (const session of sessions) assert.deepEqual(session, { token: sessions[0].token, stored: sessions[0].token });
  assert.deepEqual(tabs.flatMap((tab) => tab.errors), []);
  await context.close();
}
