// The local pip step is all-or-nothing for real: when the second wheel of an install breaks after the
// first one was already upgraded, the virtualenv's site-packages is byte-identical to before (SHA-256 and
// mode of every file and folder). Needs a python3 with pip and venv; skips with the reason otherwise.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { installWheels, probePython } from '../../shared/src/sandbox/local/pip';
import { spawnProcess } from '../../shared/src/sandbox/local/process';
import { wheel } from '../attacks/fixturePackages';
import { diffSnapshots, snapshotTree } from '../support/fakeHome';
import { requireInfra } from '../support/infra';

/** Gives one member of a zip a wrong CRC (local header and central directory), so extracting it fails. */
function corruptMember(zipBytes: Buffer, member: string): Buffer {
  const out = Buffer.from(zipBytes);
  const name = Buffer.from(member);
  const local = out.indexOf(name);
  const central = out.indexOf(name, local + name.length);
  assert.ok(local > 30 && central > local, 'member found twice (local header and central directory)');
  out.writeUInt32LE((out.readUInt32LE(local - 16) ^ 0xffffffff) >>> 0, local - 16);
  out.writeUInt32LE((out.readUInt32LE(central - 30) ^ 0xffffffff) >>> 0, central - 30);
  return out;
}

test('a failing second wheel leaves the venv byte-identical to before', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-pip-rollback-'));
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', LANG: 'C.UTF-8' };
    const venv = path.join(dir, 'venv');
    // System site packages give the venv pip without a copy of it (fast); installs still go into the venv.
    const made = await spawnProcess('python3', ['-m', 'venv', '--without-pip', '--system-site-packages', venv], { cwd: dir, env });
    const python = path.join(venv, 'bin', 'python');
    const pipOk = made.code === 0 ? await spawnProcess(python, ['-m', 'pip', '--version'], { cwd: dir, env }) : made;
    if (!requireInfra(t, pipOk.code === 0 ? { ok: true, path: python } : { ok: false, reason: `python3 with venv and pip is needed (${(pipOk.stderr || 'exit ' + pipOk.code).trim().split('\n').pop()})` })) return;
    const write = async (file: string, data: Buffer): Promise<string> => {
      const full = path.join(dir, file);
      await writeFile(full, data);
      return full;
    };
    const v1 = [
      await write('si_alpha-1.0.0-py3-none-any.whl', wheel('si-alpha', '1.0.0', { 'si_alpha/__init__.py': 'VERSION = 1\n', 'si_alpha/old_only.py': 'x = 1\n' }).data),
      await write('si_beta-1.0.0-py3-none-any.whl', wheel('si-beta', '1.0.0', { 'si_beta/__init__.py': 'VERSION = 1\n' }).data),
    ];
    const first = await spawnProcess(python, ['-m', 'pip', 'install', '--no-deps', '--no-index', '--', ...v1], { cwd: dir, env });
    assert.equal(first.code, 0, first.stderr);
    const probe = await probePython(python, spawnProcess, dir, env);
    const site = probe.sitePackages[0]!;
    const before = await snapshotTree(site);
    assert.ok(before.has('si_alpha/old_only.py') && before.has('si_beta/__init__.py'));

    // pip installs si-beta before si-alpha: si-beta is upgraded (and pip commits that) before si-alpha breaks.
    const beta2 = await write('si_beta-2.0.0-py3-none-any.whl', wheel('si-beta', '2.0.0', { 'si_beta/__init__.py': 'VERSION = 2\n', 'si_beta/new_only.py': 'y = 2\n', 'si_beta_extra/__init__.py': '' }).data);
    const alpha2 = await write('si_alpha-2.0.0-py3-none-any.whl', corruptMember(wheel('si-alpha', '2.0.0', { 'si_alpha/__init__.py': 'VERSION = 2\n', 'si_alpha/big.py': '# broken\n' }).data, 'si_alpha/big.py'));
    await assert.rejects(installWheels(python, probe.sitePackages, [alpha2, beta2], spawnProcess, dir, env), /pip install failed; the environment was restored as it was \(rolled back the upgrade of si-beta\)/);
    assert.deepEqual(diffSnapshots(before, await snapshotTree(site)), [], 'site-packages differs from before the failed install');

    // And a good install still goes through.
    const alpha2good = await write('si_alpha-2.0.1-py3-none-any.whl', wheel('si-alpha', '2.0.1', { 'si_alpha/__init__.py': 'VERSION = 2\n' }).data);
    const ok = await installWheels(python, probe.sitePackages, [alpha2good, beta2], spawnProcess, dir, env);
    assert.deepEqual(ok.changed.sort(), ['si-alpha', 'si-beta']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
