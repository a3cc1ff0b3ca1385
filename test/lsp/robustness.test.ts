import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { IGNORE_PACKAGE_COMMAND } from '../../shared/src/protocol';
import { LspSession } from './lspHarness';

describe('bad input and edit bursts', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start();
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('a broken package.json gets a parse-error diagnostic and the server keeps serving', async () => {
    const uri = s.uri('package.json');
    await s.open(uri, '{ "dependencies": { "lodahs": "1", ');
    const diagnostics = await s.diagnosticsFor(uri);
    assert.ok(diagnostics.some((d) => d.code === 'parse-error' && d.source === 'safe-install'), JSON.stringify(diagnostics));
    await s.change(uri, '{ "dependencies": { "lodahs": "1" } }');
    assert.deepEqual(
      (await s.diagnosticsFor(uri)).map((d) => d.code),
      ['typosquat'],
    );
  });

  it('survives garbage: binary noise, a huge line, odd manifests, malformed requests', async () => {
    const garbage = [
      ['requirements.txt', '\u0000\uffff\ud800 -r \n-e\n--index-url\n' + 'x'.repeat(200_000)],
      ['Cargo.toml', '[dependencies\nserde = {'],
      ['go.mod', 'module\nrequire (\n'],
      ['Gemfile', 'gem "rails", ,'],
      ['pyproject.toml', '[project]\ndependencies = ["reqeusts", 3]'],
    ] as const;
    for (const [file, text] of garbage) {
      const uri = s.uri(`garbage/${file}`);
      await s.open(uri, text);
      await s.diagnosticsFor(uri);
    }
    // Requests with nonsense arguments are answered, not fatal.
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: IGNORE_PACKAGE_COMMAND, arguments: [42] });
    const actions = await s.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: s.uri('nowhere/requirements.txt') },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'safe-install', data: 'junk' }] },
    });
    assert.deepEqual(actions, []);
    assert.ok(s.alive);
  });

  it('a burst of edits ends with diagnostics for the final text only, coalesced', async () => {
    const uri = s.uri('requirements-burst.txt');
    await s.open(uri, 'flask\n');
    await s.diagnosticsFor(uri);
    const before = s.published.length;
    const typos = ['reqeusts', 'djnago', 'numpyy', 'flaks', 'pandsa'];
    let last = 0;
    for (let i = 0; i < 40; i++) {
      last = await s.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: `${typos[i % typos.length] ?? ''}\n` }]);
    }
    const final = await s.waitForDiagnostics(uri, (p) => p.version === last);
    assert.equal(s.text(uri), 'pandsa\n');
    assert.equal(final.diagnostics.length, 1);
    assert.match(final.diagnostics[0]?.message ?? '', /'pandas'/);
    const ours = s.published.slice(before).filter((p) => p.uri === uri);
    assert.ok(ours.length <= 5, `40 edits published ${ours.length} times; expected them coalesced`);
    const versions = ours.map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((x, y) => x - y), 'never an older version after a newer one');
  });

  it('"Ignore" on a broken safe-install.toml leaves the file alone and tells the user why', async () => {
    const uri = s.uri('requirements.txt');
    await s.open(uri, 'reqeusts\n');
    await s.diagnosticsFor(uri);
    const broken = '[typosquat]\nallow = "not a list"\n';
    await s.writeFile('safe-install.toml', broken);
    await s.executeCommand(IGNORE_PACKAGE_COMMAND, [{ uri, ecosystem: 'PyPI', name: 'reqeusts' }]);
    assert.equal(await s.readFile('safe-install.toml'), broken);
    assert.ok(s.messages.some((m) => /could not add 'reqeusts'/.test(m)), s.messages.join('\n'));
    assert.ok(s.alive);
  });

  it('closing a document clears its diagnostics', async () => {
    const uri = s.uri('requirements-close.txt');
    await s.open(uri, 'reqeusts\n');
    assert.equal((await s.diagnosticsFor(uri)).length, 1);
    const cleared = s.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, false);
    await s.close(uri);
    await cleared;
  });
});
