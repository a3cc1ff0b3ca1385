import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { copyOutValidated, CopyOutError, type CopyOutViolation } from '../../../shared/src/sandbox/copyOut';
import { buildTar, type TarEntry } from '../../../shared/src/sandbox/tarBuilder';

let parent: string;
before(async () => { parent = await mkdtemp(path.join(os.tmpdir(), 'si-copyout-test-')); });
after(async () => { await rm(parent, { recursive: true, force: true }); });

// Docker's getArchive prefixes the copied directory's own name.
const good: TarEntry[] = [
  { path: 'out/', type: 'Directory' },
  { path: 'out/wheels/', type: 'Directory' },
  { path: 'out/wheels/a-1.0-py3-none-any.whl', content: 'wheel bytes' },
  { path: 'out/bin/tool', content: '#!/bin/sh\n', mode: 0o755 },
];

function stream(entries: TarEntry[]): Readable {
  // Small chunks exercise the parser across block boundaries.
  const bytes = buildTar(entries);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 700) chunks.push(bytes.subarray(i, i + 700));
  return Readable.from(chunks);
}

test('a clean archive is written with hashes and safe modes', async () => {
  const result = await copyOutValidated(stream(good), { stripComponents: 1, tempParent: parent });
  try {
    assert.deepEqual(result.files.map((f) => f.path), ['bin/tool', 'wheels/a-1.0-py3-none-any.whl']);
    const wheel = result.files.find((f) => f.path.endsWith('.whl'))!;
    assert.equal(wheel.sha256, createHash('sha256').update('wheel bytes').digest('hex'));
    assert.equal(await readFile(path.join(result.dir, 'wheels', 'a-1.0-py3-none-any.whl'), 'utf8'), 'wheel bytes');
    assert.equal((await stat(path.join(result.dir, 'bin', 'tool'))).mode & 0o7777, 0o755);
    assert.equal(result.totalBytes, 'wheel bytes'.length + '#!/bin/sh\n'.length);
  } finally {
    await rm(result.dir, { recursive: true, force: true });
  }
});

const hostile: Array<[string, TarEntry[], CopyOutViolation, object?]> = [
  ['path escape', [{ path: 'out/../../etc/cron.d/x', content: 'x' }], 'path-escape'],
  ['absolute path', [{ path: '/etc/passwd', content: 'x' }], 'absolute-path'],
  ['symlink', [{ path: 'out/link', type: 'SymbolicLink', linkpath: '/root/.ssh' }, { path: 'out/link/id_ed25519', content: 'x' }], 'symlink'],
  ['hardlink', [{ path: 'out/hard', type: 'Link', linkpath: '/etc/shadow' }], 'hardlink'],
  ['character device', [{ path: 'out/null', type: 'CharacterDevice' }], 'device'],
  ['block device', [{ path: 'out/sda', type: 'BlockDevice' }], 'device'],
  ['fifo', [{ path: 'out/pipe', type: 'FIFO' }], 'fifo'],
  ['setuid file', [{ path: 'out/suid', content: 'x', mode: 0o4755 }], 'setuid'],
  ['setgid directory', [{ path: 'out/sgid/', type: 'Directory', mode: 0o2755 }], 'setuid'],
  ['duplicate entry', [{ path: 'out/a', content: 'x' }, { path: 'out/a', content: 'y' }], 'duplicate'],
  ['too many files', Array.from({ length: 12 }, (_, i) => ({ path: `out/f${i}`, content: 'x' })), 'too-many-files', { maxFiles: 10 }],
  ['too big', [{ path: 'out/big', content: Buffer.alloc(5000) }], 'too-big', { maxTotalBytes: 4096 }],
  ['too deep', [{ path: `out/${Array.from({ length: 10 }, () => 'd').join('/')}/f`, content: 'x' }], 'too-deep', { maxDepth: 5 }],
  ['backslash path', [{ path: 'out/..\\..\\x', content: 'x' }], 'bad-path'],
];

for (const [name, entries, violation, limits] of hostile) {
  test(`rejects ${name} and leaves nothing behind`, async () => {
    const before = await readdir(parent);
    await assert.rejects(
      copyOutValidated(stream([{ path: 'out/', type: 'Directory' }, { path: 'out/ok.txt', content: 'fine' }, ...entries]), { stripComponents: 1, tempParent: parent, ...(limits ? { limits } : {}) }),
      (error: unknown) => error instanceof CopyOutError && error.violation === violation,
    );
    assert.deepEqual(await readdir(parent), before, 'the temp dir was removed');
  });
}

test('garbage is a corrupt archive, not a crash', async () => {
  await assert.rejects(copyOutValidated(Readable.from([Buffer.from('not a tar at all'.repeat(100))]), { tempParent: parent }), CopyOutError);
});
