/**
 * The safe-install language server. Runs over stdio (`node dist/server.js --stdio`, any LSP client)
 * or node IPC (`--node-ipc`, as the VS Code extension starts it); the transport comes from argv.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { recoverVaultAtStartup } from '../../shared/src/cli/startupRecovery';
import { fileSystemReader, sharedEngine } from './engine/engineAdapter';
import { startServer } from './safeInstallServer';

const connection = createConnection(ProposedFeatures.all);
// A bug in one handler must not take the server down; say so on the connection console instead.
process.on('uncaughtException', (error) => connection.console.error(`safe-install: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`safe-install: ${String(reason)}`));
startServer(connection, {
  engine: sharedEngine,
  disk: fileSystemReader,
  // Credentials a killed `install --no-sandbox` left hidden come back as soon as an editor starts the server;
  // it runs beside initialization, never before it, and only logs.
  onInitialized: (log) => recoverVaultAtStartup({ env: process.env, stderr: (text) => log(text.trimEnd()) }),
});
connection.listen();
