// The host pip step, warm and cold, against a real virtualenv: the warm pip (started while the sandbox
// works) installs exactly what a cold one does; cancelled, it leaves the venv untouched; and neither runs a
// `pip/` folder planted in the project (with `python -m pip` the working folder comes first on sys.path).
// Needs a python3 with pip and venv; skips with the reason otherwise.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { installWheels, probePython, startWarmPip } from '../../shared/src/sandbox/local/pip';
import { spawnProcess, startProcess } from '../../shared/src/sandbox/local/process';
import { wheel } from '../attacks/fixturePackages';
import { diffSnapshots, snapshotTree } from '../support/fakeHome';
import { requireInfra } from '../support/infra';
import { pathExists } from '../../shared/src/sandbox/pathExists';

interface Venv { dir: string; python: string; sitePackages: string[]; env: Record<string, string>; wheels: string[]; marker: string }

async function makeVenv(t: TestContext): Promise<Venv | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-warm-pip-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH ?? '', HOME: dir, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', LANG: 'C.UTF-8' };
  const venv = path.join(dir, 'venv');
  // System site packages give the venv pip without a copy of it (fast); installs still go into the venv.
  const made = await spawnProcess('python3', ['-m', 'venv', '--without-pip', '--system-site-packages', venv], { cwd: dir, env });
  const python = path.join(venv, 'bin', 'python');
  const pipOk = made.code === 0 ? await spawnProcess(python, ['-m', 'pip', '--version'], { cwd: dir, env }) : made;
  if (!requireInfra(t, pipOk.code === 0 ? { ok: true, path: python } : { ok: false, reason: `python3 with venv and pip is needed (${(pipOk.stderr || 'exit ' + pipOk.code).trim().split('\n').pop()})` })) return undefined;
  const probe = await probePython(python, spawnProcess, dir, env);
  const wheels: string[] = [];
  for (const [name, body] of [['si-warm-a', 'A = 1\n'], ['si-warm-b', 'B = 2\n']] as const) {
    const w = wheel(name, '1.0.0', { [`${name.replace(/-/g, '_')}/__init__.py`]: body });
    const file = path.join(dir, `${name.replace(/-/g, '_')}-1.0.0-py3-none-any.whl`);
    await writeFile(file, w.data);
    wheels.push(file);
  }
  // A project that plants a `pip` package in its root: importing it would leave the marker.
  const project = path.join(dir, 'project');
  const marker = path.join(dir, 'planted-pip-ran');
  await mkdir(path.join(project, 'pip'), { recursive: true });
  await writeFile(path.join(project, 'pip', '__init__.py'), `open(${JSON.stringify(marker)}, "w").write("ran")\n`);
  await writeFile(path.join(project, 'pip', '__main__.py'), `open(${JSON.stringify(marker)}, "w").write("ran")\n`);
  return { dir: project, python, sitePackages: probe.sitePackages, env, wheels, marker };
}

async function distInfos(sitePackages: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const sp of sitePackages) for (const name of await readdir(sp).catch(() => [] as string[])) if (name.endsWith('.dist-info')) out.push(name);
  return out.sort();
}

test('the warm pip installs the wheels, and a pip/ folder in the project is never imported', async (t) => {
  const v = await makeVenv(t);
  if (!v) return;
  const warm = startWarmPip(v.python, startProcess, v.dir, v.env);
  try {
    const result = await installWheels(v.python, v.sitePackages, v.wheels, spawnProcess, v.dir, v.env, warm);
    assert.deepEqual(result.added.sort(), ['si-warm-a', 'si-warm-b']);
  } finally {
    await warm.cancel();
  }
  assert.deepEqual(await distInfos(v.sitePackages), ['si_warm_a-1.0.0.dist-info', 'si_warm_b-1.0.0.dist-info']);
  assert.equal(await pathExists(v.marker), false, 'the planted pip/ folder ran');
});

test('the cold pip (no warm process) installs the same, and never imports the planted pip/ either', async (t) => {
  const v = await makeVenv(t);
  if (!v) return;
  const result = await installWheels(v.python, v.sitePackages, v.wheels, spawnProcess, v.dir, v.env);
  assert.deepEqual(result.added.sort(), ['si-warm-a', 'si-warm-b']);
  assert.deepEqual(await distInfos(v.sitePackages), ['si_warm_a-1.0.0.dist-info', 'si_warm_b-1.0.0.dist-info']);
  assert.equal(await pathExists(v.marker), false, 'the planted pip/ folder ran');
  // The control: plain `python -m pip` from the project folder does run it.
  await spawnProcess(v.python, ['-m', 'pip', '--version'], { cwd: v.dir, env: v.env });
  assert.equal(await pathExists(v.marker), true, 'control: python -m pip imports the project\'s pip/ folder');
});

test('a cancelled warm pip (dry run, blocked, failed) leaves the venv byte-identical', async (t) => {
  const v = await makeVenv(t);
  if (!v) return;
  const before = await snapshotTree(path.dirname(path.dirname(v.python)));
  const warm = startWarmPip(v.python, startProcess, v.dir, v.env);
  // Let it get as far as waiting on stdin.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await warm.cancel();
  const after = await snapshotTree(path.dirname(path.dirname(v.python)));
  assert.deepEqual(diffSnapshots(before, after), []);
  assert.equal(await pathExists(v.marker), false);
});
