/**
 * The demo workspace against the local registry server, found through a temporary user's own config
 * (fakeUser.ts): the known-malware line is an error with its MAL- id, the hallucinated name is
 * unknown-package, every typosquat is still there, every ordinary dependency is clean, and a second run
 * answers from the cache. Also the text format's grouping of registry checks that could not complete.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { ReportFinding, ScanReport } from '../../shared/src/cli/scanReport';
import { RegistryServer } from '../support/registryServer';
import { makeWorkspace, REPO_ROOT, runBuiltCliOrSkip, type CliRun } from './cliHarness';
import { fakeUser, type FakeUser } from './fakeUser';
import { deadPort } from '../support/deadPort';

const DEMO = path.join(REPO_ROOT, 'demo');

/**
 * A copy of the demo whose Gemfile `source` names the local server instead of rubygems.org: a Gemfile's own
 * source is asked before the user's configured one (Bundler mirrors are not read yet), so the demo as it is
 * would send a look-up outside 127.0.0.1. Every other file is byte for byte the demo's.
 */
async function demoCopy(base: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safe-install-demo-'));
  await cp(DEMO, dir, { recursive: true });
  const gemfile = path.join(dir, 'docs', 'Gemfile');
  const text = await readFile(gemfile, 'utf8');
  assert.match(text, /^source "https:\/\/rubygems\.org"$/m);
  await writeFile(gemfile, text.replace(/^source "https:\/\/rubygems\.org"$/m, `source "${base}/gems"`));
  return dir;
}

function scan(t: TestContext, user: FakeUser, args: string[]): Promise<CliRun | undefined> {
  return runBuiltCliOrSkip(t, ['scan', ...args], { configHome: user.configHome, env: user.env });
}

