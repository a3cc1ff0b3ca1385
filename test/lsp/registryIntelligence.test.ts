/**
 * Registry intelligence in the language server, over real JSON-RPC against the local registry server.
 * The server finds that server the way it would find a user's own registries: a temporary HOME's
 * `.npmrc`, and OSV / download-count endpoints in the user's safe-install config.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Command, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { AUDIT_PACKAGE_COMMAND, AUDIT_REPORT_CAPABILITY, ShowAuditReportNotification, type AuditReportParams } from '../../shared/src/protocol';
import { RegistryServer } from '../support/registryServer';
import { LspSession } from './lspHarness';

const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const isAction = (item: Command | CodeAction): item is CodeAction => typeof (item as Command).command !== 'string';

/**
 * A HOME whose .npmrc names `base`; the user config names OSV and npm's download counts there, and says
 * that registry is the public one (else it counts as a private mirror, which publishes no download counts).
 */
async function userFor(base: string, extra = ''): Promise<{ home: string; userConfig: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'si-lsp-home-'));
  await writeFile(path.join(home, '.npmrc'), `registry=${base}/npm/\n`);
  return { home, userConfig: `[registries]\nnpm = "${base}/npm"\nosv = "${base}/osv"\nnpm_downloads = "${base}/npm-downloads"\n${extra}` };
}

/** `"name": "spec"` lines of a package.json, one dependency per line from line 3 on. */
function packageJson(deps: Array<[string, string]>): string {
  return `{\n  "name": "app",\n  "dependencies": {\n${deps.map(([n, v]) => `    "${n}": "${v}"`).join(',\n')}\n  }\n}\n`;
}

