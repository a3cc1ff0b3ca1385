import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';
import { networkFindings } from '../../../shared/src/intelligence/networkFindings';
import { intelligenceSettings } from '../../../shared/src/intelligence/settings';
import { parseManifest } from '../../../shared/src/manifests/index';
import { createRegistryClients } from '../../../shared/src/registry/index';
import { signalsFor } from '../../../shared/src/intelligence/signals';
import { MemoryCacheStore } from '../../../shared/src/registry/cache';
import { PypiClient } from '../../../shared/src/registry/clients/pypi';
import type { Endpoints } from '../../../shared/src/registry/endpoints';
import { HttpClient, type Clock, type HttpRequest, type Transport } from '../../../shared/src/registry/http';
import { LocalIndexReader } from '../../../shared/src/registry/local/localIndex';
import type { LocalFs } from '../../../shared/src/registry/local/localFs';
import type { LookupResult } from '../../../shared/src/registry/types';

let root: string;
let simple: string;
let wheels: string;

const page = (files: string[]): string => `<!DOCTYPE html><html><body>\n${files.map((f) => `<a href="../../files/${f}#sha256=00">${f}</a>`).join('\n')}\n</body></html>`;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'si-local-index-'));
  simple = path.join(root, 'simple');
  wheels = path.join(root, 'wheels');
  // A PEP 503 tree: one project with an index.html, one holding its files directly.
  await mkdir(path.join(simple, 'corp-utils'), { recursive: true });
  await writeFile(path.join(simple, 'corp-utils', 'index.html'), page(['corp_utils-1.0.0-py3-none-any.whl', 'corp_utils-1.2.0.tar.gz', 'corp_utils-1.1.0-py3-none-any.whl']));
  await mkdir(path.join(simple, 'bare-files'), { recursive: true });
  await writeFile(path.join(simple, 'bare-files', 'bare_files-0.3-py3-none-any.whl'), '');
  await mkdir(path.join(simple, 'requests'), { recursive: true });
  await writeFile(path.join(simple, 'requests', 'index.html'), page(['requests-2.32.3-py3-none-any.whl']));
  // A find-links folder (flat wheelhouse).
  await mkdir(wheels, { recursive: true });
  for (const f of ['Team.Tool-2.0.0-py3-none-any.whl', 'team_tool-2.1.0.zip', 'other-1.0-py3-none-any.whl']) await writeFile(path.join(wheels, f), '');
  await writeFile(path.join(root, 'links.html'), page(['page_only-4.0-py3-none-any.whl']));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

const fixedClock: Clock = { now: () => Date.UTC(2026, 0, 1), sleep: async () => undefined };

type Reply = { status: number; body?: string; type?: string };

/** A public index on a fake host: `replies` answers by URL; `null` means the host cannot be reached. */
function publicIndex(replies: ((url: string) => Reply) | null): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const send: Transport = async (req) => {
    requests.push(req);
    if (replies === null) throw Object.assign(new Error('getaddrinfo ENOTFOUND pypi.test'), { code: 'ENOTFOUND' });
    const reply = replies(req.url);
    const bytes = Buffer.from(reply.body ?? '');
    return {
      status: reply.status,
      headers: { 'content-type': reply.type ?? 'application/json' },
      body: (async function* () {
        yield bytes;
      })(),
      discard: () => undefined,
    };
  };
  return Object.assign(send, { requests });
}

function pypiEndpoints(indexes: string[], findLinks: string[] = []): Endpoints['pypi'] {
  return { indexes: ['https://pypi.test/simple', ...indexes], json: 'https://pypi.test/pypi', publicSimple: 'https://pypi.test/simple', publicJson: 'https://pypi.test/pypi', findLinks };
}

function client(transport: Transport, indexes: string[], findLinks: string[] = [], options: { offline?: boolean; fs?: LocalFs } = {}): PypiClient {
  const http = new HttpClient(transport, new MemoryCacheStore(), fixedClock, { offline: options.offline ?? false, maxRetries: 0 });
  return new PypiClient(http, pypiEndpoints(indexes, findLinks), [], new LocalIndexReader(options.fs, fixedClock.now));
}

const lookup = (c: PypiClient, name: string): Promise<LookupResult> => c.lookup(name, { signal: new AbortController().signal });
const notFoundEverywhere = (): Reply => ({ status: 404 });

function found(result: LookupResult): Extract<LookupResult, { status: 'found' }>['info'] {
  assert.equal(result.status, 'found', JSON.stringify(result));
  return (result as Extract<LookupResult, { status: 'found' }>).info;
}

