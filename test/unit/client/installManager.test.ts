// The install manager against stand-in CLI scripts: events on stderr, the report on stdout, cancellation
// through AbortController reaching the child as SIGINT, and runs that end without a verdict.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InstallManager } from '../../../client/src/install/installManager';
import type { InstallRun } from '../../../client/src/install/installRun';

const HASH = 'cd'.repeat(32);

/** A stand-in for dist/cli.js: prints what `body` says. Plain Node, no shell. */
async function fakeCli(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, `${name}.cjs`);
  await writeFile(file, `const ev = (e) => process.stderr.write(JSON.stringify(e) + '\\n');\nconst args = process.argv.slice(2);\n${body}\n`);
  return file;
}

function manager(script: string, trusted = true): InstallManager {
  return new InstallManager({ cli: { script, node: process.execPath }, env: () => process.env, settings: () => ({ sandboxEnabled: true, binaryOnly: false }), trusted: () => trusted });
}

function request(cwd: string): InstallRun['request'] {
  return { ecosystem: 'npm', packages: ['left-pad@1.3.0'], dryRun: false, cwd };
}

/** Resolves when the run reaches a state matching `predicate` (listens to its changes). */
function until(run: InstallRun, predicate: (run: InstallRun) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(run)) return resolve();
    const off = run.onChange((r) => {
      if (predicate(r)) {
        off();
        resolve();
      }
    });
  });
}

test('install manager', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-client-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  await t.test('events on stderr drive the run; the stdout report adds hashes; argv reaches the CLI', async () => {
    const script = await fakeCli(dir, 'ok', `
      ev({ type: 'phase', phase: 'fetch', state: 'start', network: 'bridge' });
      ev({ type: 'package', ecosystem: 'npm', name: 'left-pad', version: '1.3.0', state: 'fetched' });
      ev({ type: 'phase', phase: 'fetch', state: 'end', ms: 5 });
      process.stderr.write('a plain warning line\\n');
      ev({ type: 'verdict', verdict: 'installed', message: 'ok' });
      process.stdout.write(JSON.stringify({ verdict: 'installed', argv: args, packages: [{ name: 'left-pad', version: '1.3.0', artifacts: [{ file: 'left-pad-1.3.0.tgz', sha256: '${HASH}' }] }] }, null, 2));
    `);
    const m = manager(script);
    const run = m.create(request(dir));
    assert.equal(run.state, 'queued');
    await m.execute(run);
    assert.equal(run.state, 'installed');
    assert.deepEqual(run.phases.map((p) => p.state), ['done']);
    assert.equal([...run.artifacts.values()][0]?.sha256, HASH);
    assert.deepEqual(run.report?.argv, ['install', '-e', 'npm', '--format', 'json', '--progress', 'json', '--', 'left-pad@1.3.0']);
    assert.ok(run.log.includes('a plain warning line'));
    assert.equal(m.lastFinished, run);
  });

  await t.test('cancel sends SIGINT; the run ends cancelled even when the child prints no verdict', async () => {
    const script = await fakeCli(dir, 'slow', `
      process.on('SIGINT', () => { process.stderr.write('cleaning up containers\\n'); process.exit(130); });
      ev({ type: 'phase', phase: 'fetch', state: 'start' });
      setInterval(() => {}, 1000);
    `);
    const m = manager(script);
    const run = m.create(request(dir));
    const done = m.execute(run);
    await until(run, (r) => r.phases.some((p) => p.state === 'running'));
    assert.deepEqual(m.active, [run]);
    m.cancel(run);
    await done;
    assert.equal(run.state, 'cancelled');
    assert.ok(run.log.includes('cleaning up containers'), 'the child got SIGINT and could clean up');
    assert.deepEqual(m.active, []);
  });

  await t.test('a failing child without a verdict fails the run with its last stderr line', async () => {
    const script = await fakeCli(dir, 'broken', `process.stderr.write('safe-install install: Docker is not available\\n'); process.exit(2);`);
    const m = manager(script);
    const run = m.create(request(dir));
    await m.execute(run);
    assert.equal(run.state, 'failed');
    assert.equal(run.verdictMessage, 'safe-install install: Docker is not available');
  });

  await t.test('untrusted workspaces and invalid requests never start the CLI', async () => {
    const marker = path.join(dir, 'started');
    const script = await fakeCli(dir, 'marker', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');`);
    const untrusted = manager(script, false).create(request(dir));
    await manager(script, false).execute(untrusted);
    assert.equal(untrusted.state, 'blocked');
    const m = manager(script);
    const bad = m.create({ ...request(dir), packages: ['--registry=http://attacker.invalid'] });
    await m.execute(bad);
    assert.equal(bad.state, 'failed');
    await assert.rejects(import('node:fs/promises').then((fs) => fs.access(marker)), 'the CLI never ran');
  });

  await t.test('a queued run is cancelled without starting', async () => {
    const m = manager(await fakeCli(dir, 'never', 'process.exit(0);'));
    const run = m.create(request(dir));
    m.cancel(run);
    assert.equal(run.state, 'cancelled');
    await m.execute(run);
    assert.equal(run.state, 'cancelled');
  });
});
