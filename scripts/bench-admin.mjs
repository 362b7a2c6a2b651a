// `npm run bench:admin`: user management on the local stack.
// 1. What the identity-admin function adds to an admin call: the median of 41 `GET /admin/users`
//    straight to GoTrue (an admin by GoTrue's group) against the same call through the function
//    (an admin by role: the stack's Netlify emulation verifies the token, the function re-reads
//    the caller's record, then forwards).
// 2. At scale: with 10,000 users (`USERS=n`) on each server, an administrator in Chromium opens
//    the list (its first rows), searches for the oldest user (the server answers on
//    supabase/auth; on netlify/gotrue over MariaDB the widget reads every page), and exports
//    everyone (the download, then the page's JS heap and wasm memory).
// Both tables go to tests/bench-results.md, after `npm run bench`'s (kept).
import { readFileSync, writeFileSync } from 'node:fs';
import { makeAdmin, makeGroupAdmin, startStack } from './stack.mjs';
import { createUser, dialog, logInThroughForm, openPage, seedUsers } from '../tests/e2e/helpers.mjs';
import { launchBrowser, memoryUsed } from '../tests/e2e/browser.mjs';

const RUNS = 41;
const USERS = Number(process.env.USERS || 10000);
const PASSWORD = 'bench admin password 1';
const RESULTS = new URL('../tests/bench-results.md', import.meta.url);
const MARKER = '<!-- npm run bench:admin -->';

async function functionOverhead() {
  const stack = await startStack({ port: Number(process.env.PORT || 8860), freshDatabase: true });
  try {
    const create = (email) => createUser(stack, email, PASSWORD);
    const tokenOf = async (email) => {
      const body = new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD });
      return (await (await fetch(`${stack.apiUrl}/token`, { method: 'POST', body })).json()).access_token;
    };
    await create('group-admin@example.com');
    await makeGroupAdmin(stack, 'group-admin@example.com');
    await create('role-admin@example.com');
    await makeAdmin(stack, 'role-admin@example.com');
    const [groupToken, roleToken] = await Promise.all([tokenOf('group-admin@example.com'), tokenOf('role-admin@example.com')]);
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
      `| straight to GoTrue | ${await median(`${stack.apiUrl}${query}`, groupToken)} |\n` +
      `| through /.netlify/functions/identity-admin | ${await median(`${stack.url}/.netlify/functions/identity-admin${query}`, roleToken)} |`;
  } finally {
    await stack.close();
  }
}

const seconds = (ms) => (ms / 1000).toFixed(2);

/** One server with `USERS` users: the list, a search for the oldest, an export. */
async function atScale(backend, port) {
  const stack = await startStack({ backend, port, freshDatabase: true });
  const browser = await launchBrowser();
  try {
    await seedUsers(stack, USERS, 'scale');
    const admin = 'scale-admin@example.com';
    await createUser(stack, admin, PASSWORD);
    await makeAdmin(stack, admin);
    const page = await openPage(await browser.newContext({ acceptDownloads: true }), stack.url);
    await logInThroughForm(page, admin, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();

    let start = performance.now();
    await dialog(page).getByRole('button', { name: 'Manage users' }).click();
    await dialog(page).locator('table tbody tr').first().waitFor({ timeout: 60000 });
    const firstPage = performance.now() - start;
    await dialog(page).getByText(`Page 1 of ${Math.ceil((USERS + 1) / 25)}`).waitFor({ timeout: 60000 });

    // Newest first, the oldest user is on the last page.
    start = performance.now();
    await dialog(page).getByLabel('Search by email or name').fill('scale-0000@');
    await dialog(page).getByRole('button', { name: 'Search', exact: true }).click();
    await dialog(page).getByRole('button', { name: 'scale-0000@example.com' }).waitFor({ timeout: 120000 });
    await dialog(page).getByText('Page 1 of 1').waitFor({ timeout: 120000 });
    const search = performance.now() - start;
    const pageByPage = await dialog(page).getByText('The server cannot search, so every page was searched here.').count() > 0;

    start = performance.now();
    const download = page.waitForEvent('download', { timeout: 300000 });
    await dialog(page).getByRole('button', { name: 'Export JSON' }).click();
    const file = await download;
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8')).length;
    const exportMs = performance.now() - start;
    const heap = await memoryUsed(await page.context().newCDPSession(page));
    if (exported !== USERS + 1) throw new Error(`bench:admin: the export of ${backend} holds ${exported} users, not ${USERS + 1}`);
    return [
      [`${backend}: the list's first rows`, seconds(firstPage)],
      [`${backend}: a search for the oldest user, ${pageByPage ? 'read page by page by the widget' : 'answered by the server'}`, seconds(search)],
      [`${backend}: an export of all ${exported.toLocaleString('en')} users`, seconds(exportMs)],
      [`${backend}: JS heap and wasm memory after the export (MB)`, (heap / 1e6).toFixed(1)],
    ];
  } finally {
    await browser.close();
    await stack.close();
  }
}

const overhead = await functionOverhead();
console.log(overhead);
const rows = [...await atScale('netlify', 8862), ...await atScale('supabase', 8864)];
const scale = `| with ${USERS.toLocaleString('en')} users | s (MB for memory) |\n|---|---:|\n${rows.map(([what, value]) => `| ${what} | ${value} |`).join('\n')}`;
console.log(scale);

const before = readFileSync(RESULTS, 'utf8');
const kept = before.includes(MARKER) ? before.slice(0, before.indexOf(MARKER)) : `${before.trimEnd()}\n\n`;
writeFileSync(RESULTS, `${kept}${MARKER}\n## User management (\`npm run bench:admin\`, ${new Date().toISOString().slice(0, 10)})\n\nWhat the identity-admin function adds to an admin call:\n\n${overhead}\n\nAt scale, an administrator in Chromium on the local stack:\n\n${scale}\n`);
