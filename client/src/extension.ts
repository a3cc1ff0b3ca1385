/**
 * The VS Code extension: starts the safe-install language server and the editor features around it
 * (views, commands, install terminals, status bar). It wires things; the work lives in small modules.
 */
import { window, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AuditReportFeature } from './auditReportFeature';
import { activateEditorFeatures } from './editorFeatures';
import { createLanguageClient } from './languageClient';
import type { Services } from './services';

let client: LanguageClient | undefined;

/** What `activate` returns: read-only state for the API-level test suite (test/electron). */
export interface SafeInstallApi {
  services: Services;
}

/** Starts the language server over node IPC, then the editor features. */
export async function activate(context: ExtensionContext): Promise<SafeInstallApi> {
  // One channel for the server's log and the extension's own messages (e.g. ignored workspace settings).
  const output = window.createOutputChannel('Safe Install');
  client = createLanguageClient(context, output);
  client.registerFeature(new AuditReportFeature(client));
  context.subscriptions.push(output, client);
  const services = activateEditorFeatures(context, client, output);
  await client.start();
  return { services };
}

/** Stops the server; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
