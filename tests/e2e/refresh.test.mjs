// A short-lived access token (GoTrue's JWT expiry set to 5 s) is refreshed by jwt().
import { after, before, test } from 'node:test';
import { assert, createUser, currentEmail, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail, widgetReady } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 8911, jwtExp: 5 }); });
after(async () => { await env?.tearDown(); });

test('jwt() refreshes a short-lived token and the session continues', async () => {
  const email = uniqueEmail('refresh');
  await createUser(env.stack, email, 'refresh password 1');
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, email, 'refresh password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  const first = await page.evaluate(() => window.netlifyIdentity.currentUser().token.access_token);

  // Past the token's 5 s life: the old token is refused, jwt() gets a new one that works.
  await new Promise((r) => setTimeout(r, 6000));
  const expired = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${first}` } });
  assert.equal(expired.status, 401, 'the first token has expired');
  const [a, b] = await page.evaluate(() => Promise.all([window.netlifyIdentity.currentUser().jwt(), window.netlifyIdentity.refresh()]));
  assert.equal(a, b, 'concurrent callers share one refresh');
  assert.notEqual(a, first);
  const fresh = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${a}` } });
  assert.equal(fresh.status, 200);
  assert.equal((await fresh.json()).email, email);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')).token.access_token);
  assert.equal(stored, a, 'the refreshed token is stored');

  await page.reload();
  await widgetReady(page);
  assert.equal(await currentEmail(page), email);
  const again = await page.evaluate(() => window.netlifyIdentity.currentUser().jwt());
  await eventually(async () => (await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${again}` } })).status === 200, 'the token after reload works');
  assert.deepEqual(page.errors, []);
  await context.close();
});
