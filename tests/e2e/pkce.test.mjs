// Issue 16: supabase/auth's PKCE flow (`flowType: 'pkce'`). A request that mails a link carries
// the S256 challenge of a verifier this browser keeps; the link comes back to the page with a
// one-time `?code=` (and our `#pkce` marker), which the widget takes out of the URL and exchanges
// with the verifier. No token is ever in a URL, and the link opened in another browser logs
// nobody in. supabase/auth only: netlify/gotrue has no PKCE.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, requestRecoveryThroughForm, setUp, signUpThroughForm, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'pkce password 1';
const OPTIONS = encodeURIComponent(JSON.stringify({ flowType: 'pkce' }));
let env;
before(async () => { env = await setUp({ port: 9027, backend: 'supabase' }); });
after(async () => { await env?.tearDown(); });

/**
 * Follows `link` in a new tab of `context`: the page (its uncaught errors in `page.errors`), and
 * every URL its frame was at and every request it made, to look for tokens in.
 */
async function followLink(context, link) {
  const page = await context.newPage();
  const urls = [];
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) urls.push(frame.url()); });
  page.on('request', (request) => urls.push(request.url()));
  await page.goto(link);
  return { page, urls };
}

/** The bodies the page sent to `path` (its JSON). */
function recordBodies(page, path) {
  const bodies = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith(path) && request.method() !== 'OPTIONS') bodies.push(JSON.parse(request.postData() || '{}'));
  });
  return bodies;
}

const passwordWorks = async (email, password) => (await fetch(`${env.stack.apiUrl}/token?grant_type=password`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
})).status === 200;

/** Asks for a recovery mail from a page with `flowType: 'pkce'`; the mail and the request's body. */
async function askForRecovery(context, email) {
  const page = await openPage(context, `${env.stack.url}/options.html?options=${OPTIONS}`);
  const bodies = recordBodies(page, '/recover');
  await requestRecoveryThroughForm(page, email);
  const mail = await waitForMail(env.stack, email, /reset/i);
  return { page, mail, body: bodies[0] };
}

