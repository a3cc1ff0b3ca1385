/**
 * The extension-owned terminal of one install run: work starts when VS Code opens it, progress events
 * are drawn as coloured lines, and closing the terminal or pressing Ctrl+C cancels the run (the CLI
 * removes its containers). Re-opening a finished run's terminal replays its log.
 */
import { EventEmitter, window, type Pseudoterminal, type Terminal } from 'vscode';
import type { InstallManager } from './installManager';
import { isFinished, type InstallRun } from './installRun';
import { neutralize, paint, renderEvent, toTerminalLines } from './renderEvent';

const CTRL_C = '\u0003';

class InstallPty implements Pseudoterminal {
  private readonly writeEmitter = new EventEmitter<string>();
  private readonly closeEmitter = new EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly run: InstallRun, private readonly manager: InstallManager) {}

  open(): void {
    const { request } = this.run;
    const what = request.packages.length > 0 ? request.packages.join(', ') : (request.manifest ?? '');
    this.write([
      paint.bold(`Safe Install — ${request.ecosystem}: ${neutralize(what)}${request.dryRun ? ' (dry run)' : ''}`),
      paint.dim('Packages are fetched and built in a locked-down container; press Ctrl+C or close this terminal to cancel.'),
      '',
    ]);
    this.unsubscribe = this.run.onChange((run, event) => {
      if (event) {
        if (event.type === 'verdict') this.verdictShown = true;
        const text = renderEvent(event);
        if (text !== undefined) this.write([text]);
      }
      if (isFinished(run.state) && !event) this.writeVerdictWithoutEvent(run);
      if (run.report && !event && !this.artifactsShown) this.writeArtifacts(run);
    });
    void this.manager.execute(this.run);
  }

  close(): void {
    this.unsubscribe?.();
    this.manager.cancel(this.run);
  }

  handleInput(data: string): void {
    if (data.includes(CTRL_C) && !isFinished(this.run.state)) {
      this.write([paint.yellow('^C — cancelling, removing the sandbox container…')]);
      this.manager.cancel(this.run);
    }
  }

  private verdictShown = false;

  // A run that ended without a verdict event (spawn failure, killed child) still tells the user why.
  private writeVerdictWithoutEvent(run: InstallRun): void {
    if (this.verdictShown) return;
    this.verdictShown = true;
    const text = renderEvent({ type: 'verdict', verdict: run.state === 'running' || run.state === 'queued' ? 'failed' : run.state, message: run.verdictMessage ?? '' });
    if (text !== undefined) this.write([text]);
  }

  private artifactsShown = false;

  // The report (printed when the child exits) carries each artifact's SHA-256.
  private writeArtifacts(run: InstallRun): void {
    this.artifactsShown = true;
    const rows = [...run.artifacts.values()].filter((a) => a.sha256 !== undefined);
    if (rows.length === 0) return;
    this.write(['', paint.bold('Artifacts'), ...rows.map((a) => `  ${neutralize(a.name)}${a.version !== undefined ? `@${neutralize(a.version)}` : ''}  ${paint.dim(`sha256:${a.sha256 ?? ''}`)}`),
      paint.dim('Full report: "Safe Install: Show Last Report".')]);
  }

  private write(lines: string[]): void {
    this.writeEmitter.fire(toTerminalLines(lines));
  }
}

/** Opens a terminal for a queued run and shows it; the run starts when the terminal opens. */
export function openInstallTerminal(run: InstallRun, manager: InstallManager): Terminal {
  const terminal = window.createTerminal({ name: `Safe Install: ${run.title}`, pty: new InstallPty(run, manager), });
  terminal.show(true);
  return terminal;
}
