// The local stack, on loopback only: an SMTP sink with an inbox, a GoTrue server —
// netlify/gotrue on MariaDB, or supabase/auth on PostgreSQL (scripts/supabase.mjs) — and a web
// server that serves index.html and build/, proxies /.netlify/identity to GoTrue on the same
// origin and runs build/functions/ at /.netlify/functions/, as Netlify does. Used by the demo and by the e2e tests.
// Installation is scripts/install-stack.sh's job; this only starts things.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { homedir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { EDGE_FUNCTIONS_PREFIX, FUNCTIONS_PREFIX, serveEdgeFunction, serveFunction, signJwt, startDenoFunction } from './functions.mjs';
import { runGotrue } from './gotrue-process.mjs';
import { MAIL_KINDS, mailTemplate, startSupabase } from './supabase.mjs';

const root = new URL('..', import.meta.url).pathname;
/** Where scripts/setup.sh installs the tools: the servers, Decap CMS, the frameworks. */
export const cache = process.env.GOTRUE_WIDGET_CACHE || join(homedir(), '.cache', 'gotrue-widget');
/** The policy every page of ours is served with (issue 8): no inline script or style. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:";
/** GoTrue's JWT secret; the functions' emulation verifies callers' tokens with it. */
export const JWT_SECRET = 'local-stack-jwt-secret-0123456789abcdef';
export const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]);
}

