// Issue 16, the stack: supabase/auth (built from the vendored snapshot) on PostgreSQL behind
// the demo origin, with the same inbox. Its emailed links come through the site's
// /.netlify/identity proxy and its mails carry the 6-digit code.
import { after, before, test } from 'node:test';
import { assert, eventually, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9022, backend: 'supabase' }); });
after(async () => { await env?.tearDown(); });

const post = (path, body, headers = {}) => fetch(`${env.stack.apiUrl}${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

test('a confirmation link comes through the demo origin and logs the person in, its token leaving the URL', async () => {
  const email = uniqueEmail('sb-confirm');
  const signup = await post(`/signup?redirect_to=${encodeURIComponent(`${env.stack.siteLikeUrl}/`)}`, { email, password: 'supabase password 1', data: { full_name: 'Sue Base' } });
  assert.equal(signup.status, 200);
  const mail = await waitForMail(env.stack, email, /confirm/i);
  assert.ok(mail.link.startsWith(`${env.stack.url}/.netlify/identity/verify?`), mail.link);
  assert.match(mail.text, /\b\d{6}\b/, 'the code to type instead');

  // The redirect carries `#access_token=…&type=signup`, which the widget takes as a provider
  // login's: the person is logged in, the dialog stays closed.
  const page = await openPage(await env.browser.newContext(), mail.link);
  await eventually(() => page.evaluate(() => netlifyIdentity.currentUser()?.email), 'the login');
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().email), email);
  assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().user_metadata.full_name), 'Sue Base');
  assert.equal(new URL(page.url()).hash, '', 'the tokens left the URL');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the service_role credential administers; a sign-in mail\'s code logs in once', async () => {
  const email = uniqueEmail('sb-code');
  const created = await post('/admin/users', { email, password: 'supabase password 1', email_confirm: true }, { authorization: `Bearer ${env.stack.operatorToken}` });
  assert.equal(created.status, 200);
  assert.equal((await post('/otp', { email })).status, 200);
  const mail = await eventually(() => env.stack.messages.find((m) => m.to === email), 'the sign-in mail');
  const code = mail.text.match(/\b(\d{6})\b/)[1];
  const first = await post('/verify', { type: 'email', email, token: code });
  assert.equal(first.status, 200);
  assert.equal(typeof (await first.json()).access_token, 'string');
  const again = await post('/verify', { type: 'email', email, token: code });
  assert.equal((await again.json()).error_code, 'otp_expired');
});
