/** Host processes for the local install step: argv arrays only (never a shell), output captured. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** The outcome of one host process. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program on the host; injectable for tests. */
export type ProcessRunner = (command: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string | undefined>>; signal?: AbortSignal }) => Promise<ProcessResult>;

/** A spawned process's output and exit; a program that could not start ends as code 127 (missing) or 1. */
function outcomeOf(child: ChildProcess & { stdout: Readable; stderr: Readable }, onEnd: () => void = () => undefined): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', (error: NodeJS.ErrnoException) => { onEnd(); resolve({ code: error.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr + error.message }); });
    child.once('close', (code) => { onEnd(); resolve({ code: code ?? 1, stdout, stderr }); });
  });
}

/** The real runner (spawn, no shell). A missing program resolves with code 127. */
export const spawnProcess: ProcessRunner = (command, args, options) =>
  outcomeOf(spawn(command, [...args], { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], shell: false, ...(options.signal ? { signal: options.signal } : {}) }));

/**
 * A host process started ahead of time that waits for its real input on stdin, so its start-up (e.g. importing pip)
 * overlaps with other work. It must exit without doing anything when stdin closes empty.
 */
export interface WaitingProcess {
  /** Sends the input and closes stdin; undefined when the process had already ended (the caller runs it cold). */
  finish(input: string): Promise<ProcessResult | undefined>;
  /** Closes stdin without input, kills the process if it has not ended within a second; resolves once it ended. */
  cancel(): Promise<void>;
}

/** Starts a waiting process; injectable for tests. */
export type ProcessStarter = (command: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string | undefined>> }) => WaitingProcess;

/** The real starter (spawn, no shell, stdin piped). */
export const startProcess: ProcessStarter = (command, args, options) => {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
  let ended = false;
  // Writing to a process that already exited fails with EPIPE; the exit result says what happened.
  child.stdin.on('error', () => undefined);
  const exited = outcomeOf(child, () => { ended = true; });
  let used = false;
  return {
    async finish(input) {
      if (used || ended) {
        await this.cancel();
        return undefined;
      }
      used = true;
      child.stdin.end(input);
      return exited;
    },
    async cancel() {
      used = true;
      if (!ended) {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
        timer.unref();
        await exited;
        clearTimeout(timer);
      }
    },
  };
};
