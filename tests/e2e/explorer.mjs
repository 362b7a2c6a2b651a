// A model-based hunt for states the widget must never be in (issue 14). A seeded random
// sequence of page calls, a person's actions, emailed links, another tab and server faults runs
// in Chromium against the real stack; after every step the invariants that can hold at any
// moment are checked, and after each "settle" step (and at the end) those that hold once every
// call has settled. A violation is shrunk to the shortest sequence that still shows it.
// The invariants are written down where the state lives: `Since` in src/widget/mod.rs. The site
// runs on 127.0.0.2 (a real domain to the widget, where GoTrue's answers to any tab can expire
// nf_jwt: a logout, a bad token); the cookies are read here as the browser keeps them. How often a skewed clock refreshes is counted in clock.test.mjs, where
// nothing else refreshes; here, no token handed out may be expired by the server's clock.
import { createUser, eventually, openPage, uniqueEmail } from './helpers.mjs';

const PASSWORD = 'explorer-password-1';
const IDENTITY = '/.netlify/identity/';
const LOGGED_IN_PAGES = ['user', 'account', 'users', 'user-detail'];
const DIALOG = '#netlify-identity-widget dialog[open]';

/** The conditions the explorer runs under: the query its page reads (tests/e2e/pages/explore.js). */
export const VARIANTS = {
  plain: '',
  'storage-denied': '?storage=denied',
  'storage-full': '?storage=full',
  'clock-ahead': `?skew=${2 * 3600_000}`,
  'clock-behind': `?skew=${-2 * 3600_000}`,
};

/** A small, fast, seeded generator (mulberry32). */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What a step can be, with how often it is drawn and its parameters.
const ACTIONS = [
  [3, (r, pick) => ({ do: 'open', page: pick(['login', 'signup', 'users']) })],
  [2, () => ({ do: 'close' })],
  [2, () => ({ do: 'logout' })],
  [2, () => ({ do: 'jwt' })],
  [1, () => ({ do: 'refresh' })],
  [1, (r) => ({ do: 'handler', on: r() < 0.5 })],
  [4, (r) => ({ do: 'type-login', user: r() < 0.5 ? 0 : 1, wrong: r() < 0.2 })],
  [4, () => ({ do: 'submit' })],
  [1, (r, pick) => ({ do: 'tab', to: pick(['login', 'signup', 'amnesia']) })],
  [1, () => ({ do: 'escape' })],
  [1, () => ({ do: 'never-mind' })],
  [2, () => ({ do: 'set-password' })],
  [2, (r) => ({ do: 'link', user: r() < 0.5 ? 0 : 1, sameDocument: r() < 0.5 })],
  [1, (r) => ({ do: 'other-login', user: r() < 0.5 ? 0 : 1 })],
  [1, () => ({ do: 'other-logout' })],
  [2, (r, pick) => ({ do: 'fault', path: pick(['token', 'user', 'verify', 'logout', 'recover', 'settings']), kind: pick(['503', 'drop', 'slow']), delayMs: 200 + Math.floor(r() * 2000) })],
  [2, (r) => ({ do: 'wait', ms: Math.floor(r() * 1500) })],
  [2, () => ({ do: 'settle' })],
  [1, () => ({ do: 'reload' })],
];