describe('registry intelligence in the editor (local registry)', () => {
  let registry: RegistryServer;
  let s: LspSession;
  let home: string;
  const reports: AuditReportParams[] = [];
  before(async () => {
    registry = await RegistryServer.start();
    const user = await userFor(registry.url);
    home = user.home;
    s = await LspSession.start({ intelligence: true, userConfig: user.userConfig, env: { HOME: home }, experimental: { [AUDIT_REPORT_CAPABILITY]: true } });
    s.connection.onNotification(ShowAuditReportNotification.type, (report) => reports.push(report));
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
    await registry.close();
    await rm(home, { recursive: true, force: true });
  });

  const DEPS: Array<[string, string]> = [['good-lib', '^1.2.0'], ['evil-lib', '^1.0.0'], ['zz-hallucinated-helper', '^2.0.0'], ['lodahs', '^4.17.21']];

  it('offline findings first, then an error squiggle with the MAL- id and unknown-package', async () => {
    const uri = s.uri('package.json');
    await s.open(uri, packageJson(DEPS));
    const full = await s.waitForDiagnostics(uri, (p) => codes(p).includes('malware') && codes(p).includes('unknown-package'));
    const first = s.published.find((p) => p.uri === uri && p.version === 1);
    assert.ok(first);
    assert.deepEqual(codes(first), ['typosquat'], 'the first publish is the offline one');
    assert.ok(s.published.indexOf(first) < s.published.indexOf(full));

    const malware = full.diagnostics.find((d) => d.code === 'malware');
    assert.ok(malware);
    assert.equal(malware.severity, 1, 'error');
    assert.equal(malware.source, 'safe-install');
    assert.match(malware.message, /MAL-2025-0001/);
    assert.deepEqual(malware.range, { start: { line: 4, character: 5 }, end: { line: 4, character: 13 } });
    const unknown = full.diagnostics.filter((d) => d.code === 'unknown-package').map((d) => d.range.start.line).sort();
    assert.deepEqual(unknown, [5, 6], 'the hallucinated name and the typosquat are both unknown to the registry');
    assert.equal(full.diagnostics.filter((d) => d.range.start.line === 3).length, 0, 'good-lib is clean');
  });

  it('hover shows the package card from what was fetched', async () => {
    const uri = s.uri('package.json');
    const evil = await s.hover(uri, { line: 4, character: 8 });
    assert.match(evil, /\*\*evil-lib\*\* \(npm\)/);
    assert.match(evil, /Known malware:\*\* MAL-2025-0001/);
    assert.match(evil, /Latest: 1\.0\.1/);
    const good = await s.hover(uri, { line: 3, character: 6 });
    assert.match(good, /Downloads: 5,123,456/);
    assert.match(good, /Maintainers: alice, bob/);
    assert.equal(await s.hover(uri, { line: 1, character: 4 }), '', 'no hover off the dependency lines');
  });

  it('an edit republishes the network findings at once and asks the registry nothing again', async () => {
    const uri = s.uri('package.json');
    const before = registry.requests;
    const version = await s.change(uri, packageJson(DEPS).replace('"name": "app"', '"name": "app2"'));
    const first = await s.waitForDiagnostics(uri, (p) => p.version === version);
    assert.ok(codes(first).includes('malware'), 'remembered answers are in the first publish: no flicker while typing');
    assert.equal(registry.requests, before, 'no request for unchanged lines');

    // Lines move and a new one appears: only the new one is asked about.
    const moved = await s.change(uri, packageJson([['evil-lib', '^1.0.0'], ['good-lib', '^1.2.0'], ['zz-other-unknown', '1.0.0']]));
    const after = await s.waitForDiagnostics(uri, (p) => p.version === moved && codes(p).includes('unknown-package'));
    const malware = after.diagnostics.find((d) => d.code === 'malware');
    assert.equal(malware?.range.start.line, 3, 'remembered findings follow their line');
    const asked = registry.log.slice(before);
    assert.ok(asked.length > 0 && asked.every((r) => r.includes('zz-other-unknown') || r.includes('/osv/')), asked.join(', '));
  });

  it('"Audit <package>" on a diagnostic and on a plain dependency line; the report arrives as a notification', async () => {
    const uri = s.uri('audit/package.json');
    await s.open(uri, packageJson(DEPS));
    const full = await s.waitForDiagnostics(uri, (p) => codes(p).includes('malware'));
    const malware = full.diagnostics.find((d) => d.code === 'malware') as Diagnostic;
    const onDiagnostic = ((await s.codeActions(uri, [malware])) ?? []).filter(isAction);
    const audit = onDiagnostic.find((a) => a.title === 'Audit evil-lib');
    assert.ok(audit?.command, onDiagnostic.map((a) => a.title).join(', '));
    assert.equal(audit.command.command, AUDIT_PACKAGE_COMMAND);
    assert.deepEqual(audit.diagnostics, [malware]);

    const plainLine = { start: { line: 3, character: 6 }, end: { line: 3, character: 6 } };
    const onLine = ((await s.codeActions(uri, [], plainLine)) ?? []).filter(isAction);
    assert.deepEqual(onLine.map((a) => a.title), ['Audit good-lib']);

    const result = (await s.executeCommand(AUDIT_PACKAGE_COMMAND, audit.command.arguments ?? [])) as AuditReportParams;
    assert.equal(result.verdict, 'block');
    assert.match(result.markdown, /^# Audit: evil-lib/);
    assert.match(result.markdown, /MAL-2025-0001/);
    assert.equal(reports.at(-1)?.markdown, result.markdown, 'the client that shows reports got the notification');
    assert.equal(s.messages.filter((m) => /audit/.test(m)).length, 0, 'and no message');
  });

  it('the offline setting uses only cached answers: no request, and uncached lines stay quiet', async () => {
    const uri = s.uri('offline/package.json');
    await s.open(uri, packageJson(DEPS));
    await s.waitForDiagnostics(uri, (p) => codes(p).includes('malware'));
    await s.setSettings({ offline: true });
    const before = registry.requests;
    const version = await s.change(uri, packageJson([...DEPS, ['new-lib', '^1.0.0']]));
    const offline = await s.waitForDiagnostics(uri, (p) => p.version === version && codes(p).includes('malware'));
    assert.equal(registry.requests, before, 'offline makes no request');
    assert.equal(offline.diagnostics.filter((d) => d.code === 'intelligence-unavailable').length, 0);
    assert.match(await s.hover(uri, { line: 7, character: 6 }), /Offline: no cached registry answer/);
    assert.match(await s.hover(uri, { line: 4, character: 6 }), /Offline: from the cache/);
    await s.setSettings({});
  });

  it('the intelligence setting switches the network findings off', async () => {
    const uri = s.uri('package.json');
    const off = s.waitForDiagnostics(uri, (p) => !codes(p).includes('malware'), false);
    await s.setSettings({ intelligence: { enabled: false } });
    assert.deepEqual(codes(await off), []);
    assert.match(await s.hover(uri, { line: 3, character: 6 }), /Registry checks are off/);
    const on = s.waitForDiagnostics(uri, (p) => codes(p).includes('malware'), false);
    await s.setSettings({});
    await on;
  });
});

describe('a dead registry (requests hang until the timeout)', () => {
  let registry: RegistryServer;
  let s: LspSession;
  let home: string;
  before(async () => {
    registry = await RegistryServer.start();
    registry.fault('/', 'slow');
    const user = await userFor(registry.url, '\n[intelligence]\ntimeout_seconds = 1\n');
    home = user.home;
    // No experimental capability: a plain LSP client.
    s = await LspSession.start({ intelligence: true, userConfig: user.userConfig, env: { HOME: home } });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
    await registry.close();
    await rm(home, { recursive: true, force: true });
  });

  it('offline diagnostics arrive first; each dependency then gets one information finding within the timeout', async () => {
    const uri = s.uri('package.json');
    const opened = Date.now();
    await s.open(uri, packageJson([['good-lib', '^1.0.0'], ['lodahs', '^4.17.21']]));
    const offline = await s.waitForDiagnostics(uri, (p) => codes(p).includes('typosquat'));
    const offlineAt = Date.now();
    assert.deepEqual(codes(offline), ['typosquat']);
    const full = await s.waitForDiagnostics(uri, (p) => codes(p).filter((c) => c === 'intelligence-unavailable').length === 2);
    const fullAt = Date.now();
    const unavailable = full.diagnostics.filter((d) => d.code === 'intelligence-unavailable');
    assert.deepEqual(unavailable.map((d) => d.severity), [3, 3], 'information');
    assert.match(unavailable[0]?.message ?? '', /did not complete/);
    assert.ok(codes(full).includes('typosquat'), 'offline findings stay');
    assert.ok(fullAt - opened < 10_000, `unavailable after ${fullAt - opened} ms (timeout 1 s a request, 2 s a call)`);
    assert.ok(fullAt - offlineAt >= 500, `the offline publish (${offlineAt - opened} ms) did not wait for the registry (${fullAt - opened} ms)`);
  });

  it('a plain client gets the audit verdict as a message', async () => {
    const uri = s.uri('package.json');
    const result = (await s.executeCommand(AUDIT_PACKAGE_COMMAND, [{ uri, ecosystem: 'npm', name: 'good-lib', spec: '^1.0.0' }])) as AuditReportParams;
    assert.equal(result.verdict, 'warn', 'checks that could not be done warn');
    assert.ok(s.messages.some((m) => /safe-install audit of good-lib \(npm\): WARN/.test(m)), s.messages.join('\n'));
  });
});
