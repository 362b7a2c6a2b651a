// Issue 8: every error the widget can show, driven through the screens and the page API with
// the real GoTrue (or the proxy answering as GoTrue does, for what a test cannot provoke: a
// rate limit, an expired link), each read as its translated message; after each the wasm
// instance still answers. (Timeout and a dropped connection: tests/e2e/faults.test.mjs; the
// localhost site-URL error: compat.test.mjs.)
import { after, before, test } from 'node:test';
import { makeAdmin } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, uniqueEmail, wasmDialogShown } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9011 }); });
after(async () => { await env?.tearDown(); });

const PASSWORD = 'errors password 1';
const json = (status, body) => ({ status, body: JSON.stringify(body) });

async function assertAlive(page, what) {
  await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('login'); });
  await page.waitForFunction(() => netlifyIdentity.store.modal.isOpen === true, null, { timeout: 5000 })
    .catch(() => assert.fail(`${what}: the wasm no longer answers`));
  await wasmDialogShown(page).catch(() => assert.fail(`${what}: the wasm's dialog never replaced the loader's`));
  assert.deepEqual(page.errors, [], what);
}

async function loginForm(context, email, password = PASSWORD) {
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(password);
  return { page, submit: () => dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click() };
}

async function signupForm(context, email) {
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-signup');
  await dialog(page).getByLabel('Name').fill('Errors');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  return { page, submit: () => dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click() };
}

async function recoverForm(context, email) {
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
  await dialog(page).getByLabel('Email').fill(email);
  return { page, submit: () => dialog(page).getByRole('button', { name: 'Send recovery email' }).click() };
}

test('each problem shows its translated message, and the wasm lives on', { timeout: 5 * 60_000 }, async () => {
  const member = uniqueEmail('errors-member');
  await createUser(env.stack, member, PASSWORD);
  const shown = [];
  const cases = [
    ['That email and password do not match an account. Check them and try again.', (c) => loginForm(c, member, 'wrong password 9')],
    ['Your email address is not confirmed yet. Follow the link in the confirmation email first.', (c) => loginForm(c, member),
      { path: /^\/token$/, response: json(400, { error: 'invalid_grant', error_description: 'Email not confirmed' }) }],
    ['Too many attempts. Wait a few minutes, then try again.', (c) => loginForm(c, member), { path: /^\/token$/, response: json(429, { msg: 'Rate limit exceeded' }) }],
    ['You are not allowed to do this. Log in again, or ask an administrator.', (c) => loginForm(c, member), { path: /^\/token$/, response: json(403, { msg: 'Forbidden' }) }],
    ['Something went wrong on the server. Try again in a moment.', (c) => loginForm(c, member), { path: /^\/token$/, response: json(500, { msg: 'boom' }) }],
    ['An account with this email already exists. Log in instead, or reset your password.', (c) => signupForm(c, member)],
    ['Public signups are disabled. Contact an administrator and ask for an invite.', (c) => signupForm(c, uniqueEmail('errors-closed')), { path: /^\/signup$/, response: json(403, { code: 403, msg: 'Signups not allowed for this instance' }) }],
    ['The server did not accept these details. Check the email address and use a longer password.', (c) => signupForm(c, uniqueEmail('errors-weak')), { path: /^\/signup$/, response: json(422, { code: 422, msg: 'Password should be at least 6 characters' }) }],
    ['No account uses this email address. Check it, or sign up.', (c) => recoverForm(c, uniqueEmail('errors-nobody'))],
  ];
  const context = await env.browser.newContext();
  for (const [message, open, fault] of cases) {
    const { page, submit } = await open(context);
    if (fault) env.stack.faults.inject({ method: 'POST', kind: 'respond', ...fault });
    await submit();
    await dialog(page).getByRole('alert').filter({ hasText: message }).waitFor({ timeout: 15_000 });
    env.stack.faults.clear();
    await assertAlive(page, message);
    shown.push(message);
    await page.close();
  }

  // Links: one that is not valid, one that expired (as GoTrue words it).
  for (const [message, fault] of [
    ['This link is not valid, or it was already used. Request a new one.', null],
    ['This link has expired. Request a new one.', { path: /^\/verify$/, response: json(422, { code: 422, msg: 'Token has expired or is invalid' }) }],
  ]) {
    if (fault) env.stack.faults.inject({ method: 'POST', kind: 'respond', ...fault });
    const page = await openPage(context, `${env.stack.url}/?link#recovery_token=errors-link-token`);
    await dialog(page).getByText('There was an error verifying your account').waitFor();
    await dialog(page).getByText(message).waitFor();
    env.stack.faults.clear();
    await assertAlive(page, message);
    shown.push(message);
    await page.close();
  }

  // A refresh the server refuses for good ends the session (and says so); an admin call for
  // a user who is gone says so too.
  const admin = uniqueEmail('errors-admin');
  await createUser(env.stack, admin, PASSWORD);
  await makeAdmin(env.stack, admin);
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, admin, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  const missing = await page.evaluate(() => netlifyIdentity.currentUser().admin.getUser({ id: '00000000-0000-0000-0000-000000000000' }).then(() => 'found', (error) => error.message));
  assert.equal(missing, 'This user no longer exists. Reload the list.');
  shown.push(missing);
  env.stack.faults.inject({ method: 'POST', path: /^\/token$/, kind: 'respond', response: json(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token' }) });
  const ended = await page.evaluate(() => {
    window.logouts = 0;
    netlifyIdentity.on('logout', () => { window.logouts++; });
    return netlifyIdentity.currentUser().jwt(true).then(() => 'refreshed', (error) => error.message);
  });
  env.stack.faults.clear();
  assert.equal(ended, 'Your session has ended. Please log in again.');
  shown.push(ended);
  assert.equal(await page.evaluate(() => [netlifyIdentity.currentUser(), window.logouts, localStorage.getItem('gotrue.user')]).then(JSON.stringify), JSON.stringify([null, 1, null]));
  await assertAlive(page, ended);
  assert.equal(new Set(shown).size, 13, 'thirteen distinct problems shown (with Offline, Timeout and the site-URL one elsewhere: all sixteen)');
  await context.close();
});