/** The `steps` actions of `seed`: plain data, so a sequence can be printed and replayed. */
export function generate(seed, steps) {
  const r = random(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const total = ACTIONS.reduce((sum, [weight]) => sum + weight, 0);
  const actions = [];
  for (let i = 0; i < steps; i++) {
    let n = r() * total;
    const [, make] = ACTIONS.find(([weight]) => (n -= weight) < 0) ?? ACTIONS[0];
    actions.push(make(r, pick));
  }
  return actions;
}

/**
 * Runs `actions` in a fresh browser context under `variant` and returns the first violation
 * (`{ step, message }`, `step` = actions.length for the final check) or null.
 */
export async function run({ stack, browser }, actions, variant = 'plain') {
  const context = await browser.newContext();
  const emails = [uniqueEmail('explore-a'), uniqueEmail('explore-b')];
  await Promise.all(emails.map((email, i) => createUser(stack, email, PASSWORD, { full_name: `Explorer ${'AB'[i]}` })));
  const url = `${stack.siteLikeUrl}/explore.html${VARIANTS[variant]}`;
  const world = { stack, emails, url, context, isolated: variant.startsWith('storage'), inflight: new Set(), tabs: [] };
  try {
    for (let i = 0; i < 2; i++) world.tabs.push(await openTab(context, world));
    for (let step = 0; step < actions.length; step++) {
      await perform(world, actions[step]);
      const message = (await checkNow(world)) ?? (actions[step].do === 'settle' ? await checkSettled(world, variant) : null);
      if (message) return { step, message };
    }
    const message = await checkSettled(world, variant);
    return message ? { step: actions.length, message } : null;
  } finally {
    stack.faults.clear();
    await context.close();
  }
}

async function openTab(context, world) {
  const tab = await openPage(context);
  tab.on('request', (request) => {
    if (!request.url().includes(IDENTITY)) return;
    world.inflight.add(request);
  });
  const done = (request) => world.inflight.delete(request);
  tab.on('requestfinished', done);
  tab.on('requestfailed', done);
  await tab.goto(world.url);
  await tab.waitForFunction(() => window.netlifyIdentity && window.events);
  return tab;
}

const shown = (tab, selector) => tab.locator(`${DIALOG} ${selector}`).first().isVisible().catch(() => false);
const page = (tab) => tab.evaluate(() => netlifyIdentity.store.modal.isOpen && netlifyIdentity.store.modal.page);
const quick = { timeout: 2000 };
// A person's action on what may have changed since it was looked at (a late answer, a tab):
// gone is fine, it did not happen; the invariants say whether what is there is right.
const attempt = (action) => action.catch(() => {});

async function perform(world, action) {
  const [tab, other] = world.tabs;
  const email = world.emails[action.user ?? 0];
  switch (action.do) {
    case 'open': return tab.evaluate((name) => netlifyIdentity.open(name), action.page);
    case 'close': return tab.evaluate(() => netlifyIdentity.close());
    case 'logout': return tab.evaluate(() => track('logout', netlifyIdentity.logout()));
    case 'jwt': return tab.evaluate(() => { const user = netlifyIdentity.currentUser(); if (user) track('jwt', user.jwt().then(checkFresh)); });
    case 'refresh': return tab.evaluate(() => { if (netlifyIdentity.currentUser()) track('refresh', netlifyIdentity.refresh(true).then(checkFresh)); });
    case 'handler': return tab.evaluate((on) => {
      extraHandler.on = on;
      if (on) netlifyIdentity.on('login', extraHandlerFn); else netlifyIdentity.off('login', extraHandlerFn);
    }, action.on);
    case 'type-login':
      if (await page(tab) !== 'login' || !(await shown(tab, 'input[type=email]'))) return;
      await attempt(tab.locator(`${DIALOG} input[type=email]`).fill(email, quick));
      return attempt(tab.locator(`${DIALOG} input[type=password]`).first().fill(action.wrong ? 'not-the-password' : PASSWORD, quick));
    case 'submit':
      if (!(await shown(tab, 'form button[type=submit]:not([disabled])'))) return;
      return attempt(tab.locator(`${DIALOG} form button[type=submit]`).first().click(quick));
    case 'tab':
      if (!(await shown(tab, `[data-go=${action.to}]`))) return;
      return attempt(tab.locator(`${DIALOG} [data-go=${action.to}]`).first().click(quick));
    case 'escape': return tab.keyboard.press('Escape');
    case 'never-mind':
      if (!(await shown(tab, '[data-go=abandon]'))) return;
      return attempt(tab.locator(`${DIALOG} [data-go=abandon]`).click(quick));
    case 'set-password':
      if (await page(tab) !== 'recovery' || !(await shown(tab, 'input[type=password]'))) return;
      // The same password: the pool's users keep theirs.
      await attempt(tab.locator(`${DIALOG} input[type=password]`).first().fill(PASSWORD, quick));
      return attempt(tab.locator(`${DIALOG} form button[type=submit]`).first().click(quick));
    case 'link': return openRecoveryLink(world, tab, email, action.sameDocument);
    // Without shared storage another tab's login is its own (the cookie jar is still shared):
    // the variants of storage leave the other tab alone.
    case 'other-login': if (world.isolated) return;
      return other.evaluate(([e, p]) => track('other-login', netlifyIdentity.gotrue.login(e, p, true)), [email, PASSWORD]);
    case 'other-logout': if (world.isolated) return;
      return other.evaluate(() => { if (netlifyIdentity.currentUser()) track('other-logout', netlifyIdentity.logout()); });
    case 'fault': {
      const method = action.path === 'user' || action.path === 'settings' ? 'GET' : 'POST';
      return world.stack.faults.inject({ method, path: new RegExp(`^/${action.path}`), kind: action.kind, delayMs: action.delayMs });
    }
    case 'wait': return tab.waitForTimeout(action.ms);
    case 'settle': return settle(world);
    case 'reload':
      await requestsAnswered(world);
      await tab.reload();
      return tab.waitForFunction(() => window.netlifyIdentity && window.events);
    default: throw new Error(`unknown action ${action.do}`);
  }
}

/** Asks the server for a recovery email to `email` and opens its link in `tab`. */
async function openRecoveryLink(world, tab, email, sameDocument) {
  const before = world.stack.messages.length;
  const response = await fetch(`${world.stack.apiUrl}/recover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  if (!response.ok) throw new Error(`recover: ${response.status}`);
  const mail = await eventually(() => world.stack.messages.slice(0, world.stack.messages.length - before).find((m) => m.to === email), `a recovery email to ${email}`); // newest first
  const hash = new URL(mail.links[0]).hash;
  if (sameDocument) return tab.evaluate((fragment) => { location.hash = fragment; }, hash);
  await requestsAnswered(world);
  await tab.goto(world.url + hash);
  return tab.waitForFunction(() => window.netlifyIdentity && window.events);
}

/**
 * Leaving a page waits for its requests' answers, as a person leaves after what they asked for
 * is done: a flow cut off by a navigation is no state the widget can be held to (with the
 * `httpOnlyCookie` option an answer setting GoTrue's nf_jwt for a page already gone is handled by
 * nobody: issue 14's note), so the model does not navigate away with one under way. Its next request
 * follows its last answer within moments (a link's /verify, then its /user), so the model waits
 * for none to have been in flight for QUIET_MS (CI's load once found a reload in that gap:
 * seed 10, clock-behind).
 */
async function requestsAnswered(world) {
  const deadline = Date.now() + 20_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (world.inflight.size) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until no request to the API is in flight and every page call has settled, for longer
 * than the widget's own waits between requests (a refused refresh waits 500 ms for another
 * tab's tokens before it ends the session; the refresh lock is held 200 ms after a refresh).
 */
const QUIET_MS = 1000;
async function settle(world) {
  const deadline = Date.now() + 20_000;
  let quietSince = null;
  while (Date.now() < deadline) {
    const pending = await Promise.all(world.tabs.map((tab) => tab.evaluate(() => calls.filter((c) => !c.settled).length + (netlifyIdentity.store.saving ? 1 : 0))));
    const quiet = world.inflight.size === 0 && pending.every((n) => n === 0);
    if (quiet && quietSince && Date.now() - quietSince > QUIET_MS) return;
    quietSince = quiet ? quietSince ?? Date.now() : null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the checked tab shows and holds. */
function observe(tab) {
  return tab.evaluate(() => {
    const user = netlifyIdentity.currentUser();
    let stored;
    try { stored = JSON.parse(localStorage.getItem('gotrue.user')); } catch (error) { stored = undefined; }
    const shadow = document.querySelector('#netlify-identity-widget')?.shadowRoot;
    const open = shadow?.querySelector('dialog[open]');
    return {
      user: user && { id: user.id, name: user.user_metadata.full_name || user.email, token: user.token.access_token, refreshToken: user.token.refresh_token },
      stored: stored === undefined ? undefined : stored && { id: stored.id },
      menuName: document.querySelector('.netlify-identity-user')?.textContent ?? null,
      modal: { page: netlifyIdentity.store.modal.page, isOpen: netlifyIdentity.store.modal.isOpen },
      shownName: open?.querySelector('.gw-user-name')?.textContent ?? null,
      shownLoggedIn: !!open?.querySelector('.gw-user'),
      events: window.events.filter((e) => e.name === 'login' || e.name === 'logout').map((e) => e.name),
      calls: window.calls.map((c) => ({ label: c.label, settled: c.settled })),
      calledWhileOff: extraHandler.calledWhileOff,
      expiredHandedOut: window.expiredHandedOut,
      storageWarnings: window.storageWarnings,
    };
  });
}

/** The invariants that hold at every moment; the first broken one, described. */
async function checkNow(world) {
  const [tab] = world.tabs;
  const errors = world.tabs.flatMap((t) => t.errors);
  if (errors.length) return `page error: ${errors[0].message}`;
  const seen = await observe(tab);
  if ((seen.shownLoggedIn || (seen.modal.isOpen && LOGGED_IN_PAGES.includes(seen.modal.page))) && !seen.user) {
    return `the dialog shows the logged-in page "${seen.modal.page}" with nobody logged in (named "${seen.shownName}")`;
  }
  if (seen.shownLoggedIn && seen.user && seen.shownName !== seen.user.name) {
    return `the dialog names "${seen.shownName}" for ${seen.user.name}`;
  }
  for (let i = 0; i < seen.events.length; i++) {
    const expected = i % 2 === 0 ? 'login' : 'logout';
    if (seen.events[i] !== expected) return `events do not alternate: ${seen.events.join(', ')}`;
  }
  if (seen.calledWhileOff) return 'a handler removed with off() was called';
  if (seen.expiredHandedOut.length) return `jwt() handed out a token the server considers expired (exp ${seen.expiredHandedOut[0]})`;
  const twice = seen.calls.find((c) => c.settled > 1);
  if (twice) return `${twice.label}'s promise settled ${twice.settled} times`;
  return null;
}

/** The invariants that hold once every call has settled. */
async function checkSettled(world, variant) {
  await settle(world);
  const message = await checkNow(world);
  if (message) return message;
  const seen = await observe(world.tabs[0]);
  const cookies = await world.context.cookies(world.url);
  const cookie = (name) => decodeURIComponent(cookies.find((c) => c.name === name)?.value ?? '');
  const unsettled = seen.calls.filter((c) => c.settled !== 1);
  if (unsettled.length) return `promises never settled: ${unsettled.map((c) => c.label).join(', ')}`;
  const id = seen.user?.id ?? null;
  if (!variant.startsWith('storage') && (seen.stored?.id ?? null) !== id) {
    return `currentUser() is ${id} but the stored record is ${seen.stored?.id ?? null}`;
  }
  // The cookies the site's other code reads hold the session's tokens. Where the login cannot
  // outlive the page, no cookie may tell the site's next page otherwise.
  for (const [name, wanted] of [['nf_jwt', seen.user?.token], ['nf_refresh', seen.user?.refreshToken]]) {
    const expected = world.isolated ? '' : wanted ?? '';
    if (cookie(name) !== expected) return `the ${name} cookie ${!cookie(name) ? 'is missing' : expected ? 'holds another token' : 'is left'} for ${id}`;
  }
  if (seen.menuName !== (seen.user?.name ?? null)) return `the page's menu names "${seen.menuName}" for ${seen.user?.name ?? 'nobody'}`;
  if (seen.events.at(-1) === 'login' && !seen.user) return 'the last event was login, but nobody is logged in';
  if (world.isolated && (seen.storageWarnings > 1 || (seen.user && seen.storageWarnings !== 1))) {
    return `this page's console was told ${seen.storageWarnings} times that the login will not persist`;
  }
  return null;
}

/**
 * The shortest sequence (by removing chunks, then single steps) that still breaks an invariant,
 * within `budget` replays. Timing varies between runs, so a candidate counts only when it fails.
 */
export async function shrink(env, actions, variant, budget = 30, onProgress = () => {}) {
  let best = actions;
  let replays = 0;
  for (let chunk = Math.ceil(best.length / 2); chunk >= 1 && replays < budget; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < best.length && replays < budget;) {
      const candidate = [...best.slice(0, start), ...best.slice(start + chunk)];
      replays++;
      const failure = candidate.length ? await run(env, candidate, variant) : null;
      if (failure) {
        best = candidate.slice(0, failure.step + 1);
        onProgress(best.length, replays);
      } else start += chunk;
    }
  }
  return best;
}

/** Explores `seed` for `steps` steps; on a violation, shrinks it. */
export async function explore(env, { seed, steps, variant = 'plain', shrinkBudget = 30, log = () => {} }) {
  const actions = generate(seed, steps);
  const failure = await run(env, actions, variant);
  if (!failure) return null;
  log(`seed ${seed} (${variant}) broke an invariant at step ${failure.step}: ${failure.message}; shrinking`);
  const shortest = await shrink(env, actions.slice(0, failure.step + 1), variant, shrinkBudget, (length, replays) => log(`  ${length} steps still fail (replay ${replays})`));
  const replayed = await run(env, shortest, variant);
  return { seed, variant, message: failure.message, shortest, shortestMessage: replayed?.message ?? failure.message };
}
