// The editor's install pipeline without VS Code: CLI progress lines → run state → terminal text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../../client/src/cli/lineSplitter';
import { installCliArgs, dependencyRequest, manifestRequests, pythonInterpreterFromSetting } from '../../../client/src/install/installArgs';
import { artifactsInReport, InstallRun, type InstallRequest } from '../../../client/src/install/installRun';
import { parseProgressLine } from '../../../client/src/install/progressLine';
import { neutralize, renderEvent, toTerminalLines } from '../../../client/src/install/renderEvent';
import { parseManifest } from '../../../shared/src/manifests/index';
import type { SandboxEvent } from '../../../shared/src/sandbox/progress';

const REQUEST: InstallRequest = { ecosystem: 'npm', packages: ['left-pad@1.3.0'], dryRun: false, cwd: '/project' };

test('line splitter joins chunks split mid-line and strips CR', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"a":'), []);
  assert.deepEqual(s.push('1}\r\n{"b"'), ['{"a":1}']);
  assert.deepEqual(s.push(':2}\nlast'), ['{"b":2}']);
  assert.deepEqual(s.flush(), ['last']);
  assert.deepEqual(s.flush(), []);
});

test('progress lines: typed events are checked, malformed ones become text, other objects are reports', () => {
  const phase = parseProgressLine('{"type":"phase","phase":"fetch","state":"start","network":"bridge"}');
  assert.equal(phase?.kind, 'event');
  assert.deepEqual(parseProgressLine('{"type":"phase","phase":"teleport","state":"start"}'), { kind: 'text', text: '{"type":"phase","phase":"teleport","state":"start"}' });
  assert.equal(parseProgressLine('{"type":"verdict","verdict":"installed"}')?.kind, 'text', 'a verdict without a message is not trusted');
  assert.equal(parseProgressLine('warning: something')?.kind, 'text');
  assert.equal(parseProgressLine('{not json')?.kind, 'text');
  assert.equal(parseProgressLine('   '), undefined);
  assert.deepEqual(parseProgressLine('{"verdict":"installed","packages":[]}'), { kind: 'report', report: { verdict: 'installed', packages: [] } });
  assert.equal(parseProgressLine('{"event":{"type":"log","phase":"build","stream":"stdout","line":"ok"}}')?.kind, 'event');
});

test('a run folds phases, packages, findings and the verdict; listeners hear each change once', () => {
  const run = new InstallRun('r1', REQUEST, 1000);
  const seen: Array<string | undefined> = [];
  run.onChange((_r, e) => seen.push(e?.type));
  const events: SandboxEvent[] = [
    { type: 'phase', phase: 'fetch', state: 'start', network: 'bridge' },
    { type: 'package', ecosystem: 'npm', name: 'left-pad', version: '1.3.0', state: 'fetched' },
    { type: 'phase', phase: 'fetch', state: 'end', ms: 1200 },
    { type: 'phase', phase: 'build', state: 'start', network: 'none' },
    { type: 'finding', ecosystem: 'npm', package: 'left-pad', severity: 'medium', rule: 'install-script', message: 'has a postinstall' },
    { type: 'verdict', verdict: 'installed', message: '1 package installed' },
  ];
  for (const e of events) run.apply(e);
  assert.equal(run.state, 'installed');
  assert.deepEqual(run.phases.map((p) => [p.label, p.state, p.network ?? '']), [['fetching', 'done', 'bridge'], ['building', 'done', 'none']]);
  assert.equal(run.phases[0]?.ms, 1200);
  assert.equal(run.findings.length, 1);
  assert.deepEqual(seen, ['phase', 'package', 'phase', 'phase', 'finding', 'verdict'], 'the verdict is announced once, with its event');
  run.apply({ type: 'verdict', verdict: 'failed', message: 'late' });
  assert.equal(run.state, 'installed', 'a finished run does not change its verdict');
});

