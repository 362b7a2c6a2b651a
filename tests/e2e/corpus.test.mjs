// Issue 8: a corpus of hostile inputs from the three places data comes from — the URL
// fragment, the stored session, the server's answers — each gives a clear state (a message, a
// clean logout, or nothing at all for what is not ours) and never kills the wasm instance:
// after each, a call through the wasm still answers.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, tokensFor, uniqueEmail, wasmDialogShown } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9009 }); });
after(async () => { await env?.tearDown(); });

const PROBLEMS = /This link is not valid|There was an error verifying|Something went wrong on the server|You seem to be offline|took too long|not allowed|Public signups|Failed to load settings/;

/** The wasm still answers: open() goes through it and comes back as the store's state. */
async function assertAlive(page, what) {
  await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('login'); });
  await page.waitForFunction(() => netlifyIdentity.store.modal.isOpen === true, null, { timeout: 5000 })
    .catch(() => assert.fail(`${what}: the wasm no longer answers`));
  await wasmDialogShown(page).catch(() => assert.fail(`${what}: the wasm's dialog never replaced the loader's`));
  await page.evaluate(() => netlifyIdentity.close());
  await page.waitForFunction(() => netlifyIdentity.store.modal.isOpen === false, null, { timeout: 5000 });
  assert.deepEqual(page.errors, [], what);
}

test('hostile fragments: a message for a bad link of ours, nothing for others, never a crash', async () => {
  const context = await env.browser.newContext();
  const corpus = [
    ['garbage', '#%%%&&&==%00<script>&=&==&%ZZ', 'untouched'],
    ['1 MB token', `#recovery_token=${'a'.repeat(1 << 20)}`, 'message'],
    ['repeated keys', `#${'confirmation_token=&'.repeat(500)}invite_token=corpus-invite`, 'invite'],
    ['broken percent-encoding', '#recovery_token=%E0%A4%A&x=%', 'message'],
    ['an unknown type', '#magic_token=abc&type=unknown', 'untouched'],
    ['a token that is not a JWT', '#access_token=not-a-jwt&refresh_token=x&expires_in=abc', 'message'],
    ['an error with markup', '#error=server_error&error_description=%3Cimg%20src%3Dx%20onerror%3Dcanary.push(1)%3E', 'message'],
  ];
  for (const [what, hash, expected] of corpus) {
    const page = await openPage(context);
    await page.addInitScript(() => { window.canary = []; });
    await page.goto(`${env.stack.url}/blank.html?${encodeURIComponent(what)}`);
    await page.goto(`${env.stack.url}/?${encodeURIComponent(what)}${hash}`);
    await page.waitForFunction(() => window.netlifyIdentity !== undefined);
    if (expected === 'untouched') {
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.isOpen), false, `${what}: no dialog`);
    } else if (expected === 'invite') {
      await dialog(page).getByRole('heading', { name: 'Complete your signup' }).waitFor();
    } else {
      await dialog(page).getByText(PROBLEMS).first().waitFor({ timeout: 20_000 });
    }
    if (expected !== 'untouched') assert.equal(new URL(page.url()).hash, '', `${what}: the fragment left the URL`);
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null, `${what}: nobody logged in`);
    assert.deepEqual(await page.evaluate(() => window.canary), [], `${what}: nothing ran`);
    await assertAlive(page, what);
    await page.close();
  }
  await context.close();
});

