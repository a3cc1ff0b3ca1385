/**
 * The VS Code extension: starts the safe-install language server and the editor features around it
 * (views, commands, install terminals, status bar). It wires things; the work lives in small modules.
 */
import type { ExtensionContext } from 'vscode';
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
  client = createLanguageClient(context);
  client.registerFeature(new AuditReportFeature(client));
  context.subscriptions.push(client);
  const services = activateEditorFeatures(context, client);
  await client.start();
  return { services };
}

/** Stops the server; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
