// Shared by the e2e tests: one stack and one browser per test file, plus small page objects.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { after, before, describe } from 'node:test';
import { TYPES, runSql, startStack } from '../../scripts/stack.mjs';
import { runPostgres } from '../../scripts/supabase.mjs';
import { launchBrowser } from './browser.mjs';

export { assert };

/** Answers with `build/<file>` as the stack serves `/build/`: for a route that serves the build elsewhere. */
export function serveBuilt(res, file) {
  res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(readFileSync(new URL(`../../build/${file}`, import.meta.url)));
}

/** A stack with an empty database of its own, and a browser. */
export async function setUp(options) {
  const stack = await startStack({ freshDatabase: true, ...options });
  const browser = await launchBrowser();
  return { stack, browser, async tearDown() { await browser.close(); await stack.close(); } };
}

// The servers a parametrised test file runs against (BACKENDS=netlify or =supabase for one),
// and the port offset of the supabase stack: each file's ports stay its own.
export const BACKENDS = (process.env.BACKENDS ?? 'netlify,supabase').split(',').filter(Boolean);
const SUPABASE_PORT_OFFSET = 300;

/**
 * Runs `define(env)` once per backend, each in a `describe` named after it with its own stack
 * and browser (`env.stack`, `env.browser`, filled in before its tests run). `port` is the
 * netlify stack's; supabase's is 300 above.
 */
export function forEachBackend(port, define, options = {}) {
  for (const backend of BACKENDS) {
    describe(backend, () => {
      const env = { backend };
      before(async () => {
        Object.assign(env, await setUp({ ...options, backend, port: backend === 'supabase' ? port + SUPABASE_PORT_OFFSET : port }));
      });
      after(async () => { await env.tearDown?.(); });
      define(env);
    });
  }
}

export function uniqueEmail(label) {
  return `${label}-${randomBytes(4).toString('hex')}@example.com`;
}

/**
 * What an emailed link of `kind` (signup, recovery, invite, email_change) looks like: netlify/
 * gotrue's carry a token in the site's fragment, supabase/auth's go through its /verify.
 */
export function linkShape(backend, kind) {
  return backend === 'supabase'
    ? new RegExp(`/\\.netlify/identity/verify\\?token=\\w+&type=${kind}&redirect_to=`)
    : new RegExp(`#${kind === 'signup' ? 'confirmation' : kind}_token=`);
}

