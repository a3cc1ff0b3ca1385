import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Log } from 'sarif';
import packageJson from '../../package.json';
import type { ScanReport } from '../../shared/src/cli/scanReport';
import { cliBuilt, makeWorkspace, parsersNotWired, REPO_ROOT, runBuiltCli, runBuiltCliOrSkip, type CliRun } from './cliHarness';

const DEMO = path.join(REPO_ROOT, 'demo');

/**
 * Runs an offline scan (these tests are about the offline checks and output; scanNetwork.test.ts covers
 * registry findings); skips the test (saying why) when the CLI is not built or the parsers are not wired yet.
 */
async function scan(t: TestContext, args: string[], options: Parameters<typeof runBuiltCli>[1] = {}): Promise<CliRun | undefined> {
  const run = await runBuiltCliOrSkip(t, ['scan', '--offline', ...args], options);
  if (!run) return undefined;
  if (parsersNotWired(run)) {
    t.skip('parseManifest is not wired to the parsers yet (shared/src/manifests/index.ts)');
    return undefined;
  }
  return run;
}

function json(run: CliRun): ScanReport {
  return JSON.parse(run.stdout) as ScanReport;
}

const CLEAN = {
  'requirements.txt': 'flask==3.0.3\nrequests>=2.31\n',
  'package.json': '{ "name": "x", "dependencies": { "express": "^4.19.2" } }\n',
};

test('--version and --help exit 0; no command, unknown command or option exit 2', async (t) => {
  if (!cliBuilt()) return t.skip('dist/cli.js is missing: run node scripts/build.mjs first');
  const version = await runBuiltCli(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), packageJson.version);
  const help = await runBuiltCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /scan/);
  const scanHelp = await runBuiltCli(['scan', '--help']);
  assert.equal(scanHelp.code, 0);
  assert.match(scanHelp.stdout, /--fail-on/);
  for (const args of [[], ['frobnicate'], ['scan', '--no-such-option'], ['scan', '--format', 'xml'], ['scan', '--fail-on', 'fatal'], ['scan', 'a', 'b']]) {
    const run = await runBuiltCli(args);
    assert.equal(run.code, 2, `exit code of ${JSON.stringify(args)}`);
    assert.notEqual(run.stderr, '', `stderr of ${JSON.stringify(args)}`);
    assert.equal(run.stdout, '', `stdout of ${JSON.stringify(args)}`);
  }
});

