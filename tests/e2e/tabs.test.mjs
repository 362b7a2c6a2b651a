// Other tabs follow: a login, a refresh and a logout in one tab reach the others' controls,
// currentUser() and events (storage events), against each real server.
import { test } from 'node:test';
import { assert, createUser, currentEmail, dialog, eventually, forEachBackend, logInThroughForm, openPage, uniqueEmail, widgetReady } from './helpers.mjs';

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
});
