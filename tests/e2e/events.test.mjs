// Issue 16: the page-facing contract on each server. The old widget's events (COMPAT.md D) in
// the order a site sees them, and gotrue-js's client (`netlifyIdentity.gotrue`), against
// netlify/gotrue and supabase/auth alike: a site that moves to Supabase Auth keeps its code.
// compat.test.mjs has the rest of the contract, item by item, on netlify/gotrue. The pages are
// on 127.0.0.2, loopback but not a localhost name: the API is the page's own, as on a real site.
import { test } from 'node:test';
import {
  assert, createUser, dialog, eventually, forEachBackend, logInThroughForm, openPage, passwordWorks,
  uniqueEmail, waitForMail, widgetReady,
} from './helpers.mjs';

const PASSWORD = 'events password 1';

forEachBackend(9028, (env) => {
  const record = (page) => page.evaluate(() => window.record);

  test('the old widget\'s events, in order: init, open, login (also the Decap snippet\'s), close, a restored session\'s, logout, and a failed settings load', async () => {
    const email = uniqueEmail('events');
    await createUser(env.stack, email, PASSWORD);
    const context = await env.browser.newContext();
    const page = await openPage(context, `${env.stack.siteLikeUrl}/site.html`);
    await widgetReady(page);
    await logInThroughForm(page, email, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();
    await page.evaluate(() => netlifyIdentity.close());
    assert.deepEqual(await record(page), ['init', 'open:login', `login:${email}`, `login-seen-by-init-handler:${email}`, 'close']);

    await page.reload();
    await eventually(async () => (await record(page)).length === 2, 'the restored session\'s events');
    assert.deepEqual(await record(page), [`init:${email}`, `login:${email}`]);
    await page.evaluate(() => netlifyIdentity.logout());
    assert.deepEqual(await record(page), [`init:${email}`, `login:${email}`, 'logout']);

    // The settings the dialog loads fail: the error Decap CMS recognises.
    // (Every request for them, however many the page makes.)
    env.stack.faults.inject({ method: 'GET', path: /^\/settings/, kind: '503', times: 10 });
    const failing = await openPage(context, `${env.stack.siteLikeUrl}/site.html`);
    await widgetReady(failing);
    await failing.evaluate(() => netlifyIdentity.open());
    await eventually(async () => (await record(failing)).some((e) => e.startsWith('error:')), 'the error event');
    assert.ok((await record(failing)).includes('error:Failed to load settings from /.netlify/identity'), (await record(failing)).join(', '));
    env.stack.faults.clear();
    assert.deepEqual([...page.errors, ...failing.errors], []);
    await context.close();
  });

  test('gotrue-js\'s client: settings, signup, a refusal as gotrue-js reports it, login, the user\'s jwt, update, getUserData and logout, and a recovery mail', async () => {
    const context = await env.browser.newContext();
    const page = await openPage(context, `${env.stack.siteLikeUrl}/site.html`);
    await widgetReady(page);
    // The server's own settings (supabase/auth's say `mailer_autoconfirm`, netlify/gotrue's `autoconfirm`).
    const settings = await page.evaluate(() => netlifyIdentity.gotrue.settings().then((s) => [typeof s.external, typeof s.disable_signup]));
    assert.deepEqual(settings, ['object', 'boolean']);

    const newcomer = uniqueEmail('client-signup');
    const signedUp = await page.evaluate(([email, password]) => netlifyIdentity.gotrue.signup(email, password, { full_name: 'Client User' })
      .then((u) => ({ email: u.email, name: u.user_metadata.full_name })), [newcomer, PASSWORD]);
    assert.deepEqual(signedUp, { email: newcomer, name: 'Client User' });
    await waitForMail(env.stack, newcomer, /confirm/i);

    const email = uniqueEmail('client');
    await createUser(env.stack, email, PASSWORD, { full_name: 'Client Sue' });
    const refused = await page.evaluate((email) => netlifyIdentity.gotrue.login(email, 'wrong password')
      .then(() => null, (e) => ({ message: e.message, status: e.status, json: typeof e.json })), email);
    assert.equal(refused.status, 400);
    assert.equal(refused.json, 'object');
    assert.match(refused.message, /invalid/i, 'the server\'s words');

    const user = await page.evaluate(async ([email, password]) => {
      const user = await netlifyIdentity.gotrue.login(email, password, true);
      const jwt = await user.jwt(true);
      const updated = await user.update({ data: { full_name: 'Client Renamed' } });
      const fetched = await updated.getUserData();
      return {
        email: user.email,
        pageUser: netlifyIdentity.gotrue.currentUser()?.email,
        jwtIsFresh: jwt === netlifyIdentity.gotrue.currentUser().token.access_token && jwt.split('.').length === 3,
        name: fetched.user_metadata.full_name,
        stored: JSON.parse(localStorage.getItem('gotrue.user')).email,
      };
    }, [email, PASSWORD]);
    assert.deepEqual(user, { email, pageUser: email, jwtIsFresh: true, name: 'Client Renamed', stored: email });
    assert.equal(await page.evaluate(() => window.record.filter((e) => e.startsWith('login')).length), 0, 'gotrue calls fire no login event');

    await page.evaluate(() => netlifyIdentity.gotrue.currentUser().logout());
    assert.equal(await page.evaluate(() => netlifyIdentity.gotrue.currentUser()), null);
    assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null);

    await page.evaluate((email) => netlifyIdentity.gotrue.requestPasswordRecovery(email), email);
    await waitForMail(env.stack, email, /recover|reset/i);
    assert.equal(await passwordWorks(env.stack, email, PASSWORD), true, 'a recovery mail changes nothing by itself');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