test('hostile stored sessions: a clean logout (the record removed), an old record restored, never a crash', async () => {
  const email = uniqueEmail('corpus-stored');
  await createUser(env.stack, email, 'corpus password 1', { full_name: 'Stored' });
  const tokens = await tokensFor(env.stack, email, 'corpus password 1');
  const user = await (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
  // The record the old widget (gotrue-js) wrote.
  const oldRecord = JSON.stringify({ ...user, url: `${env.stack.url}/.netlify/identity`, token: { ...tokens, expires_at: Date.now() + 3600_000 }, _fromStorage: true });
  const corpus = [
    ['truncated JSON', oldRecord.slice(0, oldRecord.length / 2), null],
    ['not an object', '[1,2,3]', null],
    ['null', 'null', null],
    ['wrong types', '{"token":{"access_token":5},"url":7,"email":[]}', null],
    ['no token', JSON.stringify({ ...user, url: `${env.stack.url}/.netlify/identity` }), null],
    ['deep nesting', '['.repeat(100_000), null],
    ['megabytes of metadata', JSON.stringify({ ...JSON.parse(oldRecord), user_metadata: { full_name: 'Big', notes: 'x'.repeat(2 << 20) } }), email],
    ['the old widget\'s record', oldRecord, email],
  ];
  const context = await env.browser.newContext();
  for (const [what, stored, expected] of corpus) {
    const page = await openPage(context, `${env.stack.url}/blank.html`);
    await page.evaluate((record) => localStorage.setItem('gotrue.user', record), stored);
    await page.goto(`${env.stack.url}/?${encodeURIComponent(what)}`);
    await page.waitForFunction(() => window.netlifyIdentity !== undefined);
    await assertAlive(page, what); // the wasm has run with the record
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()?.email ?? null), expected, what);
    if (expected === null) assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null, `${what}: the bad record is gone`);
    await page.close();
  }
  await context.close();
});

test('hostile server answers: wrong types, missing fields, huge values, odd statuses give a message, never a crash', async () => {
  const email = uniqueEmail('corpus-server');
  await createUser(env.stack, email, 'corpus password 1');
  const huge = 'a'.repeat(5 << 20);
  const corpus = [
    ['a token of the wrong type', { path: /^\/token$/, response: { status: 200, body: '{"access_token":42,"token_type":"bearer"}' } }],
    ['a token response without a token', { path: /^\/token$/, response: { status: 200, body: '{"token_type":"bearer","expires_in":"soon"}' } }],
    ['a 5 MB token', { path: /^\/token$/, response: { status: 200, body: `{"access_token":"${huge}","expires_in":3600}` } }],
    ['a user that is an array', { method: 'GET', path: /^\/user$/, response: { status: 200, body: '[]' } }],
    ['a user of the wrong types', { method: 'GET', path: /^\/user$/, response: { status: 200, body: '{"id":null,"email":["a"],"user_metadata":"x"}' } }],
    ['an empty 204', { path: /^\/token$/, response: { status: 204, body: '' } }],
    ['a 302 with no location', { path: /^\/token$/, response: { status: 302, body: '' } }],
    ['a teapot', { path: /^\/token$/, response: { status: 418, body: '{"msg":["not","a","string"],"code":{}}' } }],
  ];
  const context = await env.browser.newContext();
  for (const [what, fault] of corpus) {
    const page = await openPage(context, env.stack.url);
    await page.click('.netlify-identity-login');
    await dialog(page).getByLabel('Email').fill(email);
    await dialog(page).getByLabel('Password', { exact: true }).fill('corpus password 1');
    env.stack.faults.inject({ method: 'POST', kind: 'respond', ...fault });
    await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
    await dialog(page).getByRole('alert').filter({ hasText: /\w/ }).first().waitFor({ timeout: 20_000 })
      .catch(async (error) => { throw new Error(`${what}: the dialog says "${await dialog(page).innerText()}"`, { cause: error }); });
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser()), null, `${what}: nobody logged in`);
    env.stack.faults.clear();
    await assertAlive(page, what);
    // And the real server still logs the user in.
    await logInThroughForm(page, email, 'corpus password 1');
    await dialog(page).getByText('Logged in as').waitFor();
    await page.evaluate(() => netlifyIdentity.logout());
    await page.close();
  }

  // Settings of the wrong shape: the dialog still opens and logs in.
  const page = await openPage(context, env.stack.url);
  env.stack.faults.inject({ method: 'GET', path: /^\/settings$/, kind: 'respond', response: { status: 200, body: '{"external":"yes","disable_signup":"no","autoconfirm":[]}' } });
  await logInThroughForm(page, email, 'corpus password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  await assertAlive(page, 'settings of the wrong shape');
  await context.close();
});
