/**
 * The demo's package.json in the editor against the local registry server (found through a temporary
 * HOME's .npmrc and the user config, as a user's own registries would be): the known-malware line gets an
 * error squiggle with its MAL- id, the hallucinated name gets unknown-package, the typosquat stays.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { LspSession } from './lspHarness';
import { startLocalRegistrySession, type LocalRegistrySession } from './localRegistrySession';

const DEMO_PACKAGE_JSON = path.resolve(__dirname, '..', '..', 'demo', 'web', 'package.json');

/** 0-based line of `"name":` in the text. */
function lineOf(text: string, name: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(`"${name}":`));
  assert.ok(line >= 0, `${name} is in the demo package.json`);
  return line;
}

const at = (diagnostics: Diagnostic[], line: number): string[] => diagnostics.filter((d) => d.range.start.line === line).map((d) => String(d.code)).sort();

describe("the demo's package.json in the editor (local registry)", () => {
  let local: LocalRegistrySession;
  let s: LspSession;
  before(async () => {
    local = await startLocalRegistrySession();
    s = local.session;
  });
  after(async () => {
    assert.equal(await local.close(), 0);
  });

  it('MAL- error squiggle on flatmap-stream, unknown-package on the hallucinated name, the typosquat kept, ordinary lines clean', async () => {
    const text = await readFile(DEMO_PACKAGE_JSON, 'utf8');
    const uri = s.uri('web/package.json');
    await s.open(uri, text);
    const full = await s.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'malware') && p.diagnostics.some((d) => d.code === 'unknown-package'));

    const malwareLine = lineOf(text, 'flatmap-stream');
    const malware = full.diagnostics.find((d) => d.code === 'malware');
    assert.ok(malware);
    assert.equal(malware.severity, 1, 'an error squiggle');
    assert.match(malware.message, /MAL-0000-0001/);
    assert.deepEqual(malware.range, { start: { line: malwareLine, character: 5 }, end: { line: malwareLine, character: 5 + 'flatmap-stream'.length } });

    const hallucinatedLine = lineOf(text, 'pinia-persist-session-sync');
    assert.deepEqual(at(full.diagnostics, hallucinatedLine), ['unknown-package']);
    assert.equal(full.diagnostics.find((d) => d.range.start.line === hallucinatedLine)?.severity, 1);

    const typoLine = lineOf(text, 'expresss');
    assert.ok(at(full.diagnostics, typoLine).includes('typosquat'));
    for (const name of ['axios', 'dayjs', 'pinia', 'vue', 'zod', 'eslint', 'vite', 'vitest']) {
      const line = lineOf(text, name);
      assert.deepEqual(full.diagnostics.filter((d) => d.range.start.line === line && (d.severity ?? 1) <= 2).map((d) => d.code), [], `${name} is clean`);
    }
  });
});
