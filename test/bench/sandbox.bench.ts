// `npm run bench:sandbox`: sandboxed vs plain install on this machine, warm images, cold package caches
// on both sides (the sandbox never keeps a cache between runs, so neither does the plain run).
//  - npm: a real package with dependencies from the npm registry (SANDBOX_BENCH_NPM, default express@4.21.2)
//  - pip: a package with dependencies from a static index on 127.0.0.1
// The fetch phase uses the default registry-only network (SANDBOX_BENCH_NETWORK=host to compare).
// Prints both medians, the ratio against the target (npm ≤ 2×, pip ≤ 2.5×) and the container start-up share.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../shared/src/sandbox/installer';
import { spawnProcess, startProcess } from '../../shared/src/sandbox/local/process';
import { testImage } from '../support/infra';
import { buildWheel, serveSimpleIndex } from '../sandbox/pypiFixtures';

const RUNS = Number(process.env.SANDBOX_BENCH_RUNS ?? 5);
const NPM_PACKAGE = process.env.SANDBOX_BENCH_NPM ?? 'express@4.21.2';
const NPM_REGISTRY = process.env.SANDBOX_BENCH_NPM_REGISTRY ?? 'https://registry.npmjs.org';
// The fetch network users get by default (registry-only: internal network + egress proxy); `host` to compare.
const NETWORK = process.env.SANDBOX_BENCH_NETWORK ?? 'registry-only';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-bench-'));
  await writeFile(path.join(dir, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}\n');
  return dir;
}

interface Row { name: string; plain: number; sandboxed: number; startup: number; target: number; packages: number }

async function benchNpm(): Promise<Row | string> {
  const image = await testImage('node');
  if (!image.ok) return `npm: ${image.reason}`;
  const plain: number[] = [];
  const sandboxed: number[] = [];
  const startup: number[] = [];
  let packages = 0;
  for (let i = 0; i < RUNS; i++) {
    const a = await project();
    const cache = await mkdtemp(path.join(os.tmpdir(), 'si-bench-cache-'));
    const t0 = performance.now();
    const res = await spawnProcess('npm', ['install', '--no-audit', '--no-fund', '--registry', NPM_REGISTRY, NPM_PACKAGE], { cwd: a, env: { ...process.env, npm_config_cache: cache } });
    plain.push(performance.now() - t0);
    if (res.code !== 0) return `npm: plain install failed: ${res.stderr.trim().split('\n').pop() ?? ''}`;
    await rm(a, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });

    const b = await project();
    const request: InstallRequest = { ecosystem: 'npm', packages: [NPM_PACKAGE], projectDir: b, dryRun: false, binaryOnly: false, ci: true, networkMode: NETWORK, registry: NPM_REGISTRY, allowScripts: [], limits: { ...DEFAULT_LIMITS }, images: { npm: image.path } };
    const t1 = performance.now();
    const report = await sandboxInstall(request, { engine: new DockerodeEngine(), run: spawnProcess, start: startProcess, env: process.env });
    sandboxed.push(performance.now() - t1);
    if (report.verdict !== 'installed') return `npm: sandboxed install ${report.verdict}: ${report.message}`;
    startup.push(report.timings.containerStartupMs);
    packages = report.packages.length;
    await rm(b, { recursive: true, force: true });
  }
  return { name: `npm ${NPM_PACKAGE}`, plain: median(plain), sandboxed: median(sandboxed), startup: median(startup), target: 2, packages };
}

async function benchPip(): Promise<Row | string> {
  const image = await testImage('python');
  if (!image.ok) return `pip: ${image.reason}`;
  const wheels = [buildWheel('si-app', '1.0', { requires: ['si-lib-a', 'si-lib-b', 'si-lib-c'] }), buildWheel('si-lib-a', '1.0'), buildWheel('si-lib-b', '1.0', { requires: ['si-lib-c'] }), buildWheel('si-lib-c', '1.0')];
  const index = await serveSimpleIndex(wheels);
  const plain: number[] = [];
  const sandboxed: number[] = [];
  const startup: number[] = [];
  let packages = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = await project();
      for (const venv of ['plain', 'sandboxed']) {
        const made = await spawnProcess('python3', ['-m', 'venv', path.join(dir, venv)], { cwd: dir, env: process.env });
        if (made.code !== 0) return `pip: python3 -m venv failed: ${made.stderr.trim()}`;
      }
      const t0 = performance.now();
      const res = await spawnProcess(path.join(dir, 'plain', 'bin', 'python'), ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--index-url', index.url, 'si-app'], { cwd: dir, env: process.env });
      plain.push(performance.now() - t0);
      if (res.code !== 0) return `pip: plain install failed: ${res.stderr.trim()}`;
      const request: InstallRequest = { ecosystem: 'PyPI', packages: ['si-app'], projectDir: dir, dryRun: false, binaryOnly: false, ci: true, networkMode: NETWORK, registry: index.url, allowScripts: [], limits: { ...DEFAULT_LIMITS }, images: { PyPI: image.path }, python: path.join(dir, 'sandboxed', 'bin', 'python') };
      const t1 = performance.now();
      const report = await sandboxInstall(request, { engine: new DockerodeEngine(), run: spawnProcess, start: startProcess, env: process.env });
      sandboxed.push(performance.now() - t1);
      if (report.verdict !== 'installed') return `pip: sandboxed install ${report.verdict}: ${report.message}`;
      startup.push(report.timings.containerStartupMs);
      packages = report.packages.length;
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await index.close();
  }
  return { name: 'pip si-app (local index)', plain: median(plain), sandboxed: median(sandboxed), startup: median(startup), target: 2.5, packages };
}

async function main(): Promise<void> {
  console.log(`sandbox benchmark: ${RUNS} runs each, medians, warm images, cold package caches, fetch network ${NETWORK}`);
  // SANDBOX_BENCH_ONLY=npm or pip runs one of the two.
  const only = process.env.SANDBOX_BENCH_ONLY;
  for (const bench of [benchNpm, benchPip].filter((b) => only === undefined || b.name.toLowerCase().endsWith(only.toLowerCase()))) {
    const row = await bench();
    if (typeof row === 'string') {
      console.log(`skipped ${row}`);
      continue;
    }
    const ratio = row.sandboxed / row.plain;
    console.log(`${row.name.padEnd(28)} ${row.packages} pkgs  plain ${(row.plain / 1000).toFixed(2)} s  sandboxed ${(row.sandboxed / 1000).toFixed(2)} s  ratio ${ratio.toFixed(2)}× (target ≤ ${row.target}×) ${ratio <= row.target ? 'OK' : 'OVER'}  container start-up ${(row.startup / 1000).toFixed(2)} s = ${((row.startup / row.sandboxed) * 100).toFixed(0)} % of sandboxed`);
  }
}

void main();