test('a path that does not exist, or is not a manifest, is a usage error (exit 2)', async (t) => {
  if (!cliBuilt()) return t.skip('dist/cli.js is missing');
  const run = await runBuiltCli(['scan', path.join(os.tmpdir(), 'safe-install-no-such-dir-4711')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no such file or folder/);
  const notManifest = await runBuiltCli(['scan', path.join(REPO_ROOT, 'tsconfig.json')]);
  assert.equal(notManifest.code, 2);
  assert.match(notManifest.stderr, /not a folder or a manifest/);
});

test('the demo workspace: one typosquat per manifest kind, json shape exact, exit 1', async (t) => {
  const run = await scan(t, [DEMO, '--format', 'json']);
  if (!run) return;
  assert.equal(run.code, 1, run.stderr);
  const report = json(run);
  assert.deepEqual(Object.keys(report).sort(), ['findings', 'manifests', 'version']);
  assert.equal(report.version, 1);
  assert.deepEqual(
    report.manifests.map((m) => [m.file, m.ecosystem]),
    [
      ['api/pyproject.toml', 'PyPI'],
      ['api/requirements.txt', 'PyPI'],
      ['docs/Gemfile', 'RubyGems'],
      ['services/sync/go.mod', 'Go'],
      ['tools/notes-export/Cargo.toml', 'crates.io'],
      ['web/package.json', 'npm'],
    ],
  );
  for (const manifest of report.manifests) {
    assert.deepEqual(Object.keys(manifest).sort(), ['dependencies', 'ecosystem', 'errors', 'file']);
    assert.deepEqual(manifest.errors, [], manifest.file);
    assert.ok(manifest.dependencies.length >= 4, manifest.file);
    for (const dep of manifest.dependencies) {
      assert.deepEqual(Object.keys(dep).sort(), ['column', 'kind', 'line', 'name', 'spec']);
      assert.ok(dep.line >= 1 && dep.column >= 1);
    }
  }
  assert.deepEqual(
    report.findings.map((f) => [f.file, f.rule, f.package, f.suggestion]),
    [
      ['api/pyproject.toml', 'typosquat', 'python-dateutill', 'python-dateutil'],
      ['api/requirements.txt', 'typosquat', 'reqeusts', 'requests'],
      ['docs/Gemfile', 'typosquat', 'nokogirl', 'nokogiri'],
      ['services/sync/go.mod', 'typosquat', 'github.com/boltdb-go/bolt', 'github.com/boltdb/bolt'],
      ['tools/notes-export/Cargo.toml', 'typosquat', 'reqwset', 'reqwest'],
      ['web/package.json', 'typosquat', 'expresss', 'express'],
    ],
  );
  for (const finding of report.findings) {
    assert.deepEqual(Object.keys(finding).sort(), [
      'column', 'ecosystem', 'endColumn', 'endLine', 'file', 'line', 'message', 'package', 'rule', 'severity', 'suggestion',
    ]);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(finding.severity));
  }
  // 1-based positions: `reqeusts` starts line 9 of api/requirements.txt, column 1, and spans its 8 letters.
  const requirements = report.findings.find((f) => f.package === 'reqeusts');
  assert.deepEqual(requirements && [requirements.line, requirements.column, requirements.endLine, requirements.endColumn], [9, 1, 9, 9]);
  // `expresss` sits inside quotes on line 15: the range is the name without the quotes.
  const express = report.findings.find((f) => f.package === 'expresss');
  assert.deepEqual(express && [express.line, express.column, express.endColumn], [15, 6, 14]);
});

test('text output: grouped per file, file:line:col lines, summary, no colour when piped', async (t) => {
  const run = await scan(t, ['demo'], { cwd: REPO_ROOT });
  if (!run) return;
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.stdout, /\u001b\[/);
  const lines = run.stdout.split('\n');
  const header = lines.indexOf('api/requirements.txt');
  assert.ok(header >= 0, run.stdout);
  assert.match(lines[header + 1] ?? '', /^ {2}api\/requirements\.txt:9:1 error typosquat .*reqeusts.* \(→ requests\)$/);
  assert.match(run.stdout, /6 problems \(6 errors, 0 warnings\) in 6 manifests, \d+ dependencies checked\.\n$/);
});

test('a clean workspace exits 0 and says so', async (t) => {
  const ws = await makeWorkspace(CLEAN);
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir]);
  if (!run) return;
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^No problems found \(2 manifests, 3 dependencies checked\)\.\n$/);
});

test('--fail-on decides which severities fail the run', async (t) => {
  // An unknown key in the project config is a warning.
  const ws = await makeWorkspace({ ...CLEAN, 'safe-install.toml': '[sandbox]\ntimeout_s = 5\n' });
  t.after(ws.cleanup);
  const byDefault = await scan(t, [ws.dir, '--format', 'json']);
  if (!byDefault) return;
  assert.equal(byDefault.code, 0);
  assert.deepEqual(json(byDefault).findings.map((f) => [f.file, f.rule, f.severity, f.line, f.ecosystem]), [
    ['safe-install.toml', 'config-unknown-key', 'warning', 2, null],
  ]);
  assert.equal((await scan(t, [ws.dir, '--fail-on', 'warning']))?.code, 1);
  assert.equal((await scan(t, [ws.dir, '--fail-on', 'hint']))?.code, 1);
  const typo = await makeWorkspace({ 'requirements.txt': 'reqeusts\n' });
  t.after(typo.cleanup);
  assert.equal((await scan(t, [typo.dir, '--fail-on', 'none']))?.code, 0);
  assert.equal((await scan(t, [typo.dir]))?.code, 1);
});

