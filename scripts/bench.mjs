// Runs every benchmark under test/bench (or those named), one after another, each in its own process.
// Benchmarks print their own measurements; a benchmark that cannot run here prints why and exits 0.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const benchDir = path.join(root, 'test', 'bench');

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const wanted = process.argv.slice(2);
const all = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length > 0 ? all.filter((f) => wanted.some((w) => f.includes(w))) : all;
if ((await run(['scripts/build.mjs'])) !== 0) process.exit(1);
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file} ===`);
  if ((await run(['--import', 'tsx', path.join('test', 'bench', file)])) !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
