/**
 * A child process for the vault's fault-injection tests: hides the fake home's credentials, runs a real
 * "install" child with the filtered environment, restores. Prints `STEP <n> <name>` at every vault step; with
 * VAULT_TEST_STOP_AT=<n> (or VAULT_TEST_STOP_NAME=<step name>) it prints `STOPPED <n> <name>` at that step and waits there to be killed.
 */
import { spawn } from 'node:child_process';
import { withCredentialsHidden, type VaultStep } from '../../shared/src/vault/index';

const home = process.env.VAULT_TEST_HOME;
if (home === undefined) throw new Error('VAULT_TEST_HOME is required');
const stopAt = Number.parseInt(process.env.VAULT_TEST_STOP_AT ?? '0', 10);
const stopName = process.env.VAULT_TEST_STOP_NAME;
const extraPaths = JSON.parse(process.env.VAULT_TEST_EXTRA_PATHS ?? '[]') as string[];
let step = 0;

async function onStep(name: VaultStep): Promise<void> {
  step += 1;
  process.stdout.write(`STEP ${step} ${name}\n`);
  if (step === stopAt || name === stopName) {
    process.stdout.write(`STOPPED ${step} ${name}\n`);
    // Wait here until the test kills us; the interval keeps the event loop alive.
    await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
  }
}

/** The "package manager": a real child that reports what it can see. */
function fakeInstall(childEnv: Record<string, string>): Promise<string> {
  const probe = `const fs=require('fs');const p=require('path');const h=${JSON.stringify(home)};` +
    `process.stdout.write(JSON.stringify({ssh:fs.existsSync(p.join(h,'.ssh')),npmrc:fs.existsSync(p.join(h,'.npmrc')),aws:fs.existsSync(p.join(h,'.aws')),` +
    `secretVars:Object.keys(process.env).filter(k=>/TOKEN|KEY|PASSWORD|SECRET|SSH_AUTH_SOCK|JWT|PEM/.test(k)),path:!!process.env.PATH}))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', probe], { env: childEnv, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`install child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const run = await withCredentialsHidden({ homeDir: home as string, env: process.env, extraPaths, onStep }, async (childEnv) => {
    const seen = await fakeInstall(childEnv);
    process.stdout.write(`INSTALL ${seen}\n`);
    return seen;
  });
  process.stdout.write(`DONE ${JSON.stringify(run.report)}\n`);
}

void main();
