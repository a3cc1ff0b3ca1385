// The npm plan's tarball audit: hostile entries npm would drop silently are found per package (through
// npm's cache layout), clean tarballs pass, and gem --explain lines are parsed for dependency resolution.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { auditFetchedTarballs, cacachePath, TARBALLS_DIR, type LockEntry } from '../../../shared/src/sandbox/plans/npm';
import { parseExplainLine } from '../../../shared/src/sandbox/plans/vendor';
import { hostileTarballEntries } from '../../../shared/src/sandbox/tarballAudit';
import { tarGz } from '../../attacks/tarWriter';

const clean = tarGz([{ type: 'dir', path: 'package/' }, { type: 'file', path: 'package/package.json', data: '{"name":"ok","version":"1.0.0"}\n' }]);
const hostile = tarGz([
  { type: 'file', path: 'package/package.json', data: '{"name":"bad","version":"1.0.0"}\n' },
  { type: 'file', path: 'package/../../escape.txt', data: 'x' },
  { type: 'symlink', path: 'package/link', target: '/home/someone/.ssh' },
  { type: 'hardlink', path: 'package/hard', target: '/etc/passwd' },
  { type: 'chardev', path: 'package/dev', major: 1, minor: 5, mode: 0o666 },
  { type: 'fifo', path: 'package/fifo' },
  { type: 'file', path: 'package/suid', data: 'x', mode: 0o4755 },
]);

function integrity(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

test('hostile tarball entries are listed by kind; a clean tarball has none', async () => {
  assert.deepEqual(await hostileTarballEntries(clean), []);
  const kinds = (await hostileTarballEntries(hostile)).map((e) => e.kind).sort();
  assert.deepEqual(kinds, ['device', 'dotdot', 'fifo', 'hardlink', 'setuid', 'symlink']);
  await assert.rejects(hostileTarballEntries(Buffer.from('not a tarball')));
});

test('cacache paths follow the integrity hash', () => {
  const data = Buffer.from('abc');
  const hex = createHash('sha512').update(data).digest('hex');
  assert.equal(cacachePath(integrity(data)), `sha512/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}`);
  assert.equal(cacachePath('md5-zzz'), undefined);
});

test('the finding names the dependency whose tarball carried the entries, not the requested package', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-audit-'));
  try {
    for (const data of [clean, hostile]) {
      const file = path.join(dir, TARBALLS_DIR, ...cacachePath(integrity(data))!.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
    }
    const entries: Array<[string, LockEntry]> = [
      ['node_modules/requested-app', { version: '2.0.0', integrity: integrity(clean) }],
      ['node_modules/requested-app/node_modules/deep-dep', { version: '1.0.0', integrity: integrity(hostile) }],
      ['node_modules/not-cached', { version: '1.0.0', integrity: integrity(Buffer.from('missing')) }],
    ];
    const audit = await auditFetchedTarballs(dir, entries);
    assert.deepEqual(audit.findings.map((f) => [f.package, f.rule, f.severity]), [['deep-dep', 'hostile-archive', 'high']]);
    assert.match(audit.findings[0]!.message, /symlink package\/link -> \/home\/someone\/\.ssh/);
    assert.deepEqual(audit.unreadable, ['not-cached']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('gem --explain lines give name, version and platform', () => {
  assert.deepEqual(parseExplainLine('  si-attack-gemdep-1.0.1'), { name: 'si-attack-gemdep', version: '1.0.1' });
  assert.deepEqual(parseExplainLine('  net-http-0.4.1'), { name: 'net-http', version: '0.4.1' });
  assert.deepEqual(parseExplainLine('  nokogiri-1.15.0-x86_64-linux'), { name: 'nokogiri', version: '1.15.0', platform: 'x86_64-linux' });
  assert.equal(parseExplainLine('Gems to install:'), undefined);
});
