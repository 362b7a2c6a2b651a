// Sessions cross over with the real old widget (npm netlify-identity-widget 1.9.2 and 2.0.3,
// test peers) and gotrue-js 1.0.1 alone: a session they wrote is restored by ours with no new
// login, and the reverse.
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { assert, createUser, currentEmail, dialog, eventually, logInThroughForm, openPage, setUp, uniqueEmail, widgetReady } from './helpers.mjs';

const OLD = { v1: 'old-widget-v1', v2: 'old-widget-v2' };
let env;
let gotrueJs; // npm gotrue-js 1.0.1, bundled for the page as window.GoTrueJs
before(async () => {
  const bundled = await build({
    stdin: { contents: "import GoTrue from 'gotrue-js'; window.GoTrueJs = GoTrue;", resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    bundle: true, write: false, format: 'iife', logLevel: 'warning',
  });
  gotrueJs = bundled.outputFiles[0].text;
  env = await setUp({
    port: 8995,
    extraRoutes(url, req, res) {
      if (url.pathname === '/gotrue-js.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(gotrueJs);
        return true;
      }
      const match = url.pathname.match(/^\/old\/(v1|v2)\/netlify-identity-widget\.js$/);
      if (!match) return false;
      const file = new URL(`../../node_modules/${OLD[match[1]]}/build/netlify-identity-widget.js`, import.meta.url);
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(file));
      return true;
    },
  });
});
after(async () => { await env?.tearDown(); });

/** A browser profile where local pages know the site's URL, as after the localhost prompt. */
async function profile() {
  const context = await env.browser.newContext();
  await context.addInitScript((siteUrl) => localStorage.setItem('netlifySiteURL', siteUrl), env.stack.url);
  return context;
}

/** A new user logged in through our widget's form, in a fresh profile. */
async function loggedInWithOurs(label) {
  const email = uniqueEmail(label);
  await createUser(env.stack, email, 'crossover password 2');
  const context = await profile();
  const ours = await openPage(context, `${env.stack.url}/local.html`);
  await widgetReady(ours);
  await ours.evaluate(() => netlifyIdentity.open('login'));
  await logInThroughForm(ours, email, 'crossover password 2');
  await dialog(ours).getByText('Logged in as').waitFor();
  return { context, email };
}

async function tokenWorks(token) {
  const response = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${token}` } });
  return response.status === 200;
}

for (const version of ['v1', 'v2']) {
  test(`COMPAT 41: a session the old widget (${version}) wrote is restored by ours, without a new login`, async () => {
    const email = uniqueEmail(`from-old-${version}`);
    await createUser(env.stack, email, 'crossover password 1');
    const context = await profile();
    const old = await openPage(context, `${env.stack.url}/old-${version}.html`);
    await eventually(() => old.evaluate(() => !!(window.netlifyIdentity && netlifyIdentity.gotrue)), 'the old widget');
    const stored = await old.evaluate(([e, p]) => netlifyIdentity.gotrue.login(e, p, true).then(() => localStorage.getItem('gotrue.user')), [email, 'crossover password 1']);
    assert.ok(JSON.parse(stored).token.access_token, 'the old widget stored a session');

    const ours = await openPage(context, `${env.stack.url}/local.html`);
    await widgetReady(ours);
    assert.equal(await currentEmail(ours), email);
    const token = await ours.evaluate(() => netlifyIdentity.currentUser().jwt());
    assert.ok(await tokenWorks(token));
    assert.deepEqual(ours.errors, []);
    await context.close();
  });

  test(`COMPAT 41: a session ours wrote is restored by the old widget (${version})`, async () => {
    const { context, email } = await loggedInWithOurs(`to-old-${version}`);

    const old = await openPage(context, `${env.stack.url}/old-${version}.html`);
    await eventually(() => old.evaluate(() => !!(window.netlifyIdentity && netlifyIdentity.currentUser())), 'the old widget to restore the user');
    assert.equal(await old.evaluate(() => netlifyIdentity.currentUser().email), email);
    const token = await old.evaluate(() => netlifyIdentity.currentUser().jwt());
    assert.ok(await tokenWorks(token));
    await context.close();
  });
}

test('COMPAT 41: a session ours wrote is restored by gotrue-js (1.0.1) on its own', async () => {
  const { context, email } = await loggedInWithOurs('to-gotrue-js');

  const page = await openPage(context, `${env.stack.url}/blank.html`);
  await page.addScriptTag({ url: '/gotrue-js.js' });
  const restored = await page.evaluate(async (apiUrl) => {
    const user = new window.GoTrueJs({ APIUrl: apiUrl }).currentUser();
    return user && { email: user.email, token: await user.jwt(true) };
  }, env.stack.apiUrl);
  assert.equal(restored?.email, email);
  assert.ok(await tokenWorks(restored.token), 'gotrue-js refreshed our session');
  assert.deepEqual(page.errors, []);
  await context.close();
});
