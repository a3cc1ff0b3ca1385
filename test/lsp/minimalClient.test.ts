import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { applyEdits, LspSession } from './lspHarness';

// A client that declares no capabilities at all (no workspace/configuration, no dynamic registration,
// no versioned edits) still gets diagnostics, settings pushed with didChangeConfiguration, and quick fixes.
describe('a client with no optional capabilities', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start({ capabilities: {} });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('gets diagnostics, honours pushed settings, and receives plain (unversioned) fixes', async () => {
    const uri = s.uri('requirements.txt');
    await s.open(uri, 'reqeusts\n');
    const diagnostics = await s.diagnosticsFor(uri);
    assert.equal(diagnostics[0]?.code, 'typosquat');
    const actions = (await s.codeActions(uri, diagnostics)) as CodeAction[];
    const replace = actions.find((a) => a.isPreferred);
    const edits = replace?.edit?.changes?.[uri];
    assert.ok(edits, 'edit comes as `changes` for a client without documentChanges');
    assert.equal(applyEdits(s.text(uri), edits), 'requests\n');
    assert.equal(s.configurationRequests, 0, 'the server never asks a client that cannot answer');

    const off = s.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, false);
    await s.setSettings({ typosquat: { enabled: false } });
    await off;
  });
});
