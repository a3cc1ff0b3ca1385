import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cacheKey, defaultCacheDir, FileCacheStore, MemoryCacheStore } from '../../../shared/src/registry/cache';
import { HttpClient, HttpError, parseRetryAfter, type Clock, type HttpRequest, type Transport } from '../../../shared/src/registry/http';

/** A clock tests move by hand; sleeps record their length and return at once. */
function manualClock(start = 1_000_000): Clock & { advance(ms: number): void; slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return { now: () => now, sleep: async (ms) => void slept.push(ms), advance: (ms) => void (now += ms), slept };
}

type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A transport answering from a script of replies, recording every request. */
function scripted(replies: Reply[] | ((req: HttpRequest) => Reply)): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const send: Transport = async (req) => {
    requests.push(req);
    const reply = typeof replies === 'function' ? replies(req) : replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    const bytes = Buffer.from(reply.body ?? '');
    return {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
      body: (async function* () {
        yield bytes;
      })(),
      discard: () => undefined,
    };
  };
  return Object.assign(send, { requests });
}

const opts = { signal: new AbortController().signal, expect: 'json' as const, ttlMs: 60_000 };

describe('HttpClient', () => {
  test('a fresh cache entry answers without a request; a stale one revalidates with its ETag (304)', async () => {
    const clock = manualClock();
    const transport = scripted([{ status: 200, headers: { etag: '"v1"' }, body: '{"a":1}' }, { status: 304 }]);
    const http = new HttpClient(transport, new MemoryCacheStore(), clock);
    assert.deepEqual((await http.fetch('https://r.example/a', opts)).json, { a: 1 });
    const second = await http.fetch('https://r.example/a', opts);
    assert.equal(second.fromCache, true);
    assert.equal(transport.requests.length, 1);
    clock.advance(61_000);
    const third = await http.fetch('https://r.example/a', opts);
    assert.deepEqual(third.json, { a: 1 });
    assert.equal(transport.requests.length, 2);
    assert.equal(transport.requests[1]?.headers['if-none-match'], '"v1"');
    // The 304 refreshed the entry: fresh again.
    await http.fetch('https://r.example/a', opts);
    assert.equal(transport.requests.length, 2);
  });

  test('offline mode answers from the cache at any age, and says so when the cache has nothing', async () => {
    const cache = new MemoryCacheStore();
    const clock = manualClock();
    await new HttpClient(scripted([{ status: 200, body: '[1]' }]), cache, clock).fetch('https://r.example/x', opts);
    clock.advance(10 * 24 * 3600_000);
    const offline = new HttpClient(scripted([]), cache, clock, { offline: true });
    assert.deepEqual((await offline.fetch('https://r.example/x', opts)).json, [1]);
    await assert.rejects(offline.fetch('https://r.example/y', opts), (e: unknown) => e instanceof HttpError && e.kind === 'offline' && /not in the cache/.test(e.message));
    assert.equal(offline.networkRequests, 0);
  });

  test('404 is cached for a shorter time than a success', async () => {
    const clock = manualClock();
    const transport = scripted(() => ({ status: 404, body: '{}' }));
    const http = new HttpClient(transport, new MemoryCacheStore(), clock);
    assert.equal((await http.fetch('https://r.example/nope', { ...opts, notFoundTtlMs: 1000 })).status, 404);
    await http.fetch('https://r.example/nope', { ...opts, notFoundTtlMs: 1000 });
    assert.equal(transport.requests.length, 1);
    clock.advance(1500);
    await http.fetch('https://r.example/nope', { ...opts, notFoundTtlMs: 1000 });
    assert.equal(transport.requests.length, 2);
  });

  test('503 with Retry-After waits that long (capped), then succeeds', async () => {
    const clock = manualClock();
    const transport = scripted([{ status: 503, headers: { 'retry-after': '3' } }, { status: 200, body: '{}' }]);
    const http = new HttpClient(transport, undefined, clock, { maxRetryDelayMs: 10_000 });
    assert.equal((await http.fetch('https://r.example/a', opts)).status, 200);
    assert.deepEqual(clock.slept, [3000]);
  });

  test('retries stop at maxRetries with a clear status error', async () => {
    const clock = manualClock();
    const transport = scripted(() => ({ status: 502 }));
    const http = new HttpClient(transport, undefined, clock, { maxRetries: 2 });
    await assert.rejects(http.fetch('https://r.example/a', opts), /r\.example answered HTTP 502/);
    assert.equal(transport.requests.length, 3);
  });

  test('a stale copy is used when the network fails', async () => {
    const cache = new MemoryCacheStore();
    const clock = manualClock();
    await new HttpClient(scripted([{ status: 200, body: '{"old":true}' }]), cache, clock).fetch('https://r.example/a', opts);
    clock.advance(120_000);
    const failing = new HttpClient(scripted(() => ({ status: 500 })), cache, clock, { maxRetries: 0 });
    const response = await failing.fetch('https://r.example/a', opts);
    assert.equal(response.stale, true);
    assert.deepEqual(response.json, { old: true });
  });

  test('garbage is rejected and never cached', async () => {
    const cache = new MemoryCacheStore();
    const http = new HttpClient(scripted([{ status: 200, body: '{nope' }]), cache, manualClock());
    await assert.rejects(http.fetch('https://r.example/a', opts), (e: unknown) => e instanceof HttpError && e.kind === 'bad-content');
    assert.equal(cache.entries.size, 0);
  });

  test('at most perHostConcurrency requests per host are in flight', async () => {
    let active = 0;
    let peak = 0;
    const transport: Transport = async (req) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      active--;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: (async function* () { yield Buffer.from(JSON.stringify(req.url)); })(), discard: () => undefined };
    };
    const http = new HttpClient(transport, undefined, manualClock(), { perHostConcurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => http.fetch(`https://r.example/${i}`, opts)));
    assert.equal(peak, 3);
  });

  test('an aborted signal ends the call as "aborted"', async () => {
    const controller = new AbortController();
    controller.abort();
    const http = new HttpClient(scripted(() => ({ status: 200, body: '{}' })), undefined, manualClock());
    await assert.rejects(http.fetch('https://r.example/a', { ...opts, signal: controller.signal }), (e: unknown) => e instanceof HttpError && e.kind === 'aborted');
  });

  test('Retry-After parses seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2', 0), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });
});

