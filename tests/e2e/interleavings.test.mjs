// Issue 14's cases, each as a person or a site met it: a page that logs out while a flow is on
// its way, "Never mind" after a recovery link, a link pasted into an open tab, and storage that
// throws. The explorer (explore.test.mjs) hunts for the cases nobody has met yet.
import { after, before, test } from 'node:test';
import {
  assert, createUser, currentEmail, dialog, eventually, logInThroughForm, openPage, setUp,
  uniqueEmail, waitForMail,
} from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9013 }); });
after(async () => { await env?.tearDown(); });

const PASSWORD = 'interleaved password 1';

async function recoveryLink(email) {
  const before = env.stack.messages.length;
  const response = await fetch(`${env.stack.apiUrl}/recover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  assert.equal(response.status, 200);
  const mail = await eventually(() => env.stack.messages.slice(0, env.stack.messages.length - before).find((m) => m.to === email), 'the recovery email'); // newest first
  return new URL(mail.links[0]).hash;
}

const events = (page) => page.evaluate(() => window.events.filter((e) => e.name === 'login' || e.name === 'logout').map((e) => e.name));

/** What the open dialog shows: its page and whether it says who is logged in. */
const shownPage = (page) => page.evaluate(() => {
  const open = document.querySelector('#netlify-identity-widget')?.shadowRoot?.querySelector('dialog[open]');
  return { page: netlifyIdentity.store.modal.page, open: !!open, loggedIn: !!open?.querySelector('.gw-user') };
});

async function settled(page) {
  await page.waitForFunction(() => !netlifyIdentity.store.saving && calls.every((c) => c.settled));
  await page.waitForTimeout(500);
}

for (const when of ['as soon as currentUser() is set', 'in its login handler']) {
  test(`a page that logs out ${when} after a recovery link, then opens the login, shows the login form`, async () => {
    const email = uniqueEmail('logout-race');
    await createUser(env.stack, email, PASSWORD);
    const hash = await recoveryLink(email);
    const context = await env.browser.newContext();
    await context.addInitScript((mode) => {
      const logOutAndOpen = () => { track('logout', netlifyIdentity.logout()); netlifyIdentity.open('login'); };
      const watch = () => {
        if (!window.netlifyIdentity || !window.track) return setTimeout(watch, 0);
        if (mode === 'login') return netlifyIdentity.on('login', logOutAndOpen);
        const poll = setInterval(() => { if (netlifyIdentity.currentUser()) { clearInterval(poll); logOutAndOpen(); } }, 1);
      };
      watch();
    }, when.includes('handler') ? 'login' : 'poll');
    const page = await openPage(context, `${env.stack.siteLikeUrl}/explore.html${hash}`);
    if (when.includes('handler')) {
      const field = dialog(page).getByLabel('New password');
      await field.fill(PASSWORD);
      await dialog(page).getByRole('button', { name: 'Update password' }).click();
    }
    await eventually(async () => (await page.evaluate(() => calls.length)) > 0, 'the page to log out');
    await settled(page);
    assert.deepEqual(await shownPage(page), { page: 'login', open: true, loggedIn: false });
    await dialog(page).getByLabel('Email').waitFor();
    assert.equal(await currentEmail(page), null);
    assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null);
    assert.deepEqual(await events(page), when.includes('handler') ? ['login', 'logout'] : [], 'login and logout alternate');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

test('"Never mind" after a recovery link fires no logout: no login was announced', async () => {
  const email = uniqueEmail('never-mind');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.siteLikeUrl}/explore.html${await recoveryLink(email)}`);
  await dialog(page).getByLabel('New password').waitFor();
  await eventually(() => currentEmail(page), 'the link to be checked');
  await dialog(page).getByRole('button', { name: 'Never mind' }).click();
  await eventually(async () => (await currentEmail(page)) === null, 'the session to end');
  await settled(page);
  assert.deepEqual(await events(page), []);
  await context.close();
});

for (const loaded of [false, true]) {
  test(`a recovery link pasted into a tab already on the site (${loaded ? 'widget running' : 'widget not yet loaded'}) is finished`, async () => {
    const email = uniqueEmail('pasted');
    await createUser(env.stack, email, PASSWORD);
    const context = await env.browser.newContext();
    const page = await openPage(context, `${env.stack.siteLikeUrl}/explore.html`);
    if (loaded) {
      await logInThroughForm(page, email, 'a wrong password');
      await dialog(page).getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    }
    const hash = await recoveryLink(email);
    await page.evaluate((fragment) => { location.hash = fragment; }, hash);
    assert.equal(await page.evaluate(() => location.hash), '', 'the token left the URL at once');
    const field = dialog(page).getByLabel('New password');
    await field.waitFor();
    await eventually(async () => !(await dialog(page).getByRole('button', { name: 'Update password' }).isDisabled()), 'the link to be checked');
    await field.fill('pasted password 2');
    await dialog(page).getByRole('button', { name: 'Update password' }).click();
    await dialog(page).getByText('Logged in as').waitFor();
    assert.equal(await currentEmail(page), email);
    assert.deepEqual(await events(page), ['login']);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

for (const storage of ['denied', 'full']) {
  test(`with localStorage ${storage}, a person logs in for the life of the page and the console says why once`, async () => {
    const email = uniqueEmail(`storage-${storage}`);
    await createUser(env.stack, email, PASSWORD, { full_name: 'Memory Only' });
    const context = await env.browser.newContext();
    const page = await openPage(context);
    const warnings = [];
    page.on('console', (message) => { if (message.type() === 'warning' && /localStorage/.test(message.text())) warnings.push(message.text()); });
    await page.goto(`${env.stack.siteLikeUrl}/explore.html?storage=${storage}`);
    await logInThroughForm(page, email, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();
    assert.equal(await currentEmail(page), email);
    await page.locator('.netlify-identity-user').getByText('Memory Only').waitFor();
    const token = await page.evaluate(() => netlifyIdentity.currentUser().jwt());
    assert.match(token, /^ey/);
    const cookies = await context.cookies(env.stack.siteLikeUrl);
    assert.equal(cookies.some((c) => c.name === 'nf_jwt'), false, 'no nf_jwt: the login would not outlive the page');
    await dialog(page).getByRole('button', { name: 'Log out' }).click();
    await eventually(async () => (await currentEmail(page)) === null, 'the logout');
    await logInThroughForm(page, email, PASSWORD);
    await dialog(page).getByText('Logged in as').waitFor();
    assert.equal(warnings.length, 1, `told once: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /refuses localStorage .*(denied|quota).*; a login lasts until this page is closed/);
    await page.reload();
    await page.waitForFunction(() => window.netlifyIdentity);
    assert.equal(await currentEmail(page), null, 'nothing persisted');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
