// `npm run bench:admin`: user management on the local stack.
// 1. What the identity-admin function adds to an admin call: the median of 41 `GET /admin/users`
//    straight to GoTrue (an admin by GoTrue's group) against the same call through the function
//    (an admin by role: the stack's Netlify emulation verifies the token, the function re-reads
//    the caller's record, then forwards).
// 2. At scale: with 10,000 users (`USERS=n`) on each server, an administrator in Chromium opens
//    the list (its first rows), searches for one address (the oldest user, on the last page
//    newest first): supabase/auth answers it, netlify/gotrue over MariaDB cannot filter so the
//    widget reads every page; then exports everyone (to the download; then the page's JS heap
//    and wasm memory).
// 3. Moving a site: `USERS` users seeded on netlify/gotrue with bcrypt hashes it made, its
//    `users` table read as JSON, imported through the widget and the function into supabase/auth;
//    the tab is closed part way and the import started again in a new one. Times, requests per
//    user, and three users logging in with their old password under their old id.
// The tables go to tests/bench-results.md, after `npm run bench`'s (kept).
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { makeAdmin, makeGroupAdmin, runSql, startStack } from './stack.mjs';
import { writeAdminReport } from './bench-results.mjs';
import { createUser, dialog, logInThroughForm, netlifyUsersTable, openPage, searchUsers, seedUsers, tokensFor } from '../tests/e2e/helpers.mjs';
import { launchBrowser, memoryUsed, trackWasmMemories } from '../tests/e2e/browser.mjs';

const RUNS = 41;
const USERS = Number(process.env.USERS || 10000);
const PASSWORD = 'bench admin password 1';
const step = (what) => process.stderr.write(`bench:admin: ${what}\n`);

async function functionOverhead() {
  const stack = await startStack({ port: 8860, freshDatabase: true });
  try {
    await createUser(stack, 'group-admin@example.com', PASSWORD);
    await makeGroupAdmin(stack, 'group-admin@example.com');
    await createUser(stack, 'role-admin@example.com', PASSWORD);
    await makeAdmin(stack, 'role-admin@example.com');
    const [group, role] = await Promise.all([
      tokensFor(stack, 'group-admin@example.com', PASSWORD),
      tokensFor(stack, 'role-admin@example.com', PASSWORD),
    ]);
    const median = async (url, token) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await response.text();
        if (response.status !== 200) throw new Error(`bench:admin: ${url} answered ${response.status}`);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[RUNS >> 1].toFixed(1);
    };
    const query = '/admin/users?page=1&per_page=25';
    return `| path | median of ${RUNS} (ms) |\n|---|---:|\n` +
      `| straight to GoTrue | ${await median(`${stack.apiUrl}${query}`, group.access_token)} |\n` +
      `| through /.netlify/functions/identity-admin | ${await median(`${stack.url}/.netlify/functions/identity-admin${query}`, role.access_token)} |`;
  } finally {
    await stack.close();
  }
}

const seconds = (ms) => (ms / 1000).toFixed(2);

