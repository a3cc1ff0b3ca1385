// Against the real npm registry, where it is reachable. OSV and the download-count API are served by the
// local registry server instead, so this test sends traffic to the npm registry only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../shared/src/config/schema';
import { auditPackage } from '../../shared/src/intelligence/audit';
import { networkFindings } from '../../shared/src/intelligence/networkFindings';
import type { ParsedManifest } from '../../shared/src/model';
import { MemoryCacheStore } from '../../shared/src/registry/cache';
import { DEFAULT_ENDPOINTS } from '../../shared/src/registry/defaults';
import { resolveEndpoints } from '../../shared/src/registry/endpoints';
import { createRegistryClients, type RegistryClients } from '../../shared/src/registry/index';
import { RegistryServer } from '../support/registryServer';

let local: RegistryServer;
let clients: RegistryClients;
let unreachable: string | undefined;

before(async () => {
  local = await RegistryServer.start();
  const endpoints = await resolveEndpoints({ env: {}, homeDir: '/nonexistent', projectDir: '/nonexistent', readText: async () => undefined }, { osv: `${local.url}/osv`, npmDownloads: `${local.url}/npm-downloads` });
  clients = createRegistryClients({ endpoints, env: process.env, homeDir: '/nonexistent', cache: new MemoryCacheStore(), http: { timeoutMs: 10_000, totalTimeoutMs: 15_000 } });
  const probe = await clients.registries.npm.lookup('lodash', { signal: AbortSignal.timeout(20_000) });
  if (probe.status !== 'found') unreachable = probe.status === 'unavailable' ? probe.reason : `lodash lookup answered ${probe.status}`;
});
after(async () => {
  await local.close();
});

const manifestOf = (name: string): ParsedManifest => ({
  kind: 'package-json',
  ecosystem: 'npm',
  errors: [],
  dependencies: [{ ecosystem: 'npm', name, normalizedName: name, spec: '*', kind: 'runtime', source: 'registry', nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: name.length } } }],
});

describe(`live npm registry (${DEFAULT_ENDPOINTS.npmRegistry})`, () => {
  test('a well-known package has no warnings or errors', async (t) => {
    if (unreachable) return t.skip(`npm registry not reachable: ${unreachable}`);
    const findings = await networkFindings(manifestOf('lodash'), { clients, config: DEFAULT_CONFIG, signal: AbortSignal.timeout(30_000) });
    const serious = findings.filter((f) => f.severity === 'warning' || f.severity === 'error');
    assert.deepEqual(serious, []);
    const report = await auditPackage('npm', 'lodash', undefined, { clients, config: DEFAULT_CONFIG, signal: AbortSignal.timeout(30_000) });
    assert.ok(report.card.versionCount !== undefined && report.card.versionCount > 50, `real version count: ${report.card.versionCount}`);
    assert.match(report.card.latest ?? '', /^\d+\.\d+\.\d+/);
    console.log(`lodash: latest ${report.card.latest}, ${report.card.versionCount} versions, verdict ${report.verdict}`);
  });

  test('a name that cannot exist is unknown-package', async (t) => {
    if (unreachable) return t.skip(`npm registry not reachable: ${unreachable}`);
    const name = `safe-install-no-such-package-${randomBytes(6).toString('hex')}`;
    const findings = await networkFindings(manifestOf(name), { clients, config: DEFAULT_CONFIG, signal: AbortSignal.timeout(30_000) });
    assert.deepEqual(findings.map((f) => f.rule), ['unknown-package']);
  });
});
