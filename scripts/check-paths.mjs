// Fails when a tracked file names a path of one machine: a home folder, a temp folder or this
// workplace's checkout. Such a file works only where it was written (a leftover debugging script
// imported the tests by one machine's absolute paths); code finds its files from
// `import.meta.url` or `$HOME`, and temp folders from `os.tmpdir()` or `mktemp`. Run by `npm test`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const MACHINE_PATH = /(?<![\w.~$}-])(?:\/home\/[a-z_][\w.-]*\/|\/Users\/[^/\s'"`]+\/|\/root\/|\/tmp\/|\/var\/tmp\/|\/work\/|[A-Za-z]:\\Users\\)/;

const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const found = [];
for (const file of files) {
  const bytes = readFileSync(new URL(file, `file://${root}`));
  if (bytes.includes(0)) continue; // binary
  bytes.toString('utf8').split('\n').forEach((line, index) => {
    const match = MACHINE_PATH.exec(line);
    if (match) found.push(`${file}:${index + 1}: ${match[0]} in "${line.trim().slice(0, 120)}"`);
  });
}
if (found.length) {
  console.error(`check-paths: ${found.length} line(s) name a path of one machine; find the file from import.meta.url, $HOME or os.tmpdir() instead:\n${found.join('\n')}`);
  process.exit(1);
}
console.log(`check-paths: ${files.length} tracked files name no machine's home, temp or checkout path`);
