/**
 * Kills a vault worker at every step (SIGKILL, then recoverVault), and interrupts it with SIGTERM and SIGINT at
 * every step before the restore begins (the vault restores by itself); compares SHA-256 and modes of the whole
 * fake home before and after, checks the vault is empty and the lock released, and prints a steps × outcome matrix.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { recoverVault } from '../../../shared/src/vault/index';
import { createFakeHome, diffSnapshots, snapshotTree, type FakeHome } from '../../support/fakeHome';

const WORKER = path.join(__dirname, '..', '..', 'support', 'vaultWorker.ts');
const STATE_PREFIX = '.local/state';

interface WorkerRun {
  child: ChildProcess;
  /** Resolves with every STEP line's name once the worker printed STOPPED (or exited). */
  stopped: Promise<string[]>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function startWorker(fake: FakeHome, stopAt: number, extra: Record<string, string> = {}): WorkerRun {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...fake.env, VAULT_TEST_HOME: fake.home, VAULT_TEST_STOP_AT: String(stopAt), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // A worker that never reaches its stop point must not hang the suite: kill it; the assertions then fail.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.on('close', () => clearTimeout(guard));
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (stderr += c));
  const steps = (): string[] => [...stdout.matchAll(/^STEP \d+ (\S+)$/gm)].map((m) => m[1] ?? '');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: stdout + (stderr === '' ? '' : `\n[stderr] ${stderr}`) }));
  });
  const stopped = new Promise<string[]>((resolve) => {
    child.stdout?.on('data', (c: string) => {
      stdout += c;
      if (/^STOPPED /m.test(stdout)) resolve(steps());
    });
    void exited.then(() => resolve(steps()));
  });
  return { child, stopped, exited };
}

/** Snapshot of the home without the vault's own state folder. */
async function homeSnapshot(fake: FakeHome) {
  const all = await snapshotTree(fake.home);
  for (const key of [...all.keys()]) if (key === STATE_PREFIX || key.startsWith(`${STATE_PREFIX}/`) || key === '.local') all.delete(key);
  return all;
}

async function vaultLeftovers(fake: FakeHome): Promise<string[]> {
  try {
    return await readdir(path.join(fake.home, '.local', 'state', 'safe-install', 'vault'));
  } catch {
    return [];
  }
}

/** Runs `cases` with at most `limit` at a time (each case owns its fake home). */
async function pooled<T>(cases: readonly T[], limit: number, run: (c: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < cases.length) await run(cases[next++] as T);
  }));
}

