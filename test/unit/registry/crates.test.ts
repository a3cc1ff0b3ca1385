import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CratesClient, sparseIndexPath } from '../../../shared/src/registry/clients/crates';
import { HttpClient, type Transport } from '../../../shared/src/registry/http';

const reply = (status: number, body: string, contentType = 'application/json'): ReturnType<Transport> =>
  Promise.resolve({ status, headers: { 'content-type': contentType }, body: (async function* () { yield Buffer.from(body); })(), discard: () => undefined });

describe('crates.io client with a replaced source', () => {
  test('sparse index paths follow cargo’s layout', () => {
    assert.equal(sparseIndexPath('a'), '1/a');
    assert.equal(sparseIndexPath('ab'), '2/ab');
    assert.equal(sparseIndexPath('abc'), '3/a/abc');
    assert.equal(sparseIndexPath('Serde'), 'se/rd/serde');
  });

  test('a crate only on the sparse mirror is found there (with yanks), not unknown', async () => {
    const transport: Transport = (req) => {
      if (req.url === 'https://mirror.example/index/ac/me/acme-core') return reply(200, '{"name":"acme-core","vers":"0.1.0","deps":[],"cksum":"00","features":{},"yanked":false}\n{"name":"acme-core","vers":"0.2.0","deps":[],"cksum":"01","features":{},"yanked":true}\n', 'text/plain');
      return reply(404, '{"errors":[{"detail":"Not Found"}]}');
    };
    const client = new CratesClient(new HttpClient(transport, undefined, { now: () => 0, sleep: async () => undefined }), { api: 'https://crates.example', publicApi: 'https://crates.example', replacement: { name: 'mirror', kind: 'sparse', location: 'https://mirror.example/index' } });
    const found = await client.lookup('acme-core', { signal: new AbortController().signal });
    assert.equal(found.status, 'found');
    if (found.status === 'found') {
      assert.deepEqual(found.info.versions, [{ version: '0.1.0' }, { version: '0.2.0', yanked: true }]);
      assert.match(found.info.metadataLimited ?? '', /replacement source mirror/);
    }
    assert.equal((await client.lookup('nothing-here', { signal: new AbortController().signal })).status, 'not-found');
  });

  test('a directory replacement cannot be asked: unavailable, never unknown', async () => {
    const client = new CratesClient(new HttpClient(() => reply(404, '{}'), undefined), { api: 'https://crates.example', publicApi: 'https://crates.example', replacement: { name: 'vendored', kind: 'directory', location: 'vendor' } });
    const result = await client.lookup('anything', { signal: new AbortController().signal });
    assert.equal(result.status, 'unavailable');
  });
});
