// Issues 16 and 25: moving a site's users off Netlify Identity. Users with names, roles and one
// unconfirmed are made on the netlify/gotrue stack, exported through the widget, imported
// through the widget into the supabase/auth stack (through its identity-admin function); one of
// them sets a password from the emailed link and logs in with the same name and roles; the same
// file imported again creates nobody. A bad file names its row; the page's API imports too.
// Then the `users` table itself, as JSON and as CSV: every user keeps id and password; and the
// files of Auth0's bulk import made from it, checked against Auth0's published schema.
import { after, before, test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAdmin } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, eventually, logInThroughForm, netlifyUsersTable, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

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

const FILE_LABEL = 'File (JSON, NDJSON or CSV)';
const LINKS_LABEL = 'Email each new user who has no password here a link to set one';

async function openImport(page) {
  await dialog(page).getByRole('button', { name: 'Import users' }).click();
  await dialog(page).getByLabel(FILE_LABEL).waitFor();
}

/** `text` written to a file of the temp directory: a file an administrator picks. */
function tempFile(name, text) {
  const path = join(tmpdir(), `${name}-${Date.now()}`);
  writeFileSync(path, text);
  return path;
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
  await dialog(target.page).getByLabel(FILE_LABEL).setInputFiles(file);
  await dialog(target.page).getByText(`${total} users to import.`).waitFor();
  assert.equal(await dialog(target.page).getByLabel(LINKS_LABEL).isChecked(), true);
  await dialog(target.page).getByRole('button', { name: 'Start the import' }).click();
  await dialog(target.page).locator('progress').waitFor();
  await dialog(target.page).getByText(/The server's mail limit was reached: trying again in \d+ s\./).waitFor();
  await dialog(target.page).getByText(`Created ${total}, skipped 0 (already here), failed 0.`).waitFor({ timeout: 90_000 });
  const report = target.page.waitForEvent('download');
  await dialog(target.page).getByRole('button', { name: 'Download the report' }).click();
  const lines = readFileSync(await (await report).path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'row,email,outcome,password,link_sent,reason');
  assert.equal(lines.filter((line) => line.includes(',created,,yes,')).length, total, 'every new user was sent a link');

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
  await dialog(target.page).getByLabel(FILE_LABEL).setInputFiles(file);
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
  const input = dialog(page).getByLabel(FILE_LABEL);
  const refused = 'This file is not a list of users. Choose the file an export wrote, or the users table as JSON, NDJSON (a user per line) or CSV with a header row.';
  const oneUser = tempFile('one', '[{"email":"x@example.com"}]');
  for (const [name, text] of [['tsv', 'id\temail\n1\tx@example.com'], ['object', '{"users":[]}'], ['csv-without-email', 'name,mail\r\nX,x@example.com']]) {
    // After a file that reads, so that each refusal is this file's.
    await input.setInputFiles(oneUser);
    await dialog(page).getByText('1 users to import.').waitFor();
    await input.setInputFiles(tempFile(name, text));
    await dialog(page).getByRole('alert').filter({ hasText: refused }).waitFor();
  }
  const good = uniqueEmail('rowed');
  await input.setInputFiles(tempFile('rows', JSON.stringify([{ email: good, name: 'Good Row', roles: [] }, { name: 'No Address' }, 7, { id: '7', email: 'seven@example.com' }, { email: 'md5@example.com', encrypted_password: '5f4dcc3b5aa765d61d8327deb882cf99' }])));
  await dialog(page).getByText('1 users to import.').waitFor();
  await dialog(page).getByText('Row 2 has no email address: it is left out.').waitFor();
  await dialog(page).getByText('Row 3 is not a user: it is left out.').waitFor();
  await dialog(page).getByText('Row 4 (seven@example.com): its id is not a UUID, so it is left out.').waitFor();
  await dialog(page).getByText('Row 5 (md5@example.com): its password hash is neither bcrypt nor argon2, so it is left out.').waitFor();

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

/** netlify/gotrue's `/verify` with `body` and the `tokenName` token of `email`'s `subject` mail. */
async function verifyFromMail(stack, email, subject, tokenName, body) {
  const { link } = await waitForMail(stack, email, subject);
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get(tokenName);
  const response = await fetch(`${stack.apiUrl}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, token }) });
  assert.equal(response.status, 200, `verify ${tokenName} of ${email}: ${await response.clone().text()}`);
  return response.json();
}

test('the users table moves whole: every user logs in on supabase/auth with the password they had, under the same id, with no email', { timeout: 180_000 }, async () => {
  const api = netlify.stack.apiUrl;
  const operator = { authorization: `Bearer ${netlify.stack.operatorToken}`, 'content-type': 'application/json' };
  const post = (path, body, headers = { 'content-type': 'application/json' }) => fetch(`${api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  // On Netlify Identity, passwords set every way there is.
  const people = {
    signedUp: { email: uniqueEmail('signed'), password: 'signed up password 1', name: 'Sig Nup' },
    recovered: { email: uniqueEmail('recovered'), password: 'recovered password 1' },
    invited: { email: uniqueEmail('invited'), password: 'invited password 1' },
    editor: { email: uniqueEmail('editor'), password: 'editor password 1', name: 'Ed Itor', roles: ['editor', 'reviewer'] },
    pending: { email: uniqueEmail('pending'), password: 'pending password 1' },
  };
  await post('/signup', { email: people.signedUp.email, password: people.signedUp.password, data: { full_name: people.signedUp.name } });
  await verifyFromMail(netlify.stack, people.signedUp.email, /confirm/i, 'confirmation_token', { type: 'signup' });
  await createUser(netlify.stack, people.recovered.email, 'a password forgotten 1');
  await post('/recover', { email: people.recovered.email });
  const recovery = await verifyFromMail(netlify.stack, people.recovered.email, /reset/i, 'recovery_token', { type: 'recovery' });
  await fetch(`${api}/user`, { method: 'PUT', headers: { authorization: `Bearer ${recovery.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ password: people.recovered.password }) });
  await post('/invite', { email: people.invited.email }, operator);
  await verifyFromMail(netlify.stack, people.invited.email, /invited/i, 'invite_token', { type: 'signup', password: people.invited.password });
  const editor = await createUser(netlify.stack, people.editor.email, people.editor.password, { full_name: people.editor.name });
  await fetch(`${api}/admin/users/${editor.id}`, { method: 'PUT', headers: operator, body: JSON.stringify({ app_metadata: { roles: people.editor.roles } }) });
  await post('/signup', { email: people.pending.email, password: people.pending.password });
  // Invited, never accepted: no password to keep. Already on the new site under another id.
  const neverAccepted = uniqueEmail('never-accepted');
  await post('/invite', { email: neverAccepted }, operator);
  const taken = uniqueEmail('taken');
  await createUser(netlify.stack, taken, 'taken password 1');
  await createUser(supabase.stack, taken, 'taken password 2');

  const table = await netlifyUsersTable(netlify.stack, [...Object.values(people).map((p) => p.email), neverAccepted, taken]);
  const rows = JSON.parse(table.json);
  const idOf = Object.fromEntries(rows.map((row) => [row.email, row.id]));
  assert.match(rows.find((row) => row.email === people.editor.email).encrypted_password, /^\$2a\$10\$/, 'GoTrue keeps bcrypt hashes');

  const { context, page } = await usersPage(supabase);
  await openImport(page);
  await dialog(page).getByLabel(FILE_LABEL).setInputFiles(tempFile('users.json', table.json));
  await dialog(page).getByText(`${rows.length} users to import. ${rows.length - 1} of them keep their password and id: no email goes to them.`).waitFor();
  await dialog(page).getByRole('button', { name: 'Start the import' }).click();
  await dialog(page).getByText(`Created ${rows.length - 1}, skipped 0 (already here), failed 1.`).waitFor({ timeout: 60_000 });
  const reportFile = page.waitForEvent('download');
  await dialog(page).getByRole('button', { name: 'Download the report' }).click();
  const report = readFileSync(await (await reportFile).path(), 'utf8').trim().split('\r\n');
  const lineOf = (email) => report.find((line) => line.split(',')[1] === email);
  for (const person of Object.values(people)) assert.match(lineOf(person.email), /,created,kept,,$/, person.email);
  assert.match(lineOf(neverAccepted), /,created,,yes,$/);
  assert.match(lineOf(taken), /,failed,,,this address is here under another id$/);
  await waitForMail(supabase.stack, neverAccepted, /reset/i);
  // (The test before may still have a link of its own on its way: only this test's addresses count.)
  const ours = [...Object.values(people).map((p) => p.email), neverAccepted, taken];
  const mailedHere = () => supabase.stack.messages.filter((m) => ours.includes(m.to)).map((m) => m.to);
  assert.deepEqual(mailedHere(), [neverAccepted], 'only the user without a password was mailed');

  // The same table as CSV: nobody is created twice.
  await dialog(page).getByLabel(FILE_LABEL).setInputFiles(tempFile('users.csv', table.csv));
  await dialog(page).getByText(`${rows.length} users to import.`).waitFor();
  await dialog(page).getByRole('button', { name: 'Start the import' }).click();
  await dialog(page).getByText(`Created 0, skipped ${rows.length - 1} (already here), failed 1.`).waitFor({ timeout: 60_000 });
  assert.deepEqual(page.errors, []);
  await context.close();

  // On the new site, in the browser: each logs in with the password they had, and is themself.
  for (const person of Object.values(people)) {
    const visitor = await openPage(await supabase.browser.newContext(), supabase.stack.url);
    if (person === people.pending) {
      await logInThroughForm(visitor, person.email, person.password);
      await dialog(visitor).getByRole('alert').filter({ hasText: 'Your email address is not confirmed yet.' }).waitFor();
    } else {
      await logInThroughForm(visitor, person.email, person.password);
      await dialog(visitor).getByText('Logged in as').waitFor();
      const me = await visitor.evaluate(() => {
        const user = netlifyIdentity.currentUser();
        // What Netlify's role-based redirects read: the nf_jwt cookie, holding the new token.
        const cookie = document.cookie.split('; ').find((c) => c.startsWith('nf_jwt='))?.slice('nf_jwt='.length);
        const claims = JSON.parse(atob(cookie.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
        return {
          id: user.id, sub: claims.sub, name: user.user_metadata.full_name, roles: user.app_metadata.roles,
          cookieIsToken: cookie === user.token.access_token, tokenRoles: claims.app_metadata.roles, netlifyRoles: claims.app_metadata.authorization.roles,
        };
      });
      const roles = person.roles ?? [];
      assert.deepEqual(me, { id: idOf[person.email], sub: idOf[person.email], name: person.name, roles, cookieIsToken: true, tokenRoles: roles, netlifyRoles: roles }, person.email);
    }
    assert.deepEqual(visitor.errors, []);
    await visitor.context().close();
  }
  assert.deepEqual(mailedHere(), [neverAccepted], 'still no mail but the one link');
});

test('the same file, for Auth0: files of its bulk import that its published schema accepts, 500 KB at most each, every user once', async () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const valid = ajv.compile(JSON.parse(readFileSync(new URL('../fixtures/auth0-user-schema.json', import.meta.url), 'utf8')));
  // A table large enough to need two files: bcrypt and argon2 hashes, names, roles, metadata.
  const bcrypt = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
  const argon2 = '$argon2id$v=19$m=65536,t=2,p=1$J6Q/82PCyaNpYKRELJyTZg$m04qUAB8rexWDR4+/0f+SFB+4XMFxt7YAvAq2UycYos';
  const rows = Array.from({ length: 1200 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    email: `auth0-${i}@example.com`,
    encrypted_password: i % 100 === 7 ? argon2 : i % 50 === 3 ? '' : bcrypt,
    confirmed_at: i % 3 ? '2026-01-01 10:00:00' : null,
    raw_user_meta_data: JSON.stringify({ full_name: `Person ${i}`, bio: 'b'.repeat(200) }),
    raw_app_meta_data: JSON.stringify({ provider: 'email', roles: i % 2 ? ['editor'] : [], created_at: 'not for Auth0' }),
  }));
  const { context, page } = await usersPage(netlify);
  await openImport(page);
  await dialog(page).getByLabel(FILE_LABEL).setInputFiles(tempFile('table.json', JSON.stringify(rows)));
  await dialog(page).getByText(`${rows.length} users to import.`).waitFor();
  await dialog(page).getByRole('button', { name: "Files for Auth0's bulk import" }).click();
  const buttons = dialog(page).getByRole('button', { name: /^Download auth0-users-\d+\.json \(\d+ users\)$/ });
  await buttons.first().waitFor();
  const count = await buttons.count();
  assert.ok(count >= 2, `${count} files: the table needs more than one`);
  const seen = new Map();
  for (let i = 0; i < count; i++) {
    const download = page.waitForEvent('download');
    await buttons.nth(i).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), `auth0-users-${i + 1}.json`);
    const bytes = readFileSync(await file.path());
    assert.ok(bytes.length <= 500_000, `file ${i + 1}: ${bytes.length} B`);
    const users = JSON.parse(bytes.toString('utf8'));
    assert.match(await buttons.nth(i).textContent(), new RegExp(`\\(${users.length} users\\)`));
    for (const user of users) {
      assert.ok(valid(user), `${user.email}: ${ajv.errorsText(valid.errors)}`);
      assert.ok(!seen.has(user.email), `${user.email} once`);
      seen.set(user.email, user);
    }
  }
  assert.equal(seen.size, rows.length, 'every user');
  for (const row of rows) {
    const user = seen.get(row.email);
    assert.equal(user.user_id, row.id);
    assert.equal(user.email_verified, Boolean(row.confirmed_at));
    assert.equal(user.name, JSON.parse(row.raw_user_meta_data).full_name);
    const roles = JSON.parse(row.raw_app_meta_data).roles;
    assert.deepEqual([user.app_metadata.roles, user.app_metadata.authorization.roles], [roles, roles]);
    if (row.encrypted_password === bcrypt) assert.match(user.password_hash, /^\$2[ab]\$10\$/, 'bcrypt as Auth0 takes it');
    else if (row.encrypted_password === argon2) assert.deepEqual(user.custom_password_hash, { algorithm: 'argon2', hash: { value: argon2, encoding: 'utf8' } });
    else assert.equal(user.password_hash ?? user.custom_password_hash, undefined, 'no password to bring');
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});