/** An SMTP sink keeping parsed messages in memory, newest first. */
async function startMailSink(port) {
  const messages = [];
  let nextId = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        const html = typeof mail.html === 'string' ? mail.html : '';
        const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => decodeEntities(m[1]));
        messages.unshift({
          id: String(nextId++),
          to: session.envelope.rcptTo.map((r) => r.address).join(', '),
          subject: mail.subject || '',
          date: (mail.date || new Date()).toISOString(),
          text: mail.text || '',
          html,
          links,
        });
        callback();
      }, callback);
    },
  });
  await new Promise((resolve, reject) => server.listen(port, '127.0.0.1', resolve).once('error', reject));
  return { messages, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Runs `sql` as the stack's database user (in `database`, if given) with the mariadb client;
 * resolves to what it printed: each row's values as they are, tab-separated, no column names.
 */
export async function runSql(sql, database) {
  const args = ['-ugotrue', '-pgotrue', '-h127.0.0.1', '--batch', '--raw', '--skip-column-names', ...(database ? [database] : [])];
  const client = spawn('mariadb', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  client.stdout.on('data', (d) => { output += d; });
  client.stderr.on('data', (d) => { errors += d; });
  client.stdin.end(sql);
  const code = await new Promise((resolve) => client.on('close', resolve));
  if (code !== 0) throw new Error(`stack: SQL failed: ${errors}`);
  return output;
}

/** Drops and creates a test database (the installer grants `gotrue_test_%`). */
function freshDatabase(name) {
  return runSql(`DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`);
}

/** Starts netlify/gotrue (migrations first) with the given settings. */
async function startGotrue({ port, smtpPort, siteUrl, jwtExp, operatorToken, extraEnv, database }) {
  const binary = readFileSync(join(cache, 'gotrue-path'), 'utf8').trim();
  const env = {
    PATH: process.env.PATH,
    GOTRUE_DB_DRIVER: 'mysql',
    GOTRUE_DB_DATABASE_URL: `gotrue:gotrue@tcp(127.0.0.1:3306)/${database}?parseTime=true&multiStatements=true`,
    GOTRUE_DB_MIGRATIONS_PATH: readFileSync(join(cache, 'gotrue-migrations'), 'utf8').trim(),
    GOTRUE_API_HOST: '127.0.0.1',
    GOTRUE_API_PORT: String(port),
    GOTRUE_SITE_URL: siteUrl,
    GOTRUE_JWT_SECRET: JWT_SECRET,
    GOTRUE_JWT_EXP: String(jwtExp),
    GOTRUE_OPERATOR_TOKEN: operatorToken,
    GOTRUE_MAILER_AUTOCONFIRM: 'false',
    GOTRUE_SMTP_HOST: '127.0.0.1',
    GOTRUE_SMTP_PORT: String(smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: 'identity@example.com',
    GOTRUE_SMTP_MAX_FREQUENCY: '1ms',
    GOTRUE_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  return runGotrue({ binary, env, port, name: 'gotrue', migrateHint: '; is MariaDB running?' });
}

function inboxPage() {
  return readFileSync(join(root, 'scripts', 'inbox.html'));
}

/**
 * Faults the proxy injects into the browser's API requests (never into the tests' own calls,
 * which come from Node): `inject({ method, path, kind, times })` where `path` is a RegExp on
 * the API path and `kind` one of FAULT_KINDS, or 'respond' with a `response` to send instead;
 * each matching request takes one, `times` times.
 */
export const FAULT_KINDS = ['500', '502', '503', 'stall', 'drop', 'html', 'truncated', 'slow'];
class Faults {
  constructor() { this.pending = []; this.stalled = new Set(); }
  /** `delayMs` makes 'slow' forward the request after that long (default 10 s). */
  inject({ method = 'POST', path, kind, times = 1, response, delayMs = 10_000 }) {
    if (!FAULT_KINDS.includes(kind) && kind !== 'respond') throw new Error(`unknown fault ${kind}`);
    this.pending.push({ method, path, kind, times, response, delayMs });
  }
  clear() {
    this.pending = [];
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
  }
  take(req, url) {
    if (!/Chrome/.test(req.headers['user-agent'] ?? '')) return null;
    const path = url.pathname.slice('/.netlify/identity'.length) + url.search;
    const fault = this.pending.find((f) => f.times > 0 && f.method === req.method && f.path.test(path));
    if (!fault) return null;
    fault.times--;
    return { apply: (request, res, forward) => this.apply(fault, request, res, forward) };
  }
  /** `respond` answers `response` ({status, body, type}) instead of GoTrue: a hostile server. */
  apply({ kind, response, delayMs }, req, res, forward) {
    if (kind !== 'slow') req.resume(); // the body is dropped; 'slow' forwards it later
    switch (kind) {
      case '500': return res.writeHead(500, { 'content-type': 'application/json' }), res.end('{"code":500,"msg":"Internal server error"}');
      case '502': return res.writeHead(502, { 'content-type': 'text/html' }), res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case '503': return res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }), res.end('Service Unavailable');
      case 'stall': return this.stalled.add(res); // headers never come; closed by clear()
      case 'drop': return req.socket.destroy();
      case 'html': return res.writeHead(200, { 'content-type': 'text/html' }), res.end('<!doctype html><title>Sign in to the Wi-Fi</title><p>Captive portal');
      case 'truncated': return res.writeHead(200, { 'content-type': 'application/json' }), res.end('{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleH');
      case 'slow': return setTimeout(forward, delayMs);
      case 'respond': return res.writeHead(response.status, { 'content-type': response.type ?? 'application/json' }), res.end(response.body);
    }
  }
}

// A hosted Supabase project's gateway (Kong) lets only its open routes through without the
// project's key; it answers the rest 401 with this body. Only the browser's requests are
// checked, as with the faults: the tests' own calls from Node are the operator's.
const GATEWAY_OPEN_PATHS = ['/verify', '/callback', '/authorize'];
function gatewayLetsThrough(req, url, apiKey) {
  const path = url.pathname.slice('/.netlify/identity'.length);
  return !/Chrome/.test(req.headers['user-agent'] ?? '') || GATEWAY_OPEN_PATHS.includes(path) ||
    req.headers.apikey === apiKey || url.searchParams.get('apikey') === apiKey;
}

/**
 * The site server: static files, the GoTrue proxy, the inbox. It also answers on 127.0.0.2,
 * still loopback but not a "localhost" name to the widget, for what a deployed site does.
 */
function startWebServer({ port, gotruePort, mail, extraRoutes, faults, apiKey, backend, operatorToken, denoFunction }) {
  const templates = new Map(MAIL_KINDS.map((kind) => [`/_templates/${kind}.html`, mailTemplate(kind)]));
  const functionsDir = join(root, 'build', 'functions');
  // Each server's functions as its host runs them: Netlify's, or Supabase's Edge Functions with
  // the environment Supabase gives them (the service-role key).
  const serveFunctions = denoFunction
    ? (req, res, url) => denoFunction.serve(req, res, url)
    : backend === 'supabase'
      ? (req, res, url) => serveEdgeFunction(req, res, url, { dir: functionsDir, env: edgeFunctionEnv(port, operatorToken) })
      : (req, res, url) => serveFunction(req, res, url, { dir: functionsDir, jwtSecret: JWT_SECRET, identityUrl: identityUrl(port) });
  const proxy = (req, res, url) => {
    const path = url.pathname.slice('/.netlify/identity'.length) || '/';
    // The client's address, as a hosted gateway forwards it: a server told to rate-limit by it
    // (GOTRUE_RATE_LIMIT_HEADER) counts each client's requests.
    const headers = { 'x-forwarded-for': req.socket.remoteAddress, ...req.headers, host: `127.0.0.1:${gotruePort}` };
    const upstream = http.request({ host: '127.0.0.1', port: gotruePort, method: req.method, path: path + url.search, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end('GoTrue is not reachable'); });
    req.pipe(upstream);
  };
  const handle = (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/.netlify/identity/') || url.pathname === '/.netlify/identity') {
      if (apiKey && !gatewayLetsThrough(req, url, apiKey)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"message":"No API key found in request"}');
        return;
      }
      const fault = faults.take(req, url);
      if (fault) fault.apply(req, res, () => proxy(req, res, url));
      else proxy(req, res, url);
      return;
    }
    if (serveFunctions(req, res, url)) return;
    if (templates.has(url.pathname)) { // supabase/auth's mail templates
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(templates.get(url.pathname));
      return;
    }
    if (url.pathname === '/favicon.ico') { // asked for by the browser itself: none, quietly
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === '/_inbox/api/messages') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(mail.messages));
      return;
    }
    if (url.pathname === '/_inbox/' || url.pathname === '/_inbox') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(inboxPage());
      return;
    }
    const route = extraRoutes && extraRoutes(url, req, res);
    if (route) return;
    let file = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    file = normalize(file).replace(/^(\.\.[/\\])+/, '');
    const full = file.startsWith('/build/') ? join(root, file) : join(root, file === '/index.html' ? 'index.html' : join('tests', 'e2e', 'pages', file));
    if (!existsSync(full) || !full.startsWith(root)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers = { 'content-type': TYPES[extname(full)] || 'application/octet-stream', 'cache-control': 'no-cache' };
    // Our pages run under the strict policy a careful site sets; the old widget's do not.
    if (extname(full) === '.html' && !/old-v\d/.test(full)) headers['content-security-policy'] = STRICT_CSP;
    res.writeHead(200, headers);
    // The demo page names the Netlify Function; on supabase/auth the same function is an Edge Function.
    const page = readFileSync(full);
    res.end(backend === 'supabase' && file === '/index.html' ? page.toString('utf8').replaceAll(FUNCTIONS_PREFIX, EDGE_FUNCTIONS_PREFIX) : page);
  };
  const listen = (host) => new Promise((resolve, reject) => {
    const server = http.createServer(handle);
    server.listen(port, host, () => resolve(server)).once('error', reject);
  });
  return Promise.all([listen('127.0.0.1'), listen('127.0.0.2')]);
}

