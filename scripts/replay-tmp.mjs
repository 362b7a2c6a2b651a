import { setUp } from '/work/main/tests/e2e/helpers.mjs';
import { run } from '/work/main/tests/e2e/explorer.mjs';
const actions = [{"do":"submit"},{"do":"settle"},{"do":"link","user":1,"sameDocument":true},{"do":"submit"},{"do":"jwt"},{"do":"open","page":"login"},{"do":"reload"},{"do":"settle"}];
const env = await setUp({ port: 8862 });
try {
  for (let i = 0; i < 6; i++) console.log(i, await run(env, actions, 'clock-behind'));
} finally { await env.tearDown(); }
