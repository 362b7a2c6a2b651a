// Issue 15: user management as on a real Netlify site — administrators by the roles Netlify's
// UI assigns (`app_metadata.roles`), their calls through the identity-admin function the stack
// runs as Netlify does, who sees it decided from what the widget holds (no request at login),
// and the self-hosted path (GoTrue's admin group) beside it. Decap CMS's own login flow too.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { makeAdmin, makeGroupAdmin, TYPES } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, logInThroughForm, openPage, passwordWorks, searchUsers, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'roles password 1';
const FUNCTION_PATH = '/.netlify/functions/identity-admin';
const cache = process.env.GOTRUE_WIDGET_CACHE || join(homedir(), '.cache', 'gotrue-widget');
/** Decap CMS's prebuilt bundle, unpacked by scripts/setup.sh. */
const DECAP_DIST = join(cache, 'decap-cms-3.16.3', 'dist');
// The Decap CMS docs' admin page: the widget in the head, Decap in the body, config.yml beside.
const DECAP_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Content Manager</title>
<script src="/build/netlify-identity-widget.js" data-admin-url="${FUNCTION_PATH}"></script>
</head><body><script src="/decap/decap-cms.js"></script></body></html>`;
const DECAP_CONFIG = `backend:
  name: git-gateway
  branch: main
media_folder: static/img
collections:
  - name: posts
    label: Posts
    folder: content/posts
    create: true
    fields:
      - { label: Title, name: title, widget: string }
