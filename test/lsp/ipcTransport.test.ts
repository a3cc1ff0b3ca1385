import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { it } from 'node:test';
import {
  createProtocolConnection,
  ExitNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { AUDIT_PACKAGE_COMMAND, IGNORE_PACKAGE_COMMAND } from '../../shared/src/protocol';
import { serverScript } from './lspHarness';

// The VS Code extension starts the server with TransportKind.ipc; this speaks to it the same way.
it('serves over node IPC, as the extension starts it', async (t) => {
  const child = fork(serverScript, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  // A failed assertion must not leave the server running (the test run would never end).
  t.after(() => child.kill());
  const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  assert.deepEqual(result.capabilities.executeCommandProvider?.commands, [IGNORE_PACKAGE_COMMAND, AUDIT_PACKAGE_COMMAND]);
  assert.equal(result.capabilities.hoverProvider, true);
  assert.equal(result.serverInfo?.name, 'safe-install');
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  connection.dispose();
});
