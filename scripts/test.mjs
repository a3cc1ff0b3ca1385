// Runs every test suite with node:test: builds first (the language-server and CLI tests run dist/),
// then hands all test files to one `node --test` run so the summary counts them together.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function testFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'fixtures' || entry.name === 'node_modules') continue;
      out.push(...(await testFiles(full)));
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(path.relative(root, full));
    }
  }
  return out.sort();
}

const only = process.argv.slice(2);
let code = await run(process.execPath, ['scripts/build.mjs']);
if (code !== 0) process.exit(code);
code = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json']);
if (code !== 0) process.exit(code);
const files = only.length > 0 ? only : await testFiles(path.join(root, 'test'));
code = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
process.exit(code);
