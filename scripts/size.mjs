// Prints the gzip -9 size of each file the browser loads, and the totals; with --check, fails
// when one passes its budget.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// Budgets in gzip -9 bytes, for what the bench measures:
// (1) the loader every page pays for: with the dialogs rendered ahead of time and their styles
//     (issue 13), it must keep bench measure 1 — the page, the loader and their headers, about
//     780 B more — within 0.15 of the old widget's 58,012 B, so 7,900 B; 7,914 B since the login
//     form's email field names `webauthn` in its autocomplete (issue 26: the browser lists the
//     site's passkeys there; the loader's copy of the form is the wasm's): measure 1 was 8,683 B
//     of the 8,705 B that 0.15 of the old widget's 58,035 B allows (tests/bench-results.md);
// (2) what loads when identity is needed: loader, glue, wasm — the login dialog; issue 13 held
//     it at what it was before that issue, 157,723 B, until issue 24 (below): 159,700 B, and
//     issue 25's English texts (below): 160,300 B, and 160,400 B for the tokens another tab or
//     a function writes in the cookies taken with the server's user (+0.18 KB: a race CI found,
//     where they undid another tab's finished email change), and 160,450 B for cookies read
//     between another tab's two writes not being taken (+22 B: a race CI found, where the
//     spent refresh token came back and the next refresh logged every tab out); issue 26's
//     passkey sign-in offered where the server and the browser have passkeys: 163,000 B
//     (+2.5 KB: the glue's ceremony calls +0.45 KB, the English texts of passkeys and the
//     authenticator app's code +0.45 KB, the slot that loads the security chunk, the
//     settings flag and the server's new error codes; the ceremonies are in the chunk), and
//     163,700 B for a login's second step (+0.74 KB: every login checks for a confirmed
//     authenticator app, and one that has it waits for the app's code; its page and the code's
//     requests are in the security chunk); 163,720 B once the test for a confirmed app is one
//     function that login and the chunk share (+19 B here, −355 B in the security chunk);
//     165,300 B for the account page's passkeys and authenticator app and an administrator's
//     view of a user's passkeys (+1.5 KB here: their English texts +0.6 KB, their styles in the
//     glue +0.25 KB, the two slots' shared loader, a restored or remembered aal1 session
//     waiting for the code; their screens are the account_security chunk); 165,400 B once
//     those texts and styles come with that chunk (−0.34 KB: src/js/chunk.js fetches them, so
//     nothing of the account page's screens is left here), passkeys are offered in browsers
//     without the WebAuthn JSON methods too (+0.38 KB of base64url in the glue: Safari before
//     18.4, Firefox before 119) and another client's aal1 login waits for the code here too;
//     then 165,259 B with a form's request sent in the click's own task (issue 27: its first
//     step runs at once) and its timeout one AbortSignal.timeout (a controller, a timer and its
//     closure before: −0.18 KB);
// the chunk with the account page and user management, loaded by the few who open them, and
// the import's, loaded by an administrator who opens it, and the PKCE flow's, loaded by pages
// with `flowType: 'pkce'`, and the security chunk's (issue 26: passkey sign-in, a login's
// second step), loaded by a login page that offers passkeys or a login that needs the step, and
// the account security chunk's (the account page's passkeys and authenticator app, a user's
// passkeys for an administrator: 45 KB, its list rows type-erased, −7.9 KB; 45.5 KiB with its
// styles and its texts' English beside it, -account_security.txt, 0.7 KB), loaded by the
// account page on supabase/auth — each with the code it shares with other chunks that it
// fetches with it (wasm-split's chunk_N.wasm; until issue 26 every shared file was counted for
// each chunk, which put the PKCE chunk at 12.1 KB instead of its 6.9 KB). With the account
// security chunk, the fields and section statuses it shares with the management chunk became a
// shared file: the management chunk counts 83.8 KB (+6.1 KB), PKCE, import and security
// +0.1–0.9 KB by the same reshuffle; 84.9 KB (83 KiB) once the account page's slot fetches the
// account security chunk's texts and styles beside it (+0.4 KB, and +0.5 KB of code it now
// shares with the import chunk, −0.5 KB there).
// History of (2): 120 KiB for the first version (issue 2: 111.9 KiB); the account page and user
// management (issue 3) took it to 164 KiB, gotrue-js's client (issue 4) +6.5 KB, issue 6's
// options and locale loading +11 KB, to 188 KiB. Issue 7 split the management screens into the
// chunk (−35 KB). Issue 14's invariants, storage fallback, clock offset and pasted links cost
// +2.3 KB; the page's `user.admin.*` calls moved into the chunk for it (−7.4 KB here, +8.6 KB
// there: 60 KiB). Issue 16 (supabase/auth: its error codes, email change links, apiKey,
// passwordless sign-in) cost +2.2 KB here; gotrue-js's client moved into the chunk for it
// (−2.6 KB here), which with the passwordless pages and supabase/auth's user management took
// the chunk to 64.3 KiB; the import of users is a chunk of its own (18 KB, and 4.5 KB shared
// with the management chunk). Its PKCE flow is a chunk too (`-pkce.wasm`, 7 KB, loaded only
// with `flowType: 'pkce'`); for its hooks here, gotrue-js's and `user.admin`'s error objects
// moved into the management chunk (−0.7 KB here); loading a chunk a bundler inlined as a `data:`
// URL +0.1 KB. Issue 17 (assets named by data-assets-url, missing files named in the dialog)
// took the loader to 8,113 B; the pages' plain attribute values unquoted (src/prerender.rs),
// the locale codes as one string and terser's passes on the two script-tag files took it back
// to 7,895 B, and the glue −0.3 KB; a chunk file the server does not have named in the dialog
// and the page's promises +0.37 KB here, +0.14 KB in the management chunk. Issue 24 (the
// cookies kept in step with the session and with @netlify/identity, the focus given back, the
// search read page by page) cost +1.9 KB here after its own savings: the cookie and storage
// calls through the glue instead of web-sys (−1.1 KB), a login only the cookies hold done in the
// management chunk (−0.4 KB); and +4.4 KB in the management chunk (72 → 77 KiB), where the
// search shares the export's reader and progress. The loader stayed at 7,900 B: the invite's
// English page fetched from locales/en.txt when an invite link opens it, terser's
// unsafe_methods, CSS's spaces around `*` and `/`. Issue 25 (the import reads GoTrue's users
// table as JSON, NDJSON or CSV, keeps ids and password hashes, and writes Auth0's import
// files) cost +0.55 KB here, all of it English texts (every English string is compiled into the
// main module: wasm-split moves functions, not data), and +13.4 KB in the import chunk
// (24 → 37 KiB): the CSV reader, the table's rows, the hash checks, the conflicts, the
// creations in waves (+7.4 KB), Auth0's files and their downloads (+6 KB). Locale files (build/locales/) load only on
// pages that use them.
const groups = [
  { name: 'loader (1)', files: ['netlify-identity-widget.js'], budget: 7914 },
  { name: 'login dialog (2)', files: ['netlify-identity-widget.js', 'netlify-identity-widget-glue.js', 'netlify-identity-widget.wasm'], budget: 165400 },
  { name: 'management chunk', files: ['netlify-identity-widget-manage.wasm', ...shared('manage')], budget: 83 * 1024 },
  { name: 'import chunk', files: ['netlify-identity-widget-import.wasm', ...shared('import')], budget: 37.25 * 1024 },
  { name: 'PKCE chunk', files: ['netlify-identity-widget-pkce.wasm', ...shared('pkce')], budget: 7.25 * 1024 },
  { name: 'security chunk', files: ['netlify-identity-widget-security.wasm', ...shared('security')], budget: 11 * 1024 },
  { name: 'account security chunk', files: ['netlify-identity-widget-account_security.wasm', 'netlify-identity-widget-account_security.txt', ...shared('account_security')], budget: 45.5 * 1024 },
];