test('recovery: the request carries an S256 challenge, the link comes back with a code the widget exchanges, and no token is ever in a URL', async () => {
  const email = uniqueEmail('pkce-recover');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const { page, mail, body } = await askForRecovery(context, email);
  assert.equal(body.code_challenge_method, 's256');
  assert.match(body.code_challenge, /^[\w-]{43}$/, 'a base64url SHA-256');
  const kept = JSON.parse(await page.evaluate(() => localStorage.getItem('gotrue.pkce')));
  assert.equal(kept.purpose, 'recovery');
  assert.notEqual(kept.verifier, body.code_challenge, 'the verifier itself never leaves the browser');
  assert.match(mail.link, /\/verify\?token=pkce_/, "supabase/auth's PKCE link");

  const { page: linked, urls } = await followLink(context, mail.link);
  await dialog(linked).getByLabel('New password').waitFor();
  assert.ok(urls.some((url) => /[?&]code=[\w-]+.*#pkce$/.test(url)), `the server's redirect brought a code (${urls.join(', ')})`);
  await eventually(() => linked.url() === `${env.stack.url}/options.html?options=${OPTIONS}`, 'the code and the marker leave the URL');
  await dialog(linked).getByLabel('New password').fill('a new pkce password 2');
  await dialog(linked).getByRole('button', { name: 'Update password' }).click();
  await dialog(linked).getByText('Logged in as').waitFor();
  assert.equal(await passwordWorks(email, 'a new pkce password 2'), true);
  assert.equal(await linked.evaluate(() => localStorage.getItem('gotrue.pkce')), null, 'the verifier is used once');
  const tokenInUrl = urls.filter((url) => /access_token|refresh_token/.test(url));
  assert.deepEqual(tokenInUrl, [], 'no token in any URL');
  const cdp = await context.newCDPSession(linked);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  assert.deepEqual(entries.filter((e) => /code=|access_token/.test(e.url)).map((e) => e.url), [], 'nor in the history');
  assert.deepEqual([...page.errors, ...linked.errors], []);
  await context.close();
});

test('signup and a sign-in link: each confirmation link logs in through the exchange', async () => {
  const email = uniqueEmail('pkce-signup');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/options.html?options=${OPTIONS}`);
  const signups = recordBodies(page, '/signup');
  await signUpThroughForm(page, 'Pat Kce', email, PASSWORD);
  await dialog(page).getByText('A confirmation message was sent').waitFor();
  assert.match(signups[0].code_challenge, /^[\w-]{43}$/);
  const confirm = await waitForMail(env.stack, email, /confirm/i);
  const { page: linked, urls } = await followLink(context, confirm.link);
  await linked.locator('.netlify-identity-user').getByText('Pat Kce').waitFor();
  assert.equal(await linked.evaluate(() => netlifyIdentity.currentUser().email), email);
  assert.deepEqual(urls.filter((url) => /access_token|refresh_token/.test(url)), []);
  assert.equal(new URL(linked.url()).search, `?options=${OPTIONS}`, 'the code left the URL');

  // Logged out, the same person asks for a sign-in link.
  await linked.evaluate(() => netlifyIdentity.logout());
  await eventually(async () => (await linked.evaluate(() => netlifyIdentity.currentUser())) === null, 'the logout');
  const otps = recordBodies(linked, '/otp');
  await linked.evaluate(() => netlifyIdentity.open('login'));
  await dialog(linked).getByLabel('Email').fill(email);
  await dialog(linked).getByRole('button', { name: 'Email me a sign-in link' }).click();
  await dialog(linked).getByRole('button', { name: 'Send sign-in link' }).click();
  const magic = await waitForMail(env.stack, email, /sign-in link/i);
  assert.match(otps[0].code_challenge, /^[\w-]{43}$/);
  const { page: again } = await followLink(context, magic.link);
  await again.locator('.netlify-identity-user').getByText('Pat Kce').waitFor();
  assert.equal(new URL(again.url()).search, `?options=${OPTIONS}`);
  assert.deepEqual([...page.errors, ...linked.errors, ...again.errors], []);
  await context.close();
});

test('the link opened in another browser logs nobody in and says where to open it; the code still works where it was asked for', async () => {
  const email = uniqueEmail('pkce-elsewhere');
  await createUser(env.stack, email, PASSWORD);
  const asker = await env.browser.newContext();
  const { page } = await askForRecovery(asker, email);
  const { link } = await waitForMail(env.stack, email, /reset/i);

  const other = await env.browser.newContext();
  const { page: elsewhere, urls } = await followLink(other, link);
  await dialog(elsewhere).getByText('Open this link in the browser where you asked for it, or request a new one here.').waitFor();
  assert.equal(await elsewhere.evaluate(() => netlifyIdentity.currentUser()), null, 'nobody is logged in');
  assert.equal(new URL(elsewhere.url()).search, `?options=${OPTIONS}`, 'the code left the URL all the same');
  const redirect = urls.find((url) => /[?&]code=[\w-]+.*#pkce$/.test(url));
  assert.ok(redirect, `the server redirected with a code (${urls.join(', ')})`);

  // The same redirect in the browser that keeps the verifier: the code is exchanged there.
  const { page: back } = await followLink(asker, redirect);
  await dialog(back).getByLabel('New password').waitFor();
  await dialog(back).getByLabel('New password').fill('a new pkce password 3');
  await dialog(back).getByRole('button', { name: 'Update password' }).click();
  await dialog(back).getByText('Logged in as').waitFor();
  assert.equal(await passwordWorks(email, 'a new pkce password 3'), true);
  assert.deepEqual([...page.errors, ...elsewhere.errors, ...back.errors], []);
  await asker.close();
  await other.close();
});

test('email change: both links of a secure change, the second exchanged, log in as the new address', async () => {
  const email = uniqueEmail('pkce-old');
  const newEmail = uniqueEmail('pkce-new');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/options.html?options=${OPTIONS}`);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  const updates = recordBodies(page, '/user');
  await dialog(page).getByLabel('New email').fill(newEmail);
  await dialog(page).locator('form', { has: page.getByLabel('New email', { exact: true }) }).getByRole('button', { name: 'Save' }).click();
  await dialog(page).getByRole('status').filter({ hasText: `We sent confirmation links to ${newEmail}` }).waitFor();
  assert.match(updates[0].code_challenge, /^[\w-]{43}$/);

  const first = await waitForMail(env.stack, email, /email change|new email address/i);
  const halfway = await openPage(context, first.link);
  await dialog(halfway).getByText('One of the two links is confirmed.', { exact: false }).waitFor();
  await halfway.close();
  const second = await waitForMail(env.stack, newEmail, /email change|new email address/i);
  const { page: linked, urls } = await followLink(context, second.link);
  await dialog(linked).getByText('Your email address has been updated!').waitFor();
  assert.equal(await linked.evaluate(() => netlifyIdentity.currentUser().email), newEmail);
  assert.ok(urls.some((url) => /[?&]code=[\w-]+.*#pkce$/.test(url)), 'the second link came back with a code');
  assert.deepEqual(urls.filter((url) => /access_token|refresh_token/.test(url)), []);
  assert.equal(await passwordWorks(newEmail, PASSWORD), true);
  assert.deepEqual([...page.errors, ...linked.errors], []);
  await context.close();
});
