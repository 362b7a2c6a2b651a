// Takes the README's gallery: every screen of the tour (tests/e2e/tour.mjs) in light and dark,
// and the login and signup screens in Arabic (right to left), against the real local stack.
// node scripts/screenshots.mjs  (after npm run build) → tests/e2e/screenshots/<screen>-<theme>.png
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dialog, setUp } from '../tests/e2e/helpers.mjs';
import { tour } from '../tests/e2e/tour.mjs';

const outDir = new URL('../tests/e2e/screenshots/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(outDir).filter((f) => f.endsWith('.png'))) rmSync(outDir + file);
const RTL_SCREENS = ['login', 'signup'];

async function shoot(page, path) {
  await page.waitForTimeout(150);
  const open = await page.evaluate(() => netlifyIdentity.store.modal.isOpen);
  await (open ? dialog(page) : page.locator('[data-netlify-identity-menu]')).screenshot({ path });
  console.log(`screenshots: ${path.slice(outDir.length)}`);
}

const env = await setUp({ port: 8921 });
try {
  await tour(env, (options = {}) => env.browser.newContext({ viewport: { width: 720, height: 640 }, ...options }), async (page, name) => {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await shoot(page, `${outDir}${name}-${scheme}.png`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    if (RTL_SCREENS.includes(name)) {
      await page.evaluate(() => netlifyIdentity.setLocale('ar'));
      await dialog(page).and(page.locator('[dir="rtl"]')).waitFor();
      await shoot(page, `${outDir}${name}-rtl.png`);
      await page.evaluate(() => netlifyIdentity.setLocale('en'));
    }
  });
} finally {
  await env.tearDown();
}
