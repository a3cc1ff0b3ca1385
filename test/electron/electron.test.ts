/**
 * The editor checks through the VS Code API, in a desktop VS Code started by @vscode/test-electron:
 * the same ground as the code-server suite (diagnostic on a typosquat, the quick fix, Check Environment,
 * an untrusted workspace refusing to install) for machines that can download VS Code.
 * Opt-in: SAFE_INSTALL_ELECTRON_TESTS=1 (downloads VS Code) or SAFE_INSTALL_VSCODE_EXECUTABLE=<path>.
 * Without either it skips before any network access, printing why (this workplace reaches no VS Code
 * download server, and the test must not try).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Why the suite cannot run here, or undefined. */
function skipReason(): string | undefined {
  if (process.env.SAFE_INSTALL_ELECTRON_TESTS !== '1' && !process.env.SAFE_INSTALL_VSCODE_EXECUTABLE) {
    return 'set SAFE_INSTALL_ELECTRON_TESTS=1 on a machine that can download VS Code, or SAFE_INSTALL_VSCODE_EXECUTABLE to a local VS Code; the code-server suite (test/e2e) covers the same checks here';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) return 'desktop VS Code needs a display on Linux: run under xvfb-run (or set DISPLAY)';
  return undefined;
}

test('Safe Install through the VS Code API (@vscode/test-electron)', { timeout: 10 * 60_000 }, async (t) => {
  const reason = skipReason();
  if (reason !== undefined) {
    console.log(`# skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const { runTests } = await import('@vscode/test-electron');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-electron-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // The in-editor suite runs inside VS Code's extension host, which loads JavaScript: bundle it.
  const suite = path.join(dir, 'suite.js');
  await build({ entryPoints: [path.join(import.meta.dirname, 'suite', 'index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: suite, external: ['vscode'], logLevel: 'warning' });
  const workspace = path.join(dir, 'workspace');
  await mkdir(workspace);
  await writeFile(path.join(workspace, 'requirements.txt'), 'reqeusts==2.31.0\nflask==3.0.0\n');
  await writeFile(path.join(workspace, 'safe-install.toml'), '[intelligence]\nenabled = false\noffline = true\n');
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', path.join(dir, 'user-data')],
    ...(process.env.SAFE_INSTALL_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.SAFE_INSTALL_VSCODE_EXECUTABLE } : {}),
    extensionTestsEnv: { SAFE_INSTALL_E2E_WORKSPACE: workspace },
  });
});
