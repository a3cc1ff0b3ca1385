import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession } from './lspHarness';

const names = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.code === 'typosquat').map((d) => String((d.data as { package?: string }).package));

describe('settings and config files', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start();
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('settings apply per resource and take effect on didChangeConfiguration', async () => {
    const a = s.uri('requirements.txt');
    const b = s.uri('package.json');
    await s.open(a, 'reqeusts\ndjnago\n');
    await s.open(b, '{ "dependencies": { "lodahs": "1", "axois": "1" } }');
    assert.deepEqual(names(await s.diagnosticsFor(a)), ['reqeusts', 'djnago']);
    assert.deepEqual(names(await s.diagnosticsFor(b)), ['lodahs', 'axois']);
    assert.equal(s.configurationRequests, 2, 'settings are asked once per document, then cached');

    // Only the requirements file's scope turns the check off; the other keeps the default.
    s.settings.set(a, { typosquat: { enabled: false } });
    const aOff = s.waitForDiagnostics(a, (p) => p.diagnostics.length === 0, false);
    const bAgain = s.waitForDiagnostics(b, () => true, false);
    await s.setSettings(null);
    await aOff;
    assert.deepEqual(names((await bAgain).diagnostics), ['lodahs', 'axois']);

    // The allow setting merges with the config files' allow lists.
    s.settings.delete(a);
    const aAllowed = s.waitForDiagnostics(a, (p) => names(p.diagnostics).join() === 'djnago', false);
    const bAllowed = s.waitForDiagnostics(b, (p) => names(p.diagnostics).join() === 'axois', false);
    await s.setSettings({ typosquat: { enabled: true, allow: ['reqeusts', 'npm:lodahs'] } });
    await Promise.all([aAllowed, bAllowed]);
    await s.setSettings({ typosquat: { enabled: true, allow: [] } });
    assert.deepEqual(names((await s.waitForDiagnostics(a, (p) => names(p.diagnostics).length === 2)).diagnostics), ['reqeusts', 'djnago']);
  });

  it('a broken safe-install.toml gets a diagnostic in that file, the manifests keep working, and fixing it clears it', async () => {
    const manifest = s.uri('requirements.txt');
    const toml = s.uri('safe-install.toml');
    await s.writeFile('safe-install.toml', '[typosquat]\nallow = ["reqeusts"\n');
    const broken = s.waitForDiagnostics(toml, (p) => p.diagnostics.length > 0, false);
    await s.fileChanged('safe-install.toml');
    const diagnostics = (await broken).diagnostics;
    assert.equal(diagnostics[0]?.code, 'config-error');
    assert.equal(diagnostics[0]?.source, 'safe-install');
    // The manifest is still checked (with defaults for what the broken file would have set).
    assert.deepEqual(names(await s.diagnosticsFor(manifest)), ['reqeusts', 'djnago']);

    const fixed = s.waitForDiagnostics(toml, (p) => p.diagnostics.length === 0, false);
    const allowed = s.waitForDiagnostics(manifest, (p) => names(p.diagnostics).join() === 'djnago', false);
    await s.writeFile('safe-install.toml', '[typosquat]\nallow = ["reqeusts"]\n');
    await s.fileChanged('safe-install.toml');
    await Promise.all([fixed, allowed]);
    assert.ok(s.alive);
  });

  it('unsaved edits of an open safe-install.toml take effect at once', async () => {
    const manifest = s.uri('requirements.txt');
    const toml = s.uri('safe-install.toml');
    await s.open(toml, '[typosquat]\nallow = ["reqeusts"]\n');
    const both = s.waitForDiagnostics(manifest, (p) => names(p.diagnostics).length === 0, false);
    await s.change(toml, '[typosquat]\nallow = ["reqeusts", "PyPI:djnago"]\n');
    await both;
    const broken = s.waitForDiagnostics(toml, (p) => p.diagnostics.some((d) => d.code === 'config-error'), false);
    await s.change(toml, '[typosquat\n');
    await broken;
    await s.close(toml);
    await s.writeFile('safe-install.toml', '');
    const back = s.waitForDiagnostics(manifest, (p) => names(p.diagnostics).length === 2, false);
    await s.fileChanged('safe-install.toml');
    await back;
  });

  it('the user config file is read and watched', async () => {
    const manifest = s.uri('requirements.txt');
    const dir = path.join(s.workspace, '.user-config', 'safe-install');
    await mkdir(dir, { recursive: true });
    await s.writeFile('.user-config/safe-install/config.toml', '[intelligence]\nenabled = false\n\n[typosquat]\nenabled = false\n');
    const off = s.waitForDiagnostics(manifest, (p) => p.diagnostics.length === 0, false);
    await s.fileChanged('.user-config/safe-install/config.toml');
    await off;
    await s.writeFile('.user-config/safe-install/config.toml', '[intelligence]\nenabled = false\n\n[typosquat]\nenabled = true\n');
    const on = s.waitForDiagnostics(manifest, (p) => names(p.diagnostics).length === 2, false);
    await s.fileChanged('.user-config/safe-install/config.toml');
    await on;
  });
});
