// Issue 16 (in progress): the widget on supabase/auth, built from the vendored snapshot and run
// on PostgreSQL behind the demo origin with the same inbox (scripts/supabase.mjs). The stack:
// emailed links come through the site's /.netlify/identity proxy and mails carry the 6-digit
// code. The widget: `/settings` tells it the server, so the password and refresh grants go as
// JSON; supabase/auth's links come back as tokens with their `type`, its errors with an
// `error_code`, and a duplicate signup as a user without identities.
import { after, before, test } from 'node:test';
import { assert, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'supabase password 1';
let env;
before(async () => { env = await setUp({ port: 9022, backend: 'supabase' }); });
after(async () => { await env?.tearDown(); });

const post = (path, body, headers = {}) => fetch(`${env.stack.apiUrl}${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** A confirmed user, made with the service_role credential. */
async function createUser(email, fullName = 'Sue Base') {
  const created = await post('/admin/users', { email, password: PASSWORD, email_confirm: true, user_metadata: { full_name: fullName } }, { authorization: `Bearer ${env.stack.operatorToken}` });
  assert.equal(created.status, 200, await created.clone().text());
}

/** supabase/auth's password grant, straight to the server. */
const passwordWorks = async (email, password) => (await post('/token?grant_type=password', { email, password })).status === 200;

test('a confirmation link comes through the demo origin: confirmed, logged in, its tokens gone from the URL', async () => {
  const email = uniqueEmail('sb-confirm');
  const signup = await post(`/signup?redirect_to=${encodeURIComponent(`${env.stack.url}/`)}`, { email, password: PASSWORD, data: { full_name: 'Sue Base' } });
  assert.equal(signup.status, 200);
  const mail = await waitForMail(env.stack, email, /confirm/i);
  assert.ok(mail.link.startsWith(`${env.stack.url}/.netlify/identity/verify?`), mail.link);
  assert.match(mail.text, /\b\d{6}\b/, 'the code to type instead');

  const page = await openPage(await env.browser.newContext(), mail.link);
  await dialog(page).getByText('Your email address is confirmed and you are logged in.').waitFor();
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().user_metadata.full_name), 'Sue Base');
  assert.equal(new URL(page.url()).hash, '', 'the tokens left the URL');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

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
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByRole('button', { name: 'Send recovery email' }).click();
  await dialog(page).getByText("We've sent a recovery email").waitFor();
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

test('an invite\'s link asks the invited person for a password, which then logs in', async () => {
  const email = uniqueEmail('sb-invite');
  const invited = await post('/invite', { email, data: { full_name: 'Invited Sue' } }, { authorization: `Bearer ${env.stack.operatorToken}` });
  assert.equal(invited.status, 200);
  const mail = await waitForMail(env.stack, email, /invited/i);
  const context = await env.browser.newContext();
  const page = await openPage(context, mail.link);
  await dialog(page).getByRole('heading', { name: 'Complete your signup' }).waitFor();
  await dialog(page).getByLabel('Password', { exact: true }).fill('invited supabase password 1');
  await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  assert.equal(await passwordWorks(email, 'invited supabase password 1'), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a signup for a confirmed address and a used link each get their message', async () => {
  const email = uniqueEmail('sb-taken');
  await createUser(email);
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-signup');
  await dialog(page).getByLabel('Name').fill('Again');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
  await dialog(page).getByText('An account with this email already exists.').waitFor();

  assert.equal((await post('/recover', { email })).status, 200);
  const mail = await waitForMail(env.stack, email, /reset/i);
  assert.equal((await fetch(mail.link, { redirect: 'manual' })).status, 303, 'the link is used once');
  const used = await openPage(context, mail.link);
  await dialog(used).getByText('This link has expired. Request a new one.').waitFor();
  assert.deepEqual([...page.errors, ...used.errors], []);
  await context.close();
});

test('the service_role credential administers; a sign-in mail\'s code logs in once', async () => {
  const email = uniqueEmail('sb-code');
  await createUser(email);
  assert.equal((await post('/otp', { email })).status, 200);
  const mail = await eventually(() => env.stack.messages.find((m) => m.to === email), 'the sign-in mail');
  const code = mail.text.match(/\b(\d{6})\b/)[1];
  const first = await post('/verify', { type: 'email', email, token: code });
  assert.equal(first.status, 200);
  assert.equal(typeof (await first.json()).access_token, 'string');
  const again = await post('/verify', { type: 'email', email, token: code });
  assert.equal((await again.json()).error_code, 'otp_expired');
});
