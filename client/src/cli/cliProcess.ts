/**
 * Runs the bundled CLI (dist/cli.js) as a child process. The editor runs installs, audits and
 * check-env this way rather than in the extension host: Docker streams, tar extraction and scanning
 * stay out of the host's event loop, a crash cannot take the host down, and the editor exercises the
 * exact code path the CLI ships. Argument arrays only, never a shell.
 */
import { spawn } from 'node:child_process';
import { LineSplitter } from './lineSplitter';

/** How to reach the CLI. */
export interface CliLocation {
  /** Absolute path of dist/cli.js. */
  script: string;
  /** The Node executable; in the VS Code desktop host this is Electron, run as Node via ELECTRON_RUN_AS_NODE. */
  node: string;
}

/** One CLI invocation. */
export interface CliInvocation {
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting sends SIGINT (the CLI removes its containers), then SIGKILL after `killAfterMs`. */
  signal?: AbortSignal;
  killAfterMs?: number;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

/** How it ended. */
export interface CliResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

const MAX_CAPTURE = 8 * 1024 * 1024;

/** Runs the CLI to completion; never rejects (a failed spawn is reported in the result). */
export function runCli(location: CliLocation, invocation: CliInvocation): Promise<CliResult> {
  return new Promise((resolve) => {
    if (invocation.signal?.aborted) {
      resolve({ exitCode: null, signal: 'SIGINT', stdout: '', stderr: '' });
      return;
    }
    const child = spawn(location.node, [location.script, ...invocation.args], {
      cwd: invocation.cwd,
      env: { ...(invocation.env ?? process.env), ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    const outLines = new LineSplitter();
    const errLines = new LineSplitter();
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), invocation.killAfterMs ?? 20_000);
    };
    invocation.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_CAPTURE) stdout += chunk;
      for (const line of outLines.push(chunk)) invocation.onStdoutLine?.(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_CAPTURE) stderr += chunk;
      for (const line of errLines.push(chunk)) invocation.onStderrLine?.(line);
    });
    let settled = false;
    const settle = (result: CliResult): void => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      invocation.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('error', (error) => settle({ exitCode: null, signal: null, stdout, stderr, spawnError: error.message }));
    child.once('close', (exitCode, signal) => {
      for (const line of outLines.flush()) invocation.onStdoutLine?.(line);
      for (const line of errLines.flush()) invocation.onStderrLine?.(line);
      settle({ exitCode, signal, stdout, stderr });
    });
  });
}
