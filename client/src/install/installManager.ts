/**
 * Owns every install run of the session: starts the CLI child for a run, folds its JSON progress
 * lines into the run, cancels through an AbortController (the CLI gets SIGINT and removes its
 * containers). No `vscode` import: the terminal, tree and status bar subscribe to it.
 */
import { runCli, type CliLocation } from '../cli/cliProcess';
import { installCliArgs, type InstallSettings } from './installArgs';
import { InstallRun, isFinished, type InstallRequest } from './installRun';
import { parseProgressLine } from './progressLine';

/** What the manager needs from its host. */
export interface InstallManagerDeps {
  cli: CliLocation;
  /** Environment for the child (the host's, so package-manager config and proxies apply). */
  env: () => NodeJS.ProcessEnv;
  /** Read when each run starts, so setting changes apply to the next install. */
  settings: (request: InstallRequest) => InstallSettings;
  /** False in an untrusted workspace: nothing is installed. */
  trusted: () => boolean;
}

const MAX_RUNS_KEPT = 20;

/** The JSON report the install command prints on stdout, if it printed one. */
function parseReport(stdout: string): Record<string, unknown> | undefined {
  const text = stdout.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Tracks runs, newest first. */
export class InstallManager {
  private readonly runList: InstallRun[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private readonly executions = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(run: InstallRun | undefined) => void>();
  private counter = 0;

  constructor(private readonly deps: InstallManagerDeps) {}

  /** Every run kept, newest first. */
  get runs(): readonly InstallRun[] {
    return this.runList;
  }

  /** Runs not finished yet. */
  get active(): InstallRun[] {
    return this.runList.filter((r) => !isFinished(r.state));
  }

  /** The newest finished run. */
  get lastFinished(): InstallRun | undefined {
    return this.runList.find((r) => isFinished(r.state));
  }

  /** Hears about new runs and every change of one; returns the unsubscribe function. */
  onDidChange(listener: (run: InstallRun | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a queued run (it starts with `execute`, which the run's terminal calls when it opens). */
  create(request: InstallRequest): InstallRun {
    this.counter += 1;
    const run = new InstallRun(`run-${Date.now().toString(36)}-${this.counter}`, request);
    run.onChange(() => this.emit(run));
    this.runList.unshift(run);
    // Keep the newest runs; finished ones beyond the cap are dropped from the view.
    while (this.runList.length > MAX_RUNS_KEPT) {
      const index = this.runList.map((r) => isFinished(r.state)).lastIndexOf(true);
      if (index < 0) break;
      this.runList.splice(index, 1);
    }
    this.emit(undefined);
    return run;
  }

  /** Runs the CLI for a queued run; resolves when the run has finished. Calling it again joins the same execution. */
  execute(run: InstallRun): Promise<void> {
    const existing = this.executions.get(run.id);
    if (existing) return existing;
    const execution = this.executeOnce(run).finally(() => this.controllers.delete(run.id));
    this.executions.set(run.id, execution);
    return execution;
  }

  /** Cancels a run; a queued run is cancelled at once. */
  cancel(run: InstallRun): void {
    if (isFinished(run.state)) return;
    const controller = this.controllers.get(run.id);
    if (controller) controller.abort();
    else run.finish('cancelled', 'cancelled before it started');
  }

  private async executeOnce(run: InstallRun): Promise<void> {
    if (isFinished(run.state)) return;
    if (!this.deps.trusted()) {
      run.finish('blocked', 'this workspace is not trusted: Safe Install does not install packages here');
      return;
    }
    let args: string[];
    try {
      args = installCliArgs(run.request, this.deps.settings(run.request));
    } catch (error) {
      run.finish('failed', error instanceof Error ? error.message : String(error));
      return;
    }
    const controller = new AbortController();
    this.controllers.set(run.id, controller);
    run.start();
    const result = await runCli(this.deps.cli, {
      args,
      cwd: run.request.cwd,
      env: this.deps.env(),
      signal: controller.signal,
      // Progress arrives on stderr, one JSON event per line; anything else there is the CLI talking plainly.
      onStderrLine: (line) => {
        const parsed = parseProgressLine(line);
        if (parsed?.kind === 'event') run.apply(parsed.event);
        else if (parsed !== undefined) run.apply({ type: 'log', phase: run.currentPhase?.phase ?? 'plan', stream: 'stderr', line });
      },
    });
    const report = parseReport(result.stdout);
    if (report) run.setReport(report);
    if (isFinished(run.state)) return;
    // The child ended without a verdict line: say why from what we know.
    if (controller.signal.aborted) run.finish('cancelled', 'cancelled; the sandbox containers were removed');
    else if (result.spawnError !== undefined) run.finish('failed', `could not start the safe-install CLI: ${result.spawnError}`);
    else if (result.exitCode === 0) run.finish(run.request.dryRun ? 'dry-run' : 'installed', 'finished');
    else {
      const why = result.stderr.trim().split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{')).slice(-1)[0];
      run.finish('failed', why !== undefined ? why : `the install exited with code ${String(result.exitCode ?? result.signal)}`);
    }
  }

  private emit(run: InstallRun | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(run);
      } catch {
        // A failing view must not break the run.
      }
    }
  }
}
