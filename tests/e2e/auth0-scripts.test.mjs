// Issue 25: the Auth0 custom-database scripts we ship for a lazy migration (build/auth0/), run
// under Node as Auth0 runs them — a script file defining `login` or `getByEmail`, with Auth0's
// `configuration` and `WrongUsernameOrPasswordError` — against the local netlify/gotrue and its
// identity-admin function: the right password gives the profile Auth0 keeps (same id, name,
// roles, confirmation), a wrong one and an unknown address Auth0's documented answers.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { after, before, test } from 'node:test';
import { makeAdmin } from '../../scripts/stack.mjs';
import { assert, createUser, seedUsers, setUp, uniqueEmail } from './helpers.mjs';

let env;
before(async () => { env = await setUp({ port: 9039 }); });
after(async () => { await env?.tearDown(); });

/** Auth0's error for credentials that are not right (its sandbox provides it). */
class WrongUsernameOrPasswordError extends Error {
  constructor(user, message) {
    super(message);
    this.user = user;
  }
}

/**
 * The function `name` of `build/auth0/<file>` in a context of its own with `configuration`;
 * called with arguments, it resolves to the callback's arguments.
 */
function auth0Script(file, name, configuration) {
  const context = vm.createContext({ configuration, WrongUsernameOrPasswordError, fetch, URLSearchParams });
  vm.runInContext(readFileSync(new URL(`../../build/auth0/${file}`, import.meta.url), 'utf8'), context, { filename: file });
  // Values made in the script's context have its prototypes: compared as JSON, errors as they are.
  const isError = (value) => Object.prototype.toString.call(value) === '[object Error]';
  const plain = (value) => (value && typeof value === 'object' && !isError(value) ? JSON.parse(JSON.stringify(value)) : value);
  return (...args) => new Promise((resolve) => { context[name](...args, (...answer) => resolve(answer.map(plain))); });
}

const configuration = () => ({
  IDENTITY_URL: `${env.stack.url}/.netlify/identity`,
  ADMIN_URL: `${env.stack.url}/.netlify/functions/identity-admin`,
  ADMIN_EMAIL: 'auth0-admin@example.com',
  ADMIN_PASSWORD: 'auth0 admin password 1',
});

test('Login: the right password gives the profile Auth0 keeps; a wrong one and an unknown address are wrong credentials', async () => {
  const email = uniqueEmail('lazy');
  const made = await createUser(env.stack, email, 'lazy password 1', { full_name: 'Lazy Mover' });
  await makeAdmin(env.stack, email);
  const login = auth0Script('login.js', 'login', configuration());

  const [error, profile] = await login(email, 'lazy password 1');
  assert.equal(error, null);
  assert.deepEqual(profile, {
    user_id: made.id, email, email_verified: true, name: 'Lazy Mover',
    user_metadata: { full_name: 'Lazy Mover' },
    app_metadata: { roles: ['admin'], authorization: { roles: ['admin'] } },
  });
  for (const [who, password] of [[email, 'not the password'], [uniqueEmail('nobody'), 'lazy password 1']]) {
    const answer = await login(who, password);
    assert.equal(answer.length, 1, 'only an error');
    assert.ok(answer[0] instanceof WrongUsernameOrPasswordError, `${who}: ${answer[0]}`);
    assert.equal(answer[0].user, who);
  }
  const [unset] = await auth0Script('login.js', 'login', {})(email, 'lazy password 1');
  assert.match(unset.message, /IDENTITY_URL/);
});

test('Get User: an address of the old site gives its profile (read page by page where the server cannot search); an unknown one is no user', async () => {
  await createUser(env.stack, 'auth0-admin@example.com', 'auth0 admin password 1');
  await makeAdmin(env.stack, 'auth0-admin@example.com');
  // More than a page of 500: the oldest is on the second, newest first.
  await seedUsers(env.stack, 600, 'auth0-seeded');
  const getUser = auth0Script('get-user.js', 'getByEmail', configuration());

  const [error, profile] = await getUser('AUTH0-SEEDED-0000@example.com');
  assert.equal(error, null);
  assert.equal(profile.email, 'auth0-seeded-0000@example.com');
  assert.match(profile.user_id, /^[0-9a-f-]{36}$/);
  assert.deepEqual([profile.name, profile.email_verified, profile.app_metadata], ['Seeded 0000', true, { roles: [], authorization: { roles: [] } }]);

  const unknown = await getUser(uniqueEmail('nobody'));
  assert.deepEqual(unknown, [null], 'callback(null): no such user');
  const [refused] = await auth0Script('get-user.js', 'getByEmail', { ...configuration(), ADMIN_PASSWORD: 'wrong' })('auth0-seeded-0000@example.com');
  assert.match(refused.message, /could not log in/);
});