describe('LocalIndexReader on disk', () => {
  test('simple tree: index.html or bare files; an absent project; a missing root is one clear reason', async () => {
    const reader = new LocalIndexReader();
    const corp = await reader.simpleIndex(simple, 'Corp_Utils');
    assert.equal(corp.status, 'found');
    assert.deepEqual(corp.status === 'found' ? corp.files.map((f) => f.version) : [], ['1.0.0', '1.2.0', '1.1.0']);
    const bare = await reader.simpleIndex(simple, 'bare.files');
    assert.deepEqual(bare.status === 'found' ? bare.files.map((f) => f.filename) : bare, ['bare_files-0.3-py3-none-any.whl']);
    assert.deepEqual(await reader.simpleIndex(simple, 'nothing-here'), { status: 'absent' });
    const missing = path.join(root, 'no-such-index');
    assert.deepEqual(await reader.simpleIndex(missing, 'corp-utils'), { status: 'failed', reason: `local index ${missing} does not exist` });
    assert.deepEqual(await reader.simpleIndex(path.join(root, 'links.html'), 'corp-utils'), { status: 'failed', reason: `local index ${path.join(root, 'links.html')} is not a folder` });
  });

  test('find-links: a folder, an HTML page, one archive; a missing folder is one clear reason', async () => {
    const reader = new LocalIndexReader();
    const tool = await reader.findLinks(wheels, 'team-tool');
    assert.deepEqual(tool.status === 'found' ? tool.files.map((f) => `${f.version}/${f.kind}`) : tool, ['2.0.0/wheel', '2.1.0/sdist']);
    assert.deepEqual(await reader.findLinks(wheels, 'team-tools'), { status: 'absent' });
    const fromPage = await reader.findLinks(path.join(root, 'links.html'), 'page-only');
    assert.equal(fromPage.status, 'found');
    const single = await reader.findLinks(path.join(wheels, 'other-1.0-py3-none-any.whl'), 'other');
    assert.equal(single.status, 'found');
    const missing = path.join(root, 'no-wheels');
    assert.deepEqual(await reader.findLinks(missing, 'x'), { status: 'failed', reason: `local index ${missing} does not exist` });
  });

  test('a find-links folder is listed once for many look-ups (within the reuse window), and again after it', async () => {
    let lists = 0;
    let now = 0;
    const counting: LocalFs = {
      kind: async () => 'dir',
      size: async () => 1,
      list: async () => {
        lists++;
        return ['a_pkg-1.0-py3-none-any.whl', 'b-pkg-2.0.tar.gz'];
      },
      readText: async () => '',
    };
    const reader = new LocalIndexReader(counting, () => now, 1_000);
    const results = await Promise.all(['a-pkg', 'b_pkg', 'c'].map((n) => reader.findLinks('/srv/wheels', n)));
    assert.deepEqual(results.map((r) => r.status), ['found', 'found', 'absent']);
    assert.equal(lists, 1);
    now = 2_000;
    await reader.findLinks('/srv/wheels', 'a-pkg');
    assert.equal(lists, 2);
  });

  test('a folder that cannot be read says why, in words', async () => {
    const denied: LocalFs = {
      kind: async () => 'dir',
      size: async () => undefined,
      list: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied, scandir'), { code: 'EACCES' })),
      readText: async () => '',
    };
    const result = await new LocalIndexReader(denied).findLinks('/srv/wheels', 'x');
    assert.deepEqual(result, { status: 'failed', reason: 'cannot read local index /srv/wheels: permission denied' });
  });
});

