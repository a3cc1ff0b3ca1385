/**
 * The HTTP layer's behaviour towards a host it has not heard from yet: one request goes first, a name that
 * does not resolve (ENOTFOUND) is not retried and fails the host's other requests at once for a while,
 * and a host that answers gets its full concurrency.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient, type Clock, type Transport } from '../../../shared/src/registry/http';

function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async () => undefined, advance: (ms) => void (now += ms) };
}

const opts = { signal: new AbortController().signal, expect: 'json' as const, ttlMs: 60_000 };

/** What getaddrinfo's failure looks like from undici: a system error with code ENOTFOUND. */
function notFound(host: string): Error {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
}

test('an unresolvable host costs one look-up: no retry, its other requests fail at once, asked again after the memory expires', async () => {
  const clock = manualClock();
  let calls = 0;
  const transport: Transport = async (req) => {
    calls++;
    throw notFound(new URL(req.url).hostname);
  };
  const http = new HttpClient(transport, undefined, clock);
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => http.fetch(`https://nowhere.example/p${i}`, opts)));
  assert.equal(calls, 1, 'one DNS failure for ten requests, and no retry');
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.match(String((result as PromiseRejectedResult).reason), /cannot reach nowhere\.example: ENOTFOUND/);
  }
  await assert.rejects(http.fetch('https://nowhere.example/later', opts), /ENOTFOUND/);
  assert.equal(calls, 1, 'still remembered');
  clock.advance(31_000);
  await assert.rejects(http.fetch('https://nowhere.example/again', opts), /ENOTFOUND/);
  assert.equal(calls, 2, 'asked again once the memory expired');
});

test('a refused connection is still retried (only a name that does not exist is final)', async () => {
  let calls = 0;
  const transport: Transport = async () => {
    calls++;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  };
  const http = new HttpClient(transport, undefined, manualClock(), { maxRetries: 2 });
  await assert.rejects(http.fetch('http://127.0.0.1:9/x', opts), /ECONNREFUSED/);
  assert.equal(calls, 3);
});

test('a new host gets one request first, then up to its full concurrency', async () => {
  let inFlight = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const transport: Transport = async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight--;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: (async function* () { yield Buffer.from('{}'); })(), discard: () => undefined };
  };
  const http = new HttpClient(transport, undefined, manualClock(), { perHostConcurrency: 4 });
  const all = Promise.all(Array.from({ length: 9 }, (_, i) => http.fetch(`https://r.example/p${i}`, opts)));
  // Let the first request reach the transport; nothing else may start before it is answered.
  while (gates.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(inFlight, 1, 'only the first request is out');
  gates.shift()?.();
  // Release the rest as they arrive.
  while ((await Promise.race([all.then(() => true), new Promise<false>((resolve) => setImmediate(() => resolve(false)))])) === false) {
    gates.splice(0).forEach((open) => open());
  }
  assert.equal(most, 4, 'the full per-host concurrency once the host answered');
});
