// identity-admin: the Netlify Function that runs gotrue-widget's user management on a site
// whose Identity only a function can administer. Copy it into `netlify/functions/` (this file,
// or identity-admin.cjs for CommonJS) and set the widget's `adminUrl` to
// `/.netlify/functions/identity-admin`.
//
// Netlify verifies the caller's Bearer JWT and hands its claims to the function
// (`clientContext.user`), with a short-lived operator token for the Identity API
// (`clientContext.identity`). This function forwards the widget's admin calls — and nothing
// else (admin-core.mjs) — to that API when the caller holds one of the site's admin roles
// (`app_metadata.roles`, by default `admin`; the environment variable IDENTITY_ADMIN_ROLES
// takes a comma-separated list), both in the verified token and in the user's current record,
// so a role taken away counts at once. Anyone else gets 401 or 403 and nothing is forwarded.
// The caller's own token is never forwarded and the operator token is never returned.
// No dependencies: Node 18 or later (fetch).
import { MARKER_HEADER, adminRoles, callFor, forward, holdsRole, parse, refuse, routeFor } from './admin-core.mjs';

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

/**
 * One admin call from a caller whose verified claims are `user`, with the Identity API's
 * `{url, token}`. Answers `{status, body, total?}`.
 */
async function administer(request, identity, user, roles) {
  const { route, refusal } = routeFor(request, 'confirm');
  if (refusal) return refusal;
  if (!identity || typeof identity.url !== 'string' || typeof identity.token !== 'string') {
    return refuse(500, 'Identity is not enabled on this site');
  }
  if (!user || typeof user.sub !== 'string' || !(Number(user.exp) * 1000 > Date.now())) {
    return refuse(401, 'Log in to manage users');
  }
  if (!holdsRole(user, roles)) return refuse(403, 'User not allowed');
  const { call, refusal: invalid } = callFor(request, route);
  if (invalid) return invalid;

  const operator = { authorization: `Bearer ${identity.token}` };
  // The claims may predate a role taken away: the current record decides too.
  const caller = await forward(identity.url, { method: 'GET', path: `/admin/users/${encodeURIComponent(user.sub)}` }, operator, identity.token);
  if (caller.status === 404) return refuse(403, 'User not allowed');
  if (caller.status !== 200) return caller;
  if (!holdsRole(parse(caller.body), roles)) return refuse(403, 'User not allowed');
  return forward(identity.url, call, operator, identity.token);
}
