// Issue 16: what only supabase/auth has, beyond the flows every backend runs (flows.test.mjs,
// account.test.mjs and the other parametrised files). The server is built from the vendored
// snapshot and run on PostgreSQL behind the demo origin with the same inbox
// (scripts/supabase.mjs); its mails carry the 6-digit code. The widget: `/settings` tells it the
// server, so the password and refresh grants go as JSON; its links bring the person back to the
// page they were on; a duplicate signup is a user without identities; a hosted project's
// gateway wants the `apiKey`.
import { after, before, describe, test } from 'node:test';
import { makeAdmin, startStack } from '../../scripts/stack.mjs';
import { assert, createUser as createUserOn, dialog, eventually, logInThroughForm, openPage, requestRecoveryThroughForm, setUp, signUpThroughForm, tokensFor, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'supabase password 1';
let env;
before(async () => { env = await setUp({ port: 9022, backend: 'supabase' }); });
after(async () => { await env?.tearDown(); });

const post = (path, body, headers = {}) => fetch(`${env.stack.apiUrl}${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** A confirmed user of this file's stack. */
const createUser = (email, fullName = 'Sue Base') => createUserOn(env.stack, email, PASSWORD, { full_name: fullName });

/** supabase/auth's password grant, straight to the server. */
const passwordWorks = async (email, password) => (await post('/token?grant_type=password', { email, password })).status === 200;

test('the form logs in (JSON grant), jwt(true) refreshes, a reload keeps the session, and logout ends it', async () => {
  const email = uniqueEmail('sb-login');
  await createUser(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  const first = await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token);
  await page.evaluate(() => netlifyIdentity.currentUser().jwt(true));
  const second = await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token);
  assert.notEqual(second, first, 'a new refresh token: the refresh went through');
  await page.reload();
  await eventually(() => page.evaluate(() => netlifyIdentity.currentUser()?.email), 'the session after a reload');
  await page.evaluate(() => netlifyIdentity.logout());
  await eventually(async () => (await page.evaluate(() => netlifyIdentity.currentUser())) === null, 'the logout');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('forgot password: the recovery link brings the person back to the page, asks for a new password, which then logs in', async () => {
  const email = uniqueEmail('sb-recover');
  await createUser(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/options.html?options=%7B%7D`);
  await requestRecoveryThroughForm(page, email);
  const mail = await waitForMail(env.stack, email, /reset/i);
  const linked = await openPage(context, mail.link);
  await dialog(linked).getByLabel('New password').waitFor();
  const back = new URL(linked.url());
  assert.equal(`${back.pathname}${back.search}`, '/options.html?options=%7B%7D', 'back on the page of the request (redirect_to)');
  await dialog(linked).getByLabel('New password').fill('a new supabase password 2');
  await dialog(linked).getByRole('button', { name: 'Update password' }).click();
  await dialog(linked).getByText('Logged in as').waitFor();
  assert.equal(await passwordWorks(email, 'a new supabase password 2'), true);
  assert.equal(await passwordWorks(email, PASSWORD), false);
  assert.deepEqual(linked.errors, []);
  await context.close();
});

test('a signup for a confirmed address and a used link each get their message', async () => {
  const email = uniqueEmail('sb-taken');
  await createUser(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await signUpThroughForm(page, 'Again', email, PASSWORD);
  await dialog(page).getByText('An account with this email already exists.').waitFor();

  assert.equal((await post('/recover', { email })).status, 200);
  const mail = await waitForMail(env.stack, email, /reset/i);
  assert.equal((await fetch(mail.link, { redirect: 'manual' })).status, 303, 'the link is used once');
  const used = await openPage(context, mail.link);
  await dialog(used).getByText('This link has expired. Request a new one.').waitFor();
  assert.deepEqual([...page.errors, ...used.errors], []);
  await context.close();
});

/** Opens the login form, types `email`, and asks for a sign-in link. */
async function askForSignInLink(email) {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByRole('button', { name: 'Email me a sign-in link' }).click();
  await dialog(page).getByRole('heading', { name: 'Log in without a password' }).waitFor();
  assert.equal(await dialog(page).getByLabel('Email').inputValue(), email, 'the typed address is kept');
  await dialog(page).getByRole('button', { name: 'Send sign-in link' }).click();
  await dialog(page).getByRole('status').filter({ hasText: `We sent a sign-in link and a 6-digit code to ${email}` }).waitFor();
  const mail = await waitForMail(env.stack, email, /sign-in link/i);
  return { context, page, mail };
}

test('passwordless: "Email me a sign-in link", and the emailed link logs in', async () => {
  const email = uniqueEmail('sb-magic');
  await createUser(email, 'Magic Sue');
  const { context, page, mail } = await askForSignInLink(email);
  assert.match(mail.link, /\/\.netlify\/identity\/verify\?token=\w+&type=magiclink&redirect_to=/);
  // As a provider's login: the page's menu names the person; no dialog opens by itself.
  const linked = await openPage(context, mail.link);
  await linked.locator('.netlify-identity-user').getByText('Magic Sue').waitFor();
  assert.equal(await linked.evaluate(() => netlifyIdentity.currentUser().email), email);
  assert.equal(new URL(linked.url()).hash, '', 'the tokens left the URL');
  assert.deepEqual([...page.errors, ...linked.errors], []);
  await context.close();
});

test('passwordless: the 6-digit code typed in the dialog logs in; a wrong one says so; an unknown address is told', async () => {
  const email = uniqueEmail('sb-code');
  await createUser(email, 'Code Sue');
  const { context, page, mail } = await askForSignInLink(email);
  const code = mail.text.match(/\b(\d{6})\b/)[1];
  const wrong = code === '000000' ? '111111' : '000000';
  await dialog(page).getByLabel('Code from the email').fill(wrong);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  await dialog(page).getByRole('alert').filter({ hasText: 'That code is wrong or has expired' }).waitFor();
  await dialog(page).getByLabel('Code from the email').fill(code);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().email), email);
  await page.locator('.netlify-identity-user').getByText('Code Sue').waitFor();
  // The code is spent: the server refuses it a second time.
  const again = await post('/verify', { type: 'email', email, token: code });
  assert.equal((await again.json()).error_code, 'otp_expired');

  // An address nobody has: no account is made, and the person is told.
  await page.evaluate(() => netlifyIdentity.logout());
  await eventually(async () => (await page.evaluate(() => netlifyIdentity.currentUser())) === null, 'the logout');
  const stranger = uniqueEmail('sb-stranger');
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByLabel('Email').fill(stranger);
  await dialog(page).getByRole('button', { name: 'Email me a sign-in link' }).click();
  await dialog(page).getByRole('button', { name: 'Send sign-in link' }).click();
  await dialog(page).getByRole('alert').filter({ hasText: 'No account uses this email address' }).waitFor();
  assert.equal(env.stack.messages.some((m) => m.to === stranger), false, 'no mail, no account');
  assert.deepEqual(page.errors, []);
  await context.close();
});

