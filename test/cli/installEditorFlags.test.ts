// The install flags the editor relies on: --progress json (one typed event per stderr line, the report on
// stdout) and the tighten-only --memory/--cpus/--timeout limits, checked before anything runs.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { CliIo } from '../../shared/src/cli/command';
import { createInstallCommand } from '../../shared/src/cli/commands/install';
import { EngineUnavailableError, type SandboxEngine } from '../../shared/src/sandbox/docker';
import type { ProcessRunner } from '../../shared/src/sandbox/local/process';

/** An engine whose daemon is down: enough to see the install's progress and verdict. */
const downEngine = (): SandboxEngine => ({
  ping: async () => { throw new EngineUnavailableError('the Docker daemon is not running'); },
}) as unknown as SandboxEngine;
const noRun: ProcessRunner = async () => { throw new Error('nothing may run on the host'); };

test('install: editor flags', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-install-flags-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const io = (): CliIo & { out: string; err: string } => {
    const box = { out: '', err: '' };
    return Object.assign(box, { stdout: (s: string) => { box.out += s; }, stderr: (s: string) => { box.err += s; }, cwd: dir, env: { XDG_CONFIG_HOME: path.join(dir, 'cfg') }, isTTY: false });
  };
  const command = createInstallCommand({ engine: downEngine, run: noRun, homeDir: () => dir, platform: 'linux' });

  await t.test('--progress json writes only JSON events on stderr, ending with the verdict', async () => {
    const cli = io();
    const code = await command(['-e', 'npm', 'left-pad', '--registry', 'http://127.0.0.1:1/', '--ci', '--format', 'json', '--progress', 'json'], cli);
    assert.equal(code, 2);
    const lines = cli.err.trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { type: string; verdict?: string });
    assert.ok(events.length > 0);
    assert.equal(events.at(-1)?.type, 'verdict');
    assert.equal(events.at(-1)?.verdict, 'failed');
    assert.equal((JSON.parse(cli.out) as { verdict: string }).verdict, 'unavailable', 'the report stays on stdout');
  });

  await t.test('bad flag values are usage errors before anything runs', async () => {
    await assert.rejects(command(['-e', 'npm', 'left-pad', '--progress', 'xml'], io()), /unknown progress format/);
    await assert.rejects(command(['-e', 'npm', 'left-pad', '--registry', 'http://127.0.0.1:1/', '--memory', 'lots'], io()), /--memory 'lots'/);
    await assert.rejects(command(['-e', 'npm', 'left-pad', '--registry', 'http://127.0.0.1:1/', '--cpus=0'], io()), /--cpus '0'/);
    await assert.rejects(command(['-e', 'npm', 'left-pad', '--registry', 'http://127.0.0.1:1/', '--timeout', '1.5'], io()), /--timeout '1.5'/);
  });
});
