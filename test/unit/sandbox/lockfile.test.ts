import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LockfileError, mergeLockfile, parseLockfile, renderLockfile, updateLockfile, type LockPackage } from '../../../shared/src/sandbox/lockfile';

const sha = (c: string): string => c.repeat(64);
const six: LockPackage = { ecosystem: 'PyPI', name: 'six', version: '1.16.0', artifacts: [{ file: 'six-1.16.0-py2.py3-none-any.whl', kind: 'wheel', url: 'https://files.example/six.whl', sha256: sha('a') }] };
const leftPad: LockPackage = { ecosystem: 'npm', name: 'left-pad', version: '1.3.0', artifacts: [{ file: 'node_modules/left-pad', kind: 'npm-package-dir', sha256: sha('b'), integrity: 'sha512-xyz' }] };

test('render and parse round-trip, sorted and stable', () => {
  const lock = mergeLockfile(undefined, [six, leftPad]);
  assert.deepEqual(lock.packages.map((p) => p.name), ['left-pad', 'six'], 'sorted by ecosystem then name');
  const text = renderLockfile(lock);
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(parseLockfile(text), lock);
  assert.equal(renderLockfile(parseLockfile(text)), text, 'deterministic');
});

test('a new install replaces the same package and keeps the others', () => {
  const upgraded: LockPackage = { ...six, version: '1.17.0', artifacts: [{ ...six.artifacts[0]!, sha256: sha('c') }] };
  const merged = mergeLockfile(mergeLockfile(undefined, [six, leftPad]), [upgraded]);
  assert.equal(merged.packages.length, 2);
  assert.equal(merged.packages.find((p) => p.name === 'six')?.version, '1.17.0');
});

test('broken lockfiles are rejected with a reason', () => {
  assert.throws(() => parseLockfile('{'), LockfileError);
  assert.throws(() => parseLockfile('{"lockfileVersion":2,"packages":[]}'), /version 1/);
  assert.throws(() => parseLockfile(JSON.stringify({ lockfileVersion: 1, packages: [{ ecosystem: 'PyPI', name: 'x', version: '1', artifacts: [{ file: 'x.whl', sha256: 'nothex' }] }] })), /sha256/);
  assert.throws(() => parseLockfile(JSON.stringify({ lockfileVersion: 1, packages: [{ ecosystem: 'Maven', name: 'x', version: '1', artifacts: [] }] })), /ecosystem/);
});

test('updateLockfile merges into the file on disk atomically', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-lock-'));
  try {
    const file = path.join(dir, 'safe-install.lock');
    await updateLockfile(file, [six]);
    await updateLockfile(file, [leftPad]);
    const lock = parseLockfile(await readFile(file, 'utf8'));
    assert.deepEqual(lock.packages.map((p) => p.name), ['left-pad', 'six']);
    await writeFile(file, 'garbage');
    await assert.rejects(updateLockfile(file, [six]), LockfileError, 'a corrupt lockfile is not silently overwritten');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
