// `npm run bench:admin`: what the identity-admin function adds to an admin call on the local
// stack — the median of 41 `GET /admin/users` straight to GoTrue (an admin by GoTrue's group)
// against the same call through the function (an admin by role: the stack's Netlify emulation
// verifies the token, the function re-reads the caller's record, then forwards).
import { makeAdmin, makeGroupAdmin, startStack } from './stack.mjs';

const RUNS = 41;
const PASSWORD = 'bench admin password 1';
const stack = await startStack({ port: Number(process.env.PORT || 8860), freshDatabase: true });
try {
  const create = (email) => fetch(`${stack.apiUrl}/admin/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.operatorToken}` },
    body: JSON.stringify({ email, password: PASSWORD, confirm: true }),
  });
  const tokenOf = async (email) => {
    const body = new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD });
    return (await (await fetch(`${stack.apiUrl}/token`, { method: 'POST', body })).json()).access_token;
  };
  await create('group-admin@example.com');
  await makeGroupAdmin(stack, 'group-admin@example.com');
  await create('role-admin@example.com');
  await makeAdmin(stack, 'role-admin@example.com');
  const [groupToken, roleToken] = await Promise.all([tokenOf('group-admin@example.com'), tokenOf('role-admin@example.com')]);
  const median = async (url, token) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await response.text();
      if (response.status !== 200) throw new Error(`bench:admin: ${url} answered ${response.status}`);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[RUNS >> 1].toFixed(1);
  };
  const query = '/admin/users?page=1&per_page=25';
  console.log(`| path | median of ${RUNS} (ms) |\n|---|---:|`);
  console.log(`| straight to GoTrue | ${await median(`${stack.apiUrl}${query}`, groupToken)} |`);
  console.log(`| through /.netlify/functions/identity-admin | ${await median(`${stack.url}/.netlify/functions/identity-admin${query}`, roleToken)} |`);
} finally {
  await stack.close();
}
