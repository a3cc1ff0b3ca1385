/**
 * An intelligence threshold setting changes which findings fire, over real JSON-RPC against the local
 * registry server, without a server restart: the settings arrive per scope (as the extension sends
 * them), the user's count, a workspace's only where stricter, and an ignored one is logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { LspSession } from './lspHarness';
import { startLocalRegistrySession, type LocalRegistrySession } from './localRegistrySession';

const has = (p: PublishDiagnosticsParams, code: string, line?: number): boolean =>
  p.diagnostics.some((d) => d.code === code && (line === undefined || d.range.start.line === line));
const scoped = (user: Record<string, unknown>, workspace: Record<string, unknown> = {}): unknown => ({ scopes: { user, workspace } });

/** good-lib 1.4.0 (line 3) was released long before now; evil-lib (line 4) is known malware: the marker that registry answers are in. */
const MANIFEST = '{\n  "name": "app",\n  "dependencies": {\n    "good-lib": "^1.2.0",\n    "evil-lib": "^1.0.0"\n  }\n}\n';
/** Hours that make any release "too fresh" (about 114 years). */
const HUGE = 1_000_000;

describe('intelligence thresholds from editor settings (local registry, no restart)', () => {
  let local: LocalRegistrySession;
  let s: LspSession;
  before(async () => {
    local = await startLocalRegistrySession();
    s = local.session;
  });
  after(async () => {
    assert.equal(await local.close(), 0);
  });

  it('a user threshold makes fresh-release fire, a weaker workspace value is ignored and logged, a stricter one counts', async (t) => {
    const uri = s.uri('package.json');
    s.settings.set('', scoped({}));
    await s.open(uri, MANIFEST);
    const first = await s.waitForDiagnostics(uri, (p) => has(p, 'malware'));
    assert.ok(!has(first, 'fresh-release'), 'with the default 72 h nothing is too fresh');

    // The user's own setting: the finding appears without a restart.
    const requestsBefore = s.configurationRequests;
    const fresh = s.waitForDiagnostics(uri, (p) => has(p, 'malware') && has(p, 'fresh-release', 3), false);
    const changedAt = performance.now();
    await s.setSettings(scoped({ 'intelligence.minReleaseAgeHours': HUGE }));
    const withUser = await fresh;
    t.diagnostic(`setting change → new finding published: ${(performance.now() - changedAt).toFixed(0)} ms (fresh registry look-ups included)`);
    assert.match(withUser.diagnostics.find((d) => d.code === 'fresh-release')?.message ?? '', /good-lib 1\.4\.0 was published .* ago/);
    assert.ok(s.configurationRequests > requestsBefore, 'the server asked for the new settings');

    // A workspace value below the user's is a weakening: ignored, the finding stays, the log says why.
    const stays = s.waitForDiagnostics(uri, (p) => has(p, 'malware'), false);
    await s.setSettings(scoped({ 'intelligence.minReleaseAgeHours': HUGE }, { 'intelligence.minReleaseAgeHours': 0 }));
    assert.ok(has(await stays, 'fresh-release', 3), 'the workspace cannot lower the user threshold');
    assert.ok(
      s.logs.some((m) => m.startsWith("Workspace setting 'safeInstall.intelligence.minReleaseAgeHours' is ignored") && m.includes(`below ${HUGE}`)),
      s.logs.join('\n'),
    );

    // Back to nothing set: the finding goes.
    const gone = s.waitForDiagnostics(uri, (p) => has(p, 'malware') && !has(p, 'fresh-release'), false);
    await s.setSettings(scoped({}));
    await gone;

    // A workspace value above the default is stricter and counts.
    const again = s.waitForDiagnostics(uri, (p) => has(p, 'malware') && has(p, 'fresh-release', 3), false);
    await s.setSettings(scoped({}, { 'intelligence.minReleaseAgeHours': HUGE }));
    await again;
    assert.ok(s.alive, 'the same server process all along');
  });
});
