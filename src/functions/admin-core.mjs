// What both identity-admin functions share: which of the widget's admin calls they forward (and
// nothing else), the bodies and list queries they accept, who counts as an administrator, and
// forwarding that never returns the credential it used. The adapters — identity-admin.mjs for
// Netlify (Lambda-style) and identity-admin-supabase.mjs for Supabase (a Web-standard
// `(Request) => Response`) — decide who the caller is. The build bundles each into one file.

/** The roles that may administer users when IDENTITY_ADMIN_ROLES is not set. */
const DEFAULT_ADMIN_ROLES = 'admin';
/** Larger request bodies are refused (an admin call's body is a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Every answer of these functions carries it, so the widget can tell them from a missing one. */
export const MARKER_HEADER = 'x-identity-admin';
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The password hashes a created user may bring: bcrypt (what GoTrue writes) or argon2 (PHC). */
const PASSWORD_HASH = [
  /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/,
  /^\$argon2(i|d|id)\$v=(16|19)\$m=\d+,t=\d+,p=\d+(,[^$]*)?\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
];

/**
 * The calls forwarded, by GoTrue path: for each method, the body members it may carry (`null`
 * for no body). Whatever is not here is refused. `confirm` names the server's member that
 * confirms an address (netlify/gotrue `confirm`, supabase/auth `email_confirm`).
 */
function routes(confirm) {
  const userAttributes = ['email', 'password', confirm, 'user_metadata', 'app_metadata'];
  return {
    // A user moved from another server keeps its id and its password's hash: on create only.
    users: { GET: null, POST: [...userAttributes, 'id', 'password_hash'] },
    user: { GET: null, PUT: userAttributes, DELETE: null },
    // supabase/auth's passkeys of a user: see them, remove one (netlify/gotrue answers 404).
    passkeys: { GET: null },
    passkey: { DELETE: null },
    invite: { POST: ['email', 'data'] },
    recover: { POST: ['email'] },
  };
}

/** The list's query, rebuilt from these members only. */
const LIST_QUERY = {
  page: /^[1-9]\d{0,5}$/,
  per_page: /^[1-9]\d{0,3}$/,
  sort: /^(created_at|email|updated_at) (asc|desc)$/,
  filter: /^[^\0-\x1f]{1,200}$/,
};

/** The administrators' roles from IDENTITY_ADMIN_ROLES (comma-separated). */
export function adminRoles(setting) {
  const roles = String(setting || DEFAULT_ADMIN_ROLES).split(',').map((role) => role.trim()).filter(Boolean);
  return roles.length > 0 ? roles : [DEFAULT_ADMIN_ROLES];
}

export const refuse = (status, msg) => ({ status, body: JSON.stringify({ code: status, msg }) });

/** Whether a user record (or verified claims) holds one of `roles` in `app_metadata.roles`. */
export function holdsRole(record, roles) {
  const held = record && record.app_metadata && record.app_metadata.roles;
  return Array.isArray(held) && held.some((role) => roles.includes(role));
}

/**
 * The route of one request `{method, path, query, body}`, checked before anything else:
 * `{route}` or `{refusal}` (404 not an admin call, 405 a method it does not take).
 */
export function routeFor(request, confirm) {
  const route = routeOf(request.path);
  if (!route) return { refusal: refuse(404, 'Not an admin call this function forwards') };
  const allowed = routes(confirm)[route.name][request.method];
  if (allowed === undefined) return { refusal: refuse(405, `${request.method} is not allowed here`) };
  return { route: { ...route, allowed } };
}

/**
 * The call to forward for a request on `route`, once the caller is known to be an
 * administrator: `{call: {path, method, body}}` (the GoTrue path with its rebuilt query, the
 * body to send or `null`), or `{refusal}` (413, 400).
 */
export function callFor(request, route) {
  if (new TextEncoder().encode(request.body).length > MAX_BODY_BYTES) return { refusal: refuse(413, 'Request body too large') };
  const body = bodyOf(request.body, route.allowed);
  if (typeof body === 'string') return { refusal: refuse(400, body) };
  const search = route.name === 'users' && request.method === 'GET' ? listSearch(request.query) : '';
  if (search === null) return { refusal: refuse(400, 'Invalid list query') };
  return { call: { path: `${route.path}${search}`, method: request.method, body } };
}

/** The GoTrue path the request's path ends with, and which route it is; `null` for others. */
function routeOf(path) {
  const match = /\/(admin\/users(?:\/([^/]*)(\/passkeys(?:\/([^/]*))?)?)?|invite|recover)\/?$/.exec(path);
  if (!match) return null;
  const [, whole, user, passkeys, passkey] = match;
  if (whole === 'invite' || whole === 'recover') return { name: whole, path: `/${whole}` };
  if (user === undefined) return { name: 'users', path: '/admin/users' };
  if (!USER_ID.test(user)) return null;
  if (passkeys === undefined) return { name: 'user', path: `/admin/users/${user}` };
  if (passkey === undefined) return { name: 'passkeys', path: `/admin/users/${user}/passkeys` };
  return USER_ID.test(passkey) ? { name: 'passkey', path: `/admin/users/${user}/passkeys/${passkey}` } : null;
}

/** The JSON object of `text` with only `allowed` members; a message for anything else. */
function bodyOf(text, allowed) {
  if (allowed === null) return null;
  const body = parse(text);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object';
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) return `Not an attribute this function changes: ${extra.join(', ')}`;
  for (const key of ['user_metadata', 'app_metadata', 'data']) {
    if (key in body && (typeof body[key] !== 'object' || body[key] === null || Array.isArray(body[key]))) return `${key} must be an object`;
  }
  if ('id' in body && !USER_ID.test(String(body.id))) return 'id must be a UUID';
  if ('password_hash' in body && !PASSWORD_HASH.some((shape) => shape.test(String(body.password_hash)))) return 'password_hash must be a bcrypt or argon2 hash';
  return body;
}

function listSearch(query) {
  const params = new URLSearchParams();
  for (const [key, pattern] of Object.entries(LIST_QUERY)) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    if (!pattern.test(String(value))) return null;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

export function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Sends `call` to the API at `api` with `headers` (the credential), as `{status, body,
 * total?}`; never an answer that would carry `secret`.
 */
export async function forward(api, call, headers, secret) {
  const init = { method: call.method, headers, redirect: 'manual' };
  if (call.body !== null && call.body !== undefined) {
    init.headers = { ...headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(call.body);
  }
  let response;
  let body;
  try {
    response = await fetch(`${api.replace(/\/+$/, '')}${call.path}`, init);
    body = await response.text();
  } catch {
    return refuse(502, 'The Identity API could not be reached');
  }
  if (body.includes(secret)) return refuse(502, 'The Identity API answered unexpectedly');
  const total = response.headers.get('x-total-count');
  return { status: response.status, body: body || '{}', total: total === null ? undefined : total };
}
