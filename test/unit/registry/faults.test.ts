import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';
import { networkFindings } from '../../../shared/src/intelligence/networkFindings';
import type { Finding, ParsedManifest } from '../../../shared/src/model';
import type { HttpSettings } from '../../../shared/src/registry/http';
import { clientsFor, RegistryServer, type FaultMode } from '../../support/registryServer';

let server: RegistryServer;
before(async () => {
  server = await RegistryServer.start();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.clearFaults());

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } };
const goodLib: ParsedManifest = {
  kind: 'package-json',
  ecosystem: 'npm',
  errors: [],
  dependencies: [{ ecosystem: 'npm', name: 'good-lib', normalizedName: 'good-lib', spec: '^1.0.0', kind: 'runtime', source: 'registry', nameRange: range }],
};

async function run(http: Partial<HttpSettings> = {}): Promise<{ findings: Finding[]; ms: number }> {
  const started = performance.now();
  const findings = await networkFindings(goodLib, { clients: clientsFor(server, { http }), config: DEFAULT_CONFIG, signal: new AbortController().signal });
  return { findings, ms: performance.now() - started };
}

/** Exactly one intelligence-unavailable information finding, whose message matches `reason`. */
function assertOneUnavailable(findings: Finding[], reason: RegExp): void {
  assert.equal(findings.length, 1, JSON.stringify(findings, null, 1));
  const [finding] = findings;
  assert.equal(finding?.rule, 'intelligence-unavailable');
  assert.equal(finding?.severity, 'information');
  assert.match(finding?.message ?? '', reason);
}

describe('registry faults end in one clear finding, within the timeout', () => {
  const cases: Array<[FaultMode, RegExp]> = [
    ['500', /HTTP 500/],
    ['malformed', /malformed JSON/],
    ['html', /text\/html where JSON was expected/],
    ['truncated', /closed the connection before the response was complete/],
    ['reset', /cannot reach|closed the connection/],
  ];
  for (const [mode, reason] of cases) {
    test(`packument ${mode}`, async () => {
      server.fault('/npm/good-lib', mode);
      const { findings, ms } = await run();
      assertOneUnavailable(findings, reason);
      assert.ok(ms < 4_000, `took ${ms} ms`);
    });
  }

  test('404 on the registry is unknown-package, not unavailable', async () => {
    server.fault('/npm/good-lib', '404');
    const { findings } = await run();
    assert.deepEqual(findings.map((f) => f.rule), ['unknown-package']);
  });

  test('429 with Retry-After, then success: retried, no finding', async () => {
    server.fault('/npm/good-lib', '429', 1);
    const before = server.log.filter((l) => l.includes('/npm/good-lib')).length;
    const { findings, ms } = await run();
    assert.deepEqual(findings, []);
    assert.equal(server.log.filter((l) => l.includes('/npm/good-lib')).length - before, 2);
    assert.ok(ms >= 900, `Retry-After: 1 was honoured (${ms} ms)`);
  });

  test('429 for ever: gives up with the status, within the deadline', async () => {
    server.fault('/npm/good-lib', '429');
    const { findings, ms } = await run({ maxRetryDelayMs: 100 });
    assertOneUnavailable(findings, /HTTP 429 \(rate limited\)/);
    assert.ok(ms < 4_000, `took ${ms} ms`);
  });

  test('slow (no answer): timed out after the configured timeout, not later', async () => {
    server.fault('/npm/good-lib', 'slow');
    const { findings, ms } = await run({ timeoutMs: 400, totalTimeoutMs: 800 });
    assertOneUnavailable(findings, /did not answer within 0\.4 s/);
    assert.ok(ms < 1_500, `took ${ms} ms`);
  });

  test('a 100 MB streamed body is cut off at the cap, not buffered', async () => {
    server.fault('/npm/good-lib', 'huge');
    const rssBefore = process.memoryUsage().rss;
    const { findings, ms } = await run({ maxBodyBytes: 2 * 1024 * 1024 });
    assertOneUnavailable(findings, /more than 2 MB; stopped reading/);
    assert.ok(ms < 4_000, `took ${ms} ms`);
    assert.ok(process.memoryUsage().rss - rssBefore < 60 * 1024 * 1024, 'memory stayed far below 100 MB');
  });

  test('a 100 MB body announced by Content-Length is refused before reading', async () => {
    server.fault('/npm/good-lib', 'huge-declared');
    const { findings } = await run();
    assertOneUnavailable(findings, /100 MB body; the limit is 32 MB/);
  });

  test('OSV down: the registry signals still come, plus one unavailable finding naming OSV', async () => {
    server.fault('/osv/v1/querybatch', '500');
    const { findings } = await run();
    assertOneUnavailable(findings, /known-malware check \(OSV\).*HTTP 500/);
  });

  test('download-count API down: no finding (downloads only decorate), card says why', async () => {
    server.fault('/npm-downloads/', '500');
    const { findings } = await run();
    assert.deepEqual(findings, []);
  });

  test('registry and OSV both down: still exactly one finding with both reasons', async () => {
    server.fault('/npm/good-lib', 'malformed');
    server.fault('/osv/', '500');
    const { findings } = await run();
    assertOneUnavailable(findings, /malformed JSON.*OSV/);
  });

  test('nothing listening: connection refused is reported, never a crash', async () => {
    const dead = await RegistryServer.start();
    await dead.close();
    const clients = clientsFor(dead, { http: { maxRetries: 0 } });
    const findings = await networkFindings(goodLib, { clients, config: DEFAULT_CONFIG, signal: new AbortController().signal });
    assertOneUnavailable(findings, /cannot reach 127\.0\.0\.1.*ECONNREFUSED/);
  });
});
