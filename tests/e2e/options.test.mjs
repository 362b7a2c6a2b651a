// What a site can set (issue 6): theme, logo and name, extra signup fields and consent, what
// happens after a login, forms password managers recognise, keyboard-only flows, and a page
// whose global CSS attacks everything.
import { after, before, test } from 'node:test';
import {
  assert, createUser, dialog, eventually, openPage, setUp, uniqueEmail, waitForMail, widgetReady } from './helpers.mjs';

const PASSWORD = 'options password 1';
let env;
before(async () => { env = await setUp({ port: 8975 }); });
after(async () => { await env?.tearDown(); });

const withOptions = (options) => `${env.stack.url}/options.html?options=${encodeURIComponent(JSON.stringify(options))}`;

async function userMetadata(email) {
  const response = await fetch(`${env.stack.apiUrl}/admin/users?per_page=100`, { headers: { authorization: `Bearer ${env.stack.operatorToken}` } });
  const { users } = await response.json();
  return users.find((u) => u.email === email)?.user_metadata;
}

const background = (page) => page.evaluate(() => {
  const panel = document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('dialog');
  return getComputedStyle(panel).backgroundColor;
});

test('theme picks light or dark over the system; logo and site name head the dialog', async () => {
  const context = await env.browser.newContext({ colorScheme: 'dark' });
  const page = await openPage(context, withOptions({ theme: 'light', logo: '/logo.svg', siteName: 'Acme Cooperative' }));
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByLabel('Email').waitFor();
  assert.equal(await background(page), 'rgb(255, 255, 255)', 'light although the system is dark');
  await dialog(page).locator('[part~="brand"]').getByText('Acme Cooperative').waitFor();
  assert.equal(await dialog(page).locator('img[part~="logo"]').getAttribute('src'), '/logo.svg');
  const auto = await openPage(context, withOptions({}));
  await auto.evaluate(() => netlifyIdentity.open());
  await dialog(auto).getByLabel('Email').waitFor();
  assert.equal(await background(auto), 'rgb(31, 35, 40)', 'auto follows the dark system');
  assert.equal(await dialog(auto).locator('[part~="brand"]').count(), 0, 'no header unless asked');
  const dark = await openPage(await env.browser.newContext({ colorScheme: 'light' }), withOptions({ theme: 'dark' }));
  await dark.evaluate(() => netlifyIdentity.open());
  await dialog(dark).getByLabel('Email').waitFor();
  assert.equal(await background(dark), 'rgb(31, 35, 40)');
  await context.close();
});

test('extra signup fields and the consent checkbox land in user_metadata', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, withOptions({
    signupFields: [
      { name: 'company', label: { en: 'Company', fr: 'Société' }, required: true },
      { name: 'newsletter', type: 'checkbox', label: 'Send me the newsletter' },
      { name: 'plan', type: 'select', label: 'Plan', options: ['free', { value: 'pro', label: 'Professional' }], required: true },
    ],
    consent: { termsUrl: '/terms', privacyUrl: '/privacy' },
  }));
  await page.evaluate(() => netlifyIdentity.open('signup'));
  const email = uniqueEmail('fields');
  await dialog(page).getByLabel('Name').fill('Field Tester');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).getByLabel('Company').fill('Acme');
  await dialog(page).getByLabel('Send me the newsletter').check();
  await dialog(page).getByLabel('Plan').selectOption('pro');
  assert.equal(await dialog(page).getByRole('link', { name: 'Terms' }).getAttribute('href'), '/terms');
  // Without consent the form does not go (the browser says why, on the checkbox).
  await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
  assert.equal(await dialog(page).locator('#gw-field-consent').evaluate((box) => box.validity.valueMissing), true);
  await page.evaluate(() => netlifyIdentity.setLocale('fr'));
  await dialog(page).getByLabel('Société').waitFor();
  await page.evaluate(() => netlifyIdentity.setLocale('en'));
  await dialog(page).getByLabel('I agree to the terms and the privacy policy.').check();
  await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
  await dialog(page).getByText('A confirmation message was sent').waitFor();
  const metadata = await eventually(() => userMetadata(email), 'the new user');
  assert.equal(metadata.full_name, 'Field Tester');
  assert.equal(metadata.company, 'Acme');
  assert.equal(metadata.newsletter, true);
  assert.equal(metadata.plan, 'pro');
  assert.ok(Math.abs(Date.parse(metadata.consent_at) - Date.now()) < 60_000, `consent_at is now (${metadata.consent_at})`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('closeAfterLogin closes the dialog; redirectAfterLogin goes to the page', async () => {
  const email = uniqueEmail('after');
  await createUser(env.stack, email, PASSWORD);
  const context = await env.browser.newContext();
  for (const [options, check] of [
    [{ closeAfterLogin: true }, async (page) => {
      await eventually(() => page.evaluate(() => window.logins === 1 && !netlifyIdentity.store.modal.isOpen), 'closed after the login');
    }],
    [{ redirectAfterLogin: '/blank.html?welcome' }, async (page) => {
      await page.waitForURL('**/blank.html?welcome');
    }],
  ]) {
    const page = await openPage(context, withOptions(options));
    await page.evaluate(() => netlifyIdentity.logout());
    await page.evaluate(() => netlifyIdentity.open('login'));
    await dialog(page).getByLabel('Email').fill(email);
    await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
    await check(page);
    assert.deepEqual(page.errors, []);
  }
  await context.close();
});

test('password managers: each form has a username field and the right autocomplete values', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, withOptions({}));
  const form = () => page.evaluate(() => [...document.querySelector('#netlify-identity-widget').shadowRoot.querySelectorAll('form input')]
    .map((input) => `${input.type}:${input.autocomplete}`));
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByLabel('Email').waitFor();
  // `webauthn`: where the server has passkeys, the browser lists them there too (issue 26).
  assert.deepEqual(await form(), ['email:username webauthn', 'password:current-password']);
  await page.evaluate(() => netlifyIdentity.open('signup'));
  await dialog(page).getByLabel('Name').waitFor();
  assert.deepEqual(await form(), ['text:name', 'email:username', 'password:new-password']);
  await context.close();
});

