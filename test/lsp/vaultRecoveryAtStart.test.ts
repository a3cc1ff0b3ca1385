/**
 * The language server puts back what a killed `install --no-sandbox` left in the credential vault, as soon
 * as an editor starts it: a vault worker hides a fake home's credentials and is SIGKILLed mid-install, then
 * the built server starts with that HOME, logs the recovery on its console, and the home is byte-identical.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { LogMessageNotification } from 'vscode-languageserver-protocol/node';
import { createFakeHome, diffSnapshots, snapshotTree, type TreeEntry } from '../support/fakeHome';
import { LspSession } from './lspHarness';

const WORKER = path.join(__dirname, '..', 'support', 'vaultWorker.ts');

/** The fake home without the vault's own state folder. */
async function homeSnapshot(home: string): Promise<Map<string, TreeEntry>> {
  const all = await snapshotTree(home);
  for (const key of [...all.keys()]) if (key === '.local' || key.startsWith('.local/')) all.delete(key);
  return all;
}

/** Runs the vault worker until it stops inside the install (credentials hidden), then kills it with SIGKILL. */
async function killMidInstall(home: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...env, VAULT_TEST_HOME: home, VAULT_TEST_STOP_NAME: 'install-running' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const stopped = await new Promise<boolean>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^STOPPED \d+ install-running$/m.test(stdout)) resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  assert.ok(stopped, `the worker reached the install: ${stdout}`);
  child.kill('SIGKILL');
  assert.equal(await closed, 'SIGKILL');
}

// The timeout turns a server that never logs the recovery into a failure instead of a hang.
test('the language server restores a killed install\'s hidden credentials at start and logs it', { timeout: 60_000 }, async (t) => {
  const fake = await createFakeHome();
  t.after(() => fake.cleanup());
  const before = await homeSnapshot(fake.home);
  await killMidInstall(fake.home, fake.env);
  assert.notDeepEqual(diffSnapshots(before, (await homeSnapshot(fake.home))), [], 'the credentials are in the vault now');

  const s = await LspSession.start({ env: { HOME: fake.home } });
  t.after(async () => {
    assert.equal(await s.stop(), 0);
  });
  // Wait for the log line (it may already have arrived before this handler was registered).
  const restored = /restored \d+ credential path\(s\) an interrupted install had hidden/;
  const line = s.logs.find((l) => restored.test(l)) ?? (await new Promise<string>((resolve) => {
    s.connection.onNotification(LogMessageNotification.type, (params) => {
      s.logs.push(params.message);
      if (restored.test(params.message)) resolve(params.message);
    });
    const early = s.logs.find((l) => restored.test(l));
    if (early) resolve(early);
  }));
  assert.match(line, restored);
  assert.deepEqual(diffSnapshots(before, (await homeSnapshot(fake.home))), [], 'every credential is back, byte for byte');
});