/** Where a running stack on `port` leaves its API URL and operator token (for make-admin). */
function stateFile(port) {
  return join(cache, `stack-${port}.json`);
}

export function readStackState(port) {
  try {
    return JSON.parse(readFileSync(stateFile(port), 'utf8'));
  } catch {
    return null;
  }
}

/** The user with `email`, found through the admin API (every page). */
async function findUser({ apiUrl, operatorToken }, email) {
  const headers = { authorization: `Bearer ${operatorToken}` };
  for (let page = 1; ; page++) {
    const response = await fetch(`${apiUrl}/admin/users?page=${page}&per_page=100`, { headers });
    if (!response.ok) throw new Error(`listing users failed: ${response.status} ${await response.text()}`);
    const { users } = await response.json();
    const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (user) return user;
    if (users.length < 100) throw new Error(`no user with the email ${email}; sign up first`);
  }
}

async function updateUser({ apiUrl, operatorToken }, user, attributes) {
  const update = await fetch(`${apiUrl}/admin/users/${user.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(attributes),
  });
  if (!update.ok) throw new Error(`updating ${user.email} failed: ${update.status} ${await update.text()}`);
  return update.json();
}

/**
 * Gives `email` the `admin` role in `app_metadata.roles`, beside the roles it has, as a site
 * owner does in Netlify's UI: the widget then manages users through the identity-admin function.
 */
export async function makeAdmin(stack, email) {
  const user = await findUser(stack, email);
  const roles = Array.isArray(user.app_metadata?.roles) ? user.app_metadata.roles : [];
  if (roles.includes('admin')) return user;
  return updateUser(stack, user, { app_metadata: { roles: [...roles, 'admin'] } });
}

/** Makes `email` an administrator of GoTrue itself (its role column is the admin group), as on a self-hosted GoTrue. */
export async function makeGroupAdmin(stack, email) {
  return updateUser(stack, await findUser(stack, email), { role: 'admin' });
}

/**
 * supabase/auth's passkeys for the site at `origin` (`localhost`, with its port): the relying
 * party is the host, the only origin allowed to use its passkeys is the site's.
 */
function passkeyEnv(origin) {
  return {
    GOTRUE_PASSKEY_ENABLED: 'true',
    GOTRUE_WEBAUTHN_RP_ID: new URL(origin).hostname,
    GOTRUE_WEBAUTHN_RP_ORIGINS: origin,
    GOTRUE_WEBAUTHN_RP_DISPLAY_NAME: 'gotrue-widget demo',
  };
}

/** The Identity API as the functions of the stack on `port` call it. */
const identityUrl = (port) => `http://127.0.0.1:${port}/.netlify/identity`;

/** The environment Supabase gives an Edge Function, for the stack on `port`: its service-role key. */
function edgeFunctionEnv(port, operatorToken) {
  return { IDENTITY_API_URL: identityUrl(port), SUPABASE_SERVICE_ROLE_KEY: operatorToken, IDENTITY_ADMIN_ROLES: process.env.IDENTITY_ADMIN_ROLES };
}

/**
 * Starts the whole stack. Options (defaults): backend ('netlify': netlify/gotrue on MariaDB;
 * 'supabase': supabase/auth on PostgreSQL), port (8888), gotruePort (port + 1000), smtpPort
 * (port + 2000), jwtExp (3600 s), gotrueEnv (extra GOTRUE_* settings, none), freshDatabase
 * (false: the persistent database; true: an empty one named after the port), apiKey (none:
 * with one, the API answers the browser as a hosted Supabase project's gateway does, only
 * with that key in an `apikey` header), edgeRuntime ('node': the supabase stack's Edge Function
 * runs in this process; 'deno': under Deno, serving itself as on Supabase, on port + 3000),
 * passkeys (false: with true, supabase/auth offers passkeys to the site at `localhostUrl`, since
 * a browser takes no IP address as a WebAuthn relying party).
 */
export async function startStack(options = {}) {
  const backend = options.backend ?? 'netlify';
  if (!['netlify', 'supabase'].includes(backend)) throw new Error(`stack: unknown backend ${backend}`);
  const port = options.port ?? 8888;
  const gotruePort = options.gotruePort ?? port + 1000;
  const smtpPort = options.smtpPort ?? port + 2000;
  const siteUrl = `http://127.0.0.1:${port}`;
  const siteLikeUrl = `http://127.0.0.2:${port}`;
  const localhostUrl = `http://localhost:${port}`;
  const apiUrl = `${siteUrl}/.netlify/identity`;
  const jwtExp = options.jwtExp ?? 3600;
  const passkeys = options.passkeys && backend === 'supabase';
  const extraEnv = { ...(passkeys ? passkeyEnv(localhostUrl) : {}), ...options.gotrueEnv };
  const mail = await startMailSink(smtpPort);
  let gotrue;
  let operatorToken;
  let database;
  if (backend === 'supabase') {
    // Its admin credential: a service_role JWT (no operator token in supabase/auth).
    operatorToken = signJwt({ role: 'service_role', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 }, JWT_SECRET);
    database = options.freshDatabase ? `supabase_test_${port}` : 'supabase';
    gotrue = await startSupabase({
      cache, port: gotruePort, smtpPort, siteUrls: [siteUrl, siteLikeUrl, localhostUrl], apiUrl, templatesUrl: `${siteUrl}/_templates`,
      jwtSecret: JWT_SECRET, jwtExp, database, fresh: options.freshDatabase, extraEnv,
    });
  } else {
    operatorToken = options.operatorToken ?? randomBytes(16).toString('hex');
    database = options.freshDatabase ? `gotrue_test_${port}` : 'gotrue';
    if (options.freshDatabase) await freshDatabase(database);
    gotrue = await startGotrue({ port: gotruePort, smtpPort, siteUrl, jwtExp, operatorToken, extraEnv, database });
  }
  const faults = new Faults();
  const denoFunction = backend === 'supabase' && options.edgeRuntime === 'deno'
    ? await startDenoFunction({ dir: join(root, 'build', 'functions'), name: 'identity-admin', env: edgeFunctionEnv(port, operatorToken), port: port + 3000, denoDir: join(cache, 'deno') })
    : null;
  const webServers = await startWebServer({ port, gotruePort, mail, extraRoutes: options.extraRoutes, faults, apiKey: options.apiKey, backend, operatorToken, denoFunction });
  mkdirSync(cache, { recursive: true });
  writeFileSync(stateFile(port), JSON.stringify({ apiUrl, operatorToken, backend }));
  return {
    backend,
    url: siteUrl,
    /** The same site on 127.0.0.2: loopback, but not a localhost name to the widget. */
    siteLikeUrl,
    /** The same site on `localhost`: the origin passkeys work on (`passkeys: true`). */
    localhostUrl,
    apiUrl,
    database,
    /** The admin API's credential: netlify's operator token, or supabase's service_role JWT. */
    operatorToken,
    messages: mail.messages,
    gotrueLog: gotrue.log,
    /** Fault injection between the browser and GoTrue (tests/e2e/faults.test.mjs). */
    faults,
    async close() {
      rmSync(stateFile(port), { force: true });
      await Promise.all(webServers.map((web) => {
        const closed = new Promise((resolve) => web.close(resolve));
        web.closeAllConnections?.();
        return closed;
      }));
      await denoFunction?.close();
      await gotrue.close();
      await mail.close();
    },
  };
}
