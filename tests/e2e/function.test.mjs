// Issue 15: the identity-admin Netlify Function we ship (build/functions/, ES module and
// CommonJS). First its handler alone, invoked as Netlify invokes it, in front of a loopback
// server that records what reaches "the Identity API": what is refused forwards nothing, what
// is allowed forwards only the listed call with the operator token. Then through the local
// stack's Netlify emulation against the real GoTrue: tokens that must not verify, users without
// the role, calls outside the list, oversized bodies.
import { createRequire } from 'node:module';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { clientContext, signJwt } from '../../scripts/functions.mjs';
import { JWT_SECRET, makeAdmin } from '../../scripts/stack.mjs';
import { assert, createUser, setUp, tokensFor, uniqueEmail } from './helpers.mjs';

const require = createRequire(import.meta.url);
const HANDLERS = {
  'ES module': (await import('../../build/functions/identity-admin.mjs')).handler,
  CommonJS: require('../../build/functions/identity-admin.cjs').handler,
};
const ADMIN_ID = '11111111-1111-4111-8111-111111111111';
const OTHER_ID = '22222222-2222-4222-8222-222222222222';
const OPERATOR_TOKEN = 'operator-token-that-must-stay-inside';
const CALLER_TOKEN = 'the-callers-own-token';
const BCRYPT_HASH = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

let identity;
let env;
before(async () => {
  identity = await recordingIdentityApi(9019);
  env = await setUp({ port: 9018 });
});
after(async () => {
  await identity?.close();
  await env?.tearDown();
});

/**
 * A stand-in for the Identity API that records each request. The caller's record has
 * `callerRoles`; `echoToken` makes it answer with the operator token in the body.
 */
