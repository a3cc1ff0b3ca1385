// The vault flags the editor passes (`--vault-path`, `--vault-env`) reach an install without the sandbox:
// the named file is hidden and the named variable stripped while the package manager runs, and only then.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { CliIo } from '../../../shared/src/cli/command';
import { createInstallCommand } from '../../../shared/src/cli/commands/install';
import type { SandboxEngine } from '../../../shared/src/sandbox/docker';
import type { ProcessRunner } from '../../../shared/src/sandbox/local/process';

test('install --no-sandbox hides --vault-path files and strips --vault-env variables during the run', async (t) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'si-vault-flags-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const secret = path.join(home, 'custom-secret');
  await writeFile(secret, 'canary');
  await writeFile(path.join(home, 'package.json'), '{}');
  const seen: Array<{ secretVisible: boolean; proxy: string | undefined }> = [];
  // Stands in for npm: records what the package manager could see, runs nothing.
  const run: ProcessRunner = async (_command, _args, options) => {
    seen.push({ secretVisible: existsSync(secret), proxy: options.env['HTTPS_PROXY'] });
    return { code: 0, stdout: '', stderr: '' };
  };
  const noEngine = (): SandboxEngine => { throw new Error('no sandbox in this test'); };
  // darwin: no bubblewrap, so the vault itself hides what it is told to.
  const command = createInstallCommand({ engine: noEngine, run, homeDir: () => home, platform: 'darwin' });
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, cwd: home, env: { XDG_CONFIG_HOME: path.join(home, 'cfg'), HTTPS_PROXY: 'http://127.0.0.1:9' }, isTTY: false };
  const base = ['-e', 'npm', 'left-pad', '--no-sandbox', '--registry', 'http://127.0.0.1:1/', '--format', 'json'];

  assert.equal(await command(base, io), 0);
  assert.equal(await command([...base, '--vault-path=~/custom-secret', '--vault-env=HTTPS_PROXY'], io), 0);
  assert.deepEqual(seen, [
    { secretVisible: true, proxy: 'http://127.0.0.1:9' },
    { secretVisible: false, proxy: undefined },
  ]);
  assert.equal(await readFile(secret, 'utf8'), 'canary', 'the hidden file is back after the run');
});
