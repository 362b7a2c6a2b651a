// What the server's /settings decides: signups disabled, and external-provider buttons
// (GitLab enabled in GoTrue, pointed at a loopback address that is never contacted: the test
// stops the navigation at GoTrue's /authorize and checks where the widget sent the browser).
import { after, before, test } from 'node:test';
import { assert, dialog, openPage, setUp, uniqueEmail, waitForMail } from './helpers.mjs';

const port = 8951;
let env;
before(async () => {
  env = await setUp({
    port,
    gotrueEnv: {
      GOTRUE_DISABLE_SIGNUP: 'true',
      GOTRUE_EXTERNAL_GITLAB_ENABLED: 'true',
      GOTRUE_EXTERNAL_GITLAB_CLIENT_ID: 'local-client',
      GOTRUE_EXTERNAL_GITLAB_SECRET: 'local-secret',
      GOTRUE_EXTERNAL_GITLAB_REDIRECT_URI: `http://127.0.0.1:${port}/.netlify/identity/callback`,
      GOTRUE_EXTERNAL_GITLAB_URL: 'http://127.0.0.1:9',
    },
  });
});
after(async () => { await env?.tearDown(); });

test('COMPAT 55, 61: with signups disabled there is no signup tab, and open("signup") explains why', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.stack.url);
  await page.click('.netlify-identity-login');
  await dialog(page).getByRole('button', { name: 'Continue with GitLab' }).waitFor();
  assert.equal(await dialog(page).locator('.gw-tab').count(), 1, 'only the Log in tab');
  await page.evaluate(() => { netlifyIdentity.close(); netlifyIdentity.open('signup'); });
  await dialog(page).getByText('Public signups are disabled').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('COMPAT 45, 56, 61: provider buttons go to /authorize, with the invite token on the invite page', async () => {
  const email = uniqueEmail('provider');
  const response = await fetch(`${env.stack.apiUrl}/invite`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.stack.operatorToken}` },
    body: JSON.stringify({ email }),
  });
  assert.equal(response.status, 200);
  const mail = await waitForMail(env.stack, email, /invited/i);
  const inviteToken = decodeURIComponent(mail.link.split('invite_token=')[1]);

  const context = await env.browser.newContext();
  const page = await openPage(context, mail.link);
  let authorize = null;
  await page.route('**/.netlify/identity/authorize*', (route) => {
    authorize = new URL(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'stopped before the provider' });
  });
  await dialog(page).getByRole('button', { name: 'Continue with GitLab' }).click();
  await page.getByText('stopped before the provider').waitFor();
  assert.equal(authorize.pathname, '/.netlify/identity/authorize');
  assert.equal(authorize.searchParams.get('provider'), 'gitlab');
  assert.equal(authorize.searchParams.get('invite_token'), inviteToken);
  await context.close();
});
