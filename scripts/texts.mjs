// The keys of src/core/i18n.rs's `texts!` block, in order, with their English text: one reader
// for the build steps that need them (locale tables, the loader's control texts).
import { readFileSync } from 'node:fs';

export function readTexts() {
  const rust = readFileSync(new URL('../src/core/i18n.rs', import.meta.url), 'utf8');
  const start = rust.indexOf('texts! {');
  const block = rust.slice(start, rust.indexOf('\n}\n', start));
  const texts = [...block.matchAll(/^ {4}(\w+) => ("(?:[^"\\]|\\.)*"),$/gm)].map((m) => [m[1], JSON.parse(m[2])]);
  if (texts.length === 0) throw new Error('texts: no keys found in the texts! block of src/core/i18n.rs');
  return texts;
}
