// Issue 8: hostile data is text. Script-like payloads in a name, an email, roles and other
// metadata, stored in the real GoTrue (the email straight in its database, which would refuse
// it), are shown as text in every view — the page's menu, the logged-in page, the account
// page, the admin list and a user's detail — and a canary proves nothing ran.
import { after, before, test } from 'node:test';
import { makeAdmin, runSql } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, uniqueEmail } from './helpers.mjs';

const NAME = '<img src=x onerror="canary.push(1)">Ada';
const EMAIL_LOCAL = '"><svg onload=canary.push(2)>';
const ROLES = ['<script>canary.push(3)</script>', 'javascript:canary.push(4)'];
const METADATA = { avatar_url: 'javascript:canary.push(5)', bio: '<iframe srcdoc="<script>parent.canary.push(6)</script>">' };

let env;
before(async () => { env = await setUp({ port: 9003 }); });
after(async () => { await env?.tearDown(); });

/** Elements a payload would have created, in the page and in the widget's shadow root. */
const planted = (page) => page.evaluate(() => {
  const selector = 'img, svg, script, iframe';
  const root = document.querySelector('#netlify-identity-widget')?.shadowRoot;
  return [...document.body.querySelectorAll(selector), ...(root ? root.querySelectorAll(selector) : [])].map((e) => e.outerHTML);
});

test('script-like payloads in name, email, roles and metadata show as text everywhere, and none runs', async () => {
  const admin = uniqueEmail('payload-admin');
  await createUser(env.stack, admin, 'payload admin password 1', { full_name: NAME });
  await makeAdmin(env.stack, admin);
  const victim = await createUser(env.stack, uniqueEmail('payload-victim'), 'victim password 1', { full_name: NAME, ...METADATA });
  const headers = { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' };
  const update = await fetch(`${env.stack.apiUrl}/admin/users/${victim.id}`, { method: 'PUT', headers, body: JSON.stringify({ app_metadata: { roles: ROLES } }) });
  assert.equal(update.status, 200);
  const hostileEmail = `${EMAIL_LOCAL}@example.com`;
  await runSql(`UPDATE users SET email = X'${Buffer.from(hostileEmail).toString('hex')}' WHERE id = '${victim.id}';`, env.stack.database);

  const context = await env.browser.newContext();
  await context.addInitScript(() => { window.canary = []; });
  const page = await openPage(context, env.stack.url);
  const own = await planted(page); // the demo page's own scripts
  await logInThroughForm(page, admin, 'payload admin password 1');
  await dialog(page).getByText('Logged in as').waitFor();
  await dialog(page).getByText(NAME, { exact: true }).waitFor();
  assert.equal(await page.locator('.netlify-identity-user').textContent(), NAME, 'the menu shows the name as text');

  await dialog(page).getByRole('button', { name: 'Account settings' }).click();
  const name = dialog(page).getByLabel('Name', { exact: true });
  await name.waitFor();
  assert.equal(await name.inputValue(), NAME);

  await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('users'); });
  const row = dialog(page).locator('table tbody tr').filter({ hasText: hostileEmail });
  await row.waitFor();
  assert.ok((await row.textContent()).includes(NAME), 'the list shows the name as text');
  for (const role of ROLES) assert.ok((await row.textContent()).includes(role), `the list shows the role ${role} as text`);
  await dialog(page).getByRole('button', { name: hostileEmail }).click();
  await dialog(page).getByRole('heading', { name: 'User', exact: true }).waitFor();
  assert.equal(await dialog(page).getByLabel('Name', { exact: true }).inputValue(), NAME);
  for (const role of ROLES) await dialog(page).getByRole('button', { name: `Remove role ${role}` }).waitFor();

  // What the page's own code is handed stays data too.
  const handed = await page.evaluate(() => netlifyIdentity.currentUser().user_metadata.full_name);
  assert.equal(handed, NAME);
  assert.deepEqual(await planted(page), own, 'no element came from a payload');
  assert.deepEqual(await page.evaluate(() => window.canary), [], 'no payload ran');
  assert.deepEqual(page.errors, []);
  await context.close();
});