describe('PyPI client with local indexes', () => {
  test('a package only in a file:// simple index exists there (public index down): versions from file names, card says local', async () => {
    const c = client(publicIndex(null), [pathToFileURL(simple).href]);
    const info = found(await lookup(c, 'corp-utils'));
    assert.equal(info.registry, simple);
    assert.deepEqual(info.foundIn, [simple]);
    assert.deepEqual(info.localIndexes, [simple]);
    assert.deepEqual(info.versions.map((v) => v.version).sort(), ['1.0.0', '1.1.0', '1.2.0']);
    // 1.2.0 is an sdist only: pip would build it.
    assert.ok(info.versions.find((v) => v.version === '1.2.0')?.installScripts);
    assert.equal(info.latest, '1.2.0');
    assert.match(info.metadataLimited ?? '', new RegExp(`found in local index ${simple.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
    assert.match(info.downloadsUnavailable ?? '', /local indexes/);
    // The public index could not be asked, so a public copy is unverified: said, not hidden.
    assert.deepEqual(info.unverified, ['cannot reach pypi.test: ENOTFOUND getaddrinfo ENOTFOUND pypi.test']);
  });

  test('a package only in a find-links folder exists there; a plain-path extra index works like file://', async () => {
    const c = client(publicIndex(notFoundEverywhere), [simple], [wheels]);
    const info = found(await lookup(c, 'team_tool'));
    assert.deepEqual(info.foundIn, [wheels]);
    assert.deepEqual(info.versions.map((v) => v.version), ['2.0.0', '2.1.0']);
    assert.equal(info.unverified, undefined);
    assert.equal(found(await lookup(c, 'bare-files')).registry, simple);
  });

  test('nowhere at all: unknown-package names every place asked, local ones by path', async () => {
    const c = client(publicIndex(notFoundEverywhere), [pathToFileURL(simple).href], [wheels]);
    const result = await lookup(c, 'hallucinated-pkg');
    assert.deepEqual(result, { status: 'not-found', checked: ['https://pypi.test/pypi', 'https://pypi.test/simple', simple, wheels] });
  });

  test('nowhere, with the public index down: unavailable (never unknown), and no transport error text', async () => {
    const c = client(publicIndex(null), [pathToFileURL(simple).href], [wheels]);
    const result = await lookup(c, 'hallucinated-pkg');
    assert.equal(result.status, 'unavailable');
    assert.equal(result.status === 'unavailable' ? result.reason : '', 'cannot reach pypi.test: ENOTFOUND getaddrinfo ENOTFOUND pypi.test');
  });

  test('a missing local folder is one clear intelligence-unavailable reason, never an undici error', async () => {
    const gone = path.join(root, 'unmounted', 'simple');
    const c = client(publicIndex(notFoundEverywhere), [pathToFileURL(gone).href]);
    const result = await lookup(c, 'corp-utils');
    assert.deepEqual(result, { status: 'unavailable', reason: `local index ${gone} does not exist` });
    const signals = signalsFor({ target: { ecosystem: 'PyPI', name: 'corp-utils', spec: '' }, lookup: result, advisories: [], osvVersioned: false }, intelligenceSettings({}), fixedClock.now());
    assert.deepEqual(signals.map((s) => s.rule), ['intelligence-unavailable']);
    assert.doesNotMatch(signals[0]?.message ?? '', /UND_ERR|Invalid URL protocol/);
    assert.match(signals[0]?.message ?? '', /local index .* does not exist/);
  });

  test('other schemes are reported as unsupported, for indexes and find-links', async () => {
    const c = client(publicIndex(notFoundEverywhere), ['ftp://mirror.test/simple'], ['s3://bucket/wheels']);
    const result = await lookup(c, 'corp-utils');
    assert.equal(result.status, 'unavailable');
    const reason = result.status === 'unavailable' ? result.reason : '';
    assert.match(reason, /index ftp:\/\/mirror\.test\/simple uses the unsupported scheme 'ftp:'/);
    assert.match(reason, /find-links s3:\/\/bucket\/wheels uses the unsupported scheme 's3:'/);
  });

  test('local indexes are read in offline mode (no network needed)', async () => {
    const transport = publicIndex(notFoundEverywhere);
    const c = client(transport, [simple], [], { offline: true });
    const info = found(await lookup(c, 'corp-utils'));
    assert.deepEqual(info.foundIn, [simple]);
    assert.equal(transport.requests.length, 0);
  });

  test('on the public index AND in a local one: both consulted; the public record wins; dependency-confusion still fires', async () => {
    const project = { info: { name: 'requests', version: '2.32.3', project_urls: { Source: 'https://github.com/psf/requests' } }, releases: { '2.32.3': [{ packagetype: 'bdist_wheel', upload_time_iso_8601: '2024-05-29T15:37:47Z' }] } };
    const c = client(publicIndex((url) => (url.endsWith('/requests/json') ? { status: 200, body: JSON.stringify(project) } : { status: 404 })), [simple]);
    const result = await lookup(c, 'requests');
    const info = found(result);
    assert.equal(info.registry, 'https://pypi.test/pypi');
    assert.deepEqual(info.foundIn, ['https://pypi.test/simple', simple]);
    assert.deepEqual(info.localIndexes, [simple]);
    const signals = signalsFor({ target: { ecosystem: 'PyPI', name: 'requests', spec: '' }, lookup: result, advisories: [], osvVersioned: false }, intelligenceSettings({}), Date.UTC(2026, 0, 1));
    assert.ok(signals.some((s) => s.rule === 'dependency-confusion' && s.severity === 'warning'), JSON.stringify(signals));
  });

  test('a local mirror of the public files (same SHA-256 on the index page, or same size in a folder) is not dependency confusion; a different file is', async () => {
    const sha = (c: string): string => c.repeat(64);
    const project = {
      info: { name: 'mirrored', version: '1.0', project_urls: { Source: 'https://github.com/example/mirrored' } },
      releases: {
        '1.0': [
          { filename: 'mirrored-1.0-py3-none-any.whl', packagetype: 'bdist_wheel', size: 5, digests: { sha256: sha('a') }, upload_time_iso_8601: '2024-01-01T00:00:00Z' },
          { filename: 'mirrored-1.0.tar.gz', packagetype: 'sdist', size: 7, digests: { sha256: sha('b') }, upload_time_iso_8601: '2024-01-01T00:00:00Z' },
        ],
      },
    };
    const tree = path.join(root, 'mirror-simple');
    const folder = path.join(root, 'mirror-wheels');
    await mkdir(path.join(tree, 'mirrored'), { recursive: true });
    await mkdir(folder, { recursive: true });
    const writePage = (hash: string): Promise<void> => writeFile(path.join(tree, 'mirrored', 'index.html'), `<a href="../../f/mirrored-1.0-py3-none-any.whl#sha256=${hash}">w</a>`);
    const confusion = async (indexes: string[], findLinks: string[]): Promise<boolean> => {
      const c = client(publicIndex((url) => (url.endsWith('/mirrored/json') ? { status: 200, body: JSON.stringify(project) } : { status: 404 })), indexes, findLinks);
      const result = await lookup(c, 'mirrored');
      found(result);
      return signalsFor({ target: { ecosystem: 'PyPI', name: 'mirrored', spec: '' }, lookup: result, advisories: [], osvVersioned: false }, intelligenceSettings({}), Date.UTC(2026, 0, 1)).some((s) => s.rule === 'dependency-confusion');
    };
    await writePage(sha('a'));
    assert.equal(await confusion([tree], []), false);
    await writePage(sha('c'));
    assert.equal(await confusion([tree], []), true);
    await writeFile(path.join(folder, 'mirrored-1.0.tar.gz'), '1234567');
    assert.equal(await confusion([], [folder]), false);
    await writeFile(path.join(folder, 'mirrored-1.0.tar.gz'), '12345678');
    assert.equal(await confusion([], [folder]), true);
    // A version the public index does not have is a second package, whatever else matches.
    await writeFile(path.join(folder, 'mirrored-1.0.tar.gz'), '1234567');
    await writeFile(path.join(folder, 'mirrored-9.0-py3-none-any.whl'), '');
    assert.equal(await confusion([], [folder]), true);
  });

  test('in two local folders only: no dependency-confusion (nobody else publishes there)', async () => {
    const c = client(publicIndex(notFoundEverywhere), [simple], [wheels]);
    await writeFile(path.join(wheels, 'corp_utils-1.3.0-py3-none-any.whl'), '');
    try {
      const result = await lookup(c, 'corp-utils');
      const info = found(result);
      assert.deepEqual(info.foundIn, [simple, wheels]);
      assert.deepEqual(info.versions.map((v) => v.version).sort(), ['1.0.0', '1.1.0', '1.2.0', '1.3.0']);
      const signals = signalsFor({ target: { ecosystem: 'PyPI', name: 'corp-utils', spec: '' }, lookup: result, advisories: [], osvVersioned: false }, intelligenceSettings({}), fixedClock.now());
      assert.deepEqual(signals.map((s) => s.rule), []);
    } finally {
      await rm(path.join(wheels, 'corp_utils-1.3.0-py3-none-any.whl'));
    }
  });

  test('found locally while the public index is down: one intelligence-unavailable saying which index was not asked', async () => {
    const result = await lookup(client(publicIndex(null), [simple]), 'corp-utils');
    const signals = signalsFor({ target: { ecosystem: 'PyPI', name: 'corp-utils', spec: '' }, lookup: result, advisories: [], osvVersioned: false }, intelligenceSettings({}), fixedClock.now());
    assert.deepEqual(signals.map((s) => s.rule), ['intelligence-unavailable']);
    assert.match(signals[0]?.message ?? '', /cannot reach pypi\.test/);
  });

  test('an http(s) private index answering PEP 503 HTML: versions come from its links', async () => {
    const transport = publicIndex((url) => (url === 'https://private.test/simple/corp-utils/' ? { status: 200, type: 'text/html', body: page(['corp_utils-3.0-py3-none-any.whl', 'corp_utils-3.1.tar.gz']) } : { status: 404 }));
    const http = new HttpClient(transport, new MemoryCacheStore(), fixedClock, { maxRetries: 0 });
    const c = new PypiClient(http, { ...pypiEndpoints(['https://private.test/simple']) });
    const info = found(await lookup(c, 'corp-utils'));
    assert.deepEqual(info.versions.map((v) => v.version), ['3.0', '3.1']);
    assert.equal(info.latest, '3.1');
    assert.match(info.metadataLimited ?? '', /found on private\.test/);
  });

  test('an http(s) find-links page is fetched and its links read; a broken page is a clear reason', async () => {
    const transport = publicIndex((url) => (url === 'https://wheels.test/links.html' ? { status: 200, type: 'text/html', body: page(['corp_utils-5.0-py3-none-any.whl']) } : { status: 404 }));
    const http = new HttpClient(transport, new MemoryCacheStore(), fixedClock, { maxRetries: 0 });
    const c = new PypiClient(http, pypiEndpoints([], ['https://wheels.test/links.html']));
    assert.deepEqual(found(await lookup(c, 'corp-utils')).foundIn, ['https://wheels.test/links.html']);
    const broken = new PypiClient(http, pypiEndpoints([], ['https://wheels.test/gone.html']));
    assert.deepEqual(await lookup(broken, 'corp-utils'), { status: 'unavailable', reason: 'find-links page https://wheels.test/gone.html answered HTTP 404' });
  });
});

describe('HTTP layer and non-http URLs', () => {
  test('a file:// or ftp:// URL that reaches the HTTP client fails as unsupported, without sending anything', async () => {
    const transport = publicIndex(notFoundEverywhere);
    const http = new HttpClient(transport, new MemoryCacheStore(), fixedClock);
    const signal = new AbortController().signal;
    await assert.rejects(http.fetch('file:///srv/simple/x/', { signal, expect: 'text', ttlMs: 1 }), (error: Error & { kind?: string }) => error.kind === 'unsupported' && /uses the unsupported scheme 'file:'/.test(error.message) && !/UND_ERR/.test(error.message));
    await assert.rejects(http.fetch('/srv/simple/x/', { signal, expect: 'text', ttlMs: 1 }), /is not a URL/);
    assert.equal(transport.requests.length, 0);
  });
});

describe('indexes named in requirements.txt', () => {
  test('--find-links and a file:// --extra-index-url in the manifest are read; only the missing name is unknown', async () => {
    const transport = publicIndex(notFoundEverywhere);
    const clients = createRegistryClients({
      endpoints: { npm: { registry: 'https://npm.test', scopes: {}, publicRegistry: 'https://npm.test', downloads: 'https://npm.test' }, pypi: pypiEndpoints([]), crates: { api: 'https://crates.test', publicApi: 'https://crates.test' }, go: { proxies: [], privatePatterns: [], publicProxy: 'https://go.test' }, rubygems: { sources: [], publicSource: 'https://gems.test' }, osv: 'https://osv.test', extraCaPem: [], notes: [] },
      env: {},
      homeDir: root,
      transport: async (req, signal) => (req.url.startsWith('https://osv.test') ? { status: 200, headers: { 'content-type': 'application/json' }, body: (async function* () { yield Buffer.from('{"results":[{},{},{}]}'); })(), discard: () => undefined } : transport(req, signal)),
      cache: null,
      clock: fixedClock,
      http: { maxRetries: 0 },
    });
    const manifest = parseManifest('requirements', `--find-links ${wheels}\n--extra-index-url ${pathToFileURL(simple).href}\nteam-tool==2.0.0\ncorp-utils>=1.0\nnot-anywhere==1.0\n`);
    const findings = await networkFindings(manifest, { clients, config: DEFAULT_CONFIG, signal: new AbortController().signal });
    const rules = (pkg: string): string[] => findings.filter((f) => f.package === pkg).map((f) => f.rule);
    assert.deepEqual(rules('team-tool'), []);
    // >=1.0 resolves to 1.2.0, which the local index has only as an sdist.
    assert.deepEqual(rules('corp-utils'), ['install-scripts']);
    assert.deepEqual(rules('not-anywhere'), ['unknown-package']);
    const message = findings.find((f) => f.package === 'not-anywhere')?.message ?? '';
    assert.ok(message.includes(simple) && message.includes(wheels), message);
  });
});
