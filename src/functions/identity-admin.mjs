// identity-admin: the Netlify Function that runs gotrue-widget's user management on a site
// whose Identity only a function can administer. Copy it into `netlify/functions/` (this file,
// or identity-admin.cjs for CommonJS) and set the widget's `adminUrl` to
// `/.netlify/functions/identity-admin`.
//
// Netlify verifies the caller's Bearer JWT and hands its claims to the function
// (`clientContext.user`), with a short-lived operator token for the Identity API
// (`clientContext.identity`). This function forwards the widget's admin calls — and nothing
// else — to that API when the caller holds one of the site's admin roles
// (`app_metadata.roles`, by default `admin`; the environment variable IDENTITY_ADMIN_ROLES
// takes a comma-separated list), both in the verified token and in the user's current record,
// so a role taken away counts at once. Anyone else gets 401 or 403 and nothing is forwarded.
// The caller's own token is never forwarded and the operator token is never returned.
// No dependencies: Node 18 or later (fetch).

/** The roles that may administer users when IDENTITY_ADMIN_ROLES is not set. */
const DEFAULT_ADMIN_ROLES = 'admin';
/** Larger request bodies are refused (an admin call's body is a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;
/** Every answer of this function carries it, so the widget can tell it from a missing one. */
const MARKER_HEADER = 'x-identity-admin';
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ATTRIBUTES = ['email', 'password', 'confirm', 'user_metadata', 'app_metadata'];

/**
 * The calls forwarded, by GoTrue path: for each method, the body members it may carry (`null`
 * for no body). Whatever is not here is refused.
 */
const ROUTES = {
  users: { GET: null, POST: USER_ATTRIBUTES },
  user: { GET: null, PUT: USER_ATTRIBUTES, DELETE: null },
  invite: { POST: ['email', 'data'] },
  recover: { POST: ['email'] },
};

/** The list's query, rebuilt from these members only. */
const LIST_QUERY = {
  page: /^[1-9]\d{0,5}$/,
  per_page: /^[1-9]\d{0,3}$/,
  sort: /^(created_at|email|updated_at) (asc|desc)$/,
  filter: /^[^\0-\x1f]{1,200}$/,
};

/** The Lambda-style handler Netlify invokes. */
export async function handler(event, context) {
  const { identity, user } = netlifyContext(context);
  const answer = await administer({
    method: event.httpMethod,
    path: event.path || '',
    query: event.queryStringParameters || {},
    body: event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : String(event.body),
  }, identity, user, adminRoles(process.env.IDENTITY_ADMIN_ROLES));
  return {
    statusCode: answer.status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      [MARKER_HEADER]: '1',
      ...(answer.total === undefined ? {} : { 'x-total-count': answer.total }),
    },
    body: answer.body,
  };
}

/** `clientContext.identity` and `.user`, or the same in the base64 `custom.netlify`. */
function netlifyContext(context) {
  const client = (context && context.clientContext) || {};
  if (client.identity) return { identity: client.identity, user: client.user };
  try {
    const custom = JSON.parse(Buffer.from(client.custom.netlify, 'base64').toString('utf8'));
    return { identity: custom.identity, user: custom.user };
  } catch {
    return {};
  }
}

function adminRoles(setting) {
  const roles = String(setting || DEFAULT_ADMIN_ROLES).split(',').map((role) => role.trim()).filter(Boolean);
  return roles.length > 0 ? roles : [DEFAULT_ADMIN_ROLES];
}

const refuse = (status, msg) => ({ status, body: JSON.stringify({ code: status, msg }) });

const holdsRole = (record, roles) => {
  const held = record && record.app_metadata && record.app_metadata.roles;
  return Array.isArray(held) && held.some((role) => roles.includes(role));
};

/**
 * One admin call: `{method, path, query, body}` from a caller whose verified claims are `user`,
 * with the Identity API's `{url, token}`. Answers `{status, body, total?}`.
 */
async function administer(request, identity, user, roles) {
  const route = routeOf(request.path);
  if (!route) return refuse(404, 'Not an admin call this function forwards');
  const allowed = ROUTES[route.name][request.method];
  if (allowed === undefined) return refuse(405, `${request.method} is not allowed here`);
  if (!identity || typeof identity.url !== 'string' || typeof identity.token !== 'string') {
    return refuse(500, 'Identity is not enabled on this site');
  }
  if (!user || typeof user.sub !== 'string' || !(Number(user.exp) * 1000 > Date.now())) {
    return refuse(401, 'Log in to manage users');
  }
  if (!holdsRole(user, roles)) return refuse(403, 'User not allowed');
  if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) return refuse(413, 'Request body too large');
  const body = bodyOf(request.body, allowed);
  if (typeof body === 'string') return refuse(400, body);
  const search = route.name === 'users' && request.method === 'GET' ? listSearch(request.query) : '';
  if (search === null) return refuse(400, 'Invalid list query');

  const api = identity.url.replace(/\/+$/, '');
  const operator = { authorization: `Bearer ${identity.token}` };
  // The claims may predate a role taken away: the current record decides too.
  const caller = await forward(`${api}/admin/users/${encodeURIComponent(user.sub)}`, { headers: operator }, identity.token);
  if (caller.status === 404) return refuse(403, 'User not allowed');
  if (caller.status !== 200) return caller;
  if (!holdsRole(parse(caller.body), roles)) return refuse(403, 'User not allowed');

  const init = { method: request.method, headers: operator };
  if (body !== null) {
    init.headers = { ...operator, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return forward(`${api}${route.path}${search}`, init, identity.token);
}

/** The GoTrue path the request's path ends with, and which route it is; `null` for others. */
function routeOf(path) {
  const match = /\/(admin\/users(?:\/([^/]*))?|invite|recover)\/?$/.exec(path);
  if (!match) return null;
  if (match[1] === 'invite' || match[1] === 'recover') return { name: match[1], path: `/${match[1]}` };
  if (match[2] === undefined) return { name: 'users', path: '/admin/users' };
  return USER_ID.test(match[2]) ? { name: 'user', path: `/admin/users/${match[2]}` } : null;
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

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** GoTrue's answer as `{status, body, total?}`; never one that would carry the operator token. */
async function forward(url, init, operatorToken) {
  let response;
  let body;
  try {
    response = await fetch(url, { ...init, redirect: 'manual' });
    body = await response.text();
  } catch {
    return refuse(502, 'The Identity API could not be reached');
  }
  if (body.includes(operatorToken)) return refuse(502, 'The Identity API answered unexpectedly');
  const total = response.headers.get('x-total-count');
  return { status: response.status, body: body || '{}', total: total === null ? undefined : total };
}
