// Issue 16: moving a site's users off Netlify Identity. Users with names, roles and one
// unconfirmed are made on the netlify/gotrue stack, exported through the widget, imported
// through the widget into the supabase/auth stack (through its identity-admin function); one of
// them sets a password from the emailed link and logs in with the same name and roles; the same
// file imported again creates nobody. A bad file names its row; the page's API imports too.
import { after, before, test } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAdmin } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

const PASSWORD = 'migration password 1';
let netlify;
let supabase;
before(async () => {
  netlify = await setUp({ port: 9025 });
  supabase = await setUp({ port: 9026, backend: 'supabase' });
});
after(async () => {
  await netlify?.tearDown();
  await supabase?.tearDown();
});

/** An administrator of `env`'s site, logged in, on the users page. */
async function usersPage(env) {
  const email = uniqueEmail('migration-admin');
  await createUser(env.stack, email, PASSWORD);
  await makeAdmin(env.stack, email);
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await dialog(page).locator('table tbody tr').first().waitFor();
  return { context, page };
}

async function openImport(page) {
  await dialog(page).getByRole('button', { name: 'Import users' }).click();
  await dialog(page).getByLabel('JSON file').waitFor();
}

test('netlify export → supabase import: names, roles and confirmation kept, a set-password link each, paced; a second run creates nobody', { timeout: 180_000 }, async () => {
  // On Netlify Identity: two confirmed users with names and roles, one who never confirmed.
  const ann = uniqueEmail('ann');
  const bob = uniqueEmail('bob');
  const carl = uniqueEmail('carl');
  const made = await createUser(netlify.stack, ann, 'netlify password 1', { full_name: 'Ann Lovelace' });
  await fetch(`${netlify.stack.apiUrl}/admin/users/${made.id}`, { method: 'PUT', headers: { authorization: `Bearer ${netlify.stack.operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ app_metadata: { roles: ['editor'] } }) });
  await createUser(netlify.stack, bob, 'netlify password 2', { full_name: 'Bob Babbage' });
  await fetch(`${netlify.stack.apiUrl}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: carl, password: 'netlify password 3', data: { full_name: 'Carl Unconfirmed' } }) });

  // Exported through the widget there.
  const source = await usersPage(netlify);
  const download = source.page.waitForEvent('download');
  await dialog(source.page).getByRole('button', { name: 'Export JSON' }).click();
  // Kept beside the test: the browser's copy goes with its context.
  const file = join(tmpdir(), `netlify-export-${Date.now()}.json`);
  await (await download).saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  const total = exported.length;
  assert.ok(exported.some((row) => row.email === carl && !row.confirmed_at), 'the export says who never confirmed');
  await source.context.close();

  // Imported through the widget on Supabase; the server's mail limit is met once, and waited out.
  const target = await usersPage(supabase);
  let limited = 0;
  await target.page.route('**/functions/v1/identity-admin/recover', async (route) => {
    if (limited++ === 0) return route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ code: 429, error_code: 'over_email_send_rate_limit', msg: 'email rate limit exceeded' }) });
    return route.continue();
  });
  await openImport(target.page);
  await dialog(target.page).getByLabel('JSON file').setInputFiles(file);
  await dialog(target.page).getByText(`${total} users to import.`).waitFor();
  assert.equal(await dialog(target.page).getByLabel('Email each new user a link to set a password').isChecked(), true);
  await dialog(target.page).getByRole('button', { name: 'Start the import' }).click();
  await dialog(target.page).locator('progress').waitFor();
  await dialog(target.page).getByText(/The server's mail limit was reached: trying again in \d+ s\./).waitFor();
  await dialog(target.page).getByText(`Created ${total}, skipped 0 (already here), failed 0.`).waitFor({ timeout: 90_000 });
  const report = target.page.waitForEvent('download');
  await dialog(target.page).getByRole('button', { name: 'Download the report' }).click();
  const lines = readFileSync(await (await report).path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'row,email,outcome,link_sent,reason');
  assert.equal(lines.filter((line) => line.includes(',created,yes,')).length, total, 'every new user was sent a link');

  // As they were: Carl still unconfirmed, Ann's name and roles.
  const listed = await target.page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 100 }));
  const byEmail = Object.fromEntries(listed.users.map((u) => [u.email, u]));
  assert.equal(byEmail[carl].email_confirmed_at ?? null, null, 'Carl never confirmed');
  assert.ok(byEmail[ann].email_confirmed_at, 'Ann confirmed');
  assert.deepEqual(byEmail[ann].app_metadata.roles, ['editor']);

  // Ann sets a password from her email and is herself, with her roles.
  const mail = await waitForMail(supabase.stack, ann, /reset/i);
  const linked = await openPage(await supabase.browser.newContext(), mail.link);
  await dialog(linked).getByLabel('New password').fill('supabase password 1');
  await dialog(linked).getByRole('button', { name: 'Update password' }).click();
  await dialog(linked).getByText('Logged in as').waitFor();
  const me = await linked.evaluate(() => netlifyIdentity.currentUser());
  assert.equal(me.user_metadata.full_name, 'Ann Lovelace');
  assert.deepEqual(me.app_metadata.roles, ['editor']);
  await linked.context().close();

  // The same file again: nobody is created twice.
  await target.page.unroute('**/functions/v1/identity-admin/recover');
  await dialog(target.page).getByLabel('JSON file').setInputFiles(file);
  await dialog(target.page).getByRole('button', { name: 'Start the import' }).click();
  await dialog(target.page).getByText(`Created 0, skipped ${total} (already here), failed 0.`).waitFor({ timeout: 60_000 });
  const after = await target.page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 1 }));
  assert.equal(after.total, listed.total, 'no new users');
  assert.deepEqual(target.page.errors, []);
  await target.context.close();
});