test('node_modules, .git, virtualenvs, vendor and Cargo target folders are skipped', async (t) => {
  const typosquat = '{ "dependencies": { "expresss": "1.0.0" } }\n';
  const ws = await makeWorkspace({
    'package.json': '{ "dependencies": { "express": "4.19.2" } }\n',
    'node_modules/expresss/package.json': typosquat,
    '.git/hooks/package.json': typosquat,
    '.venv/lib/requirements.txt': 'reqeusts\n',
    'venv/requirements.txt': 'reqeusts\n',
    'py311/pyvenv.cfg': 'home = /usr/bin\n',
    'py311/lib/requirements.txt': 'reqeusts\n',
    'vendor/github.com/x/y/go.mod': 'module y\n\nrequire github.com/sirupsen/logruss v1.0.0\n',
    'crate/Cargo.toml': '[package]\nname = "c"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n',
    'crate/target/package/Cargo.toml': '[dependencies]\nreqwset = "0.12"\n',
    'cache/CACHEDIR.TAG': 'Signature: 8a477f597d28d172789f06886806bc55\n',
    'cache/requirements.txt': 'reqeusts\n',
    'packages/app/requirements.txt': 'requests\n',
  });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--format', 'json']);
  if (!run) return;
  const report = json(run);
  assert.deepEqual(report.manifests.map((m) => m.file), ['crate/Cargo.toml', 'package.json', 'packages/app/requirements.txt']);
  assert.deepEqual(report.findings, []);
  assert.equal(run.code, 0);
});

test('a symlinked folder pointing outside the scanned folder is not followed', async (t) => {
  const outside = await makeWorkspace({ 'requirements.txt': 'reqeusts\n' });
  t.after(outside.cleanup);
  const ws = await makeWorkspace({ 'requirements.txt': 'requests\n' });
  t.after(ws.cleanup);
  await symlink(outside.dir, path.join(ws.dir, 'linked'), 'dir');
  await symlink(path.join(outside.dir, 'requirements.txt'), path.join(ws.dir, 'requirements-extra.txt'));
  const run = await scan(t, [ws.dir, '--format', 'json']);
  if (!run) return;
  assert.deepEqual(json(run).manifests.map((m) => m.file), ['requirements.txt']);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /requirements-extra\.txt: a symlink to a file outside/);
});

test('a broken manifest yields a parse-error and the other manifests are still checked', async (t) => {
  const ws = await makeWorkspace({
    'web/package.json': '{ "dependencies": { "express": "4" ,,, \n',
    'api/requirements.txt': 'flask\nreqeusts\n',
  });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--format', 'json']);
  if (!run) return;
  assert.equal(run.code, 1);
  const report = json(run);
  assert.deepEqual(report.manifests.map((m) => m.file), ['api/requirements.txt', 'web/package.json']);
  assert.ok((report.manifests[1]?.errors.length ?? 0) > 0);
  const rules = report.findings.map((f) => [f.file, f.rule]);
  assert.ok(rules.some(([file, rule]) => file === 'web/package.json' && rule === 'parse-error'), JSON.stringify(rules));
  assert.ok(rules.some(([file, rule]) => file === 'api/requirements.txt' && rule === 'typosquat'), JSON.stringify(rules));
});

test('a broken project config is a config-error finding, not a crash; the scan goes on with defaults', async (t) => {
  const ws = await makeWorkspace({ 'safe-install.toml': '[typosquat]\nallow = ["reqeusts"\n', 'requirements.txt': 'reqeusts\n' });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--format', 'json']);
  if (!run) return;
  assert.equal(run.code, 1, run.stderr);
  const findings = json(run).findings.map((f) => [f.file, f.rule, f.severity]);
  assert.deepEqual(findings, [
    ['requirements.txt', 'typosquat', 'error'],
    ['safe-install.toml', 'config-error', 'error'],
  ]);
});

