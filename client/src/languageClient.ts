/** Creates the language client for the safe-install server (node IPC), with the trust state in its init options. */
import path from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverExecArgv } from './settings';
import type { ServerInitOptions } from './trust';

/** The files the server reads, in any scheme (saved files, unsaved buffers, virtual workspaces). */
export const DOCUMENT_PATTERNS = [
  '**/{requirements,constraints}*.{txt,in}',
  '**/pyproject.toml',
  '**/package.json',
  '**/Cargo.toml',
  '**/go.mod',
  '**/{Gemfile,gems.rb}',
  // Synced too, so unsaved edits to the project config take effect and its problems show in it.
  '**/safe-install.toml',
];

/** Builds (does not start) the client. */
export function createLanguageClient(context: ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const execArgv = serverExecArgv();
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6019'] } },
  };
  const configWatcher = workspace.createFileSystemWatcher('**/safe-install.toml');
  context.subscriptions.push(configWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCUMENT_PATTERNS.map((pattern) => ({ pattern })), { language: 'pip-requirements' }],
    synchronize: { fileEvents: configWatcher },
    // Read when the server (re)starts, so a trust grant followed by a restart reaches it.
    initializationOptions: (): ServerInitOptions => ({ trusted: workspace.isTrusted }),
  };
  return new LanguageClient('safeInstall', 'Safe Install', serverOptions, clientOptions);
}
