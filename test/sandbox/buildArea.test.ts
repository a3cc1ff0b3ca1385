// Docker-backed proof of the build area: it exists from the first build phase on (a fetch phase before it
// cannot write there); package code in the build phase can write only to it, a size-capped tmpfs volume
// (ENOSPC at the cap, the rest of the run volume read-only); what the build left survives into the next
// phase (a keeper container holds the tmpfs mounted) and is copied out.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../shared/src/sandbox/hardening';
import { SandboxSession, VOLUME_DIRS } from '../../shared/src/sandbox/session';
import { requireInfra, testImage } from '../support/infra';

const MiB = 1024 * 1024;

function dockerLines(args: string[]): Promise<string[]> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn('docker', args);
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', () => resolve(out.split('\n').filter((l) => l.trim() !== '')));
  });
}

test('the build phase writes only to the capped build area, which survives between phases and is copied out', async (t) => {
  const image = requireInfra(t, await testImage('node'));
  if (!image) return;
  const session = new SandboxSession({
    engine: new DockerodeEngine(),
    image,
    fetchNetwork: 'none',
    limits: { ...DEFAULT_LIMITS, timeoutMs: 120_000, diskBytes: 64 * MiB },
    fetchEnv: {},
    readOnlyFiles: [],
    progress: () => undefined,
  });
  let copiedDir: string | undefined;
  try {
    await session.phase('fetch', async (r) => {
      const early = await r.run({ label: 'write the build area too early', argv: ['sh', '-c', 'echo fetched > "$0"/seed.txt', VOLUME_DIRS.build] }, { allowFailure: true });
      assert.notEqual(early.exitCode, 0, 'the build area is not mounted before the first build phase');
    });
    await session.phase('build', async (r) => {
      const fill = await r.run({ label: 'fill', argv: ['dd', 'if=/dev/zero', `of=${VOLUME_DIRS.build}/fill.bin`, 'bs=1M', 'count=200'] }, { allowFailure: true });
      assert.notEqual(fill.exitCode, 0);
      assert.match(fill.stderr, /No space left on device/);
      const size = await r.run({ label: 'size', argv: ['stat', '-c', '%s', `${VOLUME_DIRS.build}/fill.bin`] });
      assert.ok(Number(size.stdout.trim()) <= 64 * MiB, `wrote ${size.stdout.trim()} bytes past a 64 MiB cap`);
      await r.run({ label: 'free', argv: ['rm', '-f', `${VOLUME_DIRS.build}/fill.bin`] });
      const outside = await r.run({ label: 'write the main volume', argv: ['touch', `${VOLUME_DIRS.work}/x`] }, { allowFailure: true });
      assert.notEqual(outside.exitCode, 0, 'the main run volume is read-only while package code runs');
      assert.match(outside.stderr, /Read-only file system/);
      await r.run({ label: 'result', argv: ['sh', '-c', 'echo built > "$0"/result.txt', VOLUME_DIRS.build] });
    });
    // Between phases only the keeper holds the tmpfs; without it Docker would unmount (and empty) it.
    const keepers = await dockerLines(['ps', '-q', '--filter', `label=org.safe-install.run=${session.runId}`, '--filter', 'label=org.safe-install.phase=keeper']);
    assert.equal(keepers.length, 1, 'one keeper container holds the build area');
    const built = await session.phase('fetch', async (r) => {
      const result = await r.run({ label: 'read what the build left', argv: ['cat', `${VOLUME_DIRS.build}/result.txt`] });
      assert.equal(result.stdout.trim(), 'built');
    }, VOLUME_DIRS.build);
    copiedDir = built.copied?.dir;
    assert.deepEqual(built.copied?.files.map((f) => f.path).sort(), ['result.txt']);
    assert.ok(session.notes.some((n) => /capped at 64 MiB/.test(n)), session.notes.join('\n'));
  } finally {
    await session.close();
    if (copiedDir) await rm(copiedDir, { recursive: true, force: true });
  }
  assert.deepEqual(await dockerLines(['volume', 'ls', '-q', '--filter', `label=org.safe-install.run=${session.runId}`]), []);
  assert.deepEqual(await dockerLines(['ps', '-aq', '--filter', `label=org.safe-install.run=${session.runId}`]), []);
});
