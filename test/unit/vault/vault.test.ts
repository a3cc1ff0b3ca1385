import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { filterChildEnvironment, nodeVaultFileSystem, recoverVault, VaultBusyError, withCredentialsHidden, type VaultFileSystem } from '../../../shared/src/vault/index';
import { createFakeHome, diffSnapshots, snapshotTree, type FakeHome } from '../../support/fakeHome';

const WORKER = path.join(__dirname, '..', '..', 'support', 'vaultWorker.ts');

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);
const sha = async (p: string): Promise<string> => createHash('sha256').update(await readFile(p)).digest('hex');

async function homeSnapshot(fake: FakeHome) {
  const all = await snapshotTree(fake.home);
  for (const key of [...all.keys()]) if (key === '.local' || key.startsWith('.local/state')) all.delete(key);
  return all;
}

function exdevError(): NodeJS.ErrnoException {
  return Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
}

/** Starts the worker and resolves once it is parked at `stopAt`. */
async function parkedWorker(fake: FakeHome, stopAt: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...fake.env, VAULT_TEST_HOME: fake.home, VAULT_TEST_STOP_NAME: stopAt }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(guard));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      if (out.includes('STOPPED')) resolve();
    });
    void exited.then(() => reject(new Error(`worker exited before ${stopAt}: ${out}`)));
  });
  return { child, exited };
}

