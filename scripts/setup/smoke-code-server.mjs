// Smoke check for the editor test stack: starts code-server on a free loopback port with throwaway
// dirs, loads its workbench in Debian's headless Chromium through playwright-core, saves a screenshot.
// Usage: node scripts/setup/smoke-code-server.mjs [out.png]   (default: <cache dir>/smoke/code-server.png)
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const cacheDir = process.env.SAFE_INSTALL_CACHE_DIR
  ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'safe-install-dev');
const version = process.env.SAFE_INSTALL_CODE_SERVER_VERSION ?? '4.96.4';
const entry = path.join(cacheDir, 'tools', `code-server-${version}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.SAFE_INSTALL_CHROMIUM ?? '/usr/bin/chromium';
const outFile = path.resolve(process.argv[2] ?? path.join(cacheDir, 'smoke', 'code-server.png'));
const t0 = Date.now();
const log = (msg) => console.error(`[smoke] ${msg} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);

/** Asks the kernel for a free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls the URL until it answers 200; gives up when the server process exits or the deadline passes. */
async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

await access(entry).catch(() => { throw new Error(`code-server not installed at ${entry}; run scripts/setup/code-server.sh`); });
await access(chromiumPath).catch(() => { throw new Error(`no Chromium at ${chromiumPath}; run scripts/setup/chromium.sh`); });

const tmp = await mkdtemp(path.join(os.tmpdir(), 'si-smoke-'));
await writeFile(path.join(tmp, 'config.yaml'), '');
const workspace = path.join(tmp, 'workspace');
await mkdir(workspace);
await writeFile(path.join(workspace, 'requirements.txt'), 'requests==2.32.3\n');
const port = await freePort();
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
const output = [];
const server = spawn(process.execPath, [entry, '--config', path.join(tmp, 'config.yaml'), '--auth', 'none',
  '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', path.join(tmp, 'user-data'),
  '--extensions-dir', path.join(tmp, 'extensions'), '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust'], { stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.on('data', (d) => output.push(d));
server.stderr.on('data', (d) => output.push(d));

let browser;
let failed = false;
try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 30_000);
  log(`code-server ${version} listening on 127.0.0.1:${port}`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  log(`chromium ${browser.version()} started`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // The workbench is drawn by script after load; the explorer row proves the folder was opened too.
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.getByText('requirements.txt').first().waitFor({ timeout: 60_000 });
  log('workbench rendered with the explorer showing the test folder');
  await mkdir(path.dirname(outFile), { recursive: true });
  await page.screenshot({ path: outFile });
  log(`screenshot saved: ${outFile}`);
} catch (err) {
  failed = true;
  console.error(`[smoke] ERROR: ${err instanceof Error ? err.message : String(err)}`);
  console.error(Buffer.concat(output).toString().split('\n').slice(-30).join('\n'));
} finally {
  await browser?.close();
  if (server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await rm(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
