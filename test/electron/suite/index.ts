/**
 * Runs inside VS Code's extension host (bundled by electron.test.ts). Each check waits for the event it
 * needs (diagnostics changed, exposure state changed), never for a fixed time.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SafeInstallApi } from '../../../client/src/extension';
import type { ExposureState } from '../../../client/src/exposure/exposureService';

function diagnosticsFor(uri: vscode.Uri, timeoutMs: number): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'safe-install');
    if (ours().length > 0) return resolve(ours());
    const timer = setTimeout(() => { sub.dispose(); reject(new Error('no safe-install diagnostics')); }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && ours().length > 0) {
        clearTimeout(timer);
        sub.dispose();
        resolve(ours());
      }
    });
  });
}

/** Entry point the test runner calls. */
export async function run(): Promise<void> {
  const workspace = process.env.SAFE_INSTALL_E2E_WORKSPACE ?? '';
  const extension = vscode.extensions.getExtension<SafeInstallApi>('safe-install.safe-install');
  assert.ok(extension, 'the extension is installed');
  const api = await extension.activate();
  const uri = vscode.Uri.file(path.join(workspace, 'requirements.txt'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);

  // A squiggle on the typosquatted line.
  const diagnostics = await diagnosticsFor(uri, 60_000);
  const typo = diagnostics.find((d) => d.code === 'typosquat');
  assert.ok(typo, 'a typosquat diagnostic');
  assert.equal(typo.range.start.line, 0);

  // The quick fix replaces the name.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, typo.range, vscode.CodeActionKind.QuickFix.value);
  const replace = actions.find((a) => a.title === "Replace with 'requests'");
  assert.ok(replace?.edit, 'a Replace quick fix with an edit');
  assert.ok(await vscode.workspace.applyEdit(replace.edit));
  assert.equal(document.lineAt(0).text, 'requests==2.31.0');

  // Check Environment fills the exposure state the view shows.
  const done = new Promise<ExposureState>((resolve) => {
    const off = api.services.exposure.onDidChange((state) => {
      if (state.kind === 'done' || state.kind === 'failed') {
        off();
        resolve(state);
      }
    });
  });
  await vscode.commands.executeCommand('safeInstall.checkEnvironment');
  const state = await done;
  assert.equal(state.kind, 'done');

  // The workspace opened by the runner is trusted; an install request with no prompt answer starts nothing.
  assert.equal(api.services.installs.runs.length, 0);
}
