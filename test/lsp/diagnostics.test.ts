import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Command, Diagnostic } from 'vscode-languageserver-protocol';
import { IGNORE_PACKAGE_COMMAND } from '../../shared/src/protocol';
import { applyEdits, LspSession } from './lspHarness';

function isCodeAction(item: Command | CodeAction): item is CodeAction {
  return typeof (item as CodeAction).title === 'string' && typeof (item as Command).command !== 'string';
}

function typosquats(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'typosquat');
}

describe('language server over JSON-RPC', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start();
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'server exits cleanly after shutdown/exit');
  });

  it('flags a typosquat on the name range of a requirements line', async () => {
    const uri = s.uri('requirements.txt');
    await s.open(uri, '# deps\nflask>=2\nreqeusts==2.31.0\nnumpy\n');
    const diagnostics = await s.diagnosticsFor(uri);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.ok(d);
    assert.equal(d.code, 'typosquat');
    assert.equal(d.source, 'safe-install');
    assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } });
    assert.match(d.message, /'requests'/);
    assert.equal((d.data as { intended?: string }).intended, 'requests');
  });

  it('flags typosquats in package.json keys and leaves popular names alone', async () => {
    const uri = s.uri('package.json');
    const text = '{\n  "dependencies": {\n    "react": "^18.0.0",\n    "lodahs": "^4.17.21"\n  }\n}\n';
    await s.open(uri, text);
    const diagnostics = typosquats(await s.diagnosticsFor(uri));
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.ok(d);
    // The range covers the name inside the quotes.
    assert.equal(applyEdits(text, [{ range: d.range, newText: '<>' }]).split('\n')[3], '    "<>": "^4.17.21"');
    assert.match(d.message, /'lodash'/);
  });

  it('diagnoses documents of any scheme (an unsaved buffer)', async () => {
    const uri = 'untitled:/scratch/requirements.txt';
    await s.open(uri, 'djnago\n');
    const diagnostics = typosquats(await s.diagnosticsFor(uri));
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]?.message ?? '', /'django'/);
  });

  it('ignores files that are not manifests', async () => {
    const uri = s.uri('notes.txt');
    await s.open(uri, 'reqeusts\n');
    // The server answers requests in order; once a later document is diagnosed, notes.txt got nothing.
    const later = s.uri('requirements-dev.txt');
    await s.open(later, 'pytest\n');
    await s.diagnosticsFor(later);
    assert.equal(s.published.filter((p) => p.uri === uri).length, 0);
  });

  it('"Replace with" fixes the name with a versioned edit and the diagnostic goes away', async () => {
    const uri = s.uri('requirements-fix.txt');
    await s.open(uri, 'urllib3\nreqeusts[security]==2.31.0 ; python_version > "3.8"\n');
    const diagnostics = typosquats(await s.diagnosticsFor(uri));
    assert.equal(diagnostics.length, 1);
    const actions = ((await s.codeActions(uri, diagnostics)) ?? []).filter(isCodeAction);
    const replace = actions.find((a) => a.title === "Replace with 'requests'");
    assert.ok(replace, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(replace.kind, 'quickfix');
    assert.equal(replace.isPreferred, true);
    const change = replace.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.equal(change.textDocument.version, s.version(uri));
    const fixed = applyEdits(s.text(uri), change.edits.filter((e) => 'newText' in e));
    assert.equal(fixed, 'urllib3\nrequests[security]==2.31.0 ; python_version > "3.8"\n');
    await s.applyWorkspaceEdit(replace.edit ?? {});
    assert.deepEqual(typosquats(await s.diagnosticsFor(uri)), []);
  });

  it('"Ignore" writes safe-install.toml through workspace/applyEdit and the diagnostic disappears', async () => {
    const uri = s.uri('requirements-ignore.txt');
    await s.open(uri, 'reqeusts\n');
    const diagnostics = typosquats(await s.diagnosticsFor(uri));
    assert.equal(diagnostics.length, 1);
    const actions = ((await s.codeActions(uri, diagnostics)) ?? []).filter(isCodeAction);
    const ignore = actions.find((a) => a.title === "Ignore 'reqeusts' in this workspace");
    assert.ok(ignore?.command, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(ignore.command.command, IGNORE_PACKAGE_COMMAND);
    const cleared = s.waitForDiagnostics(uri, (p) => typosquats(p.diagnostics).length === 0, false);
    await s.executeCommand(ignore.command.command, ignore.command.arguments ?? []);
    await cleared;
    assert.match(await s.readFile('safe-install.toml'), /\[typosquat\][\s\S]*allow[\s\S]*"PyPI:reqeusts"/);
    // Other documents of the workspace are re-checked with the new allow list too.
    const other = s.uri('requirements.txt');
    assert.deepEqual(typosquats((await s.waitForDiagnostics(other, (p) => typosquats(p.diagnostics).length === 0)).diagnostics), []);
  });
});

describe('requirements includes', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start();
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('findings of an included file go to that file, include problems to the including line', async () => {
    await s.writeFile('dev.txt', 'pytest\nreqeusts\n');
    const root = s.uri('requirements.txt');
    const dev = s.uri('dev.txt');
    const devDiagnostics = s.waitForDiagnostics(dev, (p) => p.diagnostics.length > 0);
    await s.open(root, 'flask\n-r dev.txt\n-r missing.txt\n');
    const [d] = (await devDiagnostics).diagnostics;
    assert.equal(d?.code, 'typosquat');
    assert.deepEqual(d?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
    const rootDiagnostics = await s.waitForDiagnostics(root, (p) => p.diagnostics.length > 0);
    assert.deepEqual(
      rootDiagnostics.diagnostics.map((x) => [x.code, x.range.start.line]),
      [['parse-error', 2]],
    );
    assert.match(rootDiagnostics.diagnostics[0]?.message ?? '', /missing\.txt/);

    // Fixing the included file in the editor clears its finding, including the share the root reported.
    await s.open(dev, 'pytest\nreqeusts\n');
    await s.diagnosticsFor(dev);
    const cleared = s.waitForDiagnostics(dev, (p) => p.diagnostics.length === 0, false);
    await s.change(dev, 'pytest\nrequests\n');
    await cleared;
    const after = await s.waitForDiagnostics(dev, () => true);
    assert.deepEqual(after.diagnostics, []);
  });
});