describe('cache', () => {
  test('keys are stable and distinguish method, URL and body', () => {
    assert.equal(cacheKey('GET', 'https://a/b'), cacheKey('get', 'https://a/b'));
    assert.notEqual(cacheKey('POST', 'https://a/b', '{"x":1}'), cacheKey('POST', 'https://a/b', '{"x":2}'));
  });

  test('the cache directory honours XDG_CACHE_HOME', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u', 'linux'), path.join('/xdg', 'safe-install', 'http'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u', 'linux'), path.join('/home/u', '.cache', 'safe-install', 'http'));
  });

  test('the file store survives concurrent writers, leaves no temporary files, and treats corrupt files as misses', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'si-cache-'));
    try {
      const a = new FileCacheStore(dir);
      const b = new FileCacheStore(dir);
      const key = cacheKey('GET', 'https://r.example/x');
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set({ key, url: 'https://r.example/x', status: 200, headers: {}, body: `{"n":${i}}`, storedAt: i })));
      const entry = await a.get(key);
      assert.ok(entry && /^\{"n":\d+\}$/.test(entry.body));
      const files = await readdir(path.join(dir, key.slice(0, 2)));
      assert.deepEqual(files, [`${key}.json`]);
      await writeFile(path.join(dir, key.slice(0, 2), `${key}.json`), '{"half');
      assert.equal(await b.get(key), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
