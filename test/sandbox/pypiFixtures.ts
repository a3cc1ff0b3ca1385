// Test fixtures for the pip sandbox: wheels and sdists built in memory, and a PEP 503 simple index
// served on 127.0.0.1 only. All packages are inert.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, gzipSync } from 'node:zlib';
import { buildTar } from '../../shared/src/sandbox/tarBuilder';

/** A stored (uncompressed) zip of `files`. */
export function buildZip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(0, 8);
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6); entry.writeUInt16LE(0, 8); entry.writeUInt16LE(0, 10);
    entry.writeUInt32LE(0, 12); entry.writeUInt32LE(crc, 16); entry.writeUInt32LE(data.length, 20); entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBuf.length, 28); entry.writeUInt32LE(0, 30); entry.writeUInt32LE(0, 34); entry.writeUInt32LE(0o100644 * 0x10000, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}

/** A pure-Python wheel `name-version-py3-none-any.whl` with one module and optional extra files. */
export function buildWheel(name: string, version: string, options: { requires?: string[]; extraFiles?: Record<string, string> } = {}): { file: string; bytes: Buffer } {
  const dist = `${name.replace(/-/g, '_')}-${version}`;
  const module = name.replace(/-/g, '_');
  const files: Record<string, string> = {
    [`${module}/__init__.py`]: `VERSION = ${JSON.stringify(version)}\n`,
    ...options.extraFiles,
    [`${dist}.dist-info/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${(options.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join('')}`,
    [`${dist}.dist-info/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: safe-install-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const record = Object.entries(files).map(([p, c]) => `${p},sha256=${createHash('sha256').update(c).digest('base64url')},${Buffer.byteLength(c)}`);
  files[`${dist}.dist-info/RECORD`] = `${record.join('\n')}\n${dist}.dist-info/RECORD,,\n`;
  return { file: `${dist}-py3-none-any.whl`, bytes: buildZip(files) };
}

/** A setuptools sdist `name-version.tar.gz` (setup.py only, pure Python). */
export function buildSdist(name: string, version: string, options: { requires?: string[]; setupPyExtra?: string } = {}): { file: string; bytes: Buffer } {
  const base = `${name}-${version}`;
  const module = name.replace(/-/g, '_');
  const setup = `from setuptools import setup\n${options.setupPyExtra ?? ''}\nsetup(name=${JSON.stringify(name)}, version=${JSON.stringify(version)}, py_modules=[${JSON.stringify(module)}], install_requires=${JSON.stringify(options.requires ?? [])})\n`;
  const tar = buildTar([
    { path: `${base}/`, type: 'Directory' },
    { path: `${base}/setup.py`, content: setup },
    { path: `${base}/${module}.py`, content: `VERSION = ${JSON.stringify(version)}\n` },
    { path: `${base}/PKG-INFO`, content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` },
  ]);
  return { file: `${base}.tar.gz`, bytes: gzipSync(tar) };
}

/** A running static simple index. */
export interface SimpleIndex {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` (name -> bytes) as a PEP 503 index on 127.0.0.1 at /simple/. */
export async function serveSimpleIndex(files: ReadonlyArray<{ file: string; bytes: Buffer }>): Promise<SimpleIndex> {
  const byProject = new Map<string, Array<{ file: string; bytes: Buffer }>>();
  for (const f of files) {
    const project = (f.file.endsWith('.whl') ? f.file.split('-')[0]! : f.file.replace(/-[^-]+\.(tar\.gz|zip)$/, '')).toLowerCase().replace(/[-_.]+/g, '-');
    byProject.set(project, [...(byProject.get(project) ?? []), f]);
  }
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const page = /^\/simple\/([^/]+)\/$/.exec(url);
    if (page?.[1]) {
      const list = byProject.get(page[1]);
      if (!list) { res.writeHead(404).end('not found'); return; }
      const links = list.map((f) => `<a href="../../files/${f.file}#sha256=${createHash('sha256').update(f.bytes).digest('hex')}">${f.file}</a><br>`).join('\n');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>\n${links}\n</body></html>`);
      return;
    }
    const file = /^\/files\/([^/]+)$/.exec(url);
    const found = file?.[1] ? files.find((f) => f.file === file[1]) : undefined;
    if (found) { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.bytes.length }).end(found.bytes); return; }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
