// Takes the README's screenshots of each screen against the real local stack:
// node scripts/screenshots.mjs  (after npm run build) → tests/e2e/screenshots/*.png
import { mkdirSync } from 'node:fs';
import { makeAdmin } from './stack.mjs';
import { createUser, dialog, logInThroughForm, openPage, setUp, uniqueEmail, waitForMail } from '../tests/e2e/helpers.mjs';

const outDir = new URL('../tests/e2e/screenshots/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const env = await setUp({ port: 8921 });
const context = await env.browser.newContext({ viewport: { width: 720, height: 640 } });
const shot = async (page, name) => {
  await page.waitForTimeout(150);
  await dialog(page).screenshot({ path: `${outDir}${name}.png` });
  console.log(`screenshots: ${name}.png`);
};
try {
  const email = uniqueEmail('shots');
  await createUser(env.stack, email, 'screenshot password', { full_name: 'Grace Hopper' });
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-login');
  await shot(page, 'login');
  await logInThroughForm(page, email, 'wrong password');
  await dialog(page).getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
  await shot(page, 'login-error');
  await dialog(page).getByRole('button', { name: 'Sign up' }).click();
  await shot(page, 'signup');
  await dialog(page).getByRole('button', { name: 'Log in', exact: true }).first().click();
  await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
  await shot(page, 'forgot-password');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByRole('button', { name: 'Send recovery email' }).click();
  await dialog(page).getByText("We've sent a recovery email").waitFor();
  await shot(page, 'recovery-sent');
  const mail = await waitForMail(env.stack, email, /reset/i);
  const recovery = await openPage(context, mail.link);
  await dialog(recovery).getByLabel('New password').waitFor();
  await shot(recovery, 'set-new-password');
  await dialog(recovery).getByLabel('New password').fill('screenshot password 2');
  await dialog(recovery).getByRole('button', { name: 'Update password' }).click();
  await dialog(recovery).getByText('Logged in as').waitFor();
  await shot(recovery, 'logged-in');
  const invitee = uniqueEmail('invitee');
  await fetch(`${env.stack.apiUrl}/invite`, { method: 'POST', headers: { authorization: `Bearer ${env.stack.operatorToken}` }, body: JSON.stringify({ email: invitee }) });
  const invite = await openPage(await env.browser.newContext({ viewport: { width: 720, height: 640 } }), (await waitForMail(env.stack, invitee, /invited/i)).link);
  await dialog(invite).getByRole('heading', { name: 'Complete your signup' }).waitFor();
  await shot(invite, 'accept-invite');
  const broken = await openPage(await env.browser.newContext({ viewport: { width: 720, height: 640 } }), `${env.stack.url}/#confirmation_token=expired-or-used`);
  await dialog(broken).getByText('There was an error verifying your account').waitFor();
  await shot(broken, 'link-failed');
  // Account page and user management, as an administrator.
  await makeAdmin(env.stack, email);
  for (const [i, name] of ['Ada Lovelace', 'Alan Turing', 'Katherine Johnson', 'Margaret Hamilton'].entries()) {
    const user = await createUser(env.stack, uniqueEmail(`person${i}`), 'screenshot password', { full_name: name });
    await fetch(`${env.stack.apiUrl}/admin/users/${user.id}`, { method: 'PUT', headers: { authorization: `Bearer ${env.stack.operatorToken}` }, body: JSON.stringify({ app_metadata: { roles: i % 2 ? ['editor'] : ['investigator', 'photographer'] } }) });
  }
  const wide = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const adminPage = await openPage(wide, env.stack.url);
  await logInThroughForm(adminPage, email, 'screenshot password 2');
  await dialog(adminPage).getByRole('button', { name: 'Account settings' }).click();
  await dialog(adminPage).getByRole('heading', { name: 'Account settings' }).waitFor();
  await shot(adminPage, 'account');
  await dialog(adminPage).getByRole('button', { name: 'Back', exact: true }).click();
  await dialog(adminPage).getByRole('button', { name: 'Manage users' }).click();
  await dialog(adminPage).locator('table tbody tr').first().waitFor();
  await shot(adminPage, 'users');
  await dialog(adminPage).getByRole('button', { name: /person0/ }).click();
  await dialog(adminPage).getByRole('heading', { name: 'User', exact: true }).waitFor();
  await shot(adminPage, 'user-detail');
  const dark = await env.browser.newContext({ viewport: { width: 720, height: 640 }, colorScheme: 'dark' });
  const darkPage = await openPage(dark, env.stack.url);
  await darkPage.click('.netlify-identity-signup');
  await shot(darkPage, 'signup-dark');
} finally {
  await env.tearDown();
}
