// The account page: a user changes their own name, email and password against each real server.
import { test } from 'node:test';
import {
  assert, createUser, currentEmail, dialog, forEachBackend, logInThroughForm, openPage, passwordWorks,
  uniqueEmail, waitForMail, widgetReady,
} from './helpers.mjs';

forEachBackend(8961, (env) => {
  async function openAccount(email, password) {
    const context = await env.browser.newContext();
    const page = await openPage(context, env.stack.url);
    await logInThroughForm(page, email, password);
    await dialog(page).getByRole('button', { name: 'Account settings' }).click();
    await dialog(page).getByRole('heading', { name: 'Account settings' }).waitFor();
    return { context, page };
  }

  const section = (page, field) => dialog(page).locator('form', { has: page.getByLabel(field, { exact: true }) });

  test('a user edits their name; it persists across a reload and shows in the menu', async () => {
    const email = uniqueEmail('name');
    await createUser(env.stack, email, 'name password 1', { full_name: 'Old Name' });
    const { context, page } = await openAccount(email, 'name password 1');
    const name = dialog(page).getByLabel('Name', { exact: true });
    assert.equal(await name.inputValue(), 'Old Name');
    await name.fill('Katherine Johnson');
    await section(page, 'Name').getByRole('button', { name: 'Save' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'Your name is saved.' }).waitFor();
    await page.locator('.netlify-identity-user').getByText('Katherine Johnson').waitFor();
    assert.equal(await page.evaluate(() => netlifyIdentity.currentUser().user_metadata.full_name), 'Katherine Johnson');

    await page.reload();
    await widgetReady(page);
    await page.locator('.netlify-identity-user').getByText('Katherine Johnson').waitFor();
    const fromServer = await page.evaluate(() => netlifyIdentity.currentUser().getUserData().then((u) => u.user_metadata.full_name));
    assert.equal(fromServer, 'Katherine Johnson');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a user changes email: the link goes to the new address and only the new one logs in', async () => {
    const email = uniqueEmail('old');
    const newEmail = uniqueEmail('new');
    await createUser(env.stack, email, 'email password 1');
    const { context, page } = await openAccount(email, 'email password 1');
    await dialog(page).getByLabel('New email').fill(newEmail);
    await section(page, 'New email').getByRole('button', { name: 'Save' }).click();
    const sent = env.backend === 'supabase'
      ? `We sent confirmation links to ${newEmail} and to your current address`
      : `We sent a confirmation link to ${newEmail}`;
    await dialog(page).getByRole('status').filter({ hasText: sent }).waitFor();
    await dialog(page).getByText(`Waiting for you to confirm ${newEmail}`).waitFor();

    if (env.backend === 'supabase') {
      // Secure email change: the current address confirms too. Its link, followed first, says
      // the other one finishes the change (#message=…) and changes nothing yet.
      const first = await waitForMail(env.stack, email, /email change|new email address/i);
      const halfway = await openPage(context, first.link);
      await dialog(halfway).getByText('One of the two links is confirmed.', { exact: false }).waitFor();
      assert.equal(new URL(halfway.url()).hash, '', 'the message left the URL');
      assert.equal(await passwordWorks(env.stack, email, 'email password 1'), true, 'not changed yet');
      await halfway.close();
    }
    const mail = await waitForMail(env.stack, newEmail, /email change|new email address/i);
    const linked = await openPage(context, mail.link);
    await dialog(linked).getByText('Your email address has been updated!').waitFor();
    assert.equal(await currentEmail(linked), newEmail);
    assert.equal(await passwordWorks(env.stack, email, 'email password 1'), false);
    assert.equal(await passwordWorks(env.stack, newEmail, 'email password 1'), true);
    assert.deepEqual([...page.errors, ...linked.errors], []);
    await context.close();
  });

  test('a user changes password; the new one logs in; a failed save keeps the input', async () => {
    const email = uniqueEmail('password');
    await createUser(env.stack, email, 'first password 1');
    const { context, page } = await openAccount(email, 'first password 1');
    const field = dialog(page).getByLabel('New password');
    await field.fill('second password 2');
    await dialog(page).getByRole('button', { name: 'Show password' }).click();
    assert.equal(await field.getAttribute('type'), 'text');
    await section(page, 'New password').getByRole('button', { name: 'Save' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    assert.equal(await field.inputValue(), '', 'the saved password is not left on screen');
    assert.equal(await passwordWorks(env.stack, email, 'second password 2'), true);
    assert.equal(await passwordWorks(env.stack, email, 'first password 1'), false);

    // An email the server refuses: the message says so and the typed address stays.
    await dialog(page).getByLabel('New email').fill('not-an-email@');
    await section(page, 'New email').evaluate((form) => { form.noValidate = true; });
    await section(page, 'New email').getByRole('button', { name: 'Save' }).click();
    await section(page, 'New email').getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await dialog(page).getByLabel('New email').inputValue(), 'not-an-email@');
    const roles = await dialog(page).locator('.gw-roles').textContent();
    assert.equal(roles, 'No roles');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