test('a run that ends without a verdict marks its running phase failed', () => {
  const run = new InstallRun('r2', REQUEST);
  run.apply({ type: 'phase', phase: 'fetch', state: 'start' });
  run.finish('cancelled', 'cancelled by the user');
  assert.equal(run.state, 'cancelled');
  assert.equal(run.phases[0]?.state, 'failed');
});

test('artifact hashes come from the install report (packages[].artifacts[])', () => {
  const hash = 'ab'.repeat(32);
  const report = { verdict: 'installed', packages: [{ ecosystem: 'npm', name: 'left-pad', version: '1.3.0', artifacts: [{ file: 'left-pad-1.3.0.tgz', kind: 'npm-tarball', sha256: hash }] }] };
  assert.deepEqual(artifactsInReport(report), [{ name: 'left-pad', version: '1.3.0', state: 'verified', sha256: hash, detail: 'left-pad-1.3.0.tgz' }]);
  const run = new InstallRun('r3', REQUEST);
  run.apply({ type: 'package', ecosystem: 'npm', name: 'left-pad', version: '1.3.0', state: 'installed' });
  run.setReport(report);
  assert.equal(run.artifacts.size, 1, 'the report fills in the existing row');
  assert.equal([...run.artifacts.values()][0]?.sha256, hash);
  assert.deepEqual(artifactsInReport({ packages: [{ name: 'x', artifacts: [{ file: 'x', sha256: 'not-a-hash' }] }] }), []);
});