test('the project config: allow entries suppress a typosquat; weakening keys are refused with a warning', async (t) => {
  const ws = await makeWorkspace({
    'safe-install.toml': '[sandbox]\nenabled = false\n\n[typosquat]\nenabled = false\nallow = ["reqeusts"]\n',
    'requirements.txt': 'reqeusts\nnumpyy\n',
  });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--format', 'json']);
  if (!run) return;
  const findings = json(run).findings.map((f) => [f.file, f.line, f.rule, f.package]);
  assert.deepEqual(findings, [
    ['requirements.txt', 2, 'typosquat', 'numpyy'],
    ['safe-install.toml', 2, 'config-refused', ''],
    ['safe-install.toml', 5, 'config-refused', ''],
  ]);
});

test('the user config applies and its findings carry its own path', async (t) => {
  const configHome = await mkdtemp(path.join(os.tmpdir(), 'safe-install-xdg-'));
  t.after(() => rm(configHome, { recursive: true, force: true }));
  await mkdir(path.join(configHome, 'safe-install'));
  await writeFile(path.join(configHome, 'safe-install', 'config.toml'), '[typosquat]\nenabled = false\ncolour = 1\n');
  const ws = await makeWorkspace({ 'requirements.txt': 'reqeusts\n' });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--format', 'json'], { configHome });
  if (!run) return;
  assert.equal(run.code, 0);
  assert.deepEqual(json(run).findings.map((f) => [path.basename(f.file), path.isAbsolute(f.file), f.rule]), [['config.toml', true, 'config-unknown-key']]);
});

test('SARIF output: 2.1.0 with rules, results, relative URIs, 1-based regions and fingerprints', async (t) => {
  const run = await scan(t, [DEMO, '--format', 'sarif']);
  if (!run) return;
  assert.equal(run.code, 1);
  const log = JSON.parse(run.stdout) as Log;
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const sarifRun = log.runs[0];
  assert.ok(sarifRun);
  assert.equal(sarifRun.tool.driver.name, 'safe-install');
  assert.equal(sarifRun.tool.driver.version, packageJson.version);
  const rules = sarifRun.tool.driver.rules ?? [];
  const results = sarifRun.results ?? [];
  assert.equal(results.length, 6);
  for (const result of results) {
    assert.equal(typeof result.ruleId, 'string');
    assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(result.level ?? ''));
    assert.ok(result.message.text && result.message.text.length > 0);
    const location = result.locations?.[0]?.physicalLocation;
    assert.ok(location?.artifactLocation?.uri && !location.artifactLocation.uri.startsWith('/'));
    assert.doesNotMatch(location.artifactLocation.uri, /\\/);
    assert.ok((location.region?.startLine ?? 0) >= 1 && (location.region?.startColumn ?? 0) >= 1);
    assert.ok((location.region?.endColumn ?? 0) > (location.region?.startColumn ?? 0));
    assert.match(Object.values(result.partialFingerprints ?? {})[0] ?? '', /^[0-9a-f]{32}$/);
  }
  const uris = results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
  assert.ok(uris.includes('services/sync/go.mod'));
  for (const rule of rules) {
    assert.ok(rule.shortDescription?.text, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration?.level ?? ''), rule.id);
  }
  const fingerprints = new Set(results.map((r) => Object.values(r.partialFingerprints ?? {})[0]));
  assert.equal(fingerprints.size, results.length);
});

test('scanning a single manifest file reports just that file', async (t) => {
  const run = await scan(t, [path.join(DEMO, 'web', 'package.json'), '--format', 'json']);
  if (!run) return;
  const report = json(run);
  assert.deepEqual(report.manifests.map((m) => m.file), ['package.json']);
  assert.deepEqual(report.findings.map((f) => f.package), ['expresss']);
});