/**
 * The code `split` shares with other chunks, as wasm-split names it (`-chunk_N.wasm`): the files
 * its loader (target/wasm-split/__wasm_split.js, `/* import, manage *\/` above each) says it
 * fetches with it; every shared file where that loader is not there.
 */
function shared(split) {
  const dir = new URL('../build/', import.meta.url);
  if (!existsSync(dir)) return [];
  const all = readdirSync(dir).filter((f) => /^netlify-identity-widget-chunk_\d+\.wasm$/.test(f));
  const loader = new URL('../target/wasm-split/__wasm_split.js', import.meta.url);
  if (!existsSync(loader)) return all;
  const users = [...readFileSync(loader, 'utf8').matchAll(/\/\* ([\w, ]+) \*\/\s*const __chunk_(\d+)/g)];
  return users.filter(([, names]) => names.split(', ').includes(split)).map(([, , n]) => `netlify-identity-widget-chunk_${n}.wasm`);
}

const sizes = new Map();
function gzipSize(name) {
  if (!sizes.has(name)) {
    const path = new URL(`../build/${name}`, import.meta.url);
    if (!existsSync(path)) {
      console.error(`size: build/${name} is missing; run npm run build`);
      process.exit(1);
    }
    const bytes = readFileSync(path);
    sizes.set(name, { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizes.get(name);
}

console.log('| file | bytes | gzip -9 |\n|---|---:|---:|');
for (const name of new Set(groups.flatMap((g) => g.files))) {
  const { bytes, gzip } = gzipSize(name);
  console.log(`| ${name} | ${bytes} | ${gzip} |`);
}
const over = [];
for (const { name, files, budget } of groups) {
  const total = files.reduce((sum, file) => sum + gzipSize(file).gzip, 0);
  console.log(`| **${name}** | | **${total}** (budget ${budget}) |`);
  if (total > budget) over.push(`${name}: ${total} B > ${budget} B`);
}
if (over.length && process.argv.includes('--check')) {
  console.error(`size: over budget — ${over.join('; ')}`);
  process.exit(1);
}
