import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vsce, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('the .vsix allow-list ships the bundles, their data and the package documents, nothing else', async (t) => {
  if (!existsSync(vsce)) return t.skip('@vscode/vsce is not installed');
  if (!existsSync(path.join(root, 'dist', 'server.js'))) return t.skip('dist/ is not built (run node scripts/build.mjs)');
  const { code, stdout, stderr } = await run(['ls', '--no-dependencies']);
  assert.equal(code, 0, stderr);
  const files = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const required of ['package.json', 'LICENSE', 'dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/data/popular/npm.txt.gz']) {
    assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
  }
  // Grammars and language configurations (syntaxes/), the icon and walkthrough pages (media/) are contributions too.
  const unexpected = files.filter((f) => !/^(package\.json|LICENSE|README\.md|CHANGELOG\.md|dist\/(extension|server|cli)\.js|dist\/data\/.+|syntaxes\/[^/]+\.json|media\/[^.][^/]*(\/[^/]+)?\.(svg|png|md)|docs\/screenshots\/[^/]+\.png)$/.test(f));
  assert.deepEqual(unexpected, [], 'only allow-listed files are packaged (no sources, maps, tests)');
});
