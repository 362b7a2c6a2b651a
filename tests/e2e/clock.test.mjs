// A device whose clock is hours off (issue 14, point 5): expiry is judged on the server's clock,
// learned when each token arrives, so such a device refreshes once per real expiry, in every
// tab, and never hands out a token the server already considers expired.
import { after, before, test } from 'node:test';
import { assert, createUser, dialog, logInThroughForm, openPage, setUp, uniqueEmail } from './helpers.mjs';

// Short-lived tokens: refreshed in their last quarter (src/core/session.rs), 15 s after issue.
const LIFETIME_S = 20;
let env;
before(async () => { env = await setUp({ port: 9017, jwtExp: LIFETIME_S }); });
after(async () => { await env?.tearDown(); });

const HOURS_2 = 2 * 3600_000;

for (const skew of [HOURS_2, -HOURS_2]) {
  test(`with the clock ${skew > 0 ? 'two hours ahead' : 'two hours behind'}, ten jwt() calls refresh once per real expiry, in both tabs`, async () => {
    const email = uniqueEmail('clock');
    const password = 'clock password 1';
    await createUser(env.stack, email, password);
    const context = await env.browser.newContext();
    const refreshes = [];
    const url = `${env.stack.siteLikeUrl}/explore.html?skew=${skew}`;
    const [page, other] = [await openPage(context), await openPage(context)];
    for (const tab of [page, other]) {
      tab.on('request', (request) => { if (/grant_type=refresh_token/.test(request.postData() ?? '')) refreshes.push(request); });
      await tab.goto(url);
    }
    await logInThroughForm(page, email, password);
    await dialog(page).getByText('Logged in as').waitFor();
    await other.waitForFunction(() => netlifyIdentity.currentUser());
    const tenCalls = (tab) => tab.evaluate(async () => {
      const tokens = [];
      for (let i = 0; i < 10; i++) tokens.push(await netlifyIdentity.currentUser().jwt());
      return tokens;
    });
    const first = [...await tenCalls(page), ...await tenCalls(other)];
    assert.equal(refreshes.length, 0, 'a fresh token is not refreshed');
    assert.equal(new Set(first).size, 1);

    // Past the refresh point in server time (not in the device's): one refresh for both tabs.
    await page.waitForTimeout((LIFETIME_S * 0.75 + 1) * 1000);
    const [mine, theirs] = await Promise.all([tenCalls(page), tenCalls(other)]);
    assert.equal(refreshes.length, 1, `${refreshes.length} refreshes`);
    assert.equal(new Set([...mine, ...theirs]).size, 1, 'both tabs hand out the refreshed token');
    assert.notEqual(mine[0], first[0]);
    const answer = await fetch(`${env.stack.apiUrl}/user`, { headers: { authorization: `Bearer ${mine[0]}` } });
    assert.equal(answer.status, 200, 'the server accepts the token handed out');
    assert.deepEqual([...page.errors, ...other.errors], []);
    await context.close();
  });
}
