// The invariant explorer's fixed budget (tests/e2e/explorer.mjs): every sequence it ever found
// replayed, then 10 seeds × 150 steps (EXPLORE_SEEDS, EXPLORE_STEPS) across the variants (storage
// denied or full, clocks skewed both ways): about 9 minutes. `npm run explore` runs a longer
// budget; what it finds goes into explore-found.json.
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { assert, setUp } from './helpers.mjs';
import { VARIANTS, explore, run } from './explorer.mjs';

const SEEDS = Number(process.env.EXPLORE_SEEDS ?? 10);
const STEPS = Number(process.env.EXPLORE_STEPS ?? 150);
const found = JSON.parse(readFileSync(new URL('./explore-found.json', import.meta.url), 'utf8'));

let env;
before(async () => { env = await setUp({ port: 9015 }); });
after(async () => { await env?.tearDown(); });

for (const entry of found) {
  test(`found by the explorer (seed ${entry.seed}, ${entry.variant}): ${entry.found}`, async () => {
    assert.equal(await run(env, entry.actions, entry.variant), null);
  });
}

const variants = Object.keys(VARIANTS);
for (let seed = 1; seed <= SEEDS; seed++) {
  const variant = variants[(seed - 1) % variants.length];
  test(`explorer: seed ${seed}, ${STEPS} steps, ${variant}`, async () => {
    const finding = await explore(env, { seed, steps: STEPS, variant, shrinkBudget: 12, log: console.log });
    assert.equal(finding, null, finding && `${finding.shortestMessage}\nshortest sequence: ${JSON.stringify(finding.shortest)}`);
  });
}