/** One server with `USERS` seeded users and an administrator: the list, a search, an export. */
async function atScale(backend, port) {
  const stack = await startStack({ backend, port, freshDatabase: true });
  const browser = await launchBrowser();
  try {
    step(`${backend}: seeding ${USERS} users`);
    await seedUsers(stack, USERS, 'scale');
    const admin = 'scale-admin@example.com';
    await createUser(stack, admin, PASSWORD);
    await makeAdmin(stack, admin);
    const everyone = USERS + 1;
    const context = await browser.newContext({ acceptDownloads: true });
    await trackWasmMemories(context);
    const page = await openPage(context, stack.url);
    await logInThroughForm(page, admin, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();

    step(`${backend}: the list`);
    let start = performance.now();
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    await dialog(page).locator('table tbody tr').first().waitFor({ timeout: 60000 });
    const firstRows = performance.now() - start;
    await dialog(page).getByText(`Page 1 of ${Math.ceil(everyone / 25)}`, { exact: true }).waitFor();

    step(`${backend}: a search`);
    const oldest = 'scale-0000@example.com';
    start = performance.now();
    await searchUsers(page, oldest);
    await dialog(page).getByRole('button', { name: oldest }).waitFor({ timeout: 120000 });
    const search = performance.now() - start;
    if (await dialog(page).locator('table tbody tr').count() !== 1) throw new Error(`bench:admin: the search on ${backend} found more than ${oldest}`);
    const pageByPage = await dialog(page).getByText('The server cannot search, so every page was searched here.').count() === 1;

    step(`${backend}: an export`);
    start = performance.now();
    const download = page.waitForEvent('download', { timeout: 300000 });
    await dialog(page).getByRole('button', { name: 'Export JSON' }).click();
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')).length;
    const exportMs = performance.now() - start;
    if (exported !== everyone) throw new Error(`bench:admin: the export of ${backend} holds ${exported} users, not ${everyone}`);
    const memory = await memoryUsed(await context.newCDPSession(page));
    return [
      [backend, 'the list\'s first rows (s)', seconds(firstRows)],
      [backend, `a search for one address, ${pageByPage ? 'every page read by the widget' : 'answered by the server'} (s)`, seconds(search)],
      [backend, `an export of all ${exported.toLocaleString('en')} users, to the download (s)`, seconds(exportMs)],
      [backend, 'then the JS heap (MB)', (memory.jsHeap / 1e6).toFixed(1)],
      [backend, 'then the wasm memory (MB)', (memory.wasm / 1e6).toFixed(1)],
    ];
  } finally {
    await browser.close();
    await stack.close();
  }
}

/** An administrator of `stack` in a new tab of `browser`, on the users page. */
async function adminPage(browser, stack) {
  const admin = 'scale-admin@example.com';
  await createUser(stack, admin, PASSWORD).catch(() => {});
  await makeAdmin(stack, admin);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await openPage(context, stack.url);
  await logInThroughForm(page, admin, PASSWORD);
  await dialog(page).getByRole('button', { name: 'Manage users' }).click();
  await dialog(page).locator('table tbody tr').first().waitFor({ timeout: 60000 });
  await dialog(page).getByRole('button', { name: 'Import users' }).click();
  return page;
}

/** Moves `USERS` users from netlify/gotrue to supabase/auth through the widget, interrupted once. */
async function moveAtScale() {
  const source = await startStack({ backend: 'netlify', port: 8866, freshDatabase: true });
  const target = await startStack({ backend: 'supabase', port: 8868, freshDatabase: true });
  const browser = await launchBrowser();
  try {
    // 50 users made through the admin API: their hashes are netlify/gotrue's own (bcrypt, cost
    // 10); seeded user i shares user i % 50's hash and so its password.
    step(`move: ${USERS} users with bcrypt hashes on netlify/gotrue`);
    const hashes = [];
    for (let k = 0; k < 50; k++) await createUser(source, `hash-${k}@example.com`, `moved password ${k}`);
    const hashRows = await runSql("SELECT email, encrypted_password FROM users WHERE email LIKE 'hash-%';", source.database);
    for (const line of hashRows.trim().split('\n')) {
      const [email, hash] = line.split('\t');
      hashes[Number(/hash-(\d+)@/.exec(email)[1])] = hash;
    }
    await runSql("DELETE FROM users WHERE email LIKE 'hash-%';", source.database);
    await seedUsers(source, USERS, 'moved', { passwordHash: (i) => hashes[i % 50] });
    const table = await netlifyUsersTable(source);
    const file = join(tmpdir(), `users-table-${Date.now()}.json`);
    writeFileSync(file, table.json);
    const rows = JSON.parse(table.json);

    let requests = 0;
    const count = (page) => page.on('request', (r) => { if (r.url().includes('/identity-admin/admin/users')) requests++; });
    const importFile = async (page) => {
      await dialog(page).getByLabel('File (JSON, NDJSON or CSV)').setInputFiles(file);
      await dialog(page).getByText(`${rows.length} users to import.`).waitFor({ timeout: 60000 });
      await dialog(page).getByRole('button', { name: 'Start the import' }).click();
    };

    step('move: the import, closed part way');
    let page = await adminPage(browser, target);
    count(page);
    let start = performance.now();
    await importFile(page);
    const stopAt = Math.floor(rows.length * 0.3);
    await page.waitForFunction((at) => Number(document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('.gw-import progress')?.value) >= at, stopAt, { timeout: 1800000, polling: 50 });
    const firstPart = performance.now() - start;
    await page.context().close();
    const createdBefore = requests;

    step('move: started again in a new tab');
    page = await adminPage(browser, target);
    count(page);
    start = performance.now();
    await importFile(page);
    const done = dialog(page).getByText(/^Created \d+, skipped \d+ \(already here\), failed \d+\.$/);
    await done.waitFor({ timeout: 1800000 });
    const secondPart = performance.now() - start;
    const [created, skipped, failed] = (await done.textContent()).match(/\d+/g).map(Number);
    if (failed !== 0 || created + skipped !== rows.length) throw new Error(`bench:admin: the resumed import says ${await done.textContent()}`);
    const total = await page.evaluate(() => netlifyIdentity.currentUser().admin.listUsers({ perPage: 1 }).then((r) => r.total));
    if (total !== rows.length + 1) throw new Error(`bench:admin: supabase/auth holds ${total} users, not ${rows.length + 1}: someone was created twice or not at all`);
    for (const i of [0, Math.floor(rows.length / 2), rows.length - 1]) {
      const row = rows.find((r) => r.email === `moved-${String(i).padStart(4, '0')}@example.com`);
      const tokens = await tokensFor(target, row.email, `moved password ${i % 50}`);
      const sub = tokens.access_token && JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url')).sub;
      if (sub !== row.id) throw new Error(`bench:admin: ${row.email} did not log in with the password it had under its id (${tokens.status})`);
    }
    const mails = target.messages.filter((m) => m.to.startsWith('moved-')).length;
    if (mails !== 0) throw new Error(`bench:admin: ${mails} moved users were mailed`);
    return [
      ['the first run, to its 30 % when the tab is closed (s)', seconds(firstPart)],
      [`the second run, in a new tab: created ${created.toLocaleString('en')}, skipped ${skipped.toLocaleString('en')} (s)`, seconds(secondPart)],
      ['both (s)', seconds(firstPart + secondPart)],
      ['admin requests per user (create; a skipped user: create, then its id read)', (requests / rows.length).toFixed(2)],
      ['requests per user of the first run', (createdBefore / stopAt).toFixed(2)],
      ['mails to moved users', String(mails)],
    ];
  } finally {
    await browser.close();
    await source.close();
    await target.close();
  }
}

// `PARTS=move` (or `overhead,scale`) runs only those and prints them, writing nothing.
const parts = (process.env.PARTS || 'overhead,scale,move').split(',');
const table = (heading, rows) => `${heading}\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}`;
const overhead = parts.includes('overhead') ? await functionOverhead() : '';
console.log(overhead);
const scale = parts.includes('scale')
  ? table(`| server | with ${USERS.toLocaleString('en')} users | measured |\n|---|---|---:|`, [...await atScale('netlify', 8862), ...await atScale('supabase', 8864)])
  : '';
console.log(scale);
const move = parts.includes('move')
  ? table(`| moving ${USERS.toLocaleString('en')} users, netlify/gotrue's table into supabase/auth | measured |\n|---|---:|`, await moveAtScale())
  : '';
console.log(move);
if (!process.env.PARTS) {
  const browser = await launchBrowser();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${browser.version()} (Chromium, headless)`;
  await browser.close();
  writeAdminReport(`## User management (\`npm run bench:admin\`, ${new Date().toISOString().slice(0, 10)}; ${machine})

What the identity-admin function adds to an admin call:

${overhead}

At scale, an administrator in Chromium on the local stack (netlify/gotrue over MariaDB, which cannot filter; supabase/auth over PostgreSQL):

${scale}

Moving a site, through the widget and the function; every moved user logs in with the password they had, under the same id (three checked), and none is mailed:

${move}`);
}