test('a bad file says what is wrong, naming the row; the page API imports with progress callbacks', async () => {
  const { context, page } = await usersPage(supabase);
  await openImport(page);
  const input = dialog(page).getByLabel('JSON file');
  const write = (name, text) => { const path = join(tmpdir(), `${name}-${Date.now()}.json`); writeFileSync(path, text); return path; };
  await input.setInputFiles(write('csv', 'email,name\r\nx@example.com,X'));
  await dialog(page).getByRole('alert').filter({ hasText: 'This file is not JSON. Choose the .json file an export wrote.' }).waitFor();
  await input.setInputFiles(write('object', '{"users":[]}'));
  await dialog(page).getByRole('alert').filter({ hasText: 'This file is not a list of users.' }).waitFor();
  const good = uniqueEmail('rowed');
  await input.setInputFiles(write('rows', JSON.stringify([{ email: good, name: 'Good Row', roles: [] }, { name: 'No Address' }, 7])));
  await dialog(page).getByText('1 users to import.').waitFor();
  await dialog(page).getByText('Row 2 has no email address: it is left out.').waitFor();
  await dialog(page).getByText('Row 3 is not a user: it is left out.').waitFor();

  // The same from code, with progress callbacks, no mails unless asked.
  const viaApi = uniqueEmail('api');
  const result = await page.evaluate((email) => {
    const seen = [];
    return netlifyIdentity.currentUser().admin.importUsers([{ email, name: 'From Code', roles: ['reader'], confirmed_at: '2026-01-01T00:00:00Z' }, { name: 'nobody' }], {
      onProgress: (p) => seen.push(p),
    }).then((report) => ({ report, seen }));
  }, viaApi);
  assert.deepEqual([result.report.created, result.report.skipped, result.report.failed], [1, 0, 1]);
  assert.deepEqual(result.report.rows.map((r) => [r.row, r.outcome]), [[1, 'created'], [2, 'failed']]);
  assert.equal(result.report.rows[1].reason, 'no email address');
  assert.deepEqual(result.seen, [{ done: 0, total: 1 }]);
  assert.equal(supabase.stack.messages.some((m) => m.to === viaApi), false, 'no mail without sendLinks');
  const again = await page.evaluate((email) => netlifyIdentity.currentUser().admin.importUsers([{ email }]), viaApi);
  assert.equal(again.skipped, 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});
