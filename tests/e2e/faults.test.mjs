// Issue 8: faults between the widget and the real GoTrue. The stack's proxy answers the
// browser's API request with a 500, 502 or 503, a stalled or dropped connection, an HTML page,
// a truncated body, or a 10-second delay (scripts/stack.mjs, FAULT_KINDS), once. For log in,
// sign up, recovery, accepting an invite, an account change and the token refresh: the user
// reads a translated message, trying again works, a stored session is never dropped, and a
// stalled request times out instead of hanging. FAULT_CASE="log in × drop" runs one case.
import { after, before, test } from 'node:test';
import { FAULT_KINDS } from '../../scripts/stack.mjs';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9007 }); });
after(async () => { await env?.tearDown(); });

const SERVER = 'Something went wrong on the server. Try again in a moment.';
const OFFLINE = 'You seem to be offline. Check your connection and try again.';
const TIMEOUT = 'The server took too long to answer. Try again in a moment.';
/** What the user reads for each fault; `slow` is no fault to them: it just works, later. */
const MESSAGE = { 500: SERVER, 502: SERVER, 503: SERVER, html: SERVER, truncated: SERVER, drop: OFFLINE, stall: TIMEOUT, slow: null };

const PASSWORD = 'fault password 1';
const loggedIn = async (context) => {
  const email = uniqueEmail('fault-session');
  await createUser(env.stack, email, PASSWORD, { full_name: 'Before' });
  const page = await openPage(context, env.stack.url);
  await logInThroughForm(page, email, PASSWORD);
  await dialog(page).getByText('Logged in as').waitFor();
  return page;
};

/**
 * Each flow: `prepare` reaches the point of the request, `act` makes it, `done` is success;
 * `session` flows start logged in and must stay so.
 */
const FLOWS = {
  'log in': {
    method: 'POST', path: /^\/token$/,
    async prepare(context) {
      const email = uniqueEmail('fault-login');
      await createUser(env.stack, email, PASSWORD);
      const page = await openPage(context, env.stack.url);
      await page.click('.netlify-identity-login');
      await dialog(page).getByLabel('Email').fill(email);
      await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
      return page;
    },
    act: (page) => dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click(),
    done: (page) => dialog(page).getByText('Logged in as').waitFor(),
  },
  'sign up': {
    method: 'POST', path: /^\/signup$/,
    async prepare(context) {
      const page = await openPage(context, env.stack.url);
      await page.click('.netlify-identity-signup');
      await dialog(page).getByLabel('Name').fill('Fault Signup');
      await dialog(page).getByLabel('Email').fill(uniqueEmail('fault-signup'));
      await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
      return page;
    },
    act: (page) => dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click(),
    done: (page) => dialog(page).getByText('A confirmation message was sent to your email').waitFor(),
  },
  'recovery email': {
    method: 'POST', path: /^\/recover$/,
    async prepare(context) {
      const email = uniqueEmail('fault-recover');
      await createUser(env.stack, email, PASSWORD);
      const page = await openPage(context, env.stack.url);
      await page.click('.netlify-identity-login');
      await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
      await dialog(page).getByLabel('Email').fill(email);
      return page;
    },
    act: (page) => dialog(page).getByRole('button', { name: 'Send recovery email' }).click(),
    done: (page) => dialog(page).getByText("We've sent a recovery email").waitFor(),
  },
  'accept an invite': {
    method: 'POST', path: /^\/verify$/,
    async prepare(context) {
      const email = uniqueEmail('fault-invite');
      const invited = await fetch(`${env.stack.apiUrl}/invite`, {
        method: 'POST', headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ email }),
      });
      assert.equal(invited.status, 200);
      const page = await openPage(context, (await waitForMail(env.stack, email, /invited/i)).link);
      await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
      return page;
    },
    act: (page) => dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click(),
    done: (page) => dialog(page).getByText('Logged in as').waitFor(),
  },
  'account change': {
    method: 'PUT', path: /^\/user$/, session: true,
    async prepare(context) {
      const page = await loggedIn(context);
      await dialog(page).getByRole('button', { name: 'Account settings' }).click();
      await dialog(page).getByLabel('Name', { exact: true }).fill('After');
      return page;
    },
    act: (page) => dialog(page).locator('form', { has: page.getByLabel('Name', { exact: true }) }).getByRole('button', { name: 'Save' }).click(),
    done: (page) => dialog(page).getByRole('status').filter({ hasText: 'Your name is saved.' }).waitFor(),
  },
  'token refresh': {
    method: 'POST', path: /^\/token$/, session: true,
    prepare: loggedIn,
    // The page's own call: the answer (or the error's message) is kept for `read`.
    act: (page) => page.evaluate(() => netlifyIdentity.currentUser().jwt(true).then((token) => { window.answer = { token }; }, (error) => { window.answer = { error: error.message }; })),
    done: async (page) => assert.ok((await page.evaluate(() => window.answer)).token, 'a fresh token'),
    read: (page) => page.evaluate(() => window.answer.error),
  },
};

