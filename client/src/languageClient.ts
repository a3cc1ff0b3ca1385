/** Creates the language client for the safe-install server (node IPC), with the trust state in its init options. */
import path from 'node:path';
import { workspace, type ExtensionContext, type OutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type NodeModule, type ServerOptions } from 'vscode-languageclient/node';
import { serverExecArgv } from './settings';
import { scopedConfiguration } from './settingsMiddleware';
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

/** Builds (does not start) the client; its log and the ignored-settings messages go to `output`. */
export function createLanguageClient(context: ExtensionContext, output: OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Getters: the client reads these at every (re)start, so a changed heap limit reaches the new process.
  const serverOptions: ServerOptions = {
    get run(): NodeModule {
      return { module, transport: TransportKind.ipc, options: { execArgv: serverExecArgv() } };
    },
    get debug(): NodeModule {
      return { module, transport: TransportKind.ipc, options: { execArgv: [...serverExecArgv(), '--nolazy', '--inspect=6019'] } };
    },
  };
  const configWatcher = workspace.createFileSystemWatcher('**/safe-install.toml');
  context.subscriptions.push(configWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCUMENT_PATTERNS.map((pattern) => ({ pattern })), { language: 'pip-requirements' }],
    synchronize: { fileEvents: configWatcher },
    outputChannel: output,
    // The server gets each setting per scope, to apply the workspace's only where they tighten.
    middleware: { workspace: { configuration: scopedConfiguration } },
    // Read when the server (re)starts, so a trust grant followed by a restart reaches it.
    initializationOptions: (): ServerInitOptions => ({ trusted: workspace.isTrusted }),
  };
  return new LanguageClient('safeInstall', 'Safe Install', serverOptions, clientOptions);
}
