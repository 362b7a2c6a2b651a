// supabase/auth for the local stack (SUPABASE.md): its database in the stack's PostgreSQL
// cluster, its settings, and the mail templates the stack serves, which carry the link and the
// 6-digit code. scripts/install-stack.sh builds the server and the cluster; this starts it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGotrue } from './gotrue-process.mjs';

/** The auth server's database login (scripts/install-stack.sh creates it). */
const DATABASE_LOGIN = 'postgres://supabase_auth_admin:root@127.0.0.1:54329';
/** The mails supabase/auth sends, by its template setting's name. */
export const MAIL_KINDS = ['confirmation', 'recovery', 'invite', 'magic_link', 'email_change'];

/** Runs `sql` in `database` as the auth server's user, with psql. */
export async function runPostgres(sql, database = 'postgres') {
  const client = spawn('psql', ['-q', '-v', 'ON_ERROR_STOP=1', `${DATABASE_LOGIN}/${database}`], { stdio: ['pipe', 'ignore', 'pipe'] });
  let errors = '';
  client.stderr.on('data', (d) => { errors += d; });
  client.stdin.end(sql);
  const code = await new Promise((resolve) => client.on('exit', resolve));
  if (code !== 0) throw new Error(`stack: SQL failed on PostgreSQL (is it running? scripts/install-stack.sh starts it): ${errors}`);
}

/** A database with the `auth` schema the server migrates into; emptied first when `fresh`. */
async function prepareDatabase(database, fresh) {
  if (fresh) await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE);`);
  await runPostgres(`CREATE DATABASE ${database};`).catch((error) => {
    if (!/already exists/.test(error.message)) throw error;
  });
  await runPostgres('CREATE SCHEMA IF NOT EXISTS auth;', database);
}

/**
 * A mail template (Go template syntax): the link through the site's origin and, for the mails
 * that sign in, the 6-digit code to type instead.
 */
export function mailTemplate(kind) {
  const code = ['confirmation', 'magic_link', 'recovery'].includes(kind)
    ? '<p>Or enter this code: <strong>{{ .Token }}</strong></p>'
    : '';
  return `<!doctype html><html><body><p><a href="{{ .ConfirmationURL }}">Follow this link</a></p>${code}</body></html>`;
}

/**
 * Starts supabase/auth (migrations first). `siteUrls`: the site's origins (the first is its
 * SITE_URL); `apiUrl`: where the site proxies the API, which emailed links point at;
 * `templatesUrl`: where the stack serves `mailTemplate(kind)` as `<kind>.html`.
 */
export async function startSupabase({ cache, port, smtpPort, siteUrls, apiUrl, templatesUrl, jwtSecret, jwtExp, database, fresh, extraEnv }) {
  await prepareDatabase(database, fresh);
  const binary = readFileSync(join(cache, 'supabase-auth-path'), 'utf8').trim();
  const templates = Object.fromEntries(MAIL_KINDS.map((kind) => [`GOTRUE_MAILER_TEMPLATES_${kind.toUpperCase()}`, `${templatesUrl}/${kind}.html`]));
  const env = {
    PATH: process.env.PATH,
    GOTRUE_API_HOST: '127.0.0.1',
    GOTRUE_API_PORT: String(port),
    API_EXTERNAL_URL: apiUrl,
    GOTRUE_DB_DRIVER: 'postgres',
    GOTRUE_DB_DATABASE_URL: `${DATABASE_LOGIN}/${database}?sslmode=disable`,
    // Connections kept open between requests, as a hosted project's are (its pool is a share of
    // the database's connections, kept idle as well). Unset, supabase/auth keeps none idle and
    // opens a connection — a fork and a SCRAM login — for every query: 31 ms for GET /user.
    GOTRUE_DB_MAX_POOL_SIZE: '10',
    GOTRUE_DB_MAX_IDLE_POOL_SIZE: '10',
    GOTRUE_SITE_URL: siteUrls[0],
    GOTRUE_URI_ALLOW_LIST: siteUrls.map((url) => `${url}/**`).join(','),
    GOTRUE_JWT_SECRET: jwtSecret,
    GOTRUE_JWT_EXP: String(jwtExp),
    GOTRUE_JWT_AUD: 'authenticated',
    GOTRUE_JWT_DEFAULT_GROUP_NAME: 'authenticated',
    GOTRUE_JWT_ADMIN_ROLES: 'service_role,supabase_admin',
    GOTRUE_EXTERNAL_EMAIL_ENABLED: 'true',
    GOTRUE_MAILER_AUTOCONFIRM: 'false',
    // The mails' links resolve these against API_EXTERNAL_URL's origin: the proxy's path is kept
    // only when given here (`/verify` alone would point at the site's root).
    ...Object.fromEntries(['CONFIRMATION', 'INVITE', 'RECOVERY', 'EMAIL_CHANGE'].map((kind) => [`GOTRUE_MAILER_URLPATHS_${kind}`, `${new URL(apiUrl).pathname}/verify`])),
    GOTRUE_SMTP_HOST: '127.0.0.1',
    GOTRUE_SMTP_PORT: String(smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: 'identity@example.com',
    GOTRUE_SMTP_MAX_FREQUENCY: '1ns',
    GOTRUE_RATE_LIMIT_EMAIL_SENT: '100000',
    GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: 'true',
    GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: '0',
    GOTRUE_LOG_LEVEL: 'warn',
    ...templates,
    ...extraEnv,
  };
  return runGotrue({ binary, env, port, name: 'supabase/auth' });
}
