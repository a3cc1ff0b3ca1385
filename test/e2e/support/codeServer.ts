/**
 * Starts code-server (VS Code in the browser) for the end-to-end tests: loopback only, no auth,
 * throwaway user-data and extensions folders, a fake HOME, and the packaged .vsix installed first.
 * Readiness is the health endpoint answering; stopping waits for the process to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

/** A running code-server. */
export interface CodeServer {
  url(folder: string): string;
  /** Everything it printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Where it runs and with what. */
export interface CodeServerOptions {
  entry: string;
  vsix: string;
  dir: string;
  /** HOME (and XDG dirs) for code-server and everything it starts. */
  home: string;
  env?: NodeJS.ProcessEnv;
  /** User settings.json content. */
  settings: Record<string, unknown>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function collect(child: ChildProcess, sink: Buffer[]): void {
  child.stdout?.on('data', (d: Buffer) => sink.push(d));
  child.stderr?.on('data', (d: Buffer) => sink.push(d));
}

async function runToEnd(child: ChildProcess, sink: Buffer[], what: string, timeoutMs: number): Promise<void> {
  collect(child, sink);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${what} exited with ${String(code)}:\n${Buffer.concat(sink).toString().slice(-4000)}`);
}

/** Health polling: code-server has no readiness event a client can wait on, so ask every 200 ms. */
async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Installs the .vsix, then serves the workbench on a free loopback port. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userData = path.join(options.dir, 'user-data');
  const extensions = path.join(options.dir, 'extensions');
  const config = path.join(options.dir, 'config.yaml');
  await mkdir(path.join(userData, 'User'), { recursive: true });
  await mkdir(extensions, { recursive: true });
  await writeFile(config, '');
  await writeFile(path.join(userData, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: options.home,
    XDG_CONFIG_HOME: path.join(options.home, '.config'),
    XDG_DATA_HOME: path.join(options.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(options.home, '.cache'),
  };
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check'];
  const output: Buffer[] = [];
  await runToEnd(spawn(process.execPath, [options.entry, ...common, '--install-extension', options.vsix], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    output, 'code-server --install-extension', 120_000);
  const port = await freePort();
  const child = spawn(process.execPath, [options.entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-getting-started-override'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  collect(child, output);
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${Buffer.concat(output).toString().slice(-4000)}`);
  }
  return {
    url: (folder) => `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`,
    output: () => Buffer.concat(output).toString(),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
