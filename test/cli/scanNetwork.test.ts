/**
 * `safe-install scan` with registry intelligence, end to end: the built CLI finds the local registry
 * server exactly as it would find a user's own registries — through a temporary HOME's `.npmrc`,
 * `pip.conf` and the user's safe-install config — never through a test-only switch.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Log } from 'sarif';
import type { ReportFinding, ScanReport } from '../../shared/src/cli/scanReport';
import { RegistryServer } from '../support/registryServer';
import { makeWorkspace, runBuiltCliOrSkip, type CliRun } from './cliHarness';
import { fakeUser, type FakeUser } from './fakeUser';
import { deadPort } from '../support/deadPort';

function scan(t: TestContext, user: FakeUser, args: string[]): Promise<CliRun | undefined> {
  return runBuiltCliOrSkip(t, ['scan', ...args], { configHome: user.configHome, env: user.env });
}

const json = (run: CliRun): ScanReport => JSON.parse(run.stdout) as ScanReport;
const byRule = (report: ScanReport, rule: string): ReportFinding[] => report.findings.filter((f) => f.rule === rule);

const PACKAGE_JSON = '{\n  "name": "app",\n  "dependencies": {\n    "good-lib": "^1.2.0",\n    "evil-lib": "^1.0.0",\n    "zz-hallucinated-helper": "^2.0.0"\n  }\n}\n';

describe('scan with registry intelligence (local registry server)', () => {
  let server: RegistryServer;
  let user: FakeUser;
  before(async () => {
    server = await RegistryServer.start();
    user = await fakeUser(server.url);
  });
  after(async () => {
    await server.close();
    await rm(user.home, { recursive: true, force: true });
  });

  test('known malware is an error with its MAL- id; an unknown package is unknown-package; exit 1', async (t) => {
    const ws = await makeWorkspace({ 'package.json': PACKAGE_JSON, 'requirements.txt': 'evil-py==0.0.1\n' });
    t.after(ws.cleanup);
    const run = await scan(t, user, [ws.dir, '--format', 'json']);
    if (!run) return;
    assert.equal(run.code, 1, run.stderr);
    const report = json(run);
    const malware = byRule(report, 'malware');
    const npmMalware = malware.find((f) => f.package === 'evil-lib');
    assert.ok(npmMalware, JSON.stringify(report.findings, null, 1));
    assert.equal(npmMalware.severity, 'error');
    assert.match(npmMalware.message, /MAL-2025-0001/);
    assert.deepEqual([npmMalware.file, npmMalware.line, npmMalware.column], ['package.json', 5, 6]);
    // The PyPI index came from pip.conf.
    assert.match(malware.find((f) => f.package === 'evil-py')?.message ?? '', /MAL-2025-0002/);
    const unknown = byRule(report, 'unknown-package');
    assert.deepEqual(unknown.map((f) => [f.package, f.line]), [['zz-hallucinated-helper', 6]]);
    assert.equal(report.findings.filter((f) => f.package === 'good-lib').length, 0, 'a healthy package gets no finding');
    assert.ok(server.log.some((r) => r.startsWith('GET /npm/evil-lib')), 'npm look-ups went to the .npmrc registry');
    assert.ok(server.log.some((r) => r.startsWith('POST /osv/v1/querybatch')), 'OSV came from the user config');
  });

  test('SARIF keeps its shape; the new rules appear as rule ids with their levels', async (t) => {
    const ws = await makeWorkspace({ 'package.json': PACKAGE_JSON });
    t.after(ws.cleanup);
    const run = await scan(t, user, [ws.dir, '--format', 'sarif']);
    if (!run) return;
    const log = JSON.parse(run.stdout) as Log;
    const sarifRun = log.runs[0];
    assert.ok(sarifRun);
    const ids = (sarifRun.tool.driver.rules ?? []).map((r) => r.id);
    for (const id of ['typosquat', 'malware', 'unknown-package', 'intelligence-unavailable']) assert.ok(ids.includes(id), `rule ${id} in ${ids.join(', ')}`);
    const malware = (sarifRun.results ?? []).find((r) => r.ruleId === 'malware');
    assert.equal(malware?.level, 'error');
    assert.equal(ids[malware?.ruleIndex ?? -1], 'malware');
    assert.equal(malware?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'package.json');
  });

  test('--offline answers from the cache the last run filled, without a request; uncached lines are one note', async (t) => {
    const ws = await makeWorkspace({ 'package.json': PACKAGE_JSON });
    t.after(ws.cleanup);
    const online = await scan(t, user, [ws.dir, '--format', 'json']);
    if (!online) return;
    const before = server.requests;
    const offline = await scan(t, user, [ws.dir, '--format', 'json', '--offline']);
    assert.ok(offline);
    assert.equal(server.requests, before, 'offline makes no request');
    assert.match(byRule(json(offline), 'malware')[0]?.message ?? '', /MAL-2025-0001/);
    assert.deepEqual(json(offline).findings.map((f) => f.rule).sort(), json(online).findings.map((f) => f.rule).sort());

    const fresh = await fakeUser(server.url);
    t.after(() => rm(fresh.home, { recursive: true, force: true }));
    const empty = await scan(t, fresh, [ws.dir, '--format', 'json', '--offline']);
    assert.ok(empty);
    assert.equal(server.requests, before);
    assert.deepEqual(json(empty).findings.filter((f) => f.rule !== 'typosquat'), [], 'no finding per unchecked line');
    assert.match(empty.stderr, /offline: 3 dependencies were not checked against registries/);
  });

  test('a project safe-install.toml cannot redirect registries: refused, and the user registry is asked', async (t) => {
    const ws = await makeWorkspace({ 'package.json': PACKAGE_JSON, 'safe-install.toml': '[registries]\nnpm = "http://127.0.0.1:9/npm"\nosv = "http://127.0.0.1:9/osv"\n' });
    t.after(ws.cleanup);
    const run = await scan(t, user, [ws.dir, '--format', 'json']);
    if (!run) return;
    const report = json(run);
    assert.deepEqual(byRule(report, 'config-refused').map((f) => f.message.split(':')[0]).sort(), ["'registries.npm' is ignored", "'registries.osv' is ignored"]);
    assert.match(byRule(report, 'malware')[0]?.message ?? '', /MAL-2025-0001/);
  });
});

test('dead registries: one intelligence-unavailable information finding per dependency, offline findings kept, exit 0', async (t) => {
  const base = `http://127.0.0.1:${await deadPort()}`;
  const user = await fakeUser(base, '[intelligence]\ntimeout_seconds = 2\n');
  t.after(() => rm(user.home, { recursive: true, force: true }));
  const ws = await makeWorkspace({ 'package.json': '{ "dependencies": { "good-lib": "^1.0.0", "lodahs": "^4.17.21" } }\n' });
  t.after(ws.cleanup);
  const started = Date.now();
  const run = await scan(t, user, [ws.dir, '--format', 'json', '--fail-on', 'error']);
  if (!run) return;
  const elapsed = Date.now() - started;
  const report = json(run);
  const unavailable = byRule(report, 'intelligence-unavailable');
  assert.deepEqual(unavailable.map((f) => f.package).sort(), ['good-lib', 'lodahs']);
  for (const f of unavailable) {
    assert.equal(f.severity, 'information');
    assert.match(f.message, /did not complete/);
  }
  assert.equal(byRule(report, 'typosquat')[0]?.package, 'lodahs', 'offline findings are still there');
  assert.equal(run.code, 1, 'the typosquat error decides the exit code, not the unreachable registry');
  assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
});
