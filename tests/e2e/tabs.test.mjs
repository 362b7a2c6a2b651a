// Other tabs follow: a login, a refresh and a logout in one tab reach the others' controls,
// currentUser() and events (storage events), against each real server.
import { test } from 'node:test';
import { assert, createUser, currentEmail, dialog, eventually, forEachBackend, logInThroughForm, openPage, refreshGrant, uniqueEmail, widgetReady } from './helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

forEachBackend(8993, (env) => {
  test('COMPAT 42: a login, a refresh and a logout in one tab reach the other tab within a second', async () => {
    const email = uniqueEmail('tabs');
    await createUser(env.stack, email, 'tabs password 1', { full_name: 'Two Tabs' });
    const context = await env.browser.newContext();
    const first = await openPage(context, env.stack.url);
    const second = await openPage(context, env.stack.url);
    await widgetReady(first);
    await widgetReady(second);
    const userObject = await second.evaluateHandle(() => ({ before: netlifyIdentity.currentUser() }));

    await logInThroughForm(first, email, 'tabs password 1');
    await dialog(first).getByText('Logged in as').waitFor();
    await eventually(async () => (await currentEmail(second)) === email, 'the second tab to log in', 1000);
    await second.locator('#event-log').getByText(`login — ${email}`).waitFor({ timeout: 1000 });
    await second.locator('.netlify-identity-user').getByText('Two Tabs').waitFor({ timeout: 1000 });
    assert.equal(await userObject.evaluate((o) => o.before), null);

    // A refresh in the first tab: the second tab takes the new token, same user object, no login event.
    await second.evaluate(() => { window.sameUser = netlifyIdentity.currentUser(); window.logins = 0; netlifyIdentity.on('login', () => window.logins++); });
    const fresh = await first.evaluate(() => netlifyIdentity.currentUser().jwt(true));
    await eventually(() => second.evaluate((token) => netlifyIdentity.currentUser()?.token.access_token === token, fresh), 'the refreshed token in the second tab', 1000);
    assert.equal(await second.evaluate(() => window.sameUser === netlifyIdentity.currentUser()), true);
    assert.equal(await second.evaluate(() => window.logins), 0);

    await first.evaluate(() => netlifyIdentity.logout());
    await eventually(async () => (await currentEmail(second)) === null, 'the second tab to log out', 1000);
    await second.locator('#event-log').getByText('logout').waitFor({ timeout: 1000 });
    await second.locator('.netlify-identity-login').waitFor({ timeout: 1000 });
    assert.deepEqual([...first.errors, ...second.errors], []);
    await context.close();
  });
  test('another tab\'s refresh read between its two cookie writes (nf_jwt new, nf_refresh not yet) is not taken: the session ends with the refresh token that tab got', async () => {
    const email = uniqueEmail('tabs-halfway');
    await createUser(env.stack, email, 'tabs password 1');
    const context = await env.browser.newContext();
    const tab = await openPage(context, env.stack.url);
    await widgetReady(tab);
    await logInThroughForm(tab, email, 'tabs password 1');
    await dialog(tab).getByText('Logged in as').waitFor();
    await tab.evaluate(() => {
      window.logouts = 0;
      window.cookieChanges = 0;
      netlifyIdentity.on('logout', () => { logouts++; });
      cookieStore.addEventListener('change', () => { cookieChanges++; });
    });
    // The tab's GET /user answers late, as on a loaded machine: a login with tokens it took
    // from the cookies would land after the other tab's record.
    await tab.route(/\/user(\?|$)/, async (route) => {
      if (route.request().method() === 'GET') await sleep(1500);
      await route.continue();
    });
    // The other tab is a page without the widget writing as the widget's refresh does —
    // the record, nf_jwt, nf_refresh — with this tab reading the cookies between the two.
    const other = await openPage(context, `${env.stack.url}/blank.html`);
    const record = await tab.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')));
    await sleep(1100); // tokens issued a second later: newer than the session's
    const fresh = await refreshGrant(env.stack, record.token.refresh_token);
    assert.ok(fresh.access_token && fresh.refresh_token, 'the other tab\'s refresh');
    const exp = JSON.parse(Buffer.from(fresh.access_token.split('.')[1], 'base64url')).exp;
    const theirs = { ...record, token: { ...record.token, access_token: fresh.access_token, refresh_token: fresh.refresh_token, expires_at: exp * 1000 } };
    await other.evaluate((jwt) => { document.cookie = `nf_jwt=${jwt}; path=/; SameSite=Lax`; }, fresh.access_token);
    await eventually(() => tab.evaluate(() => cookieChanges > 0), 'the tab to read the cookies halfway');
    await other.evaluate((stored) => {
      localStorage.setItem('gotrue.user', JSON.stringify(stored));
      document.cookie = `nf_refresh=${stored.token.refresh_token}; path=/; SameSite=Lax`;
    }, theirs);

    const held = () => tab.evaluate(() => [netlifyIdentity.currentUser()?.token.refresh_token, JSON.parse(localStorage.getItem('gotrue.user'))?.token.refresh_token]);
    await eventually(async () => (await held()).every((token) => token === fresh.refresh_token), 'the other tab\'s refresh token in this tab');
    await sleep(2000); // past the late GET /user a login from the halfway cookies would send
    assert.deepEqual(await held(), [fresh.refresh_token, fresh.refresh_token], 'the spent refresh token never comes back');
    await tab.unroute(/\/user(\?|$)/);
    const refreshed = await tab.evaluate(() => netlifyIdentity.currentUser().jwt(true));
    assert.notEqual(refreshed, fresh.access_token, 'the session refreshes with the token it holds');
    await eventually(async () => {
      const jar = Object.fromEntries((await context.cookies(env.stack.url)).map((c) => [c.name, c.value]));
      return jar.nf_jwt === refreshed && jar.nf_refresh === (await held())[0];
    }, 'the cookies to hold the session\'s tokens');
    assert.equal(await tab.evaluate(() => logouts), 0);
    assert.deepEqual([...tab.errors, ...other.errors], []);
    await context.close();
  });
});
