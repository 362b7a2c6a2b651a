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
// Both tables go to tests/bench-results.md, after `npm run bench`'s (kept).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { makeAdmin, makeGroupAdmin, startStack } from './stack.mjs';
import { writeAdminReport } from './bench-results.mjs';
import { createUser, dialog, logInThroughForm, openPage, searchUsers, seedUsers, tokensFor } from '../tests/e2e/helpers.mjs';
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

const overhead = await functionOverhead();
console.log(overhead);
const rows = [...await atScale('netlify', 8862), ...await atScale('supabase', 8864)];
const scale = `| server | with ${USERS.toLocaleString("en")} users | measured |\n|---|---|---:|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}`;
console.log(scale);
const browser = await launchBrowser();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${browser.version()} (Chromium, headless)`;
await browser.close();
writeAdminReport(`## User management (\`npm run bench:admin\`, ${new Date().toISOString().slice(0, 10)}; ${machine})

What the identity-admin function adds to an admin call:

${overhead}

At scale, an administrator in Chromium on the local stack (netlify/gotrue over MariaDB, which cannot filter; supabase/auth over PostgreSQL):

${scale}`);
