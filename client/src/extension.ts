/**
 * The VS Code extension: starts the safe-install language server and hands it the manifest
 * documents. It wires things; the checks live in the server.
 */
import path from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The files the server reads, in any scheme (saved files, unsaved buffers, virtual workspaces). */
const DOCUMENT_PATTERNS = [
  '**/{requirements,constraints}*.{txt,in}',
  '**/pyproject.toml',
  '**/package.json',
  '**/Cargo.toml',
  '**/go.mod',
  '**/{Gemfile,gems.rb}',
  // Synced too, so unsaved edits to the project config take effect and its problems show in it.
  '**/safe-install.toml',
];

let client: LanguageClient | undefined;

/** Starts the language server over node IPC. */
export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const configWatcher = workspace.createFileSystemWatcher('**/safe-install.toml');
  context.subscriptions.push(configWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_PATTERNS.map((pattern) => ({ pattern })),
    synchronize: { fileEvents: configWatcher },
  };
  client = new LanguageClient('safeInstall', 'Safe Install', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

/** Stops the server; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