test('keyboard only: sign up and recover a password with key presses; focus stays in the dialog', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, withOptions({}));
  await page.locator('.netlify-identity-signup').waitFor();
  const email = uniqueEmail('keys');
  // From the top of the page: Tab to "Sign up", Enter, then type and Tab through the form.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Name').waitFor();
  // Focus stays in the dialog however far one tabs (the rest of the page is inert).
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'netlify-identity-widget', `tab ${i + 1} stays in the dialog`);
  }
  await dialog(page).getByLabel('Name').focus();
  await page.keyboard.type('Key Board');
  await page.keyboard.press('Tab');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await dialog(page).getByText('A confirmation message was sent').waitFor();
  await page.keyboard.press('Escape');
  const confirmation = await waitForMail(env.stack, email, /confirm/i);
  await page.goto(confirmation.link);
  await dialog(page).getByText('Your email address is confirmed').waitFor();
  await page.evaluate(() => netlifyIdentity.logout());

  // Recovery: the login control, "Forgot password?", the email, then the new password.
  await page.goto(withOptions({}));
  await page.locator('.netlify-identity-login').waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await dialog(page).getByLabel('Email').waitFor();
  for (let i = 0; i < 12; i++) {
    if (await dialog(page).getByRole('button', { name: 'Forgot password?' }).evaluate((b) => b.getRootNode().activeElement === b)) break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await dialog(page).getByRole('button', { name: 'Send recovery email' }).waitFor();
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await dialog(page).getByText("We've sent a recovery email").waitFor();
  const recovery = await waitForMail(env.stack, email, /reset/i);
  await page.goto(recovery.link);
  await dialog(page).getByLabel('New password').waitFor();
  // Once the link is checked, the set-new-password form names its account for password managers.
  await dialog(page).getByRole('button', { name: 'Update password' }).and(dialog(page).locator(':enabled')).waitFor();
  const fields = await page.evaluate(() => [...document.querySelector('#netlify-identity-widget').shadowRoot.querySelectorAll('form input')]
    .map((input) => `${input.type}:${input.autocomplete}:${input.value}`));
  assert.deepEqual(fields, [`email:username:${email}`, 'password:new-password:']);
  await page.keyboard.type('options password 2');
  await page.keyboard.press('Enter');
  await dialog(page).getByText('Logged in as').waitFor();
  const grant = await fetch(`${env.stack.apiUrl}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: email, password: 'options password 2' }) });
  assert.equal(grant.status, 200, 'the new password works');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a page whose global CSS attacks everything still shows a usable dialog', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.stack.url}/hostile.html`);
  await widgetReady(page);
  await page.evaluate(() => netlifyIdentity.open());
  await dialog(page).getByLabel('Email').waitFor();
  const look = await page.evaluate(() => {
    const root = document.querySelector('#netlify-identity-widget').shadowRoot;
    const input = root.querySelector('#gw-email');
    const dialog = root.querySelector('dialog').getBoundingClientRect();
    const style = getComputedStyle(input);
    return { fontSize: style.fontSize, border: style.borderTopWidth, fits: dialog.width <= innerWidth && dialog.height <= innerHeight, font: style.fontFamily.includes('Comic') };
  });
  assert.deepEqual(look, { fontSize: '16px', border: '1px', fits: true, font: false });
  const email = uniqueEmail('hostile');
  await createUser(env.stack, email, PASSWORD);
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  await dialog(page).getByText('Logged in as').waitFor();
  await context.close();
});

test('zoomed to 200% (a 1280 × 720 screen is then 640 × 360): the dialog fits, scrolls, and works', async () => {
  const context = await env.browser.newContext({ viewport: { width: 640, height: 360 } });
  const page = await openPage(context, withOptions({ siteName: 'Acme', consent: true, signupFields: [{ name: 'company', label: 'Company' }] }));
  await page.evaluate(() => netlifyIdentity.open('signup'));
  await dialog(page).getByLabel('Name').waitFor();
  const box = await page.evaluate(() => {
    const element = document.querySelector('#netlify-identity-widget').shadowRoot.querySelector('dialog');
    const rect = element.getBoundingClientRect();
    return { fitsWidth: rect.left >= 0 && rect.right <= innerWidth, fitsHeight: rect.bottom <= innerHeight, scrolls: element.scrollHeight > element.clientHeight, clipsSideways: element.scrollWidth > element.clientWidth };
  });
  assert.deepEqual(box, { fitsWidth: true, fitsHeight: true, scrolls: true, clipsSideways: false });
  const submit = dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true });
  await submit.scrollIntoViewIfNeeded();
  assert.ok(await submit.isVisible());
  await context.close();
});