async function recordingIdentityApi(port) {
  const api = { requests: [], callerRoles: ['admin'], echoToken: false };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      api.requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      const answer = req.url === `/admin/users/${ADMIN_ID}`
        ? { id: ADMIN_ID, app_metadata: { roles: api.callerRoles } }
        : { ok: true, ...(api.echoToken ? { leaked: req.headers.authorization } : {}) };
      res.writeHead(200, { 'content-type': 'application/json', 'x-total-count': '7' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${port}`;
  api.close = () => new Promise((resolve) => server.close(resolve));
  return api;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const claims = (roles, extra = {}) => ({ sub: ADMIN_ID, exp: inAnHour(), email: 'a@example.com', app_metadata: { roles }, ...extra });

/** Invokes `handler` as Netlify would for a caller with `user` claims (none: not verified). */
async function invoke(handler, { method = 'GET', path, query = {}, body = null, user = claims(['admin']) }) {
  identity.requests.length = 0;
  const event = {
    path: `/.netlify/functions/identity-admin${path}`, httpMethod: method, queryStringParameters: query,
    headers: { authorization: `Bearer ${CALLER_TOKEN}` }, body, isBase64Encoded: false,
  };
  const context = { clientContext: { identity: { url: identity.url, token: OPERATOR_TOKEN }, ...(user ? { user } : {}) } };
  const result = await handler(event, context);
  assert.equal(result.headers['x-identity-admin'], '1', 'every answer is marked as the function\'s');
  return { status: result.statusCode, json: JSON.parse(result.body), body: result.body, headers: result.headers, forwarded: [...identity.requests] };
}

for (const [format, handler] of Object.entries(HANDLERS)) {
  test(`${format}: an admin's listed calls reach the Identity API with the operator token, never the caller's`, async () => {
    const list = await invoke(handler, { path: '/admin/users', query: { page: '2', per_page: '25', sort: 'email asc', filter: 'ada', aud: 'other', extra: 'x' } });
    assert.equal(list.status, 200);
    assert.equal(list.headers['x-total-count'], '7');
    assert.deepEqual(list.forwarded.map((r) => `${r.method} ${r.url}`), [
      `GET /admin/users/${ADMIN_ID}`, // the caller's current record: are the roles still there?
      'GET /admin/users?page=2&per_page=25&sort=email+asc&filter=ada',
    ]);
    assert.ok(list.forwarded.every((r) => r.authorization === `Bearer ${OPERATOR_TOKEN}`));
    assert.ok(!list.body.includes(OPERATOR_TOKEN));

    const calls = [
      ['GET', `/admin/users/${OTHER_ID}`, null],
      ['PUT', `/admin/users/${OTHER_ID}`, { app_metadata: { roles: ['editor'] }, user_metadata: { full_name: 'Ada' }, email: 'b@example.com', confirm: true }],
      ['DELETE', `/admin/users/${OTHER_ID}`, null],
      ['POST', '/admin/users', { email: 'c@example.com', password: 'pw', confirm: true }],
      // A moved user: its id and bcrypt or argon2 hash, on create.
      ['POST', '/admin/users', { id: OTHER_ID, email: 'm@example.com', password_hash: BCRYPT_HASH }],
      ['POST', '/admin/users', { email: 'n@example.com', password_hash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo' }],
      ['POST', '/invite', { email: 'd@example.com', data: { full_name: 'Dee' } }],
      ['POST', '/recover', { email: 'e@example.com' }],
      // supabase/auth's passkeys of a user: the list, and removing one.
      ['GET', `/admin/users/${OTHER_ID}/passkeys`, null],
      ['DELETE', `/admin/users/${OTHER_ID}/passkeys/${ADMIN_ID}`, null],
    ];
    for (const [method, path, body] of calls) {
      const answer = await invoke(handler, { method, path, body: body && JSON.stringify(body) });
      assert.equal(answer.status, 200, `${method} ${path}`);
      const last = answer.forwarded.at(-1);
      assert.equal(`${last.method} ${last.url}`, `${method} ${path}`);
      assert.deepEqual(last.body ? JSON.parse(last.body) : null, body);
      assert.equal(last.authorization, `Bearer ${OPERATOR_TOKEN}`);
      assert.ok(answer.forwarded.every((r) => !r.authorization.includes(CALLER_TOKEN)));
    }
  });

  test(`${format}: whoever is not an admin, and whatever is not listed, is refused and nothing is forwarded`, async () => {
    const refusals = [
      ['no verified caller', { path: '/admin/users', user: null }, 401],
      ['claims past their expiry', { path: '/admin/users', user: claims(['admin'], { exp: 1000 }) }, 401],
      ['no admin role', { path: '/admin/users', user: claims(['editor']) }, 403],
      ['roles that are not a list', { path: '/admin/users', user: claims('admin') }, 403],
      ['a path outside the list', { path: '/settings' }, 404],
      ['GoTrue\'s token endpoint', { method: 'POST', path: '/token', body: 'grant_type=password' }, 404],
      ['a user id that is not one', { path: '/admin/users/..%2F..%2Fsettings' }, 404],
      ['a dot-dot path', { path: '/admin/users/../../settings' }, 404],
      ['a method outside the list', { method: 'PATCH', path: `/admin/users/${OTHER_ID}`, body: '{}' }, 405],
      ['DELETE on the list', { method: 'DELETE', path: '/admin/users' }, 405],
      ['DELETE on a user\'s passkeys', { method: 'DELETE', path: `/admin/users/${OTHER_ID}/passkeys` }, 405],
      ['a passkey id that is not one', { method: 'DELETE', path: `/admin/users/${OTHER_ID}/passkeys/..` }, 404],
      ['a path below a passkey', { path: `/admin/users/${OTHER_ID}/passkeys/${ADMIN_ID}/x` }, 404],
      ['an attribute outside the list', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: '{"role":"admin"}' }, 400],
      ['the audience override', { method: 'POST', path: '/invite', body: '{"email":"x@example.com","aud":"other"}' }, 400],
      ['an id on an update', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: JSON.stringify({ id: ADMIN_ID }) }, 400],
      ['a password hash on an update', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: JSON.stringify({ password_hash: BCRYPT_HASH }) }, 400],
      ['a password hash that is neither bcrypt nor argon2', { method: 'POST', path: '/admin/users', body: JSON.stringify({ email: 'x@example.com', password_hash: '5f4dcc3b5aa765d61d8327deb882cf99' }) }, 400],
      ['an id that is not a UUID', { method: 'POST', path: '/admin/users', body: JSON.stringify({ email: 'x@example.com', id: '7' }) }, 400],
      ['a body that is not an object', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: '[1]' }, 400],
      ['metadata that is not an object', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: '{"app_metadata":"admin"}' }, 400],
      ['an oversized body', { method: 'PUT', path: `/admin/users/${OTHER_ID}`, body: JSON.stringify({ user_metadata: { notes: 'x'.repeat(70_000) } }) }, 413],
      ['a list query of the wrong shape', { path: '/admin/users', query: { per_page: '1; DROP' } }, 400],
    ];
    for (const [what, request, status] of refusals) {
      const answer = await invoke(handler, request);
      assert.equal(answer.status, status, what);
      assert.equal(typeof answer.json.msg, 'string', `${what}: a message`);
      // Only the caller's own record may have been read (to check the roles), nothing else.
      assert.ok(answer.forwarded.every((r) => r.method === 'GET' && r.url === `/admin/users/${ADMIN_ID}`), `${what}: nothing forwarded`);
    }
  });

  test(`${format}: a role taken away counts at once, and an answer carrying the operator token is withheld`, async () => {
    identity.callerRoles = ['editor']; // the token still says admin; the record no longer does
    const revoked = await invoke(handler, { method: 'DELETE', path: `/admin/users/${OTHER_ID}` });
    assert.equal(revoked.status, 403);
    assert.deepEqual(revoked.forwarded.map((r) => r.method), ['GET'], 'the delete was not forwarded');
    identity.callerRoles = ['admin'];

    identity.echoToken = true;
    const leaking = await invoke(handler, { path: `/admin/users/${OTHER_ID}` });
    identity.echoToken = false;
    assert.equal(leaking.status, 502);
    assert.ok(!leaking.body.includes(OPERATOR_TOKEN));
  });
}

test('the roles come from IDENTITY_ADMIN_ROLES when set', async () => {
  process.env.IDENTITY_ADMIN_ROLES = 'editor, owner';
  try {
    identity.callerRoles = ['owner'];
    assert.equal((await invoke(HANDLERS['ES module'], { path: '/admin/users', user: claims(['owner']) })).status, 200);
    assert.equal((await invoke(HANDLERS['ES module'], { path: '/admin/users', user: claims(['admin']) })).status, 403);
  } finally {
    delete process.env.IDENTITY_ADMIN_ROLES;
    identity.callerRoles = ['admin'];
  }
});

test('Netlify\'s base64 client context is read too, and no Identity is a clear 500', async () => {
  const context = clientContext(`Bearer ${signJwt(claims(['admin']), JWT_SECRET)}`, { jwtSecret: JWT_SECRET, identityUrl: identity.url });
  const event = { path: '/.netlify/functions/identity-admin/admin/users', httpMethod: 'GET', headers: {}, body: null };
  const custom = await HANDLERS.CommonJS(event, { clientContext: { custom: context.custom } });
  assert.equal(custom.statusCode, 200);
  const none = await HANDLERS.CommonJS(event, { clientContext: {} });
  assert.equal(none.statusCode, 500);
  assert.match(JSON.parse(none.body).msg, /Identity is not enabled/);
});

// Through the stack: Netlify's part (verifying the Bearer JWT) and the real GoTrue.
test('on the stack: only a verified, unexpired token of a user with the role gets through; the rest is refused and changes nothing', async () => {
  const stack = env.stack;
  const fn = `${stack.url}/.netlify/functions/identity-admin`;
  const call = (path, token, init = {}) => fetch(`${fn}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  const adminEmail = uniqueEmail('fn-admin');
  await createUser(stack, adminEmail, 'function password 1');
  await makeAdmin(stack, adminEmail);
  const adminToken = (await tokensFor(stack, adminEmail, 'function password 1')).access_token;
  const plainEmail = uniqueEmail('fn-plain');
  const plain = await createUser(stack, plainEmail, 'function password 1');
  const plainToken = (await tokensFor(stack, plainEmail, 'function password 1')).access_token;
  const victim = await createUser(stack, uniqueEmail('fn-victim'), 'function password 1');

  const listed = await call('/admin/users?per_page=100', adminToken);
  assert.equal(listed.status, 200);
  assert.ok((await listed.json()).users.some((u) => u.id === victim.id));

  const adminClaims = JSON.parse(Buffer.from(adminToken.split('.')[1], 'base64url'));
  const forged = signJwt(adminClaims, 'another-secret-entirely-0123456789');
  const expired = signJwt({ ...adminClaims, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET);
  const refusals = [
    ['a token signed with another secret', () => call(`/admin/users/${victim.id}`, forged, { method: 'DELETE' }), 401],
    ['an expired token', () => call(`/admin/users/${victim.id}`, expired, { method: 'DELETE' }), 401],
    ['a user without the role, by hand', () => call(`/admin/users/${victim.id}`, plainToken, { method: 'DELETE' }), 403],
    ['a user without the role giving themselves the role', () => call(`/admin/users/${plain.id}`, plainToken, { method: 'PUT', body: JSON.stringify({ app_metadata: { roles: ['admin'] } }) }), 403],
    ['an admin setting GoTrue\'s role column', () => call(`/admin/users/${victim.id}`, adminToken, { method: 'PUT', body: JSON.stringify({ role: 'admin' }) }), 400],
    ['a path outside the list', () => call('/settings', adminToken), 404],
    ['an oversized body', () => call(`/admin/users/${victim.id}`, adminToken, { method: 'PUT', body: JSON.stringify({ user_metadata: { notes: 'x'.repeat(100_000) } }) }), 413],
  ];
  for (const [what, send, status] of refusals) {
    const answer = await send();
    assert.equal(answer.status, status, what);
    assert.equal(answer.headers.get('x-identity-admin'), '1', `${what}: the function answered`);
  }
  const check = await fetch(`${stack.apiUrl}/admin/users/${victim.id}`, { headers: { authorization: `Bearer ${stack.operatorToken}` } });
  assert.equal(check.status, 200, 'the user was not deleted');
  const victimNow = await check.json();
  assert.notEqual(victimNow.role, 'admin');
  assert.deepEqual(victimNow.user_metadata, {});
  const plainNow = await (await fetch(`${stack.apiUrl}/admin/users/${plain.id}`, { headers: { authorization: `Bearer ${stack.operatorToken}` } })).json();
  assert.deepEqual(plainNow.app_metadata.roles ?? [], [], 'no role was given');

  const missing = await fetch(`${stack.url}/.netlify/functions/not-installed/admin/users`, { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('x-identity-admin'), null, 'a missing function is not the function');
});