describe('a hosted project: its gateway wants the apiKey', () => {
  const API_KEY = 'anon-key-of-the-test-project';
  let hosted;
  before(async () => { hosted = await setUp({ port: 9024, backend: 'supabase', apiKey: API_KEY }); });
  after(async () => { await hosted?.tearDown(); });

  test('with the apiKey option every call carries it: settings, login, refresh, account, the gotrue client, logout', async () => {
    const email = uniqueEmail('sb-hosted');
    const created = await fetch(`${hosted.stack.apiUrl}/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hosted.stack.operatorToken}` },
      body: JSON.stringify({ email, password: PASSWORD, email_confirm: true, user_metadata: { full_name: 'Sue Base' } }),
    });
    assert.equal(created.status, 200);
    const context = await hosted.browser.newContext();
    const options = encodeURIComponent(JSON.stringify({ apiKey: API_KEY }));
    const page = await openPage(context, `${hosted.stack.url}/options.html?options=${options}`);
    // The gateway is real: the same origin without the key is refused.
    assert.equal(await page.evaluate(() => fetch('/.netlify/identity/settings').then((r) => r.status)), 401);
    const keys = [];
    page.on('request', (request) => { if (request.url().includes('/.netlify/identity/')) keys.push(request.headers().apikey); });

    await logInThroughForm(page, email, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();
    const before = await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token);
    await page.evaluate(() => netlifyIdentity.currentUser().jwt(true));
    assert.notEqual(await page.evaluate(() => netlifyIdentity.currentUser().token.refresh_token), before, 'refreshed');
    await page.evaluate(() => netlifyIdentity.currentUser().update({ data: { full_name: 'Hosted Sue' } }));
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().user_metadata.full_name), 'Hosted Sue');
    assert.equal(await page.evaluate(() => netlifyIdentity.gotrue.settings().then((s) => typeof s.external)), 'object');
    await page.evaluate(() => netlifyIdentity.logout());
    await eventually(async () => (await page.evaluate(() => netlifyIdentity.currentUser())) === null, 'the logout');

    assert.ok(keys.length >= 6, `the calls were seen (${keys.length})`);
    assert.deepEqual(keys.filter((key) => key !== API_KEY), [], 'every call carried the key');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

