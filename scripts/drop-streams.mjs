// Removes wasm-streams' exported classes (IntoUnderlyingSource, …Sink, …ByteSource) from the
// wasm and from the wasm-bindgen glue. Leptos always builds server_fn's browser client, which
// depends on wasm-streams; its #[wasm_bindgen] classes are exports, so neither the linker nor
// wasm-opt may drop them, though the widget never streams a body. Measured: −1.7 KB gzip wasm,
// −0.4 KB gzip glue.
//
// Usage: node scripts/drop-streams.mjs <gotrue_widget_bg.wasm> <gotrue_widget.js>  (in place)
// Fails loudly if the glue's shape changed (wasm-bindgen is pinned in Cargo.toml).
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmFile, glueFile] = process.argv.slice(2);
const CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

// The export section is rewritten by hand, leaving every other byte as it was; wasm-opt
// then drops the code only those exports reached. (A binaryen read/write round trip broke the
// module: its dialog rendered empty.)
const wasm = readFileSync(wasmFile);
const dropped = [];
writeFileSync(wasmFile, withoutExports(wasm, (name) => /^(__wbg_)?intounderlying/.test(name), dropped));
if (dropped.length === 0) throw new Error('drop-streams: no wasm-streams exports found');

let glue = readFileSync(glueFile, 'utf8');
for (const name of CLASSES) {
  const before = glue;
  // The class, its Symbol.dispose line and `exports.Name = Name;`.
  glue = glue.replace(new RegExp(`\\n    class ${name} \\{[\\s\\S]*?\\n    exports\\.${name} = ${name};\\n`), '\n');
  // Its FinalizationRegistry (three lines).
  glue = glue.replace(new RegExp(`\\n    const ${name}Finalization = [^;]*;`), '');
  if (glue === before || glue.includes(`${name} `)) throw new Error(`drop-streams: ${name} not found in the glue's expected shape`);
}
writeFileSync(glueFile, glue);
console.log(`drop-streams: removed ${dropped.length} exports and ${CLASSES.length} glue classes`);

/** An unsigned LEB128 at `offset`: [value, bytes read]. */
function readUleb(bytes, offset) {
  let value = 0, shift = 0, read = 0, byte;
  do {
    byte = bytes[offset + read++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, read];
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** `wasm` with the exports whose names match `drop` removed (their names pushed to `dropped`). */
function withoutExports(wasm, drop, dropped) {
  const EXPORT_SECTION = 7;
  const parts = [wasm.subarray(0, 8)]; // magic and version
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, sizeBytes] = readUleb(wasm, at + 1);
    const start = at + 1 + sizeBytes;
    const end = start + size;
    if (id !== EXPORT_SECTION) {
      parts.push(wasm.subarray(at, end));
    } else {
      let [count, read] = readUleb(wasm, start);
      let p = start + read;
      const kept = [];
      for (let i = 0; i < count; i++) {
        const entryStart = p;
        const [nameLength, nameBytes] = readUleb(wasm, p);
        const name = wasm.subarray(p + nameBytes, p + nameBytes + nameLength).toString('utf8');
        p += nameBytes + nameLength + 1; // the name, then the kind byte
        p += readUleb(wasm, p)[1]; // the index
        if (drop(name)) dropped.push(name);
        else kept.push(wasm.subarray(entryStart, p));
      }
      const body = Buffer.concat([uleb(kept.length), ...kept]);
      parts.push(Buffer.from([EXPORT_SECTION]), uleb(body.length), body);
    }
    at = end;
  }
  return Buffer.concat(parts);
}
