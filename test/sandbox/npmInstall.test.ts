// A real sandboxed npm install from the npm registry: the tree is resolved and fetched in the
// container with scripts off, copied out, and installed into a project with a lockfile entry each.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../shared/src/sandbox/installer';
import { spawnProcess } from '../../shared/src/sandbox/local/process';
import { parseLockfile } from '../../shared/src/sandbox/lockfile';
import { requireInfra, testImage } from '../support/infra';

const REGISTRY = process.env.SAFE_INSTALL_TEST_NPM_REGISTRY ?? 'https://registry.npmjs.org';
let work: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'si-npm-'));
  await writeFile(path.join(work, 'package.json'), `${JSON.stringify({ name: 'si-npm-test', version: '1.0.0', private: true }, null, 2)}\n`);
});
after(async () => { await rm(work, { recursive: true, force: true }); });

function request(packages: string[], extra: Partial<InstallRequest> = {}): InstallRequest {
  return { ecosystem: 'npm', packages, projectDir: work, dryRun: false, binaryOnly: false, ci: true, networkMode: 'host', registry: REGISTRY, allowScripts: [], limits: { ...DEFAULT_LIMITS, timeoutMs: 300_000 }, images: { npm: 'safe-install-test/node:bookworm' }, ...extra };
}

test('is-odd and its dependency are installed from the registry through the sandbox', async (t) => {
  if (!requireInfra(t, await testImage('node'))) return;
  const report = await sandboxInstall(request(['is-odd@3.0.1']), { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  if (report.verdict === 'failed' && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(report.message)) return t.skip(`npm registry not reachable: ${report.message}`);
  assert.equal(report.verdict, 'installed', report.message);
  const required = await spawnProcess(process.execPath, ['-e', 'process.stdout.write(String(require("is-odd")(3)))'], { cwd: work, env: process.env });
  assert.equal(required.stdout, 'true');
  const manifest = JSON.parse(await readFile(path.join(work, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  assert.ok(manifest.dependencies?.['is-odd'], 'package.json records the dependency');
  const lock = parseLockfile(await readFile(path.join(work, 'safe-install.lock'), 'utf8'));
  assert.deepEqual(lock.packages.map((p) => p.name).sort(), ['is-number', 'is-odd']);
  assert.ok(lock.packages.every((p) => p.artifacts[0]?.url?.startsWith(REGISTRY) && p.artifacts[0].integrity?.startsWith('sha512-')));
  assert.deepEqual(report.phases.filter((p) => p.phase === 'fetch').map((p) => p.network), ['host']);
  assert.equal(report.phases.filter((p) => p.phase === 'build').length, 0, 'nothing wanted scripts, so no build phase ran');
});
