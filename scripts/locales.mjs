// Builds the locale tables the browser loads: src/locales/<code>.json (one member per key, for
// translators) becomes build/locales/<code>.json, an array in the key order of the `texts!`
// block in src/core/i18n.rs, so the wasm needs no key names. `cargo test` checks the sources
// are complete; this refuses a source whose keys differ from the block's.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readTexts } from './texts.mjs';

const [sourceDir, outDir] = process.argv.slice(2);
const keys = readTexts().map(([key]) => key);

mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.json'))) {
  const table = JSON.parse(readFileSync(`${sourceDir}/${file}`, 'utf8'));
  const unknown = Object.keys(table).filter((k) => !keys.includes(k));
  const missing = keys.filter((k) => typeof table[k] !== 'string');
  if (unknown.length || missing.length) {
    throw new Error(`locales: ${file}: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`);
  }
  writeFileSync(`${outDir}/${file}`, JSON.stringify(keys.map((k) => table[k])));
}
console.log(`locales: ${readdirSync(sourceDir).length} tables of ${keys.length} strings`);
