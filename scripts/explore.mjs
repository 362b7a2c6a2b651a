// `npm run explore`: the invariant explorer (tests/e2e/explorer.mjs) with a longer budget than
// `npm test` runs. Options: --seeds N (20), --steps N (500), --first-seed N (1000),
// --variant NAME|all (all), --shrink N (replays, 40). Prints each violation with its seed and
// its shortest sequence, as an entry for tests/e2e/explore-found.json; exits 1 if any.
import { parseArgs } from 'node:util';
import { setUp } from '../tests/e2e/helpers.mjs';
import { VARIANTS, explore } from '../tests/e2e/explorer.mjs';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    steps: { type: 'string', default: '500' },
    'first-seed': { type: 'string', default: '1000' },
    variant: { type: 'string', default: 'all' },
    shrink: { type: 'string', default: '40' },
  },
});
const variants = values.variant === 'all' ? Object.keys(VARIANTS) : [values.variant];
if (!variants.every((v) => v in VARIANTS)) throw new Error(`--variant: one of ${Object.keys(VARIANTS).join(', ')} or all`);
const env = await setUp({ port: 8870 });
const found = [];
try {
  for (let i = 0; i < Number(values.seeds); i++) {
    const seed = Number(values['first-seed']) + i;
    const variant = variants[i % variants.length];
    const started = Date.now();
    const finding = await explore(env, { seed, steps: Number(values.steps), variant, shrinkBudget: Number(values.shrink), log: console.log });
    console.log(`seed ${seed} (${variant}), ${values.steps} steps: ${finding ? 'VIOLATION' : 'clean'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (finding) {
      found.push(finding);
      console.log(JSON.stringify({ seed, variant, found: finding.shortestMessage, actions: finding.shortest }));
    }
  }
} finally {
  await env.tearDown();
}
console.log(`${found.length} violation(s) in ${values.seeds} seeds × ${values.steps} steps`);
process.exit(found.length ? 1 : 0);
