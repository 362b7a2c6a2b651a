// The user-management screens, driven as an administrator would, against each real server —
// through the identity-admin function the site runs: Netlify's on netlify/gotrue, the
// Web-standard one as a Supabase Edge Function on supabase/auth (the demo page names it).
import { before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { makeAdmin } from '../../scripts/stack.mjs';
import {
  assert, createUser, dialog, eventually, forEachBackend, linkShape, logInThroughForm, openPage, passwordWorks,
  searchUsers, seedUsers, tokensFor, uniqueEmail, waitForMail,
} from './helpers.mjs';

forEachBackend(8981, (env) => {
  const adminEmail = uniqueEmail('ui-admin');
  before(async () => {
    await createUser(env.stack, adminEmail, 'ui admin password 1');
    await makeAdmin(env.stack, adminEmail);
  });

  async function loggedIn(email, password) {
    const context = await env.browser.newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, password);
    await dialog(page).getByText('Logged in as').waitFor();
    return { context, page };
  }

  test('a non-admin sees no management UI, and open("users") explains why', async () => {
    const email = uniqueEmail('ui-plain');
    await createUser(env.stack, email, 'plain password 1');
    const { context, page } = await loggedIn(email, 'plain password 1');
    await dialog(page).getByRole('button', { name: 'Account settings' }).waitFor();
    assert.equal(await dialog(page).getByRole('button', { name: 'Manage users' }).count(), 0);
    await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('users'); });
    await dialog(page).getByText('Only administrators can manage users').waitFor();
    assert.equal(await dialog(page).locator('table').count(), 0);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an admin pages, searches, assigns role chips, deletes with a confirmation, and exports', async () => {
    const target = uniqueEmail('ui-target');
    for (let i = 0; i < 27; i++) await createUser(env.stack, `ui-${i}-${uniqueEmail('p')}`, 'filler password 1');
    await createUser(env.stack, target, 'target password 1', { full_name: 'Target Person' });
    const victim = uniqueEmail('ui-victim');
    await createUser(env.stack, victim, 'victim password 1');
    const { context, page } = await loggedIn(adminEmail, 'ui admin password 1');

    const userCount = (await page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 1 }))).total;
    assert.ok(userCount > 25 && userCount <= 50, `${userCount} users make two pages`);
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    await dialog(page).locator('table tbody tr').first().waitFor();
    assert.equal(await dialog(page).locator('table tbody tr').count(), 25);
    await dialog(page).getByText(`${userCount} users`).waitFor();
    await dialog(page).getByText(/Page 1 of 2/).waitFor();
    await dialog(page).getByRole('button', { name: 'Next page' }).click();
    await dialog(page).getByText(/Page 2 of 2/).waitFor();
    await eventually(async () => (await dialog(page).locator('table tbody tr').count()) === userCount - 25, 'page 2 rows');

    // The server filters (supabase/auth), or the widget reads every page (netlify/gotrue on
    // MariaDB answers a filtered list with 500).
    await dialog(page).getByRole('button', { name: 'Previous page' }).click();
    await searchUsers(page, 'Target Person');
    await dialog(page).locator('table tbody tr').filter({ hasText: target }).waitFor();
    await eventually(async () => (await dialog(page).locator('table tbody tr').count()) === 1, 'one match');

    await dialog(page).getByRole('button', { name: target }).click();
    await dialog(page).getByRole('heading', { name: 'User', exact: true }).waitFor();
    for (const role of ['investigator', 'photographer']) {
      await dialog(page).getByLabel('Add role').fill(role);
      await dialog(page).getByLabel('Add role').press('Enter');
    }
    await dialog(page).getByRole('button', { name: 'Remove role photographer' }).waitFor();
    await dialog(page).getByRole('button', { name: 'Save changes' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    const tokens = await tokensFor(env.stack, target, 'target password 1');
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString());
    assert.deepEqual(claims.app_metadata.roles, ['investigator', 'photographer']);
    // Also where Netlify's role-based redirects read a token that is not Netlify Identity's.
    if (env.backend === 'supabase') assert.deepEqual(claims.app_metadata.authorization.roles, ['investigator', 'photographer']);

    // Delete: a confirmation step that names the email.
    await dialog(page).getByRole('button', { name: 'Back to users' }).click();
    await searchUsers(page, victim);
    await dialog(page).getByRole('button', { name: victim }).click();
    await dialog(page).getByRole('button', { name: 'Delete user' }).click();
    await dialog(page).getByText(`Delete ${victim}? This cannot be undone.`).waitFor();
    await dialog(page).getByRole('button', { name: `Delete ${victim}` }).click();
    await dialog(page).getByRole('status').filter({ hasText: `${victim} was deleted.` }).waitFor();
    assert.equal(await passwordWorks(env.stack, victim, 'victim password 1'), false);

    // Export every page as CSV: the download holds all users.
    const download = page.waitForEvent('download');
    await dialog(page).getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'users.csv');
    const lines = readFileSync(await file.path(), 'utf8').trim().split('\r\n');
    const total = (await page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 1 }))).total;
    assert.equal(lines.length, total + 1);
    assert.ok(lines.some((line) => line.includes(target) && line.includes('investigator;photographer')));
    await dialog(page).getByRole('status').filter({ hasText: `Exported ${total} users.` }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('from the screens: invite with a name and roles, confirm an unconfirmed user, send a reset email', async () => {
    const { context, page } = await loggedIn(adminEmail, 'ui admin password 1');
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    const invitee = uniqueEmail('ui-invitee');
    await dialog(page).getByLabel('Email', { exact: true }).fill(invitee);
    await dialog(page).getByLabel('Name', { exact: true }).fill('Invited From Screen');
    await dialog(page).getByLabel('Roles (comma separated)').fill('editor, reviewer');
    await dialog(page).getByRole('button', { name: 'Send invite' }).click();
    await dialog(page).getByRole('status').filter({ hasText: `Invitation sent to ${invitee}.` }).waitFor();
    const mail = await waitForMail(env.stack, invitee, /invited/i);
    assert.match(mail.link, linkShape(env.backend, 'invite'));
    const invited = (await page.evaluate((email) => netlifyIdentity.currentUser().admin.listUsers({ perPage: 100 })
      .then((r) => r.users.find((u) => u.email === email)), invitee));
    assert.deepEqual(invited.app_metadata.roles, ['editor', 'reviewer']);
    assert.equal(invited.user_metadata.full_name, 'Invited From Screen');

    // An unconfirmed signup: confirm it from its user page, then send it a reset email.
    const pending = uniqueEmail('ui-pending');
    await fetch(`${env.stack.apiUrl}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: pending, password: 'pending password 1' }) });
    assert.equal(await passwordWorks(env.stack, pending, 'pending password 1'), false, 'not confirmed yet');
    await searchUsers(page, pending);
    await dialog(page).locator('table tbody tr').filter({ hasText: 'Not confirmed' }).waitFor();
    await dialog(page).getByRole('button', { name: pending }).click();
    await dialog(page).getByRole('button', { name: 'Confirm this user' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'The user is confirmed.' }).waitFor();
    assert.equal(await passwordWorks(env.stack, pending, 'pending password 1'), true);
    await dialog(page).getByRole('button', { name: 'Send reset password email' }).click();
    await dialog(page).getByRole('status').filter({ hasText: `A reset password email was sent to ${pending}.` }).waitFor();
    const reset = await waitForMail(env.stack, pending, /reset/i);
    assert.match(reset.link, linkShape(env.backend, 'recovery'));
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('1,000 users: the list pages and searches, and a long export shows progress and can be cancelled', async () => {
    await seedUsers(env.stack, 1000, 'seeded');
    const { context, page } = await loggedIn(adminEmail, 'ui admin password 1');
    const total = (await page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 1 }))).total;
    assert.ok(total >= 1000);
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    await dialog(page).getByText(`${total} users`).waitFor();
    await dialog(page).getByText(`Page 1 of ${Math.ceil(total / 25)}`).waitFor();
    assert.equal(await dialog(page).locator('table tbody tr').count(), 25, 'only one page is in the DOM');
    await searchUsers(page, 'seeded-0999');
    await dialog(page).getByRole('button', { name: 'seeded-0999@example.com' }).waitFor();
    // Done searching (on netlify/gotrue the widget reads every page; the rows shown before stay).
    await dialog(page).getByText('Page 1 of 1', { exact: true }).waitFor();

    // Slow every export page after the first by a second, then cancel between pages.
    await page.route('**/admin/users?page=*&per_page=500*', async (route) => {
      if (!route.request().url().includes('page=1&')) await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    await dialog(page).getByRole('button', { name: 'Export JSON' }).click();
    await dialog(page).getByText(/Exporting: page 1 of \d+/).waitFor();
    assert.equal(await dialog(page).locator('progress').count(), 1);
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'Export cancelled.' }).waitFor();
    await page.unroute('**/admin/users?page=*&per_page=500*');

    const download = page.waitForEvent('download');
    await dialog(page).getByRole('button', { name: 'Export JSON' }).click();
    const file = await download;
    const rows = JSON.parse(readFileSync(await file.path(), 'utf8'));
    assert.equal(rows.length, total);
    assert.equal(new Set(rows.map((r) => r.id)).size, total);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('search finds every match: the server where it filters, else every page read here with progress and Cancel; rows open nobody while a page loads', async () => {
    // After the 1,000 seeded by the test before: the oldest is on the last page, newest first.
    const { context, page } = await loggedIn(adminEmail, 'ui admin password 1');
    const lists = [];
    page.on('request', (request) => { if (/\/admin\/users\?/.test(request.url())) lists.push(new URL(request.url()).searchParams); });
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    await dialog(page).locator('table tbody tr').first().waitFor();
    lists.length = 0;
    await searchUsers(page, 'seeded-0000');
    await dialog(page).getByRole('button', { name: 'seeded-0000@example.com' }).waitFor();
    assert.equal(await dialog(page).locator('table tbody tr').count(), 1);
    await dialog(page).getByText('Page 1 of 1', { exact: true }).waitFor();
    const searchedHere = env.backend === 'netlify';
    assert.equal(await dialog(page).getByText('The server cannot search, so every page was searched here.').count(), searchedHere ? 1 : 0);
    // 1,000 seeded and more, 500 a page.
    if (searchedHere) assert.ok(lists.filter((q) => !q.get('filter')).length >= 3, 'every page read, unfiltered');
    else assert.deepEqual(lists.map((q) => q.get('filter')), ['seeded-0000'], 'one filtered request');

    // Matches have pages of their own, and going to one reads nothing again.
    lists.length = 0;
    await searchUsers(page, 'seeded-00');
    await dialog(page).getByText('100 users', { exact: true }).waitFor();
    await dialog(page).getByText('Page 1 of 4', { exact: true }).waitFor();
    const read = lists.length;
    await dialog(page).getByRole('button', { name: 'Next page' }).click();
    await dialog(page).getByText('Page 2 of 4', { exact: true }).waitFor();
    assert.equal(await dialog(page).locator('table tbody tr').count(), 25);
    if (searchedHere) assert.equal(lists.length, read, 'its pages come from the matches found');

    // While the next page loads, a click on a row shown opens nobody.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    // A handler still waiting when its route is removed finds the request handled: fine.
    await page.route('**/admin/users?*', async (route) => { await held; await route.continue().catch(() => {}); });
    const row = dialog(page).locator('table tbody tr button').first();
    await dialog(page).getByRole('button', { name: 'Next page' }).click();
    await dialog(page).getByRole('button', { name: 'Previous page' }).click();
    if (!searchedHere) {
      await row.click();
      assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.page), 'users', 'no user page opened');
    }
    release();
    await page.unroute('**/admin/users?*');

    if (searchedHere) {
      // Reading every page, slowed: progress, then Cancel keeps what the pages read matched.
      await page.route('**/admin/users?page=*&per_page=500*', async (route) => {
        if (!route.request().url().includes('page=1&')) await new Promise((r) => setTimeout(r, 1000));
        await route.continue().catch(() => {});
      });
      await dialog(page).getByLabel('Search by email or name').fill('seeded-0000');
      await dialog(page).getByRole('button', { name: 'Search', exact: true }).click();
      await dialog(page).getByText(/The server cannot search, so every page is searched here: page 1 of \d+/).waitFor();
      const rowWhileSearching = dialog(page).locator('table tbody tr button').first();
      if (await rowWhileSearching.count()) {
        await rowWhileSearching.click();
        assert.equal(await page.evaluate(() => netlifyIdentity.store.modal.page), 'users', 'no user page opened while searching');
      }
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      await dialog(page).getByText(/Search cancelled after page \d+ of \d+: these are the matches found so far\./).waitFor();
      assert.equal(await dialog(page).getByText('No users found.').count(), 0, 'nothing says no user matches');
      await page.unroute('**/admin/users?page=*&per_page=500*');
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  });

});