describe('credential vault', () => {
  test('hides for the install only, gives the child a filtered env, never mutates the given env, restores byte-identical', async () => {
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      const envCopy = { ...fake.env };
      const run = await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async (childEnv, context) => {
        assert.equal(await exists(path.join(fake.home, '.ssh')), false);
        assert.equal(await exists(path.join(fake.home, '.aws', 'credentials')), false);
        assert.equal(await exists(path.join(fake.home, '.npmrc')), false);
        assert.equal(await exists(path.join(fake.workspace, '.env')), true, 'the project itself stays');
        assert.equal(childEnv.GITHUB_TOKEN, undefined);
        assert.equal(childEnv.SSH_AUTH_SOCK, undefined);
        assert.equal(childEnv.INNOCENT_LOOKING, undefined, 'a token-shaped value under an innocent name is stripped');
        assert.equal(childEnv.PATH, fake.env.PATH);
        assert.equal(childEnv.EDITOR, 'vim');
        assert.equal(context.signal.aborted, false);
        // The vault is private: folder 0700, lock 0600 holding our pid.
        const vault = path.join(fake.home, '.local', 'state', 'safe-install', 'vault');
        assert.equal((await stat(vault)).mode & 0o777, 0o700);
        const sessions = (await readdir(vault)).filter((n) => n.startsWith('session-'));
        assert.equal(sessions.length, 1);
        assert.equal((await stat(path.join(vault, sessions[0] ?? ''))).mode & 0o777, 0o700);
        assert.equal((await stat(path.join(vault, 'lock'))).mode & 0o777, 0o600);
        assert.equal((await readFile(path.join(vault, 'lock'), 'utf8')).split('\n')[0], String(process.pid));
        return 42;
      });
      assert.equal(run.value, 42);
      assert.deepEqual(fake.env, envCopy);
      assert.ok(run.report.hidden.length >= 10);
      assert.ok(run.report.strippedVariables.includes('GITHUB_TOKEN'));
      assert.deepEqual(run.report.errors, []);
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
      assert.deepEqual(await readdir(path.join(fake.home, '.local', 'state', 'safe-install', 'vault')), []);
    } finally {
      await fake.cleanup();
    }
  });

  test('restores even when the install throws', async () => {
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      await assert.rejects(withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async () => {
        throw new Error('pip failed');
      }), /pip failed/);
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
    } finally {
      await fake.cleanup();
    }
  });

  test('a file created meanwhile is never overwritten: the original is kept beside it, folders are merged', async () => {
    const fake = await createFakeHome();
    try {
      const npmrc = path.join(fake.home, '.npmrc');
      const ssh = path.join(fake.home, '.ssh');
      const originalNpmrc = await sha(npmrc);
      const originalKnownHosts = await sha(path.join(ssh, 'known_hosts'));
      const originalKey = await sha(path.join(ssh, 'id_ed25519'));
      const run = await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async () => {
        await writeFile(npmrc, 'registry=http://127.0.0.1:4873/\n');
        await mkdir(ssh, { mode: 0o755 });
        await writeFile(path.join(ssh, 'known_hosts'), 'new host key\n');
        await writeFile(path.join(ssh, 'created_meanwhile'), 'x');
      });
      assert.equal(await readFile(npmrc, 'utf8'), 'registry=http://127.0.0.1:4873/\n');
      const npmOutcome = run.report.restored.find((o) => o.original === npmrc);
      assert.equal(npmOutcome?.result, 'aside');
      const aside = npmOutcome.asidePaths[0] ?? '';
      assert.match(path.basename(aside), /^\.npmrc\.safe-install-restored-\d{4}-\d\d-\d\dT/);
      assert.equal(await sha(aside), originalNpmrc);
      assert.equal((await lstat(aside)).mode & 0o777, 0o600);
      const sshOutcome = run.report.restored.find((o) => o.original === ssh);
      assert.equal(sshOutcome?.result, 'merged');
      assert.equal(await sha(path.join(ssh, 'id_ed25519')), originalKey);
      assert.equal((await lstat(path.join(ssh, 'id_ed25519'))).mode & 0o777, 0o600);
      assert.equal((await lstat(ssh)).mode & 0o777, 0o700, 'the folder gets its original mode back');
      assert.equal(await readFile(path.join(ssh, 'known_hosts'), 'utf8'), 'new host key\n');
      assert.equal(sshOutcome.asidePaths.length, 1);
      assert.equal(await sha(sshOutcome.asidePaths[0] ?? ''), originalKnownHosts);
      assert.ok(await exists(path.join(ssh, 'created_meanwhile')));
      assert.equal((await lstat(path.join(ssh, 'current.pub'))).isSymbolicLink(), true);
    } finally {
      await fake.cleanup();
    }
  });

  test('EXDEV on a move: the path is skipped and reported, never copied; the rest is hidden and restored', async () => {
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      const npmrc = path.join(fake.home, '.npmrc');
      const fs: VaultFileSystem = { ...nodeVaultFileSystem, rename: async (from, to) => (from === npmrc ? Promise.reject(exdevError()) : nodeVaultFileSystem.rename(from, to)) };
      const run = await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false, fs }, async () => {
        assert.equal(await exists(npmrc), true);
        assert.equal(await exists(path.join(fake.home, '.ssh')), false);
      });
      assert.deepEqual(run.report.skipped, [{ path: npmrc, reason: 'other-filesystem' }]);
      assert.ok(!run.report.hidden.includes(npmrc));
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
    } finally {
      await fake.cleanup();
    }
  });

  test('a path on another real file system is detected before moving and reported', async (t) => {
    const fake = await createFakeHome();
    const homeDev = (await stat(fake.home)).dev;
    const candidates = ['/dev/shm', '/run/user', os.tmpdir()];
    let other: string | undefined;
    for (const dir of candidates) {
      const s = await stat(dir).catch(() => undefined);
      if (s?.isDirectory() === true && s.dev !== homeDev) {
        other = await mkdtemp(path.join(dir, 'safe-install-exdev-')).catch(() => undefined);
        if (other !== undefined) break;
      }
    }
    try {
      if (other === undefined) {
        t.skip('no writable folder on a second file system here');
        return;
      }
      const secret = path.join(other, 'token');
      await writeFile(secret, 'x', { mode: 0o600 });
      const run = await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false, extraPaths: [secret] }, async () => {
        assert.equal(await exists(secret), true);
      });
      assert.deepEqual(run.report.skipped, [{ path: secret, reason: 'other-filesystem' }]);
      assert.equal(await readFile(secret, 'utf8'), 'x');
    } finally {
      if (other !== undefined) await rm(other, { recursive: true, force: true });
      await fake.cleanup();
    }
  });

  test('two installs cannot interleave; a dead holder’s lock is taken over and its session recovered first', async () => {
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      const worker = await parkedWorker(fake, 'install-running');
      await assert.rejects(withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async () => 'never'), (error: unknown) => error instanceof VaultBusyError && error.holderPid === worker.child.pid);
      const busy = await recoverVault({ homeDir: fake.home, env: fake.env });
      assert.equal(busy.status, 'busy');
      assert.equal(await exists(path.join(fake.home, '.ssh')), false, 'recovery does not touch a live install');
      worker.child.kill('SIGKILL');
      assert.equal(await worker.exited, 'SIGKILL');
      const run = await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async () => {
        // In-process second caller while we hold the lock: also refused.
        await assert.rejects(withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false }, async () => 0), VaultBusyError);
        return 'ok';
      });
      assert.equal(run.value, 'ok');
      assert.ok(run.report.recoveredFromEarlierRun.filter((o) => o.result === 'restored').length >= 10);
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
    } finally {
      await fake.cleanup();
    }
  });

  test('after a crash, a file created at a hidden path is kept and the original restored beside it', async () => {
    const fake = await createFakeHome();
    try {
      const pypirc = path.join(fake.home, '.pypirc');
      const original = await sha(pypirc);
      const worker = await parkedWorker(fake, 'install-running');
      worker.child.kill('SIGKILL');
      await worker.exited;
      await writeFile(pypirc, '[distutils]\n');
      const report = await recoverVault({ homeDir: fake.home, env: fake.env });
      assert.equal(report.status, 'recovered');
      assert.equal(report.aside.length, 1);
      assert.equal(await readFile(pypirc, 'utf8'), '[distutils]\n');
      assert.equal(await sha(report.aside[0] ?? ''), original);
      assert.equal((await recoverVault({ homeDir: fake.home, env: fake.env })).status, 'nothing', 'idempotent');
    } finally {
      await fake.cleanup();
    }
  });

  test('the journal is written and fsynced (file and folder) before the first move', async () => {
    const fake = await createFakeHome();
    try {
      const log: string[] = [];
      const fs: VaultFileSystem = {
        ...nodeVaultFileSystem,
        writeNewDurable: async (p, text, mode) => {
          log.push(`write+fsync ${path.basename(p)}`);
          return nodeVaultFileSystem.writeNewDurable(p, text, mode);
        },
        fsyncDir: async (p) => {
          log.push(`fsyncdir ${path.basename(p)}`);
          return nodeVaultFileSystem.fsyncDir(p);
        },
        rename: async (from, to) => {
          log.push(from.includes(path.join('.local', 'state')) ? `rename ${path.basename(from)}` : 'move');
          return nodeVaultFileSystem.rename(from, to);
        },
      };
      await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false, fs }, async () => undefined);
      const firstMove = log.indexOf('move');
      const journalWrite = log.indexOf('write+fsync journal.json.tmp');
      const journalRename = log.indexOf('rename journal.json.tmp');
      const sessionSync = log.findIndex((l, i) => i > journalRename && l.startsWith('fsyncdir session-'));
      assert.ok(journalWrite >= 0 && journalWrite < journalRename && journalRename < sessionSync && sessionSync < firstMove, log.join('\n'));
    } finally {
      await fake.cleanup();
    }
  });

  test('keepPaths leaves a path in place; a symlinked vault folder is refused', async () => {
    const fake = await createFakeHome();
    try {
      const npmrc = path.join(fake.home, '.npmrc');
      await withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false, keepPaths: ['.npmrc'] }, async () => {
        assert.equal(await exists(npmrc), true);
      });
      const state = path.join(fake.root, 'state');
      await mkdir(state);
      await symlink(fake.root, path.join(state, 'vault'));
      await assert.rejects(withCredentialsHidden({ homeDir: fake.home, env: fake.env, handleSignals: false, stateDir: state }, async () => 0), /not a folder/);
    } finally {
      await fake.cleanup();
    }
  });

  test('filterChildEnvironment strips names, shapes, agent sockets and extras, keeps the rest', () => {
    const { env, stripped } = filterChildEnvironment({ PATH: '/bin', HOME: '/h', NPM_TOKEN: 'npm_x', WEIRD: 'ghp_' + 'a1'.repeat(20), SSH_AUTH_SOCK: '/s', CUSTOM: 'v', LANG: 'C' }, ['custom']);
    assert.deepEqual(env, { PATH: '/bin', HOME: '/h', LANG: 'C' });
    assert.deepEqual(stripped, ['CUSTOM', 'NPM_TOKEN', 'SSH_AUTH_SOCK', 'WEIRD']);
  });
});

