// The widget's flows end to end: real Chromium, each real server (netlify/gotrue on MariaDB,
// supabase/auth on PostgreSQL), real emails. The servers' links differ: netlify/gotrue's carry
// a token in the site's fragment, supabase/auth's go through its /verify and come back with
// tokens (or an error) in the fragment.
import { test } from 'node:test';
import {
  assert, createUser, currentEmail, dialog, eventually, forEachBackend, logInThroughForm, openPage,
  linkShape, passwordWorks, requestRecoveryThroughForm, signUpThroughForm, uniqueEmail, waitForMail, widgetReady,
} from './helpers.mjs';

forEachBackend(8901, (env) => {
  const newContext = () => env.browser.newContext();

  test('COMPAT 20, 44, 56, 61: sign up, follow the confirmation email, stay logged in after a reload', async () => {
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    const email = uniqueEmail('signup');
    await signUpThroughForm(page, 'Ada Lovelace', email, 'correct horse battery');
    await dialog(page).getByText('A confirmation message was sent to your email').waitFor();

    const mail = await waitForMail(env.stack, email, /confirm/i);
    assert.match(mail.link, linkShape(env.backend, 'signup'));
    const linked = await openPage(context, mail.link);
    await eventually(() => currentEmail(linked), 'the confirmed user');
    assert.equal(await currentEmail(linked), email);
    assert.ok(!linked.url().includes('#'), `the token left the URL: ${linked.url()}`);
    await linked.locator('#event-log').getByText(`login — ${email}`).waitFor();
    await dialog(linked).getByText('Your email address is confirmed and you are logged in.').waitFor();
    await linked.locator('.netlify-identity-user').getByText('Ada Lovelace').waitFor();

    await linked.reload();
    await widgetReady(linked);
    assert.equal(await currentEmail(linked), email);
    await linked.locator('.netlify-identity-logout').waitFor();
    assert.deepEqual([...page.errors, ...linked.errors], []);
    await context.close();
  });

  test('COMPAT 20, 21, 28, 56, 61: log in and out; a wrong password shows a message and keeps the form', async () => {
    const email = uniqueEmail('login');
    await createUser(env.stack, email, 'right password 1');
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, 'wrong password');
    const alert = dialog(page).getByRole('alert').filter({ hasText: 'do not match' });
    await alert.waitFor();
    assert.equal(await dialog(page).getByLabel('Email').inputValue(), email, 'the email is kept');
    assert.equal(await currentEmail(page), null);
    // Passwordless sign-in only where the server has it (the settings are in: the login used them).
    const signInLink = dialog(page).getByRole('button', { name: 'Email me a sign-in link' });
    if (env.backend === 'supabase') await signInLink.waitFor();
    else assert.equal(await signInLink.count(), 0, 'none on netlify/gotrue');

    await dialog(page).getByLabel('Password', { exact: true }).fill('right password 1');
    await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
    await dialog(page).getByText('Logged in as').waitFor();
    assert.equal(await currentEmail(page), email);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gotrue.user')));
    assert.equal(stored.email, email);
    assert.ok(stored.token.access_token && stored.token.refresh_token && stored.token.expires_at > Date.now());
    const cookie = await page.evaluate(() => document.cookie);
    assert.ok(cookie.includes(`nf_jwt=${stored.token.access_token}`), 'nf_jwt carries the access token');

    await dialog(page).getByRole('button', { name: 'Log out' }).click();
    await eventually(async () => (await currentEmail(page)) === null, 'logout');
    assert.equal(await page.evaluate(() => localStorage.getItem('gotrue.user')), null);
    assert.ok(!(await page.evaluate(() => document.cookie)).includes('nf_jwt='), 'nf_jwt is cleared');
    await page.locator('.netlify-identity-login').waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('COMPAT 20, 46, 56, 61: forgot password: the recovery email sets a new password; only the new one works', async () => {
    const email = uniqueEmail('recover');
    await createUser(env.stack, email, 'old password 1');
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    await requestRecoveryThroughForm(page, email);

    const mail = await waitForMail(env.stack, email, /reset/i);
    assert.match(mail.link, linkShape(env.backend, 'recovery'));
    const linked = await openPage(context, mail.link);
    const field = dialog(linked).getByLabel('New password');
    await field.waitFor();
    assert.ok(!linked.url().includes('#'), `the token left the URL: ${linked.url()}`);
    await field.fill('new password 2');
    await dialog(linked).getByRole('button', { name: 'Update password' }).click();
    await dialog(linked).getByText('Logged in as').waitFor();
    assert.equal(await currentEmail(linked), email);
    await linked.locator('#event-log').getByText(`login — ${email}`).waitFor();

    await dialog(linked).getByRole('button', { name: 'Log out' }).click();
    await eventually(async () => (await currentEmail(linked)) === null, 'logout');
    assert.equal(await passwordWorks(env.stack, email, 'old password 1'), false);
    await logInThroughForm(linked, email, 'new password 2');
    await dialog(linked).getByText('Logged in as').waitFor();
    assert.deepEqual([...page.errors, ...linked.errors], []);
    await context.close();
  });

  test('COMPAT 20, 45: an invite sent through the admin API is accepted by setting a password', async () => {
    const email = uniqueEmail('invite');
    const response = await fetch(`${env.stack.apiUrl}/invite`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.stack.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    assert.equal(response.status, 200, await response.text());
    const mail = await waitForMail(env.stack, email, /invited/i);
    assert.match(mail.link, linkShape(env.backend, 'invite'));

    const context = await newContext();
    const page = await openPage(context, mail.link);
    await dialog(page).getByRole('heading', { name: 'Complete your signup' }).waitFor();
    await dialog(page).getByLabel('Password', { exact: true }).fill('invited password 1');
    await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
    await dialog(page).getByText('Logged in as').waitFor();
    assert.equal(await currentEmail(page), email);
    assert.equal(await passwordWorks(env.stack, email, 'invited password 1'), true);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('COMPAT 35, 47: an email change through currentUser().update() completes with the emailed link', async () => {
    const email = uniqueEmail('before');
    const newEmail = uniqueEmail('after');
    await createUser(env.stack, email, 'change password 1');
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, 'change password 1');
    await dialog(page).getByText('Logged in as').waitFor();
    const pending = await page.evaluate((address) => window.netlifyIdentity.currentUser().update({ email: address }).then((u) => u.new_email), newEmail);
    assert.equal(pending, newEmail);

    if (env.backend === 'supabase') {
      // Secure email change: the current address's link first (it only says so).
      const first = await waitForMail(env.stack, email, /email change|new email address/i);
      const halfway = await openPage(context, first.link);
      await dialog(halfway).getByText('One of the two links is confirmed.', { exact: false }).waitFor();
      assert.deepEqual(halfway.errors, []);
      await halfway.close();
    }
    const mail = await waitForMail(env.stack, newEmail, /email change|new email address/i);
    assert.match(mail.link, linkShape(env.backend, 'email_change'));
    const linked = await openPage(context, mail.link);
    await dialog(linked).getByText('Your email address has been updated!').waitFor();
    assert.equal(await currentEmail(linked), newEmail);
    assert.ok(!linked.url().includes('#'));
    assert.equal(await passwordWorks(env.stack, newEmail, 'change password 1'), true);
    assert.deepEqual([...page.errors, ...linked.errors], []);
    await context.close();
  });

  test('a used or garbage token link gives a clear message and loses nothing', async () => {
    const email = uniqueEmail('garbage');
    await createUser(env.stack, email, 'keep password 1');
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, 'keep password 1');
    await dialog(page).getByText('Logged in as').waitFor();

    // supabase/auth checks a link itself and says only that it is invalid or expired.
    const supabase = env.backend === 'supabase';
    const refused = supabase ? 'This link has expired' : 'This link is not valid, or it was already used';
    const garbage = supabase
      ? `${env.stack.apiUrl}/verify?token=not-a-real-token&type=recovery&redirect_to=${encodeURIComponent(`${env.stack.url}/`)}`
      : `${env.stack.url}/#recovery_token=not-a-real-token`;
    const linked = await openPage(context, garbage);
    await dialog(linked).getByText('There was an error verifying your account').waitFor();
    await dialog(linked).getByText(refused).waitFor();
    assert.equal(await currentEmail(linked), email, 'the session survives a bad link');

    // A confirmation link that was already used.
    const fresh = uniqueEmail('used');
    await fetch(`${env.stack.apiUrl}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: fresh, password: 'used password 1' }) });
    const mail = await waitForMail(env.stack, fresh, /confirm/i);
    const used = supabase
      ? await fetch(mail.link, { redirect: 'manual' })
      : await fetch(`${env.stack.apiUrl}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'signup', token: decodeURIComponent(mail.link.split('confirmation_token=')[1]) }) });
    assert.equal(used.status, supabase ? 303 : 200);
    const again = await openPage(context, mail.link);
    await dialog(again).getByText(refused).waitFor();
    assert.ok(!again.url().includes('#'));
    assert.equal(await currentEmail(again), email);
    assert.deepEqual([...page.errors, ...linked.errors, ...again.errors], []);
    await context.close();
  });

  test("COMPAT 25: open('signup', metadata) pre-fills the form and the metadata reaches user_metadata", async () => {
    const context = await newContext();
    const page = await openPage(context, env.stack.url);
    await page.evaluate(() => netlifyIdentity.open('signup', { full_name: 'Pre Filled', plan: 'pro' }));
    const name = dialog(page).getByLabel('Name');
    await name.waitFor();
    assert.equal(await name.inputValue(), 'Pre Filled');
    await name.fill('Changed Name');
    const email = uniqueEmail('prefill');
    await dialog(page).getByLabel('Email').fill(email);
    await dialog(page).getByLabel('Password', { exact: true }).fill('prefill password 1');
    await dialog(page).locator('form').getByRole('button', { name: 'Sign up', exact: true }).click();
    await dialog(page).getByText('A confirmation message was sent to your email').waitFor();
    const mail = await waitForMail(env.stack, email, /confirm/i);
    const linked = await openPage(context, mail.link);
    await eventually(() => currentEmail(linked), 'the confirmed user');
    const metadata = await linked.evaluate(() => netlifyIdentity.currentUser().user_metadata);
    // supabase/auth adds its own members (email, email_verified, sub…).
    assert.deepEqual({ full_name: metadata.full_name, plan: metadata.plan }, { full_name: 'Changed Name', plan: 'pro' });
    assert.deepEqual([...page.errors, ...linked.errors], []);
    await context.close();
  });
});