`;

let env;
before(async () => {
  env = await setUp({
    port: 9020,
    extraRoutes(url, req, res) {
      if (!url.pathname.startsWith('/decap/')) return false;
      const name = url.pathname.slice('/decap/'.length);
      if (name === '' || name === 'config.yml') {
        res.writeHead(200, { 'content-type': name ? 'text/yaml' : 'text/html; charset=utf-8' });
        res.end(name ? DECAP_CONFIG : DECAP_PAGE);
        return true;
      }
      const file = join(DECAP_DIST, normalize(name).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file)) return false;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(readFileSync(file));
      return true;
    },
  });
});
after(async () => { await env?.tearDown(); });

/** Every request the page sends and every console message, from the start. */
function watch(page) {
  const seen = { requests: [], console: [] };
  page.on('request', (request) => seen.requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  page.on('console', (message) => seen.console.push({ type: message.type(), text: message.text(), url: message.location().url }));
  return seen;
}

const isAdminRequest = (request) => /\/admin\/|\/invite$|\/\.netlify\/functions\//.test(request);

async function user(label, { role = false, group = false } = {}) {
  const email = uniqueEmail(label);
  await createUser(env.stack, email, PASSWORD, { full_name: label });
  if (role) await makeAdmin(env.stack, email);
  if (group) await makeGroupAdmin(env.stack, email);
  return email;
}

async function loggedIn(path, email) {
  const context = await env.browser.newContext();
  const page = await openPage(context);
  const seen = watch(page);
  await page.goto(`${env.stack.siteLikeUrl}${path}`);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  await dialog(page).getByRole('button', { name: 'Account settings' }).waitFor();
  return { context, page, seen };
}

test('an admin by role manages users through the function: list, search, roles, reset email and its link, invite, delete', async () => {
  const admin = await user('role-admin', { role: true });
  const target = await user('role-target');
  const { context, page, seen } = await loggedIn('/', admin);
  assert.deepEqual(seen.requests.filter(isAdminRequest), [], 'no admin request at login');

  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await dialog(page).locator('table tbody tr').first().waitFor();
  await searchUsers(page, target);
  await dialog(page).getByRole('button', { name: target }).click();
  await dialog(page).getByLabel('Add role').fill('editor');
  await dialog(page).getByLabel('Add role').press('Enter');
  await dialog(page).getByRole('button', { name: 'Save changes' }).click();
  await dialog(page).getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();

  await dialog(page).getByRole('button', { name: 'Send reset password email' }).click();
  await dialog(page).getByRole('status').filter({ hasText: `A reset password email was sent to ${target}.` }).waitFor();
  const reset = await waitForMail(env.stack, target, /reset/i);
  const targetPage = await openPage(await env.browser.newContext(), reset.link);
  await dialog(targetPage).getByLabel('New password').fill('a brand new password 2');
  await dialog(targetPage).getByRole('button', { name: 'Update password' }).click();
  await dialog(targetPage).getByText('Logged in as').waitFor();
  assert.equal(await passwordWorks(env.stack, target, 'a brand new password 2'), true, 'the reset link set the password');
  const targetClaims = await targetPage.evaluate(() => netlifyIdentity.currentUser().jwt()
    .then((token) => JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))));
  assert.deepEqual(targetClaims.app_metadata.roles, ['editor'], 'the role the admin gave');
  await targetPage.context().close();

  await dialog(page).getByRole('button', { name: 'Back to users' }).click();
  const invitee = uniqueEmail('role-invitee');
  await dialog(page).getByLabel('Email', { exact: true }).fill(invitee);
  await dialog(page).getByRole('button', { name: 'Send invite' }).click();
  await dialog(page).getByRole('status').filter({ hasText: `Invitation sent to ${invitee}.` }).waitFor();
  assert.match((await waitForMail(env.stack, invitee, /invited/i)).link, /#invite_token=/);

  await searchUsers(page, target);
  await dialog(page).getByRole('button', { name: target }).click();
  await dialog(page).getByRole('button', { name: 'Delete user' }).click();
  await dialog(page).getByRole('button', { name: `Delete ${target}` }).click();
  await dialog(page).getByRole('status').filter({ hasText: `${target} was deleted.` }).waitFor();
  assert.equal(await passwordWorks(env.stack, target, 'a brand new password 2'), false);

  const adminRequests = seen.requests.filter(isAdminRequest);
  assert.ok(adminRequests.length >= 6, `the calls were made: ${adminRequests}`);
  assert.deepEqual(adminRequests.filter((r) => !r.includes(FUNCTION_PATH)), [], 'every admin call went through the function');
  assert.ok(adminRequests.includes(`POST ${FUNCTION_PATH}/recover`) && adminRequests.includes(`POST ${FUNCTION_PATH}/invite`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a user without the role sees no user management, sends no admin request, and the console stays clean', async () => {
  const plain = await user('role-plain');
  for (const path of ['/', '/site.html']) {
    const { context, page, seen } = await loggedIn(path, plain);
    assert.equal(await dialog(page).getByRole('button', { name: 'Manage users' }).count(), 0, path);
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().admin.isAdmin()), false);
    await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('users'); });
    await dialog(page).getByText('Only administrators can manage users').waitFor();
    assert.deepEqual(seen.requests.filter(isAdminRequest), [], `${path}: no admin request`);
    assert.deepEqual(seen.console.filter((m) => m.type === 'error' || m.type === 'warning'), [], `${path}: a clean console`);
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('the self-hosted path: without adminUrl, GoTrue\'s admin group manages users straight through GoTrue; a role alone does not', async () => {
  const groupAdmin = await user('group-admin', { group: true });
  const { context, page, seen } = await loggedIn('/site.html', groupAdmin);
  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await dialog(page).locator('table tbody tr').first().waitFor();
  const adminRequests = seen.requests.filter(isAdminRequest);
  assert.ok(adminRequests.some((r) => r.startsWith('GET /.netlify/identity/admin/users')), `${adminRequests}`);
  assert.deepEqual(adminRequests.filter((r) => r.includes('/.netlify/functions/')), []);
  await context.close();

  const roleAdmin = await user('role-only', { role: true });
  const second = await loggedIn('/site.html', roleAdmin);
  assert.equal(await dialog(second.page).getByRole('button', { name: 'Manage users' }).count(), 0);
  await second.context.close();
});

test('init options or the script tag name the function and the roles; a refusal by the function and a function not installed each say what to do', async () => {
  const editor = await user('role-editor');
  const editorUser = (await (await fetch(`${env.stack.apiUrl}/admin/users?per_page=1000`, { headers: { authorization: `Bearer ${env.stack.operatorToken}` } })).json())
    .users.find((u) => u.email === editor);
  await fetch(`${env.stack.apiUrl}/admin/users/${editorUser.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app_metadata: { roles: ['editor'] } }),
  });
  // The page shows management to editors; the function (IDENTITY_ADMIN_ROLES unset) only
  // accepts admins: its 403 is the translated "not allowed".
  const options = encodeURIComponent(JSON.stringify({ adminUrl: FUNCTION_PATH, adminRoles: ['editor'], locale: 'fr' }));
  const refused = await loggedInFrench(`/options.html?options=${options}`, editor);
  await dialog(refused.page).getByRole('button', { name: 'Gérer les utilisateurs' }).click();
  await dialog(refused.page).getByText('Vous n\'êtes pas autorisé à faire cela').waitFor();
  await refused.context.close();

  // The script tag's data-admin-url and data-admin-roles, naming a function the site lacks.
  const { context, page } = await loggedIn('/missing-function.html', editor);
  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await dialog(page).getByText('User management needs the identity-admin function on this site').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

async function loggedInFrench(path, email) {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}${path}`);
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByLabel('E-mail').fill(email);
  await dialog(page).getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Se connecter', exact: true }).click();
  await dialog(page).getByText('Connecté en tant que').waitFor();
  return { context, page };
}

test('Decap CMS\'s login flow with a user who is not an admin: Decap gets the user, no admin request, no console error of ours', async () => {
  const editor = await user('decap-editor');
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${env.stack.siteLikeUrl}/decap/`);
  await page.getByRole('button', { name: /Login with Netlify Identity/i }).click();
  await logInThroughForm(page, editor, PASSWORD);
  // Decap took the user: it asks the git gateway for its settings with the user's token.
  await page.waitForRequest((request) => request.url().includes('/.netlify/git/settings'), { timeout: 15000 });
  await page.waitForTimeout(500);
  assert.deepEqual(seen.requests.filter(isAdminRequest), [], 'no admin request');
  assert.ok(seen.requests.some((r) => r === 'POST /.netlify/identity/token'), 'the login went to GoTrue');
  // The local stack runs no git gateway: Decap's own /.netlify/git requests fail, and Decap
  // says so. Everything else in the console must be quiet.
  const ours = seen.console.filter((m) => (m.type === 'error' || m.type === 'warning')
    && !m.url.includes('/.netlify/git/') && !/Git Gateway/i.test(m.text));
  assert.deepEqual(ours, []);
  await context.close();
});