describe('safe-install vault recover', () => {
  test('restores a crashed session, then reports nothing to do; exit 2 on usage errors', async () => {
    const { makeVaultRecoverCommand } = await import('../../../shared/src/cli/commands/vaultRecover');
    const { runCli } = await import('../../../shared/src/cli/runCli');
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      const worker = await parkedWorker(fake, 'hidden-all');
      worker.child.kill('SIGKILL');
      await worker.exited;
      const command = makeVaultRecoverCommand(() => ({ homeDir: fake.home, env: fake.env }));
      let out = '';
      let err = '';
      const io = { cwd: fake.home, env: fake.env, isTTY: false, stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
      assert.equal(await command(['recover'], io), 0);
      assert.match(out, /Recovered 1 interrupted vault session/);
      assert.match(out, /restored +.*\.ssh/);
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
      out = '';
      assert.equal(await command(['recover', '--format', 'json'], io), 0);
      assert.equal((JSON.parse(out) as { status: string }).status, 'nothing');
      assert.equal(await runCli(['vault', 'recover', 'extra'], io, { vault: { run: command, summary: '' } }), 2);
      assert.match(err, /unexpected argument 'extra'/);
    } finally {
      await fake.cleanup();
    }
  });
});

describe('vault lock', () => {
  test('a lock whose pid now belongs to another process (pid reuse after a crash or reboot) is stale', async () => {
    const { acquireVaultLock, processIdentity } = await import('../../../shared/src/vault/lock');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'safe-install-lock-'));
    try {
      const lockPath = path.join(dir, 'lock');
      const identity = await processIdentity(nodeVaultFileSystem, process.pid);
      // The parent of this test is alive; a lock claiming it with a different start time must be taken over.
      await writeFile(lockPath, `${process.ppid}\nnot-a-real-boot/123\n2020-01-01T00:00:00Z\n`);
      if (identity === undefined) {
        await assert.rejects(acquireVaultLock(lockPath, { fs: nodeVaultFileSystem, pid: process.pid, isAlive: () => true }), VaultBusyError);
        return;
      }
      const lock = await acquireVaultLock(lockPath, { fs: nodeVaultFileSystem, pid: process.pid, isAlive: () => true });
      assert.equal((await readFile(lockPath, 'utf8')).split('\n').slice(0, 2).join('|'), `${process.pid}|${identity}`);
      // The live owner with a matching identity blocks a second taker.
      await assert.rejects(acquireVaultLock(lockPath, { fs: nodeVaultFileSystem, pid: process.pid + 1, isAlive: () => true }), VaultBusyError);
      await lock.release();
      assert.equal(await exists(lockPath), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
