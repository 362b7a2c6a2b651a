// tests/bench-results.md holds two reports: `npm run bench`'s, then `npm run bench:admin`'s
// after a marker. Each script rewrites its own part and keeps the other's.
import { readFileSync, writeFileSync } from 'node:fs';

const RESULTS = new URL('../tests/bench-results.md', import.meta.url);
const MARKER = '<!-- npm run bench:admin -->';

function parts() {
  let text = '';
  try {
    text = readFileSync(RESULTS, 'utf8');
  } catch {
    // No results yet: both parts start empty.
  }
  const at = text.indexOf(MARKER);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + MARKER.length)];
}

function write(bench, admin) {
  const adminPart = admin.trim() ? `\n${MARKER}\n${admin.trim()}\n` : '';
  writeFileSync(RESULTS, `${bench.trimEnd()}\n${adminPart}`);
}

/** Replaces `npm run bench`'s report. */
export const writeBenchReport = (text) => write(text, parts()[1]);

/** Replaces `npm run bench:admin`'s report. */
export const writeAdminReport = (text) => write(parts()[0], text);
