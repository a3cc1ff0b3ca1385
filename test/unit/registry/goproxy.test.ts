import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeModulePath, GoProxyClient } from '../../../shared/src/registry/clients/goproxy';
import { parseGoproxy } from '../../../shared/src/registry/endpoints';
import { HttpClient, type Transport } from '../../../shared/src/registry/http';

/** Answers by URL prefix: a status and body per proxy host. */
function proxies(routes: Record<string, { status: number; body?: string }>): Transport & { urls: string[] } {
  const urls: string[] = [];
  const send: Transport = async (req) => {
    urls.push(req.url);
    if (req.url.endsWith('/@latest') || req.url.endsWith('.info')) {
      const ok = Object.entries(routes).some(([k, r]) => req.url.startsWith(k) && r.status === 200);
      const json = Buffer.from(JSON.stringify({ Version: 'v1.0.0', Time: '2024-01-01T00:00:00Z' }));
      return { status: ok ? 200 : 404, headers: { 'content-type': 'application/json' }, body: (async function* () { yield json; })(), discard: () => undefined };
    }
    const key = Object.keys(routes).find((k) => req.url.startsWith(k));
    const reply = key ? routes[key] : { status: 404 };
    const body = Buffer.from(reply?.body ?? '');
    return { status: reply?.status ?? 404, headers: { 'content-type': 'text/plain' }, body: (async function* () { yield body; })(), discard: () => undefined };
  };
  return Object.assign(send, { urls });
}

const clock = { now: () => 0, sleep: async () => undefined };
const lookup = (goproxy: string, transport: Transport, privatePatterns: string[] = []) =>
  new GoProxyClient(new HttpClient(transport, undefined, clock, { maxRetries: 0 }), { proxies: parseGoproxy(goproxy), privatePatterns, publicProxy: 'https://public.example' }).lookup('github.com/Foo/bar', { signal: new AbortController().signal });

describe('Go module proxy client', () => {
  test('capitals are escaped as !x', () => {
    assert.equal(escapeModulePath('github.com/Azure/Go-Thing'), 'github.com/!azure/!go-!thing');
  });

  test("'|' falls through on any error, ',' only on 404/410", async () => {
    const transport = proxies({ 'https://a.example': { status: 500 }, 'https://b.example': { status: 200, body: 'v1.0.0\n' } });
    const found = await lookup('https://a.example|https://b.example', transport);
    assert.equal(found.status, 'found');
    assert.equal(found.status === 'found' ? found.info.versions[0]?.publishedAt?.toISOString() : '', '2024-01-01T00:00:00.000Z');
    assert.ok(transport.urls.includes('https://b.example/github.com/!foo/bar/@v/list'));
    const stopped = await lookup('https://a.example,https://b.example', proxies({ 'https://a.example': { status: 500 }, 'https://b.example': { status: 200, body: 'v1.0.0\n' } }));
    assert.equal(stopped.status, 'unavailable');
  });

  test('404 everywhere then direct is unavailable (not unknown); without direct it is unknown', async () => {
    const viaDirect = await lookup('https://a.example,direct', proxies({}));
    assert.equal(viaDirect.status, 'unavailable');
    const noDirect = await lookup('https://a.example,https://b.example', proxies({}));
    assert.deepEqual(noDirect, { status: 'not-found', checked: ['https://a.example', 'https://b.example'] });
  });

  test('GOPRIVATE modules are never sent to a proxy; GOPROXY=off is reported', async () => {
    const transport = proxies({});
    assert.equal((await lookup('https://a.example', transport, ['github.com/Foo'])).status, 'unavailable');
    assert.deepEqual(transport.urls, []);
    const off = await lookup('off', transport);
    assert.ok(off.status === 'unavailable' && /GOPROXY=off/.test(off.reason));
  });
});
