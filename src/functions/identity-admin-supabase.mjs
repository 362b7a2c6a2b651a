// identity-admin for Supabase: gotrue-widget's user management on a site whose users are in
// Supabase Auth, as a Web-standard handler `(Request) => Response` — a Supabase Edge Function
// (deploy it as `supabase/functions/identity-admin`), or any runtime with fetch. Set the
// widget's `adminUrl` to the function's URL (`https://<ref>.supabase.co/functions/v1/identity-admin`).
//
// Supabase Auth has no operator token, and a person's token must never carry a privileged role
// (whoever holds `service_role` has it in the database too). So this function holds the
// service-role key (SUPABASE_SERVICE_ROLE_KEY, which Supabase gives its functions), asks Auth
// who the caller is (`GET /user` with the caller's token: a token Auth no longer honours is
// refused), and forwards the widget's admin calls — and nothing else (admin-core.mjs) — when
// that user's `app_metadata.roles` holds one of the admin roles (IDENTITY_ADMIN_ROLES,
// comma-separated; by default `admin`). The key is never returned. Auth is at
// `${SUPABASE_URL}/auth/v1`, or IDENTITY_API_URL.
import { MARKER_HEADER, adminRoles, callFor, forward, holdsRole, parse, refuse, routeFor } from './admin-core.mjs';

/** The function's cross-origin answers: the widget runs on the site, the function elsewhere. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, apikey, x-client-info',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-expose-headers': `x-total-count, link, ${MARKER_HEADER}`,
};

/** The environment, from Deno or Node. */
function processEnv() {
  const read = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : process.env[name]);
  return {
    SUPABASE_URL: read('SUPABASE_URL'),
    SUPABASE_SERVICE_ROLE_KEY: read('SUPABASE_SERVICE_ROLE_KEY'),
    IDENTITY_API_URL: read('IDENTITY_API_URL'),
    IDENTITY_ADMIN_ROLES: read('IDENTITY_ADMIN_ROLES'),
  };
}

/** Answers one request; `env` defaults to the process's. */
export default async function handler(request, env = processEnv()) {
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
  const url = new URL(request.url);
  const answer = await administer({
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text(),
    authorization: request.headers.get('authorization') || '',
  }, env);
  const headers = { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store', [MARKER_HEADER]: '1' };
  if (answer.total !== undefined) headers['x-total-count'] = answer.total;
  // A removed passkey is 204, which a Response must carry without a body.
  const body = answer.status === 204 ? null : answer.body;
  return new Response(body, { status: answer.status, headers });
}

async function administer(request, env) {
  const { route, refusal } = routeFor(request, 'email_confirm');
  if (refusal) return refusal;
  const key = env.SUPABASE_SERVICE_ROLE_KEY;
  const api = env.IDENTITY_API_URL || (env.SUPABASE_URL ? `${env.SUPABASE_URL.replace(/\/+$/, '')}/auth/v1` : '');
  if (!key || !api) return refuse(500, 'Set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY');
  const bearer = /^Bearer (\S+)$/.exec(request.authorization);
  if (!bearer) return refuse(401, 'Log in to manage users');
  // Auth itself says who the caller is, from the current record: a role taken away counts at once.
  const caller = await forward(api, { method: 'GET', path: '/user' }, { authorization: bearer[0], apikey: key }, key);
  if (caller.status !== 200) return refuse(401, 'Log in to manage users');
  if (!holdsRole(parse(caller.body), adminRoles(env.IDENTITY_ADMIN_ROLES))) return refuse(403, 'User not allowed');
  const { call, refusal: invalid } = callFor(request, route);
  if (invalid) return invalid;
  return forward(api, call, { authorization: `Bearer ${key}`, apikey: key }, key);
}

// As a Supabase Edge Function, Deno serves it.
if (globalThis.Deno && typeof globalThis.Deno.serve === 'function') globalThis.Deno.serve((request) => handler(request));
