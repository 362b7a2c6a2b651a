// Functions on the local stack. On netlify/gotrue, as Netlify invokes them on a site with
// Identity: `/.netlify/functions/<name>[/…]` runs `<dir>/<name>.{mjs,cjs,js}`'s Lambda-style
// `handler` with the request as an event, and a client context holding the caller's claims —
// only when the Bearer JWT verifies with GoTrue's secret and has not expired — and a short-lived
// operator token for the Identity API (an HS256 JWT with `sub: "0"`, which GoTrue takes as its
// system user, as Netlify's is). On supabase/auth, as Supabase runs its Edge Functions:
// `/functions/v1/<name>[/…]` calls `<dir>/<name>-supabase.mjs`'s Web-standard default export
// with a Request and the environment Supabase gives functions — or, with `startDenoFunction`,
// the same file under Deno, serving itself as it does on Supabase.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FUNCTIONS_PREFIX = '/.netlify/functions/';
export const EDGE_FUNCTIONS_PREFIX = '/functions/v1/';
/** Netlify refuses larger request bodies before the function runs. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
/** Lifetime of the operator token a function gets, in seconds. */
const OPERATOR_TOKEN_SECONDS = 60;
const require = createRequire(import.meta.url);

const base64url = (data) => Buffer.from(data).toString('base64url');

/** An HS256 JWT of `claims`. */
export function signJwt(claims, secret) {
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The claims of an HS256 JWT signed with `secret` and not expired; `null` otherwise. */
export function verifyJwt(token, secret) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'HS256') return null;
    const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return null;
    return claims;
  } catch {
    return null;
  }
}

async function loadHandler(dir, name) {
  if (!/^[\w-]+$/.test(name)) return null;
  for (const extension of ['mjs', 'cjs', 'js']) {
    const file = join(dir, `${name}.${extension}`);
    if (!existsSync(file)) continue;
    const loaded = extension === 'mjs' ? await import(pathToFileURL(file).href) : require(file);
    return loaded.handler ?? loaded.default?.handler ?? null;
  }
  return null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) reject(Object.assign(new Error('too large'), { tooLarge: true }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The client context for a request with `authorization`, as Netlify builds it. */
export function clientContext(authorization, { jwtSecret, identityUrl }) {
  const bearer = /^Bearer (.+)$/.exec(authorization ?? '');
  const user = bearer ? verifyJwt(bearer[1], jwtSecret) : null;
  const identity = {
    url: identityUrl,
    token: signJwt({ exp: Math.floor(Date.now() / 1000) + OPERATOR_TOKEN_SECONDS, sub: '0' }, jwtSecret),
  };
  const context = { identity, ...(user ? { user } : {}) };
  return { ...context, custom: { netlify: Buffer.from(JSON.stringify(context)).toString('base64') } };
}

/**
 * Answers `/.netlify/functions/…` on the stack's web server; `false` for other paths.
 * `options`: `dir` (the functions' folder), `jwtSecret`, `identityUrl`.
 */
export function serveFunction(req, res, url, options) {
  if (!url.pathname.startsWith(FUNCTIONS_PREFIX)) return false;
  const name = url.pathname.slice(FUNCTIONS_PREFIX.length).split('/')[0];
  const send = (status, headers, body) => { res.writeHead(status, headers); res.end(body); };
  (async () => {
    const handler = await loadHandler(options.dir, name);
    if (!handler) return send(404, { 'content-type': 'text/plain' }, 'Function not found');
    const body = await readBody(req);
    const event = {
      path: url.pathname,
      httpMethod: req.method,
      headers: req.headers,
      queryStringParameters: Object.fromEntries(url.searchParams),
      multiValueQueryStringParameters: [...url.searchParams.keys()].reduce((all, key) => ({ ...all, [key]: url.searchParams.getAll(key) }), {}),
      body,
      isBase64Encoded: false,
      rawUrl: url.href,
      rawQuery: url.search.slice(1),
    };
    const result = await handler(event, { clientContext: clientContext(req.headers.authorization, options) });
    const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : String(result.body ?? '');
    send(result.statusCode ?? 200, result.headers ?? {}, payload);
  })().catch((error) => {
    if (error.tooLarge) return send(413, { 'content-type': 'text/plain' }, 'Payload too large');
    console.error(`functions: ${name} failed:`, error);
    send(502, { 'content-type': 'text/plain' }, 'Function invocation failed');
  });
  return true;
}

/**
 * Answers `/functions/v1/…` on a supabase/auth stack's web server; `false` for other paths.
 * `options`: `dir` (the functions' folder), `env` (what the function reads from its environment).
 */
export function serveEdgeFunction(req, res, url, options) {
  if (!url.pathname.startsWith(EDGE_FUNCTIONS_PREFIX)) return false;
  const name = url.pathname.slice(EDGE_FUNCTIONS_PREFIX.length).split('/')[0];
  const send = (status, headers, body) => { res.writeHead(status, headers); res.end(body); };
  (async () => {
    const file = join(options.dir, `${name}-supabase.mjs`);
    if (!/^[\w-]+$/.test(name) || !existsSync(file)) return send(404, { 'content-type': 'text/plain' }, 'Function not found');
    const handler = (await import(pathToFileURL(file).href)).default;
    const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await readBody(req);
    const headers = Object.entries(req.headers).filter(([, value]) => typeof value === 'string');
    const response = await handler(new Request(url.href, { method: req.method, headers, body }), options.env);
    send(response.status, Object.fromEntries(response.headers), Buffer.from(await response.arrayBuffer()));
  })().catch((error) => {
    if (error.tooLarge) return send(413, { 'content-type': 'text/plain' }, 'Payload too large');
    console.error(`functions: ${name} failed:`, error);
    send(502, { 'content-type': 'text/plain' }, 'Function invocation failed');
  });
  return true;
}

/** What the Edge Function reads from its environment under Deno (`--allow-env` lists them). */
const EDGE_ENV = ['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'IDENTITY_API_URL', 'IDENTITY_ADMIN_ROLES'];

/**
 * Runs `<dir>/<name>-supabase.mjs` under Deno, as Supabase's Edge Runtime does: the file serves
 * itself with `Deno.serve`, here on `127.0.0.1:<port>` (DENO_SERVE_ADDRESS), with network and
 * the environment `env` only. Resolves once it listens, to `{serve, close}`: `serve` forwards
 * `/functions/v1/<name>[/…]` to it (as `serveEdgeFunction`), `false` for other paths.
 */
export async function startDenoFunction({ dir, name, env, port, denoDir }) {
  // The npm package's own lookup of its platform binary (whether its postinstall ran or not).
  const deno = require('deno/install_api.cjs').runInstall();
  const file = join(dir, `${name}-supabase.mjs`);
  const child = spawn(deno, ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-env=${EDGE_ENV.join(',')}`, file], {
    env: {
      PATH: process.env.PATH,
      DENO_DIR: denoDir,
      DENO_NO_UPDATE_CHECK: '1',
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
      ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const read = (chunk) => { log += chunk; if (log.includes('Listening on')) resolve(); };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`functions: deno exited (${code}) before listening:\n${log}`)));
  });
  const prefix = `${EDGE_FUNCTIONS_PREFIX}${name}`;
  return {
    serve(req, res, url) {
      if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
      const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: url.pathname + url.search, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end('Function invocation failed'); });
      req.pipe(upstream);
      return true;
    },
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill();
    }),
  };
}