test('terminal text: CRLF line ends, colours, and package output cannot inject escape sequences', () => {
  assert.equal(toTerminalLines(['a', 'b']), 'a\r\nb\r\n');
  const hostile = renderEvent({ type: 'log', phase: 'build', stream: 'stdout', line: 'ok\u001b]0;pwned\u0007\u001b[2J' }) ?? '';
  assert.ok(!hostile.includes('\u001b]'), 'no OSC sequence from package output');
  assert.ok(!hostile.includes('\u001b[2J'), 'no screen clear from package output');
  assert.ok(hostile.includes('^[]0;pwned'));
  assert.equal(neutralize('a\tb\rc'), 'a  b\uFFFDc');
  const start = renderEvent({ type: 'phase', phase: 'build', state: 'start', network: 'none' }) ?? '';
  assert.match(start, /building/);
  assert.match(start, /network: none/);
  assert.match(renderEvent({ type: 'verdict', verdict: 'blocked', message: 'malware' }) ?? '', /\u001b\[31m.*Blocked: malware/);
  assert.equal(renderEvent({ type: 'bytes', phase: 'fetch', what: 'x', bytes: 10, total: 100 }), undefined, 'partial transfers get no line');
});

test('install arguments: validated requests after --, pip-only flags only for pip', () => {
  assert.deepEqual(installCliArgs(REQUEST, { sandboxEnabled: true, binaryOnly: true }),
    ['install', '-e', 'npm', '--format', 'json', '--progress', 'json', '--', 'left-pad@1.3.0']);
  assert.deepEqual(installCliArgs({ ...REQUEST, ecosystem: 'PyPI', packages: ['requests==2.32.3'], dryRun: true }, { sandboxEnabled: false, binaryOnly: true }),
    ['install', '-e', 'pip', '--format', 'json', '--progress', 'json', '--dry-run', '--no-sandbox', '--binary-only', '--', 'requests==2.32.3']);
  assert.deepEqual(installCliArgs(REQUEST, { sandboxEnabled: true, binaryOnly: false, memoryLimit: ' 1g ', cpuLimit: '', timeoutSeconds: 300 }).slice(7, 11),
    ['--memory', '1g', '--timeout', '300'], 'limits from settings; empty ones left to the config');
  assert.throws(() => installCliArgs({ ...REQUEST, packages: ['--registry=http://evil'] }, { sandboxEnabled: true, binaryOnly: false }));
  assert.throws(() => installCliArgs({ ...REQUEST, packages: ['git+https://x/y.git'] }, { sandboxEnabled: true, binaryOnly: false }));
});

test('manifest dependencies become requests; non-registry ones are left out', () => {
  assert.equal(dependencyRequest({ ecosystem: 'PyPI', name: 'requests', spec: '2.32.3' }), 'requests==2.32.3');
  assert.equal(dependencyRequest({ ecosystem: 'PyPI', name: 'flask', spec: '>= 3.0, <4' }), 'flask>=3.0,<4');
  assert.equal(dependencyRequest({ ecosystem: 'npm', name: 'left-pad', spec: '^1.3.0' }), 'left-pad@^1.3.0');
  const manifest = parseManifest('requirements', 'requests==2.32.3\nflask>=3.0\n./local-pkg\ngit+https://example.invalid/x.git#egg=x\n');
  const { requests } = manifestRequests(manifest.dependencies);
  assert.deepEqual(requests, ['requests==2.32.3', 'flask>=3.0']);
});

test('the run report lists phases, artifact hashes and findings, with package text escaped', async () => {
  const { renderRunReport } = await import('../../../client/src/report/runReport');
  const run = new InstallRun('r4', { ...REQUEST, packages: ['evil'] }, Date.UTC(2026, 0, 1));
  run.apply({ type: 'phase', phase: 'fetch', state: 'start', network: 'bridge' });
  run.apply({ type: 'phase', phase: 'fetch', state: 'end', ms: 2500 });
  run.apply({ type: 'finding', ecosystem: 'npm', package: 'evil', severity: 'critical', rule: 'exfiltration', message: 'posts [env](http://x) to a `webhook`' });
  run.apply({ type: 'log', phase: 'build', stream: 'stdout', line: '```\n# injected heading' });
  run.setReport({ packages: [{ name: 'evil', version: '1.0.0', artifacts: [{ file: 'evil-1.0.0.tgz', sha256: 'ef'.repeat(32) }] }] });
  run.finish('blocked', 'critical finding', Date.UTC(2026, 0, 1) + 4000);
  const md = renderRunReport(run);
  assert.match(md, /\*\*Result:\*\* blocked — critical finding/);
  assert.match(md, /\| fetching \| done \| bridge \| 2\.5 s \|/);
  assert.match(md, new RegExp(`SHA-256 \`${'ef'.repeat(32)}\``));
  assert.match(md, /posts \\\[env\\\]\(http:\/\/x\) to a \\`webhook\\`/, 'a finding cannot add links or code spans');
  assert.doesNotMatch(md, /^```\n# injected/m, 'log text cannot close the fence');
  assert.match(md, /\*\*Took:\*\* 4\.0 s/);
});

test('pip installs go into the interpreter the Python extension uses for the folder; other ecosystems ignore it', () => {
  const settings = { sandboxEnabled: true, binaryOnly: false, pythonInterpreter: '/proj/.venv/bin/python' };
  assert.deepEqual(installCliArgs({ ...REQUEST, ecosystem: 'PyPI', packages: ['requests'] }, settings).slice(-3), ['--python=/proj/.venv/bin/python', '--', 'requests']);
  assert.ok(!installCliArgs(REQUEST, settings).some((a) => a.startsWith('--python')));
  assert.equal(pythonInterpreterFromSetting('python', '/proj'), undefined, 'the extension default leaves the choice to the CLI');
  assert.equal(pythonInterpreterFromSetting('  ', '/proj'), undefined);
  assert.equal(pythonInterpreterFromSetting('${workspaceFolder}/.venv/bin/python', '/proj'), '/proj/.venv/bin/python');
  assert.equal(pythonInterpreterFromSetting('.venv/bin/python', '/proj'), '/proj/.venv/bin/python');
  assert.equal(pythonInterpreterFromSetting('/usr/bin/python3.12', '/proj'), '/usr/bin/python3.12');
  assert.equal(pythonInterpreterFromSetting('${env:HOME}/py', '/proj'), undefined, 'unresolved variables are not guessed');
});