// A stall costs the full 15 s timeout and a delay 10 s: they run for the flows where timing
// matters most (the same request layer serves every flow).
const SLOW_ONES = { stall: ['log in', 'account change', 'token refresh'], slow: ['log in', 'token refresh'] };
const CASES_ALL = Object.keys(FLOWS).flatMap((flow) => FAULT_KINDS
  .filter((kind) => !SLOW_ONES[kind] || SLOW_ONES[kind].includes(flow))
  .map((kind) => [flow, kind]));
const CASES = process.env.FAULT_CASE ? CASES_ALL.filter((c) => c.join(' × ') === process.env.FAULT_CASE) : CASES_ALL;

test(`faults × flows (${CASES.length} cases): a translated message, a retry that works, no session lost, no hang`, { timeout: 15 * 60_000 }, async () => {
  const tried = [];
  for (const [name, kind] of CASES) {
    const flow = FLOWS[name];
    const context = await env.browser.newContext();
    const page = await flow.prepare(context);
    const session = flow.session ? await page.evaluate(() => localStorage.getItem('gotrue.user')) : null;
    // Chromium itself retries a request whose reused (keep-alive) connection drops before any
    // answer, once per idle connection: a drop lasts until cleared, as a failing proxy's would.
    env.stack.faults.inject({ method: flow.method, path: flow.path, kind, times: kind === 'drop' ? 100 : 1 });
    const started = Date.now();
    await flow.act(page);
    const what = `${name} × ${kind}`;
    if (MESSAGE[kind] === null) {
      if (!flow.read) await dialog(page).locator('button[aria-busy="true"]').waitFor(); // progress shows
      await flow.done(page); // late, but it works, with no message
      assert.ok(Date.now() - started >= 9_000, `${what}: the answer waited for the delay`);
    } else {
      if (flow.read) {
        await page.waitForFunction(() => window.answer !== undefined, null, { timeout: 20_000 });
        assert.equal(await flow.read(page), MESSAGE[kind], what);
      } else {
        await dialog(page).getByRole('alert').filter({ hasText: MESSAGE[kind] }).waitFor({ timeout: 20_000 })
          .catch(async (error) => { throw new Error(`${what}: the dialog says "${await dialog(page).innerText()}"`, { cause: error }); });
      }
      if (kind === 'stall') assert.ok(Date.now() - started < 20_000, `${what}: timed out instead of hanging`);
      if (flow.session) {
        assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), session, `${what}: the stored session is kept`);
        assert.ok(await page.evaluate(() => netlifyIdentity.currentUser() !== null), `${what}: still logged in`);
      }
      env.stack.faults.clear();
      await page.evaluate(() => { window.answer = undefined; });
      await flow.act(page); // trying again works
      if (flow.read) await page.waitForFunction(() => window.answer !== undefined, null, { timeout: 20_000 });
      await flow.done(page);
    }
    assert.deepEqual(page.errors, [], what);
    tried.push(what);
    env.stack.faults.clear();
    await context.close();
  }
  assert.equal(tried.length, CASES.length);
});

test('offline in Chromium: the widget says so, and works again when the network returns', async () => {
  const context = await env.browser.newContext();
  const page = await FLOWS['log in'].prepare(context);
  await context.setOffline(true);
  await FLOWS['log in'].act(page);
  await dialog(page).getByRole('alert').filter({ hasText: OFFLINE }).waitFor();
  await context.setOffline(false);
  await FLOWS['log in'].act(page);
  await FLOWS['log in'].done(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});