/** Polls until `check` returns a truthy value. */
export async function eventually(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** The newest email to `to` whose subject matches, and its first link. */
export async function waitForMail(stack, to, subject) {
  const mail = await eventually(() => stack.messages.find((m) => m.to === to && subject.test(m.subject)), `mail "${subject}" to ${to}`);
  assert.ok(mail.links.length > 0, 'the email has a link');
  return { ...mail, link: mail.links[0] };
}

/** Creates a confirmed user through the admin API (netlify's operator token, supabase's service_role). */
export async function createUser(stack, email, password, userMetadata = {}) {
  const confirmed = stack.backend === 'supabase' ? { email_confirm: true } : { confirm: true };
  const response = await fetch(`${stack.apiUrl}/admin/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...confirmed, user_metadata: userMetadata }),
  });
  assert.equal(response.status, 200, `admin create user: ${await response.clone().text()}`);
  return response.json();
}

/**
 * Inserts `count` confirmed users straight into the stack's database, as the server stores them
 * (no password: they only need to exist), each a second newer than the one before. Much faster
 * than the admin API, whose bcrypt hashing would take half a minute for a thousand users. Token
 * columns are empty strings: neither server can read NULL there. `passwordHash(i)`, if given,
 * is user i's `encrypted_password` (a bcrypt hash the server made, reused: hashing 10,000 would
 * take ten minutes).
 */
export async function seedUsers(stack, count, prefix, { passwordHash = () => '' } = {}) {
  const rows = [];
  const supabase = stack.backend === 'supabase';
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(4, '0');
    const email = `'${prefix}-${n}@example.com'`;
    const metadata = `'{"full_name":"Seeded ${n}"}'`;
    const hash = `'${passwordHash(i)}'`;
    rows.push(supabase
      ? `('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', ${email}, ${hash}, now(), '{"provider":"email","providers":["email"]}', ${metadata}, now() + interval '${i} second', now(), '', '', '', '')`
      : `('00000000-0000-0000-0000-000000000000', UUID(), '', '', ${email}, ${hash}, NOW(), '{"provider":"email"}', ${metadata}, NOW() + INTERVAL ${i} SECOND, NOW(), '', '', '', '', 0)`);
  }
  if (supabase) {
    await runPostgres(`INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change) VALUES ${rows.join(',')};`, stack.database);
  } else {
    await runSql(`INSERT INTO users (instance_id, id, aud, role, email, encrypted_password, confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token, email_change, is_super_admin) VALUES ${rows.join(',')};`, stack.database);
  }
}

/** The password grant, straight to the server: `{status, ...token response}`. */
export async function tokensFor(stack, email, password) {
  const response = stack.backend === 'supabase'
    ? await fetch(`${stack.apiUrl}/token?grant_type=password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    : await fetch(`${stack.apiUrl}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: email, password }) });
  return { status: response.status, ...(await response.json()) };
}

/** The refresh grant, straight to the server (as another tab would): the token response. */
export async function refreshGrant(stack, refreshToken) {
  const response = stack.backend === 'supabase'
    ? await fetch(`${stack.apiUrl}/token?grant_type=refresh_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshToken }) })
    : await fetch(`${stack.apiUrl}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }) });
  return response.json();
}

/** Asks GoTrue directly whether a password logs in. */
export async function passwordWorks(stack, email, password) {
  return (await tokensFor(stack, email, password)).status === 200;
}

/** A fresh page that fails the test on any uncaught page error. */
export async function openPage(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  // Pages are served with a strict CSP (scripts/stack.mjs): a violation counts as an error.
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
  }));
  page.on('console', (message) => {
    if (message.text().startsWith('CSP violation')) page.errors.push(new Error(message.text()));
  });
  if (url) await page.goto(url);
  return page;
}

/**
 * Waits until the widget has initialised. The loader does that at once; the WebAssembly (and
 * with it the dialog's host element) loads only when identity is needed, so this also asks
 * for it, as a call that needs it would, and waits for the host element.
 */
export async function widgetReady(page) {
  await page.waitForFunction(() => window.netlifyIdentity && netlifyIdentity.store);
  await page.evaluate(() => netlifyIdentity.store.loadSettings().catch(() => null));
  await page.locator('#netlify-identity-widget').waitFor({ state: 'attached' });
}

export const dialog = (page) => page.locator('#netlify-identity-widget dialog');

/**
 * Searches the users list for `text` and waits for the answer: the rows shown before stay until
 * it comes (and open nobody meanwhile), so a test clicks only once nothing loads, neither a
 * page nor a search read page by page.
 */
export async function searchUsers(page, text) {
  await dialog(page).getByLabel('Search by email or name').fill(text);
  await dialog(page).getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForFunction(() => ![...document.querySelector('#netlify-identity-widget').shadowRoot.querySelectorAll('dialog .gw-progress')]
    .some((status) => status.textContent.includes('Loading') || status.querySelector('progress')));
}

// Whether the dialog on screen is the wasm's, not the loader's: Leptos leaves comment markers,
// the loader's markup has none. (A function, not a string: the pages' CSP refuses eval.)
const showsWasmDialog = () => {
  const dialogs = document.querySelector('#netlify-identity-widget')?.shadowRoot?.querySelectorAll('dialog') ?? [];
  return dialogs.length === 1 && document.createTreeWalker(dialogs[0], NodeFilter.SHOW_COMMENT).nextNode() !== null;
};

export const isWasmDialog = (page) => page.evaluate(showsWasmDialog);

/** Waits for the wasm's dialog: the loader shows one first, so an open dialog alone does not say the wasm runs. */
export const wasmDialogShown = (page, timeout = 15000) => page.waitForFunction(showsWasmDialog, null, { timeout });

export async function currentEmail(page) {
  return page.evaluate(() => window.netlifyIdentity.currentUser()?.email ?? null);
}

/** Opens the signup form from the page's menu, fills it and submits it. */
export async function signUpThroughForm(page, name, email, password) {
  await page.click('.netlify-identity-signup');
  await dialog(page).getByLabel('Name').fill(name);
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(password);
  await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
}

/** "Forgot password?" from the login button, for `email`, until the dialog says the mail went. */
export async function requestRecoveryThroughForm(page, email) {
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByRole('button', { name: 'Send recovery email' }).click();
  await dialog(page).getByText("We've sent a recovery email").waitFor();
}

export async function logInThroughForm(page, email, password) {
  if (!(await page.evaluate(() => window.netlifyIdentity.store.modal.isOpen))) await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(password);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
}

/**
 * netlify/gotrue's `users` table, every column, as a database tool writes it (what Netlify
 * Support hands over): a JSON array of row objects, and CSV with a header row (`\N` for NULL).
 * Only the rows of `emails`, when given.
 */
export async function netlifyUsersTable(stack, emails) {
  const columns = (await runSql("SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'users' ORDER BY ordinal_position;", stack.database)).trim().split('\n');
  const where = emails ? `WHERE email IN (${emails.map((email) => `'${email}'`).join(', ')})` : '';
  // JSON_ARRAYAGG stops at group_concat_max_len (1 MB by default): a real site's table is larger.
  const json = await runSql(`SET SESSION group_concat_max_len = 1073741824; SELECT JSON_ARRAYAGG(JSON_OBJECT(${columns.map((c) => `'${c}', \`${c}\``).join(', ')})) FROM users ${where};`, stack.database);
  const cell = (c) => `IFNULL(CONCAT('"', REPLACE(\`${c}\`, '"', '""'), '"'), '\\\\N')`;
  const rows = await runSql(`SELECT CONCAT_WS(',', ${columns.map(cell).join(', ')}) FROM users ${where};`, stack.database);
  return { json: json.trim(), csv: `${columns.join(',')}\n${rows}` };
}
