/**
 * Packages the extension as a .vsix for the end-to-end tests without touching dist/: the built bundles
 * and the shipped files are copied into a staging folder and `vsce package` runs there, so test files
 * that run dist/cli.js in parallel are never disturbed by a rebuild. SAFE_INSTALL_E2E_VSIX skips this.
 */
import { spawn } from 'node:child_process';
import { access, cp, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

const SHIPPED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'syntaxes', 'docs/screenshots',
  'dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/data'];

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.once('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Builds the .vsix from the current dist/ and returns its path (throws with vsce's output on failure). */
export async function packageVsix(): Promise<string> {
  const prebuilt = process.env.SAFE_INSTALL_E2E_VSIX;
  if (prebuilt) return path.resolve(prebuilt);
  const staging = await mkdtemp(path.join(os.tmpdir(), 'si-vsix-'));
  for (const entry of SHIPPED) {
    const from = path.join(REPO_ROOT, entry);
    try {
      await access(from);
    } catch {
      if (entry.startsWith('dist/')) throw new Error(`${entry} is missing: run the build first (npm test builds before testing)`);
      continue;
    }
    await mkdir(path.dirname(path.join(staging, entry)), { recursive: true });
    await cp(from, path.join(staging, entry), { recursive: true });
  }
  const out = path.join(staging, 'safe-install.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const res = await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '--out', out], staging);
  if (res.code !== 0) throw new Error(`vsce package failed:\n${res.output}`);
  return out;
}