describe('vault fault injection', () => {
  let stepNames: string[] = [];
  const matrix = new Map<string, Record<string, string>>();
  const record = (step: string, column: string, outcome: string): void => {
    matrix.set(step, { ...(matrix.get(step) ?? {}), [column]: outcome });
  };

  test('an uninterrupted run hides, installs with nothing visible, and restores everything', async () => {
    const fake = await createFakeHome();
    try {
      const before = await homeSnapshot(fake);
      const run = startWorker(fake, 0);
      const { code, stdout } = await run.exited;
      assert.equal(code, 0, stdout);
      stepNames = [...stdout.matchAll(/^STEP \d+ (\S+)$/gm)].map((m) => m[1] ?? '');
      const seen = JSON.parse(/^INSTALL (.*)$/m.exec(stdout)?.[1] ?? '{}') as { ssh: boolean; npmrc: boolean; aws: boolean; secretVars: string[]; path: boolean };
      assert.deepEqual(seen, { ssh: false, npmrc: false, aws: false, secretVars: ['PASSWORD_STORE_DIR'], path: true });
      assert.deepEqual(diffSnapshots(before, await homeSnapshot(fake)), []);
      assert.deepEqual(await vaultLeftovers(fake), []);
      assert.ok(stepNames.length >= 10 && stepNames.includes('journal-written') && stepNames.includes('lock-released'), stepNames.join(','));
    } finally {
      await fake.cleanup();
    }
  });

  test('SIGKILL at every step, then recoverVault: 100 % restored, vault empty, lock released', async (t) => {
    assert.ok(stepNames.length > 0, 'the uninterrupted run listed the steps');
    const failures: string[] = [];
    await pooled(stepNames.map((name, i) => ({ name, n: i + 1 })), 4, async ({ name, n }) => {
      const fake = await createFakeHome();
      try {
        const before = await homeSnapshot(fake);
        const run = startWorker(fake, n);
        const reached = await run.stopped;
        assert.equal(reached[reached.length - 1], name, `worker stopped at step ${n}`);
        run.child.kill('SIGKILL');
        const exit = await run.exited;
        assert.equal(exit.signal, 'SIGKILL');
        const recovered = await recoverVault({ homeDir: fake.home, env: fake.env });
        const again = await recoverVault({ homeDir: fake.home, env: fake.env });
        const diffs = diffSnapshots(before, await homeSnapshot(fake));
        const left = await vaultLeftovers(fake);
        const ok = diffs.length === 0 && left.length === 0 && recovered.errors.length === 0 && again.status === 'nothing';
        record(`${String(n).padStart(2)} ${name}`, 'SIGKILL+recover', ok ? `restored (${recovered.outcomes.filter((o) => o.result !== 'absent').length} back)` : 'FAILED');
        if (!ok) failures.push(`step ${n} ${name}: ${[...diffs, ...left.map((l) => `left in vault: ${l}`), ...recovered.errors].join('; ')}`);
      } finally {
        await fake.cleanup();
      }
    });
    t.diagnostic(`${stepNames.length} kill points`);
    assert.deepEqual(failures, []);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} at every step before the restore: the vault restores by itself and the process dies by ${signal}`, async () => {
      const restoreStarts = stepNames.findIndex((s) => s.startsWith('restored:') || s === 'journal-removed');
      const points = stepNames.slice(0, restoreStarts).map((name, i) => ({ name, n: i + 1 }));
      assert.ok(points.length > 5);
      const failures: string[] = [];
      await pooled(points, 4, async ({ name, n }) => {
        const fake = await createFakeHome();
        try {
          const before = await homeSnapshot(fake);
          const run = startWorker(fake, n);
          await run.stopped;
          run.child.kill(signal);
          const exit = await run.exited;
          const diffs = diffSnapshots(before, await homeSnapshot(fake));
          const left = await vaultLeftovers(fake);
          const after = await recoverVault({ homeDir: fake.home, env: fake.env });
          const ok = exit.signal === signal && diffs.length === 0 && left.length === 0 && after.status === 'nothing';
          record(`${String(n).padStart(2)} ${name}`, signal, ok ? 'self-restored' : 'FAILED');
          if (!ok) failures.push(`step ${n} ${name}: exit ${exit.code}/${exit.signal}; ${[...diffs, ...left.map((l) => `left: ${l}`)].join('; ')} ${exit.stdout.slice(-300)}`);
        } finally {
          await fake.cleanup();
        }
      });
      for (const name of stepNames.slice(restoreStarts)) record(`${String(stepNames.indexOf(name) + 1).padStart(2)} ${name}`, signal, 'n/a (restoring)');
      assert.deepEqual(failures, []);
    });
  }

  test('matrix of steps × outcome', (t) => {
    const columns = ['SIGKILL+recover', 'SIGTERM', 'SIGINT'];
    const rows = [...matrix.keys()].sort();
    const lines = [`${'step'.padEnd(22)} ${columns.map((c) => c.padEnd(22)).join(' ')}`];
    for (const row of rows) lines.push(`${row.padEnd(22)} ${columns.map((c) => (matrix.get(row)?.[c] ?? '-').padEnd(22)).join(' ')}`);
    console.log(lines.join('\n'));
    t.diagnostic(`${rows.length} steps in the matrix`);
    assert.ok(![...matrix.values()].some((r) => Object.values(r).includes('FAILED')));
  });
});
