/** Host processes for the local install step: argv arrays only (never a shell), output captured. */
import { spawn } from 'node:child_process';

/** The outcome of one host process. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program on the host; injectable for tests. */
export type ProcessRunner = (command: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string | undefined>>; signal?: AbortSignal }) => Promise<ProcessResult>;

/** The real runner (spawn, no shell). A missing program resolves with code 127. */
export const spawnProcess: ProcessRunner = (command, args, options) => new Promise((resolve) => {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], shell: false, ...(options.signal ? { signal: options.signal } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr + error.message }));
  child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
});
