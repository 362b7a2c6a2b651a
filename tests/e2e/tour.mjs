// A walk through every screen of the widget against the real stack, shared by the
// accessibility test and the screenshots: `visit(page, name)` runs on each screen as it shows.
// Navigation uses English labels; a visit may switch the locale and must switch it back.
import { makeAdmin } from '../../scripts/stack.mjs';
import { createUser, dialog, logInThroughForm, openPage, uniqueEmail, waitForMail, widgetReady } from './helpers.mjs';

const PASSWORD = 'tour password 1';

export async function tour(env, newContext, visit) {
  const email = uniqueEmail('tour');
  await createUser(env.stack, email, PASSWORD, { full_name: 'Grace Hopper' });
  const context = await newContext();
  const page = await openPage(context, env.stack.url);
  await visit(page, 'controls-logged-out');
  await page.click('.netlify-identity-login');
  await dialog(page).getByLabel('Email').waitFor();
  await visit(page, 'login');
  await logInThroughForm(page, email, 'wrong password');
  await dialog(page).getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
  await visit(page, 'login-error');
  // Busy: the real login request, held back a moment on its way out.
  await page.route('**/.netlify/identity/token', async (route) => { await new Promise((r) => setTimeout(r, 2000)); await route.continue(); });
  await dialog(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog(page).locator('form').getByRole('button', { name: 'Log in', exact: true }).click();
  await dialog(page).locator('[aria-busy="true"]').waitFor();
  await visit(page, 'login-busy');
  await dialog(page).getByText('Logged in as').waitFor();
  await page.unroute('**/.netlify/identity/token');
  await visit(page, 'logged-in');
  await page.keyboard.press('Escape');
  await visit(page, 'controls-logged-in');
  await page.evaluate(() => netlifyIdentity.logout());
  await page.evaluate(() => netlifyIdentity.open('signup'));
  await dialog(page).getByLabel('Name').waitFor();
  await visit(page, 'signup');
  // A site's options: logo, name, its own signup fields and a consent checkbox.
  const options = {
    logo: '/logo.svg', siteName: 'Acme Cooperative', consent: { termsUrl: '/terms', privacyUrl: '/privacy' },
    signupFields: [
      { name: 'company', label: 'Company', required: true },
      { name: 'newsletter', type: 'checkbox', label: 'Send me the newsletter' },
      { name: 'plan', type: 'select', label: 'Plan', options: ['free', 'pro'] },
    ],
  };
  const site = await openPage(await newContext(), `${env.stack.url}/options.html?options=${encodeURIComponent(JSON.stringify(options))}`);
  await widgetReady(site);
  await site.evaluate(() => netlifyIdentity.open('signup'));
  await dialog(site).getByLabel('Company').waitFor();
  await visit(site, 'signup-site-options');
  await page.evaluate(() => netlifyIdentity.open('login'));
  await dialog(page).getByRole('button', { name: 'Forgot password?' }).click();
  await visit(page, 'forgot-password');
  await dialog(page).getByLabel('Email').fill(email);
  await dialog(page).getByRole('button', { name: 'Send recovery email' }).click();
  await dialog(page).getByText("We've sent a recovery email").waitFor();
  await visit(page, 'recovery-sent');

  const mail = await waitForMail(env.stack, email, /reset/i);
  const recovery = await openPage(await newContext(), mail.link);
  await dialog(recovery).getByLabel('New password').waitFor();
  await visit(recovery, 'set-new-password');

  const invitee = uniqueEmail('tour-invitee');
  await fetch(`${env.stack.apiUrl}/invite`, { method: 'POST', headers: { authorization: `Bearer ${env.stack.operatorToken}` }, body: JSON.stringify({ email: invitee }) });
  const invite = await openPage(await newContext(), (await waitForMail(env.stack, invitee, /invited/i)).link);
  await dialog(invite).getByRole('heading', { name: 'Complete your signup' }).waitFor();
  await visit(invite, 'accept-invite');

  const broken = await openPage(await newContext(), `${env.stack.url}/#confirmation_token=expired-or-used`);
  await dialog(broken).getByText('There was an error verifying your account').waitFor();
  await visit(broken, 'link-failed');

  const local = await openPage(await newContext(), `${env.stack.url}/site.html`);
  await widgetReady(local);
  await local.evaluate(() => netlifyIdentity.open());
  await dialog(local).getByLabel('Site URL').waitFor();
  await visit(local, 'site-url');

  // The account page and user management, as an administrator.
  await makeAdmin(env.stack, email);
  for (const [i, name] of ['Ada Lovelace', 'Alan Turing', 'Katherine Johnson', 'Margaret Hamilton'].entries()) {
    const user = await createUser(env.stack, uniqueEmail(`person${i}`), PASSWORD, { full_name: name });
    await fetch(`${env.stack.apiUrl}/admin/users/${user.id}`, { method: 'PUT', headers: { authorization: `Bearer ${env.stack.operatorToken}` }, body: JSON.stringify({ app_metadata: { roles: i % 2 ? ['editor'] : ['investigator', 'photographer'] } }) });
  }
  const admin = await openPage(await newContext({ viewport: { width: 1100, height: 900 } }), env.stack.url);
  await logInThroughForm(admin, email, PASSWORD);
  await dialog(admin).getByRole('button', { name: 'Account settings' }).click();
  await dialog(admin).getByRole('heading', { name: 'Account settings' }).waitFor();
  await visit(admin, 'account');
  await dialog(admin).getByRole('button', { name: 'Back', exact: true }).click();
  await dialog(admin).getByRole('button', { name: 'Manage users' }).click();
  await dialog(admin).locator('table tbody tr').first().waitFor();
  await visit(admin, 'users');
  await dialog(admin).getByRole('button', { name: /person0/ }).click();
  await dialog(admin).getByRole('heading', { name: 'User', exact: true }).waitFor();
  await visit(admin, 'user-detail');
}
