// Accessibility (issue 6): axe-core (WCAG 2.0–2.2 A and AA rules, target size included) finds
// nothing on any screen of the tour, in light and dark, left to right and right to left.
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { assert, setUp } from './helpers.mjs';
import { tour } from './tour.mjs';

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
before(async () => { env = await setUp({ port: 8977 }); });
after(async () => { await env?.tearDown(); });

/** Sets the language and waits until the dialog (if there is one yet) and the controls show it. */
async function useLocale(page, code) {
  await page.evaluate((c) => netlifyIdentity.setLocale(c), code);
  const dir = code === 'ar' ? 'rtl' : 'ltr';
  await page.waitForFunction((d) => {
    const dialog = document.querySelector('#netlify-identity-widget')?.shadowRoot?.querySelector('dialog');
    const shown = dialog || document.querySelector('.netlify-identity-menu');
    return !shown || shown.getAttribute('dir') === d;
  }, dir);
}

test('axe-core finds no WCAG 2.2 AA violation on any screen, light and dark, ltr and rtl', async () => {
  const violations = [];
  let checks = 0;
  await tour(env, (options = {}) => env.browser.newContext(options), async (page, name) => {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE); // evaluated, not a script tag: the page's CSP allows no inline script
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const locale of ['en', 'ar']) {
        await useLocale(page, locale);
        const found = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
          .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)), TAGS);
        checks += 1;
        for (const v of found) violations.push(`${name} (${scheme}, ${locale}) ${v}`);
      }
    }
    await useLocale(page, 'en');
    await page.emulateMedia({ colorScheme: 'light' });
  });
  assert.ok(checks >= 14 * 4, `every screen checked four ways (${checks} checks)`);
  assert.deepEqual(violations, []);
});
