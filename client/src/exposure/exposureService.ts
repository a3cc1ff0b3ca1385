/** Runs `check-env --format json` in a CLI child and keeps the last report for the view. */
import type { ExposureReport } from '../../../shared/src/exposure/types';
import { runCli, type CliLocation } from '../cli/cliProcess';
import { parseExposureReport } from './exposureReport';

/** The latest check, or why it failed. */
export type ExposureState =
  | { kind: 'never' }
  | { kind: 'running' }
  | { kind: 'done'; report: ExposureReport; at: number }
  | { kind: 'failed'; message: string };

/** Checks the environment on request; listeners hear each state change. */
export class ExposureService {
  state: ExposureState = { kind: 'never' };
  private readonly listeners = new Set<(state: ExposureState) => void>();
  private inFlight: Promise<ExposureState> | undefined;

  constructor(private readonly cli: CliLocation, private readonly env: () => NodeJS.ProcessEnv) {}

  /** Subscribes; returns the unsubscribe function. */
  onDidChange(listener: (state: ExposureState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs a check (joins one already running). `workspaceRoot` undefined skips the .env walk (untrusted). */
  check(cwd: string, workspaceRoot: string | undefined): Promise<ExposureState> {
    this.inFlight ??= this.run(cwd, workspaceRoot).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(cwd: string, workspaceRoot: string | undefined): Promise<ExposureState> {
    this.set({ kind: 'running' });
    const args = ['check-env', '--format', 'json', ...(workspaceRoot !== undefined ? ['--workspace', workspaceRoot] : ['--no-workspace'])];
    const result = await runCli(this.cli, { args, cwd, env: this.env() });
    let next: ExposureState;
    if (result.spawnError !== undefined) next = { kind: 'failed', message: `could not start the safe-install CLI: ${result.spawnError}` };
    else if (result.exitCode !== 0 && result.exitCode !== 1) {
      next = { kind: 'failed', message: result.stderr.trim().split('\n')[0] || `check-env exited with code ${String(result.exitCode)}` };
    } else {
      try {
        next = { kind: 'done', report: parseExposureReport(result.stdout), at: Date.now() };
      } catch (error) {
        next = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
      }
    }
    this.set(next);
    return next;
  }

  private set(state: ExposureState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