const json = (run: CliRun): ScanReport => JSON.parse(run.stdout) as ScanReport;
const brief = (f: ReportFinding): string => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.package}`;

/** The typosquat of each demo manifest, as scanCli.test.ts expects them offline. */
const TYPOSQUATS = [
  ['api/pyproject.toml', 'python-dateutill', 'python-dateutil'],
  ['api/requirements.txt', 'reqeusts', 'requests'],
  ['docs/Gemfile', 'nokogirl', 'nokogiri'],
  ['services/sync/go.mod', 'github.com/boltdb-go/bolt', 'github.com/boltdb/bolt'],
  ['tools/notes-export/Cargo.toml', 'reqwset', 'reqwest'],
  ['web/package.json', 'expresss', 'express'],
];

describe('the demo workspace with registry intelligence (local registry server)', () => {
  let server: RegistryServer;
  let user: FakeUser;
  let demo: string;
  before(async () => {
    server = await RegistryServer.start();
    user = await fakeUser(server.url);
    demo = await demoCopy(server.url);
  });
  after(async () => {
    await server.close();
    await rm(user.home, { recursive: true, force: true });
    await rm(demo, { recursive: true, force: true });
  });

  test('MAL- error on the flatmap-stream line, unknown-package on the hallucinated line, typosquats as before; the second run is served from the cache', async (t) => {
    const started = Date.now();
    const run = await scan(t, user, [demo, '--format', 'json']);
    if (!run) return;
    const coldMs = Date.now() - started;
    assert.equal(run.code, 1, run.stderr);
    const report = json(run);

    const malware = report.findings.filter((f) => f.rule === 'malware');
    assert.deepEqual(malware.map(brief), ['web/package.json:16:6 malware flatmap-stream'], JSON.stringify(report.findings, null, 1));
    assert.equal(malware[0]?.severity, 'error');
    assert.match(malware[0]?.message ?? '', /MAL-0000-0001/);
    assert.equal(malware[0]?.ecosystem, 'npm');

    const unknown = report.findings.filter((f) => f.rule === 'unknown-package');
    const hallucinated = unknown.find((f) => f.package === 'pinia-persist-session-sync');
    assert.deepEqual(hallucinated && [hallucinated.file, hallucinated.line, hallucinated.column, hallucinated.severity], ['web/package.json', 18, 6, 'error']);
    // Besides the hallucinated name, only names no registry has are unknown: the typosquats and the taken-down
    // flatmap-stream (npm's stub has no versions). Every ordinary demo dependency exists on the local registry.
    assert.deepEqual(unknown.map((f) => f.package).sort(), ['flatmap-stream', 'pinia-persist-session-sync', ...TYPOSQUATS.map(([, name]) => name ?? '')].sort());

    const typosquats = report.findings.filter((f) => f.rule === 'typosquat').map((f) => [f.file, f.package, f.suggestion]);
    assert.deepEqual(typosquats, TYPOSQUATS);
    const errors = report.findings.filter((f) => f.severity === 'error').map((f) => f.rule);
    assert.deepEqual([...new Set(errors)].sort(), ['malware', 'typosquat', 'unknown-package']);
    assert.deepEqual(report.findings.filter((f) => f.rule === 'intelligence-unavailable').map(brief), [], 'every registry answered');
    // Nothing about an ordinary dependency above information (e.g. no-repository on the typosquat stub is fine).
    const typoNames = new Set(TYPOSQUATS.map(([, name]) => name));
    const ordinary = report.findings.filter((f) => f.package !== '' && !typoNames.has(f.package) && f.package !== 'flatmap-stream' && f.package !== 'pinia-persist-session-sync');
    assert.deepEqual(ordinary.filter((f) => f.severity === 'error' || f.severity === 'warning').map(brief), []);

    const before = server.requests;
    const warmStarted = Date.now();
    const again = await scan(t, user, [demo, '--format', 'json']);
    assert.ok(again);
    const warmMs = Date.now() - warmStarted;
    t.diagnostic(`demo scan against the local registry: cold ${coldMs} ms (${before} requests), warm ${warmMs} ms (${server.requests - before} requests)`);
    assert.equal(server.requests - before, 0, `the warm run asked again: ${server.log.slice(before).join(', ')}`);
    assert.deepEqual(json(again).findings.map(brief), report.findings.map(brief));
  });

  test('text output: the malware line reads as an error with its id', async (t) => {
    const run = await scan(t, user, [demo]);
    if (!run) return;
    assert.match(run.stdout, /^ {2}web\/package\.json:16:6 error malware .*MAL-0000-0001/m);
    assert.match(run.stdout, /^ {2}web\/package\.json:18:6 error unknown-package .*pinia-persist-session-sync/m);
    assert.doesNotMatch(run.stdout, /registry checks incomplete/);
  });
});

test('unreachable registries: text prints one line per cause under the summary, --verbose one per dependency, JSON keeps each', async (t) => {
  const user = await fakeUser(`http://127.0.0.1:${await deadPort()}`, '[intelligence]\ntimeout_seconds = 2\n');
  t.after(() => rm(user.home, { recursive: true, force: true }));
  const deps = Array.from({ length: 12 }, (_, i) => `"dep-${i}": "^1.0.0"`).join(', ');
  const ws = await makeWorkspace({ 'package.json': `{ "dependencies": { ${deps} } }\n`, 'requirements.txt': 'flask==3.0.3\nrequests==2.32.3\n' });
  t.after(ws.cleanup);
  const text = await scan(t, user, [ws.dir, '--fail-on', 'none']);
  if (!text) return;
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /intelligence-unavailable/, 'no line per dependency');
  const causeLines = text.stdout.split('\n').filter((line) => line.startsWith('registry checks incomplete'));
  // Every registry (npm and PyPI share the dead host, so they fail alike) and OSV, each one line for all 14.
  assert.deepEqual(
    causeLines.map((line) => line.replace(/127\.0\.0\.1:\d+/g, 'HOST')).sort(),
    [
      'registry checks incomplete for 14 dependencies: cannot reach HOST: ECONNREFUSED connect ECONNREFUSED HOST',
      'registry checks incomplete for 14 dependencies: known-malware check (OSV): cannot reach HOST: ECONNREFUSED connect ECONNREFUSED HOST',
    ],
    text.stdout,
  );
  assert.match(text.stdout, /14 dependency lines unverified; --verbose lists each one/);
  const summaryAt = text.stdout.indexOf('problems (');
  assert.ok(summaryAt >= 0 && summaryAt < text.stdout.indexOf('registry checks incomplete'), 'the causes come under the summary');

  const verbose = await scan(t, user, [ws.dir, '--fail-on', 'none', '--verbose']);
  assert.ok(verbose);
  assert.equal(verbose.stdout.split('\n').filter((line) => / information intelligence-unavailable /.test(line)).length, 14);
  assert.doesNotMatch(verbose.stdout, /registry checks incomplete/);

  const asJson = await scan(t, user, [ws.dir, '--fail-on', 'none', '--format', 'json']);
  assert.ok(asJson);
  assert.equal(json(asJson).findings.filter((f) => f.rule === 'intelligence-unavailable').length, 14);
});