test('its error codes, each provoked on the real server where it can be, show their own messages', async () => {
  const context = await env.browser.newContext();
  const alert = (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }).waitFor();
  const page = await openPage(context, env.stack.url);

  // weak_password: shorter than the server's minimum (6).
  const fresh = uniqueEmail('sb-weak');
  await signUpThroughForm(page, 'Weak', fresh, 'abc12');
  await alert(page, 'This password is too easy to guess.');

  // email_not_confirmed: signed up, not confirmed yet.
  assert.equal((await post('/signup', { email: fresh, password: PASSWORD })).status, 200);
  await dialog(page).getByRole('button', { name: 'Log in' }).first().click();
  await logInThroughForm(page, fresh, PASSWORD);
  await alert(page, 'Your email address is not confirmed yet.');

  // invalid_credentials.
  const email = uniqueEmail('sb-errors');
  await createUser(email);
  await logInThroughForm(page, email, 'not the password');
  await alert(page, 'That email and password do not match an account.');

  // same_password, on the account page.
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  const passwordForm = dialog(page).locator('form', { has: page.getByLabel('New password', { exact: true }) });
  await dialog(page).getByLabel('New password', { exact: true }).fill(PASSWORD);
  await passwordForm.getByRole('button', { name: 'Save' }).click();
  await passwordForm.getByRole('alert').filter({ hasText: 'That is your current password. Choose a different one.' }).waitFor();

  // session_not_found: the session was ended on the server (another device's logout).
  const token = await page.evaluate(() => netlifyIdentity.currentUser().token.access_token);
  assert.equal((await post('/logout', {}, { authorization: `Bearer ${token}` })).status, 204);
  const nameForm = dialog(page).locator('form', { has: page.getByLabel('Name', { exact: true }) });
  await dialog(page).getByLabel('Name', { exact: true }).fill('Too Late');
  await nameForm.getByRole('button', { name: 'Save' }).click();
  await nameForm.getByRole('alert').filter({ hasText: 'Your session has ended. Please log in again.' }).waitFor();

  // over_email_send_rate_limit (the proxy answers as the server does: a test cannot wait out its hour).
  const other = await openPage(await env.browser.newContext(), env.stack.url);
  await other.click('.netlify-identity-login');
  await dialog(other).getByRole('button', { name: 'Forgot password?' }).click();
  await dialog(other).getByLabel('Email').fill(email);
  env.stack.faults.inject({ method: 'POST', path: /^\/recover/, kind: 'respond', response: { status: 429, body: JSON.stringify({ code: 429, error_code: 'over_email_send_rate_limit', msg: 'email rate limit exceeded' }) } });
  await dialog(other).getByRole('button', { name: 'Send recovery email' }).click();
  await alert(other, 'Too many attempts. Wait a few minutes, then try again.');
  env.stack.faults.clear();
  assert.deepEqual([...page.errors, ...other.errors], []);
  await context.close();
  await other.context().close();
});

/** The identity-admin Edge Function's contract on `stack`: admins only (asked of Auth each call), listed calls only, its key never returned. */
async function edgeFunctionContract(stack) {
  const fn = `${stack.url}/functions/v1/identity-admin`;
  const call = (path, token, init = {}) => fetch(`${fn}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...init.headers } });
  const tokenOf = async (email) => (await tokensFor(stack, email, PASSWORD)).access_token;
  const admin = uniqueEmail('sb-fn-admin');
  const member = uniqueEmail('sb-fn-member');
  await createUserOn(stack, admin, PASSWORD);
  await createUserOn(stack, member, PASSWORD);
  await makeAdmin(stack, admin);
  const adminToken = await tokenOf(admin);
  const memberToken = await tokenOf(member);

  const preflight = await fetch(`${fn}/admin/users`, { method: 'OPTIONS' });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
  const listed = await call('/admin/users?per_page=2&filter=sb-fn', adminToken);
  assert.equal(listed.status, 200);
  assert.equal(listed.headers.get('x-identity-admin'), '1');
  assert.ok(Number(listed.headers.get('x-total-count')) >= 2);
  assert.ok(!(await listed.text()).includes(stack.operatorToken), 'the key is not in the answer');

  assert.equal((await call('/admin/users', null)).status, 401, 'no token');
  assert.equal((await call('/admin/users', `${adminToken.slice(0, -4)}AAAA`)).status, 401, 'a forged token');
  assert.equal((await call('/admin/users', memberToken)).status, 403, 'not an admin');
  assert.equal((await call('/admin/generate_link', adminToken, { method: 'POST', body: '{"type":"magiclink","email":"x@example.com"}' })).status, 404, 'not a listed call');
  const users = JSON.parse(await (await call(`/admin/users?filter=${encodeURIComponent(member)}`, adminToken)).text()).users;
  const target = users.find((u) => u.email === member);
  const escalate = await call(`/admin/users/${target.id}`, adminToken, { method: 'PUT', body: JSON.stringify({ role: 'service_role' }) });
  assert.equal(escalate.status, 400, 'the role column is not an attribute it changes');
  assert.equal((await tokensFor(stack, member, PASSWORD)).user.role, 'authenticated');

  // A role taken away counts at once, though the token still says admin.
  const me = JSON.parse(await (await call(`/admin/users?filter=${encodeURIComponent(admin)}`, adminToken)).text()).users[0];
  assert.equal((await call(`/admin/users/${me.id}`, adminToken, { method: 'PUT', body: JSON.stringify({ app_metadata: { roles: [] } }) })).status, 200);
  assert.equal((await call('/admin/users', adminToken)).status, 403);
}

test('the Supabase identity-admin function (its file run by the stack under Node): admins only, listed calls only, its key never returned', () => edgeFunctionContract(env.stack));

describe('the same function under Deno, serving itself as Supabase\'s Edge Runtime runs it', () => {
  let deno;
  before(async () => { deno = await startStack({ port: 9029, backend: 'supabase', freshDatabase: true, edgeRuntime: 'deno' }); });
  after(async () => { await deno?.close(); });

  test('admins only, listed calls only, its key never returned', () => edgeFunctionContract(deno));
});
