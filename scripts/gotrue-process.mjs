// Runs a GoTrue binary (netlify/gotrue or supabase/auth: both take `migrate` and `serve`) for
// the local stack: migrations first, then the server, until it answers /health.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Polls `check` until it is truthy (a throw counts as not yet). */
export async function waitFor(check, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`stack: timed out waiting for ${what}`);
}

/**
 * Migrates, then serves `binary` with `env` on `port`, from an empty folder of its own (both
 * servers read a stray `./.env`). `name` appears in errors, `migrateHint` after a failed
 * migration. Resolves to `{log, close}`: the server's last output lines, and a stop.
 */
export async function runGotrue({ binary, env, port, name, migrateHint = '' }) {
  const workdir = join(tmpdir(), `${name.replace(/\W/g, '-')}-run-${port}`);
  mkdirSync(workdir, { recursive: true });
  const migrate = spawn(binary, ['migrate'], { env, cwd: workdir, stdio: ['ignore', 'ignore', 'pipe'] });
  let migrateErrors = '';
  migrate.stderr.on('data', (d) => { migrateErrors += d; });
  const code = await new Promise((resolve) => migrate.on('exit', resolve));
  if (code !== 0) throw new Error(`stack: ${name} migrate failed (exit ${code})${migrateHint} ${migrateErrors.slice(-800)}`);
  const server = spawn(binary, ['serve'], { env, cwd: workdir, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (d) => { log.push(String(d)); if (log.length > 200) log.shift(); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  let exited = false;
  server.on('exit', () => { exited = true; });
  await waitFor(async () => {
    if (exited) throw new Error(`stack: ${name} exited: ${log.join('')}`);
    return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
  }, `${name} to answer /health`);
  return { log, close: () => new Promise((resolve) => { if (exited) return resolve(); server.once('exit', resolve); server.kill(); }) };
}
